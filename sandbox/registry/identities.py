"""People's names, addresses and telephone numbers, drawn in bulk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.text import Strings, choose, digits, integers, join, maybe, pick, where

MONGOLIAN_NAME_SHARE = 0.22

# Kinds of telephone value, as the bureau's scan would see them.
PHONE_VALID, PHONE_MISSING, PHONE_INVALID = 0, 1, 2


def person_names(rng: np.random.Generator, n: int) -> Strings:
    """Han names (surname + one or two characters) and Mongolian names (one or two name parts)."""
    han = join(
        choose(rng, vocab.SURNAMES, n),
        choose(rng, vocab.GIVEN_CHARS, n),
        maybe(rng.random(n) < 0.7, choose(rng, vocab.GIVEN_CHARS, n)),
    )
    parts = len(vocab.MONGOLIAN_NAME_PARTS)
    first = rng.integers(0, parts, n)
    second = (first + rng.integers(1, parts, n)) % parts  # never the same part twice
    mongolian = join(
        pick(vocab.MONGOLIAN_NAME_PARTS, first),
        maybe(rng.random(n) < 0.3, pick(vocab.MONGOLIAN_NAME_PARTS, second)),
    )
    return where(rng.random(n) < MONGOLIAN_NAME_SHARE, mongolian, han)


def town_names(town: NDArray[np.int64]) -> Strings:
    return pick([t[0] for t in vocab.TOWNS], town)


def addresses(rng: np.random.Generator, town: NDArray[np.int64]) -> Strings:
    """Street addresses in the towns, 嘎查 addresses in the pastoral 苏木 (and much of 木凯淖尔镇)."""
    n = len(town)
    pastoral_share = np.array(
        [0.9 if name.endswith("苏木") else (0.6 if pastoral else 0.0) for name, _, pastoral in vocab.TOWNS]
    )
    rural = rng.random(n) < pastoral_share[town]
    rural_address = join(
        choose(rng, vocab.GACHA, n),
        "嘎查",
        maybe(rng.random(n) < 0.6, join(integers(rng.integers(1, 120, n)), "号")),
    )
    unit = rng.random(n)
    street_address = join(
        choose(rng, vocab.ROADS, n),
        integers(rng.integers(1, 400, n)),
        "号",
        maybe(
            unit < 0.3, join(integers(rng.integers(1, 20, n)), "号楼", integers(rng.integers(101, 130, n)), "号底商")
        ),
        maybe((unit >= 0.3) & (unit < 0.5), join(integers(rng.integers(1, 60, n)), "号商铺")),
    )
    prefix = where(rng.random(n) < 0.3, vocab.PROVINCE_CITY + vocab.COUNTY, vocab.COUNTY)
    return join(prefix, town_names(town), where(rural, rural_address, street_address))


def mobiles(rng: np.random.Generator, n: int) -> Strings:
    """Valid-looking Chinese mobile numbers: a carrier prefix and 8 digits."""
    return join(choose(rng, vocab.MOBILE_PREFIXES, n), digits(rng.integers(0, 10**8, n), 8))


@dataclass(frozen=True)
class Phones:
    number: Strings
    kind: NDArray[np.int8]


def phones_with_defects(rng: np.random.Generator, n: int, missing: float, invalid: float) -> Phones:
    """Mobiles, with a share missing (empty) and a share unusable as a mobile.

    Unusable values: 10 digits, 12 digits, a landline of the county (0477-62xxxxx), or a placeholder.
    """
    u = rng.random(n)
    kind = np.where(u < missing, PHONE_MISSING, np.where(u < missing + invalid, PHONE_INVALID, PHONE_VALID))
    kind = kind.astype(np.int8)
    number = where(kind == PHONE_MISSING, "", mobiles(rng, n))
    bad = kind == PHONE_INVALID
    number = pc.replace_with_mask(number, pa.array(bad), unusable_phones(rng, int(bad.sum())))
    return Phones(number=number, kind=kind)


def unusable_phones(rng: np.random.Generator, n: int) -> Strings:
    variant = rng.integers(0, 5, n)
    mobile = mobiles(rng, n)
    ten_digits = pc.utf8_slice_codeunits(mobile, 0, 10)
    twelve_digits = join(mobile, integers(rng.integers(0, 10, n)))
    landline = join("0477-62", digits(rng.integers(0, 10**5, n), 5))
    placeholder = where(rng.random(n) < 0.5, "1234567890", "00000000000")
    result = where(variant == 0, ten_digits, twelve_digits)
    result = where(variant == 2, landline, result)
    result = where(variant == 3, placeholder, result)
    return where(variant == 4, ten_digits, result)
