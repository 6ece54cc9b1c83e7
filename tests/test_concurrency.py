"""Many people at once: one chat's updates in order, floods that starve nobody, and an
expiry that never runs in the middle of one of the chat's updates."""

from __future__ import annotations

import asyncio
from pathlib import Path

from botapi_double import BotApiDouble
from tests.harness import RunningBot, make_settings, running_bot
from tests.support import FIND_HELP, QUESTIONS, START, labels, panel, wait_until, walk

FLOOD = "beaucoup de messages d'un coup"


def texts_to(double: BotApiDouble, chat_id: int) -> list[str]:
    """The texts the bot sent to a chat, in the order it sent them."""
    return [
        str(call.params.get("text", ""))
        for call in double.calls
        if call.method == "sendMessage" and call.chat_id == chat_id and call.ok
    ]


async def test_a_chat_waiting_for_its_turn_holds_no_global_slot(
    double: BotApiDouble, tmp_path: Path
) -> None:
    """With a single global slot, a chat with ten waiting updates lets another chat's one
    update through after its current one, not after all ten."""
    settings = make_settings(tmp_path, double, concurrent_updates=1)
    async with running_bot(double, settings):
        flooder, other = double.person(4101, "Flo"), double.person(4102, "Olga")
        await flooder.send("/start")
        double.clear_calls()
        flood = [flooder.send(f"message {i}", expect_reply=False) for i in range(10)]
        both = asyncio.gather(*flood, other.send("/start"))
        await both
        order = [call.chat_id for call in double.calls if call.method == "sendMessage"]
        first_other = order.index(other.user_id)
        assert order[:first_other].count(flooder.user_id) <= 2, order
        assert "n'est pas gardé" in panel(other).text


async def test_a_flood_is_told_once_and_others_are_served(
    bot: RunningBot, double: BotApiDouble
) -> None:
    flooder, other = double.person(4103, "Flo"), double.person(4104, "Olga")
    await walk(flooder, "domain")
    await asyncio.gather(
        *(flooder.send(f"{i}", expect_reply=False) for i in range(45)), other.send("/start")
    )
    notices = [text for text in texts_to(double, flooder.user_id) if FLOOD in text]
    assert len(notices) == 1
    assert "n'est pas gardé" in panel(other).text
    assert not any(FLOOD in text for text in texts_to(double, other.user_id))
    # The person can go on, on the question they were at.
    await flooder.press("Logement")
    assert panel(flooder).text.startswith(QUESTIONS["situation"])


async def test_double_tap_on_help_makes_no_useless_edit(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4105)
    await walk(person, "when")
    question = panel(person)
    await person.press("❓ Aide", message=question)
    await person.press_data(question.button_data[-1][1] or "", message=question)
    failed = [call for call in double.calls if not call.ok]
    assert failed == [], [(c.method, c.error) for c in failed]
    assert not person.unanswered_callback_queries
    assert "/effacer" in panel(person).text


async def test_expiry_forgets_the_language_and_the_messages(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double, conversation_timeout_minutes=0.02)
    async with running_bot(double, settings) as running:
        person = double.person(4106)
        await person.send("/start")
        await person.press("🌐 Langue")
        await person.press("English")
        assert "kept" in panel(person).text
        app = running.application
        assert app is not None
        await wait_until(lambda: person.user_id not in app.user_data, "forgetting the session")
        [welcome] = await person.send("/start")
        assert "n'est pas gardé" in welcome.text  # French again: Telegram's language
        await person.send("/effacer")
        # The ids of messages from before the expiry were forgotten with the rest.
        assert any("kept" in m.text for m in person.messages)
        assert not any("n'est pas gardé" in m.text for m in person.messages[:-1])


async def test_finished_sessions_are_forgotten_too(double: BotApiDouble, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, double, conversation_timeout_minutes=0.02)
    async with running_bot(double, settings) as running:
        people = [double.person(4110 + i, f"P{i}") for i in range(5)]
        for person in people:
            await person.send("/start")
            await person.send("/effacer")
        app = running.application
        assert app is not None
        await wait_until(lambda: len(app.user_data) == 0, "forgetting every idle session")


async def test_an_edited_message_is_never_carried_out(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4107)
    await walk(person, "when")
    await person.send("bonjour")
    mine = next(m for m in reversed(person.messages) if not m.from_bot)
    count = len(person.messages)
    for command in ("/effacer", "/start"):
        shown = await person.edit(mine, command, expect_reply=True)
        assert [m.text for m in shown] == [
            "Je ne lis pas les messages modifiés : envoyez plutôt un nouveau message."
        ]
        assert len(person.messages) == count + 1, "nothing was erased or restarted"
        count += 1
        assert panel(person).text.startswith(QUESTIONS["when"])


async def test_referral_without_a_directory_gives_the_remote_channels(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double, with_directory=False)
    async with running_bot(double, settings):
        person = double.person(4108)
        await walk(person, "rights")
        await person.press(FIND_HELP)
        for action in (
            person.send("Valenciennes"),
            person.share_location(50.357, 3.523),
        ):
            shown = await action
            assert any("pas encore de permanence" in m.text and "3928" in m.text for m in shown)
            assert "🔎 Chercher une autre commune" in labels(panel(person))
        shown = await person.send("59300")
        if any("Laquelle" in m.text for m in shown):
            choice = labels(panel(person))[0]
            shown = await person.press(choice)
        assert any("pas encore de permanence" in m.text for m in shown)


async def test_start_button_after_expiry_starts_cleanly(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double, conversation_timeout_minutes=0.02)
    async with running_bot(double, settings):
        person = double.person(4109)
        await person.send("/start")
        await wait_until(lambda: not panel_buttons(person), "the expiry")
        await person.send("/start")
        await person.press(START)
        assert panel(person).text.startswith(QUESTIONS["speaker"])


def panel_buttons(person: object) -> bool:
    try:
        return bool(panel(person))  # type: ignore[arg-type]
    except AssertionError:
        return False
