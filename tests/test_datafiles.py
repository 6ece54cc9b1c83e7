"""Broken data files, and the one line a maintainer reads about each: the file, the item
(by its id, name or code, and its place from 1) and the key (bot/datafiles.py).

The content, partners and sources cases are written from a small valid file of each kind,
so that every expected message is read here, next to its cause; the directory cases break
the saved SAMPLE directory. A bad partners, sources or directory file stops `python -m bot
run` with that line and exit code 2.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.content import ContentError, load_content
from bot.directory import store
from bot.directory.model import Permanence
from bot.directory.partners import PartnersError, load_partners
from bot.directory.store import DirectoryError, install_sample
from bot.outreach import SourcesError, load_sources
from tests.support import ROOT, bot_environment, run_bot_command

JOURNEY = """\
[[speaker]]
id = "self"
label = "C'est moi"

[[domain]]
id = "work"
label = "Travail"

  [[domain.situation]]
  id = "hiring"
  label = "Embauche"

[[domain]]
id = "housing"
label = "Logement"

  [[domain.situation]]
  id = "rental"
  label = "Location"

[[employer]]
id = "public"
label = "Employeur public"

[[criterion_group]]
id = "origin"
label = "Origine"
criteria = ["origine"]

[[timing]]
id = "ongoing"
label = "Ça continue"
min_months = 0
max_months = 0

[[evidence]]
id = "writings"
label = "Des écrits"
"""

SOURCE = 'sources = [{ title = "Code pénal", url = "https://www.legifrance.gouv.fr/x" }]'
RIGHTS = f"""\
[[what_is]]
id = "two_conditions"
title = "Deux conditions"
text = "Un critère et une situation."
{SOURCE}

[[law]]
id = "work_law"
title = "Au travail"
text = "La loi protège."
domains = ["work"]
situations = ["hiring"]
{SOURCE}

[[not_discrimination]]
id = "not_yet"
title = "Pas forcément"
text = "Ce n'est peut-être pas une discrimination."
{SOURCE}

[[route]]
id = "ddd"
title = "Le Défenseur des droits"
text = "Gratuit."
{SOURCE}

[[deadline]]
id = "dl_work"
title = "5 ans"
text = "Vous avez 5 ans."
months = 60
starts = "revelation"
line = "au conseil de prud'hommes"
{SOURCE}

[[evidence_advice]]
id = "keep"
title = "Gardez tout"
text = "Gardez les écrits."
evidence = ["writings"]
{SOURCE}
"""

CONTACTS = f"""\
[[emergency]]
id = "e17"
title = "17"
phone = "17"
text = "Danger immédiat."
{SOURCE}

