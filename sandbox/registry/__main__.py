"""python -m sandbox.registry --licences N --seed S --out DIR: write a county's exports and print a summary."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sandbox.registry.county import DEFAULT_AS_OF, generate_county


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.registry", description=__doc__)
    parser.add_argument("--licences", type=int, required=True, help="number of licences (1,000 to 1,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the three CSV files into")
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="YYYY-MM-DD")
    parser.add_argument("--broken-share", type=float, default=0.01, help="share of deliberately broken rows")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = generate_county(args.out, args.licences, args.seed, args.as_of, args.broken_share)
    report = summary.as_dict() | {"seconds": round(time.perf_counter() - started, 2)}
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
