"""Where a delay may stand, from how long ago it happened.

A rough guide, never a verdict. The answer is a period ("1 to 5 years ago", "more than 5
years ago"), so a delay is compared with the whole period, both ends:

- the whole period lies beyond the delay counted from the facts: `PAST`, said as "maybe
  past", because some delays start later (the revelation, the notification, hidden facts);
- the period runs past the end of the delay, which includes every period without an upper
  bound: `MAYBE_PAST`, "may already be past", never "soon";
- the period ends within `CLOSE_MONTHS` of the end: `CLOSE`, "may soon be reached";
- otherwise `OPEN`.

Delays that start on 1 January after the facts (`year_after`) last at least their length
after the facts: they are compared on that length, the cautious side.
"""

from __future__ import annotations

from enum import StrEnum

from bot.content import Timing
from bot.i18n import N_

CLOSE_MONTHS = 6  # "act quickly" when the delay may end within this margin


class DeadlineStatus(StrEnum):
    """Where the person stands against one delay."""

    OPEN = "open"
    CLOSE = "close"
    MAYBE_PAST = "maybe_past"
    PAST = "past"


def status(timing: Timing | None, months: int) -> DeadlineStatus:
    """Compare the answered period with a delay of `months` counted from the facts."""
    if timing is None:  # not answered: say it may soon be reached, never that it is open
        return DeadlineStatus.CLOSE
    if timing.min_months >= months:
        return DeadlineStatus.PAST
    if timing.max_months is None or timing.max_months > months:
        return DeadlineStatus.MAYBE_PAST
    if timing.max_months > months - CLOSE_MONTHS:
        return DeadlineStatus.CLOSE
    return DeadlineStatus.OPEN


# What a rights page says under a delay, by status (handlers/rights.py).
NOTES = {
    DeadlineStatus.OPEN: N_(
        "➡️ D'après votre réponse, ce délai n'est sans doute pas dépassé. "
        "Agissez tôt quand même : les souvenirs et les preuves s'effacent."
    ),
    DeadlineStatus.CLOSE: N_(
        "⚠️ D'après votre réponse, ce délai est peut-être bientôt atteint. "
        "Agissez vite et demandez conseil."
    ),
    DeadlineStatus.MAYBE_PAST: N_(
        "⚠️ D'après votre réponse, ce délai est peut-être déjà dépassé. "
        "Demandez conseil vite, avant de renoncer."
    ),
    DeadlineStatus.PAST: N_(
        "⚠️ D'après votre réponse, ce délai est sans doute dépassé. "
        "Certains délais commencent plus tard : demandez conseil avant de renoncer."
    ),
}
# The same, for a witness or a helper: the person concerned is the one who acts.
NOTES_OTHER = {
    DeadlineStatus.OPEN: N_(
        "➡️ D'après votre réponse, ce délai n'est sans doute pas dépassé. "
        "Mieux vaut agir tôt : les souvenirs et les preuves s'effacent."
    ),
    DeadlineStatus.CLOSE: N_(
        "⚠️ D'après votre réponse, ce délai est peut-être bientôt atteint. "
        "Il faut agir vite et demander conseil."
    ),
    DeadlineStatus.MAYBE_PAST: N_(
        "⚠️ D'après votre réponse, ce délai est peut-être déjà dépassé. "
        "Il faut demander conseil vite, avant de renoncer."
    ),
    DeadlineStatus.PAST: N_(
        "⚠️ D'après votre réponse, ce délai est sans doute dépassé. "
        "Certains délais commencent plus tard : il faut demander conseil avant de renoncer."
    ),
}
