"""Staff accounts, sign-in and sessions. Passwords are hashed with argon2id (argon2-cffi); a run of failed sign-ins
locks the account for a while; a session ends after a spell of inactivity or a working day, whichever comes first.
The cookie holds a random token and the store its SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import Connection, RowMapping, select, update

from domain.access.audit import record
from domain.access.roles import Role
from ground.store.reads import stored_moment
from ground.store.tables import staff_accounts, staff_sessions

HASHER = PasswordHasher()  # the library's defaults: argon2id, RFC 9106's low-memory profile
MIN_PASSWORD = 10
# Verified when the name is unknown, so a wrong name takes as long as a wrong password and names cannot be probed.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Rules:
    idle: timedelta = timedelta(minutes=30)
    longest: timedelta = timedelta(hours=12)
    lockout_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    officer_id: str | None


@dataclass(frozen=True)
class Session:
    token: str  # for the cookie only: never stored
    csrf_token: str
    account: Account


class AccountRefused(ValueError):
    """An account that cannot be created as asked (a taken name, a short password, an officer with no id)."""


@dataclass(frozen=True)
class Refused:
    """Wrong name or password, a locked or disabled account: the page says only that sign-in failed, or is locked.
    A value, not an exception: the failure count and the audit entry must be committed, not rolled back."""

    locked: bool


def create_account(
    connection: Connection,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    at: datetime,
    officer_id: str | None = None,
) -> int:
    _check_new(connection, username, role, password, officer_id)
    created = connection.execute(
        staff_accounts.insert()
        .returning(staff_accounts.c.id)
        .values(
            username=username,
            display_name=display_name,
            role=role.value,
            officer_id=officer_id,
            password_hash=HASHER.hash(password),
            failed_signins=0,
            disabled=False,
            created_at=at,
        )
    )
    record(connection, at, "(command line)", "account created", f"account:{username}", {"role": role.value})
    return int(created.scalar_one())


def account_exists(connection: Connection, username: str) -> bool:
    found = connection.execute(select(staff_accounts.c.id).where(staff_accounts.c.username == username)).first()
    return found is not None


def _check_new(connection: Connection, username: str, role: Role, password: str, officer_id: str | None) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountRefused(f"a password needs at least {MIN_PASSWORD} characters")
    if (role is Role.OFFICER) != (officer_id is not None):
        raise AccountRefused("an officer's account names their roster id (--officer), and only an officer's does")
    if account_exists(connection, username):
        raise AccountRefused(f"there is already an account {username!r}")


def sign_in(
    connection: Connection, username: str, password: str, rules: Rules, at: datetime, address: str
) -> Session | Refused:
    """A new session, or why not; every attempt is in the audit log."""
    row = connection.execute(select(staff_accounts).where(staff_accounts.c.username == username)).mappings().first()
    if row is None or row["disabled"]:
        _verify(_DUMMY_HASH, password)
        record(connection, at, username, "sign-in refused", detail={"why": "unknown or disabled"}, address=address)
        return Refused(locked=False)
    locked_until = row["locked_until"] and stored_moment(row["locked_until"])
    if locked_until and locked_until > at:
        record(connection, at, username, "sign-in refused", detail={"why": "locked"}, address=address)
        return Refused(locked=True)
    if not _verify(row["password_hash"], password):
        return _failed(connection, row, rules, at, address)
    connection.execute(
        update(staff_accounts).where(staff_accounts.c.id == row["id"]).values(failed_signins=0, locked_until=None)
    )
    record(connection, at, username, "signed in", address=address)
    return _open_session(connection, _account(row), at)


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def _failed(connection: Connection, row: RowMapping, rules: Rules, at: datetime, address: str) -> Refused:
    failures = row["failed_signins"] + 1
    locks = failures >= rules.lockout_failures
    connection.execute(
        update(staff_accounts)
        .where(staff_accounts.c.id == row["id"])
        .values(failed_signins=0 if locks else failures, locked_until=at + rules.lockout if locks else None)
    )
    why = f"wrong password ({failures} in a row)" + (", account locked" if locks else "")
    record(connection, at, row["username"], "sign-in refused", detail={"why": why}, address=address)
    return Refused(locked=locks)


def _open_session(connection: Connection, account: Account, at: datetime) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    connection.execute(
        staff_sessions.insert().values(
            token_hash=_digest(token), account_id=account.id, csrf_token=csrf, created_at=at, last_seen_at=at
        )
    )
    return Session(token, csrf, account)


def session_of(connection: Connection, token: str, rules: Rules, at: datetime) -> Session | None:
    """The live session this cookie token opens, touched; None when unknown, ended, idle too long or too old."""
    query = (
        select(staff_sessions, staff_accounts)
        .join(staff_accounts, staff_accounts.c.id == staff_sessions.c.account_id)
        .where(staff_sessions.c.token_hash == _digest(token), staff_sessions.c.ended_at.is_(None))
    )
    row = connection.execute(query).mappings().first()
    if row is None or row["disabled"] or not _alive(row, rules, at):
        return None
    connection.execute(
        update(staff_sessions).where(staff_sessions.c.token_hash == _digest(token)).values(last_seen_at=at)
    )
    return Session(token, row["csrf_token"], _account(row, id_column="account_id"))


def _alive(row: RowMapping, rules: Rules, at: datetime) -> bool:
    return (
        stored_moment(row["last_seen_at"]) + rules.idle > at and stored_moment(row["created_at"]) + rules.longest > at
    )


def sign_out(connection: Connection, session: Session, at: datetime, address: str) -> None:
    connection.execute(
        update(staff_sessions).where(staff_sessions.c.token_hash == _digest(session.token)).values(ended_at=at)
    )
    record(connection, at, session.account.username, "signed out", address=address)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(row: RowMapping, id_column: str = "id") -> Account:
    return Account(row[id_column], row["username"], row["display_name"], Role(row["role"]), row["officer_id"])
