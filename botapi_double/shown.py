"""What a person sees of a message: :class:`ShownMessage`, a snapshot built from the double.

Snapshots are cheap and immutable; re-read ``person.messages`` to see later edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botapi_double.markup import inline_buttons, reply_keyboard_rows
from botapi_double.state import StoredMessage

__all__ = ["ShownDocument", "ShownMessage", "shown"]


@dataclass(frozen=True)
class ShownDocument:
    """A file as the person can open it."""

    file_name: str | None
    mime_type: str | None
    content: bytes


@dataclass(frozen=True)
class ShownMessage:
    """One message in a chat as the person sees it at the time of the snapshot."""

    chat_id: int
    message_id: int
    from_bot: bool
    kind: str
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[str]] = field(default_factory=list)
    button_data: list[list[str | None]] = field(default_factory=list)
    url_buttons: dict[str, str] = field(default_factory=dict)
    reply_keyboard: list[list[str]] | None = None
    location_request_buttons: list[str] = field(default_factory=list)
    venue: dict[str, Any] | None = None
    location: dict[str, float] | None = None
    document: ShownDocument | None = None
    photo_bytes: bytes | None = None
    deleted: bool = False
    edits: int = 0

    @property
    def button_labels(self) -> list[str]:
        """All inline button labels, row by row, flattened."""
        return [label for row in self.buttons for label in row]


def _visible_text(message: StoredMessage) -> str:
    media = message.media
    if message.kind == "venue":
        venue = media.get("venue", {})
        return f"{venue.get('title', '')}\n{venue.get('address', '')}"
    if message.kind == "location":
        location = media.get("location", {})
        return f"📍 {location.get('latitude')}, {location.get('longitude')}"
    if message.kind == "document":
        name = media.get("document", {}).get("file_name") or "document"
        return f"{name}\n{message.text}" if message.text else str(name)
    if message.kind == "sticker":
        return str(media.get("sticker", {}).get("emoji", ""))
    if message.kind == "contact":
        contact = media.get("contact", {})
        return f"{contact.get('first_name', '')} {contact.get('phone_number', '')}".strip()
    return message.text


def shown(message: StoredMessage) -> ShownMessage:
    """Snapshot a stored message as the person sees it."""
    rows = inline_buttons(message.inline_markup)
    url_buttons = {
        str(button.get("text")): str(button["url"])
        for row in rows
        for button in row
        if "url" in button
    }
    keyboard_rows = reply_keyboard_rows(message.reply_keyboard)
    file = message.file
    venue = message.media.get("venue")
    return ShownMessage(
        chat_id=message.chat_id,
        message_id=message.message_id,
        from_bot=message.from_bot,
        kind=message.kind,
        text=_visible_text(message),
        entities=[dict(entity) for entity in message.entities],
        buttons=[[str(button.get("text", "")) for button in row] for row in rows],
        button_data=[
            [str(button["callback_data"]) if "callback_data" in button else None for button in row]
            for row in rows
        ],
        url_buttons=url_buttons,
        reply_keyboard=(
            [[str(button.get("text", "")) for button in row] for row in keyboard_rows]
            if message.reply_keyboard is not None
            else None
        ),
        location_request_buttons=[
            str(button.get("text", ""))
            for row in keyboard_rows
            for button in row
            if button.get("request_location")
        ],
        venue=(
            {
                "latitude": venue["location"]["latitude"],
                "longitude": venue["location"]["longitude"],
                "title": venue["title"],
                "address": venue["address"],
            }
            if isinstance(venue, dict)
            else None
        ),
        location=dict(message.media["location"]) if "location" in message.media else None,
        document=(
            ShownDocument(file.file_name, file.mime_type, file.content)
            if file is not None and message.kind == "document"
            else None
        ),
        photo_bytes=file.content if file is not None and message.kind == "photo" else None,
        deleted=message.deleted,
        edits=message.edits,
    )
