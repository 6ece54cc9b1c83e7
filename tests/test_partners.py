"""Local partners: each says where it helps, and is proposed only there (and for its
domains); a file that does not say where a partner helps is refused at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory.partners import Partners, PartnersError, Place, load_partners

SAMPLE = Path(__file__).resolve().parent.parent / "bot" / "data" / "sample_partners.yaml"
DOMAINS = {"work", "housing", "shops", "public", "school", "health", "police", "other"}
VALENCIENNES = Place("59606", "245901160", "59", 50.3575, 3.5235)
ANZIN = Place("59014", "245901160", "59", 50.3717, 3.5046)
DENAIN = Place("59172", "200042190", "59", 50.3290, 3.3960)  # another EPCI, 13 km away
MARSEILLE = Place("13055", "200054807", "13", 43.2965, 5.3698)


def names(partners: Partners, domain: str | None, place: Place) -> list[str]:
    return [p.name for p in partners.near(domain, place)]


def test_sample_partners_are_labelled_and_placed() -> None:
    partners = load_partners(SAMPLE, DOMAINS)
    assert partners.sample
    assert all(p.name.startswith("EXEMPLE") for p in partners.partners)
    assert names(partners, "housing", VALENCIENNES) == [
        "EXEMPLE – Permanence logement fictive",  # names Valenciennes among its communes
        "EXEMPLE – Association fictive d'aide aux victimes",  # serves the whole EPCI
    ]
    assert names(partners, "work", ANZIN) == ["EXEMPLE – Association fictive d'aide aux victimes"]


@pytest.mark.parametrize(
    "place",
    [
        MARSEILLE,
        DENAIN,
        Place(latitude=0.0, longitude=0.0),  # a location far from everything
        Place(),  # nothing known of the place
    ],
)
def test_a_partner_far_away_is_never_proposed(place: Place) -> None:
    partners = load_partners(SAMPLE, DOMAINS)
    assert names(partners, "housing", place) == []


def test_a_shared_position_within_the_radius_finds_the_partner() -> None:
    partners = load_partners(SAMPLE, DOMAINS)
    near_anzin = Place(latitude=50.38, longitude=3.51)  # no commune known, 1 km away
    assert names(partners, "housing", near_anzin) == ["EXEMPLE – Permanence logement fictive"]


def write(tmp_path: Path, entry: str) -> Path:
    path = tmp_path / "partners.yaml"
    path.write_text(
        "partners:\n  - name: A\n    address: B\n    contact: C\n    source: D\n" + entry,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("", "say where it helps"),
        ("    communes: ['5960']\n", "not a valid code"),
        ("    epci: ['2459']\n", "not a valid code"),
        ("    latitude: 50.3\n", "both latitude and longitude"),
        ("    latitude: 95\n    longitude: 3\n", "out of range"),
        ("    latitude: north\n    longitude: 3\n", "are numbers"),
    ],
)
def test_a_partner_without_a_valid_area_is_refused(
    tmp_path: Path, entry: str, message: str
) -> None:
    with pytest.raises(PartnersError, match=message):
        load_partners(write(tmp_path, entry), DOMAINS)


def test_departements_and_single_codes_are_accepted(tmp_path: Path) -> None:
    partners = load_partners(write(tmp_path, "    departements: 59\n"), DOMAINS)
    assert names(partners, None, DENAIN) == ["A"]
    assert names(partners, None, MARSEILLE) == []
