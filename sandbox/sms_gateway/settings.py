"""Settings of one gateway instance, and the faults it injects (which tests may change while it runs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ACCOUNT_SID = r"^AC[0-9a-fA-F]{32}$"
MESSAGING_SERVICE_SID = r"^MG[0-9a-fA-F]{32}$"
E164 = Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{5,14}$")]
# The default number we send from: a Twilio long code (Twilio numbers are not Chinese; the recipients are).
DEFAULT_SENDER = "+15005550006"
# Twilio's standard opt-out and opt-in keywords, and the ones Chinese carriers require (回复TD退订).
OPT_OUT_KEYWORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "T", "TD", "退订")
OPT_IN_KEYWORDS = ("START", "YES", "UNSTOP")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Faults(BaseModel):
    """What the instance does wrong on purpose; every field can be changed on a running instance."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    invalid_numbers: frozenset[E164] = Field(default=frozenset(), description="recipients refused with 21211")
    unsubscribed_numbers: frozenset[E164] = Field(default=frozenset(), description="recipients refused with 21610")
    undelivered_numbers: dict[E164, int] = Field(
        default_factory=dict, description="recipient -> error code: accepted and sent, then 'undelivered'"
    )
    failed_numbers: dict[E164, int] = Field(
        default_factory=dict, description="recipient -> error code: accepted, then 'failed' without being sent"
    )
    rate_limit_share: float = Field(default=0.0, ge=0.0, le=1.0, description="share of API calls answered 429")
    retry_after_s: int = Field(default=1, ge=0, description="the Retry-After header of a 429")
    server_error_share: float = Field(default=0.0, ge=0.0, le=1.0, description="share answered 500 or 503")
    error_phase: Literal["before", "after"] = Field(
        default="before",
        description="before: a 5xx call is not handled; after: it is handled (a message is created), the answer lost",
    )
    slow_ms: int = Field(default=0, ge=0, le=60_000, description="latency added to every API call")
    delivery_step_ms: int = Field(
        default=200, ge=0, le=3_600_000, description="time between two delivery statuses of a message"
    )


class GatewaySettings(BaseModel):
    """One instance: its own SQLite file, the account it answers for, its faults. A bad value fails here."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    db_path: Path
    account_sid: str = Field(pattern=ACCOUNT_SID)
    auth_token: str = Field(min_length=8, repr=False)
    phone_numbers: tuple[E164, ...] = Field(
        default=(DEFAULT_SENDER,),
        min_length=1,
        description="the account's numbers: a From must be one of them; inbound replies arrive at the first",
    )
    messaging_service_sid: str | None = Field(default=None, pattern=MESSAGING_SERVICE_SID)
    inbound_webhook: str | None = Field(default=None, description="where inbound SMS are POSTed (signed)")
    callback_timeout_s: float = Field(default=5.0, gt=0, le=60)
    callback_attempts: int = Field(default=3, ge=1, le=10, description="tries of a webhook POST that fails")
    seed: int = Field(default=0, description="seed of the fault draws")
    faults: Faults = Field(default_factory=Faults, description="the faults it starts with")
    clock: Callable[[], datetime] = Field(default=utc_now, exclude=True)
