"""Telegram and the network falter: the double injects 429s, 5xx, timeouts and dropped
connections into the real bot's calls, and the person still sees one screen per step,
every button press answered, and can go on. Only calls that are safe to repeat are
repeated; a message whose answer was lost is never sent twice."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.logs import quiet_libraries
from bot.settings import Settings
from botapi_double import BotApiDouble
from botapi_double.faults import FaultKind
from tests.harness import RunningBot, make_settings, running_bot
from tests.support import QUESTIONS, SELF, START, panel

WELCOME = "Bonjour. Ce service gratuit vous aide"
APOLOGY = "Désolé, un problème est survenu"


@pytest.fixture
def settings(tmp_path: Path, double: BotApiDouble) -> Settings:
    """A one-second call timeout, so that a held call times out quickly."""
    return make_settings(tmp_path, double, telegram_timeout_seconds=1)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    quiet_libraries()
    return caplog


def errors(logs: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in logs.records if r.levelno >= logging.ERROR]


def retries(logs: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in logs.records if "trying once more" in r.getMessage()]


@pytest.mark.parametrize(
    ("method", "kind", "performed"),
    [
        ("editMessageText", FaultKind.RATE_LIMIT, False),
        ("editMessageText", FaultKind.SERVER_ERROR, False),
        ("editMessageText", FaultKind.BAD_GATEWAY, False),
        ("editMessageText", FaultKind.TIMEOUT, False),
        ("editMessageText", FaultKind.DROP, False),
        ("editMessageText", FaultKind.TIMEOUT, True),
        ("editMessageText", FaultKind.DROP, True),
        ("answerCallbackQuery", FaultKind.RATE_LIMIT, False),
        ("answerCallbackQuery", FaultKind.BAD_GATEWAY, False),
        ("answerCallbackQuery", FaultKind.TIMEOUT, False),
        ("answerCallbackQuery", FaultKind.DROP, True),
    ],
)
@pytest.mark.usefixtures("bot")
async def test_a_failed_edit_or_answer_is_repeated_and_the_person_goes_on(
    double: BotApiDouble,
    logs: pytest.LogCaptureFixture,
    method: str,
    kind: FaultKind,
    performed: bool,
) -> None:
    person = double.person(4100)
    [welcome] = await person.send("/start")
    double.faults.add(method, kind, performed=performed)
    await person.press(START)
    assert double.faults.injected == [(method, kind)]
    # The welcome became the first question in place: one message, nothing duplicated.
    assert [m.message_id for m in person.bot_messages] == [welcome.message_id]
    assert panel(person).text.startswith(QUESTIONS["speaker"])
    assert person.unanswered_callback_queries == []
    await person.press(SELF)
    assert panel(person).text.startswith(QUESTIONS["domain"])
    assert len(person.bot_messages) == 1
    assert errors(logs) == []
    # 429s are waited out by the rate limiter; the rest is tried once more by the bot.
    assert len(retries(logs)) == (0 if kind is FaultKind.RATE_LIMIT else 1)


@pytest.mark.parametrize("kind", [FaultKind.TIMEOUT, FaultKind.DROP])
async def test_a_message_whose_answer_was_lost_is_not_sent_twice(
    bot: RunningBot, double: BotApiDouble, logs: pytest.LogCaptureFixture, kind: FaultKind
) -> None:
    person = double.person(4200)
    double.faults.add("sendMessage", kind, performed=True)
    await person.send("/start")
    texts = [m.text for m in person.bot_messages]
    assert [t for t in texts if t.startswith(WELCOME)] == [texts[0]]  # delivered, once
    assert retries(logs) == []
    # The bot did not learn of its welcome; the person goes on from what is on screen.
    await person.send("/start")
    await person.press(START)
    assert panel(person).text.startswith(QUESTIONS["speaker"])
    assert person.unanswered_callback_queries == []


async def test_a_message_refused_by_a_5xx_is_apologised_for_and_the_person_goes_on(
    bot: RunningBot, double: BotApiDouble, logs: pytest.LogCaptureFixture
) -> None:
    person = double.person(4210)
    double.faults.add("sendMessage", FaultKind.SERVER_ERROR)
    await person.send("/start")
    assert [m.text[: len(APOLOGY)] for m in person.bot_messages] == [APOLOGY]
    assert double.faults.injected == [("sendMessage", FaultKind.SERVER_ERROR)]
    await person.send("/start")
    assert panel(person).text.startswith(WELCOME)
    await person.press(START)
    assert panel(person).text.startswith(QUESTIONS["speaker"])


@pytest.mark.parametrize("kind", [FaultKind.BAD_GATEWAY, FaultKind.DROP])
async def test_polling_survives_telegram_going_away_for_a_while(
    bot: RunningBot, double: BotApiDouble, kind: FaultKind
) -> None:
    person = double.person(4300)
    double.faults.add("getUpdates", kind, times=2)
    await person.send("/start")
    assert panel(person).text.startswith(WELCOME)
    assert double.faults.injected == [("getUpdates", kind)] * 2


async def test_erasing_survives_a_failed_deletion(
    bot: RunningBot, double: BotApiDouble, logs: pytest.LogCaptureFixture
) -> None:
    person = double.person(4400)
    await person.send("/start")
    await person.press(START)
    double.faults.add("deleteMessages", FaultKind.TIMEOUT)
    await person.send("/effacer")
    assert [m.text[:1] for m in person.messages] == ["🧹"]
    assert len(retries(logs)) == 1


async def test_commands_are_published_despite_a_5xx_at_start(
    double: BotApiDouble, settings: Settings
) -> None:
    async with running_bot(double, settings):
        published = dict(double.commands)
    double.commands.clear()
    double.faults.add("setMyCommands", FaultKind.BAD_GATEWAY)
    async with running_bot(double, settings):
        assert double.commands == published
    assert double.faults.injected == [("setMyCommands", FaultKind.BAD_GATEWAY)]


async def test_a_person_who_blocks_the_bot_mid_answer_is_an_event_not_an_error(
    bot: RunningBot, double: BotApiDouble, logs: pytest.LogCaptureFixture
) -> None:
    person = double.person(4500)
    await person.send("/start")
    double.faults.add("editMessageText", FaultKind.BLOCKED)  # blocks as the edit arrives
    await person.press(START)
    assert person.chat.blocked_by_person
    assert person.unanswered_callback_queries == []
    assert errors(logs) == []
    blocked = [r for r in logs.records if r.name == "bot.app" and "no longer" in r.getMessage()]
    assert [r.levelname for r in blocked] == ["INFO"]
    assert not any(r.exc_info for r in logs.records)
    # Writing again unblocks the bot, as in Telegram, and the person is served.
    await person.send("/start")
    assert panel(person).text.startswith(WELCOME)


async def test_an_update_the_library_cannot_read_is_skipped_once_and_never_logged(
    bot: RunningBot, double: BotApiDouble, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    quiet_libraries()
    person = double.person(4600, first_name="Zéphyrine")
    secret = "Zéphyrine Canari, 06 98 76 54 32"
    unreadable = double.faults.queue_unparsable(person.user_id, secret)
    await unreadable.fetched.wait()  # fetched alone: the last update of its batch
    await person.send("/start")
    assert panel(person).text.startswith(WELCOME)
    assert unreadable not in double.updates  # confirmed, not fetched again
    skipped = [r for r in caplog.records if "cannot read" in r.getMessage()]
    assert [r.getMessage() for r in skipped] == [
        "skipped an update the library cannot read (message, TypeError)"
    ]
    logged = "\n".join(f"{r.getMessage()} {r.args} {r.exc_text}" for r in caplog.records)
    for needle in ("Zéphyrine", "Canari", "06 98", str(person.user_id)):
        assert needle not in logged


async def test_each_fault_is_what_python_telegram_bot_meets_from_telegram(
    double: BotApiDouble,
) -> None:
    expected = {
        FaultKind.RATE_LIMIT: (RetryAfter, "Flood control exceeded"),
        FaultKind.SERVER_ERROR: (NetworkError, "Internal Server Error"),
        FaultKind.BAD_GATEWAY: (NetworkError, "Bad Gateway"),
        FaultKind.TIMEOUT: (TimedOut, "Timed out"),
        FaultKind.DROP: (NetworkError, "Server disconnected without sending a response"),
    }
    request = HTTPXRequest(read_timeout=0.5)
    async with Bot(double.token, base_url=double.base_url, request=request) as bot:
        for kind, (error, text) in expected.items():
            double.faults.add("getMe", kind)
            with pytest.raises(error, match=text):
                await bot.get_me()
        double.faults.api_down()
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_webhook_info()
        double.faults.clear()
        assert (await bot.get_me()).username == double.bot_username
