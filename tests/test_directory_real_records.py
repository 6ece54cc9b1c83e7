"""The directory importer on records as they really are.

`real_bulk_record.json` and `real_api_record.json` are COPIES of real public records
found in public code (repository, path and commit in each file's `_source`), imported
here without any edit. What no real record shows (a delegate across a border, every extra
field filled in, a recoded pivot, a national file) is SYNTHETIC and says so.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import AsyncIterator
from datetime import date, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import ApplicationBuilder

from bot.directory import cli, store
from bot.directory.builder import BULK_URL, in_departements
from bot.directory.cli import directory_command
from bot.directory.fields import record_date, source_date
from bot.directory.files import read_file
from bot.directory.hours import appointment_remarks
from bot.directory.model import (
    DEFENSEUR,
    Directory,
    DirectoryInfo,
    OpeningRange,
    Permanence,
    Phone,
)
from bot.directory.records import RULE_NAME, RULE_OLD_PIVOT, RULE_PIVOT, parse_record
from bot.directory.upkeep import (
    DAILY_SYNC_JOB,
    age_days,
    schedule_daily_sync,
    stale_days,
    sync_and_save,
)
from bot.i18n import Catalogs
from tests import dila_national
from tests.test_directory_import import (
    API_URL,
    FIXTURES,
    ROOT,
    FakeApi,
    serve_fake_api,
    settings_for,
)

REAL_BULK = FIXTURES / "real_bulk_record.json"
REAL_API = FIXTURES / "real_api_record.json"
EXTRA = FIXTURES / "api_extra_fields.json"
KINDS = ("mjd", "cidf", "adil")


def only(directory: Directory) -> Permanence:
    (permanence,) = directory.permanences
    return permanence


def real_bulk() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(REAL_BULK.read_text(encoding="utf-8"))["service"][0]
    return record


# --- the real records, unchanged --------------------------------------------------------


def test_the_real_records_name_their_source() -> None:
    for path in (REAL_BULK, REAL_API):
        source = json.loads(path.read_text(encoding="utf-8"))["_source"]
        assert source["what"].startswith("COPY of a")
        assert source["repository"] in ("MTES-MCT/acceslibre", "DNUM-SocialGouv/1j1s-front")
        assert len(source["commit"]) == 40
    record = real_bulk()
    assert len(record) == 47
    for extra in (
        "url_service_public",
        "tchat",
        "telephone_accessible",
        "application_mobile",
        "affectation_personne",
        "reseau_social",
    ):
        assert extra in record


def test_real_bulk_record_imports_unchanged() -> None:
    directory = read_file(REAL_BULK, KINDS, api_url=API_URL)
    info = directory.info
    # A town hall: its point, nothing else; the wrapper's "_source" key is not a record.
    assert directory.points == {"77188": (48.4868011475, 2.75745010376)}
    assert directory.permanences == ()
    assert info.records == 1
    assert info.skipped == {}
    assert info.rules == {RULE_PIVOT: 0, RULE_OLD_PIVOT: 0, RULE_NAME: 0}
    assert info.download_url == BULK_URL


def test_real_bulk_record_read_as_a_permanence() -> None:
    # The real record with ONLY its pivot changed, to read every field as a delegate's.
    record = real_bulk()
    record["pivot"] = [{"type_service_local": DEFENSEUR, "code_insee_commune": ["77188"]}]
    parsed = parse_record(record, (DEFENSEUR,))
    place = parsed.permanence
    assert place is not None
    assert parsed.rules == (RULE_PIVOT,)
    assert place.name == "Mairie - Fontaine-le-Port"
    assert place.address_lines == ("3 rue du Général-Roux",)
    assert (place.postal_code, place.commune, place.insee) == ("77590", "Fontaine-le-Port", "77188")
    assert (place.latitude, place.longitude) == (48.4868011475, 2.75745010376)
    assert place.phones == (Phone("01 64 38 30 52"),)
    assert place.email == "mairie-xxxxx@yyyy.fr"  # a list of strings in the bulk shape
    assert place.website == "http://www.ville-fontaineleport.fr"
    note = "Accueil ouvert uniquement hors vacances scolaires l'après-midi."
    assert place.hours == (
        OpeningRange(1, time(9), time(12), note),
        OpeningRange(1, time(18), time(19), note),
        OpeningRange(2, time(9), time(12)),
        OpeningRange(4, time(9), time(12)),
    )
    assert place.appointment == ""  # no rendez-vous is mentioned: none is invented
    assert place.source_date == "2023-08-09"  # "09/08/2023 13:30:19"
    assert place.url == (
        "https://lannuaire.service-public.fr/ile-de-france/seine-et-marne/"
        "00007e4d-264c-43a0-b0b7-7f3b7dd995ab"
    )
    assert (place.accessibility, place.accessibility_note) == ("DEM", "")
    assert place.accessible_phones == ()  # `telephone_accessible: []`


def test_real_api_record_imports_unchanged(tmp_path: Path) -> None:
    directory = read_file(REAL_API, ("mission_locale",), api_url=API_URL)
    assert directory.info.download_url == API_URL  # the API's `results` wrapper
    assert directory.info.loaded == {"mission_locale": 1}
    place = only(directory)
    assert place.address_lines == ("29-31 rue des Boulets",)
    assert (place.postal_code, place.commune) == ("75011", "Paris")
    assert place.insee == ""  # that copy has no `code_insee_commune`: nothing is guessed
    assert place.served == {"75111"}
    assert (place.latitude, place.longitude) == (48.851234, 2.389022)
    assert (place.accessibility, place.accessibility_note) == ("ACC", "rampe")
    assert place.phones == (Phone("01 00 00 00 00"),)
    assert place.email == "email@missionlocaledeparis.fr"  # a plain string in the API
    assert len(place.hours) == 10  # Lundi→Jeudi and Vendredi, two slots each
    assert {h.weekday for h in place.hours} == {0, 1, 2, 3, 4}
    assert place.appointment == (
        "Accueil sans rendez-vous uniquement pour l'inscription du lundi au vendredi de 9h à "
        "11h et les après-midi du lundi au mercredi de 13h30 à 16h30. Accueil sans rendez-vous "
        "uniquement pour l'inscription de 13h30 à 15h30."
    )
    assert "sur rendez-vous" not in place.appointment.casefold()
    assert place.source_date == ""  # that copy has no date
    # Kept whole through the store.
    store.save(directory, tmp_path / "d.json")
    loaded = store.load(tmp_path / "d.json")
    assert loaded is not None
    assert loaded.permanences == directory.permanences
    # Without `mission_locale` among the kinds, it is ignored, not an error.
    assert read_file(REAL_API, KINDS, api_url=API_URL).info.skipped == {"no kept pivot": 1}


# --- remarks as published ---------------------------------------------------------------

# (published remark, what the bot keeps as the appointment remark). Sources: the
# 1j1s-front API record and the acceslibre bulk record (fixtures above), and the sentence
# the issue quotes; the last rows are usual phrasings, kept verbatim too.
REAL_PHRASINGS = [
    (
        "Accueil sans rendez-vous uniquement pour l'inscription de 13h30 à 15h30.",
        "Accueil sans rendez-vous uniquement pour l'inscription de 13h30 à 15h30.",
    ),
    (
        "Accueil sans rendez-vous uniquement pour l'inscription du lundi au vendredi de 9h à "
        "11h et les après-midi du lundi au mercredi de 13h30 à 16h30.",
        "Accueil sans rendez-vous uniquement pour l'inscription du lundi au vendredi de 9h à "
        "11h et les après-midi du lundi au mercredi de 13h30 à 16h30.",
    ),
    ("Accueil ouvert uniquement hors vacances scolaires l'après-midi.", ""),
    ("Sur rendez-vous.", "Sur rendez-vous."),
    ("Permanence sans RDV le mardi. Fermé en août.", "Permanence sans RDV le mardi."),
    ("Prendre rendez-vous au 00 00 00 00 00.", "Prendre rendez-vous au 00 00 00 00 00."),
]


@pytest.mark.parametrize(("remark", "kept"), REAL_PHRASINGS)
def test_remarks_are_copied_verbatim(remark: str, kept: str) -> None:
    assert appointment_remarks([remark]) == kept


def test_a_sans_rendez_vous_remark_is_shown_as_published() -> None:
    from handlers.places import permanence_text  # noqa: PLC0415 - the display, unchanged

    directory = read_file(REAL_API, ("mission_locale",), api_url=API_URL)
    match = directory.best(insee="75111", kind="mission_locale")[0]
    french = Catalogs(ROOT / "locales").translator("fr")
    context = SimpleNamespace(
        _=french.gettext,
        t=french,
        bot_data=SimpleNamespace(settings=SimpleNamespace(zone=ZoneInfo("Europe/Paris"))),
    )
    shown = permanence_text(cast(Any, context), match, directory.info)
    # Said once, after the mark its eight slots carry (tests/test_card.py reads the rest).
    assert shown.count("Accueil sans rendez-vous uniquement pour l'inscription du lundi") == 1
    assert "¹ Accueil sans rendez-vous uniquement pour l'inscription du lundi" in shown
    assert "sur rendez-vous" not in shown.casefold()
    assert "29-31 rue des Boulets" in shown


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09/08/2023 13:30:19", "2023-08-09"),  # real `date_modification` (bulk)
        ("18/01/2012 00:00:00", "2012-01-18"),  # real `date_creation` (bulk)
        ("", ""),  # real `date_diffusion` (bulk)
        ("2026-10-01T08:00:00+00:00", "2026-10-01"),  # API `…_datetime`: ISO, UNCONFIRMED
        ("2026-10-01T08:00:00Z", "2026-10-01"),
        ("2026-10-01", "2026-10-01"),  # the CSV export types `date_modification` as a date
    ],
)
def test_dates_of_both_shapes(raw: str, expected: str) -> None:
    assert source_date(raw) == expected


def test_record_date_falls_back_on_the_api_datetime() -> None:
    assert record_date({"date_modification": "02/11/2026 14:05:00"}) == "2026-11-02"
    assert record_date({"date_modification": "", "date_modification_datetime": "2026-10-01"}) == (
        "2026-10-01"
    )
    assert record_date({}) == ""


# --- extra fields (SYNTHETIC record) ------------------------------------------------------


def test_extra_fields_are_used_or_ignored_without_failing(tmp_path: Path) -> None:
    directory = read_file(EXTRA, KINDS, api_url=API_URL)
    assert directory.info.skipped == {}
    places = {p.id: p for p in directory.permanences}
    full = places["api-extra-ddd"]
    assert full.url == "https://lannuaire.service-public.gouv.fr/hauts-de-france/nord/api-extra-ddd"
    assert full.accessible_phones == (Phone("00 00 00 00 02", "Sourds et malentendants"),)
    assert full.accessibility == "ACC"
    assert full.accessibility_note == "Entrée de plain-pied, boucle magnétique à l'accueil."
    assert full.source_date == "2026-10-01"  # from date_modification_datetime
    assert full.appointment == "Sur rendez-vous."
    broken = places["api-extra-broken"]  # every extra field malformed: still a permanence
    assert broken.accessible_phones == ()
    assert broken.source_date == "2026-11-02"
    assert directory.info.rules == {RULE_PIVOT: 2, RULE_OLD_PIVOT: 2, RULE_NAME: 2}
    # `affectation_personne` names people: it never reaches the directory in service.
    path = tmp_path / "directory.json"
    store.save(directory, path)
    saved = path.read_text(encoding="utf-8")
    assert "PERSONNE-FICTIVE" not in saved
    assert "tchat" not in saved
    loaded = store.load(path)
    assert loaded is not None
    assert loaded.permanences == directory.permanences
    assert loaded.info == directory.info


# --- the rules that make a delegate (SYNTHETIC records) -----------------------------------


def _record(identifier: str, name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "nom": name,
        "pivot": [{"type_service_local": kind, "code_insee_commune": ["59014", "59544"]}],
        "code_insee_commune": "59606",
        "adresse": [{"type_adresse": "Adresse", "numero_voie": "1 rue", "code_postal": "59300"}],
        **extra,
    }


def test_each_rule_makes_a_delegate_and_is_counted(tmp_path: Path) -> None:
    records = [
        _record(
            "r-old",
            "Permanence juridique",
            "permanence_juridique",
            ancien_code_pivot="defenseur_droits-59606-01",
        ),
        _record("r-name", "Défenseur des droits – permanence", "maison_france_services"),
        _record("r-mjd", "MJD – permanence du Défenseur des droits", "mjd"),
        _record("r-none", "Centre social", "centre_social", ancien_code_pivot="mairie-59606-01"),
    ]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"service": records}), encoding="utf-8")
    directory = read_file(path, KINDS, api_url=API_URL)
    kinds = {p.id: p.kind for p in directory.permanences}
    assert kinds == {"r-old": DEFENSEUR, "r-name": DEFENSEUR, "r-mjd": "mjd"}  # pivot first
    old = next(p for p in directory.permanences if p.id == "r-old")
    assert old.served == {"59606"}  # another kind's communes are not the delegate's
    assert directory.info.rules == {RULE_PIVOT: 0, RULE_OLD_PIVOT: 1, RULE_NAME: 2}


def test_a_national_file_without_delegates_is_refused_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "NATIONAL_RECORDS", 200)  # 10,000 in service; smaller here
    settings = settings_for(tmp_path)
    assert directory_command(settings, ["import", str(REAL_API), "--allow-empty"]) == 0
    before = settings.directory_path.read_bytes()
    capsys.readouterr()
    # SYNTHETIC national-shaped file whose delegates' codes all changed to "ccas".
    records = [
        r for r in dila_national.records(300) if r["pivot"][0]["type_service_local"] != DEFENSEUR
    ]
    path = tmp_path / "2026-11-02_031500-data.gouv_local.json"
    path.write_text(json.dumps({"service": records}), encoding="utf-8")
    assert directory_command(settings, ["import", str(path), "--allow-empty"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"Refused: {len(records)} records and no defenseur_droits permanence "
        "(pivot defenseur_droits: 0; ancien_code_pivot defenseur_droits-…: 0; "
        'nom "Défenseur des droits": 0); the DILA codes may have changed; '
        "the directory in service is unchanged."
    ]
    assert settings.directory_path.read_bytes() == before


# --- national size (SYNTHETIC, real shape) -------------------------------------------------


def test_a_synthetic_national_shaped_archive_streams(tmp_path: Path) -> None:
    data = tmp_path / "national.json"
    dila_national.write(data, 2_000)
    archive = tmp_path / "all_latest.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(data, arcname=dila_national.MEMBER)
    directory = read_file(archive, KINDS, api_url=API_URL)
    info = directory.info
    assert info.records == 2_000
    assert info.loaded == {DEFENSEUR: 18, "mjd": 3, "cidf": 2, "adil": 2}
    assert info.rules[RULE_PIVOT] == 18
    assert info.file_date == "2026-11-02"
    assert len(directory.points) > 600


def test_departement_codes() -> None:
    assert in_departements(["2A004"], ("2A",))
    assert in_departements(["97105"], ("971",))
    assert not in_departements(["97205"], ("971",))
    assert in_departements(["", "59178"], ("62", "59"))
    assert not in_departements([""], ("59",))


# --- upkeep: age, warning, daily sync ------------------------------------------------------


def test_directory_age_and_the_60_day_warning() -> None:
    info = DirectoryInfo("Service-Public.gouv.fr / DILA", "x.json", "2026-09-01", BULK_URL)
    assert age_days(info, date(2026, 10, 31)) == 60
    assert stale_days(info, date(2026, 10, 31)) is None  # 60 days: not yet
    assert stale_days(info, date(2026, 11, 1)) == 61
    undated = DirectoryInfo("Service-Public.gouv.fr / DILA", "x.json", "?", BULK_URL)
    assert age_days(undated, date(2026, 11, 1)) is None
    assert stale_days(undated, date(2026, 11, 1)) == -1


@pytest.fixture
async def api() -> AsyncIterator[FakeApi]:
    async with serve_fake_api() as fake:
        yield fake


async def test_daily_sync_saves_or_keeps(api: FakeApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url)
    assert await sync_and_save(settings) == (
        "directory synced: 5 defenseur_droits permanences, 5 answers"
    )
    saved = settings.directory_path.read_bytes()
    api.failures = [500] * 4
    assert "failed (HTTP 500)" in await sync_and_save(settings)
    api.records = {"mairie": api.records["mairie"]}
    assert "Refused: no defenseur_droits" in await sync_and_save(settings)
    assert settings.directory_path.read_bytes() == saved


def test_daily_sync_is_a_job_only_when_scheduled(tmp_path: Path) -> None:
    application = ApplicationBuilder().token("123456:" + "A" * 35).build()
    job_queue = application.job_queue
    assert job_queue is not None
    assert job_queue.get_jobs_by_name(DAILY_SYNC_JOB) == ()
    schedule_daily_sync(job_queue, settings_for(tmp_path), time(4, 30))
    (job,) = job_queue.get_jobs_by_name(DAILY_SYNC_JOB)
    assert job.name == DAILY_SYNC_JOB
