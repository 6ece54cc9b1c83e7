"""`python -m bot stats export --from YYYY-MM --to YYYY-MM --breakdown NAME --format csv|json`:
the same protected figures as /stats, for reports and spreadsheets."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys

from bot.communes import Communes
from bot.content import default_content
from bot.counters import Count, CounterStore
from bot.i18n import Catalogs
from bot.outreach import SourcesError, load_sources
from bot.settings import Settings
from bot.stats.figures import Breakdown, figures, months_between
from bot.stats.labels import Labeller
from bot.stats.render import csv_bytes, json_text

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `stats export` to the program's sub-commands."""
    stats = subparsers.add_parser("stats", help="anonymous figures (with disclosure control)")
    actions = stats.add_subparsers(dest="stats_action", required=True)
    export = actions.add_parser("export", help="print the figures of a period and a breakdown")
    export.add_argument("--from", dest="first", required=True, help="first month, YYYY-MM")
    export.add_argument("--to", dest="last", required=True, help="last month, YYYY-MM")
    export.add_argument(
        "--breakdown", required=True, choices=[b.value for b in Breakdown], help="how to break down"
    )
    export.add_argument("--format", default="csv", choices=["csv", "json"])


def stats_command(settings: Settings, args: argparse.Namespace) -> int:
    """Print the figures; 2 for a bad month range or a missing database."""
    if not (MONTH.match(args.first) and MONTH.match(args.last)) or args.first > args.last:
        sys.stderr.write("Error: --from and --to must be months YYYY-MM, --from not after --to.\n")
        return 2
    if not settings.database_path.exists():
        sys.stderr.write(f"Error: no counters at {settings.database_path} yet.\n")
        return 2
    try:
        sources = load_sources(settings.sources_path)
    except SourcesError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        return 2
    months = months_between(args.first, args.last)
    rows = asyncio.run(_read(settings, months))
    breakdown = Breakdown(args.breakdown)
    table = figures(rows, breakdown, months, settings.stats_threshold)
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
