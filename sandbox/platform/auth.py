"""Web sessions: login, age limit, forced expiry (a fault), and the CSRF token every POST must carry."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.platform.db import APPLICANT, APPROVER, User, WebSession, password_matches
from sandbox.platform.layouts import FORBIDDEN_MESSAGE
from sandbox.platform.pages import LoginRequired, PageError
from sandbox.platform.state import DbDep, PlatformState, StateDep

COOKIE = "platform_sid"


@dataclass(frozen=True)
class Area:
    role: str
    login_path: str
    home: str
    next_param: str = "next"  # the login URL's parameter naming where to go after

    def login_url(self, next_path: str) -> str:
        return f"{self.login_path}?{self.next_param}={quote(next_path, safe='/')}"


APPLICANT_AREA = Area(APPLICANT, "/login", "/applicant")
APPROVER_AREA = Area(APPROVER, "/approver/login", "/approver")
ELEMENT_AREA = Area(APPLICANT, "/uc/login", "/web/affairs", next_param="redirect")  # the Element build's applicant


@dataclass(frozen=True)
class Visit:
    """A request made inside a live, logged-in session."""

    user: User
    session: WebSession

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token


def is_expired(row: WebSession, state: PlatformState) -> bool:
    return row.expired or (state.now() - row.created_at).total_seconds() > state.faults.session_ttl


def session_of(request: Request, db: Session) -> WebSession | None:
    token = request.cookies.get(COOKIE)
    return db.get(WebSession, token) if token else None


def new_session(db: Session, state: PlatformState, user: User | None) -> WebSession:
    row = WebSession(
        token=secrets.token_urlsafe(32),
        user_id=user.id if user else None,
        csrf_token=secrets.token_urlsafe(32),
        created_at=state.now(),
    )
    db.add(row)
    db.commit()
    return row


def set_cookie(response: Response, row: WebSession) -> None:
    response.set_cookie(COOKIE, row.token, httponly=True, samesite="lax", path="/")


def login_session(request: Request, db: Session, state: PlatformState, form: Mapping[str, Any]) -> WebSession:
    """The live anonymous session the login form was served with; anything else is a stale form (403)."""
    row = session_of(request, db)
    usable = row is not None and row.user_id is None and not is_expired(row, state)
    return check_csrf(row if usable else None, form)


def open_session(db: Session, state: PlatformState, anonymous: WebSession, user: User, response: Response) -> None:
    """Log in with a new session: a session id seen before login is never a logged-in one."""
    db.delete(anonymous)
    set_cookie(response, new_session(db, state, user))


def close_session(request: Request, db: Session, form: Mapping[str, Any], response: Response) -> None:
    """Log out: the session whose token the form carries ends, and the browser forgets it."""
    row = check_csrf(session_of(request, db), form)
    db.delete(row)
    db.commit()
    response.delete_cookie(COOKIE, path="/")


def authenticate(db: Session, area: Area, username: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.username == username, User.role == area.role))
    return user if user and password_matches(user.password_hash, password) else None


def had_expired_login(request: Request, db: Session, state: PlatformState) -> bool:
    """True when the browser comes with a logged-in session that has expired (the login page says so)."""
    row = session_of(request, db)
    return bool(row and row.user_id is not None and is_expired(row, state))


def check_csrf(row: WebSession | None, form: Mapping[str, Any]) -> WebSession:
    """The session whose token the form (or a script's request, as `csrf_token`) carries; a missing session or
    another token is a stale form (403)."""
    sent = str(form.get("csrf_token") or "")
    if row is None or not hmac.compare_digest(sent.encode(), row.csrf_token.encode()):
        raise PageError(403, FORBIDDEN_MESSAGE)
    return row


def _visit(area: Area, request: Request, state: PlatformState, db: Session) -> Visit:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    row = session_of(request, db)
    user = db.get(User, row.user_id) if row and row.user_id is not None else None
    if row is None or user is None or user.role != area.role:
        raise LoginRequired(area.login_url(path))
    row.requests += 1
    every = state.faults.expire_every
    row.expired = is_expired(row, state) or bool(every and row.requests % every == 0)
    db.commit()
    if row.expired:
        raise LoginRequired(area.login_url(path))
    return Visit(user, row)


def applicant_visit(request: Request, state: StateDep, db: DbDep) -> Visit:
    return _visit(APPLICANT_AREA, request, state, db)


def approver_visit(request: Request, state: StateDep, db: DbDep) -> Visit:
    return _visit(APPROVER_AREA, request, state, db)


def element_visit(request: Request, state: StateDep, db: DbDep) -> Visit:
    return _visit(ELEMENT_AREA, request, state, db)


ApplicantDep = Annotated[Visit, Depends(applicant_visit)]
ApproverDep = Annotated[Visit, Depends(approver_visit)]
ElementVisitDep = Annotated[Visit, Depends(element_visit)]
