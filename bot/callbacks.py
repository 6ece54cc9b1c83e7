"""The data behind inline buttons: one small frozen dataclass per thing a button does.

A button is packed as `j1|tag|field|field…`, each field written by its type (a content id,
a small number, a yes/no), never anything a person typed. The data is plain text, so a
button still parses after a restart; a button whose conversation is gone, or forged data,
is answered by the catch-all handlers. `pack` refuses data over Telegram's 64 bytes and
`parse` returns None for anything `pack` could not have made.

    @dataclass(frozen=True)
    class Page(Callback, tag="page"):
        index: int

    Page(2).pack() == "j1|page|2";  Callback.parse("j1|page|2") == Page(2)
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, ClassVar, Literal

from bot.stats.figures import Breakdown, Period

PREFIX = "j1"
MAX_BYTES = 64
_ID = re.compile(r"^[a-z0-9_]{0,40}$")  # a content id, a period id: what a `str` field holds
_NUMBER = re.compile(r"^[0-9]{1,3}$")  # an `int` field: a page or a list index
KINDS: dict[str, type[Callback]] = {}  # every kind of button, by tag

# `str` fields that are not content ids say what they hold.
LanguageCode = Annotated[str, re.compile(r"^[a-z]{2,3}(@[a-z]{1,10})?$")]  # "fr@falc"
InseeCode = Annotated[str, re.compile(r"^[0-9][0-9AB][0-9]{3}$")]  # "59606", "2A004"


class Callback:
    """What one button does, with its typed values; subclasses name their tag."""

    tag: ClassVar[str]

    def __init_subclass__(cls, *, tag: str | None = None, **kwargs: Any) -> None:
        """Register a kind of button under its tag (a base without a tag is no button)."""
        super().__init_subclass__(**kwargs)
        if tag is None:
            return
        if tag in KINDS or not re.fullmatch(r"[a-z]{1,8}", tag):
            raise ValueError(f"callback tag {tag!r} is taken or malformed")
        cls.tag = tag
        KINDS[tag] = cls

    def pack(self) -> str:
        """Encode for Telegram; raise ValueError when a value is invalid or over 64 bytes."""
        values = [_write(getattr(self, f.name), hint) for f, hint in _fields(type(self))]
        data = "|".join([PREFIX, self.tag, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
        return data

    @staticmethod
    def parse(data: object) -> Callback | None:
        """Decode data from Telegram; None for anything not made by `pack`."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            return None
        return _parse(data)


@functools.lru_cache(maxsize=512)  # each press is matched against many handlers' patterns
def _parse(data: str) -> Callback | None:
    prefix, _sep, rest = data.partition("|")
    tag, _sep, values = rest.partition("|")
    kind = KINDS.get(tag)
    if prefix != PREFIX or kind is None:
        return None
    fields = _fields(kind)
    parts = values.split("|") if fields or values else []
    if len(parts) != len(fields):
        return None
    try:
        pairs = zip(fields, parts, strict=True)
        return kind(**{f.name: _read(text, hint) for (f, hint), text in pairs})
    except ValueError:
        return None


_FIELDS: dict[str, list[tuple[dataclasses.Field[Any], Any]]] = {}


def _fields(kind: type[Callback]) -> list[tuple[dataclasses.Field[Any], Any]]:
    """A kind's fields and their types (resolved once: it is read at every press)."""
    if kind.tag not in _FIELDS:
        hints = typing.get_type_hints(kind, include_extras=True)
        fields = dataclasses.fields(kind)  # type: ignore[arg-type]
        _FIELDS[kind.tag] = [(f, hints[f.name]) for f in fields]
    return _FIELDS[kind.tag]


def _pattern(hint: Any) -> re.Pattern[str]:
    if hint is int:
        return _NUMBER
    if typing.get_origin(hint) is Annotated:
        return next(m for m in hint.__metadata__ if isinstance(m, re.Pattern))
    return _ID


def _write(value: object, hint: Any) -> str:
    if hint is bool:
        return "1" if value else "0"
    if isinstance(value, Period):
        text = value.button
    else:
        text = value.value if isinstance(value, Enum) else str(value)
    _read(text, hint)  # what cannot be read back is not written
    return text


def _read(text: str, hint: Any) -> object:
    if hint is bool:
        if text not in {"0", "1"}:
            raise ValueError(f"callback value {text!r} is not a yes/no")
        return text == "1"
    if hint is Period:
        period = Period.parse(text)
        if period is None or text != period.button:
            raise ValueError(f"callback value {text!r} is not a period")
        return period
    if not _pattern(hint).match(text):
        raise ValueError(f"callback value {text!r} is not a content id or number")
    if typing.get_origin(hint) is Literal and text not in typing.get_args(hint):
        raise ValueError(f"callback value {text!r} is not one of {typing.get_args(hint)}")
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(text)  # ValueError when not one of its values
    return int(text) if hint is int else text


