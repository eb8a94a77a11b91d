"""Every setting in one place: environment variables (`PROACTIVE_…`, nested with `__`) over an optional TOML
file (`PROACTIVE_CONFIG`), over the defaults below.

A secret may also come from a file named by `PROACTIVE_<NAME>_FILE` (container and systemd credentials), so it
never has to sit in the environment. A bad value stops start-up with a message that names the setting.
"""

from __future__ import annotations

import os
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from ground.calendar import UnknownYearPolicy
from ground.events import Event

ENV_PREFIX = "PROACTIVE_"
# The shipped data files live beside the code that reads them, in their own packages.
PROJECT_DIR = Path(__file__).resolve().parent.parent
HOURS = r"^\d\d:\d\d-\d\d:\d\d$"


def _crontab(value: str) -> str:
    CronTrigger.from_crontab(value)  # raises ValueError naming what is wrong
    return value


Crontab = Annotated[str, AfterValidator(_crontab)]  # a schedule in crontab syntax, checked at start-up


class SettingsError(Exception):
    """A setting has a bad value; the message names it."""


class CalendarSettings(BaseModel):
    holiday_dir: Path | None = Field(
        default=None,
        description="Folder of operator holiday files (one YAML per year) for unpublished years.",
    )
    unknown_year: UnknownYearPolicy = Field(
        default=UnknownYearPolicy.RULE,
        description=(
            "For a year with neither published schedule nor holiday file. rule: count the statutory holidays by "
            "rule (provisional: 调休 unknown) and warn on every affected case; weekdays: count Mon-Fri and warn; "
            "stop: refuse to scan."
        ),
    )


class ScanSettings(BaseModel):
    licence_types_file: Path = Field(
        default=PROJECT_DIR / "domain" / "licence_types.yaml",
        description="Licence types with their renewal windows and legal references.",
    )
    lead_working_days: int = Field(
        default=10, ge=0, le=120, description="Open a case this many working days before its window opens."
    )
    lapsed_grace_days: int = Field(
        default=90,
        ge=0,
        le=3650,
        description="Still open a case for a licence that lapsed this many days ago.",
    )


class ConsentMode(StrEnum):
    ASK = "ask"  # the holder is invited and replies (回复1同意 / 回复2有变化); only consented cases are filed
    DEEMED = "deemed"  # the bureau's rules deem consent given: name them in consent_reference


class RenewalSettings(BaseModel):
    """The holder's authorisation (授权) of what a seamless renewal declares in their name."""

    consent: ConsentMode = Field(
        default=ConsentMode.ASK, description="ask: invite the holder and file only on their reply; deemed: see rule."
    )
    consent_reference: str | None = Field(
        default=None, description="The rule that lets the bureau deem consent given (required with consent=deemed)."
    )
    consent_working_days: int = Field(
        default=5, ge=1, le=30, description="Working days the holder has to answer the invitation."
    )

    @model_validator(mode="after")
    def _deemed_has_reference(self) -> RenewalSettings:
        if self.consent is ConsentMode.DEEMED and not (self.consent_reference or "").strip():
            raise ValueError("consent=deemed needs consent_reference: the rule that allows it")
        return self


class ModelSettings(BaseModel):
    dir: Path | None = Field(default=None, description="Trained models; default <var_dir>/models.")
    history_file: Path = Field(
        default=PROJECT_DIR / "models" / "history.yaml",
        description="What the registry's event outcomes mean (inspection results, penalty severities...).",
    )
    label_file: Path = Field(
        default=PROJECT_DIR / "models" / "label.yaml",
        description="Which historical events are training examples and which outcome is positive.",
    )
    feature_file: Path = Field(
        default=PROJECT_DIR / "models" / "features.yaml",
        description="Which features the classifier builds from the history (kinds, windows, typed attributes).",
    )
    target_precision: float = Field(
        default=0.98, gt=0.5, le=1.0, description="Share of seamless cases that must be approvable as filed."
    )
    assisted_min_score: float = Field(
        default=0.5, ge=0.0, lt=1.0, description="Below this calibrated score a case is only reminded."
    )


