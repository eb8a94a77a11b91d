"""What the subsidy policies ask about: last year's R&D, taxes, loans and graduate hires, the certifications with
the day each was granted, and 牧家乐 star ratings — the columns subjects.csv gained for 免申即享.

Drawn from a random stream of their own, so adding them left every other column of the county unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.days import Days
from sandbox.registry.text import Strings, cents_as_decimal, digits, integers, iso_dates, join, pick, where

SUPPORT_COLUMNS = (
    "研发费用占营业收入比例(%)",
    "上年纳税总额(万元)",
    "上年新增贷款(万元)",
    "上年新招用高校毕业生人数",
    "高新技术企业认定日期",
    "专精特新中小企业认定日期",
    "科技型中小企业入库日期",
    "乡村旅游接待户星级",
    "星级评定日期",
    "开户银行",
    "银行账号",
)
CERTIFICATE_YEARS = 3  # 高新技术企业 and 专精特新 certificates, and star ratings, are valid three years
TECH_SME_LOOKBACK_DAYS = 420  # the register is renewed every year: most entries are from this year, some from last
STAR_SHARES = (0.15, 0.3, 0.3, 0.18, 0.07)  # 1 to 5 stars
# The county's banks: name, the branch's account prefix, the account number's length, the share of accounts.
BANKS = (
    ("中国农业银行鄂托克旗支行", "0545", 19, 0.3),
    ("中国工商银行鄂托克旗支行", "0602", 19, 0.15),
    ("中国建设银行鄂托克旗支行", "1505", 20, 0.15),
    ("内蒙古鄂托克农村商业银行股份有限公司", "8001", 18, 0.25),
    ("中国银行鄂托克旗支行", "1470", 19, 0.05),
    ("中国邮政储蓄银行鄂托克旗支行", "9150", 19, 0.1),
)
# The settlement account the tax bureau holds for the subject (where a subsidy is paid): nearly every enterprise,
# most individual businesses (the rest are paid to the operator's card, which the registry does not hold).
ACCOUNT_SHARES = {"enterprise": 0.97, "individual": 0.8}


@dataclass(frozen=True)
class Business:
    """What is already known of each subject that these facts depend on."""

    archetype: NDArray[np.int64]
    individual: NDArray[np.bool_]
    founded: Days
    employees: NDArray[np.int64]
    revenue_10k_yuan: NDArray[np.float64]
    high_tech: NDArray[np.bool_]

    @property
    def n(self) -> int:
        return len(self.archetype)


def support_columns(rng: np.random.Generator, business: Business, as_of: int) -> dict[str, Strings]:
    """The columns, in SUPPORT_COLUMNS order; empty where a subject has no such figure or certificate."""
    enterprise = ~business.individual
    tech_sme = enterprise & (rng.random(business.n) < _by_archetype(business, "tech_sme_share"))
    specialised = enterprise & (rng.random(business.n) < _by_archetype(business, "specialised_share"))
    rated = rng.random(business.n) < _by_archetype(business, "rated_inn_share")
    stars = 1 + rng.choice(len(STAR_SHARES), size=business.n, p=STAR_SHARES)
    certificate_days = CERTIFICATE_YEARS * 365
    return {
        "研发费用占营业收入比例(%)": where(enterprise, _amounts(_rd_share(rng, business, tech_sme)), ""),
        "上年纳税总额(万元)": _amounts(_tax_paid(rng, business)),
        "上年新增贷款(万元)": _amounts(_new_loans(rng, business)),
        "上年新招用高校毕业生人数": integers(_graduates(rng, business)),
        "高新技术企业认定日期": _dates(business.high_tech, _granted(rng, business, as_of, certificate_days)),
        "专精特新中小企业认定日期": _dates(specialised, _granted(rng, business, as_of, certificate_days)),
        "科技型中小企业入库日期": _dates(tech_sme, _granted(rng, business, as_of, TECH_SME_LOOKBACK_DAYS)),
        "乡村旅游接待户星级": where(rated, integers(stars), ""),
        "星级评定日期": _dates(rated, _granted(rng, business, as_of, certificate_days)),
        **_bank_accounts(rng, business),  # drawn last: the columns above draw what they drew before these
    }


def _by_archetype(business: Business, name: str) -> NDArray[np.float64]:
    shares: NDArray[np.float64] = np.array([getattr(a, name) for a in vocab.ARCHETYPES])[business.archetype]
    return shares


def _rd_share(rng: np.random.Generator, business: Business, tech_sme: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Percent of revenue. A certified high-tech firm or one in the tech-SME register spends at least what their
    rules ask (3-5 %), so the share is lifted to at least 3-8 % for them."""
    active = rng.random(business.n) < _by_archetype(business, "rd_active_share")
    spend = np.exp(rng.normal(_by_archetype(business, "rd_log_mean"), 0.6))
    floor = np.where(business.high_tech | tech_sme, rng.uniform(3.0, 8.0, business.n), 0.0)
    share: NDArray[np.float64] = np.minimum(np.maximum(np.where(active, spend, 0.0), floor), 60.0)
    return share


