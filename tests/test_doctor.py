"""`python -m bot check` and `python -m bot health`, as an operator runs them."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from bot.doctor import health, run_check
from botapi_double import BotApiDouble
from tests.harness import make_settings, running_bot, webhook_settings
from tests.support import bot_environment, start_bot_process, wait_until

ROOT = Path(__file__).resolve().parent.parent


async def test_check_says_each_item_and_never_the_token(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path,
        double,
        telegram_bot_token=double.token,
        coordinator_ids="424242",
        territory_epci="245901160",
    )
    lines: list[str] = []
    code = await run_check(settings, lines.append)
    text = "\n".join(lines)
    assert double.token not in text
    assert "424242" not in text
    ok = {line.split()[1].rstrip(":") for line in lines if line.startswith("ok")}
    assert {"settings", "token", "database", "catalogs", "territory", "coordinators"} <= ok
    # The SAMPLE directory of the tests is a problem for a real deployment, and said so.
    [directory] = [line for line in lines if " directory:" in line]
    assert directory.startswith("PROBLEM")
    assert "SAMPLE" in directory
    assert code == 1


async def test_check_explains_a_refused_token_and_an_unregistered_webhook(
    double: BotApiDouble, tmp_path: Path
) -> None:
    wrong = make_settings(tmp_path, double, telegram_bot_token="999999:" + "x" * 30)
    lines: list[str] = []
    assert await run_check(wrong, lines.append) == 1
    assert any(line.startswith("PROBLEM token: refused") for line in lines)
    hook = make_settings(tmp_path, double, telegram_bot_token=double.token, **webhook_settings())
    lines.clear()
    await run_check(hook, lines.append)
    assert any(line.startswith("PROBLEM webhook: not registered") for line in lines)


async def test_health_follows_the_polling_and_the_webhook(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double)
    assert health(settings)[0] is False  # not started
    async with running_bot(double, settings):
        await wait_until(lambda: health(settings)[0], "a first poll")
    assert health(settings, now=lambda: settings.heartbeat_path.stat().st_mtime + 120)[0] is False
    hook = make_settings(tmp_path, double, **webhook_settings())
    async with running_bot(double, hook):
        ok, detail = await asyncio.to_thread(health, hook)
        assert ok, detail
    ok, _ = await asyncio.to_thread(health, hook)
    assert not ok


async def test_health_command_exit_codes(double: BotApiDouble, tmp_path: Path) -> None:
    environment = bot_environment(
        TELEGRAM_BOT_TOKEN=double.token,
        TELEGRAM_API_BASE_URL=double.base_url,
        DATABASE_PATH=str(tmp_path / "data" / "counters.sqlite3"),
    )

    async def command(*args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=tmp_path, env=environment,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await asyncio.wait_for(process.communicate(), 60)
        return int(process.returncode or 0), out.decode()

    code, out = await command("health")
    assert code == 1
    assert "has not polled" in out
    bot = await start_bot_process(tmp_path, environment)
    try:
        heartbeat = tmp_path / "data" / "heartbeat"
        await wait_until(heartbeat.exists, "the bot's first poll", limit=30)
        code, out = await command("health")
        assert code == 0, out
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.communicate(), 30)
    code, out = await command("check")
    assert double.token not in out
    assert "ok      token" in out


async def test_check_reports_the_webhook_deliveries_telegram_saw_fail(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path, double, telegram_bot_token=double.token, **webhook_settings()
    )
    person = double.person(4301)
    async with running_bot(double, settings):
        await person.send("/start")
    # Stopped, the webhook stays registered: Telegram's delivery of a new update fails.
    pending = double.queue_update("message", {"text": "/start"})
    await wait_until(lambda: bool(double.webhook_error), "a failed delivery")
    lines: list[str] = []
    assert await run_check(settings, lines.append) == 1
    assert "PROBLEM webhook: Telegram cannot reach it: Connection refused" in lines
    async with running_bot(double, settings):  # registering again starts afresh
        await wait_until(pending.fetched.is_set, "the delivery after the restart")
        lines.clear()
        await run_check(settings, lines.append)
    assert "ok      webhook: registered, no delivery error reported" in lines
