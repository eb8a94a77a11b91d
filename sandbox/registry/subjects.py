"""Market subjects (市场主体): who they are, and the columns of subjects.csv."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.codes import credit_ascii, draw_credit_codes
from sandbox.registry.days import Days, day_number
from sandbox.registry.identities import Phones, addresses, person_names, phones_with_defects, town_names
from sandbox.registry.support_facts import SUPPORT_COLUMNS, Business, support_columns
from sandbox.registry.text import Strings, ascii_rows, cents_as_decimal, choose, integers, iso_dates, join, pick, where

SUBJECT_COLUMNS = (
    "统一社会信用代码",
    "主体名称",
    "主体类型",
    "法定代表人",
    "住所",
    "乡镇",
    "行业代码",
    "从业人数",
    "上年营业收入(万元)",
    "纳税信用等级",
    "高新技术企业",
    "成立日期",
    "登记状态",
    "联系电话",
    "经营异常名录",
    "严重违法失信名单",
    *SUPPORT_COLUMNS,
)

SUBJECT_KINDS = ("企业", "个体工商户")
REGISTRATION_STATUSES = ("存续", "注销", "吊销")
ACTIVE, DEREGISTERED, STRUCK_OFF = 0, 1, 2
TAX_GRADES = ("A", "B", "M", "C", "D")  # ordered from least to most risky
# (individual, enterprise) shares of each tax grade
_TAX_GRADE_SHARES = ((0.04, 0.50, 0.36, 0.07, 0.03), (0.18, 0.55, 0.17, 0.07, 0.03))
_UNIFIED_CODE_REFORM = day_number(date(2015, 10, 1))
_EARLIEST_FOUNDING = day_number(date(1992, 1, 1))


@dataclass(frozen=True)
class SubjectDraw:
    """What is decided about subjects before their licences: kind of business, size of their licence set."""

    archetype: NDArray[np.int64]
    individual: NDArray[np.bool_]
    risk: NDArray[np.float64]  # hidden: how carelessly the business is run (standard normal)
    town: NDArray[np.int64]
    licence_count: NDArray[np.int64]

    @property
    def n(self) -> int:
        return len(self.archetype)


@dataclass(frozen=True)
class SubjectFacts:
    """What the licences and events need to know about each subject once it exists."""

    founded: Days
    status: NDArray[np.int8]
    code: NDArray[np.uint8]  # (n, 18) indices into the GB 32100 character set
    name: Strings
    address: Strings
    phones: Phones

    @property
    def code_strings(self) -> Strings:
        return ascii_rows(credit_ascii(self.code))


def draw_subjects(rng: np.random.Generator, licences: int) -> SubjectDraw:
    """Enough subjects to hold exactly `licences` licences, 1-3 each (most 1)."""
    candidates = licences  # every subject has at least one licence, so this many always suffice
    weights = np.array([a.weight for a in vocab.ARCHETYPES])
    archetype = rng.choice(len(weights), size=candidates, p=weights / weights.sum())
    count_probs = np.array([a.licence_counts for a in vocab.ARCHETYPES])
    cumulative = np.cumsum(count_probs, axis=1)[archetype]
    count = 1 + (rng.random(candidates)[:, None] > cumulative[:, :2]).sum(axis=1)
    running = np.cumsum(count)
    n = int(np.searchsorted(running, licences)) + 1
    count = count[:n].copy()
    count[-1] -= running[n - 1] - licences
    archetype = archetype[:n]
    individual_share = np.array([a.individual_share for a in vocab.ARCHETYPES])
    return SubjectDraw(
        archetype=archetype,
        individual=rng.random(n) < individual_share[archetype],
        risk=rng.standard_normal(n),
        town=_draw_towns(rng, archetype),
        licence_count=count,
    )


def _draw_towns(rng: np.random.Generator, archetype: NDArray[np.int64]) -> NDArray[np.int64]:
    default = np.array([t[1] for t in vocab.TOWNS])
    cumulative = np.cumsum([a.town_weights or tuple(default) for a in vocab.ARCHETYPES], axis=1)
    cumulative /= cumulative[:, -1:]
    rows = cumulative[archetype]
    town: NDArray[np.int64] = np.minimum((rng.random(len(archetype))[:, None] > rows).sum(axis=1), len(default) - 1)
    return town


def settle_subjects(rng: np.random.Generator, draw: SubjectDraw, earliest_licence: Days) -> SubjectFacts:
    """Founding dates (before their first licence), registration status, codes, names, addresses, phones."""
    n = draw.n
    lead = np.where(draw.individual, rng.integers(0, 700, n), rng.integers(30, 4000, n))
    founded = np.maximum(earliest_licence - lead, _EARLIEST_FOUNDING)
    struck_off = rng.random(n) < 0.004 * np.exp(0.7 * draw.risk - 0.245)
    deregistered = ~struck_off & (rng.random(n) < 0.012)
    status = np.where(struck_off, STRUCK_OFF, np.where(deregistered, DEREGISTERED, ACTIVE)).astype(np.int8)
    legacy = ~draw.individual & (founded < _UNIFIED_CODE_REFORM) & (rng.random(n) < 0.95)
    code = draw_credit_codes(rng, draw.individual, legacy, vocab.REGION_CODE)
    return SubjectFacts(
        founded=founded,
        status=status,
        code=code,
        name=_subject_names(rng, draw),
        address=addresses(rng, draw.town),
        phones=phones_with_defects(rng, n, missing=0.05, invalid=0.02),
    )


def _per_archetype(rng: np.random.Generator, archetype: NDArray[np.int64], choices: list[tuple[str, ...]]) -> Strings:
    """One draw per row from the row's archetype's own list of choices."""
    sizes = np.array([len(c) for c in choices])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = [word for c in choices for word in c]
    index = offsets[archetype] + (rng.random(len(archetype)) * sizes[archetype]).astype(np.int64)
    return pick(flat, index)


def _subject_names(rng: np.random.Generator, draw: SubjectDraw) -> Strings:
    n = draw.n
    u = rng.random(n)
    brand = where(
        u < 0.7,
        choose(rng, vocab.TRADE_WORDS, n),
        where(u < 0.85, join("老", choose(rng, vocab.SURNAMES, n)), person_names(rng, n)),
    )
    place = rng.random(n)
    individual_prefix = where(
        place < 0.75, join(vocab.COUNTY, town_names(draw.town)), where(place < 0.9, vocab.COUNTY, "")
    )
    individual = join(
        individual_prefix,
        brand,
        _per_archetype(rng, draw.archetype, [a.individual_suffixes for a in vocab.ARCHETYPES]),
    )
    region = rng.random(n)
    enterprise_prefix = where(region < 0.45, vocab.CITY, where(region < 0.8, vocab.COUNTY, "内蒙古"))
    enterprise_brand = join(
        choose(rng, vocab.TRADE_WORDS, n),
        where(rng.random(n) < 0.25, choose(rng, vocab.TRADE_WORDS, n), ""),
    )
    enterprise = join(
        enterprise_prefix,
        enterprise_brand,
        _per_archetype(rng, draw.archetype, [a.enterprise_suffixes for a in vocab.ARCHETYPES]),
    )
    return where(draw.individual, individual, enterprise)


@dataclass(frozen=True)
class SubjectFlags:
    abnormal_now: NDArray[np.bool_]
    serious: NDArray[np.bool_]


def subject_columns(
    rng: np.random.Generator,
    draw: SubjectDraw,
    facts: SubjectFacts,
    flags: SubjectFlags,
    support: np.random.Generator,
    as_of: int,
) -> dict[str, Strings]:
    """The columns of subjects.csv, one row per subject, in subject order. The subsidy policies' facts come from
    the `support` stream, so that the older columns draw exactly what they drew before those were added."""
    n = draw.n
    kind = draw.individual.astype(np.int64)
    arche = vocab.ARCHETYPES
    employees_mu = np.array([a.employees_log_mean for a in arche])[draw.archetype]
    employees = np.where(
        draw.individual,
        np.minimum(rng.geometric(0.45, n), 30),
        np.maximum(1, np.rint(np.exp(rng.normal(employees_mu, 0.9)))).astype(np.int64),
    )
    revenue_mu = np.where(draw.individual, 2.8, np.array([a.revenue_log_mean for a in arche])[draw.archetype])
    revenue_cents = np.rint(np.exp(rng.normal(revenue_mu, np.where(draw.individual, 0.8, 1.2))) * 100)
    high_tech_share = np.array([a.high_tech_share for a in arche])[draw.archetype]
    high_tech = ~draw.individual & (rng.random(n) < high_tech_share)
    yes_no = ("否", "是")
    business = Business(draw.archetype, draw.individual, facts.founded, employees, revenue_cents / 100, high_tech)
    return {
        "统一社会信用代码": facts.code_strings,
        "主体名称": facts.name,
        "主体类型": pick(SUBJECT_KINDS, kind),
        "法定代表人": person_names(rng, n),
        "住所": facts.address,
        "乡镇": town_names(draw.town),
        "行业代码": _per_archetype(rng, draw.archetype, [a.industries for a in arche]),
        "从业人数": integers(employees),
        "上年营业收入(万元)": cents_as_decimal(revenue_cents.astype(np.int64)),
        "纳税信用等级": pick(TAX_GRADES, _tax_grades(rng, draw)),
        "高新技术企业": pick(yes_no, high_tech.astype(np.int64)),
        "成立日期": iso_dates(facts.founded),
        "登记状态": pick(REGISTRATION_STATUSES, facts.status.astype(np.int64)),
        "联系电话": facts.phones.number,
        "经营异常名录": pick(yes_no, flags.abnormal_now.astype(np.int64)),
        "严重违法失信名单": pick(yes_no, flags.serious.astype(np.int64)),
        **support_columns(support, business, as_of),
    }


def _tax_grades(rng: np.random.Generator, draw: SubjectDraw) -> NDArray[np.int64]:
    """Grades follow the hidden risk loosely: t = 0.6·risk + 0.8·noise is standard normal."""
    t = 0.6 * draw.risk + 0.8 * rng.standard_normal(draw.n)
    normal = NormalDist()
    cuts = np.array([[normal.inv_cdf(c) for c in np.cumsum(shares)[:-1]] for shares in _TAX_GRADE_SHARES])
    row_cuts = cuts[np.where(draw.individual, 0, 1)]
    grade: NDArray[np.int64] = (t[:, None] > row_cuts).sum(axis=1)
    return grade
