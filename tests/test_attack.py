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


def test_knowing_that_a_journey_has_a_domain_and_criteria_pins_no_one() -> None:
    # Not modelled by the protection: each criterion cell lies between 0 and its domain's
    # count, and a domain's count is at most the sum of its criteria. An attacker who
    # uses that narrows a few hidden figures (about 2 in 1,000, see the README) but, over
    # 40 territories, never pins a figure that counts anyone.
    rng = random.Random(20261129)  # noqa: S311 - synthetic data
    result = attack(simulate(rng, months=12), threshold=11, inequalities=True)
    assert result.attacked > 100
    assert [b for b in result.broken if b[1] > 0 and b[3] - b[2] < 1] == []
