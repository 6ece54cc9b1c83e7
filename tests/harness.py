"""The running bot and its test settings: the real Application built by the same factory as
production, polling the Bot API double on 127.0.0.1 or served by it through a webhook,
with real SQLite files. Tests import these; tests/conftest.py holds only fixtures."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.app import (
    ALLOWED_UPDATES,
    BotApplication,
    build_application,
    start_polling,
    start_webhook,
    stop_polling,
    stop_webhook,
)
from bot.directory.store import install_sample
from bot.settings import Settings, load_settings
from bot.webhook import WebhookServer
from botapi_double import BotApiDouble

LOCALES = Path(__file__).resolve().parent.parent / "locales"
SAMPLE_PARTNERS = Path(__file__).resolve().parent.parent / "bot" / "data" / "sample_partners.yaml"


class RunningBot:
    """The real bot polling the double, or served by it through a webhook when the settings
    have a WEBHOOK_URL; can be stopped and started again (a restart)."""

    def __init__(self, double: BotApiDouble, settings: Settings) -> None:
        self.double = double
        self.settings = settings
        self.application: BotApplication | None = None
        self.webhook: WebhookServer | None = None

    async def start(self) -> None:
        """Build a fresh Application and start polling, or its webhook server."""
        self.application = build_application(self.settings, token=self.double.token)
        done = self.double.processing_hook()
        if self.settings.webhook_mode:
            self.double.plain_webhooks = True
            self.webhook = await start_webhook(self.application, ALLOWED_UPDATES, on_done=done)
        else:
            await start_polling(self.application, on_done=done)

    async def stop(self) -> None:
        """Stop and shut down (finishes the updates received, writes the counters)."""
        app, self.application = self.application, None
        webhook, self.webhook = self.webhook, None
        if app is not None and webhook is not None:
            await stop_webhook(app, webhook)
        elif app is not None:
            await stop_polling(app)

    async def restart(self) -> None:
        """A deploy or a crash: everything in memory is gone."""
        await self.stop()
        await self.start()


def free_port() -> int:
    """A port free on 127.0.0.1 right now (for the bot's webhook server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_settings() -> dict[str, Any]:
    """Settings that make the bot serve its webhook on 127.0.0.1 (the double posts there)."""
    port = free_port()
    return {
        "webhook_url": f"http://127.0.0.1:{port}",
        "webhook_port": port,
        "webhook_secret_token": "test-secret_123",
    }


def make_settings(
    tmp_path: Path, double: BotApiDouble, *, with_directory: bool = True, **overrides: Any
) -> Settings:
    """Test settings: the double's URL, files in tmp_path, counts written at once, and the
    SAMPLE directory and partners in service (unless `with_directory` is False)."""
    values: dict[str, Any] = {
        "telegram_api_base_url": double.base_url,
        "database_path": tmp_path / "counters.sqlite3",
        "counter_flush_seconds": 0,
        "counter_min_batch": 1,  # tests read counts at once; the batching test sets 5
        "directory_path": tmp_path / "directory.json",
        "partners_path": SAMPLE_PARTNERS,
    }
    values.update(overrides)
    settings = load_settings(None, **values)
    if with_directory:
        install_sample(
            settings.directory_path, settings.directory_partner_types, settings.directory_api_url
        )
    return settings


@asynccontextmanager
async def running_bot(double: BotApiDouble, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot polling the double with these settings until the block ends."""
    running = RunningBot(double, settings)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
