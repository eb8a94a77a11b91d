"""The approving departments and the matters each decides, read from `departments.yaml` (operators may point to
their own), and what a case is as a matter: its name, its promised working days and who decides it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.licence_types import LicenceType
from domain.staff import Person
from ground.yaml_files import load_yaml_model

DEFAULT_FILE = Path(__file__).resolve().parent / "departments.yaml"


class Department(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=2)
    contact: Person  # 办件联络人: chased first
    supervisor: Person  # 分管负责人: chased once the contact has been, `contact_chases` times


class SubsidyMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    department: str
    promised_working_days: int = Field(ge=1, le=60)  # from filing to the department's decision


class Departments(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    departments: dict[str, Department] = Field(min_length=1)
    renewals: dict[str, str]  # licence type → department id (the promise is the type's own)
    subsidies: dict[str, SubsidyMatter]  # policy id → department id and promise

    @model_validator(mode="after")
    def _known_departments(self) -> Departments:
        named = [*self.renewals.values(), *(matter.department for matter in self.subsidies.values())]
        unknown = sorted(set(named) - set(self.departments))
        if unknown:
            raise ValueError(f"matters name departments not listed under 'departments': {unknown}")
        return self


@dataclass(frozen=True)
class Matter:
    label: str  # as the department knows it: the application's name, or the policy's title
    promised_working_days: int
    department: Department


class UnknownMatter(LookupError):
    """No department (or no promise) is configured for a case's matter: it cannot be chased; the message says why."""


def matter_of(case: Mapping[str, Any], directory: Departments, types: Mapping[str, LicenceType]) -> Matter:
    """The matter of a renewal (by licence type) or a subsidy (by policy) case."""
    if case["kind"] == "subsidy":
        subsidy = directory.subsidies.get(case["policy_id"])
        if subsidy is None:
            raise UnknownMatter(f"policy {case['policy_id']} has no approving department in the departments file")
        title = str(((case["trace"] or {}).get("policy") or {}).get("title") or case["policy_id"])
        return Matter(title, subsidy.promised_working_days, directory.departments[subsidy.department])
    kind, department = types.get(case["licence_type"]), directory.renewals.get(case["licence_type"])
    if kind is None or department is None:
        raise UnknownMatter(f"licence type {case['licence_type']} has no approving department or no promised time")
    return Matter(kind.application_name, kind.promised_working_days, directory.departments[department])


def load_departments(path: Path = DEFAULT_FILE) -> Departments:
    return load_yaml_model(path, Departments)
