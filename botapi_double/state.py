"""What the double remembers: users, chats, messages, updates, callback queries and calls.

Kept apart from the HTTP layer so that it survives an Application restarting, and so that the
person driver can read what a person would see without going through HTTP.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ApiCall",
    "CallbackRecord",
    "ChatState",
    "PendingUpdate",
    "StoredFile",
    "StoredMessage",
    "UserInfo",
]

JsonDict = dict[str, Any]


@dataclass
class UserInfo:
    """A Telegram user as the bot sees it in ``from`` fields."""

    user_id: int
    first_name: str
    is_bot: bool = False
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> JsonDict:
        data: JsonDict = {"id": self.user_id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass
class StoredFile:
    """An uploaded or person-sent file, kept so that tests can read it back."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    content: bytes


@dataclass
class StoredMessage:
    """One message in a chat, from the person or from the bot, in its current state."""

    chat_id: int
    message_id: int
    date: int
    sender: UserInfo
    kind: str
    text: str = ""
    entities: list[JsonDict] = field(default_factory=list)
    inline_markup: JsonDict | None = None
    reply_keyboard: JsonDict | None = None
    media: JsonDict = field(default_factory=dict)
    file: StoredFile | None = None
    deleted: bool = False
    edits: int = 0
    edit_date: int | None = None

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    def to_api(self, chat: JsonDict) -> JsonDict:
        """The Telegram ``Message`` object for this message."""
        data: JsonDict = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        text_key, entities_key = ("text", "entities")
        if self.kind != "text":
            text_key, entities_key = ("caption", "caption_entities")
        if self.text and self.kind in ("text", "photo", "document", "voice"):
            data[text_key] = self.text
            if self.entities:
                data[entities_key] = [dict(entity) for entity in self.entities]
        data.update(self.media)
        if self.inline_markup is not None:
            data["reply_markup"] = self.inline_markup
        return data


@dataclass
class ChatState:
    """A private chat (id = user id) or a group (negative id)."""

    chat_id: int
    chat_type: str
    title: str | None = None
    user: UserInfo | None = None
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    bot_is_member: bool = False
    person_started: bool = False
    blocked_by_person: bool = False
    reply_keyboard: JsonDict | None = None
    call_count: int = 0  # calls the bot made about this chat
    last_activity: float = 0.0
    bot_changes: list[tuple[int, int]] = field(default_factory=list)
    change_seq: int = 0
    # Set (then replaced) at each call about the chat: quiet settling waits on it.
    activity: asyncio.Event = field(default_factory=asyncio.Event, repr=False, compare=False)

    def to_api(self) -> JsonDict:
        if self.chat_type == "private" and self.user is not None:
            data: JsonDict = {"id": self.chat_id, "type": "private"}
            data["first_name"] = self.user.first_name
            if self.user.username:
                data["username"] = self.user.username
            return data
        return {"id": self.chat_id, "type": self.chat_type, "title": self.title or ""}

    def add_message(self, sender: UserInfo, kind: str) -> StoredMessage:
        message = StoredMessage(
            chat_id=self.chat_id,
            message_id=self.next_message_id,
            date=int(time.time()),
            sender=sender,
            kind=kind,
        )
        self.next_message_id += 1
        self.messages[message.message_id] = message
        return message

    def note_activity(self) -> None:
        """Remember that the bot made a call about this chat (for the person's settling)."""
        self.call_count += 1
        self.last_activity = time.monotonic()
        self.activity.set()
        self.activity = asyncio.Event()

    def note_bot_change(self, message_id: int) -> None:
        """Remember that a bot message was created or edited, in order."""
        self.change_seq += 1
        self.bot_changes.append((self.change_seq, message_id))


@dataclass
class PendingUpdate:
    """An update waiting in the queue until the bot confirms it with ``offset``."""

    update_id: int
    update_type: str
    payload: JsonDict
    fetched: asyncio.Event = field(default_factory=asyncio.Event)
    processed: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: bool = False

    def to_api(self) -> JsonDict:
        return {"update_id": self.update_id, self.update_type: self.payload}


@dataclass
class CallbackRecord:
    """A callback query sent by a person, and how the bot answered it."""

    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    answer_url: str | None = None


@dataclass
class ApiCall:
    """One Bot API call made by the bot, for test assertions."""

    method: str
    params: dict[str, Any]
    time: float
    result: object = None
    error: str | None = None
    chat_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
