"""The journey's ConversationHandler, whose expiry waits for the chat's turn.

python-telegram-bot runs a conversation's timeout from the JobQueue, outside the update
processor: an expiry could run at the same time as a new update of the same chat and
overwrite the state that update has just set. Here the expiry first waits until the chat's
earlier updates are done (`PerChatUpdateProcessor.turn`); an update that came in the
meantime has already cancelled the timeout, which then does nothing.

`_trigger_timeout` is python-telegram-bot's job callback for timeouts (stable within 22.x,
pinned in pyproject.toml); tests/test_concurrency.py fails if it stops being called.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.update_processor import PerChatUpdateProcessor


class JourneyConversation(ConversationHandler[BotContext]):
    """A ConversationHandler that never expires a conversation during one of its updates."""

    async def _trigger_timeout(self, context: BotContext) -> None:
        processor = context.application.update_processor
        job = context.job
        data: Any = job.data if job is not None else None
        key = PerChatUpdateProcessor.key(getattr(data, "update", None))
        if not isinstance(processor, PerChatUpdateProcessor) or key is None:
            await super()._trigger_timeout(context)
            return
        async with processor.turn(key):
            await super()._trigger_timeout(context)
