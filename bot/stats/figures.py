"""Figures for a period and a breakdown, summed from the monthly counters and protected
by disclosure control. Pure functions over `Count` rows: the Telegram command, the
monthly digest and the command-line export all call `figures()`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.counters import Count, Metric
from bot.states import Stage
from bot.stats.suppression import DEFAULT_THRESHOLD, Line, suppress


class Period(StrEnum):
    """The periods a coordinator can choose."""

    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    LAST_3_MONTHS = "last_3_months"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    ALL = "all"


class Breakdown(StrEnum):
    """The ways to break the figures down."""

    DOMAIN = "domain"
    CRITERION = "criterion"
    DOMAIN_CRITERION = "domain_criterion"
    TERRITORY = "territory"
    SPEAKER = "speaker"
    SOURCE = "source"
    LANGUAGE = "language"
    FUNNEL = "funnel"
    USEFUL = "useful"


# One count per journey (or per start): these tables add up to a total that is shown.
ADDITIVE = {
    Breakdown.DOMAIN: Metric.DOMAIN,
    Breakdown.TERRITORY: Metric.TERRITORY,
    Breakdown.SPEAKER: Metric.SPEAKER,
    Breakdown.SOURCE: Metric.SOURCE,
    Breakdown.LANGUAGE: Metric.LANGUAGE,
    Breakdown.USEFUL: Metric.USEFUL,
}
FUNNEL_ORDER = [s.value for s in Stage] + ["erased"]


def month_add(month: str, delta: int) -> str:
    """ "2026-11" plus delta months."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = month_add(current, 1)
    return months


def period_months(period: Period, today: date) -> list[str] | None:
    """The months of a period (None: every month)."""
    this = f"{today.year:04d}-{today.month:02d}"
    match period:
        case Period.THIS_MONTH:
            return [this]
        case Period.LAST_MONTH:
            return [month_add(this, -1)]
        case Period.LAST_3_MONTHS:
            return months_between(month_add(this, -2), this)
        case Period.THIS_YEAR:
            return months_between(f"{today.year:04d}-01", this)
        case Period.LAST_YEAR:
            return months_between(f"{today.year - 1:04d}-01", f"{today.year - 1:04d}-12")
        case Period.ALL:
            return None


@dataclass(frozen=True)
class Cell:
    """One published figure: its key (one or two ids) and its value, None when hidden."""

    key: tuple[str, ...]
    value: int | None


@dataclass(frozen=True)
class Figures:
    """A protected table, ready to render."""

    breakdown: Breakdown
    months: tuple[str, ...]  # empty: every month
    cells: tuple[Cell, ...]
    total: Cell | None  # for additive tables
    column_totals: tuple[Cell, ...] = ()  # for domain x criterion: per criterion
    threshold: int = DEFAULT_THRESHOLD

    @property
    def hidden(self) -> int:
        """How many figures are hidden."""
        cells = [*self.cells, *self.column_totals, *([self.total] if self.total else [])]
        return sum(1 for c in cells if c.value is None)


def _sum(rows: Iterable[Count], metric: Metric) -> Counter[tuple[str, str]]:
    totals: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if row.metric == metric.value:
            totals[(row.dim1, row.dim2)] += row.count
    return totals


def figures(
    rows: Iterable[Count],
    breakdown: Breakdown,
    months: list[str] | None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Figures:
    """Sum the counters of these months for a breakdown, then protect them."""
    wanted = set(months) if months is not None else None
    selected = [r for r in rows if wanted is None or r.month in wanted]
    span = tuple(months or ())
    if breakdown in {Breakdown.DOMAIN_CRITERION, Breakdown.CRITERION}:
        return _criteria(selected, breakdown, span, threshold)
    if breakdown is Breakdown.FUNNEL:
        counts = {k[0]: v for k, v in _sum(selected, Metric.STEP).items()}
        order = sorted(counts, key=lambda s: FUNNEL_ORDER.index(s) if s in FUNNEL_ORDER else 99)
        hidden = suppress({s: counts[s] for s in order}, [], threshold)
        cells = tuple(Cell((s,), None if s in hidden else counts[s]) for s in order)
        return Figures(breakdown, span, cells, None, threshold=threshold)
    metric = ADDITIVE[breakdown]
    counts = {k[0]: v for k, v in _sum(selected, metric).items()}
    values: dict[Hashable, int] = dict(counts.items())
    values["__total__"] = sum(counts.values())
    hidden = suppress(values, [Line(tuple(counts), "__total__")], threshold)
    order = sorted(counts, key=lambda k: (-counts[k], k))
    cells = tuple(Cell((k,), None if k in hidden else counts[k]) for k in order)
    total = Cell(("total",), None if "__total__" in hidden else values["__total__"])
    return Figures(breakdown, span, cells, total, threshold=threshold)


def _criteria(
    rows: list[Count], breakdown: Breakdown, span: tuple[str, ...], threshold: int
) -> Figures:
    """Domain x criterion, protected with its criterion totals; the criterion breakdown is
    those totals, with the same mask, so the two tables never contradict each other."""
    counts = _sum(rows, Metric.CRITERION)
    values: dict[Hashable, int] = dict(counts.items())
    criteria = sorted({c for _, c in counts})
    lines = []
    for criterion in criteria:
        column = tuple(k for k in counts if k[1] == criterion)
        values[("total", criterion)] = sum(counts[k] for k in column)
        lines.append(Line(column, ("total", criterion)))
    hidden = suppress(values, lines, threshold)
    totals = tuple(
        Cell((c,), None if ("total", c) in hidden else values[("total", c)])
        for c in sorted(criteria, key=lambda c: -values[("total", c)])
    )
    if breakdown is Breakdown.CRITERION:
        return Figures(breakdown, span, totals, None, threshold=threshold)
    cells = tuple(
        Cell(k, None if k in hidden else counts[k])
        for k in sorted(counts, key=lambda k: (k[0], k[1]))
    )
    return Figures(breakdown, span, cells, None, column_totals=totals, threshold=threshold)
