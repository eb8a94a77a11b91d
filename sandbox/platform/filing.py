"""What every build's wizard does with a draft, whatever its pages look like: check a step (its fields, the rules
that end on it, the duplicate-reference guard) and submit (every step checked again, then the application)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sandbox.platform import applications, drafts
from sandbox.platform.db import Application, Draft, User
from sandbox.platform.fields import Data
from sandbox.platform.layouts import NOT_FOUND_MESSAGE, Layout, MatterPages
from sandbox.platform.pages import PageError
from sandbox.platform.wizard import first_unfinished, problems_of_step


class Unfinished(Exception):
    """A step before the submission still has problems."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def pages_of(layout: Layout, matter: str) -> MatterPages:
    pages = layout.matters.get(matter)
    if pages is None:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return pages


def duplicate_problems(db: Session, user: User, layout: Layout, fields: tuple[str, ...], data: Data) -> list[str]:
    """The reference must not belong to an application this applicant already submitted."""
    if "reference" not in fields or not data.get("reference"):
        return []
    existing = applications.by_reference(db, user, str(data["reference"]))
    return [layout.duplicate_reference.format(no=existing.application_no)] if existing else []


def step_errors(db: Session, user: User, layout: Layout, pages: MatterPages, number: int, data: Data) -> list[str]:
    fields = pages.steps[number - 1].fields
    return problems_of_step(pages, number, data) + duplicate_problems(db, user, layout, fields, data)


def submit_draft(db: Session, user: User, pages: MatterPages, draft: Draft, now: datetime) -> Application:
    """Raises Unfinished (with the first step that has problems) or applications.DuplicateReference (also for a
    draft submitted before, whatever its reference has become since)."""
    if draft.application_no:
        raise applications.DuplicateReference(draft.application_no)
    unfinished = first_unfinished(pages, draft.data)
    if unfinished is not None:
        raise Unfinished(unfinished)
    application = applications.submit(db, user, draft.matter, draft.data, now)
    drafts.mark_submitted(db, draft, application.application_no)
    return application
