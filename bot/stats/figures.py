"""Figures for a calendar period and a breakdown, summed from the monthly counters and
protected by disclosure control. Pure functions over `Count` rows: the Telegram command,
the monthly digest and the command-line export all call `figures()`.

Only periods that are over and nest are published: months, quarters, years. A period in
progress would change from one day to the next (two looks a day apart would show one
day's people), and overlapping periods (the last 3 months, the year so far) could be
subtracted from one another. A quarter is published when it ends, together with its three
months (a month alone, published earlier, would often force its quarter's or its year's
total to be hidden). Within a year, every figure of every period is protected together
with all the others it can be combined with (`bot.stats.suppression`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.counters import Count, Metric
from bot.states import Stage
from bot.stats.suppression import DEFAULT_THRESHOLD, Figure, Group, protect


class Kind(StrEnum):
    """The calendar periods that nest."""

    MONTH = "m"
    QUARTER = "q"
    YEAR = "y"


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
# Counted together: every journey that reaches the rights counts one domain, one speaker
# and the "rights" step; every start counts one language and the "welcome" step.
LINKED = {
    Stage.RIGHTS.value: (Metric.DOMAIN, Metric.SPEAKER),
    Stage.WELCOME.value: (Metric.LANGUAGE,),
}

_ID = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")
_BUTTON = re.compile(r"^([mqy])(\d{4})(\d{0,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (number 1-12), a quarter (1-4) or a year (number 0)."""

    year: int
    kind: Kind
    number: int = 0

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month."""
        return cls(year, Kind.MONTH, month)

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """ "2026-03", "2026-Q1", "2026", or a button's "m202603", "q20261", "y2026"."""
        if match := _ID.match(text):
            year, month, quarter = match.groups()
            if month:
                period = cls(int(year), Kind.MONTH, int(month))
            elif quarter:
                period = cls(int(year), Kind.QUARTER, int(quarter))
            else:
                period = cls(int(year), Kind.YEAR)
        elif match := _BUTTON.match(text):
            kind, year, number = match.groups()
            period = cls(int(year), Kind(kind), int(number or 0))
        else:
            return None
        limit = {Kind.MONTH: 12, Kind.QUARTER: 4, Kind.YEAR: 0}[period.kind]
        valid = 1 <= period.number <= limit if limit else period.number == 0
        return period if valid and period.year >= 2000 else None

    @property
    def id(self) -> str:
        """ "2026-03", "2026-Q1" or "2026"."""
        if self.kind is Kind.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind is Kind.QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def button(self) -> str:
        """The period in callback data: "m202603", "q20261", "y2026"."""
        number = f"{self.number:02d}" if self.kind is Kind.MONTH else str(self.number or "")
        return f"{self.kind.value}{self.year:04d}{number}"

    @property
    def month_numbers(self) -> list[int]:
        """Its months within the year, 1-12."""
        if self.kind is Kind.MONTH:
            return [self.number]
        if self.kind is Kind.QUARTER:
            return [self.number * 3 - 2, self.number * 3 - 1, self.number * 3]
        return list(range(1, 13))

    @property
    def months(self) -> list[str]:
        """Its months, "YYYY-MM"."""
        return [f"{self.year:04d}-{m:02d}" for m in self.month_numbers]

    def published(self, today: date) -> bool:
        """Whether it is published: once its quarter (or its year) has ended."""
        last = self.month_numbers[-1]
        return (self.year, (last + 2) // 3 * 3) < (today.year, today.month)

    @property
    def figure_level(self) -> tuple[str, int]:
        """Its level and index among the year's figures."""
        return self.kind.value, (self.number - 1 if self.kind is not Kind.YEAR else 0)


def published_months(year: int, today: date) -> int:
    """How many months of a year are published: those of its quarters that are over."""
    if year < today.year:
        return 12
    return 0 if year > today.year else (today.month - 1) // 3 * 3


def latest(kind: Kind, today: date) -> Period:
    """The latest month, quarter or year published (the month: of the last quarter)."""
    if kind is Kind.YEAR:
        return Period(today.year - 1, Kind.YEAR)
    quarter = (today.month - 1) // 3
    year, quarter = (today.year, quarter) if quarter else (today.year - 1, 4)
    if kind is Kind.QUARTER:
        return Period(year, kind, quarter)
    return Period.month(year, quarter * 3)


def periods_published(kind: Kind, today: date, since: str | None, limit: int) -> list[Period]:
    """Published periods of one kind, newest first, back to the month `since`."""
    found: list[Period] = []
    period = latest(kind, today)
    first = (int(since[:4]), int(since[5:7])) if since else (today.year, today.month)
    while len(found) < limit and (period.year, period.month_numbers[-1]) >= first:
        found.append(period)
        period = _previous(period)
    return found


def _previous(period: Period) -> Period:
    if period.kind is Kind.YEAR:
        return Period(period.year - 1, Kind.YEAR)
    size = 12 if period.kind is Kind.MONTH else 4
    if period.number == 1:
        return Period(period.year - 1, period.kind, size)
    return Period(period.year, period.kind, period.number - 1)


@dataclass(frozen=True)
class Cell:
    """One published figure: its key (one or two ids) and its value, None when hidden."""

    key: tuple[str, ...]
    value: int | None


@dataclass(frozen=True)
class Figures:
    """A protected table, ready to render."""

    breakdown: Breakdown
    months: tuple[str, ...]
    cells: tuple[Cell, ...]
    total: Cell | None  # for additive tables
    column_totals: tuple[Cell, ...] = ()  # for domain x criterion: per criterion
    threshold: int = DEFAULT_THRESHOLD
    period: str = ""  # "2026-03", "2026-Q1", "2026", or "2026-01..2026-06" (raw)
    raw: bool = False  # unprotected counts (operators only, never sent to Telegram)

    @property
    def hidden(self) -> int:
        """How many figures are hidden."""
        cells = [*self.cells, *self.column_totals, *([self.total] if self.total else [])]
        return sum(1 for c in cells if c.value is None)


class _Year:
    """One year's counters as linked groups, protected together: what is decided for a
    period is the same whichever table, period or output asks for it."""

    def __init__(self, rows: Iterable[Count], year: int, months: int, threshold: int) -> None:
        self.months = months
        self.threshold = threshold
        prefix = f"{year:04d}-"
        self.series: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0] * months)
        for row in rows:
            if row.month.startswith(prefix) and 1 <= int(row.month[5:7]) <= months:
                key = (row.metric, row.dim1, row.dim2)
                self.series[key][int(row.month[5:7]) - 1] += row.count
        # (metric, first id) -> (group, part, category); (step) -> group of the totals
        self.cells: dict[tuple[str, str, str], tuple[int, int, str]] = {}
        self.totals: dict[tuple[str, str], int] = {}
        self.groups: list[Group] = []
        self._build()
        self._hidden: dict[int, frozenset[Figure]] = {}

    def _part(self, metric: Metric, criterion: str | None = None) -> dict[str, tuple[int, ...]]:
        found = {}
        for (name, dim1, dim2), values in sorted(self.series.items()):
            if name == metric.value and (criterion is None or dim2 == criterion):
                found[dim1] = tuple(values)
        return found

    def _sum(self, part: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
        return tuple(sum(v[m] for v in part.values()) for m in range(self.months))

    def _add(
        self, totals: tuple[int, ...], parts: list[tuple[Metric, str, dict[str, tuple[int, ...]]]]
    ) -> int:
        number = len(self.groups)
        self.groups.append(Group(totals, tuple(tuple(sorted(p.items())) for _, _, p in parts)))
        for index, (metric, criterion, part) in enumerate(parts):
            for category in part:
                self.cells[(metric.value, category, criterion)] = (number, index, category)
        return number

    def _build(self) -> None:
        steps = {
            dim1: tuple(values)
            for (metric, dim1, _), values in self.series.items()
            if metric == Metric.STEP.value
        }
        linked = set()
        for step, metrics in LINKED.items():
            totals = steps.get(step, (0,) * self.months)
            parts = [(m, "", self._part(m)) for m in metrics]
            if all(self._sum(p) == totals for _, _, p in parts):
                number = self._add(totals, parts)
                self.totals[(Metric.STEP.value, step)] = number
                for metric in metrics:
                    self.totals[(metric.value, "")] = number
                linked |= {step, *metrics}
        for metric in ADDITIVE.values():
            if metric not in linked:
                part = self._part(metric)
                self.totals[(metric.value, "")] = self._add(self._sum(part), [(metric, "", part)])
        criteria = sorted({d2 for (m, _, d2) in self.series if m == Metric.CRITERION.value})
        for criterion in criteria:
            part = self._part(Metric.CRITERION, criterion)
            number = self._add(self._sum(part), [(Metric.CRITERION, criterion, part)])
            self.totals[(Metric.CRITERION.value, criterion)] = number
        for step, values in sorted(steps.items()):
            if step not in linked:
                self.totals[(Metric.STEP.value, step)] = self._add(values, [])

    def hidden_in(self, group: int) -> frozenset[Figure]:
        """The hidden figures of one group, as decided month after month."""
        if group not in self._hidden:
            self._hidden[group] = protect(self.groups[group], self.threshold)
        return self._hidden[group]

    def cell(self, period: Period, metric: Metric, key: str, criterion: str = "") -> int | None:
        """A category's figure for the period, None when hidden."""
        group, part, category = self.cells[(metric.value, key, criterion)]
        level, number = period.figure_level
        value = self._value((metric.value, key, criterion), period)
        if Figure(part, level, number, category) in self.hidden_in(group):
            return None
        return value

    def total(self, period: Period, metric: str, which: str = "") -> tuple[int, bool]:
        """A total (of a metric, a criterion or a step) and whether it is hidden."""
        group = self.totals[(metric, which)]
        values = self.groups[group].totals
        value = sum(values[m - 1] for m in period.month_numbers if m <= self.months)
        level, number = period.figure_level
        return value, Figure(-1, level, number) in self.hidden_in(group)

    def _value(self, key: tuple[str, str, str], period: Period) -> int:
        values = self.series[key]
        return sum(values[m - 1] for m in period.month_numbers if m <= self.months)


def figures(
    rows: Iterable[Count],
    breakdown: Breakdown,
    period: Period,
    today: date,
    threshold: int = DEFAULT_THRESHOLD,
) -> Figures:
    """The protected figures of a published period, for one breakdown."""
    if not period.published(today):
        raise ValueError(f"{period.id} is not published: its quarter is not over")
    year = _Year(rows, period.year, published_months(period.year, today), threshold)
    span = tuple(period.months)
    if breakdown in {Breakdown.DOMAIN_CRITERION, Breakdown.CRITERION}:
        return _criteria(year, breakdown, period, span, threshold)
    if breakdown is Breakdown.FUNNEL:
        steps = [s for (metric, s) in year.totals if metric == Metric.STEP.value]
        cells = []
        for step in sorted(
            steps, key=lambda s: (FUNNEL_ORDER.index(s) if s in FUNNEL_ORDER else 99, s)
        ):
            value, hidden = year.total(period, Metric.STEP.value, step)
            if value or hidden:
                cells.append(Cell((step,), None if hidden else value))
        return Figures(breakdown, span, tuple(cells), None, threshold=threshold, period=period.id)
    metric = ADDITIVE[breakdown]
    found = []
    for (name, key, _), _group in year.cells.items():
        if name == metric.value:
            shown = year.cell(period, metric, key)
            if shown is None or shown:
                found.append(Cell((key,), shown))
    value, hidden = year.total(period, metric.value)
    total = Cell(("total",), None if hidden else value)
    return Figures(breakdown, span, _ordered(found), total, threshold=threshold, period=period.id)


def _ordered(cells: list[Cell]) -> tuple[Cell, ...]:
    """Shown figures by size, then hidden ones by id: the order says nothing of them."""
    shown = sorted(
        (c for c in cells if c.value is not None), key=lambda c: (-(c.value or 0), c.key)
    )
    hidden = sorted((c for c in cells if c.value is None), key=lambda c: c.key)
    return (*shown, *hidden)


def _criteria(
    year: _Year, breakdown: Breakdown, period: Period, span: tuple[str, ...], threshold: int
) -> Figures:
    """Domain x criterion with its criterion totals; the criterion breakdown is those
    totals, with the same protection, so the two tables never contradict each other."""
    totals = []
    cells = []
    for metric, criterion in sorted(year.totals):
        if metric != Metric.CRITERION.value:
            continue
        value, hidden = year.total(period, metric, criterion)
        if value or hidden:
            totals.append(Cell((criterion,), None if hidden else value))
        for name, domain, which in sorted(year.cells):
            if name == metric and which == criterion:
                cell = year.cell(period, Metric.CRITERION, domain, criterion)
                if cell is None or cell:
                    cells.append(Cell((domain, criterion), cell))
    if breakdown is Breakdown.CRITERION:
        return Figures(
            breakdown, span, _ordered(totals), None, threshold=threshold, period=period.id
        )
    cells.sort(key=lambda c: c.key)
    return Figures(
        breakdown,
        span,
        tuple(cells),
        None,
        column_totals=_ordered(totals),
        threshold=threshold,
        period=period.id,
    )


def raw_figures(rows: Iterable[Count], breakdown: Breakdown, months: list[str]) -> Figures:
    """Unprotected sums over any months: for operators on the server, never published."""
    wanted = set(months)
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        if row.month in wanted:
            totals[(row.metric, row.dim1, row.dim2)] += row.count
    span = tuple(months)
    label = f"{months[0]}..{months[-1]}" if len(months) > 1 else months[0]
    if breakdown in {Breakdown.DOMAIN_CRITERION, Breakdown.CRITERION}:
        pairs = {(d, c): n for (m, d, c), n in totals.items() if m == Metric.CRITERION.value}
        column: dict[str, int] = defaultdict(int)
        for (_, criterion), n in pairs.items():
            column[criterion] += n
        column_cells = _ordered([Cell((c,), n) for c, n in column.items()])
        if breakdown is Breakdown.CRITERION:
            return Figures(breakdown, span, column_cells, None, (), 1, label, raw=True)
        cells = tuple(Cell(k, n) for k, n in sorted(pairs.items()))
        return Figures(breakdown, span, cells, None, column_cells, 1, label, raw=True)
    if breakdown is Breakdown.FUNNEL:
        steps = {d: n for (m, d, _), n in totals.items() if m == Metric.STEP.value}
        order = sorted(steps, key=lambda s: (FUNNEL_ORDER.index(s) if s in FUNNEL_ORDER else 99, s))
        cells = tuple(Cell((s,), steps[s]) for s in order)
        return Figures(breakdown, span, cells, None, (), 1, label, raw=True)
    metric = ADDITIVE[breakdown].value
    counts = {d: n for (m, d, _), n in totals.items() if m == metric}
    total = Cell(("total",), sum(counts.values()))
    found = _ordered([Cell((k,), n) for k, n in counts.items()])
    return Figures(breakdown, span, found, total, (), 1, label, raw=True)
