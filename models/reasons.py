"""Why a case scored what it did: the factors that moved its score most, in plain Chinese for the approver.

A factor's effect is measured, not assumed: the score with the case's own values in that group of features minus
the score with a typical licence's values there. The text states the case's facts; the sign says which way they
pushed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from models.feature_file import Feature, FeatureFile
from models.features import shipped_features

TOP = 3
NOTICEABLE = 0.005  # effects smaller than half a percentage point are not worth an approver's attention
KIND_WORDS = {"enterprise": "企业", "individual": "个体工商户"}
KEY_FACTS = ["penalties", "inspections", "complaints"]
CHANGE_WORDS = {"changes_address": "住所", "changes_legal_rep": "法定代表人", "changes_scope": "经营范围"}


def effects(
    predict: Callable[[pd.DataFrame], np.ndarray],
    features: pd.DataFrame,
    reference: dict[str, Any],
    spec: FeatureFile | None = None,
) -> pd.DataFrame:
    """Per case and feature group: score as it is minus score with the group set to the reference values.

    The cases as they are and every group's typical copy are scored in one call: a call of the calibrated model costs
    some 40 ms whatever its rows, and a night routes a few hundred cases over a dozen groups (each row's score does
    not depend on the rows beside it)."""
    spec = spec or shipped_features()
    x = features[spec.names]
    group_of = spec.group_of
    groups = list(dict.fromkeys(group_of.values()))
    typical = [x.assign(**{name: reference[name] for name, g in group_of.items() if g == group}) for group in groups]
    scores = predict(pd.concat([x, *typical], ignore_index=True)).reshape(len(groups) + 1, len(x))
    return pd.DataFrame({group: scores[0] - scores[i + 1] for i, group in enumerate(groups)}, index=features.index)


def reasons(
    features: pd.DataFrame, group_effects: pd.DataFrame, spec: FeatureFile | None = None
) -> list[list[dict[str, Any]]]:
    """For each case, up to three factors, strongest first: {factor, effect, text}."""
    texts = _texts(spec or shipped_features())
    out = []
    for (_, row), (_, effect) in zip(features.iterrows(), group_effects.iterrows(), strict=True):
        strongest = list(effect[effect.abs() >= NOTICEABLE].abs().sort_values(ascending=False).index[:TOP])
        # A score on a flat stretch of the calibration moves with no single factor: state the key facts instead.
        strongest = strongest or KEY_FACTS
        out.append(
            [
                {"factor": group, "effect": round(float(effect[group]), 3), "text": texts[group](row)}
                for group in strongest
                if group in texts
            ]
        )
    return out


def _penalties(row: pd.Series) -> str:
    if row["penalties_5y"] == 0:
        return "近5年无行政处罚"
    serious = f"（其中严重{int(row['penalties_serious_5y'])}次）" if row["penalties_serious_5y"] else ""
    return f"近5年行政处罚{int(row['penalties_5y'])}次{serious}，最近一次在{int(row['last_penalty_year'])}年"


def _inspections(row: pd.Series) -> str:
    if row["inspections_failed_3y"]:
        failed, year = int(row["inspections_failed_3y"]), int(row["last_failed_inspection_year"])
        return f"近3年日常检查不合格{failed}次，最近一次在{year}年"
    if row["inspections_partly_3y"]:
        return f"近3年日常检查{int(row['inspections_3y'])}次，其中基本符合{int(row['inspections_partly_3y'])}次"
    if row["inspections_partly_5y"]:
        return f"近5年日常检查有基本符合{int(row['inspections_partly_5y'])}次，近3年均符合要求"
    if row["inspections_3y"]:
        return f"近3年日常检查{int(row['inspections_3y'])}次均符合要求"
    return "近3年无日常检查记录"


def _complaints(row: pd.Series) -> str:
    if row["complaints_upheld_5y"]:
        return f"近5年投诉举报经查属实{int(row['complaints_upheld_5y'])}次"
    return "近5年无属实投诉举报"


def _changes(row: pd.Series) -> str:
    changed = [word for name, word in CHANGE_WORDS.items() if row[name]]
    return f"本有效期内{'、'.join(changed)}发生变更" if changed else "本有效期内登记事项无变更"


def _abnormal(row: pd.Series) -> str:
    if row["abnormal_now"]:
        return "目前列入经营异常名录"
    if row["abnormal_listed_3y"]:
        return "近3年曾列入经营异常名录"
    return "曾列入经营异常名录，已移出" if row["abnormal_listed_ever"] else "从未列入经营异常名录"


def _renewals(row: pd.Series) -> str:
    return {
        "approved": "上次延续为准予延续",
        "corrected": "上次延续经补正后准予",
        "refused": "上次延续申请未获准予",
    }.get(str(row["last_renewal"]), "首次办理延续")


def _contact(row: pd.Series) -> str:
    return "留有有效手机号码" if row["has_mobile"] else "无有效手机号码"


def _subject(row: pd.Series) -> str:
    kind = KIND_WORDS.get(str(row["subject_kind"]), "经营主体")
    years = f"，成立{row['subject_years']:.0f}年" if pd.notna(row["subject_years"]) else ""
    staff = f"，从业人员{int(row['employees'])}人" if pd.notna(row["employees"]) else ""
    return f"{kind}{years}{staff}"


def _licence(row: pd.Series) -> str:
    return f"许可证类型：{row['type_label']}"


TEXTS: dict[str, Callable[[pd.Series], str]] = {
    "penalties": _penalties,
    "inspections": _inspections,
    "complaints": _complaints,
    "changes": _changes,
    "abnormal": _abnormal,
    "renewals": _renewals,
    "contact": _contact,
    "subject": _subject,
    "licence": _licence,
}


def _texts(spec: FeatureFile) -> dict[str, Callable[[pd.Series], str]]:
    """Each group's wording: its own words where the group holds every feature they quote (the shipped file's),
    else its features' labels and values."""
    shipped = shipped_features().group_of
    names = set(spec.names)
    out: dict[str, Callable[[pd.Series], str]] = {}
    for group in dict.fromkeys(spec.group_of.values()):
        quoted = {name for name, g in shipped.items() if g == group}
        if group in TEXTS and quoted <= names:
            out[group] = TEXTS[group]
        else:
            out[group] = partial(_labelled, [f for f in spec.features if f.group == group])
    return out


def _labelled(members: list[Feature], row: pd.Series) -> str:
    return "；".join(f"{f.label or f.name}：{_value(row[f.name])}" for f in members)


def _value(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "无记录"
    if isinstance(value, float | np.floating):
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return str(value)
