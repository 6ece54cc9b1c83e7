"""What the bot counts, and when: the one file a privacy review reads.

Everything stored is a monthly counter keyed by a metric and at most two coarse
dimensions, all content ids (bot/counters.py). This module turns what happened in a
conversation (a `Transition`) into the counter `Event`s it causes, as a pure function:
no message text, no id, no time finer than the month ever reaches a counter, and
tests/test_metrics.py reads as the table of what is counted. Handlers hand the events to
`Counting.increment` through `handlers.flow.count`, which also keeps the "at most once"
rule: an event with a `once` key is counted the first time its key is seen in this journey
(or, for `Scope.SESSION`, this conversation), and all events sharing a key count together.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from bot.content import Answers
from bot.counters import Metric
from bot.outreach import DIRECT, UNKNOWN
from bot.states import Stage


class Scope(StrEnum):
    """How long a `once` key is remembered (memory only, forgotten with the session)."""

    JOURNEY = "journey"  # until "Recommencer"
    SESSION = "session"  # until the conversation ends


@dataclass(frozen=True)
class Once:
    """An event counted at most once per journey or session."""

    scope: Scope
    key: str


@dataclass(frozen=True)
class Event:
    """One increment of one counter."""

    metric: Metric
    dim1: str = ""
    dim2: str = ""
    once: Once | None = None


@dataclass(frozen=True)
class Started:
    """A journey began (/start, a first message, "Recommencer"), maybe from a deep link
    whose payload is any text someone wrote in a link: only a known code is counted."""

    language: str
    payload: str | None = None
    known: Collection[str] = ()


@dataclass(frozen=True)
class Entered:
    """The person reached a stage, with the answers given so far (counted on the rights
    pages only)."""

    stage: Stage
    answers: Answers = field(default_factory=Answers)
    timing: str | None = None


@dataclass(frozen=True)
class ShortWay:
    """The welcome's "find help near me", straight to the referral."""


@dataclass(frozen=True)
class Searched:
    """A place was given: "location", "postal_code", "name" (never what was typed), or
    "empty" (nothing to search: not counted)."""

    how: str


@dataclass(frozen=True)
class Located:
    """The commune of that search, when one was found; counted only inside the configured
    territory, as its INSEE code, else as "outside"."""

    insee: str | None
    territory: Collection[str]


@dataclass(frozen=True)
class Rated:
    """The anonymous "was it useful?" answer."""

    answer: str


@dataclass(frozen=True)
class Erased:
    """The person erased the conversation."""


Transition = Started | Entered | ShortWay | Searched | Located | Rated | Erased

ANSWERS = Once(Scope.JOURNEY, "answers")
NEARBY_STEP = "nearby"  # the funnel step of the short way to a delegate
ERASED_STEP = "erased"


def _step(name: str) -> Event:
    return Event(Metric.STEP, name, once=Once(Scope.JOURNEY, f"step:{name}"))


def _answers(entered: Entered) -> list[Event]:
    """The journey's answers, counted once, when the questions are behind."""
    answers = entered.answers
    domain = answers.domain or ""
    events = [Event(Metric.SPEAKER, answers.speaker or ""), Event(Metric.DOMAIN, domain)]
    if answers.situation:
        events.append(Event(Metric.SITUATION, domain, answers.situation))
    events += [Event(Metric.CRITERION, domain, c) for c in sorted(answers.criteria)]
    events.append(Event(Metric.TIMING, entered.timing or ""))
    events += [Event(Metric.EVIDENCE, kind) for kind in sorted(answers.evidence)]
    return [Event(e.metric, e.dim1, e.dim2, once=ANSWERS) for e in events]


def counts(transition: Transition) -> list[Event]:  # noqa: PLR0911 - one case per kind
    """The counter events a transition causes (before the "once" rule)."""
    match transition:
        case Started(language, payload, known):
            source = (payload if payload in known else UNKNOWN) if payload else DIRECT
            return [
                Event(Metric.LANGUAGE, language),
                Event(Metric.SOURCE, source, once=Once(Scope.SESSION, "source")),
            ]
        case Entered(stage=Stage.RIGHTS):
            return [_step(Stage.RIGHTS.value), *_answers(transition)]
        case Entered(stage=Stage.SUMMARY):  # the end screen comes with the summary
            return [_step(Stage.SUMMARY.value), _step(Stage.END.value)]
        case Entered(stage):
            return [_step(stage.value)]
        case ShortWay():
            return [_step(NEARBY_STEP)]
        case Searched(how):
            return [] if how == "empty" else [Event(Metric.REFERRAL, how)]
        case Located(insee, territory):
            if not territory:
                return []
            inside = insee is not None and insee in territory
            once = Once(Scope.JOURNEY, "territory")
            return [Event(Metric.TERRITORY, insee if inside and insee else "outside", once=once)]
        case Rated(answer):
            return [Event(Metric.USEFUL, answer, once=Once(Scope.JOURNEY, "useful"))]
        case Erased():
            return [Event(Metric.STEP, ERASED_STEP)]
    return []  # pragma: no cover - the match is exhaustive


def not_yet_counted(events: list[Event], journey: set[str], session: set[str]) -> list[Event]:
    """The events still to count under the "once" rule, noting their keys as counted."""
    seen = {Scope.JOURNEY: journey, Scope.SESSION: session}
    fresh = {e.once for e in events if e.once and e.once.key not in seen[e.once.scope]}
    for once in fresh:
        seen[once.scope].add(once.key)
    return [e for e in events if e.once is None or e.once in fresh]
