"""An attacker against the published figures: `python -m bench.attack [--territories N]`.

For random small territories (0-30 journeys a month over 24 months, played as the bot
counts them), collect every figure the bot would publish: every breakdown of every month,
quarter and year published, as /stats, the digest, the CSV and the export show them.
Then, for each hidden figure, solve the smallest and largest value it can take given all
those figures, the additivity of the tables and what the attacker knows of how the bot
counts (every journey that reaches the rights counts one domain, one speaker and the
"rights" step; every start one language and the "welcome" step), with linear programs
(scipy's HiGHS). A figure is broken when its interval is narrower than the threshold
(pinned to one value included). `--inequalities` also gives the attacker that a journey
has one domain and at least one criterion (criterion cells between the domain's count and
the sum of its criteria), which the protection does not model.

Prints the territories, the hidden figures attacked, the broken ones and the time taken;
exits 1 if any is broken. Needs the dev dependencies (`pip install -e .[dev]`, scipy).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from bot.content import default_content
from bot.counters import Count, Metric
from bot.stats.figures import Breakdown, Figures, Kind, Period, figures
from bot.stats.suppression import DEFAULT_THRESHOLD, Figure, Group

Leaf = tuple[str, str, str, str]  # metric, dim1, dim2, month
Vector = np.ndarray
TOLERANCE = 1e-6
PUBLISHED_METRICS = {
    "domain",
    "speaker",
    "source",
    "language",
    "useful",
    "territory",
    "step",
    "criterion",
}
BREAKDOWN_METRIC = {
    Breakdown.DOMAIN: "domain",
    Breakdown.TERRITORY: "territory",
    Breakdown.SPEAKER: "speaker",
    Breakdown.SOURCE: "source",
    Breakdown.LANGUAGE: "language",
    Breakdown.USEFUL: "useful",
    Breakdown.FUNNEL: "step",
    Breakdown.CRITERION: "criterion",
    Breakdown.DOMAIN_CRITERION: "criterion",
}


@dataclass
class Territory:
    """Simulated counters and the day the figures are read."""

    rows: list[Count]
    today: date
    first: str  # first month with journeys


class _World:
    """The answers people of one random territory give, popular and rare ones."""

    def __init__(self, rng: random.Random) -> None:
        content = default_content()
        self.rng = rng
        self.domains = [d.id for d in content.domains]
        self.situations = {d.id: [s.id for s in d.situations] for d in content.domains}
        self.criteria = [g.id for g in content.criterion_groups]
        self.speakers = [s.id for s in content.speakers]
        self.timings = [t.id for t in content.timings]
        self.communes = [f"59{n:03d}" for n in rng.sample(range(1, 700), rng.randint(3, 35))]
        self.sources = ["direct", "unknown", *[f"src{n}" for n in range(rng.randint(0, 4))]]
        self.languages = ["fr", "fr", "fr", "fr", "en", "ar", "tr", "uk", "fr@falc"]
        self.weights = {
            name: [rng.random() ** 2 for _ in values]
            for name, values in (
                ("domain", self.domains),
                ("criterion", self.criteria),
                ("commune", self.communes),
            )
        }
        self.counts: dict[Leaf, int] = defaultdict(int)
        self.month = ""

    def count(self, metric: Metric, dim1: str = "", dim2: str = "") -> None:
        """What the bot's handlers do."""
        self.counts[(metric.value, dim1, dim2, self.month)] += 1

    def journey(self) -> None:
        """One /start and as far as the person goes."""
        rng = self.rng
        self.count(Metric.LANGUAGE, rng.choice(self.languages))
        if rng.random() < 0.85:  # the first /start of a session
            self.count(Metric.SOURCE, rng.choice(self.sources))
        self.count(Metric.STEP, "welcome")
        if rng.random() < 0.15:  # "find help near me": straight to the addresses
            self.count(Metric.STEP, "referral")
            self.referral()
            return
        domain = rng.choices(self.domains, self.weights["domain"])[0]
        for step in ("speaker", "domain", "situation", "criteria", "when", "evidence"):
            if step == "situation" and not self.situations[domain]:
                continue
            if rng.random() < 0.06:
                return  # gone
            self.count(Metric.STEP, step)
        self.count(Metric.STEP, "narrative")
        self.count(Metric.SPEAKER, rng.choice(self.speakers))
        self.count(Metric.DOMAIN, domain)
        if self.situations[domain]:
            self.count(Metric.SITUATION, domain, rng.choice(self.situations[domain]))
        how_many = rng.choice([1, 1, 1, 2, 3])
        for criterion in sorted(
            set(rng.choices(self.criteria, self.weights["criterion"], k=how_many))
        ):
            self.count(Metric.CRITERION, domain, criterion)
        self.count(Metric.TIMING, rng.choice(self.timings))
        self.count(Metric.STEP, "rights")
        if rng.random() < 0.7:
            self.count(Metric.STEP, "referral")
            self.referral()
            if rng.random() < 0.6:
                self.count(Metric.STEP, "summary")
                self.count(Metric.STEP, "end")
                if rng.random() < 0.5:
                    self.count(Metric.USEFUL, rng.choice(["yes", "yes", "partly", "no"]))
        if rng.random() < 0.1:
            self.count(Metric.STEP, "erased")

    def referral(self) -> None:
        """A search for a place (most people give one), counted once with its commune."""
        rng = self.rng
        if rng.random() < 0.9:
            inside = rng.random() < 0.8
            place = rng.choices(self.communes, self.weights["commune"])[0] if inside else "outside"
            self.count(Metric.REFERRAL, rng.choice(["name", "postal_code", "location"]))
            self.count(Metric.TERRITORY, place)


