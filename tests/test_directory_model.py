"""Ranking of permanences and placing a location in a commune, without Telegram."""

from __future__ import annotations

from bot.directory.model import Directory, DirectoryInfo, Permanence, distance_km

INFO = DirectoryInfo("Service-Public.gouv.fr / DILA", "test.json", "2026-11-01", "https://x")


def place(pid: str, lat: float | None, lon: float | None, served: set[str]) -> Permanence:
    """A permanence for the tests."""
    return Permanence(
        id=pid,
        kind="defenseur_droits",
        name=f"Permanence {pid}",
        address_lines=("1 rue",),
        postal_code="59300",
        commune="Valenciennes",
        insee="59606",
        latitude=lat,
        longitude=lon,
        served=frozenset(served),
    )


def test_distance_between_valenciennes_and_lille_is_about_45_km() -> None:
    assert 44 < distance_km(50.3579, 3.5234, 50.6292, 3.0573) < 46


def test_serving_places_come_first_then_the_nearest_within_reach() -> None:
    directory = Directory(
        (
            place("far-but-serving", 50.45, 3.59, {"59606"}),
            place("near", 50.358, 3.524, set()),
            place("second", 50.37, 3.50, set()),
            place("too-far", 48.85, 2.35, set()),
            place("serving-unlocated", None, None, {"59606"}),
        ),
        INFO,
        points={"59606": (50.3579, 3.5234)},
    )
    ids = [m.permanence.id for m in directory.best(insee="59606")]
    assert ids == ["far-but-serving", "serving-unlocated", "near"]
    located = directory.best(latitude=50.37, longitude=3.50, limit=3)
    assert [m.permanence.id for m in located] == ["second", "near", "far-but-serving"]
    assert all(m.distance_km is not None and m.distance_km < 50 for m in located)
    assert directory.best(latitude=43.30, longitude=5.37) == []  # Marseille: nothing near


def test_a_commune_without_point_gets_only_its_serving_places() -> None:
    directory = Directory((place("a", 50.0, 3.0, {"59001"}), place("b", 50.0, 3.0, set())), INFO)
    assert [m.permanence.id for m in directory.best(insee="59001")] == ["a"]
    assert directory.best(insee="75056") == []


def test_a_location_is_placed_in_the_nearest_commune_within_15_km() -> None:
    points = {"59606": (50.3579, 3.5234), "59014": (50.3723, 3.5050), "59350": (50.6292, 3.0573)}
    directory = Directory((), INFO, points=points)
    assert directory.commune_at(50.3700, 3.5070) == "59014"
    assert directory.commune_at(50.3570, 3.5240) == "59606"
    assert directory.commune_at(50.62, 3.06) == "59350"
    assert directory.commune_at(49.0, 2.0) is None
