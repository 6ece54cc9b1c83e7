"""Disclosure control on crafted and random years, checked by an exact attacker (linear
programs over every figure published for the year, `bench.attack.group_intervals`)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bench.attack import group_intervals
from bot.counters import Count
from bot.stats.figures import Breakdown, Kind, Period, figures, latest, periods_published
from bot.stats.suppression import Figure, Group, protect

T = 11


def one_part(**categories: list[int]) -> Group:
    """A year of one breakdown: each category's value month by month."""
    months = len(next(iter(categories.values())))
    totals = tuple(sum(values[m] for values in categories.values()) for m in range(months))
    return Group(totals, (tuple((c, tuple(v)) for c, v in sorted(categories.items())),))


def assert_safe(group: Group, hidden: frozenset[Figure]) -> None:
    """No hidden figure can be narrowed below T by the attacker."""
    for figure, (low, high, value) in group_intervals(group, hidden).items():
        assert low <= value <= high
        assert high - low >= T - 1e-6, (figure, value, low, high)


def test_small_figures_are_hidden_large_and_zero_ones_shown() -> None:
    group = one_part(work=[40] * 12, housing=[3] + [0] * 11)
    hidden = protect(group, T)
    assert Figure(0, "m", 0, "housing") in hidden
    assert Figure(0, "m", 5, "work") not in hidden
    assert Figure(0, "m", 5, "housing") not in hidden  # a zero reveals no one
    assert Figure(0, "y", 0, "work") not in hidden or Figure(0, "y", 0, "housing") in hidden
    assert_safe(group, hidden)


def test_a_small_month_is_not_recovered_from_its_quarter_and_year() -> None:
    # January has 7 journeys; its quarter and the year are published later: showing
    # Q1 = 42 with February and March would give January away.
    group = one_part(work=[4, 12, 15] + [14] * 9, housing=[3, 8, 0] + [6] * 9)
    hidden = protect(group, T)
    assert Figure(-1, "m", 0) in hidden
    assert_safe(group, hidden)


def test_what_was_published_never_changes_later() -> None:
    # Coordinators keep what they were sent: the mask decided at the end of each quarter
    # (with its months, and the year with the last one) is the one every later
    # computation gives.
    rng = random.Random(7)  # noqa: S311 - synthetic data
    values = {f"c{i}": [rng.choice([0, 1, 2, 5, 9, 14, 30]) for _ in range(12)] for i in range(5)}
    full = protect(one_part(**values), T)
    for months in (3, 6, 9):
        early = protect(one_part(**{c: v[:months] for c, v in values.items()}), T)
        published = {f for f in full if _published_by(f, months)}
        assert published == set(early), months


def _published_by(figure: Figure, months: int) -> bool:
    last = {"m": figure.number // 3 * 3 + 2, "q": figure.number * 3 + 2, "y": 11}
    return last[figure.level] < months


@pytest.mark.parametrize("seed", range(6))
def test_random_years_of_one_breakdown_resist_the_attacker(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    size = rng.choice([2, 5, 9])
    values: dict[str, list[int]] = {f"c{i}": [0] * 12 for i in range(size)}
    for month in range(12):
        for _ in range(rng.randint(0, 30)):
            values[f"c{min(int(rng.expovariate(0.7)), size - 1)}"][month] += 1
    group = one_part(**values)
    assert_safe(group, protect(group, T))


@pytest.mark.parametrize("seed", range(4))
def test_parts_that_share_their_totals_are_protected_together(seed: int) -> None:
    # Domain and speaker count the same journeys: a total hidden in one table is hidden
    # in the other, and moving it must be possible in both at once.
    rng = random.Random(100 + seed)  # noqa: S311 - synthetic data
    domains: dict[str, list[int]] = {f"d{i}": [0] * 12 for i in range(6)}
    speakers: dict[str, list[int]] = {s: [0] * 12 for s in ("self", "witness", "helper")}
    for month in range(12):
        for _ in range(rng.randint(0, 25)):
            domains[f"d{min(int(rng.expovariate(0.8)), 5)}"][month] += 1
            speakers[rng.choice(["self", "self", "witness", "helper"])][month] += 1
    totals = tuple(sum(v[m] for v in domains.values()) for m in range(12))
    group = Group(
        totals,
        (
            tuple((c, tuple(v)) for c, v in sorted(domains.items())),
            tuple((c, tuple(v)) for c, v in sorted(speakers.items())),
        ),
    )
    assert_safe(group, protect(group, T))


def test_a_plain_series_hides_its_small_months_behind_its_quarters() -> None:
    group = Group((3, 20, 25, 30, 31, 40, 2, 9, 30, 30, 30, 30))
    hidden = protect(group, T)
    assert {Figure(-1, "m", 0), Figure(-1, "m", 6), Figure(-1, "m", 7)} <= hidden
    assert_safe(group, hidden)


def test_periods_nest_and_months_come_out_with_their_quarter() -> None:
    today = date(2026, 5, 10)
    assert latest(Kind.MONTH, today) == Period.month(2026, 3)
    assert latest(Kind.QUARTER, today) == Period(2026, Kind.QUARTER, 1)
    assert latest(Kind.YEAR, today) == Period(2025, Kind.YEAR)
    assert latest(Kind.QUARTER, date(2026, 2, 1)) == Period(2025, Kind.QUARTER, 4)
    assert Period.month(2026, 3).published(today)
    assert not Period.month(2026, 4).published(today)  # April waits for June's end
    assert not Period(2026, Kind.YEAR).published(date(2026, 12, 31))
    assert Period.parse("2026-Q1") == Period.parse("q20261") == Period(2026, Kind.QUARTER, 1)
    assert Period.parse("2026-13") is None
    assert Period.parse("2026-03") == Period.parse(Period.month(2026, 3).button)
    assert [p.id for p in periods_published(Kind.MONTH, today, "2026-02", 12)] == [
        "2026-03",
        "2026-02",
    ]
    with pytest.raises(ValueError, match="not published"):
        figures([], Breakdown.DOMAIN, Period.month(2026, 4), today)


def test_tables_agree_and_their_order_says_nothing_of_hidden_figures() -> None:
    rows = [
        Count("2026-01", "domain", "work", "", 30),
        Count("2026-01", "domain", "housing", "", 4),
        Count("2026-01", "domain", "health", "", 12),
        Count("2026-01", "speaker", "self", "", 40),
        Count("2026-01", "speaker", "witness", "", 6),
        Count("2026-01", "step", "rights", "", 46),
    ]
    today = date(2026, 4, 3)
    january = Period.month(2026, 1)
    domain = figures(rows, Breakdown.DOMAIN, january, today)
    speaker = figures(rows, Breakdown.SPEAKER, january, today)
    funnel = figures(rows, Breakdown.FUNNEL, january, today)
    assert domain.total is not None
    assert speaker.total is not None
    assert domain.total.value == speaker.total.value == 46  # one total, one decision
    assert [c.value for c in funnel.cells] == [46]
    values = [c.value for c in domain.cells]
    assert values[0] == 30
    assert values[-1] is None  # hidden ones come last, whatever their size
    assert all(c.value is None or c.value >= T for c in domain.cells)
