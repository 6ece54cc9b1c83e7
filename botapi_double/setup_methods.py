"""Bot API methods about the bot itself rather than messages: its profile and commands.

Only those the bot calls: getMe (python-telegram-bot's `initialize`) and setMyCommands
(the commands per language and the coordinators' menu, at start). They store what they
receive, validated like Telegram, so that tests can check the commands a bot publishes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from botapi_double.core import DoubleCore, JsonDict
from botapi_double.params import Params, bad_request

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


SETUP_METHODS: dict[str, Callable[[DoubleCore, Params], Any]] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
}
