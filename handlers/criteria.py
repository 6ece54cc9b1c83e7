"""Stage 5: why they think it happened — groups of the legal criteria, several allowed.

"Je ne sais pas / autre raison" is exclusive: it leads to the kind explanation that unfair
treatment without a criterion of the law is not discrimination in the legal sense.
Exit: "Valider" → when it happened.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Criterion, Info
from bot.context import BotContext
from bot.i18n import N_
from bot.states import Stage
from handlers.choices import choose_one, chosen, multi_choice, toggle
from handlers.flow import Move
from handlers.ui import Row, Screen, ack

DETAILS = N_("ℹ️ Que veut dire chaque raison ?")


def criteria_screen(context: BotContext) -> Screen:
    """The criterion groups as toggles."""
    _ = context._
    journey = context.session.journey
    question = (
        _("Selon vous, pourquoi la personne a-t-elle été traitée ainsi ?")
        if journey.about_someone_else
        else _("Selon vous, pourquoi avez-vous été traité(e) ainsi ?")
    )
    hint = _("Plusieurs réponses possibles. Appuyez sur chaque raison, puis sur « Valider ».")
    groups = context.bot_data.content.criterion_groups
    details: Row = [(_(DETAILS), Info("criteria"))]
    return multi_choice(
        context,
        question,
        groups,
        Criterion,
        journey.criteria,
        hint=hint,
        explain=False,
        extra=details,
    )


def _not_legal(context: BotContext) -> set[str]:
    return {g.id for g in context.bot_data.content.criterion_groups if not g.legal}


async def toggle_criterion(update: Update, context: BotContext) -> Move | None:
    """Tick or untick one group; the message is edited in place."""
    group = await chosen(update, context, Criterion, context.bot_data.content.criterion_groups)
    if group is None:
        return None
    toggle(context.session.journey.criteria, group, _not_legal(context))
    return Move.AGAIN


async def confirm_criteria(update: Update, context: BotContext) -> Stage | None:
    """Go on once at least one reason is chosen."""
    if not context.session.journey.criteria:
        unsure = next(iter(_not_legal(context)), "")
        await ack(update, context, choose_one(context, unsure), alert=True)
        return None
    return Stage.WHEN
