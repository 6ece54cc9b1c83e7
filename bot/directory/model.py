"""What the bot knows of a permanence, and how the best ones for a person are chosen.

Plain dataclasses, no Telegram and no I/O: importers build them, `store` saves and
loads them, handlers render them. Ranking: the permanences that declare the person's
commune as served come first, then the others by distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import time

DEFENSEUR = "defenseur_droits"
EARTH_RADIUS_KM = 6371.0
GRID_DEGREES = 0.25
NEARBY_KM = 50.0  # beyond, a place that does not serve the commune is not "near"


@dataclass(frozen=True)
class OpeningRange:
    """One weekly opening slot; weekday 0 is Monday."""

    weekday: int
    opens: time
    closes: time
    note: str = ""


@dataclass(frozen=True)
class Phone:
    """A phone number as published, with its description."""

    number: str
    description: str = ""


@dataclass(frozen=True)
class Permanence:
    """A place where a delegate (or a local partner) receives people."""

    id: str
    kind: str  # the DILA type_service_local, e.g. "defenseur_droits", "mjd", "adil"
    name: str
    address_lines: tuple[str, ...]
    postal_code: str
    commune: str  # commune name as published
    insee: str  # INSEE code of the commune of the address ("" when the record omits it)
    latitude: float | None = None
    longitude: float | None = None
    phones: tuple[Phone, ...] = ()
    email: str = ""
    website: str = ""
    hours: tuple[OpeningRange, ...] = ()
    hours_notes: tuple[str, ...] = ()  # free-text remarks on opening hours, as published
    appointment: str = ""  # "sur rendez-vous" remarks, as published
    served: frozenset[str] = frozenset()  # INSEE codes of the communes it serves
    source_date: str = ""  # the record's last modification date, as published (YYYY-MM-DD)
    url: str = ""  # the record's page on lannuaire.service-public.gouv.fr, when known
    accessible_phones: tuple[Phone, ...] = ()  # `telephone_accessible`, as published
    accessibility: str = ""  # the address's `accessibilite` code as published ("ACC", "DEM"…)
    accessibility_note: str = ""  # the address's `note_accessibilite`, verbatim

    @property
    def located(self) -> bool:
        """True when the record has coordinates."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class DirectoryInfo:
    """Where the directory in service comes from: what the licence asks to show."""

    attribution: str  # "Service-Public.gouv.fr / DILA"
    file_name: str  # name of the downloaded file (or "API" for a sync)
    file_date: str  # date of that file or sync (YYYY-MM-DD)
    download_url: str  # the long download URL
    sample: bool = False  # sample data: every screen showing it must say so
    loaded: dict[str, int] = field(default_factory=dict)  # kind -> count
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    records: int = 0  # records read from the file or the API
    rules: dict[str, int] = field(default_factory=dict)  # delegate rule -> records matching it


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a few metres at this scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Match:
    """A permanence proposed to a person, and why."""

    permanence: Permanence
    serves_commune: bool
    distance_km: float | None


@dataclass
class Directory:
    """The permanences in service, indexed for look-ups, plus commune reference points.

    `points` maps an INSEE code to a reference point of the commune (its town hall in the
    same official data), used when a person gives a postal code or a name, not a location.
    """

    permanences: tuple[Permanence, ...]
    info: DirectoryInfo
    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    _serving: dict[str, list[Permanence]] = field(default_factory=dict, init=False, repr=False)
    _by_kind: dict[str, list[Permanence]] = field(default_factory=dict, init=False, repr=False)
    _grid: dict[tuple[int, int], list[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for permanence in self.permanences:
            self._by_kind.setdefault(permanence.kind, []).append(permanence)
            for code in permanence.served:
                self._serving.setdefault(code, []).append(permanence)
        for code, (lat, lon) in self.points.items():
            self._grid.setdefault(_cell(lat, lon), []).append(code)

    def commune_at(self, latitude: float, longitude: float, max_km: float = 15.0) -> str | None:
        """The INSEE code of the nearest commune reference point within `max_km`, if any.

        A grid of 0.25° cells keeps this to a few dozen distances instead of 35,000.
        """
        row, col = _cell(latitude, longitude)
        reach = 1 + int(max_km // 18)  # a cell is at least ~18 km wide in metropolitan France
        best: tuple[float, str] | None = None
        for d_row in range(-reach, reach + 1):
            for d_col in range(-reach, reach + 1):
                for code in self._grid.get((row + d_row, col + d_col), ()):
                    far = distance_km(latitude, longitude, *self.points[code])
                    if far <= max_km and (best is None or far < best[0]):
                        best = (far, code)
        return best[1] if best else None

    def best(
        self,
        *,
        insee: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        kind: str = DEFENSEUR,
        limit: int = 3,
        max_km: float = NEARBY_KM,
    ) -> list[Match]:
        """The `limit` best permanences of `kind`: serving the commune first, then nearest.

        The distance is measured from the person's location when given, else from the
        commune's reference point; without either, only the serving ones are returned.
        Places that do not serve the commune are proposed only within `max_km`.
        """
        if latitude is None or longitude is None:
            point = self.points.get(insee or "")
            latitude, longitude = point if point else (None, None)
        serving = [p for p in self._serving.get(insee or "", []) if p.kind == kind]
        ranked = [self._match(p, True, latitude, longitude) for p in serving]
        ranked.sort(key=_order)
        if len(ranked) < limit and latitude is not None and longitude is not None:
            chosen = {m.permanence.id for m in ranked}
            others = [
                self._match(p, False, latitude, longitude)
                for p in self._by_kind.get(kind, [])
                if p.id not in chosen and p.located
            ]
            near = [m for m in others if m.distance_km is not None and m.distance_km <= max_km]
            ranked += sorted(near, key=_order)[: limit - len(ranked)]
        return ranked[:limit]

    @staticmethod
    def _match(p: Permanence, serves: bool, lat: float | None, lon: float | None) -> Match:
        far = None
        if (
            lat is not None
            and lon is not None
            and p.latitude is not None
            and p.longitude is not None
        ):
            far = distance_km(lat, lon, p.latitude, p.longitude)
        return Match(p, serves, far)


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return (math.floor(latitude / GRID_DEGREES), math.floor(longitude / GRID_DEGREES))


def _order(match: Match) -> tuple[float, str]:
    return (match.distance_km if match.distance_km is not None else math.inf, match.permanence.name)
