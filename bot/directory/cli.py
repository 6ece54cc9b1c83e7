"""`python -m bot directory import FILE [--sample]` and `python -m bot directory sync`.

The operator's two ways to put official data in service. Both build the whole directory
first and replace the file in service only when it holds delegates (or `--allow-empty`),
so a wrong file, an empty answer or a dropped connection never leaves people without an
address. A national file (10,000 records or more) without a single delegate is refused
even with `--allow-empty`: it means the DILA codes changed, not that France has no
delegate. Exit codes: 0 done, 1 refused (nothing changed), 2 bad argument.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.directory import store
from bot.directory.files import read_file
from bot.directory.model import DEFENSEUR, Directory
from bot.directory.records import NO_KEPT_PIVOT, OUTSIDE, RULES, kept_kinds
from bot.directory.store import DirectoryError
from bot.directory.sync import SyncError, describe, sync_directory
from bot.settings import Settings

UNCHANGED = "the directory in service is unchanged"
NATIONAL_RECORDS = 10_000  # a file this large is national: it must hold delegates


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `directory import|sync` to the program's sub-commands."""
    directory = subparsers.add_parser(
        "directory", help="import or sync the delegates' directory (DILA open data)"
    )
    _fill(directory)


def _fill(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="directory_action", required=True)
    importer = actions.add_parser(
        "import", help="import a DILA file: JSON, API answer, .json.gz or the bulk .tar.bz2"
    )
    importer.add_argument("file", type=Path, help="the downloaded file")
    importer.add_argument("--sample", action="store_true", help="mark the result as sample data")
    importer.add_argument(
        "--allow-empty", action="store_true", help="accept a file without any delegate"
    )
    syncer = actions.add_parser("sync", help="download the configured départements from the API")
    syncer.add_argument(
        "--allow-empty", action="store_true", help="accept an answer without any delegate"
    )
    syncer.add_argument(
        "--dry-run", action="store_true", help="print the queries it would make, fetch nothing"
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse `import FILE …` / `sync …` alone (argparse exits with 2 on a bad argument)."""
    parser = argparse.ArgumentParser(prog="python -m bot directory")
    _fill(parser)
    return parser.parse_args(list(argv))


def directory_command(settings: Settings, args: argparse.Namespace | Sequence[str]) -> int:
    """Run `import` or `sync` as parsed by `add_parser` (or from raw arguments)."""
    if not isinstance(args, argparse.Namespace):
        try:
            args = parse_args(args)
        except SystemExit as leaving:
            return leaving.code if isinstance(leaving.code, int) else 2
    action = getattr(args, "directory_action", None)
    allow_empty = bool(getattr(args, "allow_empty", False))
    if action == "import":
        return run_import(settings, args.file, sample=bool(args.sample), allow_empty=allow_empty)
    if action == "sync":
        if getattr(args, "dry_run", False):
            for line in describe(settings):
                _say(line)
            return 0
        return run_sync(settings, allow_empty=allow_empty)
    _say("Usage: python -m bot directory {import FILE [--sample] | sync [--dry-run]}", error=True)
    return 2


def run_import(settings: Settings, file: Path, *, sample: bool, allow_empty: bool) -> int:
    """Read FILE, report, and put it in service if it holds delegates."""
    if not file.is_file():
        _say(f"No such file: {file}", error=True)
        return 2
    try:
        directory = read_file(
            file,
            settings.directory_partner_types,
            api_url=settings.directory_api_url,
            sample=sample,
        )
    except DirectoryError as error:
        _say(f"Cannot import {file.name}: {error}; {UNCHANGED}.", error=True)
        return 1
    _say(f"Read {directory.info.file_name} ({directory.info.file_date})")
    return _put_in_service(settings, directory, allow_empty=allow_empty)


def run_sync(settings: Settings, *, allow_empty: bool, backoff: float | None = None) -> int:
    """Download from the API, report, and put it in service if it holds delegates."""
    try:
        if backoff is None:
            result = asyncio.run(sync_directory(settings, progress=_say))
        else:
            result = asyncio.run(sync_directory(settings, backoff=backoff, progress=_say))
    except SyncError as error:
        _say(f"Could not reach the directory API ({error}): {UNCHANGED}.", error=True)
        return 1
    _say(f"Downloaded {result.requests} answers from {settings.directory_api_url}")
    for note in result.notes:
        _say(f"Warning: {note}")
    return _put_in_service(settings, result.directory, allow_empty=allow_empty)


def report(settings: Settings, directory: Directory) -> list[str]:
    """Counts only: records, delegate rules, kept per kind, points, ignored and skipped."""
    info = directory.info
    lines = [f"Records read: {info.records}"]
    lines += [f"Delegate rule {rule}: {info.rules.get(rule, 0)} records" for rule in RULES]
    lines += [
        f"Kept {kind}: {info.loaded.get(kind, 0)}"
        for kind in kept_kinds(settings.directory_partner_types)
    ]
    lines.append(f"Commune points: {len(directory.points)}")
    lines.append(f"Ignored (other services): {info.skipped.get(NO_KEPT_PIVOT, 0)}")
    if OUTSIDE in info.skipped:
        lines.append(f"Ignored ({OUTSIDE}): {info.skipped[OUTSIDE]}")
    malformed = {k: v for k, v in info.skipped.items() if k not in (NO_KEPT_PIVOT, OUTSIDE)}
    lines.extend(f"Skipped ({reason}): {count}" for reason, count in malformed.items())
    if not malformed:
        lines.append("Skipped (malformed): 0")
    return lines


def refusal(directory: Directory, *, allow_empty: bool) -> str | None:
    """Why `directory` must not replace the one in service (one line), or None."""
    info = directory.info
    if info.loaded.get(DEFENSEUR):
        return None
    if info.records >= NATIONAL_RECORDS and not info.sample:
        rules = "; ".join(f"{rule}: {info.rules.get(rule, 0)}" for rule in RULES)
        return (
            f"Refused: {info.records} records and no {DEFENSEUR} permanence ({rules}); "
            f"the DILA codes may have changed; {UNCHANGED}."
        )
    if not allow_empty:
        return (
            f"Refused: no {DEFENSEUR} permanence found; {UNCHANGED} "
            "(--allow-empty to put it in service anyway)."
        )
    return None


def _put_in_service(settings: Settings, directory: Directory, *, allow_empty: bool) -> int:
    for line in report(settings, directory):
        _say(line)
    path = settings.directory_path
    info = directory.info
    refused = refusal(directory, allow_empty=allow_empty)
    if refused:
        _say(refused, error=True)
        return 1
    try:
        store.save(directory, path)
    except OSError as error:
        _say(f"Could not save {path} ({type(error).__name__}): {UNCHANGED}.", error=True)
        return 1
    label = " as SAMPLE data" if info.sample else ""
    _say(f"Saved to {path}{label}")
    _say(f"Source: {info.attribution}, {info.file_name}, {info.file_date}, {info.download_url}")
    return 0


def _say(line: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    stream.write(line + "\n")
