"""Faults the double can inject, so that tests meet what the real Telegram and the network do.

Telegram answers 429 with ``retry_after``, has 500 and 502 spells, and connections time out
or drop. A failure can also come *after* the call took effect (a message delivered whose
answer was lost): ``performed=True`` plays that, the case where a blind retry duplicates.
``method=None`` faults every method, getMe and getUpdates included: Telegram unreachable.

    double.faults.add("editMessageText", FaultKind.SERVER_ERROR, times=2)
    double.faults.api_down(FaultKind.BAD_GATEWAY)   # until double.faults.clear()
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

from aiohttp import web

from botapi_double.core import DoubleCore, JsonDict
from botapi_double.media import member_update
from botapi_double.params import Params
from botapi_double.state import PendingUpdate

__all__ = ["Fault", "FaultKind", "Faults"]

HOLD_SECONDS = 120.0  # a held request is released by then even if the client waits on
_dumps = functools.partial(json.dumps, ensure_ascii=False)


class FaultKind(StrEnum):
    """What goes wrong with a call."""

    RATE_LIMIT = "429"  # Too Many Requests, with parameters.retry_after
    SERVER_ERROR = "500"
    BAD_GATEWAY = "502"
    TIMEOUT = "timeout"  # no answer until the client gives up
    DROP = "drop"  # the connection is closed without an answer
    BLOCKED = "blocked"  # the person blocks the bot as this call arrives (then a real 403)


@dataclass
class Fault:
    """One injected fault; ``times=None`` lasts until cleared."""

    kind: FaultKind
    method: str | None = None
    times: int | None = 1
    performed: bool = False
    retry_after: int = 1

    def matches(self, method: str) -> bool:
        return self.method is None or self.method.lower() == method.lower()


class Faults:
    """The faults waiting for the next calls, and those already injected (for assertions)."""

    def __init__(self, core: DoubleCore) -> None:
        self._core = core
        self._waiting: list[Fault] = []
        self.injected: list[tuple[str, FaultKind]] = []

    def add(
        self,
        method: str | None = None,
        kind: FaultKind | str = FaultKind.SERVER_ERROR,
        *,
        times: int | None = 1,
        performed: bool = False,
        retry_after: int = 1,
    ) -> Fault:
        """Fail the next ``times`` calls of ``method`` (every method if None) with ``kind``."""
        if times is not None and times < 1:
            raise ValueError("times is at least 1 (or None: until cleared)")
        fault = Fault(FaultKind(kind), method, times, performed, retry_after)
        self._waiting.append(fault)
        return fault

    def api_down(self, kind: FaultKind | str = FaultKind.BAD_GATEWAY) -> Fault:
        """Every call fails with ``kind`` until :meth:`clear`."""
        return self.add(None, kind, times=None)

    def clear(self) -> None:
        """Telegram is well again."""
        self._waiting.clear()

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if any (counted as injected)."""
        for fault in self._waiting:
            if fault.matches(method):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._waiting.remove(fault)
                self.injected.append((method, fault.kind))
                return fault
        return None

    def queue_unparsable(self, chat_id: int, text: str) -> PendingUpdate:
        """Queue a message update that python-telegram-bot cannot parse (an entity without
        offset nor length makes ``Update.de_json`` raise TypeError), carrying ``text``."""
        chat = self._core.chats[chat_id]
        sender = chat.user or self._core.bot_user
        payload: JsonDict = {
            "message_id": chat.next_message_id,
            "from": sender.to_api(),
            "chat": chat.to_api(),
            "date": 1_700_000_000,
            "text": text,
            "entities": [{"type": "bold"}],
        }
        chat.next_message_id += 1
        return self._core.queue_update("message", payload)

    async def inject(
        self,
        fault: Fault,
        method: str,
        request: web.Request,
        params: Params,
        answer: Callable[[], Awaitable[web.Response]],
    ) -> web.StreamResponse:
        """Answer a faulted call: ``answer()`` carries it out (when it should take effect)."""
        if fault.kind is FaultKind.BLOCKED:
            self._block(method, params)
            return await answer()
        if fault.performed:
            await answer()
        if fault.kind is FaultKind.TIMEOUT:
            await asyncio.sleep(HOLD_SECONDS)  # cancelled when the client hangs up
            return _json({"ok": False, "error_code": 504, "description": "Gateway Timeout"}, 504)
        if fault.kind is FaultKind.DROP:
            _drop(request)
        if fault.kind is FaultKind.RATE_LIMIT:
            seconds = fault.retry_after
            return _json(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {seconds}",
                    "parameters": {"retry_after": seconds},
                },
                429,
            )
        code = int(fault.kind.value)
        description = "Internal Server Error" if code == 500 else "Bad Gateway"
        return _json({"ok": False, "error_code": code, "description": description}, code)

    def _block(self, method: str, params: Params) -> None:
        """The person of this private chat blocks the bot; Telegram queues my_chat_member."""
        chat = self._core.chat_of_call(method, params)
        if chat is None or chat.chat_type != "private" or chat.user is None:
            return
        if not chat.blocked_by_person:
            chat.blocked_by_person = True
            update = member_update(self._core, chat, chat.user, "member", "kicked")
            self._core.queue_update("my_chat_member", update)


def _json(payload: JsonDict, status: int) -> web.Response:
    return web.json_response(payload, status=status, dumps=_dumps)


def _drop(request: web.Request) -> NoReturn:
    """Close the connection before any byte of an answer is written."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError  # aiohttp's own way out of a handler whose client is gone
