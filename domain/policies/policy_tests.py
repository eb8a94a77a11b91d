"""A policy's own test cases (`policies/tests/<policy id>.yaml`): a subject's facts on a date, and whether the
policy grants it and how much. The policy officer writes them from the policy text; `proactive policy test` and
`make test` run every one, so a change to a policy file that changes an expected payment is caught before it is
published.

Each case is matched against every loaded policy, so exclusions between policies count as they will in the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from domain.policies.attributes import ATTRIBUTES
from domain.policies.exclusions import HISTORY_COLUMNS
from domain.policies.match import match
from domain.policies.model import Policy
from domain.policies.population import KEY, Population
from domain.policies.trace import failures
from ground.yaml_files import YamlFileError, load_yaml_model

SUBJECT = "T-SUBJECT"


class Earlier(BaseModel):
    """A subsidy case the subject already has (for exclusions): policy, period, whether it was paid."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy_id: str
    period: str
    paid: StrictBool = False


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    eligible: StrictBool
    amount_yuan: StrictInt | None = Field(default=None, ge=1)
    failed: list[str] | None = None  # the attributes of the conditions that fail, when not eligible
    excluded: StrictBool | None = None  # met every condition but an exclusion applies

    @field_validator("failed")
    @classmethod
    def _attributes(cls, names: list[str] | None) -> list[str] | None:
        unknown = sorted(set(names or []) - set(ATTRIBUTES))
        if unknown:
            raise ValueError(f"unknown attributes {unknown}")
        return names


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    as_of: date
    subject: dict[str, Any]
    history: list[Earlier] = Field(default_factory=list)
    expect: Expected

    @field_validator("subject")
    @classmethod
    def _known(cls, subject: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(subject) - set(ATTRIBUTES))
        if unknown:
            raise ValueError(f"unknown attributes {unknown}")
        return subject


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: str
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class Result:
    file: str
    policy_id: str
    name: str
    passed: bool
    found: str  # what the matching gave, in words

    @property
    def label(self) -> str:
        return f"{self.policy_id}: {self.name}"


def case_files(folder: Path) -> list[Path]:
    return sorted((folder / "tests").glob("*.yaml"))


def run_case_file(path: Path, policies: dict[str, Policy]) -> list[Result]:
    """Every case of one file; a file that cannot be read, or names a policy that is not loaded, is one failure."""
    try:
        cases = load_yaml_model(path, CaseFile)
    except YamlFileError as exc:
        return [Result(str(path), path.stem, "(file)", False, str(exc))]
    if cases.policy not in policies:
        return [Result(str(path), cases.policy, "(file)", False, f"policy {cases.policy!r} is not loaded")]
    return [_run(str(path), cases.policy, case, policies) for case in cases.cases]


def _run(file: str, policy_id: str, case: Case, policies: dict[str, Policy]) -> Result:
    population = Population.from_records([{KEY: SUBJECT, **case.subject}])
    history = pd.DataFrame(
        [{"subject_key": SUBJECT, **earlier.model_dump()} for earlier in case.history], columns=HISTORY_COLUMNS
    )
    matches = match(policies.values(), population, case.as_of, history)
    if policy_id in matches.skipped:
        found: dict[str, Any] = {"eligible": False, "amount_yuan": None, "failed": None, "excluded": None}
        return _result(file, policy_id, case, found, f"not applicable: {matches.skipped[policy_id]}")
    granted = matches.granted[matches.granted["policy_id"] == policy_id]
    trace = matches.traces(policy_id, np.zeros(1, dtype=np.int64))[0]
    failed = sorted({c["attribute"] for c in trace["conditions"] if not c["passed"]})
    found = {
        "eligible": not granted.empty,  # granted: met every condition and no exclusion applies
        "amount_yuan": int(granted["amount_yuan"].iloc[0]) if not granted.empty else None,
        "failed": failed,
        "excluded": trace["excluded"] is not None,
    }
    words = f"{found['amount_yuan']}元" if found["eligible"] else "不符合：" + "；".join(failures(trace))
    return _result(file, policy_id, case, found, words)


def _result(file: str, policy_id: str, case: Case, found: dict[str, Any], words: str) -> Result:
    expected = case.expect.model_dump(exclude_none=True)
    passed = all(
        sorted(value) == found[name] if name == "failed" else value == found[name] for name, value in expected.items()
    )
    return Result(file, policy_id, case.name, passed, words)
