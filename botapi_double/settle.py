"""Waiting until the bot is done with a person's action.

When the Application runs in this process (tests, the offline demo), its update processor
tells the double when it has finished each update (`DoubleCore.processing_hook`): the wait
ends exactly then, whatever the machine's load, and every call the bot made about it has
been answered by then. A bot in another process (`python -m bot run` against the double,
the load benchmark) cannot say so; there "done" means it fetched the update, made at least
one call about this chat, then made none for ``quiet`` seconds (woken by the chat's
``activity`` event rather than polling, so that hundreds of persons can wait at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TypedDict

from botapi_double.core import DoubleCore
from botapi_double.shown import ShownMessage, shown
from botapi_double.state import ChatState, PendingUpdate


class Wait(TypedDict, total=False):
    """How a person's action waits for the bot (each key is optional).

    ``expect_reply``: wait for a call about the chat (else only for the fetch, plus ``quiet``);
    ``timeout``: seconds before an AssertionError (default 10); ``quiet``: seconds without
    calls that count as settled (default 0.15).
    """

    expect_reply: bool
    timeout: float
    quiet: float


__all__ = ["Wait", "settle"]

_STEP = 0.01


def _changes_since(chat: ChatState, seq: int) -> list[ShownMessage]:
    """Bot messages created or edited after ``seq``, in order, without deleted ones."""
    seen: list[int] = []
    for change_seq, message_id in chat.bot_changes:
        if change_seq > seq and message_id not in seen:
            seen.append(message_id)
    return [shown(chat.messages[m]) for m in seen if not chat.messages[m].deleted]


def _stall_report(core: DoubleCore, chat: ChatState, first_call: int) -> str:
    calls = [call for call in core.calls[first_call:] if call.chat_id == chat.chat_id]
    failed = [f"{call.method}: {call.error}" for call in calls if call.error]
    lines = [f"calls about chat {chat.chat_id} since then: {[c.method for c in calls]}"]
    if failed:
        lines.append(f"failed calls: {failed}")
    if core.internal_errors:
        lines.append(f"the double itself failed {len(core.internal_errors)} time(s)")
    return "; ".join(lines)


async def settle(
    core: DoubleCore,
    chat: ChatState,
    pending: PendingUpdate,
    what: str,
    *,
    expect_reply: bool,
    limit: float,
    quiet: float,
) -> list[ShownMessage]:
    """Wait for the bot's reaction to ``pending``; AssertionError if it never comes."""
    start = time.monotonic()
    deadline = start + limit
    base_calls = chat.call_count
    base_seq = chat.change_seq
    first_call = len(core.calls)
    try:
        await asyncio.wait_for(pending.fetched.wait(), limit)
    except TimeoutError:
        raise AssertionError(
            f"{what}: the bot did not fetch the update within {limit:.1f}s "
            "(is an Application polling this double?)"
        ) from None
    if pending.dropped:
        if expect_reply:
            raise AssertionError(f"{what}: the update was dropped before the bot fetched it")
        return []
    if core.tracks_processing:
        try:
            await asyncio.wait_for(pending.processed.wait(), max(deadline - time.monotonic(), 0))
        except TimeoutError:
            raise AssertionError(
                f"{what}: the bot fetched the update but did not finish it within {limit:.1f}s; "
                + _stall_report(core, chat, first_call)
            ) from None
        if expect_reply and chat.call_count == base_calls:
            raise AssertionError(
                f"{what}: the bot finished the update without a call about this chat; "
                + _stall_report(core, chat, first_call)
            )
        return _changes_since(chat, base_seq)
    if not expect_reply:
        await asyncio.sleep(quiet)
        return _changes_since(chat, base_seq)
    while True:
        now = time.monotonic()
        reacted = chat.call_count > base_calls
        if reacted and now - chat.last_activity >= quiet:
            return _changes_since(chat, base_seq)
        if now >= deadline:
            state = "kept making calls" if reacted else "made no call about this chat"
            raise AssertionError(
                f"{what}: the bot fetched the update but {state} within {limit:.1f}s; "
                + _stall_report(core, chat, first_call)
            )
        if reacted:  # sleep until the quiet time is over, then look again
            await asyncio.sleep(min(chat.last_activity + quiet, deadline) - now + _STEP / 10)
        else:  # woken by the first call about the chat (no polling: hundreds may wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(chat.activity.wait(), deadline - now)
