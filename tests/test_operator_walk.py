"""The README's "Try webhook mode on this machine", step by step, as an operator runs it:
the double alone, its printed settings, a directory import, `python -m bot run` by webhook,
/healthz, a green `python -m bot check`, and a forged webhook call refused."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp

from tests.harness import free_port
from tests.support import ROOT, bot_environment, start_bot_process

DIRECTORY = ROOT / "tests" / "fixtures" / "dila" / "bulk_array.json"


async def read_until(process: asyncio.subprocess.Process, marker: str) -> list[str]:
    """The lines a process prints up to and including the first one containing `marker`."""
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or marker not in lines[-1]:
        raw = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert raw, f"the process ended before printing {marker!r}: {lines}"
        lines.append(raw.decode().rstrip("\n"))
    return lines


async def run(cwd: Path, environment: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` to its end: exit code, what it printed, and its log."""
    process = await start_bot_process(cwd, environment, *args)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return int(process.returncode or 0), out.decode(), err.decode()


async def test_the_webhook_walk_of_the_readme(tmp_path: Path) -> None:
    double = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "botapi_double", "serve", "--hello",
        "--port", str(free_port()), "--webhook-port", str(free_port()),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    bot: asyncio.subprocess.Process | None = None
    try:
        printed = await read_until(double, "Waiting for the bot")
        settings = dict(
            line.split("=", 1) for line in printed if line[:1].isupper() and "=" in line
        )
        assert {"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "WEBHOOK_URL"} <= set(settings)
        environment = bot_environment(**settings)

        code, out, log = await run(tmp_path, environment, "directory", "import", str(DIRECTORY))
        assert code == 0, out + log
        bot = await start_bot_process(tmp_path, environment)
        said = await read_until(double, "the bot answers through its webhook")
        assert any("registered its webhook" in line for line in said)
        welcome = await read_until(double, "Commencer")
        assert welcome[-1].startswith("  | [")  # its buttons

        port = settings["WEBHOOK_PORT"]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert health.status == 200
                assert (await health.json())["status"] == "ok"
            code, out, log = await run(tmp_path, environment, "check")
            assert code == 0, out + log
            assert all(line.startswith("ok ") for line in out.splitlines()), out
            forged = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            url = f"http://127.0.0.1:{port}/telegram"
            async with session.post(url, json={"update_id": 1}, headers=forged) as answer:
                assert answer.status == 403
    finally:
        for process in (bot, double):
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGTERM)
        bot_log = (await asyncio.wait_for(bot.communicate(), 30))[1].decode() if bot else ""
        double_errors = (await asyncio.wait_for(double.communicate(), 30))[1].decode()
    assert bot.returncode == 0, bot_log
    assert "Traceback" not in bot_log
    assert "a request without the right secret token was refused" in bot_log
    assert double.returncode == 0, double_errors
