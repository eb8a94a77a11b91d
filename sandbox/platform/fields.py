"""The two matters' fields by canonical name, what each accepts, and the checks that span several fields.

Nothing here knows about labels or pages: a layout (layouts.py) gives each field its label and its step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sandbox.platform import checks, vocab

Value = str | bool | list[str]
Data = dict[str, Value]
Check = Callable[[str], str | None]


class Kind(StrEnum):
    TEXT = "text"
    TEL = "tel"
    DATE = "date"
    SELECT = "select"
    REMOTE_SELECT = "remote_select"  # a <select> whose options a script loads from `source` after the page loads
    RADIO = "radio"
    CHECKBOXES = "checkboxes"
    CHECKBOX = "checkbox"
    TEXTAREA = "textarea"
    # An attachment: a PDF checked and stored by the platform (attachments.py); the field's value is the stored
    # file's name, never a posted text.
    FILE = "file"


CHOICE_KINDS = {Kind.SELECT, Kind.REMOTE_SELECT, Kind.RADIO}


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = True
    options: tuple[str, ...] = ()
    check: Check | None = None
    max_length: int = 200
    source: str = ""


@dataclass(frozen=True)
class Rule:
    """A check over several fields; it runs on the step where the last of its fields is entered."""

    fields: tuple[str, ...]
    check: Callable[[Mapping[str, Value], Mapping[str, str]], str | None]


@dataclass(frozen=True)
class Matter:
    key: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]
    subject_field: str
    licence_field: str | None

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


class FormLike(Protocol):
    def get(self, key: str) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


def _expires_after_issued(data: Mapping[str, Value], labels: Mapping[str, str]) -> str | None:
    issued, expires = (
        checks.parse_date(str(data.get("issued_on", ""))),
        checks.parse_date(str(data.get("expires_on", ""))),
    )
    if issued and expires and expires <= issued:
        return f"{labels['expires_on']}应晚于{labels['issued_on']}"
    return None


def _posted_needs_address(data: Mapping[str, Value], labels: Mapping[str, str]) -> str | None:
    if data.get("delivery") != vocab.BY_POST:
        return None
    missing = [labels[name] for name in ("recipient", "recipient_address") if not data.get(name)]
    return f"选择{vocab.BY_POST}的，请填写{'、'.join(missing)}" if missing else None


FOOD_RENEWAL = Matter(
    key="food_renewal",
    fields=(
        Field("reference", max_length=64),
        Field("holder_name"),
        Field("credit_code", check=checks.credit_code),
        Field("legal_rep", max_length=50),
        Field("address"),
        Field("contact_name", max_length=50),
        Field("contact_phone", Kind.TEL, check=checks.mobile),
        Field("licence_no", check=checks.licence_no),
        Field("issuer", Kind.REMOTE_SELECT, options=vocab.ISSUERS, source="/api/issuers"),
        Field("issued_on", Kind.DATE, check=checks.iso_date),
        Field("expires_on", Kind.DATE, check=checks.iso_date),
        Field("premises"),
        Field("business_form", Kind.RADIO, options=vocab.BUSINESS_FORMS),
        Field("business_items", Kind.CHECKBOXES, options=vocab.BUSINESS_ITEMS),
        Field("online", Kind.RADIO, options=vocab.YES_NO),
        Field("warehouse_address", required=False),
        Field("conditions_changed", Kind.RADIO, options=vocab.NO_YES, check=checks.conditions_unchanged),
        Field("safety_manager", max_length=50),
        Field("cite_business_licence", Kind.CHECKBOX),
        Field("cite_food_licence", Kind.CHECKBOX),
        Field("delivery", Kind.SELECT, options=vocab.DELIVERY),
        Field("recipient", required=False, max_length=50),
        Field("recipient_address", required=False),
        Field("remark", Kind.TEXTAREA, required=False, max_length=2000),
        Field("promise", Kind.CHECKBOX),
        Field("application_form", Kind.FILE, max_length=255),
    ),
    rules=(
        Rule(("issued_on", "expires_on"), _expires_after_issued),
        Rule(("delivery", "recipient", "recipient_address"), _posted_needs_address),
    ),
    subject_field="holder_name",
    licence_field="licence_no",
)

SUBSIDY = Matter(
    key="subsidy",
    fields=(
        Field("reference", max_length=64),
        Field("company_name"),
        Field("credit_code", check=checks.credit_code),
        Field("policy", Kind.REMOTE_SELECT, options=vocab.POLICIES, source="/api/policies"),
        Field("amount", check=checks.amount, max_length=16),
        Field("bank"),
        Field("account", check=checks.bank_account, max_length=25),
        Field("contact_name", max_length=50),
        Field("contact_phone", Kind.TEL, check=checks.mobile),
        Field("remark", Kind.TEXTAREA, required=False, max_length=2000),
        Field("promise", Kind.CHECKBOX),
        Field("application_form", Kind.FILE, max_length=255),
    ),
    rules=(),
    subject_field="company_name",
    licence_field=None,
)

MATTERS = {m.key: m for m in (FOOD_RENEWAL, SUBSIDY)}


def read_values(fields: Iterable[Field], form: FormLike) -> Data:
    """The posted values of `fields`, trimmed; an unticked checkbox is False, an empty group an empty list. An
    attachment is not read here: its value is what the platform stored (attachments.py), whatever a form says."""
    values: Data = {}
    for field in fields:
        if field.kind is Kind.FILE:
            continue
        if field.kind is Kind.CHECKBOXES:
            values[field.name] = [str(v) for v in form.getlist(field.name)]
        elif field.kind is Kind.CHECKBOX:
            values[field.name] = form.get(field.name) is not None
        else:
            raw = str(form.get(field.name) or "").strip()
            values[field.name] = raw.upper() if field.check is checks.credit_code else raw
    return values


def field_problems(field: Field, value: Value, label: str) -> list[str]:
    """What is wrong with one field's value, in words the applicant can act on."""
    if isinstance(value, bool):
        return [f"请勾选“{label}”"] if field.required and not value else []
    if isinstance(value, list):
        return _group_problems(field, value, label)
    if not value:
        verb = "请选择" if field.kind in CHOICE_KINDS else "请上传" if field.kind is Kind.FILE else "请填写"
        return [f"{verb}{label}"] if field.required else []
    return _text_problems(field, value, label)


