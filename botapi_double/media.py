"""Building what a person sends besides text: files, stickers, commands, membership changes.

Kept out of :mod:`person` so that the driver reads as a list of actions.
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from dataclasses import dataclass, field

from botapi_double.core import DoubleCore, JsonDict
from botapi_double.state import ChatState, StoredMessage, UserInfo

__all__ = [
    "TINY_PNG",
    "Media",
    "attach_media",
    "command_entities",
    "document",
    "member_update",
    "photo",
    "sticker",
    "voice",
]

_COMMAND_RE = re.compile(r"(?<!\S)/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?!\S)")


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


TINY_PNG = _tiny_png()


def command_entities(text: str) -> list[JsonDict]:
    """bot_command entities wherever Telegram would find one (UTF-16 offsets)."""
    entities: list[JsonDict] = []
    for match in _COMMAND_RE.finditer(text):
        offset = len(text[: match.start()].encode("utf-16-le")) // 2
        length = len(match.group(0).encode("utf-16-le")) // 2
        entities.append({"type": "bot_command", "offset": offset, "length": length})
    return entities


@dataclass
class Media:
    """A file-backed message a person sends (sticker, photo, voice, document)."""

    kind: str
    content: bytes
    mime_type: str
    fields: JsonDict = field(default_factory=dict)
    file_name: str | None = None
    caption: str = ""


def sticker(emoji: str) -> Media:
    fields: JsonDict = {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return Media("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp", fields)


def photo(content: bytes, caption: str | None) -> Media:
    return Media("photo", content, "image/png", {"width": 1, "height": 1}, caption=caption or "")


def voice(duration: int) -> Media:
    return Media(
        "voice", b"OggS\x00\x02", "audio/ogg", {"duration": duration, "mime_type": "audio/ogg"}
    )


def document(file_name: str, content: bytes, caption: str | None, mime_type: str) -> Media:
    fields: JsonDict = {"file_name": file_name, "mime_type": mime_type}
    return Media("document", content, mime_type, fields, file_name, caption or "")


def attach_media(core: DoubleCore, message: StoredMessage, media: Media) -> None:
    """Store the file in the double and put the Telegram object on the message."""
    stored = core.store_file(None, media.file_name, media.mime_type, media.content)
    fields = dict(media.fields)
    fields.update(
        file_id=stored.file_id, file_unique_id=stored.file_unique_id, file_size=len(media.content)
    )
    message.media = {media.kind: [fields] if media.kind == "photo" else fields}
    message.file = stored
    message.text = media.caption


def member_update(core: DoubleCore, chat: ChatState, by: UserInfo, old: str, new: str) -> JsonDict:
    """A ``my_chat_member`` payload: the bot's status in ``chat`` changed from old to new."""

    def member(status: str) -> JsonDict:
        data: JsonDict = {"user": core.bot_user.to_api(), "status": status}
        if status == "kicked":
            data["until_date"] = 0
        return data

    return {
        "chat": chat.to_api(),
        "from": by.to_api(),
        "date": int(time.time()),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }
