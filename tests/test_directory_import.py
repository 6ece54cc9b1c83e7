"""Importing and syncing the official directory (DILA open data): both record shapes, broken
records counted by reason, atomic replacement of the directory in service, the CLI's reports
and exit codes, and the API sync against a local fake of the Opendatasoft API."""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import json
import os
import re
import socket
import tarfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.directory import dila, store
from bot.directory.cli import add_parser, directory_command, run_sync
from bot.directory.dila import (
    BULK_URL,
    SAMPLE_FILE,
    RecordStream,
    appointment_remarks,
    clock,
    read_file,
    source_date,
    text,
    weekday,
)
from bot.directory.model import DEFENSEUR, Directory, OpeningRange, Permanence, Phone
from bot.directory.store import DirectoryError
from bot.directory.sync import SyncError, sync_directory
from bot.settings import Settings, load_settings
from tests.support import run_bot_command

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dila"
API_URL = "http://127.0.0.1:9/records"  # never reached: imports only


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings with the directory in tmp_path and no real API."""
    values: dict[str, Any] = {
        "directory_path": tmp_path / "service" / "directory.json",
        "directory_api_url": API_URL,
    }
    values.update(overrides)
    return load_settings(None, **values)


def read(name: str, **kwargs: Any) -> Directory:
    return read_file(FIXTURES / name, ("mjd", "cidf", "adil"), api_url=API_URL, **kwargs)


def by_id(directory: Directory) -> dict[str, Permanence]:
    return {p.id: p for p in directory.permanences}


# --- record shapes ----------------------------------------------------------------------


def test_bulk_array_reads_every_field() -> None:
    directory = read("bulk_array.json")
    ddd = by_id(directory)["b-ddd-fr"]
    assert ddd.kind == DEFENSEUR
    assert ddd.name == "Délégué du Défenseur des droits – Test"  # tags and spaces gone
    # The physical address wins over the postal one listed first.
    assert ddd.address_lines == ("Maison de quartier", "10 rue du Test")
    assert (ddd.postal_code, ddd.commune, ddd.insee) == ("59300", "Valenciennes", "59606")
    assert (ddd.latitude, ddd.longitude) == (50.3575, 3.5245)
    assert ddd.phones == (Phone("03 27 00 00 01", "Accueil"),)
    assert ddd.website == "https://test.invalid/ddd"
    assert ddd.email == "delegue@test.invalid"
    assert ddd.served == {"59606", "59014", "59544"}  # union of the kind's pivots
    assert ddd.source_date == "2026-11-02"
    assert ddd.url == ""
    # Lundi → Vendredi with two slots: 5 days × 2 slots, each with the range's remark.
    assert len(ddd.hours) == 10
    assert {h.weekday for h in ddd.hours} == {0, 1, 2, 3, 4}
    assert ddd.hours[:2] == (
        OpeningRange(0, time(9), time(12), "Hors vacances"),
        OpeningRange(0, time(13, 30), time(17), "Hors vacances"),
    )
    assert ddd.hours_notes == (
        "Fermé en août.",
        "Permanence sur rendez-vous le mardi après-midi.",
    )
    assert ddd.appointment == "Permanence sur rendez-vous le mardi après-midi."
    assert directory.info.download_url == BULK_URL
    assert directory.info.attribution == "Service-Public.gouv.fr / DILA"
    assert directory.info.file_name == "bulk_array.json"
    assert not directory.info.sample


def test_day_names_slots_and_remarks() -> None:
    english = by_id(read("bulk_array.json"))["b-ddd-en"]
    assert [(h.weekday, h.opens, h.closes) for h in english.hours] == [
        (0, time(14), time(16)),  # Nord/Monday → Nord/Wednesday
        (1, time(14), time(16)),
        (2, time(9), time(10)),  # mercredi → Mércredi
        (2, time(14), time(16)),
        (3, time(10), time(11)),  # THURSDAY, no end day
        (3, time(16), time(17)),  # " Jeudi " → " jeudi "
    ]
    # Saturday 09:00–09:00 and Sunday 12:00–10:00 end before they start: skipped; the
    # remarks of unusable ranges stay as hour notes, never lost.
    assert english.hours_notes == ("Ouvert certains dimanches", "Jours fériés : fermé")
    assert english.appointment == "Prendre RDV par téléphone."
    assert english.latitude is None  # "abc" is no coordinate
    assert english.longitude is None
    assert english.served == {"59014"}  # empty pivot list → the record's own commune
    assert english.source_date == "2026-03-04"


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("Lundi", 0),
        ("MARDI", 1),
        ("mercredi", 2),
        ("Mércredi", 2),
        ("Thursday", 3),
        ("Nord/Friday", 4),
        (" samedi ", 5),
        ("Sun", 6),
        ("Funday", None),
        ("", None),
        (None, None),
    ],
)
def test_weekday_names(name: object, day: int | None) -> None:
    assert weekday(name) == day


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09:00:00", time(9)),
        ("9:30", time(9, 30)),
        ("14h15", time(14, 15)),
        ("24:00", time(23, 59)),
        ("25:00", None),
        ("", None),
        ("midi", None),
    ],
)
def test_clock(raw: str, expected: time | None) -> None:
    assert clock(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02/11/2026 14:05:00", "2026-11-02"),
        ("2/1/2026", "2026-01-02"),
        ("2026-10-01T08:00:00+00:00", "2026-10-01"),
        ("2026-10-01T08:00:00Z", "2026-10-01"),
        ("2026-10-01", "2026-10-01"),
        ("31/02/2026 10:00:00", ""),
        ("hier", ""),
        (None, ""),
    ],
)
def test_source_date(raw: object, expected: str) -> None:
    assert source_date(raw) == expected


def test_appointment_copies_published_sentences_only() -> None:
    assert appointment_remarks(["Accueil libre.", "Le jeudi : sur rendez-vous."]) == (
        "Le jeudi : sur rendez-vous."
    )
    assert appointment_remarks(["Prise de RDV au guichet. Merci."]) == "Prise de RDV au guichet."
    assert appointment_remarks(["Rendez vous compte !"]) == "Rendez vous compte !"
    assert appointment_remarks(["Accueil libre, sans formalité."]) == ""
    assert appointment_remarks(["Le mardi (rdva)."]) == ""


def test_html_is_stripped_from_text() -> None:
    assert text("<p>Permanence&nbsp;<b>fermée</b></p><script>x()</script>") == (
        "Permanence\xa0fermée".replace("\xa0", " ")
    )
    assert text(["a", "b"]) == "a b"
    assert text(3) == "3"
    assert text(True) == ""


def test_first_kept_pivot_decides_the_kind() -> None:
    multi = by_id(read("bulk_array.json"))["b-multi"]
    assert multi.kind == "mjd"  # ccas is not kept; mjd comes before defenseur_droits
    assert multi.served == {"59606", "59014", "59544"}  # both mjd pivots, not the others


def test_broken_records_are_counted_by_reason() -> None:
    info = read("bulk_array.json").info
    assert info.loaded == {DEFENSEUR: 2, "mjd": 1}
    assert info.records == 16
    assert info.rules == {
        "pivot defenseur_droits": 8,  # every record with the pivot, even those then skipped
        "ancien_code_pivot defenseur_droits-…": 0,
        'nom "Défenseur des droits"': 2,  # tags and line breaks do not hide the name
    }
    assert info.skipped == {
        "bad pivot JSON": 1,
        "duplicate id": 1,
        "mairie without coordinates": 1,
        "no INSEE code": 1,
        "no address": 1,
        "no id": 1,
        "no kept pivot": 1,
        "no name": 1,
        "not a JSON object": 2,
    }


def test_points_come_from_town_halls_of_every_departement() -> None:
    directory = read("bulk_array.json")
    # The first town hall of a commune stays (the annex does not move it); Anzin's has no
    # coordinates; Paris is kept although far from Nord.
    assert directory.points == {"59606": (50.358, 3.5233), "75056": (48.8566, 2.3522)}
    assert all(p.kind != "mairie" for p in directory.permanences)


def test_bulk_service_object() -> None:
    directory = read("bulk_service.json")
    assert directory.info.loaded == {DEFENSEUR: 1, "adil": 1, "cidf": 1}
    assert not directory.info.sample  # no "echantillon": true
    partners_only = read_file(
        FIXTURES / "bulk_service.json", ("adil",), api_url=API_URL
    ).info.loaded
    assert partners_only == {DEFENSEUR: 1, "adil": 1}


def test_api_results_with_json_encoded_fields() -> None:
    directory = read("api_results.json")
    assert directory.info.download_url == API_URL  # an API answer: its URL is the source
    assert directory.info.loaded == {DEFENSEUR: 2, "adil": 1}
    assert directory.info.skipped == {"bad adresse JSON": 1, "bad pivot JSON": 1}
    assert directory.points == {"59383": (50.3466, 3.5491)}
    permanences = by_id(directory)
    api = permanences["a-ddd"]
    assert api.served == {"59606", "59383"}
    assert api.email == "api@test.invalid"  # a plain string in the API
    assert api.phones == (Phone("03 27 00 00 02"),)
    assert api.website == "https://test.invalid/api"
    assert api.hours == (OpeningRange(1, time(14), time(17), "Sur rendez-vous uniquement"),)
    assert api.appointment == "Sur rendez-vous uniquement"
    assert api.source_date == "2026-10-01"
    assert api.url.startswith("https://lannuaire.service-public.gouv.fr/")
    decoded = permanences["a-decoded"]  # the API sometimes sends decoded lists
    assert decoded.hours == (OpeningRange(4, time(9), time(12)),)
    assert decoded.email == "decoded@test.invalid"
    assert decoded.source_date == "2026-09-30"


def test_api_bare_list() -> None:
    directory = read("api_list.json")
    assert directory.info.loaded == {DEFENSEUR: 1}
    assert directory.points == {"59383": (50.3466, 3.5491)}
    assert directory.info.download_url == API_URL  # JSON-encoded pivots: API records


def test_stream_reads_across_tiny_chunks() -> None:
    payload = '{"note": {"x": [1]}, "echantillon": true, "results": [12345, {"a": [1.5, 2]}, "s"]}'
    stream = RecordStream(io.BytesIO(payload.encode()), chunk_size=3)
    assert list(stream) == [12345, {"a": [1.5, 2]}, "s"]
    assert stream.sample  # declared before the records, as the shipped sample file does
    assert stream.api
    assert isinstance(next(iter(RecordStream(io.BytesIO(b"[2.5]")))), float)  # not Decimal
    # Multi-byte characters split between chunks, and a byte-order mark, decode whole.
    bulk = "\ufeff".encode() + (FIXTURES / "bulk_array.json").read_bytes()
    assert list(RecordStream(io.BytesIO(bulk), chunk_size=7)) == json.loads(bulk[3:])
    assert list(RecordStream(io.BytesIO(b" [ ] "))) == []


@pytest.mark.parametrize(
    "payload",
    ['{"total": 3}', "12", '[{"a": 1} {"b": 2}]', '[{"a": 1}', "[] []", '{"service": [1,', "", " "],
)
def test_stream_refuses_what_is_not_a_dila_file(payload: str) -> None:
    with pytest.raises(DirectoryError):
        list(RecordStream(io.BytesIO(payload.encode()), chunk_size=4))


# --- the sample file --------------------------------------------------------------------


def test_sample_file_declares_itself_and_loads_with_its_counts() -> None:
    directory = read_file(SAMPLE_FILE, ("mjd", "cidf", "adil"), api_url=API_URL)
    info = directory.info
    assert info.sample
    assert info.loaded == {DEFENSEUR: 6, "mjd": 1, "adil": 1}
    assert info.skipped == {}
    assert len(directory.points) == 12
    for permanence in directory.permanences:
        assert permanence.name.startswith("EXEMPLE – ")
        assert all(p.number == "00 00 00 00 00" and p.description for p in permanence.phones)
        assert permanence.website.startswith("https://exemple.invalid/")
        assert any("fictive" in line for line in permanence.address_lines)
    defenseurs = [p for p in directory.permanences if p.kind == DEFENSEUR]
    assert any(not p.located for p in defenseurs)
    assert any(len(p.served) > 2 for p in defenseurs)
    assert any(p.appointment for p in defenseurs)
    assert any(len({h.weekday for h in p.hours}) < len(p.hours) for p in defenseurs)
    raw = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    days = {r["plage_ouverture"][0]["nom_jour_debut"] for r in raw["service"]}
    assert "Thursday" in days
    # The ranking works on it: a person in Anzin gets the delegates serving Anzin first.
    best = directory.best(insee="59014")
    assert best[0].serves_commune
    assert "Anzin" in best[0].permanence.name or "Valenciennes" in best[0].permanence.name


def test_sample_codes_match_the_official_geography() -> None:
    raw = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    expected = {
        "59606": "59300",
        "59014": "59410",
        "59544": "59880",
        "59383": "59770",
        "59172": "59220",
        "59153": "59163",
        "59447": "59264",
        "59491": "59590",
        "59112": "59860",
        "59603": "59125",
        "59616": "59690",
        "59526": "59230",
    }
    for record in raw["service"]:
        assert expected[record["code_insee_commune"]] == record["adresse"][-1]["code_postal"]


# --- the store --------------------------------------------------------------------------


def test_store_round_trip_is_exact_and_compact(tmp_path: Path) -> None:
    directory = read("bulk_array.json")
    path = tmp_path / "directory.json"
    store.save(directory, path)
    loaded = store.load(path)
    assert loaded is not None
    assert loaded.permanences == directory.permanences
    assert loaded.info == directory.info
    assert loaded.points == directory.points
    saved = path.read_text(encoding="utf-8")
    assert "\n" not in saved
    assert json.loads(saved)["version"] == store.VERSION
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_store_load_missing_and_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    assert store.load(path) is None
    for broken in ("{", "[]", '{"format": "egalite-bot directory", "version": 99}'):
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(DirectoryError, match=r"directory\.json"):
            store.load(path)
    good = store.dump(read("api_list.json"))
    good["permanences"][0]["hours"] = [[9, "09:00", "10:00", ""]]
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(DirectoryError, match="corrupt"):
        store.load(path)


def test_interrupted_save_leaves_the_previous_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(tmp_path)
    assert directory_command(settings, ["import", str(SAMPLE_FILE)]) == 0
    before = settings.directory_path.read_bytes()

    def crash(source: object, target: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="unplugged"):
        store.save(read("bulk_array.json"), settings.directory_path)
    assert directory_command(settings, ["import", str(FIXTURES / "bulk_array.json")]) == 1
    assert "Could not save" in capsys.readouterr().err
    assert settings.directory_path.read_bytes() == before
    assert list(settings.directory_path.parent.iterdir()) == [settings.directory_path]


# --- compressed files -------------------------------------------------------------------


def test_json_gz(tmp_path: Path) -> None:
    gz = tmp_path / "2026-05-06_120000-data.gouv_local.json.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "bulk_array.json").read_bytes()))
    directory = read_file(gz, ("mjd",), api_url=API_URL)
    assert directory.info.loaded == {DEFENSEUR: 2, "mjd": 1}
    assert directory.info.file_name == gz.name
    assert directory.info.file_date == "2026-05-06"  # from the name's prefix
    plain = tmp_path / "export.gz"
    plain.write_bytes(gzip.compress((FIXTURES / "api_results.json").read_bytes()))
    assert read_file(plain, ("adil",), api_url=API_URL).info.loaded == {DEFENSEUR: 2, "adil": 1}


def test_tar_bz2_bulk_archive(tmp_path: Path) -> None:
    archive = tmp_path / "all_latest.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        for name, data in (
            ("2026-11-02_031500-data.gouv.commune.zip", b"PK not read"),
            ("2026-11-02_031500-data.gouv_local.json", (FIXTURES / "bulk_array.json").read_bytes()),
        ):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    directory = read_file(archive, ("mjd",), api_url=API_URL)
    assert directory.info.loaded == {DEFENSEUR: 2, "mjd": 1}
    assert directory.info.file_name == "2026-11-02_031500-data.gouv_local.json"
    assert directory.info.file_date == "2026-11-02"
    assert directory.info.download_url == BULK_URL
    empty = tmp_path / "empty.tar.bz2"
    with tarfile.open(empty, "w:bz2"):
        pass
    with pytest.raises(DirectoryError, match=r"data\.gouv_local\.json"):
        read_file(empty, (), api_url=API_URL)
    broken = tmp_path / "broken.tar.bz2"
    broken.write_bytes(b"BZh91AY&SY not really")
    with pytest.raises(DirectoryError, match="cannot be read"):
        read_file(broken, (), api_url=API_URL)


# --- the command line -------------------------------------------------------------------


def test_cli_import_reports_and_saves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = settings_for(tmp_path)
    assert directory_command(settings, ["import", str(FIXTURES / "bulk_array.json")]) == 0
    out = capsys.readouterr().out.splitlines()
    for line in (
        "Records read: 16",
        "Delegate rule pivot defenseur_droits: 8 records",
        "Delegate rule ancien_code_pivot defenseur_droits-…: 0 records",
        'Delegate rule nom "Défenseur des droits": 2 records',
        "Kept defenseur_droits: 2",
        "Kept mjd: 1",
        "Kept cidf: 0",
        "Commune points: 2",
        "Ignored (other services): 1",
        "Skipped (not a JSON object): 2",
        "Skipped (no address): 1",
        f"Saved to {settings.directory_path}",
    ):
        assert line in out
    assert out[-1].startswith("Source: Service-Public.gouv.fr / DILA, bulk_array.json, ")
    assert out[-1].endswith(BULK_URL)
    loaded = store.load(settings.directory_path)
    assert loaded is not None
    assert not loaded.info.sample
    assert (
        directory_command(settings, ["import", str(FIXTURES / "bulk_service.json"), "--sample"])
        == 0
    )
    assert "as SAMPLE data" in capsys.readouterr().out
    marked = store.load(settings.directory_path)
    assert marked is not None
    assert marked.info.sample
    assert marked.info.loaded == {DEFENSEUR: 1, "cidf": 1, "adil": 1}


def test_cli_refusals_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = settings_for(tmp_path)
    assert directory_command(settings, ["import", str(SAMPLE_FILE)]) == 0
    before = settings.directory_path.read_bytes()
    capsys.readouterr()

    only_town_halls = tmp_path / "mairies.json"
    records = json.loads((FIXTURES / "bulk_array.json").read_text(encoding="utf-8"))
    only_town_halls.write_text(
        json.dumps([r for r in records if isinstance(r, dict) and r["id"].startswith("m-")]),
        encoding="utf-8",
    )
    assert directory_command(settings, ["import", str(only_town_halls)]) == 1
    err = capsys.readouterr().err
    assert "Refused: no defenseur_droits permanence found" in err
    assert "the directory in service is unchanged" in err
    assert settings.directory_path.read_bytes() == before

    not_json = tmp_path / "page.html"
    not_json.write_text("<html>maintenance</html>", encoding="utf-8")
    assert directory_command(settings, ["import", str(not_json)]) == 1
    assert "Cannot import page.html: no records" in capsys.readouterr().err
    assert directory_command(settings, ["import", str(tmp_path / "missing.json")]) == 2
    assert "No such file" in capsys.readouterr().err
    assert directory_command(settings, ["import"]) == 2
    assert directory_command(settings, ["export"]) == 2
    capsys.readouterr()
    assert settings.directory_path.read_bytes() == before

    assert directory_command(settings, ["import", str(only_town_halls), "--allow-empty"]) == 0
    emptied = store.load(settings.directory_path)
    assert emptied is not None
    assert emptied.permanences == ()
    assert len(emptied.points) == 2


def test_add_parser_wires_the_subcommands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["directory", "import", str(SAMPLE_FILE), "--allow-empty"])
    assert args.command == "directory"
    settings = settings_for(tmp_path)
    assert directory_command(settings, args) == 0
    assert "Saved to" in capsys.readouterr().out
    assert parser.parse_args(["directory", "sync"]).directory_action == "sync"
    with pytest.raises(SystemExit):
        parser.parse_args(["directory"])
    capsys.readouterr()


def test_cli_refuses_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin1.json"
    latin.write_bytes('[{"nom": "Défenseur"}]'.encode("latin-1"))
    assert directory_command(settings_for(tmp_path), ["import", str(latin)]) == 1
    assert "Cannot import latin1.json: not UTF-8 text;" in capsys.readouterr().err


def _wired() -> bool:
    return "directory_command" in (ROOT / "bot" / "__main__.py").read_text(encoding="utf-8")


@pytest.mark.skipif(not _wired(), reason="bot/__main__.py does not call cli.add_parser yet")
def test_python_m_bot_directory_import(tmp_path: Path) -> None:
    target = tmp_path / "directory.json"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DIRECTORY_")}
    environment.update(DIRECTORY_PATH=str(target), PYTHONPATH=str(ROOT))
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    done = run_bot_command(tmp_path, environment, "directory", "import", str(SAMPLE_FILE))
    assert done.returncode == 0, done.stderr
    assert "Kept defenseur_droits: 6" in done.stdout
    assert "as SAMPLE data" in done.stdout
    loaded = store.load(target)
    assert loaded is not None
    assert loaded.info.sample
    missing = run_bot_command(tmp_path, environment, "directory", "import", "nowhere.json")
    assert missing.returncode == 2


# --- sync against a local fake of the API -----------------------------------------------

KIND_WHERE = re.compile(r'pivot LIKE "(\w+)"')
HALL_WHERE = re.compile(r'pivot LIKE "mairie" AND code_insee_commune LIKE "(\w+)%"')


class FakeApi:
    """Opendatasoft's /exports/json and /records, from fixtures; can fail on demand.

    Records are those of `api_sync_59.json` (département 59) and `api_border_62.json`
    (SYNTHETIC: delegates based in 62, one of them also serving Douai, 59). A kind's query
    answers all France, as the real API does; the town halls' query filters by département.
    """

    def __init__(self) -> None:
        self.records: dict[str, list[Any]] = {}
        for name in ("api_sync_59.json", "api_border_62.json"):
            data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
            for kind, records in data.items():
                if kind != "_source":
                    self.records.setdefault(kind, []).extend(records)
        self.exports = True  # False: /exports/json answers 404, as if the dataset lacked it
        self.failures: list[int] = []  # statuses to answer before the next success
        self.queries: list[tuple[str, str, dict[str, str]]] = []  # (endpoint, where, params)
        self.user_agents: set[str] = set()
        self.url = ""
        self.claimed_total: int | None = None

    def select(self, where: str) -> list[Any]:
        if match := HALL_WHERE.fullmatch(where):
            return [
                r
                for r in self.records.get("mairie", [])
                if r["code_insee_commune"].startswith(match[1])
            ]
        match = KIND_WHERE.fullmatch(where)
        assert match, where
        return self.records.get(match[1], [])

    def _failure(self, request: web.Request) -> web.Response | None:
        self.user_agents.add(request.headers.get("User-Agent", ""))
        if self.failures:
            return web.Response(status=self.failures.pop(0), text="busy")
        return None

    async def export(self, request: web.Request) -> web.Response:
        if failed := self._failure(request):
            return failed
        if not self.exports:
            return web.Response(status=404, text="no such endpoint")
        assert "offset" not in request.query  # the export is uncapped only without offset
        self.queries.append(("exports", request.query["where"], dict(request.query)))
        return web.json_response(self.select(request.query["where"]))  # a bare array

    async def page(self, request: web.Request) -> web.Response:
        if failed := self._failure(request):
            return failed
        limit, offset = int(request.query["limit"]), int(request.query["offset"])
        assert limit <= 100
        assert limit + offset <= 10_000
        self.queries.append(("records", request.query["where"], dict(request.query)))
        records = self.select(request.query["where"])
        total = self.claimed_total or len(records)
        page = records[offset : offset + limit]
        if self.claimed_total:
            page = [{"id": f"x-{offset + i}", "pivot": "[]"} for i in range(limit)]
        return web.json_response({"total_count": total, "results": page})


@asynccontextmanager
async def serve_fake_api() -> AsyncIterator[FakeApi]:
    """The fake API on 127.0.0.1, on a free port, for the time of a test."""
    fake = FakeApi()
    app = web.Application()
    app.router.add_get("/records", fake.page)
    app.router.add_get("/exports/json", fake.export)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    fake.url = f"http://{host}:{port}/records"
    try:
        yield fake
    finally:
        await runner.cleanup()


@pytest.fixture
async def api() -> AsyncIterator[FakeApi]:
    async with serve_fake_api() as fake:
        yield fake


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_sync_finds_a_delegate_based_across_the_border(api: FakeApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url, directory_departements="59")
    lines: list[str] = []
    result = await sync_directory(settings, backoff=0, progress=lines.append)
    directory = result.directory
    places = by_id(directory)
    lens = places["sync-62-lens"]  # based in Lens (62), serves Douai (59178)
    assert lens.insee == "62498"
    assert "59178" in lens.served
    assert [m.permanence.id for m in directory.best(insee="59178")] == ["sync-62-lens"]
    assert "sync-62-arras" not in places  # serves only 62
    info = directory.info
    assert info.skipped["serves none of the départements"] == 1
    assert info.loaded == {DEFENSEUR: 5, "mjd": 1}
    assert set(directory.points) == {"59606", "59172", "59014"}  # 59's town halls only
    assert lines == [
        "Département 59: 5 defenseur_droits (1 based outside), 1 mjd, 0 cidf, 0 adil; 3 town halls"
    ]
    # One uncapped export per kind, nationwide, then the town halls of each département.
    assert [(q[0], q[1]) for q in api.queries] == [
        ("exports", 'pivot LIKE "defenseur_droits"'),
        ("exports", 'pivot LIKE "mjd"'),
        ("exports", 'pivot LIKE "cidf"'),
        ("exports", 'pivot LIKE "adil"'),
        ("exports", 'pivot LIKE "mairie" AND code_insee_commune LIKE "59%"'),
    ]
    assert result.requests == 5
    assert result.notes == []


async def test_sync_of_two_departements(api: FakeApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url, directory_departements="59,62")
    lines: list[str] = []
    result = await sync_directory(settings, backoff=0, progress=lines.append)
    info = result.directory.info
    assert info.loaded == {DEFENSEUR: 6, "mjd": 1}
    assert info.skipped.get("bad pivot JSON") == 1
    assert "duplicate id" not in info.skipped  # one record answering two queries is no error
    assert set(result.directory.points) == {"59606", "59172", "59014", "62498"}
    assert info.file_name == "API Annuaire de l'administration"
    assert info.download_url == api.url
    assert not info.sample
    assert len(lines) == 2
    assert lines[1] == "Département 62: 2 defenseur_droits, 0 mjd, 0 cidf, 0 adil; 1 town halls"
    assert all(ua.startswith("egalite-bot/") for ua in api.user_agents)


async def test_sync_pages_records_when_the_export_is_missing(api: FakeApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url, directory_departements="59")
    api.exports = False
    result = await sync_directory(settings, page_size=2, backoff=0)
    assert result.directory.info.loaded == {DEFENSEUR: 5, "mjd": 1}  # the {"results"} shape
    defenseur_pages = [q[2]["offset"] for q in api.queries if q[1].endswith('"defenseur_droits"')]
    assert defenseur_pages == ["0", "2", "4", "6"]  # 8 records nationwide, 2 per page
    assert result.notes == [
        f"{api.url[: -len('records')]}exports/json answered 404: paged {api.url} instead"
    ]


async def test_sync_stops_at_the_paging_limit_and_says_so(api: FakeApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url)
    api.exports = False
    api.claimed_total = 25_000
    result = await sync_directory(settings, page_size=3, max_results=7, backoff=0)
    offsets = [
        (q[2]["offset"], q[2]["limit"]) for q in api.queries if q[1].endswith('"defenseur_droits"')
    ]
    assert offsets == [("0", "3"), ("3", "3"), ("6", "1")]
    assert any("first 7 of 25000" in note for note in result.notes)


async def test_sync_retries_a_server_error_then_succeeds(api: FakeApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url)
    api.failures = [500, 429]
    result = await sync_directory(settings, backoff=0)
    assert result.directory.info.loaded == {DEFENSEUR: 5, "mjd": 1}
    assert result.requests == 7  # 5 queries, 2 of them retried once
    api.failures = [503] * 4  # one try and three retries, then give up
    with pytest.raises(SyncError, match="HTTP 503"):
        await sync_directory(settings, backoff=0)


async def test_sync_refuses_an_answer_that_is_not_json(tmp_path: Path) -> None:
    async def maintenance(request: web.Request) -> web.Response:
        return web.Response(text="<html>maintenance</html>")

    app = web.Application()
    app.router.add_get("/exports/json", maintenance)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        broken = settings_for(tmp_path, directory_api_url=f"http://{host}:{port}/records")
        with pytest.raises(SyncError, match="unexpected answer: no records"):
            await sync_directory(broken, backoff=0)
    finally:
        await runner.cleanup()


async def test_sync_refused_connection(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, directory_api_url=f"http://127.0.0.1:{_closed_port()}/records"
    )
    with pytest.raises(SyncError, match="ConnectError"):
        await sync_directory(settings, backoff=0)


def test_sync_dry_run_fetches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = _closed_port()  # nothing listens there
    url = f"http://127.0.0.1:{port}/api/records"
    settings = settings_for(tmp_path, directory_api_url=url, directory_departements="59,62")
    assert directory_command(settings, ["sync", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"GET http://127.0.0.1:{port}/api/exports/json (bare JSON array, no paging cap):"
    )
    assert out[1:7] == [
        '  where=pivot LIKE "defenseur_droits"',
        '  where=pivot LIKE "mjd"',
        '  where=pivot LIKE "cidf"',
        '  where=pivot LIKE "adil"',
        '  where=pivot LIKE "mairie" AND code_insee_commune LIKE "59%"',
        '  where=pivot LIKE "mairie" AND code_insee_commune LIKE "62%"',
    ]
    assert any("serve a commune of 59, 62" in line for line in out)
    assert not settings.directory_path.exists()


async def test_cli_sync_saves_or_keeps_the_directory(
    api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(tmp_path, directory_api_url=api.url)
    # The CLI runs its own event loop: run it in a thread while the fake API serves here.
    assert await asyncio.to_thread(directory_command, settings, ["sync"]) == 0
    out = capsys.readouterr().out
    assert "Département 59: 5 defenseur_droits (1 based outside)" in out
    assert "Kept defenseur_droits: 5" in out
    assert "Skipped (bad pivot JSON): 1" in out
    assert "Ignored (serves none of the départements): 1" in out
    saved = settings.directory_path.read_bytes()

    offline = settings_for(tmp_path, directory_api_url=f"http://127.0.0.1:{_closed_port()}/r")
    assert await asyncio.to_thread(directory_command, offline, ["sync"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Could not reach the directory API (ConnectError): the directory in service is unchanged."
    )
    assert settings.directory_path.read_bytes() == saved

    api.failures = [500] * 4
    assert await asyncio.to_thread(run_sync, settings, allow_empty=False, backoff=0) == 1
    assert "(HTTP 500)" in capsys.readouterr().err
    assert settings.directory_path.read_bytes() == saved

    api.records = {"mairie": api.records["mairie"]}
    assert await asyncio.to_thread(directory_command, settings, ["sync"]) == 1
    assert "Refused: no defenseur_droits" in capsys.readouterr().err
    assert settings.directory_path.read_bytes() == saved


def test_dila_module_names_its_sources() -> None:
    assert dila.ATTRIBUTION == "Service-Public.gouv.fr / DILA"
    assert dila.BULK_URL.endswith("/donnees_locales_v4/all_latest.tar.bz2")
