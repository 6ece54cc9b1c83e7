"""Stage 3: who is speaking — the person concerned, a witness, or someone helping.

The answer changes the wording from "vous" to "la personne" for the rest of the journey.
Exit: the domain question.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Speaker
from bot.context import BotContext
from bot.states import Stage
from handlers.choices import chosen, single_choice
from handlers.ui import Screen


def speaker_screen(context: BotContext) -> Screen:
    """Three choices, with a word on why it is asked."""
    _ = context._
    return single_choice(
        context,
        _("Qui utilise ce service ?"),
        context.bot_data.content.speakers,
        Speaker,
        hint=_("C'est pour choisir les bons mots dans la suite."),
    )


async def choose_speaker(update: Update, context: BotContext) -> Stage | None:
    """Record the speaker, then ask where it happened."""
    speaker = await chosen(update, context, Speaker, context.bot_data.content.speakers)
    if speaker is None:
        return None
    context.session.journey.speaker = speaker
    return Stage.DOMAIN
