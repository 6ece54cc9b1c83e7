"""A group chat where persons add the bot and talk to it (privacy mode applies).

Telegram delivers to a bot in privacy mode only the commands meant for it, and tells it when
it was added with a ``my_chat_member`` update; the double does the same.
"""

from __future__ import annotations

from typing import Unpack

from botapi_double.core import DoubleCore
from botapi_double.media import member_update
from botapi_double.person import Person
from botapi_double.settle import Wait
from botapi_double.shown import ShownMessage, shown
from botapi_double.state import ChatState

__all__ = ["GroupChat"]


class GroupChat:
    """A group (negative chat id) where persons can add the bot and talk to it."""

    def __init__(self, core: DoubleCore, chat: ChatState) -> None:
        self._core = core
        self.chat = chat

    @property
    def chat_id(self) -> int:
        return self.chat.chat_id

    @property
    def title(self) -> str:
        return self.chat.title or ""

    async def add_bot(self, by: Person, **wait: Unpack[Wait]) -> list[ShownMessage]:
        """``by`` adds the bot: a ``my_chat_member`` update; by default expects no reply."""
        self.chat.bot_is_member = True
        pending = self._core.queue_update(
            "my_chat_member", member_update(self._core, self.chat, by.user, "left", "member")
        )
        return await by._settle(
            self.chat, pending, f"added the bot to {self.title!r}", wait, expect_reply=False
        )

    @property
    def messages(self) -> list[ShownMessage]:
        """Visible messages of the group, oldest first."""
        return [shown(m) for m in self.chat.messages.values() if not m.deleted]

    @property
    def last_bot_message(self) -> ShownMessage | None:
        bot_messages = [m for m in self.messages if m.from_bot]
        return bot_messages[-1] if bot_messages else None
