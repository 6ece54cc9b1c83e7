"""The bot token never reaches a log line, whatever fails: the filter that
`configure_logging` puts on the root handlers is attached here to a handler of the test,
then the real bot meets faults while httpx and python-telegram-bot log at DEBUG (the worst
an operator could configure), and python-telegram-bot's InvalidToken, which quotes the
token, is logged with its traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from telegram import Bot
from telegram.error import InvalidToken

from bot.logs import QUIET_LOGGERS, RedactTokens, quiet_libraries
from bot.settings import Settings
from botapi_double import BotApiDouble
from botapi_double.faults import FaultKind
from tests.harness import running_bot
from tests.support import START


@pytest.fixture
def written(double: BotApiDouble) -> Iterator[io.StringIO]:
    """What a root handler with the redacting filter writes; every library at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens([double.token]))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        quiet_libraries()


async def test_the_token_is_redacted_from_messages_arguments_and_tracebacks(
    double: BotApiDouble, settings: Settings, written: io.StringIO
) -> None:
    for method, kind in (
        ("getUpdates", FaultKind.DROP),
        ("sendMessage", FaultKind.BAD_GATEWAY),
        ("answerCallbackQuery", FaultKind.DROP),
        ("editMessageText", FaultKind.SERVER_ERROR),
    ):
        double.faults.add(method, kind)
    async with running_bot(double, settings):
        person = double.person(4700)
        await person.send("/start")
        await person.send("/start")
        await person.press(START)
    wrong_path = double.base_url.replace("/bot", "/nope/bot")
    refusing = Bot(double.token, base_url=wrong_path)
    with pytest.raises(InvalidToken) as refused:
        await refusing.initialize()
    await refusing.shutdown()
    assert double.token in str(refused.value)  # python-telegram-bot does quote it
    logging.getLogger("bot").error("start-up failed", exc_info=refused.value)

    output = written.getvalue()
    assert "bot<token>/getMe" in output  # httpx's request lines, redacted
    assert "The token `<token>` was rejected" in output  # the traceback, redacted
    assert "Exception happened while polling" in output  # the dropped getUpdates
    assert double.token not in output
    assert double.token.split(":")[1] not in output


def test_anything_shaped_like_a_token_is_redacted_too() -> None:
    other = "987654321:AAAbbbCCCdddEEEfffGGGhhhIIIjjjKKKll"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", (other,), None)
    assert RedactTokens().filter(record)
    assert record.getMessage() == "url <token>"
