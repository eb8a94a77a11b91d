"""`proactive model …` and the routing of new cases: train, show, route — and how their results look."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from agent.cli_types import Fail, GetRuntime
from ground.cases.kinds import Route
from ground.cases.lifecycle import State

if TYPE_CHECKING:
    from agent.routing import RoutingReport
    from agent.runtime import Runtime
    from models.artifacts import LoadedModel
    from models.publish import TrainingResult

ROUTE_WORDS: dict[str, str] = {
    Route.SEAMLESS: "无感续证",
    Route.ASSISTED: "协助办理",
    Route.REMIND: "到期提醒",
    Route.NONE: "不予办理",
}


def train_model(rt: Runtime, console: Console, reuse: bool = True) -> TrainingResult:
    from models.config import load_label  # lazy
    from models.feature_file import load_features  # lazy
    from models.publish import train_and_publish  # lazy

    settings = rt.settings.model
    with console.status("training the renewal classifier on the stored history"):
        result = train_and_publish(
            rt.engine,
            rt.models_dir,
            rt.history_words,
            load_label(settings.label_file),
            settings.target_precision,
            settings.assisted_min_score,
            rt.now(),
            reuse=reuse,
            spec=load_features(settings.feature_file),
        )
    print_model(console, result.model, reused=result.reused, folder=str(rt.models_dir / result.model.version))
    return result


def route_cases(rt: Runtime, console: Console, model: LoadedModel) -> RoutingReport:
    """Score and route the new renewal cases, then put every renewal not yet filed where the law says it stands."""
    from agent.jobs import renewal_step  # lazy
    from agent.routing import route_new_renewals  # lazy
    from domain.licence_types import offline_types  # lazy

    with console.status("scoring and routing new renewal cases"):
        report = route_new_renewals(
            rt.engine, model, rt.history_words, rt.today(), rt.now(), offline_types(rt.licence_types)
        )
    print_routing(rt, console, report)
    law = renewal_step(rt)
    console.print(
        f"Renewals under the law on {rt.today()}: {law.lapsed} lapsed (expired unfiled), {law.window_closed} to "
        f"assisted (window closed), {law.unanswered} to assisted (no consent by the deadline), {law.invited} holders "
        f"invited to authorise, {law.deemed} deemed consented"
    )
    return report


def print_model(console: Console, model: LoadedModel, reused: bool, folder: str) -> None:
    meta = model.metadata
    test = meta["evaluation"]["test"]
    split = meta["details"]["split"]
    seamless = model.thresholds.seamless
    title = f"model {model.version}" + (" (current, trained on this same history: reused)" if reused else "")
    table = Table("", "model", "rule baseline", title=title)
    rule = test["rule_baseline"]
    table.add_row(
        "evaluated on", f"{split['test']['cases']} renewals {split['test']['from']} – {split['test']['to']}", ""
    )
    table.add_row("ROC AUC", _num(test["model"]["roc_auc"]), _num(rule["roc_auc"]))
    table.add_row("PR AUC", _num(test["model"]["pr_auc"]), "")
    table.add_row("Brier score", _num(test["model"]["brier"]), "")
    by_model, by_rule = test["model"]["routes"][Route.SEAMLESS], rule[Route.SEAMLESS]
    table.add_row("seamless coverage", _pct(by_model["coverage"]), _pct(by_rule["coverage"]))
    table.add_row("seamless precision", _pct(by_model["precision"]), _pct(by_rule["precision"]))
    table.add_row(
        "thresholds",
        ("seamless: not reachable" if seamless is None else f"seamless ≥ {seamless:.3f}")
        + f", assisted ≥ {model.thresholds.assisted:.3f}",
        "",
    )
    console.print(table)
    console.print(f"report, model card: {folder}/report.html, {folder}/model_card.md")
    if seamless is None:
        console.print(
            f"[yellow]warning:[/yellow] no score band reached the target precision "
            f"{model.thresholds.target_precision:.0%}: no case will be routed seamless"
        )


def print_routing(rt: Runtime, console: Console, report: RoutingReport, examples: int = 2) -> None:
    table = Table("route", "cases", title=f"routed {report.scored} new cases with {report.model_version}")
    for route, count in sorted(report.by_route.items(), key=lambda item: -item[1]):
        table.add_row(f"{route} {ROUTE_WORDS.get(route, '')}", str(count))
    for rule, count in report.by_rule.items():
        table.add_row(f"  of which by rule: {rule}", str(count))
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    _print_examples(rt, console, examples)


def _print_examples(rt: Runtime, console: Console, per_route: int) -> None:
    from ground.cases.reads import CaseFilter, list_cases  # lazy

    table = Table("licence", "route", "score", "reasons", title="example reasons", show_lines=True)
    with rt.engine.connect() as connection:
        for route, words in ROUTE_WORDS.items():
            for case in list_cases(connection, CaseFilter(state=State.ROUTED.value, route=route), per_route):
                table.add_row(case.licence_no, words, _num(case.score), _reason_text(case.reasons))
    console.print(table)


def _reason_text(reasons: dict[str, Any] | None) -> str:  # Any: the JSON scoring stored
    if not reasons:
        return ""
    lines = [f"规则：{reasons['rule']}"] if reasons.get("rule") else []
    lines += [f"{'＋' if f['effect'] > 0 else '－'} {f['text']}" for f in reasons.get("factors", [])]
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    """Attach `model train` and `model show` to the command line."""
    model_app = typer.Typer(no_args_is_help=True, help="The renewal classifier: train, inspect.")

    @model_app.command("train")
    def train(
        force: Annotated[
            bool, typer.Option(help="train even if the current model was trained on this history")
        ] = False,
    ) -> None:
        """Train on the stored renewal history, evaluate, and publish the model with its report and card."""
        from ground.yaml_files import YamlFileError  # lazy
        from models.training import TrainingError  # lazy

        rt = runtime()
        try:
            train_model(rt, console, reuse=not force)
        except (TrainingError, YamlFileError) as exc:
            raise fail(str(exc)) from exc

    @model_app.command("show")
    def show() -> None:
        """The model in use: its evaluation and thresholds."""
        rt = runtime()
        model = current_model(rt, fail)
        print_model(console, model, reused=False, folder=str(rt.models_dir / model.version))

    app.add_typer(model_app, name="model")


def register_route(cases_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    """Attach `cases route` to the command line."""

    @cases_app.command("route")
    def route() -> None:
        """Score and route the new renewal cases now, with the model in use."""
        rt = runtime()
        route_cases(rt, console, current_model(rt, fail))


def current_model(rt: Runtime, fail: Fail) -> LoadedModel:
    from models.artifacts import ModelArtifactError, load_current  # lazy

    try:
        model = load_current(rt.models_dir)
    except ModelArtifactError as exc:
        raise fail(str(exc)) from exc
    if model is None:
        raise fail(f"no trained model in {rt.models_dir}: run `proactive model train`")
    return model
