"""The double's memory and its bookkeeping methods (no HTTP here).

Everything the bot can observe lives on :class:`DoubleCore`, so that an Application can stop
and a new one start against the same double and find the same chats, messages and buttons.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
from collections.abc import Callable
from typing import Any

from botapi_double.html_text import EntityParseError, parse_html, strip_text
from botapi_double.params import ApiError, Params, UploadedFile, bad_request
from botapi_double.state import (
    ApiCall,
    CallbackRecord,
    ChatState,
    PendingUpdate,
    StoredFile,
    UserInfo,
)

__all__ = ["DoubleCore", "JsonDict"]

JsonDict = dict[str, Any]

_DEFAULT_UPDATES = frozenset({"message", "edited_message", "callback_query", "my_chat_member"})
_MAX_POLL_TIMEOUT = 50
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class DoubleCore:
    """State of the fake Telegram, plus long polling and the webhook methods."""

    def __init__(self, token: str, bot_username: str, bot_id: int) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_user = UserInfo(bot_id, "Égalité (test)", is_bot=True, username=bot_username)
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, UserInfo] = {}
        self.updates: list[PendingUpdate] = []
        self.callbacks: dict[str, CallbackRecord] = {}
        self.files: dict[str, StoredFile] = {}
        self.calls: list[ApiCall] = []
        self.internal_errors: list[str] = []
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        # The last failed delivery to the webhook, as getWebhookInfo reports it.
        self.webhook_error = ""
        self.webhook_error_date: int | None = None
        # Real Telegram posts only to https; tests and the demo let it post to 127.0.0.1.
        self.plain_webhooks = False
        self.allowed_updates: list[str] = []
        self._update_ids = itertools.count(100_000_001)
        self._query_ids = itertools.count(7_000_000_001)
        self._file_ids = itertools.count(1)
        self._updates_changed = asyncio.Event()
        self._poll_generation = 0
        self._closing = False
        self.tracks_processing = False
        self._in_flight: dict[int, PendingUpdate] = {}

    # --- bookkeeping -------------------------------------------------------------------------

    def clear_calls(self) -> None:
        """Forget recorded calls (chat state is kept)."""
        self.calls.clear()

    def _wake_pollers(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    def queue_update(self, update_type: str, payload: JsonDict) -> PendingUpdate:
        """Queue an update for the next getUpdates and wake a waiting long poll."""
        pending = PendingUpdate(next(self._update_ids), update_type, payload)
        self.updates.append(pending)
        if self.tracks_processing:
            self._in_flight[pending.update_id] = pending
        self._wake_pollers()
        return pending

    def processing_hook(self) -> Callable[[object], None]:
        """What an in-process Application's update processor calls when it has finished an
        update (`PerChatUpdateProcessor.on_done`): persons then wait for exactly that,
        instead of for silence. Only the tests and the offline demo attach it."""
        self.tracks_processing = True

        def processed(update: object) -> None:
            update_id = getattr(update, "update_id", None)
            pending = self._in_flight.pop(update_id, None) if isinstance(update_id, int) else None
            if pending is not None:
                pending.processed.set()

        return processed

    def new_query_id(self) -> str:
        return str(next(self._query_ids))

    def store_file(
        self, upload: UploadedFile | None, name: str | None, mime: str | None, content: bytes = b""
    ) -> StoredFile:
        """Keep a file and give it Telegram-looking identifiers."""
        number = next(self._file_ids)
        stored = StoredFile(
            file_id=f"BQACAgQAAxkBAAI{number:08d}TestDoubleFile",
            file_unique_id=f"AgAD{number:06d}",
            file_name=upload.filename if upload else name,
            mime_type=upload.content_type if upload else mime,
            content=upload.content if upload else content,
        )
        self.files[stored.file_id] = stored
        return stored

    def find_chat(self, reference: int | str) -> ChatState | None:
        if isinstance(reference, int):
            return self.chats.get(reference)
        username = reference.removeprefix("@").lower()
        for chat in self.chats.values():
            if chat.user is not None and (chat.user.username or "").lower() == username:
                return chat
        return None

    def chat_for_bot(self, params: Params) -> ChatState:
        """The chat named by ``chat_id``, with Telegram's access errors."""
        chat = self.find_chat(params.chat_id())
        if chat is None:
            raise bad_request("chat not found")
        if chat.chat_type == "private":
            if chat.blocked_by_person:
                raise ApiError("Forbidden: bot was blocked by the user", 403)
            if not chat.person_started:
                raise ApiError("Forbidden: bot can't initiate conversation with a user", 403)
        elif not chat.bot_is_member:
            raise ApiError("Forbidden: bot is not a member of the group chat", 403)
        return chat

    def chat_of_call(self, method: str, params: Params) -> ChatState | None:
        """Which chat a call is about, for the person's settling (never raises)."""
        if method == "answerCallbackQuery":
            record = self.callbacks.get(params.string("callback_query_id") or "")
            return self.chats.get(record.chat_id) if record else None
        try:
            return self.find_chat(params.chat_id()) if params.has("chat_id") else None
        except ApiError:
            return None

    @staticmethod
    def formatted_text(
        params: Params,
        text_field: str,
        entities_field: str,
        *,
        limit: int,
        too_long: str,
        required: bool,
    ) -> tuple[str, list[JsonDict]]:
        """Plain text and entities after ``parse_mode``, trimmed and length-checked."""
        source = params.string(text_field) or ""
        if required and not source.strip():
            raise bad_request("message text is empty")
        mode = (params.string("parse_mode") or "").strip().lower()
        if mode not in ("", "html", "markdown", "markdownv2"):
            raise bad_request("unsupported parse_mode")
        entities: list[JsonDict] = []
        if mode == "html":
            try:
                source, entities = parse_html(source)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif not mode:
            given = params.structure(entities_field)
            if given is not None and not isinstance(given, list):
                raise bad_request(f"can't parse {entities_field} JSON object")
            entities = [entity for entity in given or [] if isinstance(entity, dict)]
        text, entities = strip_text(source, entities)
        if required and not text:
            raise bad_request("message text is empty")
        if len(text) > limit:
            raise bad_request(too_long)
        return text, entities

    # --- polling -----------------------------------------------------------------------------

    def _update_allowed(self, update: PendingUpdate) -> bool:
        allowed = set(self.allowed_updates) or _DEFAULT_UPDATES
        return update.update_type in allowed

    def _drop(self, keep: list[PendingUpdate]) -> None:
        kept = {id(update) for update in keep}
        for update in self.updates:
            if id(update) not in kept:
                update.dropped = not update.fetched.is_set()
                update.fetched.set()
                if update.dropped:
                    self._in_flight.pop(update.update_id, None)
                    update.processed.set()
        self.updates = keep

    async def get_updates(self, params: Params) -> list[JsonDict]:
        """Long polling: confirm by offset, then hold until an update arrives or timeout."""
        if self.webhook_url:
            raise ApiError(_WEBHOOK_CONFLICT, 409)
        offset = params.integer("offset", 0) or 0
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = min(max(params.number("timeout") or 0.0, 0.0), _MAX_POLL_TIMEOUT)
        allowed = params.structure("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(item) for item in allowed]
        if offset > 0:
            self._drop([update for update in self.updates if update.update_id >= offset])
        elif offset < 0:
            self._drop(self.updates[offset:])
        self._drop([update for update in self.updates if self._update_allowed(update)])
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(_CONFLICT, 409)
            ready = self.updates[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                for update in ready:
                    update.fetched.set()
                return [update.to_api() for update in ready]
            changed = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def close_polls(self) -> None:
        """Let every held getUpdates return, so that the server can stop at once."""
        self._closing = True
        self._wake_pollers()

    # --- webhook (it forbids polling) -------------------------------------------------------

    def set_webhook(self, params: Params) -> bool:
        url = params.string("url") or ""
        plain_local = self.plain_webhooks and url.startswith("http://127.0.0.1:")
        if url and not (url.startswith("https://") or plain_local):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token") or ""
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        self._forget_delivery_error()  # a new registration: no delivery has failed yet
        self.webhook_url = url
        self.webhook_secret = secret
        allowed = params.structure("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(item) for item in allowed]
        if params.boolean("drop_pending_updates"):
            self._drop([])
        self._wake_pollers()  # wakes the webhook delivery too
        return True

    def delete_webhook(self, params: Params) -> bool:
        self.webhook_url = ""
        self.webhook_secret = ""
        self._forget_delivery_error()
        if params.boolean("drop_pending_updates"):
            self._drop([])
        return True

    def next_for_webhook(self) -> PendingUpdate | None:
        """The oldest update to POST to the webhook (updates of other kinds are dropped)."""
        self._drop([update for update in self.updates if self._update_allowed(update)])
        return self.updates[0] if self.updates else None

    def delivery_failed(self, description: str) -> None:
        """The webhook could not take an update: getWebhookInfo says so until the next
        setWebhook (an update taken since does not clear it, as in Telegram)."""
        self.webhook_error = description
        self.webhook_error_date = int(time.time())

    def _forget_delivery_error(self) -> None:
        self.webhook_error, self.webhook_error_date = "", None

    def delivered(self, update: PendingUpdate) -> None:
        """The webhook answered 2xx: Telegram forgets the update."""
        update.fetched.set()
        self.updates = [pending for pending in self.updates if pending is not update]

    async def updates_changed(self, seconds: float) -> None:
        """Wait until an update is queued or the webhook changes (at most `seconds`)."""
        changed = self._updates_changed
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await changed.wait()

    def get_webhook_info(self, params: Params) -> JsonDict:
        info: JsonDict = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook_url and self.webhook_error_date is not None:
            info["last_error_date"] = self.webhook_error_date
            info["last_error_message"] = self.webhook_error
        if self.allowed_updates:
            info["allowed_updates"] = list(self.allowed_updates)
        return info

    def callback_record(self, query_id: str) -> CallbackRecord | None:
        return self.callbacks.get(query_id)
