"""Field checks, vectorised over pandas Series: each returns a boolean mask of the values that are wrong."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import phonenumbers

# GB 32100-2015: 统一社会信用代码 uses these 31 characters; weights are 3^i mod 31.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
CREDIT_CODE_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CHAR_VALUE = np.full(128, -1, dtype=np.int64)
for _value, _char in enumerate(CREDIT_CODE_CHARSET):
    _CHAR_VALUE[ord(_char)] = _value


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a credit code whose first 17 characters are given."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * int(w) for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def bad_credit_codes(codes: pd.Series) -> pd.Series:
    """True where a present code is malformed or its check character is wrong (missing values are not bad)."""
    present = codes.notna() & (codes != "")
    shaped = codes.where(present, "").str.fullmatch(CREDIT_CODE_SHAPE).fillna(False).astype(bool)
    bad = present & ~shaped
    if shaped.any():
        good_shape = codes[shaped].to_numpy(dtype="U18")
        chars = good_shape.view(np.uint32).reshape(-1, 18).astype(np.int64)
        values = _CHAR_VALUE[chars]
        expected = (31 - (values[:, :17] * CREDIT_CODE_WEIGHTS).sum(axis=1) % 31) % 31
        bad.loc[shaped] = values[:, 17] != expected
    return bad


# A spreadsheet runs a cell starting with = or @, or with + or - before a name or a call (`+cmd|' /C calc'!A0`,
# `-2+3+cmd|…`, `-SUM(A1)`): no registry name or address looks like that, and the value would reach exports that
# staff open in Excel. A sign before a number, or a dash for "none" or inside an address, is left alone. Leading
# tabs and CRs (the other trigger) are stripped before any check, so they never reach the store.
FORMULA = re.compile(r"[=@]|[+-].*[A-Za-z(|!]")


def formula_like(values: pd.Series) -> pd.Series:
    """True where a present text value would be run as a formula by a spreadsheet."""
    return values.str.match(FORMULA).fillna(False).astype(bool)


def bad_pattern(values: pd.Series, pattern: str) -> pd.Series:
    """True where a present value does not match the whole pattern."""
    present = values.notna() & (values != "")
    matches = values.where(present, "").str.fullmatch(pattern).fillna(False).astype(bool)
    return present & ~matches


@lru_cache(maxsize=65536)
def _normalise_phone(raw: str, region: str, mobile_only: bool) -> tuple[str | None, str | None]:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, "号码无法解析"
    if not phonenumbers.is_valid_number(number):
        return None, "号码无效"
    kind = phonenumbers.number_type(number)
    mobile_kinds = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    if mobile_only and kind not in mobile_kinds:
        return None, "不是手机号码"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def cn_mobile(raw: str) -> tuple[str | None, str | None]:
    """One Chinese mobile number in E.164, or None with the reason it was refused."""
    return _normalise_phone(raw.strip(), "CN", True)


def _fast_mobiles(values: pd.Series, region: str) -> pd.Series:
    """E.164 for the values written plainly as a mobile number of the region (`13812345678`, `+8613812345678`).

    The pattern is phonenumbers' own metadata for the region's mobile numbers, so this agrees with a full parse;
    it exists because a full parse costs ~40 µs and a county registry has a million distinct numbers.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if region != "CN" or metadata is None or metadata.mobile is None:
        return pd.Series(None, index=values.index, dtype="str")  # only CN's plain form is checked to agree
    pattern = rf"(?:\+{metadata.country_code})?({metadata.mobile.national_number_pattern})"
    national = values.str.extract(f"^{pattern}$", expand=False)
    return f"+{metadata.country_code}" + national


def normalise_phones(raw: pd.Series, region: str, mobile_only: bool) -> tuple[pd.Series, pd.Series]:
    """E.164 numbers and, beside them, why a present number was refused (None when fine or absent).

    Plain mobile numbers take a vectorised path; the rest are parsed once per distinct value.
    """
    stripped = raw.str.strip()
    numbers = _fast_mobiles(stripped, region)
    rest = stripped.notna() & (stripped != "") & numbers.isna()
    parsed = {value: _normalise_phone(str(value), region, mobile_only) for value in stripped[rest].unique()}
    numbers = numbers.fillna(stripped[rest].map({value: result[0] for value, result in parsed.items()}))
    problems = stripped[rest].map({value: result[1] for value, result in parsed.items()})
    return numbers.astype("str"), problems.reindex(raw.index).astype("str")
