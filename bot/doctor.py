"""`python -m bot check` (is this deployment configured right?) and `python -m bot health`
(is the running bot alive?), for the operator and for a service manager.

`check` prints one line per item, "ok" or the problem and how to fix it, and exits 0 only
when every item is ok. Neither command ever prints the token, a secret or an id.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.communes import Communes
from bot.counters import CounterStore
from bot.directory.model import DEFENSEUR
from bot.directory.store import DirectoryError
from bot.directory.store import load as load_directory
from bot.settings import Settings
from bot.startup import webhook_unavailable
from bot.telegram_bot import TELEGRAM_API_URL

HEALTHY_POLL_SECONDS = 60


@dataclass
class Item:
    """One line of the check: what, whether it is fine, and what it says."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok     ' if self.ok else 'PROBLEM'} {self.name}: {self.detail}"


def _mo_fresh(settings: Settings) -> Item:
    catalogs = sorted(settings.locales_dir.glob("*/LC_MESSAGES/messages.po"))
    stale = [
        po.parent.parent.name
        for po in catalogs
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        return Item("catalogs", False, f"not compiled: {', '.join(stale)}; run ./dev setup")
    return Item("catalogs", True, f"{len(catalogs)} languages compiled, plus French")


async def _telegram(settings: Settings) -> list[Item]:
    if not settings.token:
        return [Item("token", False, "TELEGRAM_BOT_TOKEN is not set (see .env.example)")]
    base = settings.telegram_api_base_url or TELEGRAM_API_URL
    bot = Bot(settings.token, base_url=base)
    items: list[Item] = []
    try:
        await bot.initialize()
        items.append(Item("token", True, f"accepted (bot @{bot.username})"))
        if settings.webhook_mode:
            info = await bot.get_webhook_info()
            expected = f"{settings.webhook_url}{settings.webhook_path}"
            if info.url != expected:
                detail = "not registered yet: start the bot (python -m bot run) to register it"
                items.append(Item("webhook", False, detail))
            elif info.last_error_message:
                detail = f"Telegram cannot reach it: {info.last_error_message}"
                items.append(Item("webhook", False, detail))
            else:
                items.append(Item("webhook", True, "registered, no delivery error reported"))
    except InvalidToken:
        items.append(Item("token", False, "refused by Telegram: check TELEGRAM_BOT_TOKEN"))
    except TelegramError as error:
        detail = f"Telegram not reachable ({type(error).__name__}): network, proxy, base URL?"
        items.append(Item("token", False, detail))
    finally:
        await bot.shutdown()
    return items


async def _database(settings: Settings) -> Item:
    try:
        store = await CounterStore.open(settings.database_path, settings.zone)
    except Exception as error:  # any reason the file cannot be opened: say which kind
        detail = f"{type(error).__name__}: check DATABASE_PATH and that the folder is writable"
        return Item("database", False, detail)
    await store.close()
    return Item("database", True, "writable, schema up to date")


def _directory(settings: Settings) -> Item:
    try:
        directory = load_directory(settings.directory_path)
    except DirectoryError as error:
        return Item("directory", False, f"unreadable: {error}")
    if directory is None:
        detail = "none yet (remote channels only): python -m bot directory sync"
        return Item("directory", False, detail)
    info = directory.info
    delegates = sum(1 for p in directory.permanences if p.kind == DEFENSEUR)
    sample = " — SAMPLE data (fictitious): import the real directory" if info.sample else ""
    detail = f"{info.file_date}, {len(directory.permanences)} places, {delegates} delegates{sample}"
    return Item("directory", not info.sample, detail)


def _territory(settings: Settings) -> Item:
    from bot.app import territory_codes  # noqa: PLC0415 - app imports the handlers

    codes = territory_codes(settings, Communes.load())
    if not (settings.territory_epci or settings.territory_communes):
        return Item("territory", True, "not set: places are not counted by commune")
    if not codes:
        return Item("territory", False, "TERRITORY_EPCI / TERRITORY_COMMUNES name no commune")
    return Item("territory", True, f"{len(codes)} communes")


def _coordinators(settings: Settings) -> Item:
    count = len(settings.coordinator_ids)
    if not count:
        return Item("coordinators", False, "none: set COORDINATOR_IDS to read /stats")
    return Item("coordinators", True, f"{count} configured")


async def run_check(settings: Settings, say: Callable[[str], None] = print) -> int:
    """Every item, one line each; 0 when all are ok, else 1."""
    items = [Item("settings", True, "valid")]
    items += await _telegram(settings)
    missing = webhook_unavailable(settings)
    if missing is not None:
        items.append(Item("webhook server", False, missing))
    items.append(await _database(settings))
    items += [_directory(settings), _mo_fresh(settings), _territory(settings)]
    items.append(_coordinators(settings))
    for item in items:
        say(item.line())
    return 0 if all(item.ok for item in items) else 1


def health(settings: Settings, now: Callable[[], float] = time.time) -> tuple[bool, str]:
    """Whether the running bot is alive: its /healthz in webhook mode, else the age of the
    file it touches at each poll."""
    if settings.webhook_mode:
        url = f"http://{settings.webhook_listen}:{settings.webhook_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                body = json.loads(answer.read())
        except (OSError, ValueError) as error:
            return False, f"webhook server not answering ({type(error).__name__})"
        return body.get("status") == "ok", f"webhook server: {body.get('status')}"
    path: Path = settings.heartbeat_path
    if not path.exists():
        return False, "the bot has not polled yet (is it running?)"
    age = now() - path.stat().st_mtime
    if age > HEALTHY_POLL_SECONDS:
        return False, f"last poll {age:.0f} s ago"
    return True, f"last poll {age:.0f} s ago"


def check_command(settings: Settings) -> int:
    return asyncio.run(run_check(settings))


def health_command(settings: Settings) -> int:
    ok, detail = health(settings)
    print(("ok: " if ok else "PROBLEM: ") + detail)  # noqa: T201
    return 0 if ok else 1
