"""Field checks: the vectorised fast paths must agree with the reference implementations they shortcut."""

from __future__ import annotations

import numpy as np
import pandas as pd
import phonenumbers

from domain.registries.checks import normalise_phones


def _full_parse(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_every_cn_number_prefix_gets_the_same_answer_as_a_full_parse() -> None:
    rng = np.random.default_rng(7)
    prefixes = [f"1{p:03d}" for p in range(1000)]  # every 11-digit number starts with one of these
    numbers = [p + f"{rng.integers(0, 10**7):07d}" for p in prefixes for _ in range(3)]
    numbers += ["+86" + n for n in numbers[::7]]
    raw = pd.Series(numbers, dtype="str")
    normalised, problems = normalise_phones(raw, "CN", mobile_only=True)
    expected = [_full_parse(n) for n in numbers]
    assert [None if pd.isna(v) else v for v in normalised] == expected
    assert (problems.notna() == pd.Series([e is None for e in expected])).all()


def test_landlines_and_odd_forms_still_go_through_the_full_parse() -> None:
    raw = pd.Series(["0477-8512345", " 138 1234 5678 ", "12345", None, "", "+86 13812345678"], dtype="str")
    normalised, problems = normalise_phones(raw, "CN", mobile_only=True)
    assert list(normalised.fillna("-")) == ["-", "+8613812345678", "-", "-", "-", "+8613812345678"]
    assert list(problems.fillna("-")) == ["不是手机号码", "-", "号码无效", "-", "-", "-"]
