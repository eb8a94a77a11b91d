"""The treasury's payment file: read in UTF-8 or GBK, each line recorded on its approved case exactly once, every
line that does not fit refused with its reason and nothing changed for it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from agent.cli import app
from domain.subsidies.pay import import_payments
from domain.subsidies.payments import Line, Outcome, PaymentFileError, Result, decide, read_lines
from ground.store.tables import case_transitions, cases
from tests.subsidies.world import PLACEHOLDER_TRACE, add_subject, add_subsidy_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 11, 1, 0, tzinfo=UTC)
HEADER = "申请编号,支付凭证号,支付日期,金额(元)\n"


def write(folder: Path, text: str, encoding: str = "utf-8", name: str = "payments.csv") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def approved(store: Engine, n: int, **values: Any) -> int:
    """An approved subsidy case of 200000 yuan under application SQ2026120100<n>."""
    return add_subsidy_case(
        store,
        add_subject(store, n),
        "approved",
        application_no=f"SQ2026120100{n}",
        platform_ref=f"PA-9{n:07d}",
        **values,
    )


def pay(store: Engine, path: Path) -> list[Outcome]:
    return import_payments(store, path, SHANGHAI, NOW, allow_placeholders=False)


def case_row(store: Engine, case_id: int) -> Any:
    with store.connect() as connection:
        return connection.execute(select(cases).where(cases.c.id == case_id)).one()


def ledger_size(store: Engine) -> int:
    with store.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(case_transitions)).scalar_one())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_payment_file_reads_in_utf8_with_or_without_bom_and_in_gbk(encoding: str) -> None:
    raw = (HEADER + 'SQ20261201001,GK2026-000123,2026-12-10,"200,000.00"\n').encode(encoding)

    [line] = read_lines(raw, SHANGHAI)

    assert (line.line, line.key, line.voucher, line.amount) == (2, "SQ20261201001", "GK2026-000123", Decimal("200000"))
    assert line.paid_at == datetime(2026, 12, 10, tzinfo=SHANGHAI) and line.problem is None


def test_our_reference_and_full_width_brackets_are_understood() -> None:
    raw = "申请参考号,支付凭证号,支付日期,金额（元）\nPA-00000007,GK1,2026/12/10 09:30:00,50000\n".encode()
    [line] = read_lines(raw, SHANGHAI)
    assert (line.key, line.amount, line.paid_at) == (
        "PA-00000007",
        Decimal(50000),
        datetime(2026, 12, 10, 9, 30, tzinfo=SHANGHAI),
    )


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (",GK1,2026-12-10,100", "no application number or reference"),
        ("SQ1,,2026-12-10,100", "no voucher number"),
        ("SQ1,GK1,10.12.2026,100", "bad payment date '10.12.2026'"),
        ("SQ1,GK1,2026-12-10,-100", "bad amount '-100'"),  # a refund is not a payment
        ("SQ1,GK1,2026-12-10,壹佰", "bad amount '壹佰'"),
    ],
)
def test_an_unusable_line_says_why(cells: str, problem: str) -> None:
    [line] = read_lines((HEADER + cells + "\n").encode(), SHANGHAI)
    assert line.problem == problem


def test_a_file_without_the_needed_columns_is_refused_whole() -> None:
    with pytest.raises(PaymentFileError, match="the header lacks 支付凭证号"):
        read_lines("申请编号,支付日期,金额(元)\nSQ1,2026-12-10,100\n".encode(), SHANGHAI)


def line(key: str, voucher: str = "GK1", amount: int = 200000) -> Line:
    return Line(2, key, voucher, datetime(2026, 12, 10, tzinfo=SHANGHAI), Decimal(amount))


CASE = {"id": 7, "state": "approved", "amount_yuan": 200000, "payment_ref": None, "placeholder_references": []}
PLACEHOLDER = CASE | {"placeholder_references": ["〔待填：第X条〕"]}
NOT_LAWFUL = (
    "the policy reference is a placeholder (〔待填：第X条〕): not paid unless "
    "PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true"
)


@pytest.mark.parametrize(
    ("case", "given", "vouchers", "result", "reason"),
    [
        (CASE, line("SQ7"), {}, Result.RECORDED, ""),
        (CASE | {"state": "paid", "payment_ref": "GK1"}, line("SQ7"), {"GK1": 7}, Result.ALREADY, ""),  # re-import
        (
            CASE | {"state": "paid", "payment_ref": "GK0"},
            line("SQ7"),
            {},
            Result.REFUSED,
            "case already paid under voucher GK0",
        ),
        (CASE | {"state": "prefilled"}, line("SQ7"), {}, Result.REFUSED, "case is prefilled, not approved"),
        (CASE, line("SQ7", amount=20000), {}, Result.REFUSED, "amount 20000 yuan differs from the case's 200000 yuan"),
        (CASE, line("SQ7"), {"GK1": 3}, Result.REFUSED, "voucher GK1 is already recorded for case 3"),
        (CASE, line("SQ8"), {}, Result.REFUSED, "no subsidy case has this application number or reference"),
        (PLACEHOLDER, line("SQ7"), {}, Result.REFUSED, NOT_LAWFUL),  # decided on a reference still to be filled in
        (PLACEHOLDER | {"payment_ref": "GK1"}, line("SQ7"), {"GK1": 7}, Result.ALREADY, ""),  # recorded earlier
    ],
)
def test_each_line_is_decided_against_its_case(
    case: dict[str, Any], given: Line, vouchers: dict[str, int], result: Result, reason: str
) -> None:
    [outcome] = decide([given], {"SQ7": case, "PA-00000007": case}, vouchers)
    assert (outcome.result, outcome.reason) == (result, reason)


def test_a_case_decided_on_a_placeholder_reference_is_paid_only_where_the_settings_allow_it() -> None:
    [outcome] = decide([line("SQ7")], {"SQ7": PLACEHOLDER}, {}, allow_placeholders=True)
    assert outcome.result is Result.RECORDED


def test_a_case_named_twice_in_one_file_is_paid_once() -> None:
    first, second = decide([line("SQ7"), line("PA-00000007", voucher="GK2")], {"SQ7": CASE, "PA-00000007": CASE}, {})
    assert (first.result, second.result, second.reason) == (
        Result.RECORDED,
        Result.REFUSED,
        "case already paid under voucher GK1",
    )


def test_good_lines_pay_their_cases_once_and_a_reimport_changes_nothing(store: Engine, tmp_path: Path) -> None:
    by_number, by_reference = approved(store, 1), approved(store, 2)
    path = write(tmp_path, HEADER + "SQ20261201001,GK2026-000123,2026-12-10,200000.00\n")
    other = write(
        tmp_path, "申请参考号,支付凭证号,支付日期,金额(元)\nPA-90000002,GK2026-000124,2026-12-10,200000\n", name="b.csv"
    )

    outcomes = pay(store, path) + pay(store, other)
    entries = ledger_size(store)
    again = pay(store, path) + pay(store, other)

    assert [o.result for o in outcomes] == [Result.RECORDED, Result.RECORDED]
    assert [o.result for o in again] == [Result.ALREADY, Result.ALREADY] and ledger_size(store) == entries
    for case_id, voucher in ((by_number, "GK2026-000123"), (by_reference, "GK2026-000124")):
        row = case_row(store, case_id)
        assert (row.state, row.payment_ref) == ("paid", voucher)
        assert row.paid_at.replace(tzinfo=UTC) == datetime(2026, 12, 9, 16, 0, tzinfo=UTC), "10 Dec in Shanghai"
    with store.connect() as connection:
        entry = connection.execute(
            select(case_transitions).where(
                case_transitions.c.case_id == by_number, case_transitions.c.new_state == "paid"
            )
        ).one()
    assert (entry.old_state, entry.actor) == ("approved", "treasury:payment_file")
    assert entry.details == {
        "voucher": "GK2026-000123",
        "paid_at": "2026-12-09T16:00:00+00:00",
        "amount_yuan": "200000.00",
        "file": "payments.csv",
        "line": 2,
    }


def test_lines_that_do_not_fit_are_refused_and_change_nothing_for_them(store: Engine, tmp_path: Path) -> None:
    fits, wrong_amount = approved(store, 3), approved(store, 4)
    not_approved = add_subsidy_case(store, add_subject(store, 5), "prefilled", application_no="SQ20261201005")
    path = write(
        tmp_path,
        HEADER
        + "SQ20261201003,GK3,2026-12-10,200000\n"
        + "SQ20261201004,GK4,2026-12-10,180000\n"
        + "SQ20261201005,GK5,2026-12-10,200000\n"
        + "SQ20269999999,GK6,2026-12-10,200000\n",
        encoding="gbk",
    )

    outcomes = pay(store, path)

    assert [(o.line.line, o.result) for o in outcomes] == [
        (2, Result.RECORDED),
        (3, Result.REFUSED),
        (4, Result.REFUSED),
        (5, Result.REFUSED),
    ]
    assert case_row(store, fits).state == "paid"
    assert (case_row(store, wrong_amount).state, case_row(store, wrong_amount).payment_ref) == ("approved", None)
    assert (case_row(store, not_approved).state, case_row(store, not_approved).paid_at) == ("prefilled", None)


def test_the_command_prints_every_line_and_exits_1_when_one_is_refused(sqlite_store: Engine, tmp_path: Path) -> None:
    approved(sqlite_store, 6)
    path = write(tmp_path, HEADER + "SQ20261201006,GK7,2026-12-10,200000\nSQ404,GK8,2026-12-10,1\n", encoding="gbk")
    env = {"PROACTIVE_DATABASE_URL": str(sqlite_store.url), "PROACTIVE_VAR_DIR": str(tmp_path)}

    result = CliRunner().invoke(app, ["subsidy", "pay", str(path)], env=env)

    assert result.exit_code == 1, result.output
    assert "SQ20261201006 (1)" in result.output and "SQ404" in result.output and "refused" in result.output
    assert "1 recorded, 0 already recorded, 1 refused" in result.output


def test_the_command_refuses_a_placeholder_policys_case_unless_the_setting_allows_it(
    sqlite_store: Engine, tmp_path: Path
) -> None:
    case_id = approved(sqlite_store, 7, trace=PLACEHOLDER_TRACE)
    path = write(tmp_path, HEADER + "SQ20261201007,GK9,2026-12-10,200000\n")
    env = {"PROACTIVE_DATABASE_URL": str(sqlite_store.url), "PROACTIVE_VAR_DIR": str(tmp_path)}

    refused = CliRunner().invoke(app, ["subsidy", "pay", str(path)], env=env)
    assert refused.exit_code == 1 and "0 recorded, 0 already recorded, 1 refused" in refused.output
    assert case_row(sqlite_store, case_id).state == "approved"

    allowed = env | {"PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES": "true"}
    paid = CliRunner().invoke(app, ["subsidy", "pay", str(path)], env=allowed)
    assert paid.exit_code == 0, paid.output
    assert case_row(sqlite_store, case_id).state == "paid"
