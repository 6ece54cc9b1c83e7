"""Languages: complete catalogs, the journey in each language through the Bot API
double, language choice kept with the answers, and the summary also in French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n import Catalogs, Translator
from bot.rtl import mirror
from botapi_double import BotApiDouble
from tests.harness import RunningBot
from tests.support import PATH, QUESTIONS, SUMMARY_TITLE, labels, panel

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
LANGUAGES = ("ar", "en", "es", "fr@falc", "pt", "ro", "tr", "uk")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
BUTTON_LIMIT = 64  # characters we allow on an inline button in any language


def catalog(code: str) -> Catalog:
    """The .po file of one language."""
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file)


def entries(code: str) -> list[Message]:
    """The catalog's real entries (not the header)."""
    return [m for m in catalog(code) if m.id]


def texts(message: Message) -> tuple[list[str], list[str]]:
    """(msgids, msgstrs) of an entry, plural or not."""
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    raw = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return ids, [str(s or "") for s in raw]


def test_no_message_is_hidden_from_extraction_inside_an_f_string() -> None:
    # Babel cannot see N_() calls inside f-strings (on Python 3.11): use a constant.
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not re.search(r"""\bf["'][^"']*N_\(""", line), f"{path.name}:{number}"


def test_the_expected_languages_are_shipped() -> None:
    found = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    assert found == sorted(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_complete_and_consistent(code: str) -> None:
    with (LOCALES / "messages.pot").open("rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    messages = entries(code)
    assert {m.id for m in messages} == template, "run ./dev i18n"
    for message in messages:
        ids, strs = texts(message)
        assert not message.fuzzy, ids[0]
        assert all(strs), f"untranslated: {ids[0][:60]}"
        for text in strs:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ids[0])), ids
            assert len(text) <= 4096
            if any(c.endswith(".label") for c in message.auto_comments) or len(ids[0]) <= 32:
                assert len(text) <= BUTTON_LIMIT, f"button too long: {text!r}"


def test_every_language_has_a_name_in_the_picker(catalogs: Catalogs) -> None:
    assert set(catalogs.languages) == {"fr", *LANGUAGES}
    assert catalogs.pick("pt-BR") == "pt"
    assert catalogs.pick("de") == "fr"
    assert catalogs.translator("ar").rtl
    assert not catalogs.translator("fr@falc").rtl


def button_label(t: Translator, msgid: str) -> str:
    """A button's label as the person sees it (arrows mirrored in right-to-left languages)."""
    text = t.gettext(msgid)
    return mirror(text) if t.rtl else text


def translated_path(t: Translator) -> list[str]:
    """The presses of the French PATH, in the person's language."""
    presses: list[str] = []
    for _stage, labels_fr in PATH:
        for french in labels_fr:
            if french.startswith("▫️ "):
                presses.append("▫️ " + t.gettext(french.removeprefix("▫️ ")))
            elif french.startswith("➡️ Valider"):
                validate = t.ngettext("Valider (%(n)d choix)", "Valider (%(n)d choix)", 1)
                presses.append(("⬅️ " if t.rtl else "➡️ ") + validate % {"n": 1})
            else:
                presses.append(button_label(t, french))
    return presses


@pytest.mark.parametrize("code", LANGUAGES)
async def test_full_journey_in_each_language(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs, code: str
) -> None:
    t = catalogs.translator(code)
    person = double.person(
        5000 + LANGUAGES.index(code), language_code=code.split("@", maxsplit=1)[0]
    )
    if code == "fr@falc":
        await person.send("/langue")
        await person.press("Français facile")
    [welcome] = [m for m in await person.send("/start") if m.buttons]
    assert button_label(t, "▶️ Commencer") in labels(welcome)
    for press in translated_path(t):
        await person.press(press)
    await person.press(button_label(t, "📍 Trouver de l'aide ➡️"))
    await person.send("59300")
    await person.press("Valenciennes (59)")
    await person.press(button_label(t, "📝 Voir mon résumé ➡️"))
    title = t.gettext(SUMMARY_TITLE)
    summaries = [  # each copy's first message; the others continue it
        m.text
        for m in person.messages
        if m.text.lstrip("\u200f").startswith((title, SUMMARY_TITLE))
    ]
    if code == "fr@falc":
        assert len(summaries) == 1  # easy-read French needs no French copy
    else:
        assert len(summaries) == 2, "the summary, then its French copy for the delegate"
        assert summaries[0].lstrip("\u200f").startswith(title)
        assert summaries[1].startswith(SUMMARY_TITLE)
    everything = "\n".join(m.text for m in person.messages)
    assert everything.count("Valenciennes") >= 2
    assert sum(1 for m in person.messages if m.document is not None) == 1
    for message in person.messages:
        assert len(message.text) <= 4096
        for label in message.button_labels:
            assert len(label) <= BUTTON_LIMIT
    assert not person.unanswered_callback_queries


async def test_language_switch_keeps_the_answers(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs
) -> None:
    person = double.person(5100)
    await person.send("/start")
    for label in (
        "▶️ Commencer",
        "C'est moi qui l'ai vécu",
        "Logement",
        "Location (particulier, agence)",
    ):
        await person.press(label)
    await person.press("▫️ Origine, couleur de peau")
    await person.send("/langue")
    await person.press("English")
    en = catalogs.translator("en")
    assert panel(person).text.startswith(en.gettext(QUESTIONS["criteria"]))
    assert "✅ " + en.gettext("Origine, couleur de peau") in labels(panel(person))


async def test_the_goodbye_after_erasing_is_in_the_language_chosen(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs
) -> None:
    person = double.person(5150)  # Telegram says French; the person picks English
    await person.send("/start")
    await person.send("/langue")
    await person.press("English")
    en = catalogs.translator("en")
    [goodbye] = [m for m in await person.send("/effacer") if m.from_bot]
    erased = en.gettext("🧹 C'est effacé ici, et vos réponses sont oubliées.")
    assert goodbye.text.startswith(erased)
    assert labels(goodbye) == [en.gettext("🔄 Recommencer")]
    assert not person.unanswered_callback_queries


async def test_arabic_isolates_numbers_and_addresses(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs
) -> None:
    person = double.person(5200, language_code="ar")
    await person.send("/urgence")
    ar = catalogs.translator("ar")
    await person.send("/start")
    for press in translated_path(ar):
        await person.press(press)
    await person.press(button_label(ar, "📍 Trouver de l'aide ➡️"))
    await person.share_location(50.3575, 3.5235)
    shown = "\n".join(m.text for m in person.messages)
    assert "\u2068" in shown
    assert "\u20683928\u2069" in shown