def simulate(rng: random.Random, months: int = 24) -> Territory:
    """Journeys as the bot counts them, month by month, for one small territory."""
    world = _World(rng)
    start = (2024 + rng.randint(0, 1)) * 12 + rng.randint(0, 11)
    month_ids = [f"{(start + n) // 12:04d}-{(start + n) % 12 + 1:02d}" for n in range(months)]
    for month in month_ids:
        world.month = month
        for _ in range(rng.randint(0, 30)):
            world.journey()
    after = start + months
    today = date(after // 12, after % 12 + 1, rng.randint(1, 28))
    rows = [Count(m, metric, d1, d2, n) for (metric, d1, d2, m), n in sorted(world.counts.items())]
    return Territory(rows, today, month_ids[0])


def periods(territory: Territory) -> list[Period]:
    """Every month, quarter and year published, from the first month with data."""
    found = []
    for year in range(int(territory.first[:4]), territory.today.year + 1):
        found += [Period.month(year, m) for m in range(1, 13)]
        found += [Period(year, Kind.QUARTER, q) for q in range(1, 5)]
        found.append(Period(year, Kind.YEAR))
    return [p for p in found if p.published(territory.today) and p.months[-1] >= territory.first]


@dataclass
class Published:
    """Every published figure as a sum of leaf counters, its value or None if hidden."""

    figures: list[tuple[str, list[Leaf], int | None]] = field(default_factory=list)
    universe: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))

    def add_table(self, table: Figures) -> None:
        """Each figure of a table, and a zero for every known category it does not list."""
        metric = BREAKDOWN_METRIC[table.breakdown]
        keys = self.universe.get(metric, set())
        listed: dict[tuple[str, ...], int | None] = {c.key: c.value for c in table.cells}
        prefix = f"{table.period}:{table.breakdown.value}"

        def leaves(first: str | None = None, second: str | None = None) -> list[Leaf]:
            return [
                (metric, d1, d2, m)
                for (d1, d2) in keys
                if first in {None, d1} and second in {None, d2}
                for m in table.months
            ]

        if table.breakdown in {Breakdown.CRITERION, Breakdown.DOMAIN_CRITERION}:
            heads = table.cells if table.breakdown is Breakdown.CRITERION else table.column_totals
            columns = {c.key[0]: c.value for c in heads}
            for criterion in sorted({d2 for _, d2 in keys}):
                self.add(
                    f"{prefix}:{criterion}", leaves(None, criterion), columns.get(criterion, 0)
                )
            if table.breakdown is Breakdown.DOMAIN_CRITERION:
                for d1, d2 in sorted(keys):
                    self.add(f"{prefix}:{d1}/{d2}", leaves(d1, d2), listed.get((d1, d2), 0))
            return
        for d1 in sorted({d1 for d1, _ in keys}):
            self.add(f"{prefix}:{d1}", leaves(d1), listed.get((d1,), 0))
        if table.total is not None:
            self.add(f"{prefix}:total", leaves(), table.total.value)

    def add(self, name: str, leaves: list[Leaf], value: int | None) -> None:
        """One figure."""
        self.figures.append((name, leaves, value))


def publish(territory: Territory, threshold: int) -> Published:
    """What /stats, the digest, the CSV and the export can show, for every period."""
    out = Published()
    for row in territory.rows:
        out.universe[row.metric].add((row.dim1, row.dim2))
    for period in periods(territory):
        for breakdown in Breakdown:
            out.add_table(figures(territory.rows, breakdown, period, territory.today, threshold))
    return out


Link = dict[Leaf, float]


