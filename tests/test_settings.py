"""Settings: environment over TOML over defaults; secrets from files; a bad value names the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.runtime import Runtime
from ground.calendar import UnknownYearPolicy
from ground.settings import SettingsError, load_settings
from ground.store import StoreUnavailable


def test_defaults_are_the_embedded_sqlite_store_in_shanghai_time(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()

    assert settings.database_url.get_secret_value() == "sqlite:///var/proactive.db"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.calendar.unknown_year is UnknownYearPolicy.RULE


def test_the_working_folder_setting_moves_the_default_database_with_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROACTIVE_VAR_DIR", str(tmp_path / "county"))
    monkeypatch.delenv("PROACTIVE_DATABASE_URL", raising=False)

    engine = Runtime(load_settings()).engine  # the folder is made: it is the store's own default place

    assert engine.url.database == str(tmp_path / "county" / "proactive.db")
    assert (tmp_path / "county" / "proactive.db").exists()


def test_a_database_in_a_folder_that_is_not_there_is_named_not_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROACTIVE_DATABASE_URL", f"sqlite:///{tmp_path / 'typo' / 'proactive.db'}")

    with pytest.raises(StoreUnavailable, match=r"PROACTIVE_DATABASE_URL: the SQLite database's folder .*typo"):
        _ = Runtime(load_settings()).engine
    assert not (tmp_path / "typo").exists()


def test_a_nested_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROACTIVE_CALENDAR__UNKNOWN_YEAR", "stop")

    assert load_settings().calendar.unknown_year is UnknownYearPolicy.STOP


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PROACTIVE_CALENDAR__UNKNOWN_YEAR", "guess", "PROACTIVE_CALENDAR__UNKNOWN_YEAR"),
        ("PROACTIVE_TIMEZONE", "Mars/Olympus", "PROACTIVE_TIMEZONE"),
        ("PROACTIVE_SCHEDULE__REFRESH_CRON", "every night", "PROACTIVE_SCHEDULE__REFRESH_CRON"),
        ("PROACTIVE_SCAN__LEAD_WORKING_DAYS", "-3", "PROACTIVE_SCAN__LEAD_WORKING_DAYS"),
    ],
)
def test_a_bad_value_stops_start_up_and_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_a_secret_comes_from_a_file_and_is_not_echoed_when_wrong(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "db_url"
    secret.write_text("postgresql+psycopg://agent:s3cret@db/proactive\n", encoding="utf-8")
    monkeypatch.setenv("PROACTIVE_DATABASE_URL_FILE", str(secret))

    settings = load_settings()

    assert settings.database_url.get_secret_value() == "postgresql+psycopg://agent:s3cret@db/proactive"
    assert "s3cret" not in repr(settings)


def test_settings_come_from_a_toml_file_under_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "proactive.toml"
    config.write_text(
        'timezone = "Asia/Urumqi"\n[schedule]\nrefresh_cron = "30 1 * * *"\n'
        '[[registries]]\nname = "licences"\nmapping = "county_licences"\npath = "/data/licences.csv"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PROACTIVE_CONFIG", str(config))
    monkeypatch.setenv("PROACTIVE_TIMEZONE", "Asia/Shanghai")

    settings = load_settings()

    assert (settings.timezone, settings.schedule.refresh_cron) == ("Asia/Shanghai", "30 1 * * *")
    assert settings.registries[0].mapping == "county_licences"


def test_a_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROACTIVE_CONFIG", str(tmp_path / "nowhere.toml"))

    with pytest.raises(SettingsError, match=r"nowhere\.toml"):
        load_settings()


def test_the_platform_password_comes_from_a_file_beside_other_platform_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "platform_password"
    secret.write_text("bot-s3cret\n", encoding="utf-8")
    monkeypatch.setenv("PROACTIVE_PLATFORM__PASSWORD_FILE", str(secret))
    monkeypatch.setenv("PROACTIVE_PLATFORM__BASE_URL", "http://zwfw.example:8080")

    platform = load_settings().platform

    assert platform.password is not None and platform.password.get_secret_value() == "bot-s3cret"
    assert platform.base_url == "http://zwfw.example:8080"


def test_a_platform_without_the_bot_password_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROACTIVE_PLATFORM__BASE_URL", "http://zwfw.example:8080")

    with pytest.raises(SettingsError, match=r"PROACTIVE_PLATFORM.*needs the bot's password"):
        load_settings()
