"""The referral step through the Bot API double, with the SAMPLE directory in service:
a shared location, a postal code shared by several communes, a misspelt commune, a place
with no permanence, and a bot with no directory at all."""

from __future__ import annotations

from pathlib import Path

from bot.botapi_double import BotApiDouble, Person
from tests.conftest import RunningBot, make_settings, running_bot
from tests.support import FIND_HELP, SKIP, SUMMARY, labels, panel, walk


async def to_referral(person: Person) -> None:
    """Answer the questions, skip the text, and ask for help."""
    await walk(person, "narrative")
    await person.press(SKIP)
    await person.press(FIND_HELP)


def texts(person: Person) -> str:
    """Everything the person can read in the chat."""
    return "\n".join(m.text for m in person.messages)


async def test_the_prompt_offers_the_location_button(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(4001)
    await to_referral(person)
    assert "écrivez le code postal ou le nom de votre commune" in panel(person).text
    assert person.reply_keyboard == [["📍 Envoyer ma position"]]
    keyboard_message = next(m for m in person.messages if m.location_request_buttons)
    assert keyboard_message.location_request_buttons == ["📍 Envoyer ma position"]


async def test_shared_location_gives_venues_hours_and_attribution(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4002)
    await to_referral(person)
    shown = await person.share_location(50.3575, 3.5235)  # next to Valenciennes town hall
    venues = [m for m in shown if m.kind == "venue"]
    assert venues, "at least one permanence is sent as a venue"
    assert all(v.text.startswith("EXEMPLE") for v in venues)
    details = [m for m in shown if "Service-Public.gouv.fr / DILA" in m.text]
    assert len(details) == 3
    assert all("DONNÉES D'EXEMPLE" in m.text for m in details)
    first = details[0].text
    assert "Reçoit les habitants de cette commune" in first
    assert "Service-Public.gouv.fr / DILA" in first
    assert "Licence Ouverte 2.0" in first
    assert "3928" in texts(person)
    assert "EXEMPLE – Permanence logement fictive" in texts(person)  # partner for housing
    assert labels(panel(person))[:2] == ["🔎 Chercher une autre commune", SUMMARY]
    await person.press(SUMMARY)
    summary = next(m for m in person.messages if m.text.startswith("Résumé"))
    assert "Permanence proposée : EXEMPLE" in summary.text
    assert person.reply_keyboard is None  # the location keyboard went away with the summary


async def test_postal_code_shared_by_several_communes_asks_which(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4003)
    await to_referral(person)
    await person.send("59 300")
    assert panel(person).text == "Plusieurs communes correspondent. Laquelle ?"
    assert "Valenciennes (59)" in labels(panel(person))
    shown = await person.press("Valenciennes (59)")
    assert any("Valenciennes" in m.text and "DONNÉES D'EXEMPLE" in m.text for m in shown)


async def test_misspelt_commune_proposes_the_right_one(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4004)
    await to_referral(person)
    await person.send("valencinnes")
    assert panel(person).text == "Vouliez-vous dire… ?"
    assert labels(panel(person))[0] == "Valenciennes (59)"
    await person.press("Valenciennes (59)")
    assert "Voici les permanences les plus proches pour Valenciennes" in texts(person)


async def test_unknown_place_and_place_without_permanence(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4005)
    await to_referral(person)
    [answer] = await person.send("zzzzzzzz")
    assert "Je n'ai pas trouvé « zzzzzzzz »" in answer.text
    await person.send("Brest")
    assert "Je ne connais pas encore de permanence" in texts(person)
    assert "Libre réponse 71120" in texts(person)
    assert all(m.kind != "venue" for m in person.messages)


async def test_far_away_location_invents_nothing(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(4006)
    await to_referral(person)
    await person.share_location(43.2965, 5.3698)  # Marseille: nothing in the sample there
    assert "Je ne connais pas encore de permanence" in texts(person)
    assert all(m.kind != "venue" for m in person.messages)


async def test_without_directory_the_remote_channels_come_at_once(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double, with_directory=False)
    async with running_bot(double, settings):
        person = double.person(4007)
        await to_referral(person)
        assert "3928" in panel(person).text
        assert "Libre réponse 71120" in panel(person).text
        assert person.reply_keyboard is None
