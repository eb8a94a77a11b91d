"""The platform the bots work on, from the settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bots.profile import load_profile
from bots.session import Platform
from ground.outside_work.policy import RetryPolicy
from ground.settings import PlatformSettings


def platform_from(settings: PlatformSettings, var_dir: Path, base_url: str | None = None) -> Platform | None:
    """The configured platform (or the one at `base_url`); None when no platform is configured."""
    url = base_url or settings.base_url
    if url is None:
        return None
    profile = load_profile(settings.profile)
    folder = var_dir / "bots"
    return Platform(
        base_url=url,
        profile=profile,
        username=settings.username,
        password=settings.password or SecretStr(""),
        state_file=folder / f"{profile.name}.session.json",
        trace_dir=folder / "traces",
        timeout_ms=settings.timeout_ms,
        trace_screencast=settings.trace_screencast,
        trace_first_try=settings.trace_first_try,
    )


def retry_policy(settings: PlatformSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.max_attempts,
        backoff_seconds=settings.backoff_seconds,
        breaker_threshold=settings.breaker_threshold,
        park_after=settings.park_after,
    )
