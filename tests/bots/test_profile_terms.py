"""A profile maps the platform's status words to our terms; a word that is not one of them is refused on load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bots.profile import SHIPPED, PlatformStatus, load_profile
from bots.report import BotReport, Outcome
from ground.yaml_files import YamlFileError


def test_a_profile_naming_a_status_we_do_not_know_is_refused_with_its_file(tmp_path: Path) -> None:
    profile = yaml.safe_load((SHIPPED / "standard.yaml").read_text(encoding="utf-8"))
    profile["search"]["statuses"]["withdrawn"] = "已撤回"
    path = tmp_path / "odd.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    with pytest.raises(YamlFileError, match=r"odd\.yaml") as refused:
        load_profile(path)
    assert "withdrawn" in str(refused.value)


def test_the_shipped_profiles_map_every_status_word() -> None:
    for name in ("standard", "alternate"):
        assert set(load_profile(name).search.statuses) == set(PlatformStatus)


def test_a_batch_report_counts_outcomes_by_what_they_mean() -> None:
    report = BotReport(bot="prefill")
    for outcome in (Outcome.FILED, Outcome.FOUND, Outcome.PENDING, Outcome.PARKED, Outcome.TRANSIENT):
        report.count(outcome)
    assert (report.done, report.found_existing, report.parked, report.left_for_later) == (2, 1, 1, 1)
    assert report.outcomes == {"filed": 1, "found": 1, "pending": 1, "parked": 1, "transient": 1}
