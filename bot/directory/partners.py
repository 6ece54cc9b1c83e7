"""Local partners that coordinators list by hand in a YAML file, matched to a domain.

Each entry must say where its information comes from (`source`), like every address the
bot shows. A malformed file is refused at start-up with one line naming the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REQUIRED = ("name", "address", "contact", "source")


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

    def fits(self, domain: str | None) -> bool:
        """True when the partner helps with this domain."""
        return not self.domains or domain in self.domains


@dataclass(frozen=True)
class Partners:
    """The partners file as loaded."""

    partners: tuple[Partner, ...] = ()
    sample: bool = False

    def for_domain(self, domain: str | None) -> list[Partner]:
        """The partners that help with this domain, in file order."""
        return [p for p in self.partners if p.fits(domain)]


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
        raise PartnersError(f"{where}: expected name, domains, address, contact, source")
    missing = [key for key in REQUIRED if not str(entry.get(key) or "").strip()]
    if missing:
        raise PartnersError(f"{where}: missing {', '.join(missing)}")
    domains = entry.get("domains") or []
    if isinstance(domains, str):
        domains = [domains]
    unknown = [d for d in domains if d not in known_domains]
    if unknown:
        raise PartnersError(f"{where}: unknown domain {unknown[0]!r}")
    return Partner(
        name=str(entry["name"]).strip(),
        domains=tuple(str(d) for d in domains),
        address=str(entry["address"]).strip(),
        contact=str(entry["contact"]).strip(),
        source=str(entry["source"]).strip(),
        url=str(entry.get("url") or "").strip(),
        note=str(entry.get("note") or "").strip(),
    )
