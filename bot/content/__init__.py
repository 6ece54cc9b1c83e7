"""Content as data: the journey's choices and the legal texts, loaded from TOML files.

Every word a person reads here is a French msgid: handlers translate it at render time
with the person's catalog. Each file's shape is a pydantic model: a passage without a
source, a duplicate id or a filter naming no answer of journey.toml stops the loading with
one line naming the file, the item and the key (`bot/datafiles.py`). What is a matter of
style or coverage (lengths, wording, every answer getting a route) is checked by
`tests/test_content.py`. Adding a criterion or a route is a data edit plus a catalog update.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from bot.datafiles import (
    DataFileError,
    FileModel,
    ItemError,
    Text,
    Url,
    filled,
    shown,
    some,
    unique,
    validate,
)

CONTENT_DIR = Path(__file__).parent
File = TypeVar("File", bound=FileModel)
# Ids go into callback data and counters: never rename one, add a new one instead.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,16}$")]
# What starts a delay (`starts` in rights.toml): the words are the summary's.
Starts = Literal["facts", "revelation", "knowledge", "notification", "year_after"]
STARTS = frozenset(get_args(Starts))
Months = Annotated[StrictInt, Field(ge=0)]


class ContentError(DataFileError):
    """A content file that cannot be used; one line naming the file, the item and the key."""


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


class Source(FileModel):
    """Where a statement comes from: an article or a page, and its address."""

    title: Text
    url: Annotated[Url, AfterValidator(filled)]

    @property
    def site(self) -> str:
        """The official site's name (the host itself if it is not a known official site)."""
        return official_site(self.url) or (urlsplit(self.url).hostname or self.url)


Sources = Annotated[tuple[Source, ...], AfterValidator(some)]


class Option(FileModel):
    """One answer to a question: a stable id (callback data, counters) and a button label."""

    id: Id
    label: str
    hint: str = ""


class Domain(Option):
    """Where it happened, with the kinds of situation the law distinguishes there."""

    situations: tuple[Option, ...] = Field((), validation_alias="situation")


class CriterionGroup(Option):
    """Plain-language group of legal criteria, selectable as one button."""

    criteria: tuple[Text, ...] = ()
    legal: StrictBool = True

    @model_validator(mode="after")
    def _lists_its_criteria(self) -> Self:
        if self.legal and not self.criteria:
            raise ItemError("empty, but only a group with legal = false lists none", "criteria")
        return self


class Timing(Option):
    """How long ago it happened, as a range of months (None: no upper bound)."""

    min_months: Months = 0
    max_months: Months | None = None

    @model_validator(mode="after")
    def _a_range(self) -> Self:
        if self.max_months is not None and self.max_months < self.min_months:
            raise ItemError(f"less than min_months ({self.min_months})", "max_months")
        return self


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


