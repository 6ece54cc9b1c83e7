"""Updates of different chats run concurrently; one chat's updates run one at a time.

ConversationHandler keeps one state per conversation and must never see two updates of
the same chat at once (a double tap would otherwise race). A chat that floods beyond
`max_pending` waiting updates has the excess dropped; the ones kept are answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise per chat (or per user when there is no chat), run chats in parallel."""

    def __init__(self, max_concurrent_updates: int = 64, max_pending: int = 20) -> None:
        super().__init__(max_concurrent_updates)
        self.max_pending = max_pending
        self._locks: dict[int, asyncio.Lock] = {}
        self._pending: dict[int, int] = {}

    @staticmethod
    def _key(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the coroutine once this chat's earlier updates are done."""
        key = self._key(update)
        if key is None:
            await coroutine
            return
        if self._pending.get(key, 0) >= self.max_pending:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            log.info("flood: an update was dropped")
            return
        self._pending[key] = self._pending.get(key, 0) + 1
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                await coroutine
        finally:
            self._pending[key] -= 1
            if self._pending[key] == 0:  # forget the chat as soon as it is idle
                del self._pending[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Forget every chat."""
        self._locks.clear()
        self._pending.clear()
