"""Weekly trend charts drawn on the server as SVG: no script, no chart library, readable on any intranet browser.
Pure: numbers in, markup out (every text escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 320, 120, 28


def trend_svg(title: str, weeks: Sequence[date], values: Sequence[float | None], share: bool) -> Markup:
    """A line of the weekly values; weeks with no value (nothing to measure) leave a gap, not a zero."""
    known = [v for v in values if v is not None]
    top = max(known, default=0.0) or 1.0
    top = 1.0 if share else top
    points = [_point(i, len(values), v, top) for i, v in enumerate(values)]
    lines = _segments(points)
    last = next((v for v in reversed(values) if v is not None), None)
    shown = "—" if last is None else (f"{100 * last:.1f}%" if share else f"{last:g}")
    first_week = weeks[0].strftime("%m-%d") if weeks else ""
    last_week = weeks[-1].strftime("%m-%d") if weeks else ""
    paths = "".join(f'<polyline class="trend" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in s)}"/>' for s in lines)
    dots = "".join(f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="2"/>' for x, y in filter(None, points))
    axis_top = "100%" if share else f"{top:g}"
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}：最近一周 {shown}">'
        f"<title>{escape(title)}</title>"
        f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 4}" y2="{HEIGHT - PAD}"/>'
        f'<text class="tick" x="2" y="{PAD}">{escape(axis_top)}</text>'
        f'<text class="tick" x="2" y="{HEIGHT - PAD}">0</text>'
        f'<text class="tick" x="{PAD}" y="{HEIGHT - 8}">{first_week}</text>'
        f'<text class="tick end" x="{WIDTH - 4}" y="{HEIGHT - 8}">{last_week}</text>'
        f"{paths}{dots}</svg>"
    )


def _point(index: int, count: int, value: float | None, top: float) -> tuple[float, float] | None:
    if value is None:
        return None
    span = WIDTH - PAD - 8
    x = PAD + (span * index / (count - 1) if count > 1 else span / 2)
    y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top)
    return x, y


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known points: a week with nothing to measure breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if len(run) > 1]
