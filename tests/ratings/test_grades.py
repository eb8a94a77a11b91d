"""How a reply names a grade on the national five-level scale: whole replies only, so no word hides in another."""

from __future__ import annotations

import pytest

from domain.ratings.grades import POOR, SATISFIED, Grade, parse_grade


@pytest.mark.parametrize(
    ("body", "grade"),
    [
        ("1", Grade.VERY_SATISFIED),
        ("３", Grade.FAIRLY_SATISFIED),  # full-width
        ("5！", Grade.VERY_DISSATISFIED),  # with the punctuation phones add
        ("满意", Grade.SATISFIED),  # inside 非常满意 and 不满意, but alone it is 2
        ("不满意", Grade.DISSATISFIED),  # inside 非常不满意, but alone it is 4
        ("非常满意", Grade.VERY_SATISFIED),
        ("非常不满意", Grade.VERY_DISSATISFIED),
        ("2 满意", Grade.SATISFIED),  # the invitation's own words, copied
        ("6", None),  # no such level
        ("12", None),  # two answers are none
        ("很满意", None),  # not one of the five: a person would guess, so we do not
        ("满意满意", None),
        ("1不满意", None),  # the number and the word disagree
        ("", None),
    ],
)
def test_a_reply_names_a_grade_only_as_a_whole(body: str, grade: Grade | None) -> None:
    assert parse_grade(body) is grade


def test_the_five_levels_are_either_satisfied_or_poor() -> None:
    assert set(Grade) == SATISFIED | POOR and not SATISFIED & POOR
    assert [grade.label for grade in sorted(POOR)] == ["不满意", "非常不满意"]
