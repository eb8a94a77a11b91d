"""The daily renewal round: a licence that expired unfiled lapses (never renewed), a seamless case whose window the
rules have closed goes to a person, every other seamless case is put to its holder for consent first, and one whose
holder lets the deadline pass goes to a person while its window is still open."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select, update

from domain.licence_types import AfterWindow, AfterWindowRule
from domain.renewals.round import NO_CONSENT_RULE, WINDOW_CLOSED_RULE, renewal_round
from ground.settings import ConsentMode, RenewalSettings
from ground.store.tables import case_transitions, cases
from tests.renewals.conftest import AS_OF, NOW, County

ASK = RenewalSettings()


def test_every_licence_that_expired_unfiled_lapses_and_is_told_who_cancels_it(county: County) -> None:
    report = renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)

    expired = [c for c in county.renewals() if c["expires_on"] < AS_OF]
    assert expired, "the generated county keeps licences that expired before its day"
    assert {c["state"] for c in expired} == {"lapsed"} and report.lapsed == len(expired)
    assert all(c["application_no"] is None for c in expired)
    with county.engine.connect() as connection:
        reasons = connection.execute(
            select(case_transitions.c.reason).where(case_transitions.c.new_state == "lapsed")
        ).scalars()
        assert all("烟草专卖局" in r or "市场监督管理局" in r for r in reasons)


def test_a_seamless_case_whose_window_closed_goes_to_a_person_with_the_reason(county: County) -> None:
    renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)

    closed = [c for c in county.renewals() if c["window_closes_on"] < AS_OF <= c["expires_on"]]
    food = [c for c in closed if c["licence_type"] == "food_business"]
    assert food, "the generated county keeps food licences whose window closed before its day"
    assert {(c["state"], c["route"]) for c in food} == {("routed", "assisted")}
    assert {c["reasons"]["rule"] for c in food} == {WINDOW_CLOSED_RULE}


def test_other_seamless_cases_are_invited_by_a_later_working_day_no_later_than_the_window_closes(
    county: County,
) -> None:
    renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)

    invited = [c for c in county.renewals() if c["state"] == "awaiting_consent"]
    assert invited and all(c["licence_type"] == "food_business" for c in invited)
    assert any(c["window_opens_on"] > AS_OF for c in invited), "holders are asked before the window opens"
    assert all(AS_OF < c["consent_deadline"] <= c["window_closes_on"] for c in invited)
    assert all(county.calendar.is_working_day(c["consent_deadline"]) for c in invited)
    assert not [c for c in county.renewals() if c["state"] == "consented"], "nothing is consented without an answer"


def test_a_bureau_whose_rules_deem_consent_given_says_so_and_its_cases_are_consented(county: County) -> None:
    deemed = RenewalSettings(consent=ConsentMode.DEEMED, consent_reference="某某县无感续证实施办法第五条")
    report = renewal_round(county.engine, county.types, county.calendar, deemed, AS_OF, NOW)

    consented = [c for c in county.renewals() if c["state"] == "consented"]
    assert consented and report.deemed == len(consented) and report.invited == 0
    assert {c["consent"] for c in consented} == {"deemed"}


def test_where_the_rules_accept_late_applications_a_closed_window_still_invites(county: County) -> None:
    late = AfterWindow(rule=AfterWindowRule.ACCEPT_LATE, reference="本局延续受理规定")
    types = county.types | {"food_business": county.types["food_business"].model_copy(update={"after_window": late})}
    renewal_round(county.engine, types, county.calendar, ASK, AS_OF, NOW)

    closed = [c for c in county.renewals() if c["licence_type"] == "food_business"]
    closed = [c for c in closed if c["window_closes_on"] < AS_OF < c["expires_on"]]  # a later day to answer by
    assert closed and {c["state"] for c in closed} == {"awaiting_consent"}
    assert all(c["consent_deadline"] <= c["expires_on"] for c in closed)


def test_running_the_round_again_the_same_day_changes_nothing(county: County) -> None:
    renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)
    before = county.renewals()
    again = renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)

    assert again.as_counts() == {"lapsed": 0, "window_closed": 0, "invited": 0, "unanswered": 0, "deemed": 0}
    assert county.renewals() == before


def test_a_licence_expiring_tomorrow_lapses_the_day_after_if_still_unfiled(county: County) -> None:
    renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)
    later = date(2026, 12, 20)
    renewal_round(county.engine, county.types, county.calendar, ASK, later, NOW)

    expired_since = [c for c in county.renewals() if AS_OF <= c["expires_on"] < later]
    assert expired_since and {c["state"] for c in expired_since} == {"lapsed"}
    with county.engine.connect() as connection:
        lapsed = connection.execute(select(func.count()).where(case_transitions.c.new_state == "lapsed")).scalar()
    assert lapsed == len([c for c in county.renewals() if c["state"] == "lapsed"]), "one ledger entry each"


def test_a_holder_who_lets_the_deadline_pass_unanswered_is_left_to_a_person_while_the_window_is_open(
    county: County,
) -> None:
    renewal_round(county.engine, county.types, county.calendar, ASK, AS_OF, NOW)
    invited = [c for c in county.renewals() if c["state"] == "awaiting_consent"]
    open_after = [c for c in invited if c["window_closes_on"] > c["consent_deadline"]]
    deadline = Counter(c["consent_deadline"] for c in open_after).most_common(1)[0][0]
    due = [c["id"] for c in open_after if c["consent_deadline"] == deadline]
    assert len(due) >= 2, "holders whose deadline is that day, with the window open after it"
    answered, unanswered = due[0], due[1:]
    with county.engine.begin() as connection:  # one holder said yes in time
        connection.execute(update(cases).where(cases.c.id == answered).values(state="consented", consent="given"))

    on_the_deadline = renewal_round(county.engine, county.types, county.calendar, ASK, deadline, NOW)
    waiting = {c["id"] for c in county.renewals() if c["state"] == "awaiting_consent"}
    after = renewal_round(county.engine, county.types, county.calendar, ASK, deadline + timedelta(days=1), NOW)
    now = {c["id"]: c for c in county.renewals()}

    assert on_the_deadline.unanswered == 0 and set(unanswered) <= waiting, "the holder has the whole last day"
    assert after.unanswered >= len(unanswered)
    assert {(now[i]["state"], now[i]["route"], now[i]["reasons"]["rule"]) for i in unanswered} == {
        ("routed", "assisted", NO_CONSENT_RULE)
    }
    assert now[answered]["state"] == "consented", "an answer in time is kept"