class PolicySettings(BaseModel):
    folder: Path = Field(
        default=PROJECT_DIR / "policies",
        description="The subsidy policies, one YAML file each, with their test cases under tests/.",
    )
    match_cron: Crontab = Field(default="30 3 * * *", description="When to match the registry against the policies.")
    allow_placeholder_references: bool = Field(
        default=False,
        description="Create and pay subsidy cases of policies whose references are still placeholders (〔待填…〕); "
        "off, such policies are matched for preview and explain only.",
    )


class PlatformSettings(BaseModel):
    base_url: str | None = Field(
        default=None, description="The approval platform; unset, the bots do not run (the demo starts the sandbox)."
    )
    profile: str = Field(default="standard", description="A shipped site profile name or a profile YAML path.")
    username: str = Field(default="agent", description="The bot's platform account.")
    password: SecretStr | None = Field(default=None, description="Also from PROACTIVE_PLATFORM__PASSWORD_FILE.")
    concurrency: int = Field(default=1, ge=1, le=8, description="Pages at work at once in the bot's one browser.")
    timeout_ms: int = Field(default=15_000, ge=1_000)
    max_attempts: int = Field(default=3, ge=1, description="Tries per case in one run.")
    backoff_seconds: float = Field(default=2.0, ge=0)
    breaker_threshold: int = Field(default=3, ge=1, description="Cases failing in a row before a run stops.")
    park_after: int = Field(default=9, ge=1, description="Transient failures of one case before it is parked.")
    hours: str = Field(default="08:30-17:30", pattern=HOURS, description="When to pre-fill.")
    days: Literal["working", "every"] = Field(
        default="working", description="Pre-fill on working days only (the calendar's, 调休 included) or every day."
    )
    prefill_minutes: int = Field(default=30, ge=1, description="Pre-fill and status sync every this many minutes.")
    lease_seconds: float = Field(
        default=900.0,
        gt=0,
        description="A pre-fill round holds each case it takes this long (from taking it): far longer than one case's "
        "tries, so that a slow round keeps its case; a killed worker's cases go to another round after it.",
    )
    evidence_days: int = Field(
        default=90, ge=1, description="Days a failed attempt's screenshot and trace are kept (a parked case's: longer)."
    )
    trace_screencast: bool = Field(
        default=False,
        description="Record a filmstrip of the page in each attempt's trace. The trace's DOM snapshots and the "
        "failure's screenshot are kept either way; the filmstrip doubles the browser's CPU a case.",
    )
    trace_first_try: bool = Field(
        default=True,
        description="Trace a case's first try in a round too. Off, only its retries are (Playwright's "
        "on-first-retry): a first try that fails keeps its screenshot and the platform's words, a retry its trace. "
        "The trace costs about a fifth of the browser's CPU a case: for counties filing thousands a day.",
    )

    @model_validator(mode="after")
    def _password_with_url(self) -> PlatformSettings:
        if self.base_url is not None and self.password is None:
            raise ValueError("a platform base_url needs the bot's password (PROACTIVE_PLATFORM__PASSWORD[_FILE])")
        return self

    def in_hours(self, moment: time) -> bool:
        start, end = (time.fromisoformat(part) for part in self.hours.split("-"))
        return start <= moment < end


class BureauSettings(BaseModel):
    """Who writes to the holders: printed on every letter, and the number every message gives."""

    name: str = Field(default="鄂托克旗政务服务局", min_length=2)
    phone: str = Field(default="0477-6212345", min_length=5)
    address: str = Field(default="内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇政务服务中心", min_length=5)
    postcode: str = Field(default="016100", pattern=r"^\d{6}$")


