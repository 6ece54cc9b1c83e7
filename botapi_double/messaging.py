"""Bot API methods that create, edit or delete messages, and answerCallbackQuery.

Only those the bot calls. Each function validates like Telegram (same order of checks, same
descriptions), then changes the chat state the person sees.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from botapi_double.core import DoubleCore, JsonDict
from botapi_double.markup import Markup, parse_reply_markup
from botapi_double.params import Params, UploadedFile, bad_request
from botapi_double.state import ChatState, StoredFile, StoredMessage

__all__ = ["MESSAGE_METHODS"]

_TEXT_LIMIT = 4096
_CAPTION_LIMIT = 1024
_CALLBACK_TEXT_LIMIT = 200
_MAX_DELETE = 100
_DELETE_WINDOW = 48 * 3600
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _markup(params: Params) -> Markup | None:
    return parse_reply_markup(params.structure("reply_markup"))


def _check_reply_target(chat: ChatState, params: Params) -> None:
    reply = params.structure("reply_parameters")
    reply = reply if isinstance(reply, dict) else {}
    target = params.integer("reply_to_message_id")
    if target is None and isinstance(reply.get("message_id"), int):
        target = reply["message_id"]
    lenient = params.boolean("allow_sending_without_reply") or bool(
        reply.get("allow_sending_without_reply")
    )
    if target is None or lenient:
        return
    message = chat.messages.get(target)
    if message is None or message.deleted:
        raise bad_request("message to be replied not found")


def _new_bot_message(
    core: DoubleCore,
    chat: ChatState,
    kind: str,
    markup: Markup | None,
    *,
    text: str = "",
    entities: list[JsonDict] | None = None,
) -> StoredMessage:
    message = chat.add_message(core.bot_user, kind)
    message.text = text
    message.entities = entities or []
    if markup is not None:
        message.inline_markup = markup.inline
        message.reply_keyboard = markup.reply_keyboard
        if markup.reply_keyboard is not None:
            chat.reply_keyboard = markup.reply_keyboard
        elif markup.remove_keyboard:
            chat.reply_keyboard = None
    chat.note_bot_change(message.message_id)
    return message


def send_message(core: DoubleCore, params: Params) -> JsonDict:
    chat = core.chat_for_bot(params)
    text, entities = core.formatted_text(
        params,
        "text",
        "entities",
        limit=_TEXT_LIMIT,
        too_long="message is too long",
        required=True,
    )
    markup = _markup(params)
    _check_reply_target(chat, params)
    message = _new_bot_message(core, chat, "text", markup, text=text, entities=entities)
    return message.to_api(chat.to_api())


def _caption(core: DoubleCore, params: Params) -> tuple[str, list[JsonDict]]:
    return core.formatted_text(
        params,
        "caption",
        "caption_entities",
        limit=_CAPTION_LIMIT,
        too_long="message caption is too long",
        required=False,
    )


def _coordinates(params: Params) -> JsonDict:
    latitude, longitude = params.number("latitude"), params.number("longitude")
    if latitude is None or not -90 <= latitude <= 90:
        raise bad_request("wrong latitude specified")
    if longitude is None or not -180 <= longitude <= 180:
        raise bad_request("wrong longitude specified")
    return {"latitude": latitude, "longitude": longitude}


def send_venue(core: DoubleCore, params: Params) -> JsonDict:
    chat = core.chat_for_bot(params)
    location = _coordinates(params)
    title, address = params.string("title") or "", params.string("address") or ""
    if not title.strip():
        raise bad_request("VENUE_TITLE_INVALID")
    if not address.strip():
        raise bad_request("VENUE_ADDRESS_INVALID")
    markup = _markup(params)
    venue: JsonDict = {"location": location, "title": title, "address": address}
    for extra in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
        if params.string(extra):
            venue[extra] = params.string(extra)
    message = _new_bot_message(core, chat, "venue", markup)
    message.media = {"venue": venue, "location": location}
    return message.to_api(chat.to_api())


def _resolve_file(core: DoubleCore, params: Params, field: str) -> StoredFile:
    given = params.file(field)
    if given is None or given == "":
        raise bad_request(f"there is no {field} in the request")
    if isinstance(given, UploadedFile):
        if not given.content:
            raise bad_request("file must be non-empty")
        return core.store_file(given, None, None)
    if given in core.files:
        return core.files[given]
    if given.startswith(("http://", "https://")):
        name = given.rstrip("/").rsplit("/", 1)[-1] or None
        return core.store_file(None, name, None)
    raise bad_request("wrong file identifier/HTTP URL specified")


def _png_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 512, 512


def send_document(core: DoubleCore, params: Params) -> JsonDict:
    chat = core.chat_for_bot(params)
    stored = _resolve_file(core, params, "document")
    caption, entities = _caption(core, params)
    markup = _markup(params)
    message = _new_bot_message(core, chat, "document", markup, text=caption, entities=entities)
    document: JsonDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    message.media = {"document": document}
    message.file = stored
    return message.to_api(chat.to_api())


def send_photo(core: DoubleCore, params: Params) -> JsonDict:
    chat = core.chat_for_bot(params)
    stored = _resolve_file(core, params, "photo")
    caption, entities = _caption(core, params)
    markup = _markup(params)
    message = _new_bot_message(core, chat, "photo", markup, text=caption, entities=entities)
    width, height = _png_size(stored.content)
    size: JsonDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "width": width,
        "height": height,
    }
    message.media = {"photo": [size]}
    message.file = stored
    return message.to_api(chat.to_api())


def _bot_message_to_edit(core: DoubleCore, params: Params) -> tuple[ChatState, StoredMessage]:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = core.chat_for_bot(params)
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _inline_only(markup: Markup | None) -> JsonDict | None:
    if markup is not None and markup.inline is None:
        raise bad_request("inline keyboard expected")
    return markup.inline if markup else None


def _apply_edit(chat: ChatState, message: StoredMessage) -> JsonDict:
    message.edits += 1
    message.edit_date = int(time.time())
    chat.note_bot_change(message.message_id)
    return message.to_api(chat.to_api())


def edit_message_text(core: DoubleCore, params: Params) -> JsonDict:
    chat, message = _bot_message_to_edit(core, params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text, entities = core.formatted_text(
        params, "text", "entities", limit=_TEXT_LIMIT, too_long="message is too long", required=True
    )
    inline = _inline_only(_markup(params))
    if (text, entities, inline) == (message.text, message.entities, message.inline_markup):
        raise bad_request(_NOT_MODIFIED)
    message.text, message.entities, message.inline_markup = text, entities, inline
    return _apply_edit(chat, message)


def edit_message_reply_markup(core: DoubleCore, params: Params) -> JsonDict:
    chat, message = _bot_message_to_edit(core, params)
    inline = _inline_only(_markup(params))
    if inline == message.inline_markup:
        raise bad_request(_NOT_MODIFIED)
    message.inline_markup = inline
    return _apply_edit(chat, message)


def _delete(chat: ChatState, message_id: int) -> bool:
    """Delete if Telegram allows it: within 48 hours, and only the bot's own in groups."""
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        return False
    if chat.chat_type != "private" and not message.from_bot:
        return False
    if time.time() - message.date >= _DELETE_WINDOW:
        return False
    message.deleted = True
    return True


def delete_messages(core: DoubleCore, params: Params) -> bool:
    chat = core.chat_for_bot(params)
    ids = params.structure("message_ids")
    if not isinstance(ids, list) or not ids:
        raise bad_request("message identifiers are not specified")
    if len(ids) > _MAX_DELETE:
        raise bad_request("too many messages to delete")
    for message_id in ids:
        if isinstance(message_id, int) and not isinstance(message_id, bool):
            _delete(chat, message_id)
    return True


def answer_callback_query(core: DoubleCore, params: Params) -> bool:
    record = core.callback_record(params.string("callback_query_id") or "")
    if record is None or record.answered:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.string("text")
    if text is not None and len(text) > _CALLBACK_TEXT_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    record.answered = True
    record.answer_text = text or None
    record.show_alert = params.boolean("show_alert")
    record.answer_url = params.string("url")
    return True


MESSAGE_METHODS: dict[str, Callable[[DoubleCore, Params], Any]] = {
    "sendMessage": send_message,
    "sendVenue": send_venue,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_callback_query,
}
