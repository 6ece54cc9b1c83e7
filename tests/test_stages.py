"""The stage table (handlers/__init__.py: STAGES) is the journey: every stage has a row,
every move a handler can make is declared in its row, and docs/journey.mmd draws them."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from bot.states import Stage
from handlers import ALWAYS, COMMANDS, STAGES
from handlers.flow import To

ROOT = Path(__file__).resolve().parent.parent
RETURNED = re.compile(r"return\b[^\n]*")


def returned_stages(handler: object) -> set[Stage]:
    """The stages a handler's code returns (read from its source)."""
    if isinstance(handler, To):
        return {handler.target} if isinstance(handler.target, Stage) else set()
    source = inspect.getsource(handler)  # type: ignore[arg-type]
    names = {n for line in RETURNED.findall(source) for n in re.findall(r"Stage\.(\w+)", line)}
    return {Stage[name] for name in names}


def test_every_stage_has_a_row() -> None:
    assert set(STAGES) == set(Stage)


def test_every_move_a_handler_returns_is_declared_in_its_row() -> None:
    for stage, spec in STAGES.items():
        handlers = [*spec.buttons.values(), *(h for _filter, h in spec.messages)]
        for handler in handlers:
            undeclared = returned_stages(handler) - spec.targets() - {stage}
            assert not undeclared, f"{stage.name}: {handler.__name__} returns {undeclared}"


def test_what_works_everywhere_only_starts_or_ends() -> None:
    for handler in [*ALWAYS.values(), *COMMANDS.values()]:
        assert returned_stages(handler) <= {Stage.WELCOME, Stage.END}, handler.__name__


def test_the_journey_diagram_draws_the_stage_table() -> None:
    """docs/journey.mmd has every stage and every move the table declares."""
    diagram = (ROOT / "docs" / "journey.mmd").read_text(encoding="utf-8")
    edges = set()
    for line in diagram.splitlines():
        found = re.match(r"\s*([A-Z]+)\s*(?:--\s*.*?)?-->\s*([A-Z]+)\s*$", line)
        if found:
            edges.add((found[1], found[2]))
    nodes = {name for edge in edges for name in edge}
    assert nodes == {stage.name for stage in Stage}
    declared = {(a.name, b.name) for a, spec in STAGES.items() for b in spec.targets()}
    assert declared <= edges, sorted(declared - edges)
