"""Webhook mode: Telegram POSTs each update to the bot's own HTTP server.

An aiohttp server (aiohttp is the `webhook` extra: bot/app.py imports this module only in
webhook mode, and `python -m bot run` says in one line when aiohttp is missing): the
webhook path accepts only requests carrying the secret token given to setWebhook (403
otherwise, never processed), and `GET /healthz` answers a tiny JSON without any personal
data. Updates go to the Application's queue, so they are processed exactly as in polling
mode (chats in parallel, each chat in order). An update the library cannot read is
skipped with one log line and acknowledged, so Telegram does not resend it.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_BODY = 1024 * 1024  # Telegram's updates are far smaller


class WebhookServer:
    """The bot's HTTP endpoint: the webhook path and /healthz."""

    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
    ) -> None:
        self.application = application
        self.settings = settings
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        """Listen on WEBHOOK_LISTEN:WEBHOOK_PORT (port 0: any free one, for tests)."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.settings.webhook_path, self._receive)
        app.router.add_get("/healthz", self._health)
        # A request in progress gets 2 s to finish (its update is then in the queue).
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.webhook_listen, self.settings.webhook_port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("webhook server listening on port %d", self.port)

    async def stop(self) -> None:
        """Stop taking requests (the updates already queued are still processed)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.settings.secret_token.encode()):
            log.warning("webhook: a request without the right secret token was refused")
            return web.Response(status=403)
        try:
            data = await request.json(loads=json.loads)
            update = Update.de_json(data, self.application.bot)
        except Exception as error:  # whatever the library trips on: skip only this update
            log.warning("webhook: skipped an update that cannot be read (%s)", type(error).__name__)
            return web.Response(status=200)
        if update is not None:
            await self.application.update_queue.put(update)
        return web.Response(status=200)

    async def _health(self, request: web.Request) -> web.Response:
        directory = self.application.bot_data.directory
        body = {
            "status": "ok" if self.application.running else "stopping",
            "mode": "webhook",
            "directory_date": directory.info.file_date if directory is not None else None,
        }
        return web.json_response(body, status=200 if self.application.running else 503)
