"""A person talking to the bot through the double.

Each action queues the update Telegram would send, then waits until the bot has settled (it
fetched the update, reacted in this chat, then stayed quiet), so tests read like a
conversation and never sleep for a fixed time.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Unpack

from botapi_double.core import DoubleCore, JsonDict
from botapi_double.markup import inline_buttons, reply_keyboard_rows
from botapi_double.media import (
    TINY_PNG,
    Media,
    attach_media,
    command_entities,
    document,
    member_update,
    photo,
    sticker,
    voice,
)
from botapi_double.settle import Wait, settle
from botapi_double.shown import ShownMessage, shown
from botapi_double.state import (
    CallbackRecord,
    ChatState,
    PendingUpdate,
    StoredMessage,
    UserInfo,
)

if TYPE_CHECKING:
    from botapi_double.group import GroupChat

__all__ = ["Person"]


class Person:
    """A Telegram user with a private chat with the bot (chat id = user id).

    Every action accepts ``expect_reply``, ``timeout`` and ``quiet`` (see :class:`Wait`);
    ``person.timeout`` and ``person.quiet`` hold the defaults (10 s and 0.15 s). Actions
    return the bot messages created or edited in response, in order, deleted ones left out.
    """

    def __init__(self, core: DoubleCore, user: UserInfo, chat: ChatState) -> None:
        self._core = core
        self.user = user
        self.chat = chat
        self.quiet = 0.15
        self.timeout = 10.0

    @property
    def user_id(self) -> int:
        return self.user.user_id

    @property
    def first_name(self) -> str:
        return self.user.first_name

    def __repr__(self) -> str:
        return f"Person(user_id={self.user_id}, first_name={self.first_name!r})"

    # --- actions -----------------------------------------------------------------------------

    async def _settle(
        self,
        chat: ChatState,
        pending: PendingUpdate,
        what: str,
        wait: Wait,
        *,
        expect_reply: bool = True,
    ) -> list[ShownMessage]:
        return await settle(
            self._core,
            chat,
            pending,
            f"{self.first_name} {what}",
            expect_reply=wait.get("expect_reply", expect_reply),
            limit=wait.get("timeout", self.timeout),
            quiet=wait.get("quiet", self.quiet),
        )

    async def _post(
        self,
        chat: ChatState,
        message: StoredMessage,
        what: str,
        wait: Wait,
        *,
        deliver: bool = True,
    ) -> list[ShownMessage]:
        """Queue a ``message`` update (unless privacy mode hides it) and wait for the bot."""
        if chat.chat_type == "private":
            chat.person_started = True
            if chat.blocked_by_person:  # writing to a blocked bot restarts it, as in Telegram
                chat.blocked_by_person = False
                self._core.queue_update(
                    "my_chat_member",
                    member_update(self._core, chat, self.user, "kicked", "member"),
                )
        if not deliver:
            if wait.get("expect_reply", True):
                raise AssertionError(
                    f"{self.first_name} {what}: Telegram would not deliver this group message "
                    "to a bot in privacy mode (only commands for it are delivered)"
                )
            return []
        pending = self._core.queue_update("message", message.to_api(chat.to_api()))
        return await self._settle(chat, pending, what, wait)

    async def send(self, text: str, **wait: Unpack[Wait]) -> list[ShownMessage]:
        """Send a text message; ``/commands`` get their bot_command entity."""
        message = self.chat.add_message(self.user, "text")
        message.text, message.entities = text, command_entities(text)
        self._used_reply_keyboard(text)
        return await self._post(self.chat, message, f"sent {text!r}", wait)

    async def send_in_group(
        self, group: GroupChat, text: str, **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        """Send a text in a group; privacy mode delivers only commands meant for the bot."""
        message = group.chat.add_message(self.user, "text")
        message.text, message.entities = text, command_entities(text)
        first_word = text.split(maxsplit=1)[0] if text.strip() else ""
        addressed = first_word.startswith("/") and (
            "@" not in first_word
            or first_word.split("@", 1)[1].lower() == self._core.bot_username.lower()
        )
        return await self._post(
            group.chat,
            message,
            f"sent {text!r} in {group.title!r}",
            wait,
            deliver=addressed and group.chat.bot_is_member,
        )

    async def share_location(
        self, latitude: float, longitude: float, **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        """Share a location (what a ``request_location`` button sends)."""
        message = self.chat.add_message(self.user, "location")
        message.media = {"location": {"latitude": latitude, "longitude": longitude}}
        self._used_reply_keyboard(None)
        return await self._post(self.chat, message, "shared a location", wait)

    async def _send_media(self, media: Media, what: str, wait: Wait) -> list[ShownMessage]:
        message = self.chat.add_message(self.user, media.kind)
        attach_media(self._core, message, media)
        return await self._post(self.chat, message, what, wait)

    async def send_sticker(self, emoji: str = "👍", **wait: Unpack[Wait]) -> list[ShownMessage]:
        return await self._send_media(sticker(emoji), "sent a sticker", wait)

    async def send_photo(
        self, caption: str | None = None, content: bytes = TINY_PNG, **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        return await self._send_media(photo(content, caption), "sent a photo", wait)

    async def send_voice(self, duration: int = 3, **wait: Unpack[Wait]) -> list[ShownMessage]:
        return await self._send_media(voice(duration), "sent a voice message", wait)

    async def send_document(
        self,
        file_name: str = "piece-jointe.pdf",
        content: bytes = b"%PDF-1.4\n% test\n",
        caption: str | None = None,
        mime_type: str = "application/pdf",
        **wait: Unpack[Wait],
    ) -> list[ShownMessage]:
        media = document(file_name, content, caption, mime_type)
        return await self._send_media(media, "sent a document", wait)

    async def send_contact(
        self, phone_number: str = "+33612345678", **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        message = self.chat.add_message(self.user, "contact")
        message.media = {
            "contact": {
                "phone_number": phone_number,
                "first_name": self.first_name,
                "user_id": self.user_id,
            }
        }
        return await self._post(self.chat, message, "shared a contact", wait)

    async def edit(
        self, message: ShownMessage, new_text: str, **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        """Edit one of the person's own text messages; by default expects no reply."""
        chat = self._core.chats.get(message.chat_id)
        stored = chat.messages.get(message.message_id) if chat else None
        if chat is None or stored is None or stored.sender is not self.user or stored.deleted:
            raise AssertionError(f"{self.first_name} can only edit their own visible messages")
        if stored.kind != "text":
            raise AssertionError(f"{self.first_name} can only edit text messages")
        stored.text, stored.entities = new_text, command_entities(new_text)
        stored.edits += 1
        stored.edit_date = int(time.time())
        pending = self._core.queue_update("edited_message", stored.to_api(chat.to_api()))
        return await self._settle(
            chat, pending, f"edited a message into {new_text!r}", wait, expect_reply=False
        )

    async def press(
        self, label: str, message: ShownMessage | None = None, **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        """Press the inline button labelled exactly ``label`` (latest message showing it)."""
        target = self._find_button_message(label, message)
        button = next(
            button
            for row in inline_buttons(target.inline_markup)
            for button in row
            if button.get("text") == label
        )
        if "callback_data" not in button:
            raise AssertionError(f"button {label!r} is not a callback button: {button}")
        return await self._callback(
            target, str(button["callback_data"]), f"pressed {label!r}", wait
        )

    async def press_data(
        self, data: str, message: ShownMessage | None = None, **wait: Unpack[Wait]
    ) -> list[ShownMessage]:
        """Send a callback query with arbitrary (possibly forged) data."""
        target = self._stored(message) if message else self._latest_bot_message()
        return await self._callback(target, data, f"sent callback data {data!r}", wait)

    async def block_bot(self, **wait: Unpack[Wait]) -> list[ShownMessage]:
        """Block the bot: Telegram tells it with a ``my_chat_member`` update (kicked)."""
        self.chat.blocked_by_person = True
        pending = self._core.queue_update(
            "my_chat_member", member_update(self._core, self.chat, self.user, "member", "kicked")
        )
        return await self._settle(self.chat, pending, "blocked the bot", wait, expect_reply=False)

    async def _callback(
        self, target: StoredMessage, data: str, what: str, wait: Wait
    ) -> list[ShownMessage]:
        chat = self._core.chats[target.chat_id]
        query_id = self._core.new_query_id()
        self._core.callbacks[query_id] = CallbackRecord(
            query_id, self.user_id, chat.chat_id, target.message_id, data
        )
        payload: JsonDict = {
            "id": query_id,
            "from": self.user.to_api(),
            "message": target.to_api(chat.to_api()),
            "chat_instance": str(abs(chat.chat_id) * 7919 + 4_000_000_000),
            "data": data,
        }
        pending = self._core.queue_update("callback_query", payload)
        return await self._settle(chat, pending, what, wait)

    # --- finding messages --------------------------------------------------------------------

    def _stored(self, message: ShownMessage) -> StoredMessage:
        chat = self._core.chats.get(message.chat_id)
        stored = chat.messages.get(message.message_id) if chat else None
        if stored is None or stored.deleted:
            raise AssertionError(f"message {message.message_id} is no longer visible (deleted)")
        return stored

    def _latest_bot_message(self) -> StoredMessage:
        for stored in reversed(self.chat.messages.values()):
            if stored.from_bot and not stored.deleted:
                return stored
        raise AssertionError(f"the bot has not sent any visible message to {self.first_name}")

    def _find_button_message(self, label: str, message: ShownMessage | None) -> StoredMessage:
        candidates = (
            [self._stored(message)]
            if message
            else [
                stored
                for stored in reversed(self.chat.messages.values())
                if stored.from_bot and not stored.deleted
            ]
        )
        for stored in candidates:
            labels = [b.get("text") for row in inline_buttons(stored.inline_markup) for b in row]
            if label in labels:
                return stored
        latest = candidates[0] if candidates else None
        visible = (
            [b.get("text") for row in inline_buttons(latest.inline_markup) for b in row]
            if latest
            else []
        )
        raise AssertionError(
            f"{self.first_name} sees no button labelled {label!r}; buttons on the latest bot "
            f"message: {visible}"
        )

    def age_messages(self, seconds: float) -> None:
        """Pretend this chat's messages were sent ``seconds`` earlier (e.g. past 48 hours)."""
        for message in self.chat.messages.values():
            message.date -= int(seconds)

    def _used_reply_keyboard(self, text: str | None) -> None:
        """A one-time reply keyboard hides once the person used one of its buttons."""
        keyboard = self.chat.reply_keyboard
        if not keyboard or not keyboard.get("one_time_keyboard"):
            return
        labels = [b.get("text") for row in reply_keyboard_rows(keyboard) for b in row]
        if text is None or text in labels:
            self.chat.reply_keyboard = None

    # --- inspection --------------------------------------------------------------------------

    @property
    def all_messages_including_deleted(self) -> list[ShownMessage]:
        return [shown(message) for message in self.chat.messages.values()]

    @property
    def messages(self) -> list[ShownMessage]:
        """Visible messages of the private chat, oldest first."""
        return [shown(m) for m in self.chat.messages.values() if not m.deleted]

    @property
    def bot_messages(self) -> list[ShownMessage]:
        return [shown(m) for m in self.chat.messages.values() if m.from_bot and not m.deleted]

    @property
    def last_bot_message(self) -> ShownMessage | None:
        messages = self.bot_messages
        return messages[-1] if messages else None

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Labels of the reply keyboard currently shown under the input field, if any."""
        keyboard = self.chat.reply_keyboard
        if keyboard is None:
            return None
        return [[str(b.get("text", "")) for b in row] for row in reply_keyboard_rows(keyboard)]

    def _records(self) -> list[CallbackRecord]:
        return [r for r in self._core.callbacks.values() if r.user_id == self.user_id]

    @property
    def callback_answers(self) -> list[str | None]:
        return [record.answer_text for record in self._records() if record.answered]

    @property
    def unanswered_callback_queries(self) -> list[str]:
        return [record.query_id for record in self._records() if not record.answered]
