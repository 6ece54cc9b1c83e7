"""Validating ``reply_markup`` like Telegram, and reading labels out of it.

Telegram rejects callback data over 64 bytes and text-only inline buttons; the bot would only
find out in production, so the double rejects them with the same descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botapi_double.params import bad_request

__all__ = ["Markup", "inline_buttons", "parse_reply_markup", "reply_keyboard_rows"]

_MAX_CALLBACK_DATA_BYTES = 64
_ACTION_FIELDS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
_URL_SCHEMES = ("http://", "https://", "tg://")

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Markup:
    """A validated reply_markup: at most one of the kinds is set."""

    inline: JsonDict | None = None
    reply_keyboard: JsonDict | None = None
    remove_keyboard: bool = False
    force_reply: bool = False


def _check_inline_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: field "text" must be of type String'
        )
    if not any(name in button for name in _ACTION_FIELDS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not data:
            raise bad_request("BUTTON_DATA_INVALID")
        if len(data.encode("utf-8")) > _MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.lower().startswith(_URL_SCHEMES):
            raise bad_request("BUTTON_URL_INVALID")


def _rows(markup: JsonDict, key: str) -> list[list[Any]]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            f'can\'t parse reply keyboard markup JSON object: field "{key}" must be of type Array'
        )
    return rows


def parse_reply_markup(value: object) -> Markup | None:
    """Validate a decoded reply_markup; None when absent."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        for row in _rows(value, "inline_keyboard"):
            for button in row:
                _check_inline_button(button)
        return Markup(inline=value)
    if "keyboard" in value:
        for row in _rows(value, "keyboard"):
            for button in row:
                is_text = isinstance(button, str)
                if not is_text and not (isinstance(button, dict) and "text" in button):
                    raise bad_request(
                        'can\'t parse keyboard button: field "text" must be of type String'
                    )
        return Markup(reply_keyboard=value)
    if value.get("remove_keyboard"):
        return Markup(remove_keyboard=True)
    if value.get("force_reply"):
        return Markup(force_reply=True)
    raise bad_request('can\'t find field "inline_keyboard"')


def inline_buttons(markup: JsonDict | None) -> list[list[JsonDict]]:
    """Inline keyboard rows of button dicts (empty when there is no inline keyboard)."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list):
        return []
    return [
        [button for button in row if isinstance(button, dict)]
        for row in rows
        if isinstance(row, list)
    ]


def reply_keyboard_rows(markup: JsonDict | None) -> list[list[JsonDict]]:
    """Reply keyboard rows as button dicts (a bare string label becomes ``{"text": label}``)."""
    if not markup:
        return []
    rows = markup.get("keyboard")
    if not isinstance(rows, list):
        return []
    result: list[list[JsonDict]] = []
    for row in rows:
        if isinstance(row, list):
            result.append(
                [
                    {"text": button} if isinstance(button, str) else button
                    for button in row
                    if isinstance(button, str | dict)
                ]
            )
    return result
