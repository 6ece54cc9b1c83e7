"""Which deadlines may still be open, from how long ago it happened.

A rough guide, never a verdict: some delays start when the facts came to light, so a
"maybe past" answer always says to ask before giving up.
"""

from __future__ import annotations

from enum import StrEnum

from bot.content import Timing

CLOSE_MONTHS = 6  # "act quickly" when the delay may end within this margin


class DeadlineStatus(StrEnum):
    """Where the person stands against one delay."""

    OPEN = "open"
    CLOSE = "close"
    MAYBE_PAST = "maybe_past"


def status(timing: Timing | None, years: int) -> DeadlineStatus:
    """Compare the answered period with a delay of `years`."""
    if timing is None:
        return DeadlineStatus.CLOSE
    limit = years * 12
    if timing.min_months >= limit:
        return DeadlineStatus.MAYBE_PAST
    if timing.max_months is None or timing.max_months > limit - CLOSE_MONTHS:
        return DeadlineStatus.CLOSE
    return DeadlineStatus.OPEN