def links(rows: list[Count], inequalities: bool) -> tuple[list[Link], list[Link]]:
    """What the attacker knows of how the bot counts: equalities (= 0) and, optionally,
    inequalities (<= 0), over leaf counters."""
    months = sorted({r.month for r in rows})
    by: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        by[row.metric].add((row.dim1, row.dim2))
    equal: list[Link] = []
    for month in months:
        for step, metrics in (("rights", ("domain", "speaker")), ("welcome", ("language",))):
            for metric in metrics:
                link: Link = {(metric, d1, d2, month): 1.0 for d1, d2 in by[metric]}
                link[("step", step, "", month)] = -1.0
                equal.append(link)
    less: list[Link] = []
    for month in months if inequalities else ():
        for domain in sorted({d1 for d1, _ in by["criterion"]}):
            count = ("domain", domain, "", month)
            row_sum: Link = {count: 1.0}  # the domain's count <= the sum of its criteria
            for d1, d2 in sorted(by["criterion"]):
                if d1 == domain:
                    leaf = ("criterion", d1, d2, month)
                    less.append({leaf: 1.0, count: -1.0})  # a criterion <= its domain
                    row_sum[leaf] = -1.0
            less.append(row_sum)
    return equal, less


@dataclass
class Result:
    """One territory's attack."""

    attacked: int = 0
    broken: list[tuple[str, int, float, float]] = field(default_factory=list)
    programs: int = 0


def attack(
    territory: Territory, threshold: int = DEFAULT_THRESHOLD, inequalities: bool = False
) -> Result:
    """Bound every hidden figure by linear programming over all the published ones."""
    published = publish(territory, threshold)
    truth = {
        (r.metric, r.dim1, r.dim2, r.month): r.count
        for r in territory.rows
        if r.metric in PUBLISHED_METRICS
    }
    equal, less = links(territory.rows, inequalities)
    result = Result()
    for members in _blocks(published, [*equal, *less]):
        _Block(members, truth, threshold, result).run(published, equal, less)
    return result


def _blocks(published: Published, extra: list[Link]) -> list[list[Leaf]]:
    """Independent sets of leaves: joined by a published figure or a known relation."""
    leaves = sorted({leaf for _, ls, _ in published.figures for leaf in ls})
    parent = {leaf: leaf for leaf in leaves}

    def root(leaf: Leaf) -> Leaf:
        while parent[leaf] != leaf:
            parent[leaf] = parent[parent[leaf]]
            leaf = parent[leaf]
        return leaf

    for group in [ls for _, ls, _ in published.figures] + [list(link) for link in extra]:
        known = [leaf for leaf in group if leaf in parent]
        for leaf in known[1:]:
            parent[root(leaf)] = root(known[0])
    blocks: dict[Leaf, list[Leaf]] = defaultdict(list)
    for leaf in leaves:
        blocks[root(leaf)].append(leaf)
    return list(blocks.values())


class _Block:
    """The linear programs of one independent block of leaves."""

    def __init__(
        self, members: list[Leaf], truth: dict[Leaf, int], threshold: int, result: Result
    ) -> None:
        self.index = {leaf: i for i, leaf in enumerate(members)}
        self.truth = np.array([truth.get(leaf, 0) for leaf in members], dtype=float)
        self.threshold = threshold
        self.result = result

    def vector(self, coefficients: dict[Leaf, float] | list[Leaf]) -> Vector | None:
        """A row over this block's leaves (None if it concerns another block)."""
        items = (
            coefficients.items()
            if isinstance(coefficients, dict)
            else [(c, 1.0) for c in coefficients]
        )
        row = np.zeros(len(self.index))
        touched = False
        for leaf, coefficient in items:
            if leaf in self.index:
                row[self.index[leaf]] += coefficient
                touched = True
        return row if touched else None

    def run(self, published: Published, equal: list[Link], less: list[Link]) -> None:
        """Attack each hidden figure of the block."""
        rows: list[Vector] = []
        rhs: list[float] = []
        hidden: list[tuple[str, Vector]] = []
        for name, leaves, value in published.figures:
            row = self.vector(leaves)
            if row is None:
                continue
            if value is None:
                hidden.append((name, row))
            else:
                rows.append(row)
                rhs.append(float(value))
        for link in equal:
            if (row := self.vector(link)) is not None:
                rows.append(row)
                rhs.append(0.0)
        upper = [row for link in less if (row := self.vector(link)) is not None]
        self.a_eq = csr_matrix(np.array(rows)) if rows else None
        self.b_eq = np.array(rhs) if rows else None
        self.a_ub = csr_matrix(np.array(upper)) if upper else None
        self.b_ub = np.zeros(len(upper)) if upper else None
        points = [self.truth]
        for name, row in hidden:
            self.result.attacked += 1
            seen = [float(row @ p) for p in points]
            if max(seen) - min(seen) >= self.threshold - TOLERANCE:
                continue  # two consistent sets of counters are already this far apart
            high = self.solve(-row)
            if high is None:
                continue  # unbounded: as wide as can be
            points.append(high)
            if float(row @ high) - min(seen) >= self.threshold - TOLERANCE:
                continue
            low = self.solve(row)
            if low is None:
                continue
            points.append(low)
            top, bottom = float(row @ high), float(row @ low)
            if top - bottom < self.threshold - TOLERANCE:
                self.result.broken.append((name, int(row @ self.truth), bottom, top))

    def solve(self, objective: Vector) -> Vector | None:
        """The counters that minimise the objective under everything known."""
        self.result.programs += 1
        answer = linprog(
            objective,
            A_ub=self.a_ub,
            b_ub=self.b_ub,
            A_eq=self.a_eq,
            b_eq=self.b_eq,
            bounds=(0, None),
            method="highs",
        )
        if answer.status == 3:
            return None
        if answer.status != 0:
            raise RuntimeError(f"the attacker's program failed: {answer.message}")
        return np.asarray(answer.x)


