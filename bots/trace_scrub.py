"""A Playwright trace with the secrets taken out, before it is kept as evidence.

A trace zip holds JSON lines (`*.trace`: actions and page snapshots; `*.network`: every request and response, HAR
style, headers and cookies included) beside screenshots and resources. The platform's session cookie rides on every
request: anyone who can read a kept trace could act as the bot on the platform until the session expires.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
JSON_LINES = (".trace", ".network")
REDACTED = b"[redacted]"


def scrub_trace(archive: bytes, secrets: Iterable[str]) -> bytes:
    """`archive` (a trace zip) without cookies or authorization headers, and with each of `secrets` (the cookies'
    values, the password) redacted wherever else it might show, in any file of the zip."""
    known = [secret.encode() for secret in secrets if secret]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(JSON_LINES):
                data = _scrub_lines(data)
            for secret in known:
                data = data.replace(secret, REDACTED)
            target.writestr(info, data)
    return out.getvalue()


def _scrub_lines(data: bytes) -> bytes:
    lines = [json.loads(line) for line in data.splitlines() if line.strip()]
    return b"".join(json.dumps(_scrub(line), ensure_ascii=False).encode() + b"\n" for line in lines)


def _scrub(value: Any) -> Any:
    """Cookie lists emptied and secret headers dropped, at any depth (requests, responses, API calls)."""
    if isinstance(value, dict):
        return {key: [] if key == "cookies" else _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value if not _secret_header(item)]
    return value


def _secret_header(item: Any) -> bool:
    return isinstance(item, dict) and "value" in item and str(item.get("name", "")).lower() in SECRET_HEADERS
