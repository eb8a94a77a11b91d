"""Injected faults surface through the library as Twilio's would: 429 with Retry-After, 500/503, slowness; the
shares are seeded, so a test can say exactly which calls fail."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from sandbox.sms_gateway.settings import Faults
from tests.sms_gateway.conftest import ACCOUNT_SID, HOLDER, WAIT_S, Gateway, raw_get

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


def test_a_rate_limited_call_is_429_with_code_20429_and_retry_after(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(rate_limit_share=1.0, retry_after_s=2))
    with pytest.raises(TwilioRestException) as raised:
        gateway.send()
    assert (raised.value.status, raised.value.code) == (429, 20429)
    assert raw_get(gateway, MESSAGES).headers["Retry-After"] == "2"


def test_a_server_error_is_500_or_503_with_twilios_codes(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(server_error_share=1.0))
    seen = set()
    for _ in range(8):
        with pytest.raises(TwilioRestException) as raised:
            gateway.send()
        seen.add((raised.value.status, raised.value.code))
    assert seen == {(500, 20500), (503, 20503)}


def expected_statuses(seed: int, calls: int, rate_limit: float, server_error: float) -> list[int]:
    """The gateway's draws replayed: two numbers per API call, the first decides, the second picks 500 or 503."""
    rng, statuses = random.Random(seed), []
    for _ in range(calls):
        roll, which = rng.random(), rng.random()
        if roll < rate_limit:
            statuses.append(429)
        elif roll < rate_limit + server_error:
            statuses.append(500 if which < 0.5 else 503)
        else:
            statuses.append(200)
    return statuses


def test_fault_shares_are_seeded_so_the_same_calls_fail_every_run(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(seed=4, faults=Faults(rate_limit_share=0.2, server_error_share=0.1))
    statuses = [raw_get(gateway, MESSAGES).status_code for _ in range(40)]
    assert statuses == expected_statuses(4, 40, 0.2, 0.1)
    assert {429, 500, 503} <= set(statuses) and statuses.count(200) > 20


def test_an_error_after_handling_loses_the_answer_but_not_the_message(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(server_error_share=1.0, error_phase="after", delivery_step_ms=5))
    with pytest.raises(TwilioRestException) as raised:
        gateway.send()
    assert raised.value.status >= 500
    gateway.set_faults(server_error_share=0.0)
    assert [m.to for m in gateway.client.messages.list()] == [HOLDER]  # what a sender reconciles by listing


def test_slow_mode_really_delays_every_api_call(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(slow_ms=300))
    started = time.perf_counter()
    gateway.send()
    assert time.perf_counter() - started >= 0.3


def test_health_and_sandbox_endpoints_are_never_faulted(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(rate_limit_share=1.0))
    assert requests.get(f"{gateway.url}/healthz", timeout=WAIT_S).json() == {"status": "ok"}
    assert requests.get(f"{gateway.url}/_sandbox/faults", timeout=WAIT_S).json()["rate_limit_share"] == 1.0


def test_faults_change_on_a_running_gateway_all_or_nothing(gateway: Gateway) -> None:
    changed = requests.post(f"{gateway.url}/_sandbox/faults", json={"rate_limit_share": 1.0}, timeout=WAIT_S)
    assert changed.json()["rate_limit_share"] == 1.0
    assert raw_get(gateway, MESSAGES).status_code == 429
    bad = {"rate_limit_share": 0.0, "slow_ms": -1}
    assert requests.post(f"{gateway.url}/_sandbox/faults", json=bad, timeout=WAIT_S).status_code == 422
    assert raw_get(gateway, MESSAGES).status_code == 429  # nothing of the refused change was applied
