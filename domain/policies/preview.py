"""What-if for a draft policy: who would newly qualify, who would drop out, whose amount would change, and what it
costs, against the policies as published — pure: two matchings in, the differences out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.policies.match import Matches
from domain.policies.trace import failures

KEYS = ["row", "policy_id", "period"]


@dataclass(frozen=True)
class Changes:
    rows: pd.DataFrame  # row, policy_id, period, before, after (yuan; 0 = not granted), change, reason
    totals: pd.DataFrame  # per policy: granted and yuan before and after

    def of(self, change: str) -> pd.DataFrame:
        return self.rows[self.rows["change"] == change]


def compare(published: Matches, draft: Matches) -> Changes:
    both = published.granted[[*KEYS, "amount_yuan"]].merge(
        draft.granted[[*KEYS, "amount_yuan"]], on=KEYS, how="outer", suffixes=("_before", "_after")
    )
    before = both["amount_yuan_before"].fillna(0).astype(np.int64)
    after = both["amount_yuan_after"].fillna(0).astype(np.int64)
    rows = both[KEYS].assign(before=before, after=after)
    rows["change"] = np.select([before == 0, after == 0, before != after], ["new", "dropped", "amount"], "same")
    rows = rows[rows["change"] != "same"].reset_index(drop=True)
    rows["reason"] = _dropped_reasons(draft, rows)
    return Changes(rows, _totals(published, draft))


def _dropped_reasons(draft: Matches, rows: pd.DataFrame) -> pd.Series:
    """Why each subject that drops out no longer qualifies under the draft."""
    reasons = pd.Series("", index=rows.index, dtype=object)
    dropped = rows[rows["change"] == "dropped"]
    for policy_id, group in dropped.groupby("policy_id"):
        if policy_id in draft.skipped or policy_id not in draft.outcomes:
            reasons[group.index] = draft.skipped.get(str(policy_id), "草案中无此政策")
            continue
        traces = draft.traces(str(policy_id), group["row"].to_numpy(dtype=np.int64))
        reasons[group.index] = pd.Series(["；".join(failures(trace)) for trace in traces], index=group.index)
    return reasons


def _totals(published: Matches, draft: Matches) -> pd.DataFrame:
    before, after = published.tally(), draft.tally()
    frame = before[["matches", "amount_yuan"]].merge(
        after[["matches", "amount_yuan"]],
        left_index=True,
        right_index=True,
        how="outer",
        suffixes=("_before", "_after"),
    )
    return frame.fillna(0).astype(np.int64)
