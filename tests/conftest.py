"""Fixtures: the Bot API double on 127.0.0.1, the running bot (tests/harness.py), real
SQLite files and the real catalogs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import Catalogs
from bot.settings import Settings
from botapi_double import BotApiDouble
from tests.harness import LOCALES, RunningBot, make_settings, running_bot, webhook_settings


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
def settings(tmp_path: Path, double: BotApiDouble, mode: str) -> Settings:
    """Default test settings, in the mode the test module asks for."""
    if mode == "webhook":
        return make_settings(tmp_path, double, **webhook_settings())
    return make_settings(tmp_path, double)


@pytest.fixture
def mode() -> str:
    """How updates reach the bot: "polling"; a module overrides it to run in both modes."""
    return "polling"


@pytest.fixture
async def bot(double: BotApiDouble, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot, running for the test."""
    async with running_bot(double, settings) as running:
        yield running
