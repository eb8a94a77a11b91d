"""The dashboard: the bureau's figures for a period and a township, with each figure's weekly trend. The same
figures and definitions as `proactive kpi` (domain/kpi): one place says what a number means."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from agent.cli_kpi import cell, moments, promises
from agent.console.charts import trend_svg
from agent.console.web import Staff, desk, page
from domain.kpi.figures import COUNTY, FIGURES, SHARES, Moments, Period, figures, weekly

router = APIRouter()
TRENDS = ("lapsed", "filing_to_decision_wd", "within_promise", "completion_rate", "satisfaction_rate", "chases")


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, session: Staff, start: str = "", end: str = "", township: str = "") -> HTMLResponse:
    rt = desk(request).rt
    period = _period(rt.today(), start, end)
    townships = sorted({t for officer in rt.roster.officers for t in officer.townships})
    read = moments(rt)
    if township:
        read = Moments(*(_township(frame, township) for frame in read))
    row = figures(read, period, rt.calendar, promises(rt)).loc[COUNTY]
    weeks = weekly(read, period, rt.calendar, promises(rt))
    return page(
        request,
        "dashboard.html.j2",
        session,
        period=period,
        township=township,
        townships=townships,
        figures=[(figure, cell(key, row[key]), figure.meaning) for key, figure in FIGURES.items()],
        charts=[(FIGURES[key].label, _chart(key, weeks)) for key in TRENDS],
    )


def _period(today: date, start: str, end: str) -> Period:
    """The period asked for; what cannot be read falls back to the last 30 days, never to an error page."""
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=29)
    except ValueError:
        last, first = today, today - timedelta(days=29)
    return Period(min(first, last), max(first, last))


def _township(frame: pd.DataFrame, township: str) -> pd.DataFrame:
    return frame[frame["township"] == township] if "township" in frame else frame.iloc[0:0]


def _chart(key: str, weeks: pd.DataFrame) -> str:
    values = [None if pd.isna(v) else float(v) for v in weeks[key]]
    return trend_svg(FIGURES[key].label, list(weeks.index), values, key in SHARES)
