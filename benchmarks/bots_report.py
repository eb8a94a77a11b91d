"""Printing the bots suite: pre-fills per minute per row, where a case's time goes, the ratio and the target."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks.bots_runner import NAIVE, NO_TRACE, ONE_BROWSER, ONE_PAGE, PAGES, SCREENCAST
from benchmarks.bots_steps import PARTS
from benchmarks.report import mark
from benchmarks.runner import Row

TARGET_PER_MINUTE = 60.0
NOTES = (
    "cases: the first new food licence cases of a 3,000-licence county that have a contact phone (the form needs",
    "       one; the bot rightly parks the others), routed seamless on a fresh copy of the store.",
    "bot MB: the bot's own process (ru_maxrss: Python + Playwright client). bot+browsers MB: that process and",
    "        every process under it (driver, Chromium) summed, PSS sampled every 0.25 s; the platform is apart.",
    "CPU s: the bot's process / browsers (Playwright's driver, Chromium and every process it forks, each read off",
    "       /proc/<pid>/stat every 0.25 s as last seen alive: a floor, and free of other work on the machine; in",
    "       brackets the machine's busy time from /proc/stat less the bot's and the platform's, which holds any other",
    "       work too) / the platform process, over the timed run. cores: the machine's busy time over the row's",
    "       seconds; near 2 on this 2-core machine, the row is bound by CPU, not by waiting.",
    "load: the machine's 1-minute load average before → after the row. The row's own processes count in it and",
    "      'before' still carries the row before; a 'before' well above that means something else was running.",
    "split: trace = starting and stopping the per-attempt trace only; recording it slows every step as well, which",
    "       the diagnostic rows show: without the trace, and with its filmstrip (screencast) beside the DOM",
    "       snapshots the bot records. other = the row's time not in any part (the bot's glue).",
    f"pages: the `concurrency` setting. One Chromium for the batch and {PAGES} contexts in it, each with its page,",
    "       cookies and per-attempt trace, taking the next case when done with one. A case whose reference the run",
    "       wrote files at once; a retry searches for its reference first (find).",
    "naive: per case a new Chromium and a session in it (login from scratch, no saved session), then the same",
    "       filing, with the bot's retries, per-attempt trace and store bookkeeping.",
)


def per_minute(row: Row) -> float:
    return 60 * row.rows / row.seconds if row.seconds > 0 else float("inf")


def platform_text(row: Row) -> str:
    """Applications the platform holds after the row against the cases; the bot's outcomes when not all filed."""
    counts = row.counts
    expected, found = int(counts["cases"]), int(counts["applications"])
    outcomes = dict(counts["outcomes"])
    text = f"{found} of {expected} " + (
        mark(True) if found == expected and counts["applications_match"] else mark(False)
    )
    if found == expected and not counts["applications_match"]:
        text += " (not our references)"
    if outcomes != {"filed": expected}:
        text += " (" + ", ".join(f"{k} {v}" for k, v in outcomes.items()) + ")"
    return text


def rate_table(rows: Sequence[Row]) -> Table:
    out = Table(title="Bots: pre-fills per minute against the local sandbox platform (each row a fresh process)")
    out.add_column("row", no_wrap=True)
    columns = ("cases", "seconds", "cases/min", "bot MB", "bot+browsers MB", "CPU s bot/browsers/platform", "cores")
    for name in (*columns, "load"):
        out.add_column(name, justify="right")
    out.add_column("on the platform")
    for row in rows:
        cpu = row.counts["cpu"]
        out.add_row(
            row.step,
            f"{row.rows}",
            f"{row.seconds:.1f}",
            f"{per_minute(row):.1f}",
            f"{row.peak_mb:,.0f}",
            f"{row.counts['tree_peak_mb']:,.0f}",
            f"{cpu['bot']:.1f} / {cpu['browsers_sampled']:.1f} ({cpu['browsers']:.1f}) / {cpu['platform']:.1f}",
            f"{cpu['machine'] / row.seconds:.2f}" if row.seconds > 0 else "",
            "{1:.1f}→{0:.1f}".format(*row.counts["load_average"]),
            platform_text(row),
        )
    return out


def split_table(rows: Sequence[Row]) -> Table:
    out = Table(title=f"Where a case's time goes (ms per case, page time: {PAGES} pages at once count {PAGES} times)")
    out.add_column("row", justify="left")
    for name in (*PARTS, "other", "total"):
        out.add_column(name, justify="right")
    for row in rows:
        parts = row.counts["parts"]
        pages = max(1, min(int(row.counts["concurrency"]), row.rows))
        total = row.seconds * pages
        other = total - sum(parts.values())
        cells = [*(parts[name] for name in PARTS), other, total]
        out.add_row(row.step, *(f"{1000 * value / max(row.rows, 1):,.0f}" for value in cells))
    return out


def summary_lines(rows: Sequence[Row]) -> list[str]:
    by_name = {row.step: row for row in rows}
    lines = []
    one, naive = by_name.get(ONE_BROWSER), by_name.get(NAIVE)
    if one is not None and naive is not None:
        lines.append(
            f"  one browser / naive: ×{per_minute(one) / per_minute(naive):.1f} the cases per minute "
            f"({per_minute(one):.1f} against {per_minute(naive):.1f})"
        )
    single = by_name.get(ONE_PAGE)
    if one is not None and single is not None:
        lines.append(
            f"  {PAGES} pages / one page of the one browser: ×{per_minute(one) / per_minute(single):.1f} the cases per "
            f"minute ({per_minute(one):.1f} against {per_minute(single):.1f})"
        )
    for name, what in ((NO_TRACE, "the first try's trace (DOM snapshots)"), (SCREENCAST, "the trace's filmstrip")):
        other = by_name.get(name)
        if one is not None and other is not None:
            lines.append(f"  {what}: {trace_cost(one, other, name == NO_TRACE)}")
    if one is not None:
        rate = per_minute(one)
        lines.append(
            f"  one browser ({PAGES} pages at once): {rate:.1f} cases/min over {one.rows} cases "
            f"(target ≥ {TARGET_PER_MINUTE:.0f}) "
            f"{mark(rate >= TARGET_PER_MINUTE)}"
        )
        if int(one.counts["applications"]) != one.rows or not one.counts["applications_match"]:
            lines.append("  [red]the platform does not hold exactly one application per case: the rate is not valid[/]")
    return lines


def trace_cost(shipped: Row, other: Row, without: bool) -> str:
    """What the trace (`without`: the other row has none) or the filmstrip (the other row adds it) costs a case."""
    cost = 1000 * (shipped.seconds / shipped.rows - other.seconds / other.rows)
    cost = cost if without else -cost
    return (
        f"{cost:,.0f} ms of wall time per case; {per_minute(other):.1f} cases/min {'without' if without else 'with'} it"
    )


def print_bots_report(console: Console, rows: Sequence[Row]) -> None:
    console.print(rate_table(rows))
    console.print(split_table(rows))
    for line in NOTES:
        console.print(line, highlight=False)
    console.print("ratio and target:")
    for line in summary_lines(rows):
        console.print(line, highlight=False)