def _tax_paid(rng: np.random.Generator, business: Business) -> NDArray[np.float64]:
    """Enterprises pay a few percent of revenue; most individual businesses are under the VAT threshold."""
    enterprise_rate = np.exp(rng.normal(np.log(0.04), 0.5, business.n))
    individual_rate = np.where(rng.random(business.n) < 0.3, 0.015, 0.0)
    paid: NDArray[np.float64] = business.revenue_10k_yuan * np.where(
        business.individual, individual_rate, enterprise_rate
    )
    return paid


def _new_loans(rng: np.random.Generator, business: Business) -> NDArray[np.float64]:
    """About a fifth of enterprises borrowed last year (a share of revenue); a few individuals took a start-up
    loan (创业担保贷款, at most 30万)."""
    enterprise = rng.random(business.n) < 0.22
    individual = rng.random(business.n) < 0.06
    loans = np.where(
        business.individual,
        np.where(individual, rng.uniform(5.0, 30.0, business.n), 0.0),
        np.where(enterprise, business.revenue_10k_yuan * rng.uniform(0.05, 0.4, business.n), 0.0),
    )
    rounded: NDArray[np.float64] = np.asarray(np.round(loans, 0), dtype=np.float64)
    return rounded


def _graduates(rng: np.random.Generator, business: Business) -> NDArray[np.int64]:
    per_employee = np.where(business.individual, 0.0, np.where(business.high_tech, 0.12, 0.04))
    hired: NDArray[np.int64] = rng.poisson(per_employee * business.employees)
    return hired


def _granted(rng: np.random.Generator, business: Business, as_of: int, lookback_days: int) -> Days:
    """A day in the last `lookback_days`, and at least half a year after the subject was founded."""
    earliest = np.minimum(np.maximum(as_of - lookback_days, business.founded + 180), as_of)
    granted: Days = earliest + (rng.random(business.n) * (as_of - earliest + 1)).astype(np.int64)
    return granted


def _amounts(values: NDArray[np.float64]) -> Strings:
    return cents_as_decimal(np.rint(values * 100).astype(np.int64))


def _dates(held: NDArray[np.bool_], days: Days) -> Strings:
    return where(held, iso_dates(days), "")


def _bank_accounts(rng: np.random.Generator, business: Business) -> dict[str, Strings]:
    """开户银行 and 银行账号: a bank by its share, and an account number of that bank's prefix and length."""
    share = np.where(business.individual, ACCOUNT_SHARES["individual"], ACCOUNT_SHARES["enterprise"])
    held = rng.random(business.n) < share
    bank = rng.choice(len(BANKS), size=business.n, p=[b[3] for b in BANKS])
    serial = rng.integers(0, 10**14, size=business.n, dtype=np.int64)
    rows = [np.flatnonzero(bank == index) for index in range(len(BANKS))]
    numbers = [
        join(prefix, digits(serial[mine], length - len(prefix)))
        for (_, prefix, length, _), mine in zip(BANKS, rows, strict=True)
    ]
    back = np.argsort(np.concatenate(rows), kind="stable")  # from grouped by bank to subject order
    return {
        "开户银行": where(held, pick([b[0] for b in BANKS], bank), ""),
        "银行账号": where(held, pa.concat_arrays(numbers).take(pa.array(back)), ""),
    }
