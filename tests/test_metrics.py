"""What is counted, as a table: each transition of a conversation and the counter events it
causes (bot/metrics.py), then the "at most once" rule. A privacy review reads this file and
bot/metrics.py; nothing else increments a counter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content import Answers
from bot.counters import Metric
from bot.metrics import (
    ANSWERS,
    Entered,
    Erased,
    Event,
    Located,
    Once,
    Rated,
    Scope,
    Searched,
    ShortWay,
    Started,
    Transition,
    counts,
    not_yet_counted,
)
from bot.states import Stage

ROOT = Path(__file__).resolve().parent.parent


def step(name: str) -> Event:
    return Event(Metric.STEP, name, once=Once(Scope.JOURNEY, f"step:{name}"))


def answer(metric: Metric, dim1: str, dim2: str = "") -> Event:
    return Event(metric, dim1, dim2, once=ANSWERS)


ANSWERED = Entered(
    Stage.RIGHTS,
    Answers(
        speaker="witness",
        domain="work",
        situation="hiring",
        criteria=frozenset({"origin", "age"}),
        evidence=frozenset({"writings", "witnesses"}),
    ),
    timing="lt6m",
)
TERRITORY = frozenset({"59606", "59009"})
KNOWN = frozenset({"cs_anzin", "affiche_gare"})

TABLE: list[tuple[Transition, list[Event]]] = [
    (
        Started("ar", "cs_anzin", KNOWN),
        [
            Event(Metric.LANGUAGE, "ar"),
            Event(Metric.SOURCE, "cs_anzin", once=Once(Scope.SESSION, "source")),
        ],
    ),
    (
        Started("fr", "Jean_Dupont_06", KNOWN),  # a link someone made up: never verbatim
        [
            Event(Metric.LANGUAGE, "fr"),
            Event(Metric.SOURCE, "unknown", once=Once(Scope.SESSION, "source")),
        ],
    ),
    (
        Started("fr", None, KNOWN),
        [
            Event(Metric.LANGUAGE, "fr"),
            Event(Metric.SOURCE, "direct", once=Once(Scope.SESSION, "source")),
        ],
    ),
    (Entered(Stage.WELCOME), [step("welcome")]),
    (Entered(Stage.DOMAIN, Answers(speaker="self")), [step("domain")]),  # wait for the rights
    (
        ANSWERED,
        [
            step("rights"),
            answer(Metric.SPEAKER, "witness"),
            answer(Metric.DOMAIN, "work"),
            answer(Metric.SITUATION, "work", "hiring"),
            answer(Metric.CRITERION, "work", "age"),
            answer(Metric.CRITERION, "work", "origin"),
            answer(Metric.TIMING, "lt6m"),
            answer(Metric.EVIDENCE, "witnesses"),
            answer(Metric.EVIDENCE, "writings"),
        ],
    ),
    (
        Entered(Stage.RIGHTS, Answers(domain="housing")),  # the short way: no questions
        [
            step("rights"),
            answer(Metric.SPEAKER, ""),
            answer(Metric.DOMAIN, "housing"),
            answer(Metric.TIMING, ""),
        ],
    ),
    (Entered(Stage.SUMMARY), [step("summary"), step("end")]),
    (Entered(Stage.END), [step("end")]),
    (ShortWay(), [step("nearby")]),
    (Searched("postal_code"), [Event(Metric.REFERRAL, "postal_code")]),
    (Searched("location"), [Event(Metric.REFERRAL, "location")]),
    (Searched("empty"), []),
    (
        Located("59606", TERRITORY),
        [Event(Metric.TERRITORY, "59606", once=Once(Scope.JOURNEY, "territory"))],
    ),
    (
        Located("62041", TERRITORY),
        [Event(Metric.TERRITORY, "outside", once=Once(Scope.JOURNEY, "territory"))],
    ),
    (
        Located(None, TERRITORY),
        [Event(Metric.TERRITORY, "outside", once=Once(Scope.JOURNEY, "territory"))],
    ),
    (Located("59606", frozenset()), []),  # no territory configured: not counted
    (Rated("partly"), [Event(Metric.USEFUL, "partly", once=Once(Scope.JOURNEY, "useful"))]),
    (Erased(), [Event(Metric.STEP, "erased")]),
]


@pytest.mark.parametrize(("transition", "events"), TABLE)
def test_each_transition_counts_exactly_this(transition: Transition, events: list[Event]) -> None:
    assert counts(transition) == events


def test_every_stage_counts_its_step() -> None:
    for stage in Stage:
        assert step(stage.value) in counts(Entered(stage))


def test_no_dimension_is_ever_free_text() -> None:
    ids = re.compile(r"^[a-z0-9_]*$|^[0-9][0-9AB][0-9]{3}$")
    for transition, _events in TABLE:
        for event in counts(transition):
            assert ids.match(event.dim1), event
            assert ids.match(event.dim2), event


def test_once_keys_count_a_group_together_and_only_the_first_time() -> None:
    journey: set[str] = set()
    session: set[str] = set()
    first = not_yet_counted(counts(ANSWERED), journey, session)
    assert first == counts(ANSWERED)
    changed = Entered(Stage.RIGHTS, Answers(domain="housing"), timing="gt5y")
    assert not_yet_counted(counts(changed), journey, session) == []  # back, then rights again
    start = Started("fr")
    assert not_yet_counted(counts(start), journey, session) == counts(start)
    again = not_yet_counted(counts(start), set(), session)  # "Recommencer": a new journey
    assert again == [Event(Metric.LANGUAGE, "fr")]  # the source only once per conversation
    assert not_yet_counted(counts(Searched("name")), journey, session) == counts(Searched("name"))


def test_only_the_metrics_module_increments_counters() -> None:
    """Handlers hand events over in one place (handlers/flow.py: count)."""
    callers = sorted(
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if ".increment(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["handlers/flow.py"]
