"""Reading the operators' policy folder: one file per policy, each checked on its own.

A broken file is reported with its file, line and reason and left out; every other policy still loads, so one
typo never stops the county's other payments. A policy's version is a digest of its file: a case records the
exact rules that decided it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.policies.model import Policy, value_kind
from ground.yaml_files import YamlFileError, load_yaml_model

VERSION_LENGTH = 12


@dataclass(frozen=True)
class PolicySet:
    policies: dict[str, Policy]  # by id, in file name order
    errors: list[str] = field(default_factory=list)  # one message per file left out
    warnings: list[str] = field(default_factory=list)  # loaded, but something looks off


def policy_files(folder: Path) -> list[Path]:
    """The policy files of a folder: its `*.yaml` files (the `tests/` subfolder holds their test cases)."""
    return sorted(folder.glob("*.yaml"))


def load_policy(path: Path) -> Policy:
    """One policy file (in the folder or a draft), checked; raises YamlFileError naming the file, line and reason."""
    policy = load_yaml_model(path, Policy, _parameter_kinds)
    return policy.stamped(str(path), hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH])


def load_policies(folder: Path) -> PolicySet:
    """The folder's policies. A file is named after its policy's id, so one id never has two files."""
    if not folder.is_dir():
        return PolicySet({}, [f"{folder}: the policy folder does not exist"])
    policies: dict[str, Policy] = {}
    errors = []
    for path in policy_files(folder):
        try:
            policy = load_policy(path)
            if policy.id != path.stem:
                raise YamlFileError(f"{path}: line 1: id {policy.id!r} must match the file name {path.stem!r}")
        except YamlFileError as exc:
            errors.append(str(exc))
            continue
        policies[policy.id] = policy
    return PolicySet(policies, errors, unknown_partners(policies))


def unknown_partners(policies: dict[str, Policy]) -> list[str]:
    return [
        f"{policy.source}: mutually_exclusive_with names {partner!r}, which is not loaded: the exclusion has no effect"
        for policy in policies.values()
        for partner in policy.exclusions.mutually_exclusive_with
        if partner not in policies
    ]


def _parameter_kinds(data: Any) -> dict[str, Any]:
    """The kind of each parameter's first value, so conditions that use a parameter can be checked against it
    (a parameter's values are checked to be of one kind on their own)."""
    parameters = data.get("parameters") if isinstance(data, dict) else None
    if not isinstance(parameters, dict):
        return {"parameters": {}}
    kinds = {}
    for name, values in parameters.items():
        first = values[0] if isinstance(values, list) and values and isinstance(values[0], dict) else {}
        kinds[str(name)] = value_kind(first.get("value"))
    return {"parameters": kinds}
