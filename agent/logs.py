"""The service's logs: one event per line (JSON for a log collector, or text for a person), stamped in the bureau's
time zone, with mobile numbers and 18-character ID numbers (居民身份证号, 统一社会信用代码) masked in every line, and
the HTTP libraries' per-request chatter off (a line per request, with its URL, is noise and can carry a key).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from notifications.masking import mask_numbers

# An 18-character ID: a citizen ID (17 digits and a digit or X) or a unified social credit code (GB 32100-2015:
# digits and capitals without I, O, S, V, Z), standing alone. The first six (the region) and the last four stay.
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{2}\d{4})[0-9A-HJ-NPQRTUWXY]{8}([0-9A-HJ-NPQRTUWXYx]{4})(?![0-9A-Za-z])"
)
# Libraries that log each request (and its URL) at INFO or below.
CHATTY = ("httpx", "httpcore", "twilio.http_client", "urllib3", "urllib3.connectionpool", "uvicorn.access")
LogFormat = Literal["json", "text"]


def mask(text: str) -> str:
    """ID numbers then mobile numbers masked: `91150624MA0ABCDE12` → `911506********DE12`."""
    return mask_numbers(ID_NUMBER.sub(r"\1********\2", text))


class MaskedFormatter(logging.Formatter):
    """One line per event, in the bureau's zone, with the personal numbers masked (the traceback's too)."""

    def __init__(self, zone: ZoneInfo, as_json: bool) -> None:
        super().__init__()
        self.zone, self.as_json = zone, as_json

    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds")
        message = mask(record.getMessage())
        error = None
        if record.exc_info:
            error = mask("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        if self.as_json:
            event = {"time": at, "level": record.levelname, "logger": record.name, "message": message}
            if error is not None:
                event["exception"] = error
            return json.dumps(event, ensure_ascii=False)
        line = f"{at} {record.levelname} {record.name} {message}"
        return line if error is None else f"{line}\n{error}"


class ServiceHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Ours, on stderr: a second configuration replaces it."""


def configure_logging(form: LogFormat, zone: ZoneInfo, level: int = logging.WARNING, force: bool = False) -> None:
    """Put one handler on the root logger that writes masked events to stderr, in place of an earlier one of ours.
    A program that set up its own handlers (a test's capture) keeps them, alone, unless `force`."""
    root = logging.getLogger()
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    root.setLevel(level)
    ours = [h for h in root.handlers if isinstance(h, ServiceHandler)]
    if len(ours) < len(root.handlers) and not force:
        return
    for old in ours:
        root.removeHandler(old)
    handler = ServiceHandler()
    handler.setFormatter(MaskedFormatter(zone, as_json=form == "json"))
    root.addHandler(handler)