def _group_problems(field: Field, value: list[str], label: str) -> list[str]:
    if field.required and not value:
        return [f"请至少选择一项{label}"]
    return [f"{label}包含无效选项"] if any(v not in field.options for v in value) else []


def _text_problems(field: Field, value: str, label: str) -> list[str]:
    if len(value) > field.max_length:
        return [f"{label}不能超过{field.max_length}个字"]
    if field.options and value not in field.options:
        return [f"{label}的选择无效"]
    message = field.check(value) if field.check else None
    return [message.format(label=label)] if message else []


def step_problems(
    matter: Matter,
    step_fields: Iterable[str],
    earlier_fields: Iterable[str],
    data: Mapping[str, Value],
    labels: Mapping[str, str],
) -> list[str]:
    """Every problem of one step: its fields one by one, then the rules whose last field is on this step."""
    current = list(step_fields)
    problems = [
        p for name in current for p in field_problems(matter.field(name), value_of(matter, data, name), labels[name])
    ]
    known = set(current) | set(earlier_fields)
    for rule in matter.rules:
        if set(rule.fields) <= known and set(rule.fields) & set(current):
            message = rule.check(data, labels)
            problems += [message] if message else []
    return problems


def value_of(matter: Matter, data: Mapping[str, Value], name: str) -> Value:
    """The stored value of a field, or its empty value (False, [] or "") when it was never posted."""
    if name in data:
        return data[name]
    kind = matter.field(name).kind
    return False if kind is Kind.CHECKBOX else [] if kind is Kind.CHECKBOXES else ""


def display(value: Value) -> str:
    """A value as the summary and detail pages show it."""
    if isinstance(value, bool):
        return "已勾选" if value else "未勾选"
    if isinstance(value, list):
        return "、".join(value) if value else "（未选择）"
    return value or "（未填写）"
