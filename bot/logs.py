"""Logging set up once: events, never people.

python-telegram-bot logs whole updates at DEBUG and httpx logs request URLs, which hold
the bot token, at INFO. Those loggers stay at WARNING whatever the bot's own level.
"""

from __future__ import annotations

import logging

QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "aiohttp.access")


def configure_logging(level: str) -> None:
    """Log the bot's own events at `level`; keep the chatty libraries at WARNING."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    quiet_libraries()


def quiet_libraries() -> None:
    """Raise the libraries' loggers to WARNING (also used by tests that capture DEBUG)."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
