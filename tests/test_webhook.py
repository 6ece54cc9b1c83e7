"""Webhook mode: Telegram posts the updates; only requests with the secret token are
processed; /healthz answers without personal data; switching back to polling is one
setting; `python -m bot run` serves a journey by webhook and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from pathlib import Path

import aiohttp

from bot.settings import Settings
from botapi_double import BotApiDouble
from tests.harness import make_settings, running_bot, webhook_settings
from tests.support import QUESTIONS, bot_environment, panel, start_bot_process, walk

ROOT = Path(__file__).resolve().parent.parent


def endpoint(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.webhook_port}{settings.webhook_path}"


async def test_a_forged_webhook_call_is_refused_and_never_processed(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double, **webhook_settings())
    async with running_bot(double, settings):
        person = double.person(4201)
        [welcome] = await person.send("/start")
        assert "n'est pas gardé" in welcome.text
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": 4201, "type": "private"},
                "from": {"id": 4201, "is_bot": False, "first_name": "X"},
                "text": "/effacer",
                "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            },
        }
        before = len(double.calls)
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(endpoint(settings), json=forged, headers=headers) as r:
                    assert r.status == 403
        await asyncio.sleep(0.2)  # a processed update would make calls at once
        assert len(double.calls) == before, "a forged update was processed"
        assert any("n'est pas gardé" in m.text for m in person.messages), "nothing erased"


async def test_health_answers_without_personal_data(double: BotApiDouble, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, double, **webhook_settings())
    async with running_bot(double, settings):
        await double.person(4202, first_name="Canari").send("/start")
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{settings.webhook_port}/healthz") as answer,
        ):
            assert answer.status == 200
            body = await answer.json()
    assert body["status"] == "ok"
    assert body["mode"] == "webhook"
    assert body["directory_date"]
    assert "4202" not in json.dumps(body)
    assert "Canari" not in json.dumps(body)


async def test_switching_to_polling_deletes_the_webhook(
    double: BotApiDouble, tmp_path: Path
) -> None:
    webhook = make_settings(tmp_path, double, **webhook_settings())
    async with running_bot(double, webhook):
        assert double.webhook_url == endpoint(webhook)
        assert double.webhook_secret == "test-secret_123"
    polling = make_settings(tmp_path, double)
    async with running_bot(double, polling):
        assert double.webhook_url == ""
        person = double.person(4203)
        await walk(person, "domain")
        assert panel(person).text.startswith(QUESTIONS["domain"])


async def test_run_serves_by_webhook_and_stops_on_sigterm(
    double: BotApiDouble, tmp_path: Path
) -> None:
    double.plain_webhooks = True
    database = tmp_path / "data" / "counters.sqlite3"
    hook = webhook_settings()
    environment = bot_environment(
        TELEGRAM_BOT_TOKEN=double.token,
        TELEGRAM_API_BASE_URL=double.base_url,
        DATABASE_PATH=str(database),
        WEBHOOK_URL=hook["webhook_url"],
        WEBHOOK_PORT=str(hook["webhook_port"]),
        WEBHOOK_SECRET_TOKEN=hook["webhook_secret_token"],
    )
    process = await start_bot_process(tmp_path, environment)
    try:
        people = [double.person(4210 + i, first_name=f"W{i}") for i in range(3)]
        for person in people:
            person.timeout = 20
        await asyncio.gather(*(walk(p, "evidence") for p in people))
        await asyncio.gather(*(p.press("▫️ Des témoins") for p in people))
        await asyncio.gather(*(p.press("➡️ Valider (1 choix)") for p in people))
        await asyncio.gather(*(p.press("Passer cette étape ➡️") for p in people))
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{hook['webhook_port']}/healthz") as answer,
        ):
            assert answer.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert double.token not in log
    assert hook["webhook_secret_token"] not in log
    assert "webhook mode" in log
    with sqlite3.connect(database) as db:
        [(witnesses,)] = db.execute(
            "SELECT sum(count) FROM counters WHERE metric = 'evidence' AND dim1 = 'witnesses'"
        ).fetchall()
    assert witnesses == 3