class SmsSettings(BaseModel):
    sender: Literal["file", "twilio"] = Field(
        default="file", description="file: write each SMS to <var_dir>/sms-outbox (dry run); twilio: send."
    )
    signature: str = Field(
        default="【鄂托克旗政务服务】", pattern=r"^【[^【】]{2,16}】$", description="Carrier-registered SMS signature."
    )
    carrier_templates: dict[str, str] = Field(
        # Placeholders until the carrier approves each template and the county enters the real ids.
        default_factory=lambda: {event.value: f"PLACEHOLDER-{event.value}" for event in Event},
        description="Event → the carrier's approved template id. An event not listed is never sent by SMS.",
    )
    account_sid: str | None = Field(default=None, pattern=r"^AC[0-9a-f]{32}$")
    auth_token: SecretStr | None = Field(default=None, description="Also from PROACTIVE_NOTIFY__SMS__AUTH_TOKEN_FILE.")
    from_number: str | None = Field(default=None, description="Sender number, or use messaging_service_sid.")
    messaging_service_sid: str | None = Field(default=None, pattern=r"^MG[0-9a-f]{32}$")
    api_base_url: str = Field(default="https://api.twilio.com", description="Twilio's API, or the sandbox gateway.")
    public_url: str | None = Field(
        default=None, description="How Twilio reaches this service's webhooks (status callbacks, inbound replies)."
    )
    webhook_host: str = Field(default="127.0.0.1", description="Where the webhooks listen (behind the proxy).")
    webhook_port: int | None = Field(default=None, ge=0, le=65535, description="`proactive serve` listens here.")
    send_hours: str = Field(default="08:00-21:00", pattern=HOURS, description="When SMS may go out on working days.")
    rest_day_hours: str = Field(default="10:00-20:00", pattern=HOURS, description="…on weekends and holidays.")
    daily_cap: int = Field(default=3, ge=1, le=20, description="SMS to one mobile in one day, at most.")
    max_segments: int = Field(default=4, ge=1, le=10, description="Longest SMS, in billed segments.")
    max_attempts: int = Field(default=6, ge=1, description="Transient failures before the holder gets a letter.")
    backoff_seconds: float = Field(default=30.0, ge=0, description="First retry delay; doubles each time.")
    timeout_seconds: float = Field(default=15.0, gt=0)
    dispatch_minutes: int = Field(default=5, ge=1, description="Send what is due every this many minutes.")

    @field_validator("carrier_templates")
    @classmethod
    def _known_events(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - {event.value for event in Event})
        if unknown:
            raise ValueError(f"unknown events {unknown}; known: {[event.value for event in Event]}")
        return value

    @model_validator(mode="after")
    def _twilio_complete(self) -> SmsSettings:
        if self.sender != "twilio":
            return self
        missing = [name for name in ("account_sid", "auth_token") if getattr(self, name) is None]
        if self.from_number is None and self.messaging_service_sid is None:
            missing.append("from_number or messaging_service_sid")
        if missing:
            raise ValueError(f"sender twilio needs {', '.join(missing)}")
        if self.webhook_port is not None and self.public_url is None:
            raise ValueError("webhook_port needs public_url: signatures are checked against the URL Twilio calls")
        return self


class LetterSettings(BaseModel):
    dir: Path | None = Field(default=None, description="Daily letter batches; default <var_dir>/letters.")
    page_limit: int = Field(default=2, ge=1, le=10, description="A longer letter is refused.")
    postcodes_file: Path = Field(
        default=PROJECT_DIR / "notifications" / "postcodes.yaml",
        description="Township → postcode; a letter to a township not listed is refused, never given another's.",
    )
    batch_cron: Crontab = Field(default="0 15 * * 1-5", description="When the day's letters are printed.")


class NotifySettings(BaseModel):
    bureau: BureauSettings = BureauSettings()
    sms: SmsSettings = SmsSettings()
    letters: LetterSettings = LetterSettings()
    reminder_marks: list[int] = Field(
        default_factory=lambda: [60, 30, 15, 5],
        min_length=1,
        description="Working days before expiry at which a holder still to renew is reminded.",
    )
    supply_working_days: int = Field(default=10, ge=1, le=60, description="容缺: working days to send what is missing.")


class ChaseSettings(BaseModel):
    """催办: a case waiting on the approver past its promised working days is chased by SMS at the approving
    department, its contact first and then its supervisor, until the decision arrives."""

    departments_file: Path = Field(
        default=PROJECT_DIR / "domain" / "chasing" / "departments.yaml",
        description="Departments with their contact and supervisor, and which department approves which matter.",
    )
    repeat_working_days: int = Field(default=1, ge=1, le=20, description="Working days between two chases of a case.")
    contact_chases: int = Field(
        default=2, ge=1, le=10, description="Chases to the department's contact before its supervisor is chased."
    )
    cron: Crontab = Field(default="0 9 * * *", description="When to chase (on the calendar's working days only).")


class AssistSettings(BaseModel):
    roster_file: Path = Field(
        default=PROJECT_DIR / "domain" / "assistance" / "roster.yaml",
        description="帮办代办: the service officers and the townships each serves.",
    )


