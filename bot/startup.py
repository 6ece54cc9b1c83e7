"""`python -m bot run`'s start: wait for Telegram, then serve (long polling, or webhook when
WEBHOOK_URL is set) until a stop signal, which never takes longer than 15 s to obey.

python-telegram-bot's run_polling fails at once, with a traceback, when Telegram cannot be
reached at start (a network not up yet after a reboot, a 502 spell), and its own retries log
nothing at the levels kept here. So the bot's first call (getMe) is tried here until it
answers, after 1, 2, 4… seconds (30 at most), one log line per failed attempt. A refused
token is not worth waiting for: InvalidToken goes up to the caller, whose message must not
quote it (python-telegram-bot's does).
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.settings import Settings

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOP_DEADLINE_SECONDS = 15.0


def webhook_unavailable(settings: Settings) -> str | None:
    """Why webhook mode cannot run here, else None: aiohttp, which serves the webhook
    (bot/webhook.py), is an extra (`egalite-bot[webhook]`), so polling needs nothing more."""
    if not settings.webhook_mode or importlib.util.find_spec("aiohttp") is not None:
        return None
    return (
        'webhook mode (WEBHOOK_URL) needs aiohttp: pip install "egalite-bot[webhook]" '
        '(from the clone: pip install ".[webhook]")'
    )


async def wait_for_telegram(bot: Bot) -> None:
    """Initialise the bot (its getMe) once Telegram answers; InvalidToken is raised."""
    delay, attempt = FIRST_DELAY, 1
    while True:
        try:
            await bot.initialize()
        except InvalidToken:
            raise
        except TelegramError as error:  # network errors, timeouts, 5xx, 429
            name = type(error).__name__
            log.warning(
                "Telegram is not reachable (attempt %d, %s); next try in %g s", attempt, name, delay
            )
            await asyncio.sleep(delay)
            delay, attempt = min(delay * 2, MAX_DELAY), attempt + 1
            continue
        if attempt > 1:
            log.info("Telegram reachable after %d attempts", attempt)
        return


def serve(application: Application[Any, Any, Any, Any, Any, Any], updates: Sequence[str]) -> None:
    """Wait for Telegram (a stop signal meanwhile ends cleanly), then serve by webhook when
    WEBHOOK_URL is set, else run_polling, on the same event loop; InvalidToken is raised."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    waiting = loop.create_task(wait_for_telegram(application.bot))
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, waiting.cancel)
    try:
        loop.run_until_complete(waiting)
    except BaseException as error:
        loop.run_until_complete(application.bot.shutdown())
        loop.close()
        if not isinstance(error, asyncio.CancelledError):
            raise
        log.info("stopped before Telegram could be reached")
        return
    if application.bot_data.settings.webhook_mode:
        stopping = asyncio.Event()
        stop_webhook = BoundedStop(stopping.set, STOP_DEADLINE_SECONDS)
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, stop_webhook)
        try:
            loop.run_until_complete(_serve_webhook(application, updates, stopping))
        finally:
            loop.close()
        return
    log.info("polling mode (a webhook, if one was set, is deleted)")
    stop = BoundedStop(application.stop_running, STOP_DEADLINE_SECONDS)
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop)
    # Initialising again is a no-op now; -1: a blip right after getMe is retried too.
    application.run_polling(
        allowed_updates=list(updates), bootstrap_retries=-1, stop_signals=None
    )


async def _serve_webhook(
    application: Application[Any, Any, Any, Any, Any, Any],
    updates: Sequence[str],
    stopping: asyncio.Event,
) -> None:
    """Webhook mode until a stop signal; the updates received are finished first."""
    from bot.app import start_webhook, stop_webhook  # noqa: PLC0415 - app imports handlers

    server = await start_webhook(application, updates)
    try:
        await stopping.wait()
    finally:
        await stop_webhook(application, server)


class BoundedStop:
    """A stop signal: finish the updates in progress and write the counts, as run_polling's
    own handler would, but never take longer than `seconds` (a call that hangs, a flood
    still queued): past that, one line and exit, so a service manager never waits."""

    def __init__(self, stop: Callable[[], None], seconds: float):
        self.stop = stop
        self.seconds = seconds
        self.timer: threading.Timer | None = None

    def __call__(self) -> None:
        if self.timer is not None:  # a second signal: the first one is being carried out
            return
        log.info("stop signal: finishing the updates in progress")
        self.timer = threading.Timer(self.seconds, self.too_long)
        self.timer.daemon = True
        self.timer.start()
        self.stop()

    def too_long(self) -> None:
        log.error("stopping took more than %g s; exiting now", self.seconds)
        logging.shutdown()
        os._exit(1)
