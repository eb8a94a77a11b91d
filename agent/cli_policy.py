"""`proactive policy …`: the subsidy policies — list, test, preview a draft, match, explain one decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_types import Fail, GetRuntime

if TYPE_CHECKING:
    from agent.runtime import Runtime
    from domain.policies.loading import PolicySet
    from domain.policies.match import Matches
    from domain.policies.model import Policy
    from domain.policies.policy_tests import Result
    from domain.policies.preview import Changes
    from domain.policies.run import MatchReport

AsOf = Annotated[str | None, typer.Option("--as-of", help="Matching date (YYYY-MM-DD); default today.")]
SHOWN = 15
PREVIEW_ONLY = (
    "cite placeholder references (〔待填…〕): matched for preview and explain only; their cases are neither filed nor "
    "paid unless PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true"
)


def yuan(amount: float) -> str:
    return f"{amount:,.0f}"


def print_policy_set(console: Console, policies: PolicySet) -> None:
    table = Table(title=f"{len(policies.policies)} policies")
    for name in ("id", "title / department", "kind", "in force", "pays for", "version"):
        table.add_column(name)
    for policy in policies.policies.values():
        effective = policy.effective
        table.add_row(
            policy.id,
            f"{policy.title}\n{policy.department}",
            f"{policy.category}\n{policy.area}",
            f"{effective.starts} –\n{effective.ends or ''}",
            policy.period,
            policy.version,
        )
    console.print(table)
    print_load_problems(console, policies)


def policy_record(policy: Policy) -> dict[str, Any]:
    """One policy for a program: the table's columns, one field each."""
    return {
        "id": policy.id,
        "title": policy.title,
        "department": policy.department,
        "category": policy.category,
        "area": policy.area,
        "reference": policy.reference,
        "starts": policy.effective.starts,
        "ends": policy.effective.ends,
        "period": policy.period,
        "version": policy.version,
    }


def print_load_problems(console: Console, policies: PolicySet) -> None:
    for error in policies.errors:
        console.print(f"[red]left out:[/red] {escape(error)}")
    for warning in policies.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")


def print_results(console: Console, results: list[Result]) -> None:
    table = Table(title="policy test cases")
    for name in ("", "policy", "case", "found"):
        table.add_column(name)
    for result in results:
        mark = "[green]ok[/green]" if result.passed else "[red]FAIL[/red]"
        table.add_row(mark, result.policy_id, result.name, escape(result.found))
    console.print(table)
    failed = sum(not r.passed for r in results)
    console.print(f"{len(results) - failed} passed, {failed} failed")


def print_match_report(console: Console, report: MatchReport, titles: dict[str, str]) -> None:
    table = Table(title=f"policy matching as of {report.as_of} over {report.subjects:,} subjects")
    for name in ("policy", "title", "granted", "amount (yuan)", "excluded"):
        table.add_column(name, justify="right" if name in ("granted", "amount (yuan)", "excluded") else "left")
    for policy_id, row in report.per_policy.iterrows():
        table.add_row(
            str(policy_id),
            titles.get(str(policy_id), ""),
            f"{row['matches']:,}",
            yuan(row["amount_yuan"]),
            f"{row['excluded']:,}",
        )
    total = report.per_policy.sum() if len(report.per_policy) else {"matches": 0, "amount_yuan": 0, "excluded": 0}
    table.add_row("total", "", f"{total['matches']:,}", yuan(total["amount_yuan"]), f"{total['excluded']:,}")
    console.print(table)
    console.print(
        f"cases: {report.created} new, {report.unchanged} unchanged, {report.withdrawn} withdrawn (no longer qualify), "
        f"{sum(report.held_back.values())} held back (placeholder references)"
    )
    for policy_id, why in report.skipped.items():
        console.print(f"[yellow]not matched:[/yellow] {policy_id}: {escape(why)}")


def folder_policies(rt: Runtime) -> PolicySet:
    from domain.policies.loading import load_policies  # lazy

    return load_policies(rt.settings.policies.folder)


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    """Attach `policy list|test|preview|match|explain` to the command line."""
    policy_app = typer.Typer(no_args_is_help=True, help="Subsidy policies (免申即享): list, test, preview, match.")
    _register_checks(policy_app, runtime, console)
    _register_store_commands(policy_app, runtime, console, fail)
    app.add_typer(policy_app, name="policy")


