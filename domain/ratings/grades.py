"""The national five-level scale (政务服务"好差评") and how a reply names a grade, as pure rules."""

from __future__ import annotations

from enum import IntEnum

from domain.replies import plain_reply


class Grade(IntEnum):
    """Numbered as the invitation numbers them: 1 is the best."""

    VERY_SATISFIED = 1  # 非常满意
    SATISFIED = 2  # 满意
    FAIRLY_SATISFIED = 3  # 基本满意
    DISSATISFIED = 4  # 不满意
    VERY_DISSATISFIED = 5  # 非常不满意

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Grade.VERY_SATISFIED: "非常满意",
    Grade.SATISFIED: "满意",
    Grade.FAIRLY_SATISFIED: "基本满意",
    Grade.DISSATISFIED: "不满意",
    Grade.VERY_DISSATISFIED: "非常不满意",
}
# 满意率 counts these; the others are 差评, each followed up by the responsible officer.
SATISFIED = frozenset({Grade.VERY_SATISFIED, Grade.SATISFIED, Grade.FAIRLY_SATISFIED})
POOR = frozenset(Grade) - SATISFIED

# Whole replies only: 满意 is part of 不满意 and 非常满意, and 不满意 of 非常不满意, so a reply is looked up as a
# whole, never searched for a word. A copy of the invitation's own "3基本满意" is understood too.
REPLIES = {form: grade for grade in Grade for form in (str(grade.value), grade.label, f"{grade.value}{grade.label}")}


def parse_grade(body: str) -> Grade | None:
    """The grade a reply gives (full-width digits, spaces and punctuation as phones send them), or None."""
    return REPLIES.get(plain_reply(body))
