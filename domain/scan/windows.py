"""Renewal windows and which licences are due a case — pure functions over whole frames, no loop per licence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from domain.licence_types import LicenceType, RenewalWindow, WindowUnit
from ground.calendar import WorkingDayCalendar

RENEWABLE_LICENCE_STATUSES = ("valid", "expired")
CLOSED_SUBJECT_STATUSES = ("deregistered", "revoked")


def add_windows(
    licences: pd.DataFrame, types: Mapping[str, LicenceType], calendar: WorkingDayCalendar, as_of: date
) -> pd.DataFrame:
    """The licences with `window_opens_on`, `window_closes_on`, `window_reference` and `calendar_assumed`.

    Each type uses the window in force on `as_of`. A licence of a type not configured gets no window.
    """
    out = licences.copy()
    out["window_opens_on"] = pd.NaT
    out["window_closes_on"] = pd.NaT
    out["window_reference"] = None
    out["calendar_assumed"] = False
    for code, licence_type in types.items():
        of_type = (out["licence_type"] == code).to_numpy()
        if not of_type.any():
            continue
        window = licence_type.window_on(as_of)
        expiry = out.loc[of_type, "expires_on"].to_numpy(dtype="datetime64[D]")
        opens, opens_assumed = _before(expiry, window.opens, window, calendar)
        closes, closes_assumed = _before(expiry, window.closes, window, calendar)
        out.loc[of_type, "window_opens_on"] = opens.astype("datetime64[ns]")
        out.loc[of_type, "window_closes_on"] = closes.astype("datetime64[ns]")
        out.loc[of_type, "window_reference"] = window.reference
        out.loc[of_type, "calendar_assumed"] = opens_assumed | closes_assumed
    return out


def _before(
    expiry: np.ndarray, amount: int, window: RenewalWindow, calendar: WorkingDayCalendar
) -> tuple[np.ndarray, np.ndarray]:
    no_assumption = np.zeros(len(expiry), dtype=bool)
    if window.unit is WindowUnit.WORKING_DAYS:
        result = calendar.working_days_before(expiry, amount)
        return result.dates, result.assumed
    if window.unit is WindowUnit.CALENDAR_DAYS:
        return expiry - np.timedelta64(amount, "D"), no_assumption
    shifted = pd.DatetimeIndex(expiry) - pd.DateOffset(months=amount)
    return shifted.to_numpy(dtype="datetime64[D]"), no_assumption


def due_for_case(licences: pd.DataFrame, horizon: date, as_of: date, lapsed_grace_days: int) -> pd.Series:
    """True for the licences that should have a renewal case now.

    A case opens `horizon` ahead of the window (so it is prepared before the window opens) and stays wanted until
    the licence has been lapsed for longer than the grace period. Cancelled or revoked licences, and licences of
    deregistered or revoked subjects, get none.
    """
    renewable = licences["status"].isin(RENEWABLE_LICENCE_STATUSES)
    subject_open = ~licences["subject_status"].isin(CLOSED_SUBJECT_STATUSES)
    started = licences["window_opens_on"] <= pd.Timestamp(horizon)
    not_long_lapsed = licences["expires_on"] >= pd.Timestamp(as_of - timedelta(days=lapsed_grace_days))
    return renewable & subject_open & started & not_long_lapsed


def natural_keys(licences: pd.DataFrame) -> pd.Series:
    """One renewal case per licence and expiry date: a renewed licence (new expiry) is a new case."""
    keys: pd.Series = "renewal:" + licences["licence_no"] + ":" + licences["expires_on"].dt.strftime("%Y-%m-%d")
    return keys


def withdrawal_reason(licence_status: str | None, subject_status: str | None, expired_on: str | None) -> str:
    """Why an open case for this licence is no longer wanted."""
    if licence_status is None:
        return "licence no longer in the registry"
    if licence_status not in RENEWABLE_LICENCE_STATUSES:
        return f"licence status is now {licence_status}"
    if subject_status in CLOSED_SUBJECT_STATUSES:
        return f"subject is {subject_status}"
    return f"licence now expires on {expired_on}: renewed outside this case"
