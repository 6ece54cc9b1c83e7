"""Logging set up once: events, never people.

python-telegram-bot logs whole updates at DEBUG and httpx logs request URLs, which hold
the bot token, at INFO. Those loggers stay at WARNING whatever the bot's own level. And
since an error can still quote the token (python-telegram-bot's InvalidToken does, a URL in
an exception may), every handler of the root logger redacts it, from the message, its
arguments, the traceback and the stack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "aiohttp.access")


# Anything shaped like a bot token (what settings accept), even one not configured here.
TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "<token>"


class RedactTokens(logging.Filter):
    """Replace bot tokens in a record before a handler writes it."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what it said, never break the caller
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, token: str | None = None) -> None:
    """Log the bot's own events at `level`, tokens redacted; keep the chatty libraries at
    WARNING."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    redact = RedactTokens([token])
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    quiet_libraries()


def quiet_libraries() -> None:
    """Raise the libraries' loggers to WARNING (also used by tests that capture DEBUG)."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def error_origin(error: BaseException) -> str:
    """Where an error was raised (" at file.py:line", its innermost frame): errors are
    logged by kind and place, never by message, which may quote what a person wrote."""
    frame = error.__traceback__
    if frame is None:
        return ""
    while frame.tb_next is not None:
        frame = frame.tb_next
    return f" at {frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}"
