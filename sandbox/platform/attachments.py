"""Attachments (申请材料): a PDF checked by its content, not its name, stored, then bound to a draft's field. The
page builds post the file with its step; the Element build sends it on its own at once and the step names the
stored file by its id. The field's value in the draft is the stored file's name: a required attachment that was
never stored leaves it empty, and the step (and the submission) is refused with 请上传….
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from sandbox.platform import drafts
from sandbox.platform.db import Attachment, Draft, User
from sandbox.platform.fields import FormLike, Kind, Matter

PDF_MAGIC = b"%PDF-"
MAX_BYTES = 5 * 1024 * 1024
LIMIT_TEXT = "5MB"
NAME_LENGTH = 120


def problem(content: bytes) -> str | None:
    """What is wrong with an uploaded file, in words the applicant can act on; None when it is accepted."""
    if not content:
        return "文件为空，请重新选择"
    if len(content) > MAX_BYTES:
        return f"文件大小不能超过{LIMIT_TEXT}"
    if not content.startswith(PDF_MAGIC):
        return "只能上传PDF格式文件"
    return None


def store(db: Session, user: User, name: str, content: bytes, now: datetime) -> Attachment:
    """Keep an accepted file, not yet bound to any draft."""
    attachment = Attachment(user_id=user.id, name=_clean(name), content=content, uploaded_at=now)
    db.add(attachment)
    db.commit()
    return attachment


def _clean(name: str) -> str:
    """The file's own name, without any folder a browser sent, cut to what the table holds."""
    return PurePath(name.replace("\\", "/")).name[-NAME_LENGTH:] or "附件.pdf"


def bind(db: Session, user: User, draft: Draft, field: str, attachment_id: int, now: datetime) -> bool:
    """Make the user's stored file the draft's `field` (a file stored for it before is dropped); False when the id
    names no file of this user that is free or already this field's."""
    attachment = db.get(Attachment, attachment_id)
    if attachment is None or attachment.user_id != user.id or attachment.draft_id not in (None, draft.id):
        return False
    for earlier in db.scalars(
        select(Attachment).where(
            Attachment.draft_id == draft.id, Attachment.field == field, Attachment.id != attachment.id
        )
    ):
        db.delete(earlier)
    attachment.draft_id, attachment.field = draft.id, field
    drafts.save_values(db, draft, {field: attachment.name}, now)  # commits both
    return True


def attach_posted(
    db: Session,
    user: User,
    draft: Draft,
    matter: Matter,
    fields: tuple[str, ...],
    form: FormLike,
    labels: dict[str, str],
    now: datetime,
) -> list[str]:
    """The page builds: each file posted with the step's form, checked, stored and bound; the problems found. A
    step posted without a file keeps the one stored before."""
    problems = []
    for name in fields:
        posted = form.get(name)
        if matter.field(name).kind is not Kind.FILE or not isinstance(posted, UploadFile) or not posted.filename:
            continue
        content = posted.file.read(MAX_BYTES + 1)
        refused = problem(content)
        if refused:
            problems.append(f"{labels[name]}：{refused}")
        else:
            bind(db, user, draft, name, store(db, user, posted.filename, content, now).id, now)
    return problems


def bind_sent(
    db: Session,
    user: User,
    draft: Draft,
    matter: Matter,
    fields: tuple[str, ...],
    sent: dict[str, object],
    now: datetime,
) -> None:
    """The Element build: each of the step's attachments named by the id its upload answered. No id, or one that
    names no file of the user's, empties the field (the file was taken off the list), and the step is refused with
    请上传…."""
    for name in fields:
        if matter.field(name).kind is not Kind.FILE:
            continue
        file_id = str(sent.get(name) or "")
        if not (file_id.isdigit() and bind(db, user, draft, name, int(file_id), now)):
            drafts.save_values(db, draft, {name: ""}, now)


def of_application(db: Session, application_no: str) -> list[Attachment]:
    """The files of a submitted application (those of the draft it was submitted from)."""
    statement = (
        select(Attachment)
        .join(Draft, Draft.id == Attachment.draft_id)
        .where(Draft.application_no == application_no)
        .order_by(Attachment.id)
    )
    return list(db.scalars(statement))
