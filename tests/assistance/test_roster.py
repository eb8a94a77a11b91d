"""The roster: each township's officer, refused when a township or an id is listed twice or a mobile is not one,
and the shipped roster serves every township of the sandbox county."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from domain.assistance.roster import UNASSIGNED, load_roster
from ground.yaml_files import YamlFileError
from sandbox.registry.vocab import TOWNS

ROSTER = load_roster()


def test_the_shipped_roster_serves_every_township_of_the_county() -> None:
    assert all(ROSTER.for_township(town) is not None for town, _, _ in TOWNS)
    assert ROSTER.for_township("乌兰镇").id == "bb01"  # type: ignore[union-attr]
    assert ROSTER.for_township("查布苏木") is None and ROSTER.label_of(None) == UNASSIGNED


@pytest.mark.parametrize(
    ("officers", "problem"),
    [
        # two officers for one township: whose case would it be?
        (
            "[{id: a1, name: 王磊, mobile: '13904770201', townships: [乌兰镇]},"
            " {id: a2, name: 李娜, mobile: '13904770202', townships: [乌兰镇]}]",
            r"\['乌兰镇'\] are not",
        ),
        # a landline cannot take an SMS
        ("[{id: a1, name: 王磊, mobile: '0477-6212345', townships: [乌兰镇]}]", "not a Chinese mobile number"),
    ],
)
def test_a_roster_that_cannot_be_used_is_refused_with_the_reason(tmp_path: Path, officers: str, problem: str) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(dedent(f"officers: {officers}\n"), encoding="utf-8")
    with pytest.raises(YamlFileError, match=problem):
        load_roster(path)