def matches(*kinds: type[Callback]) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern accepting well-formed data of these kinds."""

    def check(data: object) -> bool:
        return isinstance(Callback.parse(data), kinds)

    return check


# The journey, in the order a person meets the buttons.
@dataclass(frozen=True)
class Start(Callback, tag="start"):
    """A new journey ("Recommencer")."""


@dataclass(frozen=True)
class Begin(Callback, tag="begin"):
    """From the welcome (or the short way's results) to the first question."""


@dataclass(frozen=True)
class Nearby(Callback, tag="nearby"):
    """The welcome's "find help near me": straight to the referral."""


@dataclass(frozen=True)
class Choice(Callback):
    """Base of the one-of-the-options answers; `id` is a content option's id."""

    id: str


@dataclass(frozen=True)
class Speaker(Choice, tag="spk"):
    """Who is speaking."""


@dataclass(frozen=True)
class Domain(Choice, tag="dom"):
    """Where it happened."""


@dataclass(frozen=True)
class Situation(Choice, tag="sit"):
    """The kind of situation in that domain."""


@dataclass(frozen=True)
class Employer(Choice, tag="emp"):
    """Public or private employer (work only)."""


@dataclass(frozen=True)
class Criterion(Choice, tag="crit"):
    """Tick or untick a criterion group."""


@dataclass(frozen=True)
class When(Choice, tag="when"):
    """When it happened."""


@dataclass(frozen=True)
class Evidence(Choice, tag="ev"):
    """Tick or untick an evidence kind."""


@dataclass(frozen=True)
class Done(Callback, tag="done"):
    """Confirm a multiple choice, or skip the free text."""


@dataclass(frozen=True)
class Page(Callback, tag="page"):
    """Go to a rights page."""

    index: int


@dataclass(frozen=True)
class More(Callback, tag="more"):
    """Show or hide the longer side of a rights page."""


@dataclass(frozen=True)
class Sources(Callback, tag="src"):
    """Show or hide the sources of a rights page."""


@dataclass(frozen=True)
class Next(Callback, tag="next"):
    """On to the next stage (the referral, then the summary)."""


@dataclass(frozen=True)
class Commune(Callback, tag="commune"):
    """A commune picked among several, by its INSEE code."""

    insee: InseeCode


@dataclass(frozen=True)
class Search(Callback, tag="search"):
    """Look for another commune (`none_of_these`: none of the names proposed was right)."""

    none_of_these: bool = False


PlaceView = Literal["card", "map", "pick"]


@dataclass(frozen=True)
class Place(Callback, tag="place"):
    """A permanence proposed: its card, its pin on a map, or keep it for the summary."""

    view: PlaceView
    index: int


@dataclass(frozen=True)
class Partners(Callback, tag="partners"):
    """Every local partner proposed for this place."""


UsefulAnswer = Literal["yes", "partly", "no"]


@dataclass(frozen=True)
class Useful(Callback, tag="useful"):
    """The anonymous "was it useful?" answer."""

    answer: UsefulAnswer


# Always available.
InfoTopic = Literal["emergency", "remote", "criteria"]


@dataclass(frozen=True)
class Info(Callback, tag="info"):
    """An information screen over the panel."""

    topic: InfoTopic


@dataclass(frozen=True)
class WhatIs(Callback, tag="whatis"):
    """A page of "what is discrimination?"."""

    page: int


@dataclass(frozen=True)
class Channel(Callback, tag="channel"):
    """A remote channel's details, by its content id."""

    id: str


@dataclass(frozen=True)
class Languages(Callback, tag="lang"):
    """The language list."""


@dataclass(frozen=True)
class Language(Callback, tag="lng"):
    """Pick a language, by its catalog code ("fr@falc")."""

    code: LanguageCode


@dataclass(frozen=True)
class Back(Callback, tag="back"):
    """ "Retour": the previous question."""


@dataclass(frozen=True)
class Resume(Callback, tag="resume"):
    """ "Revenir": from an information screen to the question it was opened over."""


@dataclass(frozen=True)
class Help(Callback, tag="help"):
    """The help screen."""


@dataclass(frozen=True)
class Exit(Callback, tag="exit"):
    """ "Quitter": the end screen."""


@dataclass(frozen=True)
class Erase(Callback, tag="erase"):
    """Delete the conversation's messages and forget the session."""


# Coordinators.
@dataclass(frozen=True)
class Periods(Callback, tag="periods"):
    """The choice of the latest periods."""


@dataclass(frozen=True)
class OtherPeriods(Callback, tag="others"):
    """The list of earlier periods."""


@dataclass(frozen=True)
class Stats(Callback, tag="stats"):
    """A period of the figures (packed as "m202603", "q20261", "y2026")."""

    period: Period


@dataclass(frozen=True)
class Figures(Callback, tag="figures"):
    """The figures of a period, in one breakdown."""

    period: Period
    breakdown: Breakdown
