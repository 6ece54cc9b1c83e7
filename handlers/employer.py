"""Stage 4b (work only): is the employer public or private? Public-sector workers go to
the tribunal administratif, not the conseil de prud'hommes, and their delays differ
(legal-facts §0): the rights pages and the summary follow from this answer ("Je ne sais
pas" gives both).

Exit: the criteria.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Employer
from bot.context import BotContext
from bot.states import Stage
from handlers.choices import chosen, single_choice
from handlers.ui import Screen


def employer_screen(context: BotContext) -> Screen:
    """Public, private, or not known."""
    _ = context._
    question = (
        _("L'employeur est-il public ou privé ?")
        if context.session.journey.about_someone_else
        else _("Votre employeur est-il public ou privé ?")
    )
    return single_choice(
        context,
        question,
        context.bot_data.content.employers,
        Employer,
        hint=_("Les recours et les délais ne sont pas les mêmes."),
    )


async def choose_employer(update: Update, context: BotContext) -> Stage | None:
    """Record the kind of employer, then ask why."""
    employer = await chosen(update, context, Employer, context.bot_data.content.employers)
    if employer is None:
        return None
    context.session.journey.employer = employer
    return Stage.CRITERIA
