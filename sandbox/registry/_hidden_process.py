"""THE HIDDEN PROCESS behind earlier renewal outcomes. Private to the generator: nothing here is written out.

The renewal classifier is meant to learn this from the data alone, so these numbers must never appear in the
export files, in the summary, or in the classifier's code. Change them here and only here.

For each earlier 延续 event on date R, a latent score is built from what the registries knew *before R*:

    score = intercept + Σ coefficient × feature + Logistic(0, noise_scale)

and the outcome is 准予延续 below `approve_below`, 补正后准予 up to `refuse_from`, 不予延续 above it (an ordered
logit). A clean history (in the 5 years before R no penalty, no inspection short of 符合, no complaint found true;
no 登记变更 in the term being renewed; the subject never on the abnormal-operations list up to R) goes through
seamless renewal (无感续证): its score is shifted by `clean_history` and its noise shrunk to `clean_noise_scale`,
so it is approved as filed about 99.5 % of the time. With the county's mix of histories this gives about
70 % / 22 % / 8 % overall.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _RenewalProcess:
    intercept: float = 0.0
    # Inspections of this licence in the 3 years before R.
    failed_inspections_3y: float = 0.9
    partly_compliant_inspections_3y: float = 0.25
    no_inspection_3y: float = 0.4
    # Penalties of this licence in the 5 years before R, weighted by severity (一般 1, 较重 2, 严重 4).
    penalty_weight_5y: float = 0.45
    # Penalties dated before R that are still open (未结案).
    open_penalties: float = 1.3
    # 登记变更 of this licence since the start of the term being renewed.
    changes_in_term: float = 0.35
    # Complaints found true (属实) in the 3 years before R.
    true_complaints_3y: float = 0.5
    # The subject was on the abnormal-operations list (经营异常名录) on R.
    abnormal_list_on_date: float = 1.4
    # Subject kind and contactability.
    individual_business: float = 0.3
    no_valid_mobile: float = 0.6
    # Licence type (food is the reference).
    drug_licence: float = 0.35
    tobacco_licence: float = -0.3
    # Clean histories (nothing against them, see above): seamless renewal.
    clean_history: float = -1.5
    clean_noise_scale: float = 0.5
    # Noise and cut points.
    noise_scale: float = 1.0
    severity_weights: tuple[float, float, float] = (1.0, 2.0, 4.0)
    approve_below: float = 1.75
    refuse_from: float = 3.77


_HIDDEN_RENEWAL_PROCESS = _RenewalProcess()
