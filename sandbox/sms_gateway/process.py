"""The gateway as a separate process, the way the demo and the throughput benchmark run it: its own interpreter,
so the sender under test does not share a GIL with the server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ground.http_serving import module_process

READY = "sms gateway listening on "  # the line the gateway prints once it accepts requests
# The sandbox account: a well-formed SID and a token that mean nothing outside this machine.
SANDBOX_ACCOUNT_SID = "AC" + "5a" * 16
SANDBOX_AUTH_TOKEN = "sandbox-auth-token"


@contextmanager
def gateway_process(
    db_path: Path,
    *flags: str,
    account_sid: str = SANDBOX_ACCOUNT_SID,
    auth_token: str = SANDBOX_AUTH_TOKEN,
    timeout: float = 30,
) -> Iterator[str]:
    """Start `python -m sandbox.sms_gateway` on a free loopback port; yield its base URL; stop it on exit.
    `flags` are further command-line flags (faults, --inbound-webhook, --phone-number …)."""
    args = ["--host", "127.0.0.1", "--port", "0", "--db", str(db_path), "--account-sid", account_sid]
    with module_process("sandbox.sms_gateway", [*args, "--auth-token", auth_token, *flags], READY, timeout) as url:
        yield url
