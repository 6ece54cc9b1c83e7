"""Bot API methods about the bot itself rather than messages: profile, commands, menu, files.

They only store what they receive, validated like Telegram, so that tests can check the setup
a bot performs at start-up (commands per language, descriptions, menu button).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from bot.botapi_double.core import DoubleCore, JsonDict
from bot.botapi_double.params import Params, bad_request

__all__ = ["SETUP_METHODS"]

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


def get_me(core: DoubleCore, params: Params) -> JsonDict:
    me = core.bot_user.to_api()
    me.update(
        can_join_groups=True,
        can_read_all_group_messages=False,
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return me


def accept(core: DoubleCore, params: Params) -> bool:
    """close, logOut: nothing to do in the double."""
    return True


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.structure("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.string("language_code") or ""


def set_my_commands(core: DoubleCore, params: Params) -> bool:
    commands = params.structure("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    cleaned: list[JsonDict] = []
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND_RE.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(item.get("description", ""))
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": item["command"], "description": description})
    core.commands[_commands_key(params)] = cleaned
    return True


def get_my_commands(core: DoubleCore, params: Params) -> list[JsonDict]:
    return list(core.commands.get(_commands_key(params), []))


def delete_my_commands(core: DoubleCore, params: Params) -> bool:
    core.commands.pop(_commands_key(params), None)
    return True


def set_chat_menu_button(core: DoubleCore, params: Params) -> bool:
    chat_id = params.integer("chat_id")
    button = params.structure("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad_request("can't parse menu button JSON object")
    core.menu_buttons[chat_id] = button
    return True


def get_chat_menu_button(core: DoubleCore, params: Params) -> JsonDict:
    return core.menu_buttons.get(params.integer("chat_id"), {"type": "default"})


def _set_description(core: DoubleCore, params: Params, field: str, limit: int) -> bool:
    text = params.string(field) or ""
    if len(text) > limit:
        raise bad_request(f"{field.upper()}_INVALID")
    core.descriptions[(field, params.string("language_code") or "")] = text
    return True


def set_my_description(core: DoubleCore, params: Params) -> bool:
    return _set_description(core, params, "description", 512)


def set_my_short_description(core: DoubleCore, params: Params) -> bool:
    return _set_description(core, params, "short_description", 120)


def get_my_description(core: DoubleCore, params: Params) -> JsonDict:
    key = ("description", params.string("language_code") or "")
    return {"description": core.descriptions.get(key, "")}


def get_my_short_description(core: DoubleCore, params: Params) -> JsonDict:
    key = ("short_description", params.string("language_code") or "")
    return {"short_description": core.descriptions.get(key, "")}


def send_chat_action(core: DoubleCore, params: Params) -> bool:
    core.chat_for_bot(params)
    if not params.string("action"):
        raise bad_request("action is empty")
    return True


def get_file(core: DoubleCore, params: Params) -> JsonDict:
    stored = core.files.get(params.string("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": f"files/{stored.file_unique_id}",
    }


SETUP_METHODS: dict[str, Callable[[DoubleCore, Params], Any]] = {
    "getMe": get_me,
    "close": accept,
    "logOut": accept,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "setMyDescription": set_my_description,
    "setMyShortDescription": set_my_short_description,
    "getMyDescription": get_my_description,
    "getMyShortDescription": get_my_short_description,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
}
