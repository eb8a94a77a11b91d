"""The service page: each scheduled job's last run, outcome, warnings and next run (the health `proactive status`
prints), the model in use with its evaluation; and, for an administrator, the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agent.console import labels
from agent.console.run_words import run_words
from agent.console.web import Staff, desk, page, require
from agent.service import scheduled_jobs
from agent.status import read_records, service_health
from domain.access.audit import recent
from domain.access.roles import Permission
from models.artifacts import ModelArtifactError, load_current

router = APIRouter()


@router.get("/service", response_class=HTMLResponse)
def service(request: Request, session: Staff) -> Response:
    require(request, session, Permission.SEE_SERVICE)
    d = desk(request)
    rt = d.rt
    grace = timedelta(seconds=rt.settings.schedule.misfire_grace_seconds)
    with rt.engine.connect() as connection:
        records = read_records(connection)
    health = service_health(scheduled_jobs(rt), records, d.now(), grace)
    model = _model(rt.models_dir)
    return page(request, "service.html.j2", session, health=health, model=model, labels=labels, run_words=run_words)


def _model(folder: Any) -> dict[str, Any]:
    """The model in use, as the page shows it; why there is none where there is none."""
    try:
        model = load_current(folder)
    except ModelArtifactError as exc:
        return {"problem": str(exc)}
    if model is None:
        return {"problem": "尚未训练模型：案件暂不分流（proactive model train）"}
    test = model.metadata["evaluation"]["test"]
    return {
        "version": model.version,
        "roc_auc": test["model"]["roc_auc"],
        "rule_auc": test["rule_baseline"]["roc_auc"],
        "seamless": model.thresholds.seamless,
        "assisted": model.thresholds.assisted,
    }


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, session: Staff) -> Response:
    require(request, session, Permission.SEE_AUDIT)
    with desk(request).rt.engine.connect() as connection:
        entries = recent(connection, 500)
    return page(request, "audit.html.j2", session, entries=entries, labels=labels)
