"""Starting the gateway on its own: the command line's options, and gateway_process() as the demo runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from sandbox.sms_gateway.__main__ import parse
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process
from tests.sms_gateway.conftest import HOLDER, OTHER_HOLDER, WAIT_S

SANDBOX_SENDER = "+15005550006"


def sandbox_client(url: str) -> Client:
    client = Client(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN)
    client.api.base_url = url
    return client


def test_the_command_line_options_become_settings(tmp_path: Path) -> None:
    argv = ["--db", str(tmp_path / "g.db"), "--account-sid", SANDBOX_ACCOUNT_SID, "--auth-token", "secret-token"]
    argv += ["--phone-number", "+15005550006", "--phone-number", "+15005550007", "--inbound-webhook", "http://x/in"]
    argv += ["--undelivered", HOLDER, "--failed", f"{OTHER_HOLDER}=30005", "--invalid", "+8613700000000"]
    argv += ["--rate-limit-share", "0.1", "--server-error-share", "0.05", "--error-phase", "after", "--slow-ms", "20"]
    args, settings = parse([*argv, "--seed", "3", "--delivery-step-ms", "50"])
    assert (args.host, args.port, settings.seed, settings.inbound_webhook) == ("127.0.0.1", 8766, 3, "http://x/in")
    assert settings.phone_numbers == ("+15005550006", "+15005550007")
    faults = settings.faults
    assert (faults.undelivered_numbers, faults.failed_numbers) == ({HOLDER: 30003}, {OTHER_HOLDER: 30005})
    assert (faults.rate_limit_share, faults.server_error_share, faults.error_phase) == (0.1, 0.05, "after")
    assert (faults.slow_ms, faults.delivery_step_ms, faults.invalid_numbers) == (20, 50, frozenset({"+8613700000000"}))


def test_the_auth_token_can_come_from_a_file(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("token-from-a-file\n", encoding="utf-8")
    argv = ["--db", str(tmp_path / "g.db"), "--account-sid", SANDBOX_ACCOUNT_SID, "--auth-token-file", str(token_file)]
    assert parse(argv)[1].auth_token == "token-from-a-file"


def test_a_bad_option_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="account_sid"):
        parse(["--db", str(tmp_path / "g.db"), "--account-sid", "AC-not-a-sid", "--auth-token", "secret-token"])


def test_the_gateway_process_serves_with_its_flags_and_keeps_messages_across_restarts(tmp_path: Path) -> None:
    database = tmp_path / "gateway.db"
    with gateway_process(database, "--unsubscribed", OTHER_HOLDER) as url:
        assert url.startswith("http://127.0.0.1:") and requests.get(f"{url}/healthz", timeout=WAIT_S).ok
        sent = sandbox_client(url).messages.create(to=HOLDER, from_=SANDBOX_SENDER, body="您好")
        with pytest.raises(TwilioRestException) as raised:
            sandbox_client(url).messages.create(to=OTHER_HOLDER, from_=SANDBOX_SENDER, body="您好")
        assert raised.value.code == 21610
    with gateway_process(database) as url:
        assert [m.sid for m in sandbox_client(url).messages.list(to=HOLDER)] == [sent.sid]
