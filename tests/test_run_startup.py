"""`python -m bot run` when Telegram cannot be reached at start: it waits, one log line per
attempt, then serves; a refused token stops it with one line and exit code 2. The process
is the operator's, run against the Bot API double (see test_run_process.py)."""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path

import pytest

from botapi_double import BotApiDouble
from botapi_double.faults import FaultKind
from tests.support import START, bot_environment, panel, start_bot_process

ROOT = Path(__file__).resolve().parent.parent
WAITING = "Telegram is not reachable"
WELCOME = "Bonjour. Ce service gratuit vous aide"


async def start_bot(tmp_path: Path, token: str, base_url: str) -> asyncio.subprocess.Process:
    environment = bot_environment(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_PATH=str(tmp_path / "counters.sqlite3"),
    )
    return await start_bot_process(tmp_path, environment)


async def read_until(process: asyncio.subprocess.Process, needle: str, count: int) -> list[str]:
    """stderr lines until `count` of them hold `needle` (the bot's own pace, no sleeping)."""
    assert process.stderr is not None
    lines: list[str] = []
    while sum(needle in line for line in lines) < count:
        line = await asyncio.wait_for(process.stderr.readline(), timeout=30)
        assert line, "the bot ended early: " + "".join(lines)
        lines.append(line.decode())
    return lines


async def stop(process: asyncio.subprocess.Process, earlier: list[str]) -> str:
    """SIGTERM, then the whole of stderr, checked for what must never be there."""
    process.send_signal(signal.SIGTERM)
    _, rest = await asyncio.wait_for(process.communicate(), timeout=30)
    log = "".join(earlier) + rest.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    return log


async def serves(double: BotApiDouble) -> None:
    person = double.person(5100)
    await person.send("/start")
    assert panel(person).text.startswith(WELCOME)
    await person.press(START)
    assert person.unanswered_callback_queries == []


async def test_run_waits_while_telegram_answers_502_then_serves(
    double: BotApiDouble, tmp_path: Path
) -> None:
    double.faults.api_down(FaultKind.BAD_GATEWAY)
    process = await start_bot(tmp_path, double.token, double.base_url)
    try:
        earlier = await read_until(process, WAITING, 2)
        double.faults.clear()
        await serves(double)
    finally:
        log = await stop(process, earlier)
    attempts = [line for line in log.splitlines() if WAITING in line]
    assert len(attempts) == double.faults.injected.count(("getMe", FaultKind.BAD_GATEWAY))
    assert "attempt 1, NetworkError); next try in 1 s" in attempts[0]
    assert "attempt 2, NetworkError); next try in 2 s" in attempts[1]
    assert double.token not in log


async def test_run_waits_until_telegram_can_be_reached_then_serves(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a free port, nobody listening yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    double = BotApiDouble()
    process = await start_bot(tmp_path, double.token, f"http://127.0.0.1:{port}/bot")
    try:
        earlier = await read_until(process, WAITING, 1)
        await double.start(port)
        await serves(double)
    finally:
        log = await stop(process, earlier)
        await double.stop()
    assert double.token not in log


async def test_a_stop_signal_while_waiting_ends_cleanly(
    double: BotApiDouble, tmp_path: Path
) -> None:
    double.faults.api_down(FaultKind.DROP)
    process = await start_bot(tmp_path, double.token, double.base_url)
    log = await stop(process, await read_until(process, WAITING, 1))
    assert "stopped before Telegram could be reached" in log


@pytest.mark.parametrize("refusal", ["unknown token", "wrong path"])
async def test_a_refused_token_gives_one_line_and_exit_code_2(
    double: BotApiDouble, tmp_path: Path, refusal: str
) -> None:
    token, base_url = double.token, double.base_url
    if refusal == "unknown token":  # Telegram answers 401
        token = "987654321:AAAbbbCCCdddEEEfffGGGhhhIIIjjjKKKll"
    else:  # a wrong TELEGRAM_API_BASE_URL path: 404, which Telegram gives a malformed token
        base_url = base_url.replace("/bot", "/nope/bot")
    process = await start_bot(tmp_path, token, base_url)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 2, log
    assert log.splitlines() == [
        "Configuration error: Telegram refused the bot token; check TELEGRAM_BOT_TOKEN "
        "(and TELEGRAM_API_BASE_URL: a wrong path is refused the same way)"
    ]
    assert token not in log
