"""Fifty real policy files for the policies suite: the nine shipped, and township and industry editions of them.

Counties do publish such editions: a township tops up a county award for its own businesses, a bureau runs an
industry's own round with other amounts. Each edition here is the shipped file with another id and title, one
condition more (the township, or an industry code prefix) and its amounts and thresholds scaled, written as YAML
and read back through `load_policies`, so every check a policy file gets applies to them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from domain.policies.loading import load_policies, policy_files
from domain.policies.model import Policy

SHIPPED = Path(__file__).resolve().parent.parent / "policies"
COUNT = 50


@dataclass(frozen=True)
class Edition:
    suffix: str  # of the id
    title: str  # added to the title
    condition: dict[str, Any]
    scale: float  # of every number among the parameters and the amount


# Township and industry editions in turn, so the first few already mix both kinds.
EDITIONS = (
    Edition("wulan", "乌兰镇配套", {"attribute": "township", "op": "eq", "value": "乌兰镇"}, 0.5),
    Edition("manufacturing", "制造业专项", {"attribute": "industry_code", "op": "starts_with", "value": "C"}, 1.2),
    Edition("qipanjing", "棋盘井镇配套", {"attribute": "township", "op": "eq", "value": "棋盘井镇"}, 0.6),
    Edition("trade", "批发零售业专项", {"attribute": "industry_code", "op": "starts_with", "value": "F"}, 0.8),
    Edition("mengxi", "蒙西镇配套", {"attribute": "township", "op": "eq", "value": "蒙西镇"}, 0.4),
    Edition("hospitality", "住宿餐饮业专项", {"attribute": "industry_code", "op": "starts_with", "value": "H"}, 0.7),
    Edition(
        "pastoral", "牧区苏木配套", {"attribute": "township", "op": "in", "value": ["阿尔巴斯苏木", "苏米图苏木"]}, 1.5
    ),
)


def write_policy_folder(folder: Path, count: int = COUNT) -> dict[str, Policy]:
    """The shipped files and `count` minus nine editions of them in `folder`, loaded back (all must load)."""
    folder.mkdir(parents=True, exist_ok=True)
    shipped = policy_files(SHIPPED)
    for path in shipped:
        (folder / path.name).write_bytes(path.read_bytes())
    pairs = [(edition, path) for edition in EDITIONS for path in shipped][: count - len(shipped)]
    for edition, path in pairs:
        data = edited(yaml.safe_load(path.read_text(encoding="utf-8")), edition)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    loaded = load_policies(folder)
    if loaded.errors or len(loaded.policies) != count:
        raise RuntimeError(f"the benchmark's policies did not all load: {loaded.errors}")
    return loaded.policies


def edited(data: dict[str, Any], edition: Edition) -> dict[str, Any]:
    """One edition of a policy file's data."""
    reference = f"〔待填：{edition.title}实施细则：按县级标准的{edition.scale:.0%}执行〕"
    parameters = {
        name: [{**dated, "value": scaled(dated["value"], edition.scale), "reference": reference} for dated in values]
        for name, values in data.get("parameters", {}).items()
    }
    amount = {key: scaled(value, edition.scale) for key, value in data["amount"].items()}
    return data | {
        "id": f"{data['id']}_{edition.suffix}",
        "title": f"{data['title']}（{edition.title}）",
        "reference": f"{reference}；{data['reference']}",
        "parameters": parameters,
        "conditions": [*data["conditions"], edition.condition],
        "amount": amount,
    }


def scaled(value: Any, scale: float) -> Any:
    """Numbers scaled (whole ones kept whole), tiers' amounts scaled; texts, flags, references and formulas kept."""
    if isinstance(value, bool) or not isinstance(value, int | float | list):
        return value
    if isinstance(value, list):
        return [_scaled_tier(item, scale) if isinstance(item, dict) else scaled(item, scale) for item in value]
    return round(value * scale) if isinstance(value, int) else round(value * scale, 6)


def _scaled_tier(tier: dict[str, Any], scale: float) -> dict[str, Any]:
    return {**tier, "amount": scaled(tier["amount"], scale)}
