"""python -m sandbox.platform: serve the platform until interrupted; prints its URL once it accepts requests."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

from ground.http_serving import serve_forever
from sandbox.platform.app import create_app
from sandbox.platform.process import READY
from sandbox.platform.settings import LayoutName, PlatformSettings


def parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, PlatformSettings]:
    parser = argparse.ArgumentParser(prog="python -m sandbox.platform", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0: pick a free port (the printed line names it)")
    parser.add_argument("--db", type=Path, required=True, help="the platform's own SQLite file")
    parser.add_argument("--layout", choices=get_args(LayoutName), default="standard")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered with a 500")
    parser.add_argument("--error-phase", choices=("before", "after"), default="before")
    parser.add_argument("--slow-ms", type=int, default=0, help="random added latency, up to this many ms")
    parser.add_argument("--session-ttl", type=int, default=1800, help="seconds a login lasts")
    parser.add_argument("--expire-every", type=int, default=0, help="expire a session on its N-th request")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault draws")
    parser.add_argument("--admin", action="store_true", help="enable the /_sandbox/ endpoints")
    parser.add_argument("--applicant", default="agent:agent-pass", metavar="USER:PASSWORD")
    parser.add_argument("--approver", default="approver:approver-pass", metavar="USER:PASSWORD")
    args = parser.parse_args(argv)
    applicant, approver = args.applicant.split(":", 1), args.approver.split(":", 1)
    settings = PlatformSettings(
        db_path=args.db,
        layout=args.layout,
        error_rate=args.error_rate,
        error_phase=args.error_phase,
        slow_ms=args.slow_ms,
        session_ttl=args.session_ttl,
        expire_every=args.expire_every,
        seed=args.seed,
        admin=args.admin,
        applicant_username=applicant[0],
        applicant_password=applicant[-1],
        approver_username=approver[0],
        approver_password=approver[-1],
    )
    return args, settings


def main(argv: Sequence[str] | None = None) -> int:
    args, settings = parse(argv)
    serve_forever(create_app(settings), args.host, args.port, READY, lifespan="off")
    return 0


if __name__ == "__main__":
    sys.exit(main())
