"""Wizard drafts, kept on the server per applicant, so that a new login continues where the last one stopped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sandbox.platform.db import Draft, User
from sandbox.platform.fields import Data
from sandbox.platform.layouts import NOT_FOUND_MESSAGE
from sandbox.platform.pages import PageError


def create_draft(db: Session, user: User, matter: str, data: Data, now: datetime) -> Draft:
    draft = Draft(user_id=user.id, matter=matter, data=dict(data), created_at=now, updated_at=now)
    db.add(draft)
    db.commit()
    return draft


def own_draft(db: Session, user: User, draft_id: int) -> Draft:
    draft = db.get(Draft, draft_id)
    if draft is None or draft.user_id != user.id:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return draft


def save_values(db: Session, draft: Draft, values: Data, now: datetime) -> None:
    draft.data = {**draft.data, **values}  # a new dict, so SQLAlchemy sees the change
    draft.updated_at = now
    db.commit()


def mark_submitted(db: Session, draft: Draft, application_no: str) -> None:
    draft.application_no = application_no
    db.commit()
