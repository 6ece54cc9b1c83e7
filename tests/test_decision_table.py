"""The decision table (tests/decision_table.toml) against every journey a person can make:
the rights pages and the summary's delays of each combination of answers, in the words of
who is speaking. The table is data for jurists; this file only reads and checks it."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.content import Content, load_content
from bot.deadlines import NOTES, NOTES_OTHER
from bot.i18n import Catalogs, Translator
from bot.rights import delays, rights_pages
from bot.session import Journey
from bot.summary import build_summary, delay_lines
from tests.screens import Case, cases, visible

TABLE = Path(__file__).with_name("decision_table.toml")
LOCALES = Path(__file__).resolve().parent.parent / "locales"
WHEN_KEYS = frozenset({"speaker", "domain", "situation", "employer", "timing", "legal"})
CHECK_KEYS = frozenset(
    {"pages", "no_pages", "delays", "no_delays", "first_delay", "first_page", "texts", "no_texts"}
)
CASE_KEYS = frozenset(
    {"name", "speaker", "domain", "situation", "employer", "criteria", "timing", "evidence"}
    | {"delays_in_order", "status"}
)
REASONS = (frozenset({"origin"}), frozenset({"unknown"}))
EVIDENCE = (frozenset({"none"}), frozenset({"writings", "witnesses", "recordings", "medical"}))


@dataclass(frozen=True)
class Shown:
    """What one journey shows: page ids in order, delay ids shortest first, and every word
    of its pages (short and long side) and of the summary's delays."""

    pages: list[str]
    delays: list[str]
    words: str
    statuses: dict[str, str] = field(default_factory=dict)


def _table() -> dict[str, Any]:
    with TABLE.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def french() -> Translator:
    return Catalogs(LOCALES).translator("fr")


def shown(content: Content, journey: Journey, t: Translator, summary: str) -> Shown:
    """The rights pages and summary of a journey, as data and as words."""
    pages = rights_pages(content, journey)
    found = delays(content, journey)
    notes = NOTES_OTHER if journey.about_someone_else else NOTES
    words = [
        f"{p.passage.title}\n{p.passage.body(journey.speaker)}\n{p.passage.more}"
        + (f"\n{notes[p.deadline]}" if p.deadline is not None else "")
        for p in pages
    ]
    words.append(summary)
    return Shown(
        pages=[p.passage.id for p in pages],
        delays=[d.passage.id for d in found],
        words="\n".join(words),
        statuses={d.passage.id: d.status.value for d in found},
    )


def matches(when: dict[str, Any], case: Case, legal: bool) -> bool:
    """True when the rule's `when` covers these answers."""
    values: dict[str, object] = {
        "speaker": case.speaker,
        "domain": case.domain,
        "situation": case.situation,
        "employer": case.employer,
        "timing": case.timing,
    }
    for key, wanted in when.items():
        if key == "legal":
            if wanted is not legal:
                return False
        elif values[key] not in wanted:
            return False
    return True


def problems(expect: dict[str, Any], seen: Shown) -> Iterator[str]:
    """Every way a journey breaks the expectations of a rule or case."""
    present = {"pages": seen.pages, "delays": seen.delays}
    for key, found in present.items():
        yield from (f"{key[:-1]} {i} missing" for i in expect.get(key, ()) if i not in found)
        yield from (f"{key[:-1]} {i} shown" for i in expect.get(f"no_{key}", ()) if i in found)
    for key, found in {"first_delay": seen.delays, "first_page": seen.pages}.items():
        if key in expect and found[:1] != [expect[key]]:
            yield f"{key}: {found[:1]}, not {expect[key]}"
    yield from (f"{t!r} is not read" for t in expect.get("texts", ()) if t not in seen.words)
    yield from (f"{t!r} is read" for t in expect.get("no_texts", ()) if t in seen.words)


def test_the_table_is_well_formed(content: Content) -> None:
    table = _table()
    ids = {p.id for p in content.all_passages()}
    delay_ids = {p.id for p in content.deadlines if p.months is not None}
    assert table["rule"]
    assert table["case"]
    for entry in table["rule"] + table["case"]:
        where = entry.get("why") or entry.get("name")
        assert where, "every rule says why, every case has a name"
        keys = set(entry) - {"why", "name", "when"}
        assert keys <= CHECK_KEYS | CASE_KEYS, f"{where}: unknown keys {keys - CHECK_KEYS}"
        assert set(entry.get("when", {})) <= WHEN_KEYS, where
        named = [*entry.get("pages", ()), *entry.get("no_pages", ()), entry.get("first_page")]
        for page in filter(None, named):
            assert page in ids, f"{where}: no passage {page!r}"
        named = [
            *entry.get("delays", ()),
            *entry.get("no_delays", ()),
            *entry.get("delays_in_order", ()),
            *entry.get("status", {}),
            entry.get("first_delay"),
        ]
        for delay in filter(None, named):
            assert delay in delay_ids, f"{where}: no delay {delay!r}"


def test_every_journey_follows_every_rule(content: Content, french: Translator) -> None:
    rules = _table()["rule"]
    failures: list[str] = []
    checked = 0
    for reasons in REASONS:
        legal = reasons != frozenset({"unknown"})
        for case in cases(content, criteria=(reasons,), evidence=EVIDENCE):
            journey = case.journey()
            summary = visible("\n".join(delay_lines(content, journey, french)))
            seen = shown(content, journey, french, summary)
            checked += 1
            for rule in rules:
                if matches(rule.get("when", {}), case, legal):
                    failures += [f"{rule['why']}\n    {case}: {p}" for p in problems(rule, seen)]
    assert checked > 1000, checked  # every speaker × domain × situation × employer × …
    assert not failures, f"{len(failures)} failures, first ones:\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("case", _table()["case"], ids=lambda c: str(c["name"]))
def test_case(content: Content, french: Translator, case: dict[str, Any]) -> None:
    journey = Journey(
        speaker=case["speaker"],
        domain=case["domain"],
        situation=case.get("situation"),
        employer=case.get("employer"),
        criteria=set(case["criteria"]),
        timing=case["timing"],
        evidence=set(case["evidence"]),
    )
    summary = visible(build_summary(content, journey, french, date(2026, 12, 2)))
    seen = shown(content, journey, french, summary)
    assert not list(problems(case, seen)), list(problems(case, seen))
    if "delays_in_order" in case:
        assert seen.delays == case["delays_in_order"]
    for delay, expected in case.get("status", {}).items():
        assert seen.statuses[delay] == expected, delay


def test_every_delay_is_in_the_summary_shortest_first(content: Content, french: Translator) -> None:
    for case in cases(content, timings=("lt6m", "gt5y")):
        journey = case.journey()
        found = delays(content, journey)
        assert [d.months for d in found] == sorted(d.months for d in found)
        pages = [p.passage.id for p in rights_pages(content, journey) if p.deadline is not None]
        assert pages == [d.passage.id for d in found], case
        lines = [line for line in delay_lines(content, journey, french) if "<b>" in line]
        assert len(lines) == len(found) + (1 if found else 0), case  # heading + one per delay
