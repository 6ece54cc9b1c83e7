"""The Bot API double's HTTP server on 127.0.0.1, and the factories for persons and groups.

The real, unchanged python-telegram-bot Application talks to it through
``ApplicationBuilder().base_url(double.base_url)`` (the bot downloads no file, so there is
no file URL). It serves only the methods the bot calls (``setup_methods.py``,
``messaging.py``, and polling and the webhook in ``core.py``); any other gets Telegram's 404.
URLs carry the bot token, so there is no access log; bodies and texts are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
import traceback
from collections.abc import Callable, MutableMapping
from types import TracebackType
from typing import Any, Self

from aiohttp import ClientConnectorError, ClientError, ClientSession, web

from botapi_double.core import DoubleCore
from botapi_double.faults import Faults
from botapi_double.group import GroupChat
from botapi_double.messaging import MESSAGE_METHODS
from botapi_double.params import ApiError, Params, read_params
from botapi_double.person import Person
from botapi_double.setup_methods import SETUP_METHODS
from botapi_double.state import ApiCall, ChatState, PendingUpdate, UserInfo

__all__ = ["DEFAULT_TOKEN", "BotApiDouble"]

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
DEFAULT_TOKEN = "123456789:TEST_tokenTEST_tokenTEST_tokenTEST"  # noqa: S105 (fake, offline)
_MAX_BODY = 60 * 1024 * 1024
_dumps = functools.partial(json.dumps, ensure_ascii=False)


class _RedactedServerLog(logging.LoggerAdapter[logging.Logger]):
    """aiohttp's server log without tracebacks: they can quote the request line, token included."""

    def __init__(self, token: str) -> None:
        super().__init__(logging.getLogger(f"{__name__}.http"))
        self._token = token

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        error = kwargs.pop("exc_info", None)
        text = str(msg).replace(self._token, "<token>")
        if isinstance(error, BaseException):
            text += f" ({type(error).__name__})"
        return text, kwargs


def _reply(payload: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=_dumps)


def _error(code: int, description: str) -> web.Response:
    return _reply({"ok": False, "error_code": code, "description": description}, code)


class BotApiDouble(DoubleCore):
    """A fake Telegram Bot API server that keeps chats in memory and plays persons.

    ``calls`` records every method call except getUpdates (too frequent to be useful);
    ``internal_errors`` holds tracebacks of the double's own bugs (answered with HTTP 500);
    ``faults`` injects 429s, 5xx, timeouts and dropped connections (see ``faults.py``).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "EgaliteTestBot",
        bot_id: int = 123456789,
    ) -> None:
        super().__init__(token, bot_username, bot_id)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self.faults = Faults(self)
        self._delivery: asyncio.Task[None] | None = None
        plain: dict[str, Callable[[Params], Any]] = {
            "getUpdates": self.get_updates,
            "deleteWebhook": self.delete_webhook,
            "setWebhook": self.set_webhook,
            "getWebhookInfo": self.get_webhook_info,
        }
        for name, function in (SETUP_METHODS | MESSAGE_METHODS).items():
            plain[name] = functools.partial(function, self)
        # Telegram matches method names case-insensitively.
        self._methods = {name.lower(): (name, function) for name, function in plain.items()}

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (``port=0``: any free port)."""
        if self._runner is not None:
            raise RuntimeError("BotApiDouble is already started")
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        runner = web.AppRunner(
            app,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=1.0,
            logger=_RedactedServerLog(self.token),
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._closing = False
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self._delivery = asyncio.create_task(self._deliver(), name="double-webhook-delivery")

    async def stop(self) -> None:
        """Release held long polls and stop listening; chat state is kept."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self.close_polls()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        await runner.cleanup()

    async def _deliver(self) -> None:
        """While a webhook is set, POST the queued updates to it in order, with its secret
        token, as Telegram does; an update is forgotten once the webhook answered 2xx."""
        async with ClientSession() as session:
            while self._runner is not None:  # stop() clears it first: a lost cancel ends too
                update = self.next_for_webhook() if self.webhook_url else None
                if update is None:
                    await self.updates_changed(1.0)
                    continue
                failure = await self._post_update(session, update)
                if failure is None:
                    self.delivered(update)
                else:
                    self.delivery_failed(failure)
                    await asyncio.sleep(0.05)

    async def _post_update(self, session: ClientSession, update: PendingUpdate) -> str | None:
        """POST one update to the webhook: None if it answered 2xx, else what went wrong,
        in Telegram's words for getWebhookInfo's last_error_message."""
        headers = {SECRET_HEADER: self.webhook_secret} if self.webhook_secret else {}
        try:
            async with session.post(
                self.webhook_url, json=update.to_api(), headers=headers
            ) as answer:
                if 200 <= answer.status < 300:
                    return None
                return f"Wrong response from the webhook: {answer.status} {answer.reason}"
        except ClientConnectorError:
            return "Connection refused"
        except TimeoutError:
            return "Read timeout expired"
        except ClientError as error:
            return f"Connection failed ({type(error).__name__})"

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("BotApiDouble is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- persons and groups ------------------------------------------------------------------

    def person(
        self,
        user_id: int,
        first_name: str = "Camille",
        language_code: str | None = "fr",
        username: str | None = None,
    ) -> Person:
        """A person with a private chat (chat id = user id); same id, same chat."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = self.users.get(user_id)
        if user is None:
            user = UserInfo(user_id, first_name, username=username, language_code=language_code)
            self.users[user_id] = user
        else:
            user.first_name, user.username = first_name, username
            user.language_code = language_code
        chat = self.chats.setdefault(user_id, ChatState(user_id, "private", user=user))
        return Person(self, user, chat)

    def group(self, chat_id: int, title: str = "Groupe") -> GroupChat:
        """A group chat (negative id); the bot is not in it until ``add_bot``."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self.chats.setdefault(chat_id, ChatState(chat_id, "group", title=title))
        return GroupChat(self, chat)

    # --- HTTP --------------------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        return _error(404, "Not Found")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        entry = self._methods.get(request.match_info["method"].lower())
        if entry is None:
            return _error(404, "Not Found")
        name, function = entry
        try:
            params = await read_params(request)
        except ApiError as error:
            return _error(error.code, error.description)
        except ValueError:
            return _error(400, "Bad Request: can't parse request")
        answer = functools.partial(self._answer, name, function, params)
        fault = self.faults.take(name)
        if fault is not None:
            return await self.faults.inject(fault, name, request, params, answer)
        return await answer()

    async def _answer(
        self, name: str, function: Callable[[Params], Any], params: Params
    ) -> web.Response:
        if name == "getUpdates":
            try:
                return _reply({"ok": True, "result": await self.get_updates(params)})
            except ApiError as error:
                return _error(error.code, error.description)
        return self._call(name, function, params)

    def _call(self, name: str, function: Callable[[Params], Any], params: Params) -> web.Response:
        """Run a method, record it for tests, and note activity for the person's settling."""
        chat = self.chat_of_call(name, params)
        call = ApiCall(
            name, params.decoded(), time.monotonic(), chat_id=chat.chat_id if chat else None
        )
        try:
            call.result = function(params)
            response = _reply({"ok": True, "result": call.result})
        except ApiError as error:
            call.error = error.description
            response = _error(error.code, error.description)
        except Exception as error:  # never crash the server on odd input
            self.internal_errors.append(traceback.format_exc())
            logger.error("Bot API double failed in %s (%s)", name, type(error).__name__)
            call.error = "Internal Server Error"
            response = _error(500, "Internal Server Error")
        self.calls.append(call)
        if chat is not None:
            chat.note_activity()
        return response
