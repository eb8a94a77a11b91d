"""The letters suite's child-process work: one day's batch of letter PDFs, printed one way or the other.

Each function runs in a spawned process of its own (like `benchmarks.steps`), so `ru_maxrss` is that run's Python
process alone; the browsers are its children, whose CPU is counted once they are reaped. The letters are built
before the clock starts; what is timed is everything from the first browser start to the manifest on disk.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.cpu import measured_cpu
from benchmarks.steps import Timed, peak_mb
from benchmarks.timing import Parts, Patch, timed_parts

DAY = date(2026, 11, 25)
# Where a letter's time goes: each a function the batch calls, timed by a wrapper in the measuring process.
PARTS = ("launch", "chromium", "merge", "close")
STREETS = ("团结路", "乌兰路", "草原街", "苏里格大街", "阿尔巴斯路", "都斯图河路")


def one_browser(work_dir: str, count: int) -> Timed:
    """`print_daily_batch` as the letter run calls it: one Chromium for the whole batch."""
    from notifications.letters import print_daily_batch

    return _measure(work_dir, count, lambda requests, folder: print_daily_batch(requests, folder, DAY))


def browser_per_letter(work_dir: str, count: int) -> Timed:
    """The baseline: a fresh Chromium launched and closed for every letter; merging and writing are the same."""
    from notifications.letters import LetterPrinter
    from notifications.letters.batch import print_letters, write_batch

    def run(requests: list[Any], folder: Path) -> Any:
        printed, refused = [], []
        for request in requests:
            with LetterPrinter() as printer:
                one_printed, one_refused = print_letters([request], printer)
            printed += one_printed
            refused += one_refused
        return write_batch(printed, refused, folder, DAY)

    return _measure(work_dir, count, run)


def letter_requests(count: int) -> list[Any]:
    """`count` letters cycling through the events told to holders with their sample values, each to a shop of its
    own."""
    from ground.events import HOLDER_EVENTS
    from notifications.events import sample_context
    from notifications.letters import LetterMeta, LetterRequest, Recipient

    events = HOLDER_EVENTS
    requests = []
    for number in range(1, count + 1):
        event = events[(number - 1) % len(events)]
        name = f"鄂托克旗乌兰镇第{number}号餐饮店"
        street = STREETS[number % len(STREETS)]
        recipient = Recipient(name, ("内蒙古自治区鄂尔多斯市鄂托克旗", f"乌兰镇{street}{number}号"), "016100")
        meta = LetterMeta(f"L{number:08d}", f"BENCH{number:05d}", DAY)
        requests.append(LetterRequest(event, sample_context(event) | {"holder_name": name}, recipient, meta))
    return requests


def _measure(work_dir: str, count: int, run: Callable[[list[Any], Path], Any]) -> Timed:
    folder = Path(work_dir)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    requests = letter_requests(count)
    parts: dict[str, float] = {}
    with measured_cpu() as cpu, _timing(parts):
        started = time.perf_counter()
        result = run(requests, folder)
        seconds = time.perf_counter() - started
    counts = {
        "letters": len(result.letters),
        "refused": len(result.refused),
        "pages": result.total_pages,
        "pdf_mb": round(result.pdf_path.stat().st_size / (1 << 20), 1),
        "cpu": {
            "python": round(cpu.own, 2),
            "browsers": round(cpu.others, 2),  # Playwright's driver and Chromium: the rest of the machine
        },
        "parts": {name: round(parts.get(name, 0.0), 3) for name in PARTS},
    }
    return Timed(seconds, peak_mb(), count, counts)


@contextmanager
def _timing(into: dict[str, float]) -> Iterator[None]:
    """Wrap, in this process only, what the batch calls, adding each call's seconds to `into[part]`."""
    from notifications.letters import batch as batch_module
    from notifications.letters.printer import LetterPrinter

    patches: list[Patch] = [
        (LetterPrinter, "__enter__", "launch"),
        (LetterPrinter, "pdf", "chromium"),
        (LetterPrinter, "__exit__", "close"),
        (batch_module, "assemble", "merge"),  # the name `batch` calls: pypdf merge, text layer, PDF bytes
    ]
    with timed_parts(Parts(into), patches):
        yield
