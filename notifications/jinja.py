"""The one Jinja2 environment setup for every notification template: a missing value is an error, never a gap."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def cn_date(value: date | str) -> str:
    """2026年12月3日: how a date is written to a holder (from a date, or ISO text as the outbox keeps it)."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: float) -> str:
    """12,000元 (whole yuan) or 12,000.50元."""
    return f"{amount:,.0f}元" if float(amount).is_integer() else f"{amount:,.2f}元"


def environment(*, autoescape: bool, template_dir: Path = TEMPLATE_DIR) -> Environment:
    """SMS templates are plain text (no escaping); letters are HTML (autoescaped)."""
    env = Environment(
        loader=FileSystemLoader(template_dir),
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["yuan"] = yuan
    return env
