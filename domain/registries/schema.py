"""The canonical fields each registry target has, with their kinds and the codes a mapping may produce."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    CODE = "code"  # a source value translated through the mapping's code table
    DATE = "date"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    CREDIT_CODE = "credit_code"
    PHONE = "phone"


# The most characters a text field may hold: a registry's names and codes are far shorter, so a value past this is
# a broken or hostile export, not a record to send letters to.
TEXT_LIMIT = 200
ADDRESS_LIMIT = 300
FREE_TEXT_LIMIT = 2000  # business items, event details


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    codes: frozenset[str] = frozenset()
    max_length: int = TEXT_LIMIT  # for text fields


LICENCE_STATUSES = frozenset({"valid", "expired", "cancelled", "revoked", "suspended", "pending", "refused"})
SUBJECT_STATUSES = frozenset({"active", "deregistered", "revoked"})
SUBJECT_KINDS = frozenset({"enterprise", "individual"})
EVENT_KINDS = frozenset(
    {
        "inspection",
        "penalty",
        "registration_change",
        "complaint",
        "abnormal_listed",
        "abnormal_removed",
        "renewal",
        "earlier_term",
    }
)
BOOLEAN_CODES = frozenset({"true", "false"})


@dataclass(frozen=True)
class Target:
    """A canonical table a registry export loads into."""

    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # what makes two rows the same record

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


LICENCES = Target(
    "licences",
    (
        Field("licence_no", required=True),
        Field("subject_key", required=True),
        Field("credit_code", Kind.CREDIT_CODE),
        Field("licence_type", Kind.CODE, required=True),
        Field("type_label"),
        Field("holder_name", required=True),
        Field("address", max_length=ADDRESS_LIMIT),
        Field("business_form"),
        Field("business_items", max_length=FREE_TEXT_LIMIT),
        Field("issuer"),
        Field("valid_from", Kind.DATE),
        Field("expires_on", Kind.DATE, required=True),
        Field("status", Kind.CODE, required=True, codes=LICENCE_STATUSES),
        Field("mobile", Kind.PHONE),
    ),
    key=("licence_no",),
)

SUBJECTS = Target(
    "subjects",
    (
        Field("subject_key", required=True),
        Field("credit_code", Kind.CREDIT_CODE),
        Field("name", required=True),
        Field("kind", Kind.CODE, codes=SUBJECT_KINDS),
        Field("legal_rep"),
        Field("address", max_length=ADDRESS_LIMIT),
        Field("township"),
        Field("industry_code"),
        Field("employees", Kind.INT),
        Field("revenue_10k_yuan", Kind.FLOAT),
        Field("tax_credit_rating"),
        Field("high_tech", Kind.BOOL),
        Field("registered_on", Kind.DATE),
        Field("status", Kind.CODE, required=True, codes=SUBJECT_STATUSES),
        Field("mobile", Kind.PHONE),
        Field("abnormal_list", Kind.BOOL),
        Field("serious_violation_list", Kind.BOOL),
        Field("rd_share", Kind.FLOAT),
        Field("tax_paid_10k_yuan", Kind.FLOAT),
        Field("new_loans_10k_yuan", Kind.FLOAT),
        Field("graduates_hired", Kind.INT),
        Field("high_tech_certified_on", Kind.DATE),
        Field("specialised_sme_on", Kind.DATE),
        Field("tech_sme_on", Kind.DATE),
        Field("tourism_stars", Kind.INT),
        Field("tourism_rated_on", Kind.DATE),
        Field("bank_name"),
        Field("bank_account"),
    ),
    key=("subject_key",),
)

EVENTS = Target(
    "licence_events",
    (
        Field("licence_no"),
        Field("subject_key"),
        Field("kind", Kind.CODE, required=True, codes=EVENT_KINDS),
        Field("occurred_on", Kind.DATE, required=True),
        Field("outcome"),
        Field("severity"),
        Field("detail", max_length=FREE_TEXT_LIMIT),
    ),
    key=("licence_no", "subject_key", "kind", "occurred_on", "outcome", "severity", "detail"),
)

TARGETS = {t.name: t for t in (LICENCES, SUBJECTS, EVENTS)}
