"""Disclosure control: small cells hidden, and enough others hidden that none can be
recomputed from the totals published with them.

A table is a set of named values linked by equations ("lines"): the cells of a line add
up to the line's total, which is published too. Primary suppression hides every value
between 1 and threshold − 1. Secondary suppression then makes sure no line has exactly
one hidden value (it could be recomputed by subtraction) and that, when a line's total is
shown, the hidden cells of that line add up to at least the threshold; it hides the
smallest shown non-zero cell of the line, or the total when no cell is left. Repeat until
every line is safe. Zeros are shown: they reveal no one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 11  # French statistical practice for data on individuals


@dataclass(frozen=True)
class Line:
    """An equation of the table: sum(cells) == total."""

    cells: tuple[Hashable, ...]
    total: Hashable


def suppress(
    values: Mapping[Hashable, int], lines: Sequence[Line], threshold: int = DEFAULT_THRESHOLD
) -> set[Hashable]:
    """The keys to hide: primary (small values), then secondary until every line is safe."""
    hidden = {key for key, value in values.items() if 0 < value < threshold}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if _safe(values, line, hidden, threshold):
                continue
            candidates = [c for c in line.cells if c not in hidden and values.get(c, 0) > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda c: (values[c], str(c))))
            elif line.total not in hidden:
                hidden.add(line.total)
            else:
                continue
            changed = True
    return hidden


def _safe(
    values: Mapping[Hashable, int], line: Line, hidden: set[Hashable], threshold: int
) -> bool:
    members = [*line.cells, line.total]
    count = sum(1 for key in members if key in hidden)
    if count == 0:
        return True
    if count == 1:
        return False
    if line.total in hidden:
        return True  # two or more unknowns in one equation
    hidden_sum = sum(values.get(c, 0) for c in line.cells if c in hidden)
    return hidden_sum >= threshold
