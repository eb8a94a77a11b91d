"""Exclusions over the candidate matches of all policies at once: not again within N years, and one policy per
group of mutually exclusive ones (the highest amount; none once one of them has been paid for the period).

Candidates and history are frames (`row` is the subject's position in the population); every exclusion keeps its
reason in Chinese, since it ends in the trace and in the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from domain.policies.model import Policy

CANDIDATE_COLUMNS = ["row", "policy_id", "period", "amount_yuan"]
HISTORY_COLUMNS = ["subject_key", "policy_id", "period", "paid"]


def exclusive_groups(policies: Mapping[str, Policy]) -> dict[str, str]:
    """Policy id → its group's name (the smallest id in it), for the policies linked by mutual exclusion.

    The link is symmetric whichever file declares it, and a partner that is not loaded is ignored.
    """
    parent = {policy_id: policy_id for policy_id in policies}

    def root(policy_id: str) -> str:
        while parent[policy_id] != policy_id:
            policy_id = parent[policy_id]
        return policy_id

    pairs = [(p.id, partner) for p in policies.values() for partner in p.exclusions.mutually_exclusive_with]
    pairs = [(first, second) for first, second in pairs if second in parent and first != second]
    for first, second in pairs:
        low, high = sorted((root(first), root(second)))
        parent[high] = low
    linked = {policy_id for pair in pairs for policy_id in pair}
    return {policy_id: root(policy_id) for policy_id in sorted(linked)}


def apply_exclusions(
    candidates: pd.DataFrame, history: pd.DataFrame, policies: Mapping[str, Policy]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(granted, excluded): the candidates that stand, and the others with a `reason` column.

    `history` holds the subjects' earlier subsidy cases that still stand (withdrawn ones left out), with `row`.
    """
    reasons = pd.Series(None, index=candidates.index, dtype=object)
    reasons = reasons.fillna(_granted_within_years(candidates, history, policies))
    groups = exclusive_groups(policies)
    reasons = reasons.fillna(_partner_paid(candidates, history, groups, policies))
    reasons = reasons.fillna(_lower_in_group(candidates[reasons.isna()], groups, policies))
    excluded = reasons.notna()
    return candidates[~excluded], candidates[excluded].assign(reason=reasons[excluded])


def _granted_within_years(candidates: pd.DataFrame, history: pd.DataFrame, policies: Mapping[str, Policy]) -> pd.Series:
    reasons = pd.Series(None, index=candidates.index, dtype=object)
    for policy_id, policy in policies.items():
        years = policy.exclusions.once_in_years
        mine = candidates[candidates["policy_id"] == policy_id]
        if years is None or mine.empty or not mine["period"].iloc[0].isdigit():
            continue
        current = int(mine["period"].iloc[0])
        earlier = history[(history["policy_id"] == policy_id) & history["period"].str.isdigit()]
        earlier = earlier[earlier["period"].astype(int).between(current - years + 1, current - 1)]
        latest = earlier.groupby("row")["period"].max()
        hit = mine["row"].map(latest).dropna().astype(str)
        reasons[hit.index] = f"本政策{years}年内只能享受一次：已于" + hit + "年度享受"
    return reasons


def _partner_paid(
    candidates: pd.DataFrame, history: pd.DataFrame, groups: dict[str, str], policies: Mapping[str, Policy]
) -> pd.Series:
    paid = history[history["paid"].astype(bool) & history["policy_id"].isin(list(groups))]
    reasons = pd.Series(None, index=candidates.index, dtype=object)
    if paid.empty:
        return reasons
    paid = paid.assign(group=paid["policy_id"].map(groups))
    ours = candidates.assign(group=candidates["policy_id"].map(groups)).reset_index()
    both = ours.merge(
        paid[["row", "group", "period", "policy_id"]], on=["row", "group", "period"], suffixes=("", "_paid")
    )
    both = both[both["policy_id"] != both["policy_id_paid"]]
    titles = both["policy_id_paid"].map({policy_id: p.title for policy_id, p in policies.items()})
    reasons[both["index"].to_numpy()] = (
        "与已拨付的「" + titles + "」（" + both["period"] + "）不得同时享受"
    ).to_numpy()
    return reasons


def _lower_in_group(candidates: pd.DataFrame, groups: dict[str, str], policies: Mapping[str, Policy]) -> pd.Series:
    """就高不重复: per subject, group and period the highest amount stands (equal amounts: the smaller id)."""
    grouped = candidates[candidates["policy_id"].isin(list(groups))]
    reasons = pd.Series(None, index=candidates.index, dtype=object)
    if grouped.empty:
        return reasons
    ranked = grouped.assign(group=grouped["policy_id"].map(groups)).sort_values(
        ["row", "group", "period", "amount_yuan", "policy_id"], ascending=[True, True, True, False, True]
    )
    keys = ["row", "group", "period"]
    lower = ranked.duplicated(keys, keep="first")
    winner = ranked.groupby(keys)[["policy_id", "amount_yuan"]].transform("first")[lower]
    titles = winner["policy_id"].map({policy_id: p.title for policy_id, p in policies.items()})
    reasons[winner.index] = (
        "与「" + titles + "」不得同时享受，按就高原则享受该项（" + winner["amount_yuan"].astype(str) + "元）"
    )
    return reasons
