"""Local partners that coordinators list by hand in a YAML file, matched to a domain and
to a place.

Each entry must say where its information comes from (`source`), like every address the
bot shows, and where it helps: the communes it serves (INSEE codes), whole EPCI (SIREN) or
départements, and/or its position with a radius. A partner is proposed only to a person
whose commune or position is inside that area: a partner far away is never shown, and a
place outside every partner's area gets none. A malformed file is refused at start-up
with one line naming the entry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.directory.model import distance_km

REQUIRED = ("name", "address", "contact", "source")
DEFAULT_RADIUS_KM = 15.0
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_SIREN = re.compile(r"^\d{9}$")
_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")


@dataclass(frozen=True)
class Place:
    """Where the person is, as far as the bot knows: a commune and/or a point."""

    insee: str | None = None
    epci: str | None = None
    departement: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class PartnersError(Exception):
    """The partners file cannot be used; the message is one line for the operator."""


@dataclass(frozen=True)
class Partner:
    """An association or service that helps locally."""

    name: str
    domains: tuple[str, ...]  # journey domain ids; empty = every domain
    address: str
    contact: str
    source: str
    url: str = ""
    note: str = ""
    communes: tuple[str, ...] = ()  # INSEE codes of the communes it serves
    epci: tuple[str, ...] = ()  # SIREN of the EPCI whose communes it serves
    departements: tuple[str, ...] = ()  # départements it serves as a whole
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = DEFAULT_RADIUS_KM  # around its position, when it has one

    def fits(self, domain: str | None) -> bool:
        """True when the partner helps with this domain."""
        return not self.domains or domain in self.domains

    def reach(self, place: Place) -> float | None:
        """How well the partner covers this place: 0 for a commune it names, 1 for its EPCI,
        2 for its département, 3 + km for a point within its radius; None when outside."""
        if place.insee and place.insee in self.communes:
            return 0.0
        if place.epci and place.epci in self.epci:
            return 1.0
        if place.departement and place.departement in self.departements:
            return 2.0
        if (
            self.latitude is not None
            and self.longitude is not None
            and place.latitude is not None
            and place.longitude is not None
        ):
            far = distance_km(place.latitude, place.longitude, self.latitude, self.longitude)
            if far <= self.radius_km:
                return 3.0 + far
        return None


@dataclass(frozen=True)
class Partners:
    """The partners file as loaded."""

    partners: tuple[Partner, ...] = ()
    sample: bool = False

    def for_domain(self, domain: str | None) -> list[Partner]:
        """The partners that help with this domain, in file order (wherever they are)."""
        return [p for p in self.partners if p.fits(domain)]

    def near(self, domain: str | None, place: Place, limit: int = 3) -> list[Partner]:
        """The partners that help with this domain at this place, closest cover first."""
        found = [(p.reach(place), i, p) for i, p in enumerate(self.partners) if p.fits(domain)]
        ranked = sorted((reach, i, p) for reach, i, p in found if reach is not None)
        return [p for _, _, p in ranked[:limit]]


def load_partners(path: Path, known_domains: set[str]) -> Partners:
    """Read the file (a missing file means no partners)."""
    if not path.exists():
        return Partners()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PartnersError(f"{path}: cannot be read as YAML ({type(error).__name__})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("partners", []), list):
        raise PartnersError(f"{path}: expected a mapping with a 'partners' list")
    partners = tuple(
        _partner(entry, index, path, known_domains)
        for index, entry in enumerate(raw.get("partners") or [], start=1)
    )
    return Partners(partners, sample=bool(raw.get("sample", False)))


def _partner(entry: Any, index: int, path: Path, known_domains: set[str]) -> Partner:
    where = f"{path}: partner {index}"
    if not isinstance(entry, dict):
        raise PartnersError(f"{where}: expected name, domains, address, contact, source, area")
    missing = [key for key in REQUIRED if not str(entry.get(key) or "").strip()]
    if missing:
        raise PartnersError(f"{where}: missing {', '.join(missing)}")
    domains = entry.get("domains") or []
    if isinstance(domains, str):
        domains = [domains]
    unknown = [d for d in domains if d not in known_domains]
    if unknown:
        raise PartnersError(f"{where}: unknown domain {unknown[0]!r}")
    communes = _codes(entry, "communes", _INSEE, where)
    epci = _codes(entry, "epci", _SIREN, where)
    departements = _codes(entry, "departements", _DEPARTEMENT, where)
    latitude, longitude, radius = _position(entry, where)
    if not (communes or epci or departements or latitude is not None):
        raise PartnersError(
            f"{where}: say where it helps (communes, epci, departements, or latitude and longitude)"
        )
    return Partner(
        name=str(entry["name"]).strip(),
        domains=tuple(str(d) for d in domains),
        address=str(entry["address"]).strip(),
        contact=str(entry["contact"]).strip(),
        source=str(entry["source"]).strip(),
        url=str(entry.get("url") or "").strip(),
        note=str(entry.get("note") or "").strip(),
        communes=communes,
        epci=epci,
        departements=departements,
        latitude=latitude,
        longitude=longitude,
        radius_km=radius,
    )


def _codes(entry: dict[str, Any], key: str, shape: re.Pattern[str], where: str) -> tuple[str, ...]:
    """A list of codes (a single code is accepted), each checked against its shape."""
    raw = entry.get(key) or []
    values = [raw] if isinstance(raw, (str, int)) else raw
    if not isinstance(values, list):
        raise PartnersError(f"{where}: {key} must be a list of codes")
    codes = tuple(str(v).strip().upper() for v in values)
    wrong = [c for c in codes if not shape.match(c)]
    if wrong:
        raise PartnersError(f"{where}: {key}: {wrong[0]!r} is not a valid code")
    return codes


def _position(entry: dict[str, Any], where: str) -> tuple[float | None, float | None, float]:
    """latitude, longitude (both or neither) and radius_km."""
    lat, lon = entry.get("latitude"), entry.get("longitude")
    if (lat is None) != (lon is None):
        raise PartnersError(f"{where}: give both latitude and longitude, or neither")
    try:
        radius = float(entry.get("radius_km") or DEFAULT_RADIUS_KM)
        latitude = None if lat is None else float(lat)
        longitude = None if lon is None else float(lon)
    except (TypeError, ValueError):
        raise PartnersError(f"{where}: latitude, longitude and radius_km are numbers") from None
    if (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180 and 0 < radius <= 200)
    ):
        raise PartnersError(f"{where}: position or radius_km out of range")
    if not math.isfinite(radius):
        raise PartnersError(f"{where}: radius_km out of range")
    return latitude, longitude, radius
