"""The service's logs as a collector reads them: one JSON event per line, in the bureau's time, with mobiles and
18-character ID numbers masked, and no per-request lines from the HTTP libraries."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from agent.logs import ServiceHandler, configure_logging
from ground.http_serving import serving

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if isinstance(h, ServiceHandler)]:
        root.removeHandler(handler)
    root.setLevel(level)


def test_a_program_with_its_own_handlers_keeps_them(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", SHANGHAI, logging.INFO)  # pytest's capture is on the root logger

    assert not any(isinstance(h, ServiceHandler) for h in logging.getLogger().handlers)


def events(err: str) -> list[dict[str, str]]:
    return [json.loads(line) for line in err.splitlines()]


def test_each_event_is_one_json_line_in_shanghai_time_with_numbers_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", SHANGHAI, logging.INFO, force=True)

    logging.getLogger("notifications.dispatch").info("sent to %s for %s", "+8613912345678", "91150624MA00000001")
    logging.getLogger("agent.jobs").warning("holder 11010519491231002X not reached")

    first, second = events(capsys.readouterr().err)
    assert first["time"].endswith("+08:00") and first["level"] == "INFO" and first["logger"] == "notifications.dispatch"
    assert first["message"] == "sent to +86139****5678 for 911506********0001"
    assert second["message"] == "holder 110105********002X not reached"


def test_an_errors_traceback_stays_in_its_one_line_event_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", SHANGHAI, force=True)

    try:
        raise ValueError("bad mobile 13912345678")
    except ValueError:
        logging.getLogger("agent.jobs").exception("job failed")

    [event] = events(capsys.readouterr().err)
    assert "ValueError: bad mobile 139****5678" in event["exception"] and "13912345678" not in event["exception"]


def test_the_http_libraries_say_nothing_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", SHANGHAI, logging.INFO, force=True)

    for name in ("httpx", "twilio.http_client", "urllib3.connectionpool"):
        logging.getLogger(name).info("HTTP Request: POST https://api.example/Messages.json")

    assert capsys.readouterr().err == ""


def test_text_lines_are_for_a_person_and_masked_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("text", SHANGHAI, logging.INFO, force=True)

    logging.getLogger("agent.jobs").info("reply from 13912345678")

    [line] = capsys.readouterr().err.splitlines()
    assert "+08:00 INFO agent.jobs reply from 139****5678" in line


def test_an_error_in_a_served_request_is_one_masked_event(capsys: pytest.CaptureFixture[str]) -> None:
    app = FastAPI()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("no route to 13912345678")

    configure_logging("json", SHANGHAI, logging.INFO, force=True)
    with serving(app, lifespan="off") as url:
        assert httpx.get(f"{url}/boom", timeout=10).status_code == 500

    [event] = [e for e in events(capsys.readouterr().err) if e["logger"].startswith("uvicorn")]
    assert event["level"] == "ERROR" and "RuntimeError: no route to 139****5678" in event["exception"]
