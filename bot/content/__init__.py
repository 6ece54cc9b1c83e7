"""Content as data: the journey's choices and the legal texts, loaded from TOML files.

Every word a person reads here is a French msgid: handlers translate it at render time
with the person's catalog. Legal passages carry their sources; `tests/test_content.py`
fails when one does not. Adding a criterion or a route is a data edit plus a catalog update.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: an article or a page, and its address."""

    title: str
    url: str


@dataclass(frozen=True)
class Option:
    """One answer to a question: a stable id (callback data, counters) and a button label."""

    id: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Domain(Option):
    """Where it happened, with the kinds of situation the law distinguishes there."""

    situations: tuple[Option, ...] = ()


@dataclass(frozen=True)
class CriterionGroup(Option):
    """Plain-language group of legal criteria, selectable as one button."""

    criteria: tuple[str, ...] = ()
    legal: bool = True


@dataclass(frozen=True)
class Timing(Option):
    """How long ago it happened, as a range of months (None: no upper bound)."""

    min_months: int = 0
    max_months: int | None = None


@dataclass(frozen=True)
class Answers:
    """The answers a passage can be filtered on."""

    domain: str | None = None
    situation: str | None = None
    criteria: frozenset[str] = frozenset()
    speaker: str | None = None
    evidence: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Passage:
    """One short message of legal or practical content, with the journeys it applies to.

    An empty filter tuple means "applies whatever the answer"; `text_other` speaks of
    "the person" for witnesses and helpers.
    """

    id: str
    title: str
    text: str
    sources: tuple[Source, ...]
    text_other: str = ""
    more: str = ""
    domains: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    years: int | None = None

    def applies(self, answers: Answers) -> bool:
        """True when every non-empty filter of this passage matches the answers."""
        return (
            (not self.domains or answers.domain in self.domains)
            and (not self.situations or answers.situation in self.situations)
            and (not self.criteria or bool(answers.criteria & set(self.criteria)))
            and (not self.speakers or answers.speaker in self.speakers)
            and (not self.evidence or bool(answers.evidence & set(self.evidence)))
        )


@dataclass(frozen=True)
class Contact:
    """A number or channel to reach someone, always with its source."""

    id: str
    title: str
    text: str
    sources: tuple[Source, ...]
    phone: str = ""
    url: str = ""
    address: str = ""

    @property
    def reach(self) -> str:
        """How to reach it in one line: number, address or link."""
        return self.phone or self.address or self.url


@dataclass(frozen=True)
class Content:
    """Everything the journey shows, as loaded from the TOML files."""

    speakers: tuple[Option, ...]
    domains: tuple[Domain, ...]
    criterion_groups: tuple[CriterionGroup, ...]
    timings: tuple[Timing, ...]
    evidence_kinds: tuple[Option, ...]
    what_is: tuple[Passage, ...]
    laws: tuple[Passage, ...]
    not_discrimination: tuple[Passage, ...]
    routes: tuple[Passage, ...]
    deadlines: tuple[Passage, ...]
    evidence_advice: tuple[Passage, ...]
    emergency: tuple[Contact, ...]
    remote_channels: tuple[Contact, ...]

    def domain(self, domain_id: str | None) -> Domain | None:
        """The domain with this id, or None."""
        return next((d for d in self.domains if d.id == domain_id), None)

    def all_passages(self) -> tuple[Passage, ...]:
        """Every passage of legal content, for checks that each cites a source."""
        return (
            self.what_is
            + self.laws
            + self.not_discrimination
            + self.routes
            + self.deadlines
            + self.evidence_advice
        )


def _sources(raw: dict[str, Any]) -> tuple[Source, ...]:
    return tuple(Source(title=s["title"], url=s["url"]) for s in raw.get("sources", ()))


def _option(raw: dict[str, Any]) -> Option:
    return Option(id=raw["id"], label=raw["label"], hint=raw.get("hint", ""))


def _passage(raw: dict[str, Any]) -> Passage:
    return Passage(
        id=raw["id"],
        title=raw.get("title", ""),
        text=raw["text"],
        text_other=raw.get("text_other", ""),
        more=raw.get("more", ""),
        sources=_sources(raw),
        domains=tuple(raw.get("domains", ())),
        situations=tuple(raw.get("situations", ())),
        criteria=tuple(raw.get("criteria", ())),
        speakers=tuple(raw.get("speakers", ())),
        evidence=tuple(raw.get("evidence", ())),
        years=raw.get("years"),
    )


def _contact(raw: dict[str, Any]) -> Contact:
    return Contact(
        id=raw["id"],
        title=raw["title"],
        text=raw["text"],
        sources=_sources(raw),
        phone=raw.get("phone", ""),
        url=raw.get("url", ""),
        address=raw.get("address", ""),
    )


def _read(directory: Path, name: str) -> dict[str, Any]:
    with (directory / name).open("rb") as file:
        return tomllib.load(file)


def load_content(directory: Path = CONTENT_DIR) -> Content:
    """Read the TOML content files; a missing key raises KeyError naming it."""
    journey = _read(directory, "journey.toml")
    rights = _read(directory, "rights.toml")
    contacts = _read(directory, "contacts.toml")
    return Content(
        speakers=tuple(_option(s) for s in journey["speaker"]),
        domains=tuple(
            Domain(
                id=d["id"],
                label=d["label"],
                hint=d.get("hint", ""),
                situations=tuple(_option(s) for s in d.get("situation", ())),
            )
            for d in journey["domain"]
        ),
        criterion_groups=tuple(
            CriterionGroup(
                id=c["id"],
                label=c["label"],
                hint=c.get("hint", ""),
                criteria=tuple(c.get("criteria", ())),
                legal=c.get("legal", True),
            )
            for c in journey["criterion_group"]
        ),
        timings=tuple(
            Timing(
                id=t["id"],
                label=t["label"],
                min_months=t["min_months"],
                max_months=t.get("max_months"),
            )
            for t in journey["timing"]
        ),
        evidence_kinds=tuple(_option(e) for e in journey["evidence"]),
        what_is=tuple(_passage(p) for p in rights["what_is"]),
        laws=tuple(_passage(p) for p in rights["law"]),
        not_discrimination=tuple(_passage(p) for p in rights["not_discrimination"]),
        routes=tuple(_passage(p) for p in rights["route"]),
        deadlines=tuple(_passage(p) for p in rights["deadline"]),
        evidence_advice=tuple(_passage(p) for p in rights["evidence_advice"]),
        emergency=tuple(_contact(c) for c in contacts["emergency"]),
        remote_channels=tuple(_contact(c) for c in contacts["remote_channel"]),
    )


@cache
def default_content() -> Content:
    """The shipped content, loaded once per process."""
    return load_content()
