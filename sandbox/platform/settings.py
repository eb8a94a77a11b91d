"""Settings of one platform instance, and the faults it injects (which tests may change while it runs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

SHANGHAI = ZoneInfo("Asia/Shanghai")
LayoutName = Literal["standard", "alternate", "element"]


def shanghai_now() -> datetime:
    """Local wall-clock time in China, naive (that is how the platform stores and shows it)."""
    return datetime.now(SHANGHAI).replace(tzinfo=None)


class Faults(BaseModel):
    """What the instance does wrong on purpose; every field can be changed on a running instance."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    layout: LayoutName = Field(default="standard", description="which platform build the pages look like")
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0, description="share of requests answered with a 500")
    error_paths: list[str] = Field(
        default_factory=list, description="only requests to paths starting with one of these fail (empty: all)"
    )
    error_phase: Literal["before", "after"] = Field(
        default="before",
        description="before: the request is not handled; after: it is handled, then the answer is lost (a 500)",
    )
    slow_ms: int = Field(default=0, ge=0, le=60_000, description="random added latency, up to this many ms")
    session_ttl: int = Field(default=1800, ge=1, description="a session expires this many seconds after login")
    expire_every: int = Field(default=0, ge=0, description="force a session to expire on its N-th request (0: off)")


class PlatformSettings(BaseModel):
    """One instance: its own SQLite file, its seeded accounts, its faults. A bad value fails at construction."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    db_path: Path
    layout: LayoutName = "standard"
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    error_phase: Literal["before", "after"] = "before"
    slow_ms: int = Field(default=0, ge=0, le=60_000)
    session_ttl: int = Field(default=1800, ge=1)
    expire_every: int = Field(default=0, ge=0)
    seed: int = 0
    admin: bool = Field(default=False, description="enable the /_sandbox/ endpoints (tests and the demo only)")
    applicant_username: str = Field(default="agent", min_length=1)
    applicant_password: str = Field(default="agent-pass", min_length=1)
    approver_username: str = Field(default="approver", min_length=1)
    approver_password: str = Field(default="approver-pass", min_length=1)
    clock: Callable[[], datetime] = Field(default=shanghai_now, exclude=True)

    def initial_faults(self) -> Faults:
        return Faults(
            layout=self.layout,
            error_rate=self.error_rate,
            error_phase=self.error_phase,
            slow_ms=self.slow_ms,
            session_ttl=self.session_ttl,
            expire_every=self.expire_every,
        )
