"""The follow-up of a poor rating (差评整改 and 回访): opened with its deadline when the rating comes, closed when staff
record the call-back. A deadline in working days is a promise to the holder, so it is fixed when it is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select, update

from ground.calendar import WorkingDayCalendar
from ground.cases.moves import note_case
from ground.store.tables import cases, rating_follow_ups, ratings, subjects

# The national rules (国办发〔2019〕51号): a poor rating is put right, and the holder called back, within 15
# working days.
WORKING_DAYS = 15


class FollowUpClosed(ValueError):
    """The follow-up is unknown, or its call-back is already recorded."""


@dataclass(frozen=True)
class Callback:
    note: str  # 回访情况: what the holder said when called back
    by: str  # the member of staff who called
    rectification: str | None = None  # 整改情况: what was put right


def deadline(calendar: WorkingDayCalendar, rated_on: date) -> date:
    """The 15th working day after the day of the rating (that day not counted), on the working-day calendar."""
    return calendar.working_day_after(rated_on, WORKING_DAYS)


def open_follow_up(
    connection: Connection, case_id: int, calendar: WorkingDayCalendar, rated_on: date, at: datetime
) -> date:
    """Open the follow-up of this case's poor rating, for the officer of the holder's township; its deadline."""
    rating = connection.execute(
        select(ratings.c.id, subjects.c.township)
        .select_from(ratings.join(cases, cases.c.id == ratings.c.case_id))
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .where(ratings.c.case_id == case_id)
    ).one()
    due_on = deadline(calendar, rated_on)
    connection.execute(
        rating_follow_ups.insert().values(
            rating_id=rating.id, case_id=case_id, township=rating.township, opened_at=at, due_on=due_on
        )
    )
    note_case(connection, case_id, f"poor rating: follow-up (整改, 回访) due {due_on}", "ratings", at)
    return due_on


def record_callback(connection: Connection, follow_up_id: int, callback: Callback, at: datetime) -> int:
    """Record the call-back (and what was put right), closing the follow-up once; the case it concerns."""
    closed = connection.execute(
        update(rating_follow_ups)
        .where(rating_follow_ups.c.id == follow_up_id, rating_follow_ups.c.called_back_at.is_(None))
        .values(
            called_back_at=at,
            called_back_by=callback.by,
            callback_note=callback.note,
            rectification=callback.rectification,
        )
        .returning(rating_follow_ups.c.case_id)
    ).first()
    if closed is None:
        raise FollowUpClosed(f"follow-up {follow_up_id} is unknown or its call-back is already recorded")
    note_case(connection, closed.case_id, f"回访 recorded by {callback.by}: {callback.note}", callback.by, at)
    return int(closed.case_id)