def _register_checks(policy_app: typer.Typer, runtime: GetRuntime, console: Console) -> None:
    @policy_app.command("list")
    def list_policies(as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
        """The policies in the policy folder, and any file that was left out with its line and reason (on stderr
        with --json or --csv)."""
        policies = folder_policies(runtime())
        if as_json or as_csv:
            records = [policy_record(policy) for policy in policies.policies.values()]
            typer.echo(records_text(records, as_json), nl=False)
            print_load_problems(Console(stderr=True, soft_wrap=True), policies)  # each problem whole on its line
        else:
            print_policy_set(console, policies)
        if policies.errors:
            raise typer.Exit(1)

    @policy_app.command("test")
    def test_policies() -> None:
        """Run every policy's YAML test cases (policies/tests/); exit 1 if any fails or a file is left out."""
        from domain.policies.policy_tests import case_files, run_case_file  # lazy

        rt = runtime()
        policies = folder_policies(rt)
        print_load_problems(console, policies)
        results = [
            r for path in case_files(rt.settings.policies.folder) for r in run_case_file(path, policies.policies)
        ]
        untested = sorted(set(policies.policies) - {r.policy_id for r in results})
        print_results(console, results)
        for policy_id in untested:
            console.print(f"[red]no test cases:[/red] {policy_id} (add policies/tests/{policy_id}.yaml)")
        if policies.errors or untested or not all(r.passed for r in results):
            raise typer.Exit(1)


def _register_store_commands(policy_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @policy_app.command("preview")
    def preview(
        draft: Annotated[Path, typer.Argument(help="A draft or changed policy file, outside the policy folder.")],
        as_of: AsOf = None,
    ) -> None:
        """Who would newly qualify or drop out, and the cost, if the draft were published (nothing is stored)."""
        from domain.policies.loading import load_policy  # lazy
        from ground.yaml_files import YamlFileError  # lazy

        rt = runtime()
        folder = rt.settings.policies.folder
        if draft.resolve().parent == folder.resolve():
            raise fail(f"{draft} is already in the policy folder: preview a copy before it is put there")
        try:
            drafted = load_policy(draft)
        except YamlFileError as exc:
            raise fail(str(exc)) from exc
        day = date.fromisoformat(as_of) if as_of else rt.today()
        print_changes(console, *preview_changes(rt, drafted, day), draft)

    @policy_app.command("match")
    def match_now(as_of: AsOf = None) -> None:
        """Match the registry against the policies now and create the subsidy cases (the service does it daily)."""
        from agent.jobs import match_round  # lazy

        rt = runtime()
        day = date.fromisoformat(as_of) if as_of else None
        run, report = match_round(rt, day)
        titles = {p.id: p.title for p in folder_policies(rt).policies.values()}
        print_match_report(console, report, titles)
        for warning in run.warnings:
            console.print(f"[yellow]warning:[/yellow] {escape(warning)}")

    @policy_app.command("explain")
    def explain_one(
        subject_key: Annotated[str, typer.Argument(help="The subject's 统一社会信用代码 (or registry key).")],
        policy_id: Annotated[str, typer.Argument(help="The policy id.")],
        as_of: AsOf = None,
    ) -> None:
        """Every condition of the policy for one subject: its value, what is required, and the reference."""
        rt = runtime()
        day = date.fromisoformat(as_of) if as_of else rt.today()
        try:
            print_trace(console, explain(rt, subject_key, policy_id, day))
        except Unanswerable as exc:
            raise fail(str(exc)) from exc


class Unanswerable(LookupError):
    """A question about a policy that has no answer here: an unknown policy or subject, or a skipped policy."""


def explain(rt: Runtime, subject_key: str, policy_id: str, day: date) -> dict[str, Any]:
    """The policy's trace for one subject on a day (JSON: domain.policies.trace)."""
    import numpy as np  # lazy

    from domain.policies.match import match  # lazy
    from domain.policies.run import read_population, read_standing  # lazy

    policies = folder_policies(rt)
    if policy_id not in policies.policies:
        raise Unanswerable(f"no policy {policy_id!r} in {rt.settings.policies.folder}")
    with rt.engine.connect() as connection:
        population = read_population(connection)
        history = read_standing(connection)[["subject_key", "policy_id", "period", "paid"]]
    rows = np.flatnonzero(population.keys == subject_key)
    if not len(rows):
        raise Unanswerable(f"no subject {subject_key!r} in the registry")
    matches = match(policies.policies.values(), population, day, history)
    if policy_id in matches.skipped:
        raise Unanswerable(f"{policy_id}: {matches.skipped[policy_id]}")
    trace: dict[str, Any] = matches.traces(policy_id, rows)[0]
    return trace


def preview_changes(rt: Runtime, draft: Policy, day: date) -> tuple[Changes, Matches, dict[str, str]]:
    """What publishing the draft would change (nothing is stored): the changes, the draft's matches, the names of
    the subjects concerned."""
    from domain.policies.match import match  # lazy
    from domain.policies.preview import compare  # lazy
    from domain.policies.run import read_population, read_standing  # lazy
    from domain.registries.reads import subject_names  # lazy

    published = folder_policies(rt)
    drafted = {**published.policies, draft.id: draft}
    with rt.engine.connect() as connection:
        population = read_population(connection)
        history = read_standing(connection)[["subject_key", "policy_id", "period", "paid"]]
        before = match(published.policies.values(), population, day, history)
        after = match(drafted.values(), population, day, history)
        changes = compare(before, after)
        names = subject_names(connection, population.keys[changes.rows["row"].to_numpy()].tolist())
    return changes, after, names


def print_changes(console: Console, changes: Changes, draft: Matches, names: dict[str, str], path: Path) -> None:
    totals = Table(title=f"if {path.name} were published (as of {draft.as_of})")
    for name in ("policy", "granted now", "yuan now", "granted after", "yuan after", "cost change"):
        totals.add_column(name, justify="left" if name == "policy" else "right")
    for policy_id, row in changes.totals.iterrows():
        delta = row["amount_yuan_after"] - row["amount_yuan_before"]
        if delta == 0 and row["matches_before"] == row["matches_after"]:
            continue
        totals.add_row(
            str(policy_id),
            f"{row['matches_before']:,}",
            yuan(row["amount_yuan_before"]),
            f"{row['matches_after']:,}",
            yuan(row["amount_yuan_after"]),
            f"{delta:+,}",
        )
    console.print(totals)
    keys = draft.population.keys
    for change, title in (("new", "newly qualify"), ("dropped", "drop out"), ("amount", "amount changes")):
        rows = changes.of(change)
        table = Table(title=f"{len(rows):,} {title}" + (f" (first {SHOWN})" if len(rows) > SHOWN else ""))
        for name in ("subject", "name", "policy", "period", "before", "after", "why"):
            table.add_column(name)
        for one in rows.head(SHOWN).to_dict("records"):
            key = str(keys[one["row"]])
            cells = (one["policy_id"], one["period"], yuan(one["before"]), yuan(one["after"]))
            table.add_row(key, names.get(key, ""), *cells, escape(one["reason"]))
        console.print(table)
    changed = sorted(set(changes.rows["policy_id"]) & set(draft.outcomes))
    placeholders = [p for p in changed if draft.outcomes[p].policy.placeholder_references]
    if placeholders:
        console.print(f"[yellow]warning:[/yellow] {', '.join(placeholders)} {escape(PREVIEW_ONLY)}")


def print_trace(console: Console, trace: dict[str, Any]) -> None:  # Any: the trace is JSON (domain.policies.trace)
    from domain.policies.trace import describe_amount, failures  # lazy

    policy = trace["policy"]
    verdict = f"[green]符合，{yuan(trace['amount_yuan'])}元[/green]" if trace["eligible"] else "[red]不符合[/red]"
    console.print(f"{policy['title']}（{policy['id']}，版本 {policy['version']}）{trace['period']} — {verdict}")
    dates = f"匹配日 {trace['as_of']}；参数取 {trace['parameters_on']} 有效值"
    console.print(f"依据：{escape(policy['reference'])}；{dates}")
    table = Table("", "条件", "实际", "参数 / 依据")
    for check in trace["conditions"]:
        source = f"{check['parameter']}（{check['in_force_from']}起）{check['reference']}" if check["parameter"] else ""
        table.add_row("✓" if check["passed"] else "✗", check["condition"], check["value_text"], escape(source))
    console.print(table)
    amount = describe_amount(trace["amount"], policy["reference"])
    console.print(f"金额：{escape(amount)}；核定金额{trace['amount']['amount_yuan']}元")
    if not trace["eligible"]:
        console.print("原因：" + escape("；".join(failures(trace))))
    if policy["placeholder_references"]:
        console.print(f"[yellow]warning:[/yellow] {policy['id']} {escape(PREVIEW_ONLY)}")
