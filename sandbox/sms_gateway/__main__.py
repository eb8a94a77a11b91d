"""python -m sandbox.sms_gateway: serve the Twilio-compatible gateway until interrupted; prints its URL once it
accepts requests. Numbers are E.164 (+8613812345678); a repeatable flag takes one number each time."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ground.http_serving import serve_forever
from sandbox.sms_gateway.app import create_app
from sandbox.sms_gateway.process import READY
from sandbox.sms_gateway.settings import DEFAULT_SENDER, Faults, GatewaySettings


def numbers_with_codes(values: list[str], default_code: int) -> dict[str, int]:
    """NUMBER or NUMBER=CODE, each -> its error code."""
    pairs = (value.partition("=") for value in values)
    return {number: int(code) if code else default_code for number, _, code in pairs}


def fault_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("faults")
    group.add_argument("--invalid", action="append", default=[], metavar="NUMBER", help="refused with 21211")
    group.add_argument("--unsubscribed", action="append", default=[], metavar="NUMBER", help="refused with 21610")
    group.add_argument(
        "--undelivered", action="append", default=[], metavar="NUMBER[=CODE]", help="sent, then undelivered (30003)"
    )
    group.add_argument("--failed", action="append", default=[], metavar="NUMBER[=CODE]", help="failed (30008)")
    group.add_argument("--rate-limit-share", type=float, default=0.0, help="share of API calls answered 429")
    group.add_argument("--retry-after", type=int, default=1, help="seconds in a 429's Retry-After")
    group.add_argument("--server-error-share", type=float, default=0.0, help="share answered 500 or 503")
    group.add_argument("--error-phase", choices=("before", "after"), default="before", help="after: 5xx once handled")
    group.add_argument("--slow-ms", type=int, default=0, help="latency added to every API call")
    group.add_argument("--delivery-step-ms", type=int, default=200, help="time between two delivery statuses")


def faults_from(args: argparse.Namespace) -> Faults:
    return Faults(
        invalid_numbers=frozenset(args.invalid),
        unsubscribed_numbers=frozenset(args.unsubscribed),
        undelivered_numbers=numbers_with_codes(args.undelivered, 30003),
        failed_numbers=numbers_with_codes(args.failed, 30008),
        rate_limit_share=args.rate_limit_share,
        retry_after_s=args.retry_after,
        server_error_share=args.server_error_share,
        error_phase=args.error_phase,
        slow_ms=args.slow_ms,
        delivery_step_ms=args.delivery_step_ms,
    )


def auth_token(args: argparse.Namespace) -> str:
    if args.auth_token_file is not None:
        return str(args.auth_token_file.read_text(encoding="utf-8").strip())
    return str(args.auth_token)


def parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, GatewaySettings]:
    parser = argparse.ArgumentParser(prog="python -m sandbox.sms_gateway", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766, help="0: pick a free port (the printed line names it)")
    parser.add_argument("--db", type=Path, required=True, help="the gateway's own SQLite file")
    parser.add_argument("--account-sid", required=True, metavar="AC…")
    token = parser.add_mutually_exclusive_group(required=True)
    token.add_argument("--auth-token")
    token.add_argument("--auth-token-file", type=Path, help="a file holding the auth token (kept out of `ps`)")
    parser.add_argument(
        "--phone-number", action="append", default=[], help=f"the account's numbers (default {DEFAULT_SENDER})"
    )
    parser.add_argument("--inbound-webhook", metavar="URL", help="where inbound SMS are POSTed")
    parser.add_argument("--callback-timeout", type=float, default=5.0, help="seconds a webhook may take")
    parser.add_argument("--callback-attempts", type=int, default=3, help="tries of a webhook that fails")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault draws")
    fault_arguments(parser)
    args = parser.parse_args(argv)
    settings = GatewaySettings(
        db_path=args.db,
        account_sid=args.account_sid,
        auth_token=auth_token(args),
        phone_numbers=tuple(args.phone_number) or (DEFAULT_SENDER,),
        inbound_webhook=args.inbound_webhook,
        callback_timeout_s=args.callback_timeout,
        callback_attempts=args.callback_attempts,
        seed=args.seed,
        faults=faults_from(args),
    )
    return args, settings


def main(argv: Sequence[str] | None = None) -> int:
    args, settings = parse(argv)
    serve_forever(create_app(settings), args.host, args.port, READY, lifespan="on")
    return 0


if __name__ == "__main__":
    sys.exit(main())
