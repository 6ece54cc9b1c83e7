"""A permanence's card as a person reads it, on the real records and their phrasings.

`real_api_record.json` (1j1s-front) and `real_bulk_record.json` (acceslibre) are COPIES
of real DILA records (see `tests/test_directory_real_records.py`); only their pivot is
changed here, to read them as a delegate's permanence. The remarks of the phrasing table
are those of these records and of legal-facts §0 ("Accueil sans rendez-vous…"), put on
the real bulk record's slots. `api_extra_fields.json` is SYNTHETIC: no real record found
fills `telephone_accessible`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.directory.builder import BULK_URL
from bot.directory.cli import directory_command
from bot.directory.files import read_file
from bot.directory.model import DEFENSEUR, DirectoryInfo, Match, OpeningRange, Permanence, Phone
from bot.directory.records import parse_record
from bot.i18n import Catalogs
from bot.markup import visible_length
from bot.opening import remark_marks, remarks
from bot.session import Session
from bot.summary import hours_lines as summary_hours
from botapi_double import BotApiDouble, Person
from handlers import places
from handlers.places import MESSAGE_CHARS, permanence_text, places_text
from tests.harness import make_settings, running_bot
from tests.screens import visible
from tests.support import FIND_HELP, SKIP, panel, walk

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "dila"
INFO = DirectoryInfo(
    "Service-Public.gouv.fr / DILA",
    "2026-11-02_031500-data.gouv_local.json",
    "2026-11-02",
    BULK_URL,
)
WEDNESDAY = 2

# The real remarks (1j1s-front API record, on Lundi→Jeudi and on Vendredi; acceslibre
# bulk record, on Mardi).
MONDAY_TO_THURSDAY = (
    "Accueil sans rendez-vous uniquement pour l'inscription du lundi au vendredi de 9h à "
    "11h et les après-midi du lundi au mercredi de 13h30 à 16h30."
)
FRIDAY = "Accueil sans rendez-vous uniquement pour l'inscription de 13h30 à 15h30."
SCHOOL_HOLIDAYS = "Accueil ouvert uniquement hors vacances scolaires l'après-midi."


def french() -> Any:
    """What the card reads of a handler's context, in French."""
    t = Catalogs(ROOT / "locales").translator("fr")
    zone = SimpleNamespace(zone=None)
    data = SimpleNamespace(settings=zone)
    return SimpleNamespace(_=t.gettext, t=t, bot_data=data, session=Session())


@pytest.fixture(autouse=True)
def on_wednesday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(places, "today_weekday", lambda context: WEDNESDAY)


def fixture(name: str, wrapper: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))[wrapper][0]
    return record


def as_delegate(record: dict[str, Any], communes: list[str]) -> Permanence:
    """The record with only its pivot changed, read as a delegate's permanence."""
    record = copy.deepcopy(record)
    pivot = [{"type_service_local": DEFENSEUR, "code_insee_commune": communes}]
    record["pivot"] = json.dumps(pivot) if isinstance(record["pivot"], str) else pivot
    place = parse_record(record, (DEFENSEUR,)).permanence
    assert place is not None
    return place


def real_api() -> Permanence:
    return as_delegate(fixture("real_api_record.json", "results"), ["75111"])


def real_bulk(**changes: Any) -> Permanence:
    record = fixture("real_bulk_record.json", "service")
    record.update(changes)
    return as_delegate(record, ["77188"])


def synthetic_extra() -> Permanence:
    directory = read_file(FIXTURES / "api_extra_fields.json", (), api_url="https://api")
    return next(p for p in directory.permanences if p.id == "api-extra-ddd")


def card(place: Permanence, distance: float | None = 0.3) -> str:
    return permanence_text(french(), Match(place, True, distance), INFO)


def slots(remark: str, *, days: tuple[str, ...] = ("Mardi", "Mercredi", "Vendredi")) -> Any:
    """The real bulk record's three days, each carrying `remark` on its slots."""
    return [
        {
            "nom_jour_debut": day,
            "nom_jour_fin": day,
            "valeur_heure_debut_1": "09:00:00",
            "valeur_heure_fin_1": "12:00:00",
            "valeur_heure_debut_2": "14:00:00" if day == "Mardi" else "",
            "valeur_heure_fin_2": "17:00:00" if day == "Mardi" else "",
            "commentaire": remark if day in days else "",
        }
        for day in ("Mardi", "Mercredi", "Vendredi")
    ]


