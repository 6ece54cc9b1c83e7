"""Stage 6: when it happened; the deadlines shown later follow from it.

Exit: what evidence there is.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action
from bot.context import BotContext
from bot.i18n import N_
from bot.states import Stage
from handlers.choices import chosen, single_choice
from handlers.flow import go, screen
from handlers.ui import Screen


@screen(Stage.WHEN)
def timing_screen(context: BotContext) -> Screen:
    """The periods, from "still going on" to "more than 5 years"."""
    _ = context._
    return single_choice(
        context,
        _(N_("Quand est-ce arrivé ?")),
        context.bot_data.content.timings,
        Action.WHEN,
        hint=_(N_("Si cela s'est passé plusieurs fois, pensez à la dernière fois.")),
    )


async def choose_timing(update: Update, context: BotContext) -> Stage | None:
    """Record when, then ask about evidence."""
    timing = await chosen(update, context, context.bot_data.content.timings)
    if timing is None:
        return None
    context.session.journey.timing = timing
    return await go(update, context, Stage.EVIDENCE)
