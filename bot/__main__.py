"""Command line: `python -m bot run` (the bot, or the offline demo without a token),
`python -m bot demo`, and `python -m bot directory import FILE | sync`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.directory.cli import add_parser as add_directory_parser
from bot.directory.cli import directory_command
from bot.directory.partners import PartnersError
from bot.directory.store import DirectoryError
from bot.logs import configure_logging
from bot.outreach import SourcesError
from bot.settings import SettingsError, load_settings
from bot.stats.cli import add_parser as add_stats_parser
from bot.stats.cli import stats_command


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command, load settings, run; configuration errors exit with code 2."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling); the offline demo if no token is set")
    sub.add_parser("demo", help="the offline demo in this terminal, even with a token set")
    add_directory_parser(sub)
    add_stats_parser(sub)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    configure_logging(settings.log_level)
    if args.command == "directory":
        return directory_command(settings, args)
    if args.command == "stats":
        return stats_command(settings, args)
    if args.command == "demo" or settings.token is None:
        from bot.demo import run_demo  # noqa: PLC0415 - only the demo needs the double

        return run_demo(settings)
    from bot.app import build_application  # noqa: PLC0415

    try:
        application = build_application(settings)
    except (PartnersError, DirectoryError, SourcesError) as error:
        print(f"Configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    return 0


ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")

if __name__ == "__main__":
    sys.exit(main())