# --- the real records, as read --------------------------------------------------------


def test_the_real_api_record_reads_each_remark_once() -> None:
    text = visible(card(real_api()))
    assert visible_length(card(real_api())) <= MESSAGE_CHARS
    # Its address's accessibility note, verbatim, labelled; its code "ACC" is not shown.
    assert "29-31 rue des Boulets\n75011 Paris\n♿ Accessibilité : rampe\n" in text
    assert "ACC" not in text
    # Eight slots carry the first remark, two the second: each is said once, after its
    # mark, and the slots carry the mark.
    assert text.count(MONDAY_TO_THURSDAY) == 1
    assert text.count(FRIDAY) == 1
    assert f"¹ {MONDAY_TO_THURSDAY}\n² {FRIDAY}" in text
    assert "09:00–11:30, 13:30–16:30 ¹" in text
    assert "Vendredi : 09:00–11:30, 13:30–15:30 ²" in text
    # Its appointment remark is those same sentences: not said a third time.
    assert "📅" not in text
    assert "sur rendez-vous" not in text.casefold()
    assert text.count("sans rendez-vous") == 2
    assert "📞 01 00 00 00 00" in text
    assert "Source : Service-Public.gouv.fr / DILA" in text


def test_the_real_bulk_record_reads_its_page_and_its_remark() -> None:
    place = real_bulk()
    html_text = card(place)
    text = visible(html_text)
    assert visible_length(html_text) <= MESSAGE_CHARS
    # Its Service-Public page, linked as published (the domain of 2023).
    assert f'🔗 <a href="{place.url}">Sa fiche sur Service-Public.gouv.fr</a>' in html_text
    assert place.url.startswith("https://lannuaire.service-public.fr/")
    # "DEM" is a code no source explains, and the note is empty: nothing is said.
    assert "♿" not in text
    assert "DEM" not in text
    # The Tuesday remark, published on both its slots, once, tied to Tuesday.
    assert "Mardi : 09:00–12:00, 18:00–19:00 ¹\n" in text
    assert "Mercredi : 09:00–12:00 ◀ aujourd'hui" in text
    assert text.count(SCHOOL_HOLIDAYS) == 1
    assert f"¹ {SCHOOL_HOLIDAYS}" in text
    assert "rendez-vous" not in text  # none is published: none is invented
    assert "📞 01 64 38 30 52" in text
    assert "✉️ mairie-xxxxx@yyyy.fr" in text
    assert "🌐 http://www.ville-fontaineleport.fr" in text


def test_the_accessible_line_and_note_of_the_synthetic_record() -> None:
    place = synthetic_extra()
    html_text = card(place)
    text = visible(html_text)
    assert "♿ Accessibilité : Entrée de plain-pied, boucle magnétique à l'accueil.\n" in text
    # The field's name, neutral: the data does not say for whom the line is.
    assert "📞 00 00 00 00 01 (Accueil)\n" in text
    assert "📞 Téléphone accessible : 00 00 00 00 02 (Sourds et malentendants)\n" in text
    assert f'<a href="{place.url}">Sa fiche sur Service-Public.gouv.fr</a>' in html_text
    # "Sur rendez-vous." is the slot's remark and the appointment remark: said once.
    assert text.count("Sur rendez-vous.") == 1
    assert "PERSONNE-FICTIVE" not in text  # `affectation_personne` is never read


# --- the phrasings, on the real bulk record's slots -------------------------------------

# (remark published on slots, on which days, what the card says of it). Sources: the real
# records above, legal-facts §0 ("Accueil sans rendez-vous" means no appointment is
# needed), and usual phrasings already in tests/test_directory_real_records.py.
ALL_DAYS = ("Mardi", "Mercredi", "Vendredi")
PHRASINGS = [
    (FRIDAY, ALL_DAYS, f"\n{FRIDAY}\n"),  # on every slot: no mark, said after the hours
    (FRIDAY, ("Mardi", "Vendredi"), f"\n¹ {FRIDAY}\n"),
    (MONDAY_TO_THURSDAY, ("Mercredi", "Vendredi"), f"\n¹ {MONDAY_TO_THURSDAY}\n"),
    (SCHOOL_HOLIDAYS, ("Mardi",), f"\n¹ {SCHOOL_HOLIDAYS}\n"),
    ("Sur rendez-vous.", ALL_DAYS, "\nSur rendez-vous.\n"),
    ("Permanence sans RDV le mardi. Fermé en août.", ALL_DAYS, "\nPermanence sans RDV le mardi."),
    ("Prendre rendez-vous au 00 00 00 00 00.", ("Mardi",), "\n¹ Prendre rendez-vous au 00 00"),
]


