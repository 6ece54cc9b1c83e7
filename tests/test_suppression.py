"""Disclosure control on crafted tables, including the hard cases."""

from __future__ import annotations

from collections.abc import Hashable

from bot.stats.suppression import Line, suppress


def recomputable(
    values: dict[Hashable, int], lines: list[Line], hidden: set[Hashable]
) -> set[Hashable]:
    """Hidden keys an attacker can solve from the shown values, by repeated subtraction."""
    known = {k for k in values if k not in hidden}
    solved: set[Hashable] = set()
    progress = True
    while progress:
        progress = False
        for line in lines:
            members = [*line.cells, line.total]
            unknown = [k for k in members if k not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                solved.add(unknown[0])
                progress = True
    return solved


def one_way(cells: dict[str, int]) -> tuple[dict[Hashable, int], list[Line]]:
    """A 1-D table with its total."""
    values: dict[Hashable, int] = dict(cells.items())
    values["total"] = sum(cells.values())
    return values, [Line(tuple(cells), "total")]


def test_example_from_the_manual_one_small_cell_in_a_row() -> None:
    # total 20 = emploi 12 + logement 5 + santé 3: hiding only 5 and 3 leaves 8 < 11,
    # so a third cell must go too.
    values, lines = one_way({"emploi": 12, "logement": 5, "sante": 3})
    hidden = suppress(values, lines)
    assert {"logement", "sante"} <= hidden
    assert "emploi" in hidden
    assert not recomputable(values, lines, hidden)


def test_a_single_small_cell_takes_a_second_with_it() -> None:
    values, lines = one_way({"a": 40, "b": 30, "c": 4})
    hidden = suppress(values, lines)
    assert hidden == {"b", "c"}  # the smallest other cell, never the large one
    assert not recomputable(values, lines, hidden)


def test_nothing_small_nothing_hidden_and_zeros_stay() -> None:
    values, lines = one_way({"a": 40, "b": 0, "c": 11})
    assert suppress(values, lines) == set()


def test_a_small_total_hides_the_whole_line() -> None:
    values, lines = one_way({"a": 6, "b": 3})
    hidden = suppress(values, lines)
    assert hidden == {"a", "b", "total"}


def test_two_small_cells_whose_sum_is_large_enough_suffice() -> None:
    values, lines = one_way({"a": 50, "b": 7, "c": 8})
    assert suppress(values, lines) == {"b", "c"}


def test_hidden_cell_whose_column_total_is_shown_elsewhere() -> None:
    # Domain x criterion: each criterion column adds up to the criterion's total, which
    # the criterion breakdown publishes. One small cell in a column forces another.
    cells = {
        ("work", "origin"): 30,
        ("housing", "origin"): 4,
        ("work", "age"): 25,
        ("housing", "age"): 12,
    }
    values: dict[Hashable, int] = dict(cells.items())
    lines = []
    for criterion in ("origin", "age"):
        column = tuple(k for k in cells if k[1] == criterion)
        values[("total", criterion)] = sum(cells[k] for k in column)
        lines.append(Line(column, ("total", criterion)))
    hidden = suppress(values, lines)
    assert ("housing", "origin") in hidden
    assert ("work", "origin") in hidden
    assert ("work", "age") not in hidden
    assert not recomputable(values, lines, hidden)


def test_linked_lines_are_protected_together() -> None:
    # Rows and columns both published: hiding must hold in both directions.
    cells = {
        (r, c): v
        for (r, c), v in {
            ("a", "x"): 3,
            ("a", "y"): 20,
            ("a", "z"): 25,
            ("b", "x"): 30,
            ("b", "y"): 22,
            ("b", "z"): 14,
            ("c", "x"): 18,
            ("c", "y"): 16,
            ("c", "z"): 40,
        }.items()
    }
    values: dict[Hashable, int] = dict(cells.items())
    lines = []
    for r in "abc":
        row = tuple((r, c) for c in "xyz")
        values[("row", r)] = sum(cells[k] for k in row)
        lines.append(Line(row, ("row", r)))
    for c in "xyz":
        col = tuple((r, c) for r in "abc")
        values[("col", c)] = sum(cells[k] for k in col)
        lines.append(Line(col, ("col", c)))
    hidden = suppress(values, lines)
    assert ("a", "x") in hidden
    assert not recomputable(values, lines, hidden)
    for line in lines:
        in_line = [k for k in (*line.cells, line.total) if k in hidden]
        assert len(in_line) != 1
