"""An attacker against everything the bot publishes (`bench.attack`): random small
territories, 24 months of journeys as the bot counts them, every breakdown of every month,
quarter and year that is over; for each hidden figure, the smallest and largest value a
linear program finds given all the shown ones. `python -m bench.attack` runs 200."""

from __future__ import annotations

import random

import pytest

from bench.attack import attack, periods, simulate
from bot.stats.figures import Kind


@pytest.mark.parametrize("seed", [1, 2])
def test_no_hidden_figure_can_be_narrowed_below_the_threshold(seed: int) -> None:
    territory = simulate(random.Random(seed))  # noqa: S311 - synthetic data
    kinds = {p.kind for p in periods(territory)}
    assert kinds == {Kind.MONTH, Kind.QUARTER, Kind.YEAR}
    result = attack(territory, threshold=11)
    assert result.attacked > 300  # a small territory: many figures are hidden
    assert result.broken == []


def test_even_knowing_that_a_journey_has_one_domain_and_some_criteria() -> None:
    # Not modelled by the protection: criterion cells lie between the domain's count and
    # the sum of its criteria. The attacker who uses it still breaks nothing here.
    rng = random.Random(3)  # noqa: S311 - synthetic data
    result = attack(simulate(rng), threshold=11, inequalities=True)
    assert result.broken == []
