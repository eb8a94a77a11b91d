"""Known secrets, set as an operator would (environment and `*_FILE`), appear in no output: not in a settings error,
not in `proactive status`, not in the logs of a run whose pings and alert could not be delivered, not in /healthz."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

PROACTIVE = str(Path(sys.executable).parent / "proactive")
AUTH_TOKEN = "tok-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c"
BOT_PASSWORD = "bot-pw-Zq81xK"
DB_PASSWORD = "db-pw-Lm42Rt"
REGISTRY_PASSWORD = "reg-pw-Hh77Jj"
ALERT_KEY = "alert-key-Tt55Uu"
PING_KEY = "ping-key-Ww33Vv"
SECRETS = (AUTH_TOKEN, BOT_PASSWORD, DB_PASSWORD, REGISTRY_PASSWORD, ALERT_KEY, PING_KEY)


def secret_environment(folder: Path, database_url: str) -> dict[str, str]:
    token, password = folder / "auth_token", folder / "bot_password"
    token.write_text(AUTH_TOKEN + "\n", encoding="utf-8")
    password.write_text(BOT_PASSWORD + "\n", encoding="utf-8")
    dead = "http://127.0.0.1:1"  # nothing listens on port 1
    return {
        "PROACTIVE_DATABASE_URL": database_url,
        "PROACTIVE_VAR_DIR": str(folder),
        "PROACTIVE_NOTIFY__SMS__AUTH_TOKEN_FILE": str(token),
        "PROACTIVE_PLATFORM__PASSWORD_FILE": str(password),
        "PROACTIVE_OPS__ALERT_WEBHOOK_URL": f"{dead}/hooks/{ALERT_KEY}",
        "PROACTIVE_OPS__PINGS": f'{{"policy-matching": {{"start": "{dead}/{PING_KEY}", "fail": "{dead}/{PING_KEY}"}}}}',
        "PROACTIVE_OPS__LOG_FORMAT": "json",
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [PROACTIVE, *args], env=os.environ | env, capture_output=True, text=True, check=False, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


def assert_no_secret(output: str) -> None:
    for secret in SECRETS:
        assert secret not in output, f"{secret} shown in:\n{output}"


@pytest.mark.parametrize(
    "bad",
    [
        # a check across the SMS section (twilio needs a sender number): its input is the whole section
        {"PROACTIVE_NOTIFY__SMS__SENDER": "twilio", "PROACTIVE_NOTIFY__SMS__ACCOUNT_SID": "AC" + "0" * 32},
        # the platform section, with the bot's password from its file, and a bad value beside it
        {"PROACTIVE_PLATFORM__BASE_URL": "http://127.0.0.1:1", "PROACTIVE_PLATFORM__CONCURRENCY": "-1"},
        # a registry source with its database URL (and password) and no mapping
        {"PROACTIVE_REGISTRIES": f'[{{"name": "x", "url": "postgresql://r:{REGISTRY_PASSWORD}@h/db"}}]'},
        # a secret itself of the wrong form
        {"PROACTIVE_OPS__PINGS": f'{{"policy-matching": {{"start": ["{PING_KEY}"]}}}}'},
    ],
)
def test_a_settings_error_names_the_setting_and_shows_no_secret(tmp_path: Path, bad: dict[str, str]) -> None:
    env = secret_environment(tmp_path, f"sqlite:///{tmp_path / 'store.db'}") | bad

    code, output = run(env, "status")

    assert code == 2 and "Bad setting" in output and "PROACTIVE_" in output, output
    assert "Traceback" not in output
    assert_no_secret(output)


def test_status_logs_and_a_failing_alert_show_no_secret(store: Engine, tmp_path: Path) -> None:
    url = store.url
    if url.get_backend_name() == "postgresql":  # a password the server does not ask for (trust) but we hold
        url = url.set(password=DB_PASSWORD)
    env = secret_environment(tmp_path, url.render_as_string(hide_password=False))
    (tmp_path / "policies").mkdir()
    env["PROACTIVE_POLICIES__FOLDER"] = str(tmp_path / "policies")
    env["PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES"] = "true"

    outputs = [run(env, "-v", "policy", "match"), run(env, "-v", "status"), run(env, "status", "--format", "json")]

    for _, output in outputs:
        assert_no_secret(output)
    assert "ping not delivered" in outputs[0][1], outputs[0][1]  # the pings were tried, and failed, unnamed
