"""Who may take a case, and when a lease has run out: the rule every pre-fill round applies before it claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ground.outside_work.leases import expired, lease_end, may_claim

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=1)
EARLIER = NOW - timedelta(seconds=1)


def test_a_lease_runs_out_at_its_end_and_no_lease_counts_as_run_out() -> None:
    assert not expired(LATER, NOW)
    assert expired(NOW, NOW)
    assert expired(EARLIER, NOW)
    assert expired(None, NOW)


def test_a_round_takes_a_free_case_its_own_or_one_whose_lease_has_run_out_never_another_live_rounds() -> None:
    assert may_claim(None, None, "a", NOW)
    assert may_claim("a", LATER, "a", NOW), "its own lease: taking it again renews it"
    assert may_claim("b", EARLIER, "a", NOW), "b died or stalled past its lease: a takes over (and searches first)"
    assert not may_claim("b", LATER, "a", NOW)


def test_a_lease_ends_its_length_after_it_is_taken_in_utc_whatever_the_clocks_zone() -> None:
    end = lease_end(NOW.astimezone(ZoneInfo("Asia/Shanghai")), 900)
    assert end == NOW + timedelta(seconds=900) and end.tzinfo is UTC
