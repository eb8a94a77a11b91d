"""The dashboard's trend charts: a week with nothing to measure breaks the line rather than reading as zero, and
no text reaches the markup unescaped."""

from __future__ import annotations

from datetime import date, timedelta

from agent.console.charts import trend_svg

WEEKS = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(4)]


def test_a_week_with_no_value_breaks_the_line_instead_of_dropping_to_zero() -> None:
    svg = trend_svg("办结率", WEEKS, [0.9, None, 0.95, 1.0], share=True)
    assert svg.count("<polyline") == 1  # only weeks 3–4 join: week 1 stands alone, as a dot
    assert svg.count("<circle") == 3
    assert "最近一周 100.0%" in svg


def test_labels_are_escaped() -> None:
    svg = trend_svg('<script>alert("x")</script>', WEEKS, [1, 2, 3, 4], share=False)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
