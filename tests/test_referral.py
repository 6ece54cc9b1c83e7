"""The referral step through the Bot API double, with the SAMPLE directory and partners in
service: a shared location, a postal code shared by several communes, a misspelt commune, a
postal code or a name that matches nothing, a place with no permanence, partners only where
they help, an answer that does not flood the phone, the short way from the welcome, and a
bot with no directory at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from botapi_double import BotApiDouble, Person, ShownMessage
from tests.harness import RunningBot, make_settings, running_bot
from tests.support import BACK, FIND_HELP, SKIP, SUMMARY, labels, panel, summary_of, walk

NEARBY = "📍 Trouver de l'aide près de chez moi"
VALENCIENNES_PARTNER = "EXEMPLE – Association fictive d'aide aux victimes"
HOUSING_PARTNER = "EXEMPLE – Permanence logement fictive"
ANSWER_LIMIT = 700  # characters a person reads in one message of the answer


async def to_referral(person: Person) -> None:
    """Answer the questions, skip the text, and ask for help."""
    await walk(person, "narrative")
    await person.press(SKIP)
    await person.press(FIND_HELP)


def texts(person: Person) -> str:
    """Everything the person can read in the chat."""
    return "\n".join(m.text for m in person.messages)


def new_messages(shown: list[ShownMessage], before: set[int]) -> list[ShownMessage]:
    """The messages of an answer that were not in the chat before it."""
    return [m for m in shown if m.message_id not in before]


async def test_the_prompt_offers_the_location_button(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(4001)
    await to_referral(person)
    assert "écrivez le code postal ou le nom de votre commune" in panel(person).text
    assert person.reply_keyboard == [["📍 Envoyer ma position"]]
    keyboard_message = next(m for m in person.messages if m.location_request_buttons)
    assert keyboard_message.location_request_buttons == ["📍 Envoyer ma position"]


async def test_postal_code_answer_is_three_short_messages(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4010)
    await to_referral(person)
    await person.send("59300")
    before = {m.message_id for m in person.messages}
    answer = new_messages(await person.press("Valenciennes (59)"), before)
    # A pin for the first permanence, one list of the three, one panel: no more.
    assert [m.kind for m in answer] == ["venue", "text", "text"]
    assert all(len(m.text) <= ANSWER_LIMIT for m in answer), [len(m.text) for m in answer]
    venue, listing, choices = answer
    assert venue.text.startswith("EXEMPLE – Permanence fictive du délégué du Défenseur des droits")
    assert listing.text.startswith("📍 Permanences du Défenseur des droits près de Valenciennes")
    assert "DONNÉES D'EXEMPLE" in listing.text
    # The words all three names begin with are said once, then each place's own.
    assert "EXEMPLE – Permanence fictive du délégué du Défenseur des droits :" in listing.text
    for number, town in (("1️⃣", "Valenciennes"), ("2️⃣", "Anzin"), ("3️⃣", "Bruay-sur-l'Escaut")):
        assert f"{number} … {town}\n" in listing.text
    assert listing.text.count("📞 00 00 00 00 00") == 3
    assert listing.text.count("🕘 ") == 3  # today's or the next opening hours of each
    assert "0,2 km · ✅ reçoit votre commune" in listing.text
    assert "Service-Public.gouv.fr / DILA" in listing.text
    assert "Licence Ouverte 2.0" in listing.text
    # The panel: partners of this place and domain, the remote channels, what next.
    assert HOUSING_PARTNER in choices.text  # names Valenciennes among its communes
    assert "3928" in choices.text
    assert "Libre réponse 71120" in choices.text
    assert labels(choices) == [
        "1️⃣ Détails",
        "2️⃣ Détails",
        "3️⃣ Détails",
        "🤝 Tous les partenaires près de chez vous",
        "☎️ Contacts à distance",
        "🔎 Chercher une autre commune",
        SUMMARY,
        BACK,
        "❓ Aide",
        "✖️ Quitter",
    ]
    # The partners that did not fit are one tap away (this one serves the whole EPCI).
    await person.press("🤝 Tous les partenaires près de chez vous")
    assert VALENCIENNES_PARTNER in panel(person).text
    assert HOUSING_PARTNER in panel(person).text
    assert "📅 sur rendez-vous" in panel(person).text
    await person.press("⬅️ Revenir")
    assert labels(panel(person))[0] == "1️⃣ Détails"


async def test_a_permanence_card_its_pin_and_keeping_it_for_the_summary(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4011)
    await to_referral(person)
    await person.send("Valenciennes")
    await person.press("2️⃣ Détails")
    card = panel(person)
    assert "EXEMPLE – Permanence fictive du délégué du Défenseur des droits, Anzin" in card.text
    assert "🕘 Horaires :" in card.text
    assert "Licence Ouverte 2.0" in card.text
    shown = await person.press("🗺️ Voir sur la carte")
    assert [m.venue["title"] for m in shown if m.venue] == [
        "EXEMPLE – Permanence fictive du délégué du Défenseur des droits, Anzin"
    ]
    await person.press("📝 Garder ce lieu pour mon résumé")
    assert person.callback_answers[-1] == "C'est noté : ce lieu sera dans votre résumé."
    assert labels(panel(person))[0] == "1️⃣ Détails"  # back on the panel of the answer
    await person.press("2️⃣ Détails")
    assert "C'est le lieu indiqué dans votre résumé." in panel(person).text
    await person.press("⬅️ Revenir")
    assert labels(panel(person))[0] == "1️⃣ Détails"
    await person.press(SUMMARY)
    summary = summary_of(person)
    assert "Permanence proposée : EXEMPLE – Permanence fictive du délégué" in summary
    assert "Anzin" in summary
    assert "📍 4 rue de l'Exemple (adresse fictive), 59410 Anzin" in summary
    assert "📞 00 00 00 00 00 (numéro fictif)" in summary
    assert "Mercredi : " in summary


async def test_shared_location_gives_venue_hours_and_attribution(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4002)
    await to_referral(person)
    shown = await person.share_location(50.3575, 3.5235)  # next to Valenciennes town hall
    venues = [m for m in shown if m.kind == "venue"]
    assert len(venues) == 1
    assert venues[0].text.startswith("EXEMPLE")
    listing = next(m for m in shown if "Service-Public.gouv.fr / DILA" in m.text)
    assert "DONNÉES D'EXEMPLE" in listing.text
    assert "✅ reçoit votre commune" in listing.text
    assert "3928" in texts(person)
    assert HOUSING_PARTNER in texts(person)  # partner for housing, serving Valenciennes
    await person.press(SUMMARY)
    summary = summary_of(person)
    assert "Permanence proposée : EXEMPLE" in summary
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
    assert "Permanences du Défenseur des droits près de Valenciennes" in texts(person)


async def test_unknown_postal_code_gets_a_postal_code_answer_with_contacts(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4012)
    await to_referral(person)
    await person.send("99999")
    answer = panel(person)
    assert answer.text.startswith("Je ne connais pas le code postal « 99999 ».")
    assert "orthographe" not in answer.text
    assert "3928" in answer.text
    assert "Libre réponse 71120" in answer.text
    assert labels(answer) == [
        "☎️ Contacts à distance",
        "🔎 Chercher une autre commune",
        SUMMARY,
        BACK,
        "❓ Aide",
        "✖️ Quitter",
    ]
    await person.press("☎️ Contacts à distance")
    assert "ℹ️ Juristes du Défenseur des droits" in labels(panel(person))
    await person.press("⬅️ Revenir")
    assert "écrivez le code postal" in panel(person).text


async def test_nonsense_gets_a_few_guesses_and_none_of_these(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4005)
    await to_referral(person)
    await person.send("Trucmuche")
    guesses = labels(panel(person))
    assert panel(person).text == "Vouliez-vous dire… ?"
    assert 1 <= guesses.index("Aucune de ces communes") <= 3
    await person.press("Aucune de ces communes")
    assert "Écrivez le code postal" in panel(person).text
    assert "3928" in panel(person).text
    await person.send("zzzzzzzz")
    answer = panel(person)
    assert "Je n'ai pas trouvé « zzzzzzzz »" in answer.text
    assert "3928" in answer.text
    assert "🔎 Chercher une autre commune" in labels(answer)


async def test_place_without_permanence_and_far_away_partners(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4006)
    await to_referral(person)
    await person.send("Marseille")
    await person.share_location(0.0, 0.0)
    await person.send("Brest")
    chat = texts(person)
    assert "Je ne connais pas encore de permanence" in chat
    assert "Libre réponse 71120" in chat
    assert "EXEMPLE" not in chat  # no permanence, no partner: nothing of Valenciennes
    assert "59300" not in chat
    assert all(m.kind != "venue" for m in person.messages)


async def test_find_help_from_the_welcome_in_two_taps_and_a_postal_code(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(4013)
    await person.send("/start")
    await person.press(NEARBY)
    assert "écrivez le code postal" in panel(person).text
    assert "▶️ Comprendre mes droits" in labels(panel(person))
    await person.press(BACK)  # and back to the welcome
    assert "n'est pas gardé" in panel(person).text
    await person.press(NEARBY)
    await person.send("59300")
    shown = await person.press("Valenciennes (59)")
    assert any(m.kind == "venue" for m in shown)
    assert "3928" in panel(person).text
    await person.press(SUMMARY)
    summary = summary_of(person)
    assert "Permanence proposée" in summary
    assert "Qui écrit" not in summary  # nothing was asked: no empty answers
    await person.press(BACK)
    await person.press("▶️ Comprendre mes droits")
    assert panel(person).text.startswith("Qui utilise ce service ?")
    with sqlite3.connect(bot.settings.database_path) as db:
        steps = dict(
            db.execute("SELECT dim1, sum(count) FROM counters WHERE metric = 'step' GROUP BY 1")
        )
    assert steps["nearby"] == 1
    assert steps["referral"] == 1


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
