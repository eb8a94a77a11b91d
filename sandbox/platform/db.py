"""The platform's own SQLite database (not the agent's store): accounts, web sessions, drafts, applications."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from sandbox.sqlite_engine import open_sessions

APPLICANT, APPROVER = "applicant", "approver"
_HASH_ITERATIONS = 20_000


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(String(16))


class WebSession(Base):
    """A browser's session; `user_id` is None before login (the login form's CSRF token lives here)."""

    __tablename__ = "web_sessions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    requests: Mapped[int] = mapped_column(default=0)
    expired: Mapped[bool] = mapped_column(default=False)


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    matter: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    application_no: Mapped[str | None] = mapped_column(String(32))


class Attachment(Base):
    """An uploaded file that passed the checks; bound to a draft's field once the step holding it is saved (an
    upload sent on its own, as a script sends it, waits unbound until then)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), index=True)
    field: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]


class Application(Base):
    __tablename__ = "applications"
    # One applicant can never hold two applications with the same reference: a bot's retry cannot duplicate.
    __table_args__ = (UniqueConstraint("user_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_no: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    matter: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64))
    licence_no: Mapped[str | None] = mapped_column(String(32), index=True)
    subject_name: Mapped[str]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime]
    promised_by: Mapped[date]
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    return_reason: Mapped[str | None]


def hash_password(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _HASH_ITERATIONS).hex()
    return f"pbkdf2${salt}${digest}"


def password_matches(stored: str, password: str) -> bool:
    _, salt, _ = stored.split("$")
    return hmac.compare_digest(stored, hash_password(password, salt))


def open_database(path: Path) -> sessionmaker[Session]:
    """Create (or open) the SQLite file and its tables; sessions never expire objects on commit."""
    return open_sessions(path, Base.metadata)


def seed_user(db: Session, username: str, password: str, role: str) -> None:
    """Create the account, or reset its password and role to the settings' values."""
    user = db.scalar(select(User).where(User.username == username))
    if user is None:
        db.add(User(username=username, password_hash=hash_password(password), role=role))
    elif user.role != role or not password_matches(user.password_hash, password):
        user.password_hash, user.role = hash_password(password), role
    db.commit()
