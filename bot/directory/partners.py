"""Local partners that coordinators list by hand in a YAML file, matched to a domain and
to a place.

Each entry must say where its information comes from (`source`), like every address the
bot shows, and where it helps: the communes it serves (INSEE codes), whole EPCI (SIREN) or
départements, and/or its position with a radius. A partner is proposed only to a person
whose commune or position is inside that area: a partner far away is never shown, and a
place outside every partner's area gets none. A malformed file is refused at start-up
with one line naming the entry and the key (`bot/datafiles.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.datafiles import (
    DataFileError,
    FilledLine,
    ItemError,
    Line,
    YamlModel,
    read_yaml,
    validate,
)
from bot.directory.model import distance_km

DEFAULT_RADIUS_KM = 15.0


@dataclass(frozen=True)
class Place:
    """Where the person is, as far as the bot knows: a commune and/or a point."""

    insee: str | None = None
    epci: str | None = None
    departement: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class PartnersError(DataFileError):
    """The partners file cannot be used; the message is one line for the operator."""


def _as_list(value: object) -> object:
    """A single value stands for a list of one (`departements: 59`)."""
    return [value] if isinstance(value, str | int) else value


def _as_codes(value: object) -> object:
    listed = _as_list(value)
    if isinstance(listed, list):
        return [str(v).strip().upper() if isinstance(v, str | int) else v for v in listed]
    return listed


def _shaped(pattern: str, what: str) -> AfterValidator:
    shape = re.compile(pattern)

    def check(code: str) -> str:
        if not shape.match(code):
            raise ValueError(f"{code!r} is not a valid code ({what})")
        return code

    return AfterValidator(check)


def _known_domains(domains: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    known = (info.context or {}).get("domain")
    for index, domain in enumerate(domains):
        if known is not None and domain not in known:
            raise ItemError(f"unknown domain {domain!r} (known: {', '.join(known)})", index)
    return domains


Domains = Annotated[tuple[str, ...], BeforeValidator(_as_list), AfterValidator(_known_domains)]
Codes = BeforeValidator(_as_codes)
INSEE_CODE = "an INSEE code: 5 digits, or 2A/2B and 3 digits"
Insee = Annotated[str, _shaped(r"^(\d{5}|2[AB]\d{3})$", INSEE_CODE)]
Siren = Annotated[str, _shaped(r"^\d{9}$", "the SIREN of an EPCI: 9 digits")]
Departement = Annotated[str, _shaped(r"^(\d{2}|2[AB]|97\d)$", "2 digits, 2A, 2B or 97x")]


class Partner(YamlModel):
    """An association or service that helps locally."""

    name: FilledLine
    domains: Domains = ()  # journey domain ids; empty = every domain
    address: FilledLine
    contact: FilledLine
    source: FilledLine
    url: Line = ""
    note: Line = ""
    communes: Annotated[tuple[Insee, ...], Codes] = ()  # INSEE codes of the communes it serves
    epci: Annotated[tuple[Siren, ...], Codes] = ()  # SIREN of the EPCI whose communes it serves
    departements: Annotated[tuple[Departement, ...], Codes] = ()  # served as a whole
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    radius_km: float = Field(DEFAULT_RADIUS_KM, gt=0, le=200)  # around its position

    @field_validator("latitude", "longitude", "radius_km", mode="before")
    @classmethod
    def _a_number(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            numbers = "latitude, longitude and radius_km are numbers"
            raise ValueError(f"{value!r} is not a number ({numbers})")
        return value

    @model_validator(mode="after")
    def _an_area(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        if not (self.communes or self.epci or self.departements or self.latitude is not None):
            raise ValueError(
                "say where it helps (communes, epci, departements, or latitude and longitude)"
            )
        return self

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


class Partners(YamlModel):
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
    """Read the file (a missing file means no partners); PartnersError names the entry."""
    if not path.exists():
        return Partners()
    data = read_yaml(path, PartnersError) or {}
    return validate(Partners, data, path, PartnersError, {"domain": sorted(known_domains)})
