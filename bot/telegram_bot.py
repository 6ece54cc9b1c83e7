"""The bot object: python-telegram-bot's ExtBot, made to hold on when Telegram or the network
falters. Every Bot API call goes through `_do_post`, so both fixes live there.

- One retry, after a short pause, for a call that met a network error, a timeout or a 5xx,
  but only where doing it twice is harmless (edits, answers, deletions, command menus). A
  sendMessage that timed out may well have been delivered: it is never re-sent blindly.
  429s are AIORateLimiter's (it waits `retry_after`, then retries, twice at most).
- Bot.get_updates parses a whole batch at once: one update it cannot read fails the batch,
  logs it raw at CRITICAL (message texts included) and the Updater fetches it again forever.
  Here the raw batch is read update by update first; an unreadable one is left out with one
  log line, no content, and confirmed with the next getUpdates' offset, even when it was
  the last of its batch.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
JSONDict = dict[str, Any]

TELEGRAM_API_URL = "https://api.telegram.org/bot"
RETRY_DELAY = 0.5  # seconds before the one retry
# Calls whose second run changes nothing a person sees: "not modified", "already answered"
# and "already deleted" are errors the handlers already expect.
RETRIED = frozenset(
    {
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "deleteMessage",
        "deleteMessages",
        "setMyCommands",
        "deleteMyCommands",
        "setMyDescription",
        "setMyShortDescription",
        "setChatMenuButton",
    }
)


class TelegramBot(ExtBot[Any]):
    """ExtBot with one retry for idempotent calls and update-by-update parsing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # RetryAfter's own constructor reads its deprecated `retry_after` (PTB 22): a
        # warning at every 429 that nothing here can act on.
        warnings.filterwarnings(
            "ignore",
            message=r"Deprecated since .* attribute `retry_after`",
            category=PTBDeprecationWarning,
        )
        self._confirm_from = 0  # the offset that confirms the skipped updates
        # When getUpdates last answered (memory only): a job touches the heartbeat file from
        # it on its own schedule, so that the file's time never marks a person's update.
        self._last_poll: float | None = None

    async def _do_post(
        self, endpoint: str, data: JSONDict, **timeouts: Any
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint == "getUpdates":
            return await self._readable_updates(data, timeouts)
        try:
            return await super()._do_post(endpoint, dict(data), **timeouts)
        except NetworkError as error:  # timeouts, dropped connections and 5xx
            if endpoint not in RETRIED or isinstance(error, BadRequest):
                raise
            log.info("%s failed (%s); trying once more", endpoint, type(error).__name__)
        await asyncio.sleep(RETRY_DELAY)
        return await super()._do_post(endpoint, dict(data), **timeouts)

    async def _readable_updates(
        self, data: JSONDict, timeouts: dict[str, Any]
    ) -> bool | JSONDict | list[JSONDict]:
        """getUpdates, confirming skipped updates, without the ones the library cannot read."""
        offset = data.get("offset")
        if self._confirm_from and (not isinstance(offset, int) or 0 <= offset < self._confirm_from):
            data = {**data, "offset": self._confirm_from}
        self._last_poll = time.monotonic()  # a long poll under way is a sign of life too
        result = await super()._do_post("getUpdates", data, **timeouts)
        self._last_poll = time.monotonic()
        if not isinstance(result, list):
            return result
        return [item for item in result if self._readable(item)]

    def polled_within(self, seconds: float) -> bool:
        """Whether getUpdates answered in the last `seconds`."""
        return self._last_poll is not None and time.monotonic() - self._last_poll < seconds

    def _readable(self, item: JSONDict) -> bool:
        try:
            Update.de_json(item, self)
        except Exception as error:  # whatever the library trips on, skip only this update
            kind = next((key for key in item if key in Update.ALL_TYPES), "unknown")
            name = type(error).__name__
            log.warning("skipped an update the library cannot read (%s, %s)", kind, name)
            update_id = item.get("update_id")
            if isinstance(update_id, int):
                self._confirm_from = max(self._confirm_from, update_id + 1)
            return False
        return True
