"""Identifier check characters: 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997).

Each rule has a plain scalar form (for tests and for reading) and a vectorised form over index matrices
(one row per code), which is what the generator uses for a million codes at a time.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# GB 32100-2015: the 31 characters a unified social credit code may use (no I, O, S, V, Z).
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Weight of position i (0-based) is 3**i mod 31.
CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714-1997: the organisation code body is 8 characters of 0-9A-Z, valued 0..35, then a check character.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_BODY_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 characters are `first17`."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}: {first17!r}")
    try:
        total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"{first17!r} has a character outside GB 32100's set: {exc}") from None
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when `code` is 18 characters of the GB 32100 set and its last one is the right check character."""
    if len(code) != 18 or any(c not in _CREDIT_VALUE for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def org_code_check_char(body8: str) -> str:
    """The 9th character of an organisation code (GB 11714) whose body is `body8`: 0-9 or X."""
    if len(body8) != 8:
        raise ValueError(f"expected 8 characters, got {len(body8)}: {body8!r}")
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    return _org_check_from_remainder(11 - total % 11)


def _org_check_from_remainder(value: int) -> str:
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_check_indices(first17: NDArray[np.integer]) -> NDArray[np.uint8]:
    """Vectorised GB 32100 check: `first17` is an (n, 17) matrix of indices into CREDIT_CHARSET."""
    total = first17.astype(np.int64) @ np.asarray(CREDIT_WEIGHTS, dtype=np.int64)
    return ((31 - total % 31) % 31).astype(np.uint8)


def org_check_chars(body_values: NDArray[np.integer]) -> NDArray[np.uint8]:
    """Vectorised GB 11714 check: `body_values` is (n, 8) of values 0..35; returns ASCII bytes ('0'-'9', 'X')."""
    total = body_values.astype(np.int64) @ np.asarray(ORG_WEIGHTS, dtype=np.int64)
    value = 11 - total % 11  # 1..11
    digit = np.where(value == 11, 0, value)
    return np.where(value == 10, ord("X"), ord("0") + digit).astype(np.uint8)


# GB 11714 value (0..35) of each character of the GB 32100 set, for organisation-code bodies drawn from it.
_ORG_VALUE_OF_CREDIT_INDEX = np.array([int(c, 36) for c in CREDIT_CHARSET], dtype=np.int64)
_CREDIT_INDEX_OF_ASCII = np.full(128, 255, dtype=np.uint8)
_CREDIT_INDEX_OF_ASCII[np.frombuffer(CREDIT_CHARSET.encode(), dtype=np.uint8)] = np.arange(31, dtype=np.uint8)
CREDIT_ASCII = np.frombuffer(CREDIT_CHARSET.encode(), dtype=np.uint8)


def draw_credit_codes(
    rng: np.random.Generator,
    individual: NDArray[np.bool_],
    legacy_org_code: NDArray[np.bool_],
    region: str,
) -> NDArray[np.uint8]:
    """Unique, valid unified social credit codes as an (n, 18) matrix of indices into CREDIT_CHARSET.

    Registration authority 9 (market regulation); kind 1 enterprise, 2 individual business; `region`; then a
    GB 11714 organisation code: 8 digits for `legacy_org_code` rows (enterprises that had one before 2015),
    'MA' + 6 characters otherwise (codes assigned since the 2015 reform); then the GB 32100 check character.
    """
    n = len(individual)
    codes = np.zeros((n, 18), dtype=np.uint8)
    codes[:, 0] = 9
    codes[:, 1] = np.where(individual, 2, 1)
    codes[:, 2:8] = _CREDIT_INDEX_OF_ASCII[np.frombuffer(region.encode(), dtype=np.uint8)]
    todo = np.arange(n)
    while todo.size:
        codes[todo, 8:16] = _draw_org_bodies(rng, legacy_org_code[todo])
        todo = _duplicated_rows(codes[:, np.r_[1, 8:16]])  # region is the same for all
    org_check_ascii = org_check_chars(_ORG_VALUE_OF_CREDIT_INDEX[codes[:, 8:16]])
    codes[:, 16] = _CREDIT_INDEX_OF_ASCII[org_check_ascii]
    codes[:, 17] = credit_check_indices(codes[:, :17])
    return codes


def credit_ascii(codes: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """(n, 18) indices into CREDIT_CHARSET as ASCII bytes."""
    return CREDIT_ASCII[codes]


def _draw_org_bodies(rng: np.random.Generator, legacy: NDArray[np.bool_]) -> NDArray[np.uint8]:
    n = len(legacy)
    bodies = rng.integers(0, 31, size=(n, 8), dtype=np.uint8)
    bodies[:, 0] = np.where(legacy, bodies[:, 0] % 10, _CREDIT_INDEX_OF_ASCII[ord("M")])
    bodies[:, 1] = np.where(legacy, bodies[:, 1] % 10, _CREDIT_INDEX_OF_ASCII[ord("A")])
    bodies[legacy, 2:] %= 10
    return bodies


def _duplicated_rows(matrix: NDArray[np.uint8]) -> NDArray[np.intp]:
    """Indices of rows equal to an earlier row (at most 12 columns of values below 32)."""
    keys = np.zeros(len(matrix), dtype=np.int64)
    for col in range(matrix.shape[1]):
        keys = keys * 32 + matrix[:, col]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    repeat = np.zeros(len(keys), dtype=bool)
    repeat[1:] = sorted_keys[1:] == sorted_keys[:-1]
    return np.sort(order[repeat])
