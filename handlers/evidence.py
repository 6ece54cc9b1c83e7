"""Stage 7: what evidence there is (several allowed; "rien pour l'instant" is exclusive).

Exit: "Valider" → the optional free text.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Evidence
from bot.context import BotContext
from bot.states import Stage
from handlers.choices import choose_one, chosen, multi_choice, toggle
from handlers.flow import Move
from handlers.ui import Screen, ack

NOTHING = "none"


def evidence_screen(context: BotContext) -> Screen:
    """Evidence kinds as toggles."""
    _ = context._
    journey = context.session.journey
    question = (
        _("Quelles traces ou preuves existent ?")
        if journey.about_someone_else
        else _("Quelles traces ou preuves avez-vous ?")
    )
    hint = _("Plusieurs réponses possibles, puis « Valider ». Ne les envoyez pas ici.")
    kinds = context.bot_data.content.evidence_kinds
    return multi_choice(context, question, kinds, Evidence, journey.evidence, hint=hint)


async def toggle_evidence(update: Update, context: BotContext) -> Move | None:
    """Tick or untick one kind; the message is edited in place."""
    kind = await chosen(update, context, Evidence, context.bot_data.content.evidence_kinds)
    if kind is None:
        return None
    toggle(context.session.journey.evidence, kind, {NOTHING})
    return Move.AGAIN


async def confirm_evidence(update: Update, context: BotContext) -> Stage | None:
    """Go on once at least one answer is ticked."""
    if not context.session.journey.evidence:
        await ack(update, context, choose_one(context, NOTHING), alert=True)
        return None
    return Stage.NARRATIVE
