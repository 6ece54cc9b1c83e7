"""Updates of different chats run concurrently; one chat's updates run one at a time.

ConversationHandler keeps one state per conversation and must never see two updates of
the same chat at once (a double tap would otherwise race), nor an update at the same time
as that conversation's expiry (see `turn`, used by handlers.journey_handler).

python-telegram-bot's `BaseUpdateProcessor.process_update` (final) takes its global
semaphore *before* `do_process_update` runs, so a chat waiting for its turn would hold a
global slot, and a few flooding chats would stall everybody. The base class is therefore
given no limit, and the real one is taken here, after the chat's turn has come: a chat
holds at most one slot, however many of its updates wait.

A chat that floods beyond `max_pending` waiting updates has the excess dropped and, once
per burst, `on_flood` is awaited (the bot tells the person kindly). `on_done` is told when
each update is finished, dropped or not: the tests and the offline demo use it to know
that the bot is done with what a person did, instead of waiting for silence.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

FLOOD_NOTICE_SECONDS = 60.0  # at most one notice per chat in this time


@dataclass
class _Chat:
    """One busy chat: its lock, how many of its updates wait or run, its flood state."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0
    flooding: bool = False


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise per chat (or per user when there is no chat), run chats in parallel."""

    def __init__(self, max_concurrent_updates: int = 64, max_pending: int = 20) -> None:
        # The base class's semaphore (and its `max_concurrent_updates`) is unbounded; the
        # real limit is `_slots`, taken once the chat's turn has come.
        super().__init__(sys.maxsize)
        self.limit = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self.max_pending = max_pending
        self._chats: dict[int, _Chat] = {}
        self._notified: dict[int, float] = {}  # chat → when it was last told (memory only)
        self.on_flood: Callable[[Update], Awaitable[None]] | None = None
        self.on_done: Callable[[object], None] | None = None

    @staticmethod
    def key(update: object) -> int | None:
        """The chat an update belongs to (the user's when there is no chat)."""
        if not isinstance(update, Update):
            return None
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
        return None

    @asynccontextmanager
    async def turn(self, key: int) -> AsyncIterator[None]:
        """Wait until this chat's earlier work is done, then for a global slot."""
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.pending += 1
        try:
            async with chat.lock, self._slots:
                yield
        finally:
            chat.pending -= 1
            if chat.pending == 0:  # forget the chat as soon as it is idle
                del self._chats[key]

    def busy(self, key: int) -> bool:
        """Whether this chat has an update waiting or running."""
        return key in self._chats

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the coroutine in this chat's turn; drop it when the chat floods."""
        try:
            key = self.key(update)
            if key is None:
                async with self._slots:
                    await coroutine
                return
            chat = self._chats.get(key)
            if chat is not None and chat.pending >= self.max_pending:
                if asyncio.iscoroutine(coroutine):
                    coroutine.close()
                await self._flooded(key, chat, update)
                return
            async with self.turn(key):
                await coroutine
        finally:
            if self.on_done is not None:
                self.on_done(update)

    async def _flooded(self, key: int, chat: _Chat, update: object) -> None:
        """Log the drop once per burst and tell the person, at most once a minute."""
        if chat.flooding:
            return
        chat.flooding = True
        log.info("flood: a chat's updates beyond %d waiting are dropped", self.max_pending)
        now = time.monotonic()
        self._notified = {k: t for k, t in self._notified.items() if now - t < FLOOD_NOTICE_SECONDS}
        if key in self._notified or self.on_flood is None or not isinstance(update, Update):
            return
        self._notified[key] = now
        try:
            await self.on_flood(update)
        except Exception as error:  # a notice must never break the processor
            log.info("flood: the notice could not be sent (%s)", type(error).__name__)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Forget every chat."""
        self._chats.clear()
        self._notified.clear()