def _known(kind: str, table: str = "") -> AfterValidator:
    """A filter of ids that must be ids of journey.toml (given as the validation context)."""

    def check(ids: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = (info.context or {}).get(kind)
        for index, value in enumerate(ids):
            if known is not None and value not in known:
                listed = f" ({', '.join(known)})" if len(known) <= 12 else ""
                where = f"[[{table or kind}]] in journey.toml{listed}"
                raise ItemError(f"{value!r} is not the id of a {where}", index)
        return ids

    return AfterValidator(check)


class Passage(FileModel):
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

    id: Id
    title: Text
    text: Text
    sources: Sources
    text_other: str = ""
    text_witness: str = ""
    more: str = ""
    domains: Annotated[tuple[str, ...], _known("domain")] = ()
    situations: Annotated[tuple[str, ...], _known("situation", "domain.situation")] = ()
    exclude_situations: Annotated[tuple[str, ...], _known("situation", "domain.situation")] = ()
    criteria: Annotated[tuple[str, ...], _known("criterion_group")] = ()
    speakers: Annotated[tuple[str, ...], _known("speaker")] = ()
    evidence: Annotated[tuple[str, ...], _known("evidence")] = ()
    employers: Annotated[tuple[str, ...], _known("employer")] = ()
    legal: StrictBool | None = None
    months: Annotated[Months, Field(gt=0)] | None = None
    starts: Literal[Starts, ""] = ""
    line: str = ""

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        owner: dict[str, str] = (info.context or {}).get("domain_of", {})
        for index, situation in enumerate(self.situations):
            domain = owner.get(situation)
            if self.domains and domain is not None and domain not in self.domains:
                where = f"a situation of {domain!r}, outside the passage's domains"
                raise ItemError(f"{situation!r} is {where}", "situations", index)
        delay = {"starts": "what starts the delay", "line": "the delay's line in the summary"}
        for key, what in delay.items():
            if self.months is not None and not getattr(self, key):
                raise ItemError(f"missing ({what}: the passage has months)", key)
            if self.months is None and getattr(self, key):
                raise ItemError("only a delay, with months, has starts and line", key)
        return self

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


class Contact(FileModel):
    """A number or channel to reach someone, always with its source."""

    id: Id
    title: Text
    text: Text
    sources: Sources
    phone: str = ""
    url: Url = ""
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


# --- the files --------------------------------------------------------------------------


def ids_of(model: BaseModel, key: str) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Each item's id in the list `key` of a file, with where it is (for `unique`)."""
    return ((item.id, (key, i, "id")) for i, item in enumerate(getattr(model, key)))


class Journey(FileModel):
    """journey.toml: the answers a person can give, in the order they are asked."""

    speaker: tuple[Option, ...]
    domain: tuple[Domain, ...]
    employer: tuple[Option, ...]
    criterion_group: tuple[CriterionGroup, ...]
    timing: tuple[Timing, ...]
    evidence: tuple[Option, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        for key in Journey.model_fields:
            unique(ids_of(self, key), "id")
        # Unique across domains too, so that a passage's `situations` filter is unambiguous.
        situations = (
            (s.id, ("domain", d, "situation", i, "id"))
            for d, domain in enumerate(self.domain)
            for i, s in enumerate(domain.situations)
        )
        unique(situations, "situation id")
        return self

    def ids(self) -> dict[str, Any]:
        """The ids passages may name, by kind: the validation context of rights.toml."""
        owner = {s.id: d.id for d in self.domain for s in d.situations}
        known = {key: [o.id for o in getattr(self, key)] for key in Journey.model_fields}
        return known | {"situation": list(owner), "domain_of": owner}


class Rights(FileModel):
    """rights.toml: the legal and practical passages, by section."""

    what_is: tuple[Passage, ...]
    law: tuple[Passage, ...]
    not_discrimination: tuple[Passage, ...]
    route: tuple[Passage, ...]
    deadline: tuple[Passage, ...]
    evidence_advice: tuple[Passage, ...]

    @model_validator(mode="after")
    def _checks(self) -> Self:
        passages = [(k, i, p) for k in Rights.model_fields for i, p in enumerate(getattr(self, k))]
        # Unique across sections: a passage id names one message in counters and logs.
        unique(((p.id, (key, i, "id")) for key, i, p in passages), "passage id")
        for key, i, passage in passages:
            if key != "deadline" and passage.months is not None:
                raise ItemError("only a [[deadline]] has months", key, i, "months")
        return self


class Contacts(FileModel):
    """contacts.toml: the emergency numbers and the remote channels."""

    emergency: tuple[Contact, ...]
    remote_channel: tuple[Contact, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        for key in Contacts.model_fields:
            unique(ids_of(self, key), "id")
        return self


def _load(model: type[File], path: Path, context: dict[str, Any] | None = None) -> File:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{shown(path)}: cannot be read as TOML ({error})") from None
    return validate(model, data, path, ContentError, context)


def load_content(directory: Path = CONTENT_DIR) -> Content:
    """Read and check the TOML content files; ContentError names the file, item and key."""
    journey = _load(Journey, directory / "journey.toml")
    rights = _load(Rights, directory / "rights.toml", journey.ids())
    contacts = _load(Contacts, directory / "contacts.toml")
    return Content(
        speakers=journey.speaker,
        domains=journey.domain,
        employers=journey.employer,
        criterion_groups=journey.criterion_group,
        timings=journey.timing,
        evidence_kinds=journey.evidence,
        what_is=rights.what_is,
        laws=rights.law,
        not_discrimination=rights.not_discrimination,
        routes=rights.route,
        deadlines=rights.deadline,
        evidence_advice=rights.evidence_advice,
        emergency=contacts.emergency,
        remote_channels=contacts.remote_channel,
    )


@cache
def default_content() -> Content:
    """The shipped content, loaded once per process."""
    return load_content()
