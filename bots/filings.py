"""How each kind of case is filed on the platform: which cases it takes online, on which form, with which values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, select

from bots.application import renewal_fields
from bots.profile import SiteProfile
from bots.subsidy_application import missing, subsidy_fields
from ground.cases.kinds import Kind
from ground.store.tables import cases, licences, subjects


@dataclass(frozen=True)
class Filing:
    what: str  # what the platform files online or not, for the warning about cases that wait
    column: Column[Any]
    online: Callable[[SiteProfile], list[str]]  # the values of `column` the platform files online
    matter_of: Callable[[SiteProfile, str], str]  # the matter (form) a value of `column` is filed on
    values: Callable[[Engine, SiteProfile, dict[str, Any]], dict[str, Any]]
    missing: Callable[[dict[str, Any]], list[str]]  # what the registry lacks for the form, in Chinese

    def matter(self, profile: SiteProfile, case: dict[str, Any]) -> str:
        return self.matter_of(profile, case[self.column.name])

    def online_on(self, profile: SiteProfile, matters: frozenset[str] | None) -> list[str]:
        """The values of `column` the platform files online, on `matters` only (None: on any)."""
        return [value for value in self.online(profile) if matters is None or self.matter_of(profile, value) in matters]


def _renewal_values(engine: Engine, profile: SiteProfile, case: dict[str, Any]) -> dict[str, Any]:
    query = (
        select(
            licences,
            subjects.c.credit_code,
            subjects.c.legal_rep,
            subjects.c.address.label("subject_address"),
            subjects.c.mobile.label("subject_mobile"),
            subjects.c.updated_at.label("subject_updated_at"),
        )
        .select_from(licences.outerjoin(subjects, subjects.c.subject_key == licences.c.subject_key))
        .join(cases, cases.c.licence_no == licences.c.licence_no)
        .where(cases.c.id == case["id"])
    )
    with engine.connect() as connection:
        row = dict(connection.execute(query).mappings().one())
    subject = {
        "credit_code": row["credit_code"],
        "legal_rep": row["legal_rep"],
        "address": row["subject_address"],
        "mobile": row["subject_mobile"],
        "updated_at": row["subject_updated_at"],
    }
    return renewal_fields(case, row, subject)


def _subsidy_values(engine: Engine, profile: SiteProfile, case: dict[str, Any]) -> dict[str, Any]:
    with engine.connect() as connection:
        subject = connection.execute(select(subjects).where(subjects.c.subject_key == case["subject_key"]))
        row = dict(subject.mappings().one())
    return subsidy_fields(case, row, profile.subsidy_policies[case["policy_id"]])


FILINGS: dict[str, Filing] = {
    # Routing already sent renewals lacking a contact to the assisted route: what reaches the bot can be filed.
    Kind.RENEWAL: Filing(
        what="licence types",
        column=cases.c.licence_type,
        online=lambda profile: list(profile.renewal_matters),
        matter_of=lambda profile, licence_type: profile.renewal_matters[licence_type],
        values=_renewal_values,
        missing=lambda values: [],
    ),
    Kind.SUBSIDY: Filing(  # the profile lists policies only with a subsidy matter to file them on
        what="policies",
        column=cases.c.policy_id,
        online=lambda profile: list(profile.subsidy_policies),
        matter_of=lambda profile, policy_id: str(profile.subsidy_matter),
        values=_subsidy_values,
        missing=missing,
    ),
}
