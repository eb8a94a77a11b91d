"""What the later steps need from each kind of export, so that `proactive registry check` says before a load what a
mapping leaves them without. A field missing here is not an error (the row loads); a step runs with less."""

from __future__ import annotations

import pandas as pd

from domain.registries.mapping import Mapping
from domain.registries.normalise import ATTRIBUTES

NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "licences": (
        ("mobile", "SMS to holders: without a licence or subject mobile every notice goes by letter"),
        ("address", "letters to holders with no subject address, and the reachable-holder figure"),
    ),
    "subjects": (
        ("township", "assigning assisted cases to officers, the console's township scope and the figures by township"),
        ("mobile", "SMS to holders whose licence carries no mobile"),
        ("address", "letters to holders with no mobile"),
        ("kind", "the classifier's subject_kind feature and the enterprise-only subsidy conditions"),
        ("registered_on", "the classifier's subject_years feature"),
        ("employees", "the classifier's subject size features (left out of training when empty)"),
        ("revenue_10k_yuan", "the classifier's subject size features (left out of training when empty)"),
        ("serious_violation_list", "the hard routing rule that keeps listed subjects from seamless renewal"),
        ("abnormal_list", "the classifier's abnormal_now feature and subsidy conditions"),
        ("bank_account", "pre-filling subsidy payments"),
    ),
    "licence_events": (
        ("outcome", "the classifier's labels and its inspection, complaint and renewal features"),
        ("severity", "the classifier's penalty severity features"),
        ("detail", "the classifier's registration-change features"),
        ("subject_key", "events recorded against a subject rather than a licence"),
    ),
}


# Where a feature file declares a target's typed attributes (`models/feature_file.py`).
FEATURE_FILE_TABLES = {"licences": "licences", "subjects": "subjects", "licence_events": "events"}


def unmet_needs(mapping: Mapping) -> list[tuple[str, str]]:
    """(field, what goes without it) for each field the mapping does not map."""
    return [(field, why) for field, why in NEEDS[mapping.target] if field not in mapping.fields]


def attributes_filled(mapping: Mapping, rows: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(attribute, type, rows with a value) for each typed attribute the mapping declares, among the valid rows:
    what a feature file may declare and read (an attribute no row fills gives the model nothing)."""
    objects = rows[ATTRIBUTES] if ATTRIBUTES in rows else pd.Series([], dtype=object)
    return [
        (name, str(spec.type), int(objects.map(lambda value, name=name: bool(value) and name in value).sum()))
        for name, spec in mapping.attributes.items()
    ]
