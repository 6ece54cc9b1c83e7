"""Fixtures: the Bot API double on 127.0.0.1, the real Application built by the same
factory as production, real SQLite files and the real catalogs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.app import BotApplication, build_application, start_polling, stop_polling
from bot.botapi_double import BotApiDouble
from bot.directory.store import install_sample
from bot.i18n import Catalogs
from bot.settings import Settings, load_settings

LOCALES = Path(__file__).resolve().parent.parent / "locales"
SAMPLE_PARTNERS = Path(__file__).resolve().parent.parent / "bot" / "data" / "sample_partners.yaml"


class RunningBot:
    """The real bot polling the double; can be stopped and started again (a restart)."""

    def __init__(self, double: BotApiDouble, settings: Settings) -> None:
        self.double = double
        self.settings = settings
        self.application: BotApplication | None = None

    async def start(self) -> None:
        """Build a fresh Application and start polling."""
        self.application = build_application(self.settings, token=self.double.token)
        await start_polling(self.application, on_done=self.double.processing_hook())

    async def stop(self) -> None:
        """Stop polling and shut down (flushes and closes the counters)."""
        app, self.application = self.application, None
        if app is not None:
            await stop_polling(app)

    async def restart(self) -> None:
        """A deploy or a crash: everything in memory is gone."""
        await self.stop()
        await self.start()


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


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Compile the real .po catalogs to .mo, as ./dev does, so tests read real catalogs."""
    for po in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


@pytest.fixture
def catalogs(compiled_catalogs: None) -> Catalogs:
    """The catalogs as the bot loads them."""
    return Catalogs(LOCALES)


@pytest.fixture
async def double() -> AsyncIterator[BotApiDouble]:
    """A fresh Bot API double for each test."""
    async with BotApiDouble() as started:
        yield started
        assert started.internal_errors == [], "the double met a request it could not handle"


@pytest.fixture
def settings(tmp_path: Path, double: BotApiDouble) -> Settings:
    """Default test settings."""
    return make_settings(tmp_path, double)


@pytest.fixture
async def bot(double: BotApiDouble, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot, running for the test."""
    async with running_bot(double, settings) as running:
        yield running


@asynccontextmanager
async def running_bot(double: BotApiDouble, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot polling the double with these settings until the block ends."""
    running = RunningBot(double, settings)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
