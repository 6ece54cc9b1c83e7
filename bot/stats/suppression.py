"""Disclosure control over nested calendar periods: no hidden figure can be narrowed to
fewer than `threshold` possible values from everything the bot publishes.

What is published. Figures are sums of monthly counters over calendar periods that
nest: months, quarters, years, and only once they are over. Within one year, for one
group of linked figures, every published figure is a flow on one edge of a network and
every additivity rule is the conservation of flow at one node:

    year total   R -> C            quarter total  C -> B(q)        month total  B(q) -> M(m)
    month cell   M(m) -> N(q, c)   quarter cell   N(q, c) -> K(c)  year cell    K(c) -> R

(C: "where totals come from", B(q): quarter q's months, M(m): month m's categories, N(q, c):
category c's months within quarter q, K(c): category c's quarters, R: the year's cells.)
Quarter = sum of its months, year = sum of its quarters, total = sum of the categories:
each is one node. Some groups share their totals (every journey that reaches the rights
counts one domain and one speaker, and the "rights" step: three tables, one total);
such a group has one tree of totals and several "parts" of cells hanging from it.

What an attacker can do. Knowing the shown figures, the hidden ones are any non-negative
flows that keep every node balanced. A hidden figure can grow by as much flow as can go
round a cycle through it: forwards along hidden edges (no limit) and backwards along
hidden edges (at most their value). So its possible values span at least
[x - maxflow(tail -> head), x + maxflow(head -> tail)] in the graph of the other hidden
edges; the published figure is safe when that span covers `threshold` units. For a group
with several parts, a cycle that moves totals must be matched in every other part (the
same journeys are counted there): the change it makes to the totals is routed through
the other parts' hidden cells too, or the cycle is not counted. Every cycle found is a
real alternative set of counters, consistent with every published figure, so the spans
are never over-estimated (an exact linear program can only find them wider).

How figures get hidden. Quarters are published one after the other, each with its three
months (and the year with its last quarter), and what was shown once stays shown
(coordinators keep their copies). So the decision is replayed in calendar order: at the
end of each quarter its figures and its months' are decided, and only these new figures
may be hidden to protect the new and the old hidden ones. (Publishing each month as soon
as it ends would leave no choice when the last month of a quarter or of the year is
small: the quarter's or the year's total would have to go; measured on random small
territories, a year total in six would be lost, against one in a hundred.) Primary
suppression hides every new figure between 1 and threshold - 1; then, while a hidden
figure is not safe, the new shown figure that lies on the cut blocking its cycles is
hidden too (month cells first, year totals last, smaller values first). Hiding every new
figure of a group always works (it publishes nothing new about it), so the loop ends.
Zeros are shown unless they are needed to protect another figure: an attacker cannot
assume that hidden means "at least 1".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

DEFAULT_THRESHOLD = 11  # French statistical practice for data on individuals
INF = 1 << 40
LOOKAHEAD = 8  # candidates tried one by one before hiding the least useful


class Figure(NamedTuple):
    """A published figure of one year: a total (part -1) or a cell of one part, of a
    month (level "m", index 0-11), a quarter ("q", 0-3) or the year ("y", 0)."""

    part: int
    level: str
    number: int
    category: str = ""


def quarter_of(month: int) -> int:
    """The quarter (0-3) of a month (0-11)."""
    return month // 3


@dataclass(frozen=True)
class Group:
    """Linked counters of one year: the monthly totals and, for each part, the monthly
    value of each category (every part's categories add up to the totals). A group with
    no part is a plain series (the totals are the only figures)."""

    totals: tuple[int, ...]  # one value per month, January first (fewer: months so far)
    parts: tuple[tuple[tuple[str, tuple[int, ...]], ...], ...] = ()

    def __post_init__(self) -> None:
        for part in self.parts:
            for _, values in part:
                if len(values) != len(self.totals):
                    raise ValueError("every category needs one value per month")
            for month, total in enumerate(self.totals):
                if sum(values[month] for _, values in part) != total:
                    raise ValueError("a part's categories must add up to the totals")


def protect(group: Group, threshold: int = DEFAULT_THRESHOLD) -> frozenset[Figure]:
    """The figures of this year to hide, as published at the end of each quarter so far
    (months that make no whole quarter are not published, so they are left out)."""
    return _protect(group, threshold)


@lru_cache(maxsize=4096)
def _protect(group: Group, threshold: int) -> frozenset[Figure]:
    decided: dict[Figure, bool] = {}  # figure -> hidden, fixed once published
    certificates: dict[Figure, frozenset[Figure] | None] = {}
    for step in range(3, len(group.totals) + 1, 3):
        _Step(group, step, threshold, decided, certificates).run()
    return frozenset(f for f, hidden in decided.items() if hidden)


# Which new figure to hide first: the least useful to coordinators.
_RANK = {("cell", "m"): 0, ("cell", "q"): 1, ("total", "m"): 2, ("cell", "y"): 3}
_RANK |= {("total", "q"): 4, ("total", "y"): 5}


class _Step:
    """The network of one group at the end of month `step` (a quarter's end), and the
    decisions taken then."""

    def __init__(
        self,
        group: Group,
        step: int,
        threshold: int,
        decided: dict[Figure, bool],
        certificates: dict[Figure, frozenset[Figure] | None],
    ) -> None:
        self.threshold = threshold
        self.decided = decided
        self.certificates = certificates
        self.tail: list[int] = []
        self.head: list[int] = []
        self.value: list[int] = []
        self.part: list[int] = []  # -1: the totals
        self.figure: list[Figure | None] = []  # None: inner edge of a plain series
        self.hidden: list[bool] = []
        self.new: list[bool] = []
        self.published: list[bool] = []
        self.nodes: dict[tuple[object, ...], int] = {}
        self.index: dict[Figure, int] = {}
        self._build(group, step)
        self.adjacent: list[list[int]] = [[] for _ in self.nodes]
        for edge, (u, v) in enumerate(zip(self.tail, self.head, strict=True)):
            self.adjacent[u].append(edge)
            self.adjacent[v].append(edge)
        self.parts = sorted({p for p in self.part if p >= 0})
        # Where the totals meet the cells: each month's M node, and R.
        self.attachments = {n for key, n in self.nodes.items() if key[0] in {"M", "R"}}
        self.queue: deque[int] = deque()

    def _node(self, *key: object) -> int:
        return self.nodes.setdefault(key, len(self.nodes))

    def _edge(
        self, ends: tuple[int, int], value: int, part: int, figure: Figure | None, published: bool
    ) -> None:
        u, v = ends
        edge = len(self.tail)
        self.tail.append(u)
        self.head.append(v)
        self.value.append(value)
        self.part.append(part)
        self.figure.append(figure)
        self.published.append(figure is not None and published)
        if figure is None or not published:
            self.hidden.append(True)  # not a figure, or not published yet: unknown
            self.new.append(False)
            return
        self.index[figure] = edge
        if figure in self.decided:
            self.hidden.append(self.decided[figure])
            self.new.append(False)
        elif self.is_new(figure):
            self.hidden.append(0 < value < self.threshold)
            self.new.append(True)
        else:  # published before it held anything: shown as zero (absent from tables)
            self.hidden.append(False)
            self.new.append(False)

    def _build(self, group: Group, step: int) -> None:
        self.step = step
        totals = group.totals[:step]
        quarters = [sum(totals[q * 3 : q * 3 + 3]) for q in range(4)]
        r, c = self._node("R"), self._node("C")
        self._edge((r, c), sum(totals), -1, Figure(-1, "y", 0), step == 12)
        for q in range(quarter_of(step - 1) + 1):
            done = step >= q * 3 + 3
            self._edge((c, self._node("B", q)), quarters[q], -1, Figure(-1, "q", q), done)
        for m, total in enumerate(totals):
            b = self.nodes[("B", quarter_of(m))]
            self._edge((b, self._node("M", m)), total, -1, Figure(-1, "m", m), True)
        parts = group.parts or ((("", tuple(totals)),),)
        for p, categories in enumerate(parts):
            inner = not group.parts
            for category, values in categories:
                kept = values[:step]
                if not any(kept):
                    continue
                k = self._node("K", p, category)
                year: Figure | None = None if inner else Figure(p, "y", 0, category)
                self._edge((k, r), sum(kept), p, year, step == 12)
                for q in range(quarter_of(step - 1) + 1):
                    n = self._node("N", p, q, category)
                    figure: Figure | None = None if inner else Figure(p, "q", q, category)
                    quarter = sum(kept[q * 3 : q * 3 + 3])
                    self._edge((n, k), quarter, p, figure, step >= q * 3 + 3)
                for m, value in enumerate(kept):
                    n = self.nodes[("N", p, quarter_of(m), category)]
                    month: Figure | None = None if inner else Figure(p, "m", m, category)
                    self._edge((self.nodes[("M", m)], n), value, p, month, True)

    def is_new(self, figure: Figure) -> bool:
        """Published at this step: the quarter that ends, its months, and the year's
        figures when the year ends."""
        number = figure.number
        month = {"m": number // 3 * 3 + 2, "q": number * 3 + 2, "y": 11}[figure.level]
        return month == self.step - 1

    # -- decisions -----------------------------------------------------------------------

    def run(self) -> None:
        """Decide this step's figures; re-check old hidden ones that may have lost cover."""
        edges = range(len(self.tail))
        newly_shown = {self.figure[e] for e in edges if self.new[e] and not self.hidden[e]}
        queue = [e for e in edges if self.new[e] and self.hidden[e]]
        for figure, used in self.certificates.items():
            if used is None or used & newly_shown:
                queue.append(self.index[figure])
        queue.sort(key=self._order)
        self.queue = deque(queue)
        while self.queue:
            edge = self.queue.popleft()
            cover = self._secure(edge)
            if cover is None:  # nothing new left to hide that would help: hide it all
                for other in edges:
                    if self.new[other] and not self.hidden[other]:
                        self.hidden[other] = True
                        self.certificates[self._figure(other)] = None
                self.certificates[self._figure(edge)] = None
                break
            self.certificates[self._figure(edge)] = cover
        for edge in edges:
            if self.new[edge]:
                self.decided[self._figure(edge)] = self.hidden[edge]
                if self.hidden[edge]:
                    self.certificates.setdefault(self._figure(edge), None)

    def _figure(self, edge: int) -> Figure:
        figure = self.figure[edge]
        if figure is None:
            raise ValueError("an inner edge of a series is not a figure")
        return figure

    def _order(self, edge: int) -> tuple[int, int, str]:
        return (0 if self.new[edge] else 1, self.value[edge], repr(self.figure[edge]))

    def _secure(self, edge: int) -> frozenset[Figure] | None:
        """Hide new figures until `edge` is safe; return the unpublished figures its cover
        goes through (they may be shown later), or None when nothing new helps."""
        while True:
            safe, used, candidates = self.check(edge)
            if safe:
                return frozenset(
                    self._figure(e) for e in used if self.figure[e] and not self.published[e]
                )
            usable = sorted(
                {e for e in candidates if self.new[e] and not self.hidden[e]}, key=self._cost
            )
            if not usable:
                return None
            # The least useful figure that is enough on its own, else the least useful one.
            chosen = usable[0]
            for candidate in usable[:LOOKAHEAD]:
                self.hidden[candidate] = True
                enough = self.check(edge)[0]
                self.hidden[candidate] = False
                if enough:
                    chosen = candidate
                    break
            self.hidden[chosen] = True
            self.queue.append(chosen)  # it needs cover too

    def _cost(self, edge: int) -> tuple[int, int, str]:
        figure = self._figure(edge)
        kind = "total" if figure.part < 0 else "cell"
        return (_RANK[(kind, figure.level)], self.value[edge], repr(figure))

    def check(self, edge: int) -> tuple[bool, set[int], list[int]]:
        """Whether the span of `edge` covers the threshold; the edges its cycles use; the
        shown edges on the cuts that block them (candidates to hide)."""
        need = self.threshold
        u, v = self.tail[edge], self.head[edge]
        caps = {1: need, -1: min(self.value[edge], need)}
        ends = {1: (v, u), -1: (u, v)}  # growing: flow back from head to tail
        owner = self.part[edge]
        attempts: list[tuple[int | None, set[int]]] = []
        if owner >= 0 and len(self.parts) > 1:
            attempts.append((None, {owner}))  # cells only: no total moves
        for main in [owner] if owner >= 0 else self.parts:
            attempts.append((main, {-1, main}))
        if not attempts:  # a total with no cells under it: nothing can move it
            return False, set(), []
        best: dict[int, _Flow] = {}
        cut: list[int] = []
        for sign in (1, -1):
            source, sink = ends[sign]
            for lead, allowed in attempts:
                found = self.flow({source: need}, {sink: need}, caps[sign], edge, allowed)
                if lead is not None:
                    found = self.linked(found, edge, sign, lead)
                if sign not in best or found.amount > best[sign].amount:
                    best[sign] = found
                if found.amount >= caps[sign]:
                    break
                cut += found.cut
        safe = best[1].amount + best[-1].amount >= need
        return safe, best[1].used | best[-1].used, [] if safe else cut

    def linked(self, found: _Flow, edge: int, sign: int, main: int) -> _Flow:
        """The same flow once its change to the totals is routed through every other part
        (the same people are counted there); nothing if one of them cannot follow."""
        others = [p for p in self.parts if p != main]
        if not others or found.amount == 0:
            return found
        change = dict(found.change)
        change[edge] = change.get(edge, 0) + sign * found.amount
        supply: dict[int, int] = {}
        for moved, amount in change.items():
            if self.part[moved] == -1 and amount:
                # More flow into M(m), or out of R, must go through every part's cells.
                supply[self.head[moved]] = supply.get(self.head[moved], 0) + amount
                supply[self.tail[moved]] = supply.get(self.tail[moved], 0) - amount
        sources = {n: s for n, s in supply.items() if s > 0 and n in self.attachments}
        sinks = {n: -s for n, s in supply.items() if s < 0 and n in self.attachments}
        if not sources:
            return found
        used = set(found.used)
        for part in others:
            routed = self.flow(sources, sinks, sum(sources.values()), None, {part})
            if routed.amount < sum(sources.values()):
                return _Flow(0, {}, set(), routed.cut)
            used |= routed.used
        return _Flow(found.amount, found.change, used, found.cut)

    def flow(
        self,
        sources: dict[int, int],
        sinks: dict[int, int],
        cap: int,
        exclude: int | None,
        allowed: set[int],
    ) -> _Flow:
        """Augmenting paths over the hidden edges of the allowed parts (-1: the totals),
        from the sources to the sinks (disjoint), up to `cap` units."""
        supply, demand = dict(sources), dict(sinks)
        change: dict[int, int] = {}
        amount = 0
        reached: dict[int, tuple[int, int, int] | None] = {}
        while amount < cap:
            reached = {s: None for s, left in supply.items() if left > 0}
            queue = deque(reached)
            end = None
            while queue:
                node = queue.popleft()
                if demand.get(node, 0) > 0:
                    end = node
                    break
                for moved in self.adjacent[node]:
                    if moved == exclude or not self.hidden[moved]:
                        continue
                    if self.part[moved] not in allowed:
                        continue
                    if self.tail[moved] == node:
                        following, room = self.head[moved], INF
                    else:
                        following = self.tail[moved]
                        room = self.value[moved] + change.get(moved, 0)
                    if room > 0 and following not in reached:
                        reached[following] = (node, moved, room)
                        queue.append(following)
            if end is None:
                break
            path: list[tuple[int, int]] = []
            node, room = end, min(cap - amount, demand[end])
            link = reached[node]
            while link is not None:
                previous, moved, moved_room = link
                room = min(room, moved_room)
                path.append((moved, 1 if self.tail[moved] == previous else -1))
                node = previous
                link = reached[node]
            room = min(room, supply[node])
            for moved, direction in path:
                change[moved] = change.get(moved, 0) + direction * room
            supply[node] -= room
            demand[end] -= room
            amount += room
        used = {e for e, c in change.items() if c}
        cut = [] if amount >= cap else self._cut(set(reached), allowed)
        return _Flow(amount, change, used, cut)

    def _cut(self, reached: set[int], allowed: set[int]) -> list[int]:
        """Shown edges that would let flow out of the reached nodes if they were hidden."""
        found = []
        for edge in range(len(self.tail)):
            if self.hidden[edge] or self.part[edge] not in allowed:
                continue
            inside, outside = self.tail[edge] in reached, self.head[edge] in reached
            if inside != outside and (inside or self.value[edge] > 0):
                found.append(edge)
        return found


@dataclass
class _Flow:
    amount: int
    change: dict[int, int]
    used: set[int]
    cut: list[int]
