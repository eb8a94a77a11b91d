"""The legal rules of a renewal, as pure functions: the window on the filing day, the last day to file, the term."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, insert, select

from domain.licence_types import AfterWindowRule, LicenceType, RenewedTerm, TermStart, load_licence_types
from domain.renewals.law import Window, fileable_renewal, last_filing_day, renewed_term, window_on
from ground.store.tables import cases

OPENS, CLOSES, EXPIRES = date(2027, 1, 4), date(2027, 3, 10), date(2027, 3, 31)


WINDOWS = [
    (date(2027, 1, 3), AfterWindowRule.REFUSE, Window.NOT_YET),
    (OPENS, AfterWindowRule.REFUSE, Window.OPEN),
    (CLOSES, AfterWindowRule.REFUSE, Window.OPEN),  # the closing day is still inside
    (date(2027, 3, 11), AfterWindowRule.REFUSE, Window.CLOSED),
    (date(2027, 3, 11), AfterWindowRule.ACCEPT_LATE, Window.OPEN),
    (EXPIRES, AfterWindowRule.ACCEPT_LATE, Window.OPEN),
    (date(2027, 4, 1), AfterWindowRule.ACCEPT_LATE, Window.EXPIRED),  # expired: no renewal, whatever the rule
    (date(2027, 4, 1), AfterWindowRule.REFUSE, Window.EXPIRED),
]


@pytest.mark.parametrize(("today", "rule", "expected"), WINDOWS)
def test_a_renewal_may_be_filed_only_while_its_window_is_open_and_never_after_expiry(
    today: date, rule: AfterWindowRule, expected: Window
) -> None:
    assert window_on(today, OPENS, CLOSES, EXPIRES, rule) is expected


def test_the_stores_selection_of_fileable_renewals_says_what_window_on_says(store: Engine) -> None:
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    with store.begin() as connection:
        for rule in AfterWindowRule:
            connection.execute(
                insert(cases).values(
                    natural_key=f"renewal:{rule}",
                    kind="renewal",
                    state="consented",
                    licence_type=rule.value,  # a type of that rule
                    window_opens_on=OPENS,
                    window_closes_on=CLOSES,
                    expires_on=EXPIRES,
                    created_at=moment,
                    updated_at=moment,
                )
            )
    for today, rule, expected in WINDOWS:
        with store.connect() as connection:
            selected = connection.execute(
                select(cases.c.licence_type).where(
                    fileable_renewal(today, frozenset({AfterWindowRule.ACCEPT_LATE.value}))
                )
            ).scalars()
            assert (rule.value in set(selected)) == (expected is Window.OPEN), (today, rule)


def test_the_last_day_to_file_is_the_windows_close_unless_the_rules_accept_late_applications() -> None:
    assert last_filing_day(CLOSES, EXPIRES, AfterWindowRule.REFUSE) == CLOSES
    assert last_filing_day(CLOSES, EXPIRES, AfterWindowRule.ACCEPT_LATE) == EXPIRES


def food(starts: TermStart) -> LicenceType:
    shipped = load_licence_types()["food_business"]
    return shipped.model_copy(update={"renewed_term": RenewedTerm(starts=starts, reference="test rule")})


def test_a_term_from_the_decision_starts_the_day_it_was_decided_and_lasts_the_types_years() -> None:
    assert renewed_term(food(TermStart.DECISION), EXPIRES, date(2027, 2, 3)) == (date(2027, 2, 3), date(2032, 2, 2))


def test_a_term_from_the_old_expiry_runs_on_without_a_gap_or_an_overlap() -> None:
    assert renewed_term(food(TermStart.OLD_EXPIRY), EXPIRES, date(2027, 2, 3)) == (date(2027, 4, 1), date(2032, 3, 31))


def test_a_term_starting_on_29_february_is_never_short() -> None:
    valid_from, expires = renewed_term(food(TermStart.DECISION), date(2028, 3, 31), date(2028, 2, 29))
    assert (valid_from, expires) == (date(2028, 2, 29), date(2033, 2, 28))


def test_every_shipped_type_says_what_it_needs_with_its_legal_reference() -> None:
    for code, licence_type in load_licence_types().items():
        assert licence_type.after_window.reference and licence_type.renewed_term.reference, code
        assert licence_type.application_name and licence_type.materials and licence_type.cancelled_by, code
    shipped = load_licence_types()
    assert shipped["tobacco_retail"].cancelled_by.endswith("烟草专卖局"), "the tobacco bureau cancels its own"
    assert shipped["food_business"].files_online and not shipped["drug_retail"].files_online
