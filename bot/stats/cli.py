"""`python -m bot stats export --period 2026-Q1 --breakdown NAME --format csv|json`: the
same protected figures as /stats, for reports and spreadsheets.

Operators on the server can read the database anyway; the export still applies the
same protection by default, so that what leaves the server is what coordinators see.
`--raw` prints the unprotected counts (any months, `--from`/`--to`) with a warning line."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import date, datetime

from bot.communes import Communes
from bot.content import default_content
from bot.counters import Count, CounterStore
from bot.i18n import Catalogs
from bot.outreach import SourcesError, load_sources
from bot.settings import Settings
from bot.stats.figures import Breakdown, Figures, Kind, Period, figures, raw_figures
from bot.stats.labels import Labeller
from bot.stats.render import csv_bytes, json_text

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
RAW_WARNING = (
    "Warning: RAW counts, without disclosure control: small figures are shown and can "
    "identify people. Keep them on the server; publish only the protected export.\n"
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `stats export` to the program's sub-commands."""
    stats = subparsers.add_parser("stats", help="anonymous figures (with disclosure control)")
    actions = stats.add_subparsers(dest="stats_action", required=True)
    export = actions.add_parser("export", help="print the figures of a period and a breakdown")
    export.add_argument(
        "--period", help="a published month, quarter or year: 2026-03, 2026-Q1, 2026"
    )
    export.add_argument("--from", dest="first", help="first month, YYYY-MM (with --to)")
    export.add_argument("--to", dest="last", help="last month, YYYY-MM")
    export.add_argument(
        "--breakdown", required=True, choices=[b.value for b in Breakdown], help="how to break down"
    )
    export.add_argument("--format", default="csv", choices=["csv", "json"])
    export.add_argument(
        "--raw", action="store_true", help="unprotected counts, any months (operators only)"
    )


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive."""
    months, current = [], first
    while current <= last:
        months.append(current)
        year, number = int(current[:4]), int(current[5:7])
        current = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
    return months


def _as_period(first: str, last: str) -> Period | None:
    """--from/--to naming exactly one month, quarter or year."""
    year, start, end = int(first[:4]), int(first[5:7]), int(last[5:7])
    if last[:4] != first[:4]:
        return None
    if start == end:
        return Period.month(year, start)
    if start % 3 == 1 and end == start + 2:
        return Period(year, Kind.QUARTER, end // 3)
    if (start, end) == (1, 12):
        return Period(year, Kind.YEAR)
    return None


class _UsageError(Exception):
    """A wrong period on the command line; the message is one line for the operator."""


def _choose(args: argparse.Namespace, today: date) -> tuple[Period | None, list[str]]:
    """The period (None for a raw range) and its months, from --period or --from/--to."""
    if args.period is not None:
        period = Period.parse(args.period)
        if period is None:
            raise _UsageError("--period must be a month, quarter or year: 2026-03, 2026-Q1, 2026.")
        months = period.months
    elif args.first and args.last and MONTH.match(args.first) and MONTH.match(args.last):
        if args.first > args.last:
            raise _UsageError("--from must not be after --to.")
        months = months_between(args.first, args.last)
        period = _as_period(args.first, args.last)
        if period is None and not args.raw:
            raise _UsageError(
                "protected figures exist for one month, quarter or year only (periods that "
                "overlap could be subtracted from one another): use --period, e.g. "
                f"--period {args.first[:4]}-Q1, or --raw for unprotected counts."
            )
    else:
        raise _UsageError("give --period (2026-03, 2026-Q1, 2026) or --from and --to YYYY-MM.")
    if period is not None and not args.raw and not period.published(today):
        raise _UsageError(
            f"{period.id} is not published yet: months and quarters are published once "
            "their quarter is over, years once they are over."
        )
    return period, months


def stats_command(settings: Settings, args: argparse.Namespace) -> int:
    """Print the figures; 2 for a bad period or a missing database."""
    today = datetime.now(settings.zone).date()
    try:
        period, months = _choose(args, today)
    except _UsageError as error:
        sys.stderr.write(f"Error: {error}\n")
        return 2
    if not settings.database_path.exists():
        sys.stderr.write(f"Error: no counters at {settings.database_path} yet.\n")
        return 2
    try:
        sources = load_sources(settings.sources_path)
    except SourcesError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        return 2
    breakdown = Breakdown(args.breakdown)
    table: Figures
    if args.raw or period is None:  # no period: a raw range (_choose checked --raw)
        sys.stderr.write(RAW_WARNING)
        table = raw_figures(asyncio.run(_read(settings, months)), breakdown, months)
    else:
        rows = asyncio.run(_read(settings, [f"{period.year:04d}-{m:02d}" for m in range(1, 13)]))
        table = figures(rows, breakdown, period, today, settings.stats_threshold)
    translator = Catalogs(settings.locales_dir, settings.default_language).translator(
        settings.default_language
    )
    label = Labeller(default_content(), Communes.load(), sources, translator).for_breakdown(
        breakdown
    )
    if args.format == "json":
        sys.stdout.write(json_text(table, label) + "\n")
    else:
        sys.stdout.write(csv_bytes(table, label).decode("utf-8").removeprefix("\ufeff"))
    return 0


async def _read(settings: Settings, months: list[str]) -> list[Count]:
    store = await CounterStore.open(settings.database_path, settings.zone, 0)
    try:
        return await store.read(months)
    finally:
        await store.close()
