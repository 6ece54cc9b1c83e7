"""Drawing screens without Telegram: a stand-in for the handlers' context, the journeys a
person can make, and what a phone shows of a message (its visible characters).

The screen functions of `handlers/` read only the session, the content, the catalogs and
the person's translator from their context; `screen_context` gives them exactly that, so
that every screen of every language can be drawn in a fraction of a second.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from bot.content import Content
from bot.context import BotContext
from bot.i18n import Catalogs, Translator
from bot.session import Journey, Session

MAX_VISIBLE = 700  # characters a screen may show, title, notes and source line included
TAG = re.compile(r"<[^>]+>")
# Bidirectional controls (isolates, embeddings, marks) take no room on screen.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def visible(text: str) -> str:
    """What a person reads of a Telegram HTML message: no tags, entities decoded, no
    bidirectional controls."""
    return html.unescape(TAG.sub("", text)).translate(BIDI_CONTROLS)


@dataclass
class _BotData:
    content: Content
    catalogs: Catalogs
    directory: object | None = None


@dataclass
class _ScreenContext:
    bot_data: _BotData
    session: Session
    language: str
    telegram_language: str | None = None
    _translator: Translator | None = field(default=None, repr=False)

    @property
    def t(self) -> Translator:
        return self.bot_data.catalogs.translator(self.language)

    def _(self, message: str) -> str:
        return self.t.gettext(message)


def screen_context(
    content: Content, catalogs: Catalogs, language: str, journey: Journey | None = None
) -> BotContext:
    """A context good enough for drawing screens (never for sending anything)."""
    session = Session(language=language)
    if journey is not None:
        session.journey = journey
    return cast(BotContext, _ScreenContext(_BotData(content, catalogs), session, language))


@dataclass(frozen=True)
class Case:
    """One set of answers."""

    speaker: str
    domain: str
    situation: str | None
    employer: str | None
    criteria: frozenset[str]
    timing: str
    evidence: frozenset[str]

    def journey(self) -> Journey:
        """A fresh journey with these answers."""
        return Journey(
            speaker=self.speaker,
            domain=self.domain,
            situation=self.situation,
            employer=self.employer,
            criteria=set(self.criteria),
            timing=self.timing,
            evidence=set(self.evidence),
        )


UNSURE = "unsure"  # the situation "Autre, ou je ne sais pas" (handlers/situation.py)


def cases(
    content: Content,
    *,
    criteria: tuple[frozenset[str], ...] = (frozenset({"origin"}), frozenset({"unknown"})),
    timings: tuple[str, ...] | None = None,
    evidence: tuple[frozenset[str], ...] = (frozenset({"none"}),),
) -> Iterator[Case]:
    """Every speaker × domain × situation (and "unsure") × employer (work only) ×
    criteria × timing × evidence given."""
    periods = timings or tuple(t.id for t in content.timings)
    for domain in content.domains:
        situations: list[str | None] = [s.id for s in domain.situations]
        situations += [UNSURE] if domain.situations else [None]
        employers: list[str | None] = (
            [e.id for e in content.employers] if domain.id == "work" else [None]
        )
        for speaker, situation, employer, reasons, timing, kinds in itertools.product(
            [s.id for s in content.speakers], situations, employers, criteria, periods, evidence
        ):
            yield Case(speaker, domain.id, situation, employer, reasons, timing, kinds)