class ConsoleSettings(BaseModel):
    """The staff console (`proactive console`, or inside `proactive serve` when a port is set)."""

    host: str = Field(default="127.0.0.1", description="Where the console listens (behind the intranet's proxy).")
    port: int | None = Field(default=None, ge=0, le=65535, description="`proactive serve` also serves it here.")
    idle_minutes: int = Field(default=30, ge=1, le=24 * 60, description="A session unused this long ends.")
    session_hours: int = Field(default=12, ge=1, le=72, description="A session ends this long after sign-in.")
    lockout_failures: int = Field(default=5, ge=1, le=100, description="Wrong passwords in a row that lock it.")
    lockout_minutes: int = Field(default=15, ge=1, description="How long a locked account stays locked.")
    secure_cookies: bool = Field(default=False, description="Mark the cookies Secure: set it behind HTTPS.")
    stand_ins: bool = Field(
        default=False, description="Say on every page that the platform and SMS gateway are local stand-ins (demo)."
    )


class RegistrySource(BaseModel):
    """One registry export the scheduled job loads: where it is and which mapping reads it."""

    name: str
    mapping: str = Field(description="A shipped mapping name or the path of a mapping YAML file.")
    path: Path | None = None
    url: SecretStr | None = Field(default=None, description="SQLAlchemy URL of a registry database view.")
    query: str | None = None


class JobPings(BaseModel):
    """A dead-man's switch for one job (healthchecks.io style): each URL is requested when a run starts, succeeds
    or fails (or degrades); a monitor that hears no success in time raises its own alarm. The URLs hold the
    check's secret key."""

    start: SecretStr | None = Field(default=None, description="Requested when a run starts.")
    success: SecretStr | None = Field(default=None, description="Requested when a run ends ok.")
    fail: SecretStr | None = Field(default=None, description="Requested when a run fails or is degraded.")


class OpsSettings(BaseModel):
    """What tells the operator how the unattended service is doing: health and metrics, pings, alerts, logs."""

    host: str = Field(default="127.0.0.1", description="Where /healthz and /metrics listen (`proactive serve`).")
    port: int | None = Field(
        default=None, ge=0, le=65535, description="`proactive serve` answers /healthz and /metrics here."
    )
    pings: dict[str, JobPings] = Field(
        default_factory=dict, description="Job id → its dead-man's-switch URLs (start, success, fail)."
    )
    ping_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60, description="A ping or alert taking longer is given up; the job goes on."
    )
    alert_webhook_url: SecretStr | None = Field(
        default=None, description="POSTed a JSON alert when a job run fails or is degraded."
    )
    alert_mobile: str | None = Field(
        default=None,
        pattern=r"^(\+86)?1\d{10}$",
        description="The operator's mobile: an SMS (运行告警) through the outbox when a job run fails or degrades.",
    )
    log_format: Literal["json", "text"] = Field(
        default="text", description="json: one event per line for a log collector; text: for a person at a terminal."
    )


class ScheduleSettings(BaseModel):
    refresh_cron: Crontab = Field(default="0 2 * * *", description="When to load the registries and scan.")
    misfire_grace_seconds: int = Field(default=3600, ge=1)
    run_on_start: bool = Field(default=False, description="Also run the refresh once when the service starts.")
    standby_seconds: float = Field(
        default=10.0,
        gt=0,
        description="On PostgreSQL, a second `proactive serve` stands by and asks for the scheduler lock this often; "
        "the holder checks its lock as often, so a standby takes over within about this long of the holder's end.",
    )


class WorkerSettings(BaseModel):
    broker_url: SecretStr | None = Field(
        default=None,
        description="RabbitMQ URL (amqp://user:password@host:5672//). Set: the service enqueues the bot rounds, the "
        "SMS dispatch and the letters for `proactive worker` processes; unset: it runs them itself. "
        "Also from PROACTIVE_WORKERS__BROKER_URL_FILE.",
    )
    redis_url: SecretStr = Field(
        default=SecretStr("redis://127.0.0.1:6379/0"),
        description="Redis holding the platform's session limit (platform.concurrency) across all workers. "
        "Also from PROACTIVE_WORKERS__REDIS_URL_FILE.",
    )
    queue: str = Field(default="proactive", min_length=1, description="The RabbitMQ queue the tasks go through.")
    cases_per_task: int = Field(
        default=10,
        ge=1,
        description="The scheduler enqueues a matter's pre-fill in tasks of at most this many cases: idle workers "
        "take them, so one matter's cases are filed by several workers at once.",
    )
    lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A platform session's slot is renewed while it works; a killed worker's slot is free again "
        "this long after its last renewal.",
    )


