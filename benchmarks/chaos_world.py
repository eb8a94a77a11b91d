"""The chaos suite's world: one generated county and one trained model for the whole run, and for each kind of
fault a fresh store with the sandbox platform, the SMS gateway and the service's webhooks on loopback.

Everything is loopback and seeded. The cycles read their settings from one JSON file, as `serve` reads its own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from ground.http_serving import LOOPBACK, serving
from ground.settings import Settings
from sandbox.platform.process import platform_process
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process

SANDBOX_BOT = ("agent", "agent-pass")
SANDBOX_APPROVER = ("approver", "approver-pass")
SANDBOX_SENDER = "+15005550006"
ALL_DAY = "00:00-23:59"
SOURCES = (("subjects", "county_subjects", "subjects.csv"), ("licences", "county_licences", "licences.csv"))
EVENTS = ("events", "county_events", "events.csv")
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Kind:
    """One kind of fault: what the outside systems do wrong while the cycles are being killed."""

    name: str
    platform: dict[str, Any] = field(default_factory=dict)  # POST /_sandbox/faults of the platform
    gateway: dict[str, Any] = field(default_factory=dict)  # POST /_sandbox/faults of the gateway
    broken_source: bool = False  # the licences export is cut mid-row for the first cycles
    callbacks: bool = False  # delivery callbacks replayed out of order and repeated


KILLS_ONLY = Kind("kills only")
PLATFORM_FAULTS = Kind("platform faults", platform={"error_rate": 0.12, "slow_ms": 150, "expire_every": 6})
GATEWAY_FAULTS = Kind(
    "gateway faults", gateway={"server_error_share": 0.15, "rate_limit_share": 0.1, "retry_after_s": 0}, callbacks=True
)
BROKEN_SOURCE = Kind("broken source", broken_source=True)
KINDS = (KILLS_ONLY, PLATFORM_FAULTS, GATEWAY_FAULTS, BROKEN_SOURCE)
NO_PLATFORM_FAULTS = {"error_rate": 0.0, "slow_ms": 0, "expire_every": 0}
NO_GATEWAY_FAULTS = {"server_error_share": 0.0, "rate_limit_share": 0.0, "slow_ms": 0}
SMS_TIMEOUT_S = 2.0  # the sender's timeout; a "timeouts" cycle makes every gateway call slower than this


def cycle_faults(kind: Kind, cycle: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The faults of cycle `cycle` of `kind`: the error phase alternates (before / after the call is handled), and
    every third gateway cycle is slower than the sender's timeout."""
    phase = "after" if cycle % 2 else "before"
    platform = {**kind.platform, "error_phase": phase} if kind.platform else {}
    gateway = {**kind.gateway, "error_phase": phase} if kind.gateway else {}
    if gateway:
        gateway["slow_ms"] = int(SMS_TIMEOUT_S * 1000 * 1.5) if cycle % 3 == 2 else 0
    return platform, gateway


def today() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai"))


def prepare_county(root: Path, licences: int, seed: int) -> Path:
    """The county's exports, generated once per size, seed and day (cached in `root`)."""
    from sandbox.registry import generate_county

    day = today().date()
    county = root / f"county-{licences}-{seed}-{day:%Y%m%d}"
    if not (county / "events.csv").exists():
        generate_county(county, licences, seed=seed, as_of=day)
    return county


def train_once(root: Path, county: Path) -> Path:
    """Load the county's history into a store of its own and train the classifier there, once; the kinds' stores
    route with it (the cycles never train)."""
    from rich.console import Console

    from agent.cli_model import train_model
    from agent.runtime import Runtime

    models = root / f"models-{county.name}"
    if (models / "trained").exists():
        return models
    settings = Settings.model_validate(
        {
            "database_url": f"sqlite:///{root / f'train-{county.name}.db'}",
            "var_dir": str(root / "train"),
            "model": {"dir": str(models)},
        }
    )
    rt = Runtime(settings)
    from domain.registries.load import load_export
    from domain.registries.mapping import load_mapping

    for _name, mapping, file_name in (*SOURCES, EVENTS):
        load_export(rt.engine, load_mapping(mapping), rt.licence_types, rt.now(), county / file_name)
    train_model(rt, Console(quiet=True))
    (models / "trained").touch()
    return models


@dataclass
class Services:
    """One kind's outside world on loopback, and the folder its cycles work in."""

    folder: Path
    settings_file: Path
    platform_url: str
    gateway_url: str
    webhooks_url: str

    def set_faults(self, platform: dict[str, Any], gateway: dict[str, Any]) -> None:
        for url, faults in ((self.platform_url, platform), (self.gateway_url, gateway)):
            if faults:
                httpx.post(f"{url}/_sandbox/faults", json=faults, timeout=30).raise_for_status()


def settings_values(
    folder: Path, models: Path, exports: Path, platform: str, gateway: str, hooks: str
) -> dict[str, Any]:
    registries = [
        {"name": name, "mapping": mapping, "path": str(exports / file_name)}
        for name, mapping, file_name in (*SOURCES, EVENTS)
    ]
    return {
        "database_url": f"sqlite:///{folder / 'proactive.db'}",
        "var_dir": str(folder / "var"),
        "model": {"dir": str(models)},
        "registries": registries,
        "platform": {
            "base_url": platform,
            "username": SANDBOX_BOT[0],
            "password": SANDBOX_BOT[1],
            "days": "every",
            "hours": ALL_DAY,
            "backoff_seconds": 0,
            "timeout_ms": 30_000,
        },
        "notify": {
            "sms": {
                "sender": "twilio",
                "account_sid": SANDBOX_ACCOUNT_SID,
                "auth_token": SANDBOX_AUTH_TOKEN,
                "from_number": SANDBOX_SENDER,
                "api_base_url": gateway,
                "public_url": hooks,
                "send_hours": ALL_DAY,
                "rest_day_hours": ALL_DAY,
                "backoff_seconds": 0,
                "timeout_seconds": SMS_TIMEOUT_S,
                "daily_cap": 20,
            }
        },
    }


@contextmanager
def services(folder: Path, models: Path, county: Path) -> Iterator[Services]:
    """A fresh store folder with its own copy of the exports, the platform and gateway processes, and the webhooks
    served in this process (they write to the kind's store as `serve` would)."""
    from agent.runtime import Runtime
    from notifications.webhooks import create_webhooks

    if folder.exists():
        shutil.rmtree(folder)
    exports = folder / "exports"
    exports.mkdir(parents=True)
    for _name, _mapping, file_name in (*SOURCES, EVENTS):
        shutil.copyfile(county / file_name, exports / file_name)
    port = free_port()
    hooks = f"http://{LOOPBACK}:{port}"
    with ExitStack() as stack:
        platform = stack.enter_context(platform_process(folder / "platform.db", "--admin", "--seed", "20"))
        inbound = ["--inbound-webhook", f"{hooks}/sms/inbound", "--delivery-step-ms", "50", "--seed", "20"]
        gateway = stack.enter_context(gateway_process(folder / "sms-gateway.db", *inbound))
        values = settings_values(folder, models, exports, platform, gateway, hooks)
        settings_file = folder / SETTINGS_FILE
        settings_file.write_text(json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8")
        rt = Runtime(Settings.model_validate(values))
        stack.enter_context(
            serving(create_webhooks(rt.engine, rt.notifier, lambda: datetime.now(UTC)), port=port, lifespan="off")
        )
        yield Services(folder, settings_file, platform, gateway, hooks)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])
