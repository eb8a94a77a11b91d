"""Staff accounts on both databases: a password stored only as an argon2 hash, a run of wrong passwords locking the
account for a while, sessions ending after idleness or a working day, and every attempt in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from domain.access.accounts import AccountRefused, Refused, Rules, Session, create_account, session_of, sign_in
from domain.access.audit import recent
from domain.access.roles import Permission, Role, may, sees
from ground.store.tables import staff_accounts

AT = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
RULES = Rules(idle=timedelta(minutes=30), longest=timedelta(hours=12), lockout_failures=3)
PASSWORD = "correct horse battery"


@pytest.fixture
def account(store: Engine) -> Engine:
    with store.begin() as connection:
        create_account(connection, "wanglei", "王磊", Role.OFFICER, PASSWORD, AT, officer_id="bb01")
    return store


def _sign_in(store: Engine, password: str, at: datetime = AT) -> Session | Refused:
    with store.begin() as connection:
        return sign_in(connection, "wanglei", password, RULES, at, "10.0.0.7")


def test_the_password_is_kept_only_as_an_argon2_hash(account: Engine) -> None:
    with account.connect() as connection:
        stored = connection.execute(select(staff_accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert isinstance(_sign_in(account, PASSWORD), Session)


def test_wrong_passwords_lock_the_account_even_against_the_right_one_until_the_lock_ends(account: Engine) -> None:
    assert _sign_in(account, "wrong-1") == Refused(locked=False)
    assert _sign_in(account, "wrong-2") == Refused(locked=False)
    assert _sign_in(account, "wrong-3") == Refused(locked=True)
    assert _sign_in(account, PASSWORD, AT + timedelta(minutes=5)) == Refused(locked=True)
    assert isinstance(_sign_in(account, PASSWORD, AT + RULES.lockout + timedelta(seconds=1)), Session)
    with account.connect() as connection:
        whys = [entry.detail.get("why") for entry in recent(connection)]
    assert whys[:2] == [None, "locked"] and "wrong password (3 in a row), account locked" in whys


def test_an_unknown_name_is_refused_like_a_wrong_password_and_audited(account: Engine) -> None:
    with account.begin() as connection:
        assert sign_in(connection, "nobody", PASSWORD, RULES, AT, "10.0.0.9") == Refused(locked=False)
        assert recent(connection, 1)[0].username == "nobody"


def test_a_session_ends_after_idleness_and_after_the_longest_day_whatever_its_use(account: Engine) -> None:
    session = _sign_in(account, PASSWORD)
    assert isinstance(session, Session)
    with account.begin() as connection:
        assert session_of(connection, session.token, RULES, AT + timedelta(minutes=29)) is not None
        assert session_of(connection, session.token, RULES, AT + timedelta(minutes=58)) is not None  # touched at 29
        assert session_of(connection, session.token, RULES, AT + timedelta(minutes=89)) is None  # 31 idle
        assert session_of(connection, "forged-token", RULES, AT) is None
    fresh = _sign_in(account, PASSWORD)
    assert isinstance(fresh, Session)
    with account.begin() as connection:
        for minutes in range(25, 12 * 60 + 25, 25):  # used every 25 minutes, past 12 hours
            alive = session_of(connection, fresh.token, RULES, AT + timedelta(minutes=minutes))
        assert alive is None


def test_an_account_is_refused_a_short_password_a_taken_name_or_an_officer_without_an_id(account: Engine) -> None:
    with account.begin() as connection, pytest.raises(AccountRefused, match="10 characters"):
        create_account(connection, "li", "李娜", Role.READER, "short", AT)
    with account.begin() as connection, pytest.raises(AccountRefused, match="already"):
        create_account(connection, "wanglei", "王磊", Role.READER, PASSWORD, AT)
    with account.begin() as connection, pytest.raises(AccountRefused, match="roster id"):
        create_account(connection, "zhang", "张宏伟", Role.OFFICER, PASSWORD, AT)


def test_what_each_role_may_do() -> None:
    assert not may(Role.READER, Permission.RELEASE_CASE) and may(Role.READER, Permission.EXPORT)
    assert may(Role.SUPERVISOR, Permission.RELEASE_CASE) and not may(Role.SUPERVISOR, Permission.LOG_WORK)
    assert may(Role.OFFICER, Permission.LOG_WORK) and not may(Role.OFFICER, Permission.SEE_AUDIT)
    assert sees(Role.OFFICER, ("乌兰镇",), "乌兰镇") and not sees(Role.OFFICER, ("乌兰镇",), "棋盘井镇")
    assert sees(Role.READER, (), "棋盘井镇")