def default_database_url(fields: dict[str, Any]) -> SecretStr:
    """The SQLite file in the working folder: `PROACTIVE_VAR_DIR` moves the database with the rest of the data."""
    return SecretStr(f"sqlite:///{Path(fields.get('var_dir', 'var')) / 'proactive.db'}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    var_dir: Path = Field(default=Path("var"), description="Working data: SQLite file, reports, traces.")
    database_url: SecretStr = Field(  # after var_dir: its default is a file in var_dir
        default_factory=default_database_url, description="SQLAlchemy URL; <var_dir>/proactive.db by default."
    )
    timezone: str = Field(default="Asia/Shanghai")
    calendar: CalendarSettings = CalendarSettings()
    scan: ScanSettings = ScanSettings()
    renewal: RenewalSettings = RenewalSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    model: ModelSettings = ModelSettings()
    policies: PolicySettings = PolicySettings()
    platform: PlatformSettings = PlatformSettings()
    notify: NotifySettings = NotifySettings()
    chase: ChaseSettings = ChaseSettings()
    assist: AssistSettings = AssistSettings()
    console: ConsoleSettings = ConsoleSettings()
    ops: OpsSettings = OpsSettings()
    workers: WorkerSettings = WorkerSettings()
    registries: list[RegistrySource] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _is_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [
            init_settings,
            SecretFileSource(settings_cls),
            env_settings,
        ]
        config_file = os.environ.get(f"{ENV_PREFIX}CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)


SECRET_FIELDS = (
    ("database_url",),
    ("platform", "password"),
    ("notify", "sms", "auth_token"),
    ("workers", "broker_url"),
    ("workers", "redis_url"),
)
# Settings whose value is secret wherever they appear (a registry's database URL, with its password).
SECRET_NAMES = {
    ("url",),
    ("broker_url",),
    ("redis_url",),
    ("password",),
    ("auth_token",),
    ("alert_webhook_url",),
    ("start",),
    ("success",),
    ("fail",),
}


class SecretFileSource(PydanticBaseSettingsSource):
    """Reads `PROACTIVE_<NAME>_FILE` for secret settings; the file's content (stripped) is the value."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for *parents, name in SECRET_FIELDS:
            variable = ENV_PREFIX + "__".join(part.upper() for part in (*parents, name)) + "_FILE"
            path = os.environ.get(variable)
            if path is None:
                continue
            try:
                secret = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"{variable}: cannot read {path}: {exc.strerror}") from exc
            target = values
            for parent in parents:
                target = target.setdefault(parent, {})
            target[name] = secret
        return values


def describe_error(error: ValidationError) -> str:
    """Turn pydantic's report into lines that name each bad setting as the operator would write it."""
    lines = []
    for item in error.errors():
        name = ENV_PREFIX + "__".join(str(part) for part in item["loc"]).upper()
        shown = "" if _may_hold_a_secret(item["loc"], item.get("input")) else f" (got {item.get('input')!r})"
        lines.append(f"setting {name}: {item['msg']}{shown}")
    return "\n".join(lines)


def _may_hold_a_secret(loc: tuple[int | str, ...], value: Any) -> bool:
    """Whether a bad value must not be echoed: a secret setting, or a whole section (a check across its settings,
    such as "sender twilio needs …", sees them all, the auth token among them)."""
    names = tuple(part for part in loc if isinstance(part, str))
    secret = any(names[: len(path)] == path for path in SECRET_FIELDS) or (names[-1:] in SECRET_NAMES)
    return secret or isinstance(value, dict | list | tuple | SecretStr)


def load_settings() -> Settings:
    """Read the settings, or raise SettingsError naming every bad one."""
    config_file = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if config_file and not Path(config_file).is_file():
        raise SettingsError(f"{ENV_PREFIX}CONFIG: no such file {config_file}")
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe_error(exc)) from None  # pydantic's own report echoes the values
