"""A site profile that does not fit its platform, kept until a person acts: while it is kept, no bot round goes to
the platform (not even to log in: on a real platform, logins that keep failing lock the account). The operator sees
the step, the selector and the screenshot (`proactive bots misfit`), fixes the profile (`proactive bots probe` shows
every step), and clears it (`proactive bots clear-misfit`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bots.errors import Misfit
from bots.evidence import private_folder, write_private
from bots.report import BotReport
from bots.session import Platform


def keep(platform: Platform, misfit: Misfit, bot: str, case_id: int | None, at: datetime) -> dict[str, Any]:
    """Record the misfit (the first one stays: it is what stopped the bots); what is kept."""
    kept = current(platform)
    if kept is not None:
        return kept
    record = {
        "profile": platform.profile.name,
        "base_url": platform.base_url,
        "bot": bot,
        "case_id": case_id,
        "at": at.isoformat(),
        "step": misfit.step,
        "selector": misfit.selector,
        "error": str(misfit),
        "evidence": misfit.evidence,
    }
    private_folder(platform.misfit_file.parent)
    write_private(platform.misfit_file, json.dumps(record, ensure_ascii=False, indent=2).encode())
    return record


def current(platform: Platform) -> dict[str, Any] | None:
    """The kept misfit of this platform's profile, if any."""
    try:
        record: dict[str, Any] = json.loads(platform.misfit_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return record


def clear(platform: Platform) -> dict[str, Any] | None:
    """A person has fixed the profile (or the platform came back as it was): the bots may go on. What was kept."""
    kept = current(platform)
    platform.misfit_file.unlink(missing_ok=True)
    return kept


def held_back(platform: Platform, report: BotReport) -> bool:
    """Whether a kept misfit of the profile keeps the bots off the platform (said in the report)."""
    kept = current(platform)
    if kept is not None:
        report.stopped_early = report.misfit = True
        report.warnings.append(why(kept))
    return kept is not None


def why(kept: dict[str, Any]) -> str:
    return (
        f"the profile {kept['profile']} did not fit the platform at {kept['step']} ({kept['selector']}) on "
        f"{kept['at']}: nothing goes to the platform until a person fixes it and runs `proactive bots clear-misfit`"
    )
