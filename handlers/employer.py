"""Stage 4b (work only): is the employer public or private? Public-sector workers go to
the tribunal administratif, not the conseil de prud'hommes, and their delays differ
(legal-facts §0): the rights pages and the summary follow from this answer ("Je ne sais
pas" gives both).

Exit: the criteria.
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


@screen(Stage.EMPLOYER)
def employer_screen(context: BotContext) -> Screen:
    """Public, private, or not known."""
    _ = context._
    question = (
        _(N_("L'employeur est-il public ou privé ?"))
        if context.session.journey.about_someone_else
        else _(N_("Votre employeur est-il public ou privé ?"))
    )
    return single_choice(
        context,
        question,
        context.bot_data.content.employers,
        Action.EMPLOYER,
        hint=_(N_("Les recours et les délais ne sont pas les mêmes.")),
    )


async def choose_employer(update: Update, context: BotContext) -> Stage | None:
    """Record the kind of employer, then ask why."""
    employer = await chosen(update, context, context.bot_data.content.employers)
    if employer is None:
        return None
    context.session.journey.employer = employer
    return await go(update, context, Stage.CRITERIA)
