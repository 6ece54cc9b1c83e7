"""The resident journey through the real Application and the Bot API double, in French."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from botapi_double import BotApiDouble
from tests.harness import RunningBot, make_settings, running_bot
from tests.support import (
    BACK,
    ERASE,
    FIND_HELP,
    HELP,
    ORIGIN,
    PATH,
    QUESTIONS,
    SELF,
    SUMMARY,
    UNKNOWN,
    WITNESS,
    labels,
    panel,
    summary_of,
    wait_until,
    walk,
)


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    """Every journey test runs with long polling and with a webhook."""
    return str(request.param)


def counts(bot: RunningBot) -> dict[tuple[str, str, str], int]:
    """What the counters hold (summed over months)."""
    with sqlite3.connect(bot.settings.database_path) as db:
        rows = db.execute("SELECT metric, dim1, dim2, sum(count) FROM counters GROUP BY 1, 2, 3")
        return {(m, d1, d2): n for m, d1, d2, n in rows}


async def test_start_shows_the_privacy_promise_and_the_first_choices(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2001)
    [welcome] = await person.send("/start")
    assert "n'est pas gardé" in welcome.text
    assert "N'écrivez pas de noms" in welcome.text
    assert "Telegram n'est pas une messagerie secrète" in welcome.text
    assert "17" in welcome.text
    assert "112" in welcome.text
    assert labels(welcome) == [
        "▶️ Commencer",
        "📍 Trouver de l'aide près de chez moi",
        "Qu'est-ce qu'une discrimination ?",
        "🚨 Numéros d'urgence",
        "🌐 Langue",
        "❓ Aide",
        "🧹 Effacer et quitter",
    ]


async def test_each_question_moves_forward_and_back(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2002)
    await person.send("/start")
    for stage, presses in PATH:
        for label in presses:
            await person.press(label)
        if stage == "narrative":
            break
        following = PATH[[s for s, _ in PATH].index(stage) + 1][0]
        assert panel(person).text.startswith(QUESTIONS[following]), following
        if following not in {"rights"}:
            assert labels(panel(person))[-3:] == [BACK, HELP, "✖️ Quitter"]
    assert QUESTIONS["rights"] in panel(person).text
    # Back through every question, answers kept (the ticked criterion is still ticked).
    expected_back = ["narrative", "evidence", "when", "criteria"]
    for stage in expected_back:
        await person.press(BACK)
        assert panel(person).text.startswith(QUESTIONS[stage]), stage
    assert "✅ Origine, couleur de peau" in labels(panel(person))
    # The question panel was edited in place, not sent again and again.
    assert len([m for m in person.messages if m.from_bot]) <= 3
    assert not person.unanswered_callback_queries


async def test_typed_text_where_a_button_is_expected_gets_a_kind_answer(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2003)
    await walk(person, "domain")
    shown = await person.send("au travail je crois")
    assert "répondez avec les boutons" in shown[0].text
    assert panel(person).text.startswith(QUESTIONS["domain"])
    # Only the newest question keeps its buttons.
    assert sum(1 for m in person.messages if m.from_bot and m.buttons) == 1


@pytest.mark.parametrize("stage", ["welcome", "speaker", "criteria", "evidence", "narrative"])
async def test_stickers_photos_and_voice_are_answered_at_every_step(
    bot: RunningBot, double: BotApiDouble, stage: str
) -> None:
    person = double.person(2004)
    await walk(person, stage)
    before = panel(person).text
    sticker = await person.send_sticker()
    assert "autocollants" in sticker[0].text
    photo = await person.send_photo()
    assert "n'envoyez ni photo ni document" in photo[0].text
    voice = await person.send_voice()
    assert "messages vocaux" in voice[0].text
    assert panel(person).text == before


async def test_start_in_the_middle_begins_again(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2005)
    await walk(person, "when")
    await person.send("/start")
    assert "n'est pas gardé" in panel(person).text
    await person.press("▶️ Commencer")
    await person.press(SELF)
    await person.press("Logement")
    await person.press("Location (particulier, agence)")
    assert "✅ Origine, couleur de peau" not in labels(panel(person))


async def test_witness_reads_about_the_person(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2006)
    await person.send("/start")
    await person.press("▶️ Commencer")
    await person.press(WITNESS)
    assert panel(person).text.startswith("Où est-ce arrivé à la personne ?")


async def test_a_witness_finds_help_near_the_person(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2016)
    await person.send("/start")
    for label in ("▶️ Commencer", WITNESS, "Logement", "Location (particulier, agence)"):
        await person.press(label)
    for label in (ORIGIN, "➡️ Valider (1 choix)", "Il y a moins de 6 mois"):
        await person.press(label)
    for label in ("▫️ Des écrits", "➡️ Valider (1 choix)", "Passer cette étape ➡️"):
        await person.press(label)
    await person.press("📍 Trouver de l'aide ➡️")
    assert "près de chez la personne, écrivez le code postal ou le nom de sa commune" in (
        panel(person).text
    )
    await person.send("59300")
    shown = await person.press("Valenciennes (59)")
    text = "\n".join(m.text for m in shown)
    assert "✅ reçoit sa commune" in text
    assert "🤝 Aussi près de chez la personne" in text
    assert "votre commune" not in text
    assert "🤝 Tous les partenaires près de chez la personne" in labels(panel(person))


async def test_no_legal_criterion_is_explained_kindly(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2007)
    await walk(person, "criteria")
    await person.press(ORIGIN)
    await person.press(UNKNOWN)
    assert "✅ Je ne sais pas / autre raison" in labels(panel(person))
    assert "▫️ Origine, couleur de peau" in labels(panel(person))  # exclusive choice
    await person.press("➡️ Valider (1 choix)")
    await person.press("Il y a moins de 6 mois")
    await person.press("▫️ Rien pour l'instant")
    await person.press("➡️ Valider (1 choix)")
    await person.press("Passer cette étape ➡️")
    page = panel(person)
    assert page.text.startswith("Ce que dit la loi · 1/")
    assert "discrimination" in page.text.lower()


async def test_validating_without_a_choice_is_refused_with_an_alert(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2008)
    await walk(person, "criteria")
    await person.press("➡️ Valider")
    assert person.callback_answers[-1] is not None
    assert "« Je ne sais pas / autre raison »" in (person.callback_answers[-1] or "")
    assert panel(person).text.startswith(QUESTIONS["criteria"])


async def test_full_journey_rights_referral_summary_and_counts(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2009)
    await walk(person, "narrative")
    await person.send("Le propriétaire a dit <non> & a loué à un autre.")
    pages = [panel(person).text]
    while "Suivant ▶️" in labels(panel(person)):
        await person.press("Suivant ▶️")
        pages.append(panel(person).text)
    for text in pages:
        assert "Source" in text, text
        assert len(text) <= 1000, text
    assert any("Défenseur des droits" in text for text in pages)
    assert any("6 ans" in text for text in pages)
    await person.press(FIND_HELP)
    assert "code postal" in panel(person).text
    await person.send("Valenciennes")
    shown = "\n".join(m.text for m in person.messages)
    assert "3928" in shown
    assert "Libre réponse 71120" in shown
    await person.press(SUMMARY)
    summary = summary_of(person, last=True)
    assert "Logement — Location (particulier, agence)" in summary
    assert "« Le propriétaire a dit <non> & a loué à un autre. »" in summary
    assert "Contacter le Défenseur des droits n'arrête pas ces délais." in summary
    await person.press("👍 Oui")
    assert not person.unanswered_callback_queries
    held = counts(bot)
    assert held[("domain", "housing", "")] == 1
    assert held[("situation", "housing", "private_rental")] == 1
    assert held[("criterion", "housing", "origin")] == 1
    assert held[("speaker", "self", "")] == 1
    assert held[("timing", "lt6m", "")] == 1
    assert held[("evidence", "writings", "")] == 1
    assert held[("useful", "yes", "")] == 1
    assert held[("step", "rights", "")] == 1
    assert held[("language", "fr", "")] == 1


async def test_erase_deletes_the_conversation_and_forgets_it(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2010)
    await walk(person, "narrative")
    await person.send("un texte à effacer")
    await person.send("/effacer")
    remaining = person.messages
    assert len(remaining) == 1
    assert remaining[0].text.startswith("🧹 C'est effacé ici")
    assert "supprimez aussi cette conversation" in remaining[0].text
    assert all(m.deleted for m in person.all_messages_including_deleted if m not in remaining)
    # The state is forgotten: the questions start from the beginning.
    await person.press("🔄 Recommencer")
    assert "n'est pas gardé" in panel(person).text


async def test_erase_button_at_the_end(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2011)
    await walk(person, "narrative")
    await person.press("Passer cette étape ➡️")
    await person.press(FIND_HELP)
    await person.press(SUMMARY)
    await person.press(ERASE)
    assert [m.text[:1] for m in person.messages] == ["🧹"]


async def test_old_button_after_a_restart_is_answered_politely(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2012)
    await walk(person, "domain")
    old = panel(person)
    await bot.restart()
    shown = await person.press("Logement", message=old)
    assert any("a expiré" in m.text for m in shown)
    assert person.callback_answers[-1] == "Cette conversation a expiré."
    await person.press("🔄 Recommencer")
    assert "n'est pas gardé" in panel(person).text


async def test_typed_text_is_answered_for_the_screen_it_meets(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2014)
    await person.send("/start")
    shown = await person.send("bonjour")
    assert "Merci. Ici, choisissez avec les boutons sous le message 👇" in [m.text for m in shown]
    await walk(person, "domain")
    shown = await person.send("au travail")
    assert "Merci. Pour cette question, répondez avec les boutons sous le message 👇" in [
        m.text for m in shown
    ]
    assert panel(person).text.startswith(QUESTIONS["domain"])


async def test_forged_callback_data_reveals_nothing(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2013)
    await walk(person, "domain")
    shown = await person.press_data("j1|spk|admin")
    assert panel(person).text.startswith(QUESTIONS["domain"])
    await person.press_data("'; DROP TABLE counters; --")
    await person.press_data("j1|page|999")
    assert not person.unanswered_callback_queries
    assert all("Traceback" not in m.text for m in shown)


async def test_expiry_forgets_the_answers(double: BotApiDouble, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, double, conversation_timeout_minutes=0.02)
    async with running_bot(double, settings):
        person = double.person(2014)
        await walk(person, "when")
        old = panel(person)
        data = old.button_data[0][0]
        assert data is not None
        # The buttons are taken off without a new message (no notification).
        await wait_until(lambda: panel_or_none(person) is None, "the expiry")
        shown = await person.press_data(data, message=old)
        assert any("a expiré" in m.text for m in shown)
        assert person.callback_answers[-1] == "Cette conversation a expiré."


def panel_or_none(person: object) -> object:
    """The question on screen, or None once the buttons were taken away."""
    try:
        return panel(person)  # type: ignore[arg-type]
    except AssertionError:
        return None


async def test_two_people_at_once_without_crosstalk(bot: RunningBot, double: BotApiDouble) -> None:
    alice = double.person(2015, first_name="Alice")
    bob = double.person(2016, first_name="Bob")
    await asyncio.gather(walk(alice, "criteria"), walk(bob, "when"))
    assert panel(alice).text.startswith(QUESTIONS["criteria"])
    assert panel(bob).text.startswith(QUESTIONS["when"])
    await asyncio.gather(alice.press(ORIGIN), bob.press("Il y a moins de 6 mois"))
    assert "✅ Origine, couleur de peau" in labels(panel(alice))
    assert panel(bob).text.startswith(QUESTIONS["evidence"])


async def test_double_tap_is_processed_in_order(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2017)
    await walk(person, "criteria")
    message = panel(person)
    await asyncio.gather(
        person.press(ORIGIN, message=message), person.press(ORIGIN, message=message)
    )
    # Two toggles of the same box, one after the other: unticked again, never an error.
    assert "▫️ Origine, couleur de peau" in labels(panel(person))
    assert not person.unanswered_callback_queries


async def test_group_chats_get_one_notice_and_nothing_else(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2018)
    group = double.group(-100200, "Quartier")
    await group.add_bot(by=person, expect_reply=True)
    notice = group.messages[-1]
    assert "seulement en conversation privée" in notice.text
    assert any("t.me/" in url for url in notice.url_buttons.values())
    await person.send_in_group(group, "/start", expect_reply=False)
    await person.send_in_group(group, "/start@EgaliteTestBot", expect_reply=False)
    assert len([m for m in group.messages if m.from_bot]) == 1


async def test_help_and_emergency_come_back_to_the_question(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2019)
    await walk(person, "when")
    await person.press(HELP)
    assert "/effacer" in panel(person).text
    await person.press("⬅️ Revenir")
    assert panel(person).text.startswith(QUESTIONS["when"])
    shown = await person.send("/urgence")
    numbers = next(m for m in shown if "3919" in m.text)
    for number in ("17", "112", "114", "3919", "119"):
        assert number in numbers.text
    await person.press("⬅️ Revenir")
    assert panel(person).text.startswith(QUESTIONS["when"])


async def test_flood_is_survived(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2020)
    await walk(person, "domain")
    await asyncio.gather(*(person.send(f"{i}", expect_reply=False) for i in range(40)))
    await person.press("Logement")
    assert panel(person).text.startswith(QUESTIONS["situation"])


async def rights_texts(person: object) -> list[str]:
    """Every rights page, from the first to the last (pressing "Suivant")."""
    texts = [panel(person).text]  # type: ignore[arg-type]
    while "Suivant ▶️" in labels(panel(person)):  # type: ignore[arg-type]
        await person.press("Suivant ▶️")  # type: ignore[attr-defined]
        texts.append(panel(person).text)  # type: ignore[arg-type]
    return texts


async def test_work_asks_the_employer_and_a_public_one_goes_to_the_administrative_court(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2030)
    await walk(person, "domain")
    await person.press("Travail, recherche d'emploi")
    await person.press("Embauche, candidature")
    assert panel(person).text.startswith("Votre employeur est-il public ou privé ?")
    await person.press("Employeur public")
    assert panel(person).text.startswith(QUESTIONS["criteria"])
    await person.press(BACK)  # back from the criteria: the employer question again
    assert panel(person).text.startswith("Votre employeur est-il public ou privé ?")
    await person.press("Employeur public")
    await person.press(ORIGIN)
    await person.press("➡️ Valider (1 choix)")
    await person.press("Il y a 6 à 12 mois")
    await person.press("▫️ Rien pour l'instant")
    await person.press("➡️ Valider (1 choix)")
    await person.press("Passer cette étape ➡️")
    shown = "\n".join(await rights_texts(person))
    assert "tribunal administratif" in shown
    assert "Prud'hommes : 5 ans" not in shown
    assert "Décision d'une administration : 2 mois" in shown
    await person.press(FIND_HELP)
    await person.press(SUMMARY)
    summary = summary_of(person, last=True)
    assert "Employeur public" in summary
    assert summary.index("2 mois") < summary.index("6 ans")


async def test_a_caf_decision_without_a_protected_reason_shows_nothing_criminal(
    bot: RunningBot, double: BotApiDouble
) -> None:
    person = double.person(2031)
    await walk(person, "domain")
    await person.press("Services publics")
    await person.press("CAF")
    await person.press(UNKNOWN)
    await person.press("➡️ Valider (1 choix)")
    await person.press("Il y a moins de 6 mois")
    await person.press("▫️ Des écrits")
    await person.press("➡️ Valider (1 choix)")
    await person.press("Passer cette étape ➡️")
    shown = "\n".join(await rights_texts(person))
    assert "Porter plainte" not in shown
    assert "6 ans" not in shown
    assert "quel recours faire en premier" in shown
    await person.press(FIND_HELP)
    await person.press(SUMMARY)
    summary = summary_of(person, last=True)
    delays = summary[summary.index("Délais") :]
    first = delays.splitlines()[1]
    assert "2 mois" in first, first
    assert "recours" in first, first
    assert "6 ans" not in summary
    assert "déjà dépassé" in first  # "moins de 6 mois" may lie beyond 2 months


async def test_sources_are_named_behind_a_button(bot: RunningBot, double: BotApiDouble) -> None:
    person = double.person(2032)
    await walk(person, "narrative")
    await person.press("Passer cette étape ➡️")
    while "📚 Sources" not in labels(panel(person)):
        await person.press("Suivant ▶️")
    page = panel(person)
    assert "Source :" in page.text
    assert "github" not in page.text
    await person.press("📚 Sources")
    listing = panel(person)
    assert "Sources de cette page" in listing.text
    assert listing.text.count("•") >= 2
    assert "github" not in listing.text
    assert "copie" not in listing.text
    await person.press("⬅️ Retour à la page")
    assert panel(person).text == page.text