@pytest.mark.parametrize(("remark", "days", "shown"), PHRASINGS)
def test_a_remark_on_several_slots_is_said_once_verbatim(
    remark: str, days: tuple[str, ...], shown: str
) -> None:
    place = real_bulk(plage_ouverture=slots(remark, days=days))
    assert sum(1 for r in place.hours if r.note) >= len(days)  # on each of those slots
    text = visible(card(place))
    assert text.count(remark) == 1, text
    assert shown in text
    if "sur rendez-vous" not in remark.casefold():
        assert "sur rendez-vous" not in text.casefold()
    # The days that carry it say so, the others do not.
    marked = remark_marks(place.hours)[remark] == "¹"
    for day in ALL_DAYS:
        line = next(line for line in text.splitlines() if line.startswith(day))
        assert ("¹" in line) == (marked and day in days), line


@pytest.mark.parametrize(
    "where",
    ["commentaire_plage_ouverture", "information_complementaire"],
)
def test_a_remark_also_published_elsewhere_is_said_once(where: str) -> None:
    place = real_bulk(plage_ouverture=slots(FRIDAY), **{where: FRIDAY})
    text = visible(card(place))
    assert text.count(FRIDAY) == 1
    assert "sur rendez-vous" not in text.casefold()


def test_an_appointment_remark_of_its_own_keeps_its_line() -> None:
    place = real_bulk(information_complementaire="Permanence sur rendez-vous le mardi.")
    text = visible(card(place))
    assert "\n📅 Permanence sur rendez-vous le mardi.\n" in text
    assert text.count(SCHOOL_HOLIDAYS) == 1


# --- the short list ---------------------------------------------------------------------


def test_the_list_says_the_day_s_remark_once() -> None:
    api = visible(places_text(french(), (Match(real_api(), True, 0.4),), "Paris 11e", INFO))
    assert "🕘 aujourd'hui 09:00–11:30, 13:30–16:30\n" in api  # Wednesday
    assert "📅 Accueil sans rendez-vous uniquement pour l'inscription du lundi" in api
    assert api.count("Accueil sans rendez-vous") == 1  # Friday's is in the card
    assert "sur rendez-vous" not in api.casefold()
    bulk = real_bulk()
    on_tuesday = places_text(french(), (Match(bulk, True, 0.3),), "Fontaine-le-Port", INFO)
    assert "🕘 aujourd'hui 09:00–12:00\n" in visible(on_tuesday)  # Wednesday: no remark


def test_the_list_on_the_day_of_a_plain_remark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(places, "today_weekday", lambda context: 1)
    text = visible(places_text(french(), (Match(real_bulk(), True, 0.3),), "F", INFO))
    assert f"🕘 aujourd'hui 09:00–12:00, 18:00–19:00 ({SCHOOL_HOLIDAYS})\n" in text


# --- one message, whatever the record holds ----------------------------------------------

LONG = "Accueil sans rendez-vous le {day} matin pour les démarches de la vie courante, " * 3


def crowded() -> Permanence:
    """SYNTHETIC: every field filled, long remarks different on each day."""
    names = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
    return Permanence(
        id="crowded",
        kind=DEFENSEUR,
        name="Délégué du Défenseur des droits – permanence de la maison de justice et du droit",
        address_lines=("Maison de justice et du droit (exemple)", "12 rue de l'Exemple"),
        postal_code="59300",
        commune="Valenciennes",
        insee="59606",
        phones=(Phone("00 00 00 00 01", "Accueil de la maison de justice et du droit"),),
        email="delegue@exemple.invalid",
        website="https://exemple.invalid/une-adresse-assez-longue/pour-le-site",
        hours=tuple(
            OpeningRange(day, opens, closes, LONG.format(day=names[day]).strip())
            for day in range(6)
            for opens, closes in ((time(9), time(12)), (time(14), time(17)))
        ),
        hours_notes=("Fermé les jours fériés et pendant la première semaine d'août.",),
        appointment="Prendre rendez-vous au 00 00 00 00 01.",
        url="https://lannuaire.service-public.gouv.fr/hauts-de-france/nord/crowded",
        accessible_phones=(Phone("00 00 00 00 02", "Ligne publiée comme accessible"),),
        accessibility="ACC",
        accessibility_note="Entrée de plain-pied, ascenseur, boucle magnétique à l'accueil.",
    )


