"""Submitted applications: numbering, the duplicate-reference guard, search, the approver's queue and decisions."""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.platform.db import Application, User
from sandbox.platform.fields import MATTERS, Data
from sandbox.platform.layouts import NOT_FOUND_MESSAGE, STATUS_APPROVED, STATUS_PENDING, STATUS_RETURNED
from sandbox.platform.pages import PageError
from sandbox.platform.workdays import add_workdays

PROMISED_WORKDAYS = 1
_SUBMIT_LOCK = threading.Lock()  # numbering reads the day's last number; one submission at a time


class DuplicateReference(Exception):
    def __init__(self, application_no: str) -> None:
        super().__init__(application_no)
        self.application_no = application_no


class AlreadyDecided(Exception):
    pass


def by_reference(db: Session, user: User, reference: str) -> Application | None:
    return db.scalar(select(Application).where(Application.user_id == user.id, Application.reference == reference))


def next_application_no(db: Session, day: date) -> str:
    prefix = f"SQ{day:%Y%m%d}"
    last = db.scalar(select(func.max(Application.application_no)).where(Application.application_no.like(f"{prefix}%")))
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def submit(db: Session, user: User, matter: str, data: Data, now: datetime) -> Application:
    """Record the application, or raise DuplicateReference naming the one already submitted."""
    with _SUBMIT_LOCK:
        existing = by_reference(db, user, str(data["reference"]))
        if existing:
            raise DuplicateReference(existing.application_no)
        application = _new_application(db, user, matter, data, now)
        db.add(application)
        try:
            db.commit()
        except IntegrityError:  # another process won the race for this reference
            db.rollback()
            winner = by_reference(db, user, str(data["reference"]))
            if winner is None:
                raise
            raise DuplicateReference(winner.application_no) from None
    return application


def _new_application(db: Session, user: User, matter: str, data: Data, now: datetime) -> Application:
    spec = MATTERS[matter]
    return Application(
        application_no=next_application_no(db, now.date()),
        user_id=user.id,
        matter=matter,
        reference=str(data["reference"]),
        licence_no=str(data[spec.licence_field]) if spec.licence_field else None,
        subject_name=str(data[spec.subject_field]),
        data=dict(data),
        status=STATUS_PENDING,
        submitted_at=now,
        promised_by=add_workdays(now.date(), PROMISED_WORKDAYS),
    )


def search(db: Session, user: User, query: str) -> list[Application]:
    """The applicant's applications whose licence number or reference is exactly `query` (all when empty)."""
    return list(db.scalars(_search(user, query)))


def search_page(db: Session, user: User, query: str, page: int, size: int) -> tuple[int, list[Application]]:
    """One page (1-based, `size` rows) of `search`, and how many rows all pages hold."""
    statement = _search(user, query)
    total = db.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    return total, list(db.scalars(statement.offset((page - 1) * size).limit(size)))


def _search(user: User, query: str) -> Select[tuple[Application]]:
    statement = select(Application).where(Application.user_id == user.id)
    if query:
        statement = statement.where(or_(Application.licence_no == query, Application.reference == query))
    return statement.order_by(Application.submitted_at.desc(), Application.id.desc())


def own_application(db: Session, user: User, application_no: str) -> Application:
    application = by_number(db, application_no)
    if application.user_id != user.id:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return application


def by_number(db: Session, application_no: str) -> Application:
    application = db.scalar(select(Application).where(Application.application_no == application_no))
    if application is None:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return application


def pending(db: Session) -> list[Application]:
    statement = select(Application).where(Application.status == STATUS_PENDING)
    return list(db.scalars(statement.order_by(Application.submitted_at, Application.id)))


def decide(db: Session, application: Application, approver: User, reason: str | None, now: datetime) -> None:
    """Approve (no reason) or return (with a reason) a pending application; only one decision ever counts."""
    claimed = db.execute(  # a compare-and-set: exactly one row changes, or the application was decided
        update(Application)
        .where(Application.id == application.id, Application.status == STATUS_PENDING)
        .values(
            status=STATUS_RETURNED if reason else STATUS_APPROVED,
            return_reason=reason or None,
            decided_by=approver.username,
            decided_at=now,
        )
    )
    db.commit()
    if cast(CursorResult[Any], claimed).rowcount != 1:
        raise AlreadyDecided(application.application_no)
