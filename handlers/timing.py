"""Stage 6: when it happened; the deadlines shown later follow from it.

Exit: what evidence there is.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import When
from bot.context import BotContext
from bot.states import Stage
from handlers.choices import chosen, single_choice
from handlers.ui import Screen


def timing_screen(context: BotContext) -> Screen:
    """The periods, from "still going on" to "more than 5 years"."""
    _ = context._
    return single_choice(
        context,
        _("Quand est-ce arrivé ?"),
        context.bot_data.content.timings,
        When,
        hint=_("Si cela s'est passé plusieurs fois, pensez à la dernière fois."),
    )


async def choose_timing(update: Update, context: BotContext) -> Stage | None:
    """Record when, then ask about evidence."""
    timing = await chosen(update, context, When, context.bot_data.content.timings)
    if timing is None:
        return None
    context.session.journey.timing = timing
    return Stage.EVIDENCE
