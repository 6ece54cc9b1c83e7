"""The summary's parts this module owns: the free text with personal details masked, the
reasons one per line, the permanence's address, phones and hours, and the HTML document."""

from __future__ import annotations

import gettext
from datetime import date, time
from html.parser import HTMLParser

import pytest

from bot.content import default_content
from bot.directory.model import Match, OpeningRange, Permanence, Phone
from bot.i18n import Catalogs, Translator
from bot.session import Journey
from bot.summary import Copy, build_summary, mask_personal, summary_document
from tests.harness import LOCALES

FRENCH = Translator("fr", gettext.NullTranslations())
TUESDAY = date(2026, 12, 1)
PLACE = Permanence(
    id="p1",
    kind="defenseur_droits",
    name="EXEMPLE – Permanence fictive, Valenciennes",
    address_lines=("1 rue de l'Exemple",),
    postal_code="59300",
    commune="Valenciennes",
    insee="59606",
    phones=(Phone("00 00 00 00 00", "numéro fictif"),),
    hours=(
        OpeningRange(1, time(9), time(12)),
        OpeningRange(1, time(14), time(17)),
        OpeningRange(3, time(9), time(12)),
    ),
    appointment="sur rendez-vous",
)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("appelez-moi au 06 12 34 56 78.", "appelez-moi au [numéro masqué]."),
        ("au +33 6 12 34 56 78 le soir", "au [numéro masqué] le soir"),
        ("mon mail : jean.dupont@mail.fr", "mon mail : [e-mail masqué]"),
        ("écrivez à @jeandupont", "écrivez à [e-mail masqué]"),
        ("Le gérant, M. Dupont, a refusé", "Le gérant, M. [nom masqué], a refusé"),
        ("madame Marie Martin m'a dit", "madame [nom masqué] m'a dit"),
        ("je m'appelle Karim", "je m'appelle [nom masqué]"),
        # What is not personal stays: dates, amounts, postal codes, ordinary words.
        ("le 12/03/2024 à 14 h, 450 € de caution, 59300", None),
        ("Monsieur le maire a refusé", None),
    ],
)
def test_phone_numbers_emails_and_names_are_masked(typed: str, shown: str | None) -> None:
    assert mask_personal(typed, FRENCH) == (typed if shown is None else shown)


def journey() -> Journey:
    kept = Journey(
        speaker="self",
        domain="housing",
        situation="private_rental",
        criteria={"origin", "appearance"},
        timing="lt6m",
        evidence={"writings"},
        narrative="M. Dupont m'a dit non. Mon numéro : 06 12 34 56 78.",
    )
    kept.places = (Match(PLACE, True, 0.2),)
    return kept


def test_summary_gives_reasons_one_per_line_the_place_and_masks_the_words() -> None:
    text = build_summary(default_content(), journey(), FRENCH, TUESDAY, sample_places=True)
    assert "<b>Raisons possibles :</b>\n• Origine, couleur de peau\n• Apparence physique" in text
    assert "06 12 34 56 78" not in text
    assert "Dupont" not in text
    assert "« M. [nom masqué] m'a dit non. Mon numéro : [numéro masqué]. »" in text
    assert "Relisez avant de transférer" in text
    assert "EXEMPLE – Permanence fictive, Valenciennes" in text
    assert "DONNÉES D'EXEMPLE" in text
    assert "📍 1 rue de l'Exemple, 59300 Valenciennes" in text
    assert "📞 00 00 00 00 00 (numéro fictif)" in text
    assert "<b>Mardi : 09:00–12:00, 14:00–17:00 ◀ aujourd'hui</b>" in text
    assert "Jeudi : 09:00–12:00" in text
    assert "📅 sur rendez-vous" in text


def test_closed_today_is_said() -> None:
    text = build_summary(default_content(), journey(), FRENCH, date(2026, 12, 2))
    assert "Fermé aujourd'hui." in text
    assert "DONNÉES D'EXEMPLE" not in text


class Page(HTMLParser):
    """Collects the sections' languages and directions and checks tags are balanced."""

    VOID = frozenset({"meta", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.sections: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        if tag in {"section", "html"}:
            self.sections.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_document_is_a_whole_page_in_each_language_and_direction(compiled_catalogs: None) -> None:
    arabic = Catalogs(LOCALES).translator("ar")
    kept = journey()
    copies = [
        Copy(build_summary(default_content(), kept, arabic, TUESDAY), arabic),
        Copy(build_summary(default_content(), kept, FRENCH, TUESDAY), FRENCH),
    ]
    name, content = summary_document(copies, TUESDAY)
    assert name == "resume-2026-12-01.html"
    page = Page()
    page.feed(content.decode("utf-8"))
    page.close()
    assert page.open == []
    assert [(s.get("lang"), s.get("dir")) for s in page.sections] == [
        ("ar", "rtl"),
        ("ar", "rtl"),
        ("fr", "ltr"),
    ]
    text = "".join(page.text)
    assert arabic.gettext("Résumé à garder ou à transférer") in text
    assert "Résumé à garder ou à transférer" in text
    assert "\u2068" in text  # Latin fragments isolated in the Arabic copy
    assert "06 12 34 56 78" not in text
    assert '<meta charset="utf-8">' in content.decode("utf-8")
