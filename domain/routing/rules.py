"""Routing a new renewal case: which way it goes, and why.

A renewal case goes one of four ways (`Route`): **seamless** (the bureau files it on the approval platform for the
holder, with the holder's consent, and an approver confirms it), **assisted** (one notice lists everything needed
and a service officer helps), **remind** (the holder is reminded before the licence expires and applies as usual),
or **none** (there is nothing to renew).

The legal rules come first and always win over the classifier's score. They are tried in this order, and the first
that applies decides:

1. The licence has been revoked or cancelled (`LICENCE_GONE`): none.
2. The business has been deregistered or its business licence revoked (`SUBJECT_GONE`): none.
3. The business is on the list of serious violators (严重违法失信名单): remind — seamless renewal does not apply.
4. The business has an administrative penalty not yet closed: remind, for the same reason.
5. There is no valid mobile number: assisted — the platform's form needs a contact mobile, and the holder must be
   told, so a person has to reach them.

Where no rule applies, the score decides, against the thresholds fixed when the model was trained (`Thresholds`):
at or above the seamless threshold, seamless; at or above the assisted threshold, assisted; below it, remind. The
seamless threshold is the lowest score at which past cases were approved as filed at the target precision; when no
score reached that precision there is none, and no case is routed seamless.

Last, a licence type whose renewal the platform does not file online is never seamless: a case the score would send
that way is assisted instead (`OFFLINE_RULE`), since a person files it.

Each routed case keeps its route, its score, the rule that decided it (if any), the factors behind the score and
the model's version; its ledger entry says which rule or which threshold decided (`domain.routing.record`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ground.cases.kinds import Route

LICENCE_GONE = {"revoked": "许可证已被吊销", "cancelled": "许可证已注销"}
SUBJECT_GONE = {"deregistered": "经营主体已注销", "revoked": "经营主体已被吊销营业执照"}
SERIOUS_VIOLATION = "列入严重违法失信名单，不适用无感续证"
OPEN_PENALTIES = "有未结案的行政处罚，不适用无感续证"
NO_MOBILE = "无有效联系手机，需工作人员联系后协助办理"
OFFLINE_RULE = "该类许可证的延续平台暂不支持网上办理，需工作人员协助办理"


@dataclass(frozen=True)
class Thresholds:
    seamless: float | None  # None: no score reached the target precision, so nothing is routed seamless
    assisted: float
    target_precision: float


def routes_for(scores: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """The route each score earns by the thresholds alone."""
    seamless = thresholds.seamless if thresholds.seamless is not None else np.inf
    return np.where(
        scores >= seamless,
        Route.SEAMLESS.value,
        np.where(scores >= thresholds.assisted, Route.ASSISTED.value, Route.REMIND.value),
    )


def hard_rules(targets: pd.DataFrame) -> pd.DataFrame:
    """The legal rules, per case: `route` and `rule` (why), empty where none applies.

    `targets` needs licence_status, subject_status, serious_violation_list, open_penalties and has_mobile.
    """
    rules = [
        (targets["licence_status"].isin(list(LICENCE_GONE)), Route.NONE, targets["licence_status"].map(LICENCE_GONE)),
        (targets["subject_status"].isin(list(SUBJECT_GONE)), Route.NONE, targets["subject_status"].map(SUBJECT_GONE)),
        (
            targets["serious_violation_list"].astype("float64").fillna(0).astype(bool),  # 0/1 or True/False, gaps
            Route.REMIND,
            SERIOUS_VIOLATION,
        ),
        (targets["open_penalties"] > 0, Route.REMIND, OPEN_PENALTIES),
        (targets["has_mobile"] == 0, Route.ASSISTED, NO_MOBILE),
    ]
    out = pd.DataFrame({"route": pd.Series(None, index=targets.index, dtype=object), "rule": None})
    for applies, route, why in reversed(rules):  # reversed, so the first rule's answer is written last
        out.loc[applies, "route"] = route.value
        out.loc[applies, "rule"] = why if isinstance(why, str) else why[applies]
    return out


def decide_routes(
    scored: pd.DataFrame, thresholds: Thresholds, offline_types: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """`route` and `rule` for each scored licence (its standing, `licence_type` and `score`), in the order above.
    `offline_types`: the licence types whose renewal the platform does not file online."""
    decided = hard_rules(scored)
    by_score = pd.Series(routes_for(scored["score"].to_numpy(), thresholds), index=decided.index)
    decided["route"] = decided["route"].fillna(by_score)
    offline = (decided["route"] == Route.SEAMLESS.value) & scored["licence_type"].isin(sorted(offline_types))
    decided.loc[offline, "route"] = Route.ASSISTED.value
    decided.loc[offline, "rule"] = OFFLINE_RULE
    return decided
