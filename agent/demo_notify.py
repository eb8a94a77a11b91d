"""The demo's notification round: the sandbox SMS gateway in its own process, the service's webhooks on loopback,
every due notice sent through the real `twilio` library, a holder opting out by reply, and the day's letters."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.markup import escape

from agent.cli_notify import print_outbox
from agent.jobs import letters_round, notify_round
from agent.runtime import Runtime
from domain.renewals.reads import first_holder_mobile
from ground.cases.lifecycle import State
from ground.http_serving import LOOPBACK, serving
from ground.settings import Settings
from notifications.reads import in_flight, sent_samples
from notifications.webhooks import create_webhooks
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process

SANDBOX_SENDER = "+15005550006"
CALLBACK_WAIT_S = 10  # the gateway reports delivery within a second; stop waiting after this
ALL_DAY = "00:00-23:59"


@contextmanager
def sms_sandbox(rt: Runtime, console: Console) -> Iterator[Runtime]:
    """The gateway and the webhooks for the rest of the demo; yields a runtime whose SMS go through them."""
    folder = rt.settings.var_dir / "demo"
    with webhook_port() as port, gateway_process(folder / "sms-gateway.db", *gateway_flags(port)) as gateway:
        demo = Runtime(with_gateway(rt.settings, gateway, f"http://{LOOPBACK}:{port}"))
        console.print(f"[bold]Sandbox SMS gateway[/bold] at {gateway} (Twilio-compatible; nothing leaves the machine)")
        console.print("demo: SMS sending hours widened to the whole day; the service keeps 08:00–21:00 by default")
        with serving(create_webhooks(demo.engine, demo.notifier, demo.now), port=port, lifespan="off"):
            _opt_out_one_holder(demo, console)
            yield demo
            _wait_for_callbacks(demo)


def send_due(demo: Runtime, console: Console) -> None:
    """What the service's dispatch job does every few minutes: record the due notices, send the SMS."""
    with console.status("sending every due notice through the twilio library"):
        run = notify_round(demo)
    for step, counts in run.counts.items():
        console.print(f"notify {step}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def notify_round_demo(demo: Runtime, console: Console) -> None:
    send_due(demo, console)
    _wait_for_callbacks(demo)
    with console.status("printing the day's letters with Chromium"):
        letters = letters_round(demo)
    print_outbox(demo, console, "Notices after the demo round")
    _print_samples(demo, console)
    _print_letters(console, letters.counts)


@contextmanager
def webhook_port() -> Iterator[int]:
    """A free loopback port for the webhooks, known before they start: the gateway must be told where to post."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = int(probe.getsockname()[1])
    yield port


def gateway_flags(port: int, delivery_step_ms: int = 100) -> list[str]:
    """The gateway posts replies to the webhooks on `port` and reports delivery after `delivery_step_ms`."""
    return ["--inbound-webhook", f"http://{LOOPBACK}:{port}/sms/inbound", "--delivery-step-ms", str(delivery_step_ms)]


def with_gateway(settings: Settings, gateway: str, public_url: str) -> Settings:
    """The settings with SMS sent through the real twilio library to the sandbox gateway, at any hour."""
    sms = settings.notify.sms.model_copy(
        update={
            "sender": "twilio",
            "account_sid": SANDBOX_ACCOUNT_SID,
            "auth_token": SecretStr(SANDBOX_AUTH_TOKEN),
            "from_number": SANDBOX_SENDER,
            "api_base_url": gateway,
            "public_url": public_url,
            "send_hours": ALL_DAY,
            "rest_day_hours": ALL_DAY,
        }
    )
    notify = settings.notify.model_copy(update={"sms": sms})
    return settings.model_copy(update={"notify": notify})


def _opt_out_one_holder(rt: Runtime, console: Console) -> None:
    """A holder who once replied TD: the gateway posts the reply to the webhooks, signed, as Twilio would."""
    with rt.engine.connect() as connection:
        mobile = first_holder_mobile(connection, (State.ROUTED, State.RETURNED))
    if mobile is None:
        return
    gateway = rt.settings.notify.sms.api_base_url
    answer = httpx.post(f"{gateway}/_sandbox/inbound", data={"From": mobile, "Body": "TD"}, timeout=10)
    answer.raise_for_status()
    console.print(f"holder {mobile} replied “TD”: the signed reply reached the webhooks and opted them out")


def _wait_for_callbacks(rt: Runtime) -> None:
    deadline = time.monotonic() + CALLBACK_WAIT_S
    while time.monotonic() < deadline:
        with rt.engine.connect() as connection:
            pending = in_flight(connection)
        if not pending:
            return
        time.sleep(0.2)


def _print_samples(rt: Runtime, console: Console) -> None:
    with rt.engine.connect() as connection:
        samples = sent_samples(connection)
    for event, body in samples.items():
        console.print(f"[bold]{event}[/bold]: {escape(body)}", soft_wrap=True)


def _print_letters(console: Console, counts: dict[str, Any]) -> None:  # Any: a job run's counts (JSON)
    console.print("letters: " + ", ".join(f"{k} {v}" for k, v in counts.get("letters", {}).items()))
    batch = counts.get("batch")
    if batch is None:
        return
    pdf = Path(batch["pdf"])
    png = pdf.with_name("first-page")
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, png], check=True)
    console.print(f"letter batch {pdf} ({batch['pages']} pages); first page {png}.png; manifest beside it")
