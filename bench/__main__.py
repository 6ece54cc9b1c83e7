"""Benchmarks: `./dev bench` (or `python -m bench`) runs them all; `python -m bench lookups`
times the directory look-ups, `python -m bench load` the bot under load, `python -m bench attack`
plays the attacker of the published figures (see each module)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bench import attack, load, lookups


def main(argv: Sequence[str] | None = None) -> int:
    """Run the named benchmark, or both."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="bench")
    sub.add_parser("lookups", help="commune and permanence look-ups, national-size directory")
    loading = sub.add_parser("load", help="`python -m bot run` against the Bot API double")
    loading.add_argument(
        "--quick", action="store_true", help="10/6/50 people instead of 150/60/500"
    )
    loading.add_argument("--cpu", action="store_true", help="only (b) and the echo bot")
    attacking = sub.add_parser("attack", help="the attacker of the published figures (issue 11)")
    attacking.add_argument("rest", nargs=argparse.REMAINDER, help="options of bench.attack")
    loading.add_argument(
        "--profile", type=Path, metavar="DIR", help="record the bots with py-spy during (b)"
    )
    args = parser.parse_args(argv)
    if args.bench in (None, "lookups"):
        print("== lookups", flush=True)  # noqa: T201
        lookups.main()
    if args.bench == "attack":
        return attack.main(args.rest)
    if args.bench in (None, "load"):
        print("== load", flush=True)  # noqa: T201
        return load.main(
            quick=getattr(args, "quick", False),
            profile=getattr(args, "profile", None),
            cpu_only=getattr(args, "cpu", False),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
