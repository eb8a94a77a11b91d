"""The moments the figures are computed from, read from the store: when each renewal was filed, decided, lapsed
and renewed (from the ledger and the case), each subsidy's matching and payment, each rating with its follow-up,
and each chase (催办), with the holder's township."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Subquery, func, select

from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.store.tables import (
    case_transitions,
    cases,
    chases,
    e_licences,
    licences,
    rating_follow_ups,
    ratings,
    subjects,
)

MOMENTS = ("filed_on", "decided_on", "lapsed_on", "renewed_on")


def renewal_moments(connection: Connection, zone: ZoneInfo) -> pd.DataFrame:
    filed = _first_move(State.PREFILLED, "filed_at")
    lapsed = _first_move(State.LAPSED, "lapsed_at")
    issued = select(e_licences.c.case_id, e_licences.c.issued_at).subquery()
    query = (
        select(
            cases.c.id,
            cases.c.licence_type,
            subjects.c.township,
            (
                func.coalesce(func.nullif(licences.c.mobile, ""), func.nullif(subjects.c.mobile, "")).is_not(None)
                | func.coalesce(func.nullif(subjects.c.address, ""), func.nullif(licences.c.address, "")).is_not(None)
            ).label("reachable"),
            cases.c.window_opens_on,
            cases.c.window_closes_on,
            cases.c.created_at,
            filed.c.filed_at,
            cases.c.decided_at,
            lapsed.c.lapsed_at,
            issued.c.issued_at,
        )
        .select_from(cases)
        .outerjoin(licences, licences.c.licence_no == cases.c.licence_no)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .outerjoin(filed, filed.c.case_id == cases.c.id)
        .outerjoin(lapsed, lapsed.c.case_id == cases.c.id)
        .outerjoin(issued, issued.c.case_id == cases.c.id)
        .where(cases.c.kind == Kind.RENEWAL.value)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(query.selected_columns.keys()))
    frame["reachable"] = frame["reachable"].astype(bool)
    frame["window_opens_on"] = pd.to_datetime(frame["window_opens_on"])
    frame["window_closes_on"] = pd.to_datetime(frame["window_closes_on"])
    frame["found_on"] = _local_days(frame.pop("created_at"), zone)  # the day the scan opened the case
    for moment, column in zip(MOMENTS, ("filed_at", "decided_at", "lapsed_at", "issued_at"), strict=True):
        frame[moment] = _local_days(frame.pop(column), zone)
    return frame


def subsidy_moments(connection: Connection, zone: ZoneInfo) -> pd.DataFrame:
    query = (
        select(subjects.c.township, cases.c.created_at, cases.c.paid_at, cases.c.amount_yuan)
        .select_from(cases)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .where(cases.c.kind == Kind.SUBSIDY.value)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(query.selected_columns.keys()))
    frame["matched_on"] = _local_days(frame.pop("created_at"), zone)
    frame["paid_on"] = _local_days(frame.pop("paid_at"), zone)
    return frame


def rating_moments(connection: Connection, zone: ZoneInfo) -> pd.DataFrame:
    """Every rating given, with the township and licence type of its case and its follow-up's deadline and call-back
    (a rating that is not poor has neither)."""
    query = (
        select(
            subjects.c.township,
            cases.c.licence_type,
            ratings.c.grade,
            ratings.c.rated_at,
            rating_follow_ups.c.due_on,
            rating_follow_ups.c.called_back_at,
        )
        .select_from(ratings)
        .join(cases, cases.c.id == ratings.c.case_id)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .outerjoin(rating_follow_ups, rating_follow_ups.c.rating_id == ratings.c.id)
        .where(ratings.c.grade.is_not(None))
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(query.selected_columns.keys()))
    frame["rated_on"] = _local_days(frame.pop("rated_at"), zone)
    frame["called_back_on"] = _local_days(frame.pop("called_back_at"), zone)
    frame["due_on"] = pd.to_datetime(frame["due_on"])
    return frame


def chase_moments(connection: Connection, zone: ZoneInfo) -> pd.DataFrame:
    query = (
        select(cases.c.licence_type, subjects.c.township, chases.c.at, chases.c.level)
        .select_from(chases)
        .join(cases, cases.c.id == chases.c.case_id)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(query.selected_columns.keys()))
    frame["chased_on"] = _local_days(frame.pop("at"), zone)
    return frame


def _first_move(state: State, name: str) -> Subquery:
    return (
        select(case_transitions.c.case_id, func.min(case_transitions.c.at).label(name))
        .where(case_transitions.c.new_state == state.value)
        .group_by(case_transitions.c.case_id)
        .subquery()
    )


def _local_days(moments: pd.Series, zone: ZoneInfo) -> pd.Series:
    """Stored moments (UTC; SQLite keeps no offset) as the day in the bureau's zone, at midnight."""
    stamps = pd.to_datetime(moments, utc=True)
    return stamps.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