@pytest.mark.parametrize("make", [crowded, real_api, synthetic_extra])
def test_the_card_holds_in_one_message(make: Callable[[], Permanence]) -> None:
    place = make()
    html_text = card(place, distance=12.3)
    text = visible(html_text)
    assert visible_length(html_text) <= MESSAGE_CHARS, visible_length(html_text)
    assert place.name in text
    assert "Licence Ouverte 2.0" in text
    assert "2026-11-02_031500-data.gouv_local.json" in text
    if place.url:
        assert place.url in html_text
    for phone in (*place.phones, *place.accessible_phones):
        assert phone.number in text
    # Each remark at most once, whole, or shortened at a word, or said to be elsewhere.
    for _prefix, remark in remarks(place).items():
        assert text.count(remark) <= 1, remark
        assert remark in text or "…" in text or "D'autres remarques" in text


def test_a_crowded_card_drops_what_is_elsewhere_first() -> None:
    text = visible(card(crowded(), distance=12.3))
    assert "✉️" not in text  # the e-mail goes first
    assert "🌐" not in text  # the site too: its Service-Public page is linked
    assert "Sa fiche sur Service-Public.gouv.fr" in text
    assert "♿ Accessibilité : Entrée de plain-pied" in text
    assert "…" in text  # the longest remarks, shortened at a word


# --- the summary ------------------------------------------------------------------------


def test_the_summary_says_each_remark_once() -> None:
    t = Catalogs(ROOT / "locales").translator("fr")
    text = visible("\n".join(summary_hours(real_api(), t, date(2026, 12, 2))))  # Wednesday
    assert text.count(MONDAY_TO_THURSDAY) == 1
    assert text.count(FRIDAY) == 1
    assert "📅" not in text


# --- walked through the Bot API double ------------------------------------------------------


async def test_a_person_reads_the_card_of_a_real_record(
    double: BotApiDouble, tmp_path: Path
) -> None:
    records = [
        copy.deepcopy(fixture("real_api_record.json", "results")),
        copy.deepcopy(fixture("real_bulk_record.json", "service")),
    ]
    api_pivot = [{"type_service_local": DEFENSEUR, "code_insee_commune": ["75111"]}]
    records[0]["pivot"] = json.dumps(api_pivot)
    records[1]["pivot"] = [{"type_service_local": DEFENSEUR, "code_insee_commune": ["77188"]}]
    path = tmp_path / "2026-11-02_031500-data.gouv_local.json"
    path.write_text(json.dumps({"service": records}), encoding="utf-8")
    settings = make_settings(tmp_path, double, with_directory=False)
    assert directory_command(settings, ["import", str(path)]) == 0
    async with running_bot(double, settings):
        person: Person = double.person(4801)
        await walk(person, "narrative")
        await person.press(SKIP)
        await person.press(FIND_HELP)
        await person.send("77590")  # Bois-le-Roi, Chartrettes, Fontaine-le-Port
        await person.press("Fontaine-le-Port (77)")
        await person.press("1️⃣ Détails")
        text = visible(panel(person).text)
        assert text.startswith("Mairie - Fontaine-le-Port\n3 rue du Général-Roux\n")
        assert text.count(SCHOOL_HOLIDAYS) == 1
        assert "Sa fiche sur Service-Public.gouv.fr" in text
        assert len(text) <= MESSAGE_CHARS
        await person.press("⬅️ Revenir")
        await person.press("🔎 Chercher une autre commune")
        await person.send("75011")  # the 11th arrondissement, not all of Paris
        await person.press("1️⃣ Détails")
        text = visible(panel(person).text)
        assert "♿ Accessibilité : rampe" in text
        assert text.count(MONDAY_TO_THURSDAY) == 1
        assert text.count(FRIDAY) == 1
        assert "sur rendez-vous" not in text.casefold()
        assert len(text) <= MESSAGE_CHARS