def group_intervals(
    group: Group, hidden: frozenset[Figure]
) -> dict[Figure, tuple[float, float, int]]:
    """For one group of linked counters (`bot.stats.suppression`): each hidden figure's
    (smallest, largest, true) value given the shown figures of every period so far."""
    months = len(group.totals)
    parts = group.parts or ((("", group.totals),),)
    index: dict[tuple[int, int, str], int] = {}
    for p, categories in enumerate(parts):
        for category, _ in categories:
            for m in range(months):
                index[(p, m, category)] = len(index)
    truth = np.zeros(len(index))
    for p, categories in enumerate(parts):
        for category, values in categories:
            for m in range(months):
                truth[index[(p, m, category)]] = values[m]
    figures_of = _group_figures(group, parts, index)
    rows = [vector for figure, vector in figures_of if figure not in hidden]
    rhs = [float(vector @ truth) for figure, vector in figures_of if figure not in hidden]
    for p in range(1, len(parts)):  # every part adds up to the same totals
        for m in range(months):
            link = np.zeros(len(index))
            for category, _ in parts[0]:
                link[index[(0, m, category)]] += 1
            for category, _ in parts[p]:
                link[index[(p, m, category)]] -= 1
            rows.append(link)
            rhs.append(0.0)
    found = {}
    for figure, vector in figures_of:
        if figure in hidden:
            low = linprog(vector, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None), method="highs")
            high = linprog(-vector, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None), method="highs")
            top = -high.fun if high.status == 0 else float("inf")
            found[figure] = (float(low.fun), top, int(vector @ truth))
    return found


def _group_figures(
    group: Group,
    parts: tuple[tuple[tuple[str, tuple[int, ...]], ...], ...],
    index: dict[tuple[int, int, str], int],
) -> list[tuple[Figure, Vector]]:
    """Every figure a group publishes for its months so far, as a row over the leaves."""
    months = len(group.totals)
    spans = [("m", n, [n]) for n in range(months)]
    spans += [("q", q, [3 * q, 3 * q + 1, 3 * q + 2]) for q in range(4) if 3 * q + 2 < months]
    spans += [("y", 0, list(range(12)))] if months == 12 else []
    found: list[tuple[Figure, Vector]] = []
    for level, number, span in spans:
        total = np.zeros(len(index))
        for category, _ in parts[0]:
            for m in span:
                total[index[(0, m, category)]] = 1
        found.append((Figure(-1, level, number), total))
        for p, categories in enumerate(parts if group.parts else ()):
            for category, _ in categories:
                cell = np.zeros(len(index))
                for m in span:
                    cell[index[(p, m, category)]] = 1
                found.append((Figure(p, level, number, category), cell))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Attack many random territories; exit 1 if any hidden figure is broken."""
    parser = argparse.ArgumentParser(prog="python -m bench.attack", description=__doc__)
    parser.add_argument("--territories", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD)
    parser.add_argument("--inequalities", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    attacked = broken = programs = 0
    for number in range(args.territories):
        rng = random.Random(args.seed + number)  # noqa: S311 - synthetic data, not secrets
        result = attack(simulate(rng), args.threshold, args.inequalities)
        attacked += result.attacked
        broken += len(result.broken)
        programs += result.programs
        for name, value, low, high in result.broken[:5]:
            say(f"  territory {number}: {name} = {value}, narrowed to [{low:g}, {high:g}]")
    elapsed = time.perf_counter() - start
    say(
        f"attack: {args.territories} territories, {attacked} hidden figures attacked, "
        f"{broken} broken (interval narrower than {args.threshold}), {programs} linear "
        f"programs, {elapsed:.0f} s"
    )
    return 1 if broken else 0


def say(line: str) -> None:
    """One line of the report."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
