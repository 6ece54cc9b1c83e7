"""Command line: `python -m bot run` (the bot, or the offline demo without a token),
`python -m bot check` and `health` (bot/doctor.py),
`python -m bot demo` (botapi_double/demo.py, from a clone), and
`python -m bot directory import FILE | sync`."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence

from telegram.error import InvalidToken

from bot.communes import Communes
from bot.datafiles import DataFileError
from bot.directory.cli import add_parser as add_directory_parser
from bot.directory.cli import directory_command
from bot.logs import configure_logging, error_origin
from bot.settings import Settings, SettingsError, load_settings
from bot.stats.cli import add_parser as add_stats_parser
from bot.stats.cli import stats_command

log = logging.getLogger("bot")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command, load settings, run; configuration errors exit with code 2."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="run the bot (long polling, or webhook with WEBHOOK_URL); the demo if no token"
    )
    sub.add_parser("demo", help="the offline demo in this terminal, even with a token set")
    sub.add_parser("check", help="check the configuration, one line per item (exit 0: all ok)")
    sub.add_parser("health", help="exit 0 if the running bot is alive (for a service manager)")
    add_directory_parser(sub)
    add_stats_parser(sub)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    configure_logging(settings.log_level, settings.token)
    if args.command == "directory":
        return directory_command(settings, args)
    if args.command == "stats":
        return stats_command(settings, args)
    if args.command in ("check", "health"):
        from bot.doctor import check_command, health_command  # noqa: PLC0415

        return check_command(settings) if args.command == "check" else health_command(settings)
    if args.command == "demo" or settings.token is None:
        return run_offline_demo(settings, asked=args.command == "demo")
    return run_bot(settings)


def run_offline_demo(settings: Settings, *, asked: bool) -> int:
    """The demo lives with the Bot API double in the repository, outside the product
    wheel: without a clone (or without aiohttp, a development dependency), one line, 2."""
    try:
        from botapi_double.demo import run_demo  # noqa: PLC0415 - not in the product wheel
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in ("botapi_double", "aiohttp"):
            raise
        opening = "The" if asked else "No TELEGRAM_BOT_TOKEN set, and the"
        needs = (
            "a clone of the repository (./dev run)"
            if missing == "botapi_double"
            else 'the development dependencies (./dev run, or pip install -e ".[dev]")'
        )
        print(f"{opening} offline demo needs {needs}", file=sys.stderr)  # noqa: T201
        return 2
    return run_demo(settings)


def run_bot(settings: Settings) -> int:
    """Serve Telegram (long polling, or webhook with WEBHOOK_URL); a bad data file, a
    refused token or webhook mode without aiohttp: one line, exit code 2."""
    from bot.startup import serve, webhook_unavailable  # noqa: PLC0415

    missing = webhook_unavailable(settings)
    if missing is not None:
        print(f"Configuration error: {missing}", file=sys.stderr)  # noqa: T201
        return 2
    from bot.app import ALLOWED_UPDATES, build_application  # noqa: PLC0415

    try:
        application = build_application(settings)
    except DataFileError as error:  # content, partners, sources or directory file
        print(f"Configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    try:
        # What start-up loads (content, catalogs, the communes table) lives as long as the
        # process: frozen, the collector no longer walks it (100-150 ms at a time).
        Communes.load()
        gc.freeze()
        serve(application, ALLOWED_UPDATES)
    except InvalidToken:  # its message quotes the token: never print it
        print(  # noqa: T201
            "Configuration error: Telegram refused the bot token; check TELEGRAM_BOT_TOKEN "
            "(and TELEGRAM_API_BASE_URL: a wrong path is refused the same way)",
            file=sys.stderr,
        )
        return 2
    except Exception as error:  # one line, through the token-redacting handler
        log.critical("the bot stopped: %s%s", type(error).__name__, error_origin(error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