[[remote_channel]]
id = "ddd_3928"
title = "3928"
phone = "3928"
text = "Du lundi au vendredi."
{SOURCE}
"""

CONTENT = {"journey.toml": JOURNEY, "rights.toml": RIGHTS, "contacts.toml": CONTACTS}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files are named as the operator reads them: from here


def write_content(tmp_path: Path, name: str = "", old: str = "", new: str = "") -> Path:
    for file, text in CONTENT.items():
        assert file != name or old in text, old
        changed = text.replace(old, new, 1) if file == name else text
        (tmp_path / file).write_text(changed, encoding="utf-8")
    return tmp_path


def test_the_small_content_loads(tmp_path: Path) -> None:
    content = load_content(write_content(tmp_path))
    assert [d.id for d in content.domains] == ["work", "housing"]
    assert content.laws[0].situations == ("hiring",)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (  # a missing key
            "journey.toml",
            'id = "hiring"\n  label = "Embauche"',
            'id = "hiring"',
            'journey.toml: domain "work" (item 1): situation "hiring" (item 1): label: missing',
        ),
        (  # a wrong type
            "journey.toml",
            "min_months = 0",
            'min_months = "0"',
            'journey.toml: timing "ongoing" (item 1): min_months: must be a whole number, '
            "not '0'",
        ),
        (  # an unknown key, with the key it was probably meant to be
            "journey.toml",
            'label = "Origine"',
            'lable = "Origine"',
            'journey.toml: criterion_group "origin" (item 1): lable: unknown key '
            "(did you mean label?)",
        ),
        (  # duplicate ids, also across domains for situations
            "journey.toml",
            'id = "rental"',
            'id = "hiring"',
            'journey.toml: domain "housing" (item 2): situation "hiring" (item 1): id: '
            "duplicate situation id 'hiring' (already used above)",
        ),
        (
            "journey.toml",
            'id = "housing"',
            'id = "Logement"',
            'journey.toml: domain "Logement" (item 2): id: '
            "'Logement' does not match ^[a-z0-9_]{1,16}$",
        ),
        (
            "journey.toml",
            'criteria = ["origine"]',
            "criteria = []",
            'journey.toml: criterion_group "origin" (item 1): criteria: '
            "empty, but only a group with legal = false lists none",
        ),
        (  # a filter naming an answer that journey.toml does not have
            "rights.toml",
            'domains = ["work"]',
            'domains = ["work", "lodging"]',
            'rights.toml: law "work_law" (item 1): domains item 2: '
            "'lodging' is not the id of a [[domain]] in journey.toml (work, housing)",
        ),
        (
            "rights.toml",
            'evidence = ["writings"]',
            'evidence = ["photos"]',
            'rights.toml: evidence_advice "keep" (item 1): evidence item 1: '
            "'photos' is not the id of a [[evidence]] in journey.toml (writings)",
        ),
        (
            "rights.toml",
            'situations = ["hiring"]',
            'situations = ["rental"]',
            'rights.toml: law "work_law" (item 1): situations item 1: '
            "'rental' is a situation of 'housing', outside the passage's domains",
        ),
        (  # passage ids are unique across sections
            "rights.toml",
            'id = "ddd"',
            'id = "work_law"',
            'rights.toml: route "work_law" (item 1): id: '
            "duplicate passage id 'work_law' (already used above)",
        ),
        (  # every statement cites a source
            "rights.toml",
            f'text = "Gratuit."\n{SOURCE}',
            'text = "Gratuit."\nsources = []',
            'rights.toml: route "ddd" (item 1): sources: must not be empty',
        ),
        (
            "rights.toml",
            f'text = "Gratuit."\n{SOURCE}',
            'text = "Gratuit."\nsources = [{ title = "Code pénal", url = "legifrance.gouv.fr" }]',
            'rights.toml: route "ddd" (item 1): sources item 1: url: '
            "'legifrance.gouv.fr' is not an http(s) address",
        ),
        (  # a delay says what starts it; only a delay has a length
            "rights.toml",
            'starts = "revelation"',
            'starts = "discovery"',
            'rights.toml: deadline "dl_work" (item 1): starts: must be \'facts\', '
            "'revelation', 'knowledge', 'notification', 'year_after' or '', not 'discovery'",
        ),
        (
            "rights.toml",
            'starts = "revelation"\n',
            "",
            'rights.toml: deadline "dl_work" (item 1): starts: '
            "missing (what starts the delay: the passage has months)",
        ),
        (
            "rights.toml",
            'text = "Gratuit."',
            'text = "Gratuit."\nmonths = 12\nstarts = "facts"\nline = "au tribunal"',
            'rights.toml: route "ddd" (item 1): months: only a [[deadline]] has months',
        ),
        (
            "contacts.toml",
            'phone = "17"',
            "phone = 17",
            'contacts.toml: emergency "e17" (item 1): phone: must be text, not 17 '
            "(write it in quotes)",
        ),
        (
            "contacts.toml",
            "[[remote_channel]]",
            "[[remote_channels]]",
            "contacts.toml: remote_channels: unknown key (did you mean remote_channel?)",
        ),
        (
            "contacts.toml",
            'id = "e17"',
            'id = "e17"\nid = "e112"',
            "contacts.toml: cannot be read as TOML (Cannot overwrite a value "
            "(at line 3, column 12))",
        ),
    ],
)
def test_a_broken_content_file_is_named_in_one_line(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    with pytest.raises(ContentError) as error:
        load_content(write_content(tmp_path, name, old, new))
    assert str(error.value) == message


def test_several_problems_are_counted_after_the_first(tmp_path: Path) -> None:
    broken = 'id = "ddd"\ntitle = "Le Défenseur des droits"\ntext = "Gratuit."'
    with pytest.raises(ContentError) as error:
        load_content(write_content(tmp_path, "rights.toml", broken, 'id = "ddd"'))
    assert str(error.value) == 'rights.toml: route "ddd" (item 1): title: missing (and 1 more)'


PARTNER = "partners:\n  - name: Maison du droit\n    address: B\n    contact: C\n    source: D\n"
DOMAINS = {"work", "housing"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PARTNER,
            'partners.yaml: partner "Maison du droit" (item 1): say where it helps '
            "(communes, epci, departements, or latitude and longitude)",
        ),
        (
            "partners:\n  - name: A\n    address: B\n    source: D\n    epci: 245901160\n",
            'partners.yaml: partner "A" (item 1): contact: missing',
        ),
        (
            PARTNER + "    departements: 59\n  - name: Second\n    address: B\n    contact: "
            "0327000000\n    source: D\n    departements: 59\n",
            'partners.yaml: partner "Second" (item 2): contact: must be text, not 56360960 '
            "(write it in quotes)",
        ),
        (
            PARTNER + "    departements: 59\n    adress: 1 rue X\n",
            'partners.yaml: partner "Maison du droit" (item 1): adress: unknown key '
            "(did you mean address?)",
        ),
        (
            PARTNER + "    departements: 59\n    domains: [work, lodging]\n",
            'partners.yaml: partner "Maison du droit" (item 1): domains item 2: '
            "unknown domain 'lodging' (known: housing, work)",
        ),
        (
            PARTNER + "    communes: ['59606', '5960']\n",
            'partners.yaml: partner "Maison du droit" (item 1): communes item 2: '
            "'5960' is not a valid code (an INSEE code: 5 digits, or 2A/2B and 3 digits)",
        ),
        (
            PARTNER + "    latitude: 50.3\n    longitude: 3.5\n    radius_km: 500\n",
            'partners.yaml: partner "Maison du droit" (item 1): radius_km: '
            "500 is out of range (at most 200)",
        ),
        (
            "partners:\n  - just a name\n",
            "partners.yaml: partners item 1: must be a mapping of keys to values, "
            "not 'just a name'",
        ),
        (
            "partners:\n  - name: A\n  address: B\n",
            "partners.yaml: cannot be read as YAML at line 3 (ParserError)",
        ),
    ],
)
def test_a_broken_partners_file_is_named_in_one_line(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "partners.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PartnersError) as error:
        load_partners(Path("partners.yaml"), DOMAINS)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "sources.yaml: sources: missing"),
        (
            "sources:\n  - code: cs_anzin\n",
            'sources.yaml: source "cs_anzin" (item 1): label: missing',
        ),
        (
            "sources:\n  - code: 2024\n    label: Affiche\n",
            "sources.yaml: sources item 1: code: must be text, not 2024 (write it in quotes)",
        ),
        (
            "sources:\n  - code: cs_anzin\n    label: Affiche\n    lieu: Anzin\n",
            'sources.yaml: source "cs_anzin" (item 1): lieu: unknown key (expected code, label)',
        ),
        (
            "sources:\n  - code: cs_anzin\n    label: A\n  - code: cs_anzin\n    label: B\n",
            'sources.yaml: source "cs_anzin" (item 2): code: '
            "duplicate code 'cs_anzin' (already used above)",
        ),
        (
            "sources:\n  - code: direct\n    label: A\n",
            'sources.yaml: source "direct" (item 1): code: \'direct\' is not a code: '
            "a-z, 0-9 or _ (1 to 32), not direct, unknown or entrainement",
        ),
    ],
)
def test_a_broken_sources_file_is_named_in_one_line(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        load_sources(Path("sources.yaml"))
    assert str(error.value) == message


def _set(*keys: str | int, value: object) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = value

    return change


def _pop(*keys: str | int) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for key in keys[:-1]:
            data = data[key]
        del data[keys[-1]]

    return change


CORRUPT = "the file is corrupt or from another version: import it again"
SECOND = 'permanence "00000000-0000-4000-a000-000000000006" (item 2)'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_pop("permanences", 1, "name"), f"directory.json: {SECOND}: name: missing"),
        (
            _set("permanences", 1, "latitude", value="north"),
            f"directory.json: {SECOND}: latitude: must be a number, not 'north'",
        ),
        (
            _set("permanences", 1, "fax", value="03"),
            f"directory.json: {SECOND}: fax: unknown key",
        ),
        (
            _set("permanences", 1, "hours", value=[[9, "09:00", "12:00", ""]]),
            f"directory.json: {SECOND}: hours item 1: weekday: 9 is not 0 (Monday) to 6",
        ),
        (
            _set("permanences", 1, "phones", value=[["03 27 00 00 00"]]),
            f"directory.json: {SECOND}: phones item 1: expected a list [number, description]",
        ),
        (
            _set("permanences", 5, "id", value="00000000-0000-4000-a000-000000000006"),
            'directory.json: permanence "00000000-0000-4000-a000-000000000006" (item 6): id: '
            "duplicate id '00000000-0000-4000-a000-000000000006' (already used above)",
        ),
        (_set("version", value=2), "directory.json: version: must be 1, not 2"),
        (_pop("info", "file_date"), "directory.json: info: file_date: missing"),
    ],
)
def test_a_broken_directory_file_is_named_in_one_line(
    tmp_path: Path, change: Callable[[Any], None], message: str
) -> None:
    path = Path("directory.json")
    install_sample(path, ("mjd",), "https://example.invalid")
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DirectoryError) as error:
        store.load(path)
    assert str(error.value) == f"{message}; {CORRUPT}"


@pytest.mark.parametrize(
    ("setting", "name", "text", "line"),
    [
        (
            "PARTNERS_PATH",
            "partners.yaml",
            PARTNER,
            'partners.yaml: partner "Maison du droit" (item 1): say where it helps '
            "(communes, epci, departements, or latitude and longitude)",
        ),
        (
            "SOURCES_PATH",
            "sources.yaml",
            "sources:\n  - code: Affiche\n    label: A\n",
            'sources.yaml: source "Affiche" (item 1): code: \'Affiche\' is not a code: '
            "a-z, 0-9 or _ (1 to 32), not direct, unknown or entrainement",
        ),
        (
            "DIRECTORY_PATH",
            "directory.json",
            "[]",
            f"directory.json: must be a mapping of keys to values, not []; {CORRUPT}",
        ),
    ],
)
def test_a_broken_file_stops_the_bot_with_one_line_and_exit_code_2(
    tmp_path: Path, setting: str, name: str, text: str, line: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    environment = bot_environment(
        TELEGRAM_BOT_TOKEN="123456:AAAbbbCCCdddEEEfffGGGhhhIIIjjjKKKll",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",  # never reached
        DATABASE_PATH=str(tmp_path / "counters.sqlite3"),
        **{setting: name},
    )
    done = run_bot_command(tmp_path, environment)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"Configuration error: {line}"]
    assert str(ROOT) not in done.stderr


def test_the_saved_permanence_has_the_fields_of_a_permanence() -> None:
    saved = set(store._Permanence.model_fields)
    assert saved == {field.name for field in dataclasses.fields(Permanence)}
