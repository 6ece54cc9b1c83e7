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
from urllib.parse import urlsplit

CONTENT_DIR = Path(__file__).parent

# The only sites a source shown to people may come from, with the name people read.
# A host matches itself and its subdomains. Mirrors, copies and secondary pages stay in
# the TOML files as comments for developers, never on screen (tests/test_sources.py).
OFFICIAL_SITES: dict[str, str] = {
    "legifrance.gouv.fr": "Légifrance",
    "service-public.gouv.fr": "Service-Public.gouv.fr",
    "defenseurdesdroits.fr": "Défenseur des droits",
    "antidiscriminations.fr": "antidiscriminations.fr (Défenseur des droits)",
    "justice.gouv.fr": "Ministère de la Justice",
    "justice.fr": "Justice.fr",
    "code.travail.gouv.fr": "Code du travail numérique",
    "travail-emploi.gouv.fr": "Ministère du Travail",
    "interieur.gouv.fr": "Ministère de l'Intérieur",
    "internet-signalement.gouv.fr": "PHAROS (ministère de l'Intérieur)",
    "haute-vienne.gouv.fr": "Préfecture de la Haute-Vienne",
    "vie-publique.fr": "Vie-publique.fr",
    "conseil-etat.fr": "Conseil d'État",
}


def official_site(url: str) -> str | None:
    """The readable name of the official site a URL belongs to, or None."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    matches = [h for h in OFFICIAL_SITES if host == h or host.endswith("." + h)]
    return OFFICIAL_SITES[max(matches, key=len)] if matches else None


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: an article or a page, and its address."""

    title: str
    url: str

    @property
    def site(self) -> str:
        """The official site's name (the host itself if it is not a known official site)."""
        return official_site(self.url) or (urlsplit(self.url).hostname or self.url)


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
    """The answers a passage can be filtered on.

    `legal` is True when a reason of the law was chosen, False when only "I don't know /
    another reason", None when not known; `employer` is asked in the work domain only.
    """

    domain: str | None = None
    situation: str | None = None
    criteria: frozenset[str] = frozenset()
    speaker: str | None = None
    evidence: frozenset[str] = frozenset()
    legal: bool | None = None
    employer: str | None = None


# What starts a delay (`starts` in rights.toml): the words are the summary's.
STARTS = frozenset({"facts", "revelation", "knowledge", "notification", "year_after"})


@dataclass(frozen=True)
class Passage:
    """One short message of legal or practical content, with the journeys it applies to.

    An empty filter tuple means "applies whatever the answer". `text` speaks to the person
    concerned ("vous"); `text_other` speaks of "la personne" to witnesses and helpers, and
    `text_witness`, when given, to witnesses only. `legal` (None: whatever the reasons)
    keeps a passage to journeys with (True) or without (False) a reason of the law;
    `employers` applies in the work domain only (public, private, unsure).

    A delay carries its length in `months`, what starts it (`starts`, one of STARTS) and
    `line`, the one line of the summary that a delegate reads; a deadline passage without
    `months` is a note (e.g. "the Défenseur des droits does not stop the delays").
    """

    id: str
    title: str
    text: str
    sources: tuple[Source, ...]
    text_other: str = ""
    text_witness: str = ""
    more: str = ""
    domains: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    exclude_situations: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    legal: bool | None = None
    months: int | None = None
    starts: str = ""
    line: str = ""

    def applies(self, answers: Answers) -> bool:
        """True when every non-empty filter of this passage matches the answers."""
        return (
            (not self.domains or answers.domain in self.domains)
            and (not self.situations or answers.situation in self.situations)
            and answers.situation not in self.exclude_situations
            and (not self.criteria or bool(answers.criteria & set(self.criteria)))
            and (not self.speakers or answers.speaker in self.speakers)
            and (not self.evidence or bool(answers.evidence & set(self.evidence)))
            and (self.legal is None or answers.legal is self.legal)
            and (
                not self.employers
                or answers.employer is None
                or answers.employer in self.employers
            )
        )

    def body(self, speaker: str | None) -> str:
        """The short text in the words that fit who is speaking."""
        if speaker == "witness" and self.text_witness:
            return self.text_witness
        if speaker in {"witness", "helper"} and self.text_other:
            return self.text_other
        return self.text


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
    employers: tuple[Option, ...]
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
        text_witness=raw.get("text_witness", ""),
        more=raw.get("more", ""),
        sources=_sources(raw),
        domains=tuple(raw.get("domains", ())),
        situations=tuple(raw.get("situations", ())),
        exclude_situations=tuple(raw.get("exclude_situations", ())),
        criteria=tuple(raw.get("criteria", ())),
        speakers=tuple(raw.get("speakers", ())),
        evidence=tuple(raw.get("evidence", ())),
        employers=tuple(raw.get("employers", ())),
        legal=raw.get("legal"),
        months=raw.get("months"),
        starts=raw.get("starts", ""),
        line=raw.get("line", ""),
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
        employers=tuple(_option(e) for e in journey["employer"]),
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
