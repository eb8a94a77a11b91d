"""Risk grades of food licences (风险等级 A–D, under the food-safety risk-grading measures) and the number of
non-conformities found at each inspection (不符合项数): both follow the licence's hidden risk, with noise.

Drawn from a stream of their own, so that every other column of the county stays as it was before they existed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.text import Strings, pick

GRADES = ("", "A级", "B级", "C级", "D级")  # index 0: not graded (licences other than food)
# Cuts on risk plus noise: about 35 % A, 40 % B, 18 % C and 7 % D among food licences.
_GRADE_CUTS = (-0.45, 0.75, 1.65)
NO_COUNT = -1  # events other than inspections carry no count


def risk_grades(rng: np.random.Generator, risk: NDArray[np.float64], kind: NDArray[np.int64]) -> Strings:
    """The grade of each licence as the regulator holds it now; only food licences are graded."""
    seen = 0.7 * risk + 0.7 * rng.standard_normal(len(risk))
    grade = 1 + np.searchsorted(np.asarray(_GRADE_CUTS), seen)
    return pick(GRADES, np.where(kind == vocab.FOOD, grade, 0))


def nonconformities(
    rng: np.random.Generator, event_kind: NDArray[np.int8], result: NDArray[np.int8], risk: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Per inspection: none when it passed, one to a few when it partly conformed, more when it failed — more the
    riskier the licence. `result` is 0 passed, 1 partly, 2 failed (the place in vocab.INSPECTION_RESULTS)."""
    extra = rng.poisson(np.where(result == 2, 1.2, 0.4) * np.exp(0.5 * np.clip(risk, -2, 3)))
    counts = np.where(result == 0, 0, np.where(result == 1, 1, 2) + extra)
    return np.where(event_kind == vocab.INSPECTION, counts, NO_COUNT)
