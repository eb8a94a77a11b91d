"""Checks of single values. Each returns None when the value is fine, else a message with a `{label}` slot."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from sandbox.platform.vocab import CONDITIONS_CHANGED_REFUSAL

# GB 32100-2015: 31 characters (no I, O, S, V, Z); the weight of position i is 3**i mod 31.
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

LICENCE_NO = re.compile(r"JY\d{14}")
MOBILE = re.compile(r"1[3-9]\d{9}")
ACCOUNT = re.compile(r"\d{12,25}")
AMOUNT = re.compile(r"\d+(\.\d{1,2})?")


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 characters are `first17`."""
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code(value: str) -> str | None:
    if len(value) != 18 or any(c not in _CREDIT_VALUE for c in value):
        return "{label}应为18位数字或大写字母"
    if credit_check_char(value[:17]) != value[17]:
        return "{label}校验位不正确"
    return None


def licence_no(value: str) -> str | None:
    return None if LICENCE_NO.fullmatch(value) else "{label}应为JY加14位数字"


def mobile(value: str) -> str | None:
    return None if MOBILE.fullmatch(value) else "{label}应为11位手机号码"


def iso_date(value: str) -> str | None:
    return None if parse_date(value) else "{label}不是有效日期"


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def amount(value: str) -> str | None:
    if not AMOUNT.fullmatch(value):
        return "{label}应为正数，最多两位小数"
    try:
        positive = Decimal(value) > 0
    except InvalidOperation:
        positive = False
    return None if positive else "{label}应大于0"


def bank_account(value: str) -> str | None:
    return None if ACCOUNT.fullmatch(value) else "{label}应为12至25位数字"


def conditions_unchanged(value: str) -> str | None:
    return CONDITIONS_CHANGED_REFUSAL if value == "是" else None
