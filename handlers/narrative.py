"""Stage 8: optional free text "in your own words", kept in memory for the summary only.

The text is never stored or logged; it disappears with the conversation. Exits: a typed
text or "Passer" → the rights pages.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Done
from bot.context import BotContext
from bot.i18n import N_
from bot.markup import bold, esc
from bot.states import Stage
from handlers.ui import Row, Screen, footer, send

NOTED = N_("Merci. Ce texte servira seulement au résumé, puis il sera oublié.")
# TRANSLATORS: after a typed text longer than the summary keeps (about 1,500 characters).
NOTED_LONG = N_(
    "Merci. Votre texte est long : le résumé en garde seulement le début. "
    "Il servira seulement au résumé, puis il sera oublié."
)
MAX_NARRATIVE = 1500  # characters kept for the summary; the summary must fit one message


def narrative_screen(context: BotContext) -> Screen:
    """Invite a few sentences, with the privacy rule, and a way to skip."""
    _ = context._
    journey = context.session.journey
    question = (
        _("Si vous le souhaitez, racontez en quelques phrases ce qui est arrivé à la personne.")
        if journey.about_someone_else
        else _("Si vous le souhaitez, racontez en quelques phrases ce qui s'est passé.")
    )
    rule = _(
        "Ce texte sert seulement à préparer le résumé à la fin. Il n'est pas enregistré "
        "et disparaît avec la conversation. N'écrivez pas de noms, d'adresse ni de numéro."
    )
    text = f"{bold(question)}\n\n{esc(rule)}"
    if journey.narrative:
        text += "\n\n" + esc(_("Vous avez déjà écrit un texte : un nouveau message le remplace."))
    rows: list[Row] = [[(_("Passer cette étape ➡️"), Done())], footer(context)]
    return Screen(text, rows)


async def receive_text(update: Update, context: BotContext) -> Stage:
    """Keep the text in memory (trimmed), then show the rights."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    context.session.journey.narrative = text.strip()[:MAX_NARRATIVE]
    chat = update.effective_chat
    if chat is not None:
        noted = NOTED_LONG if len(text.strip()) > MAX_NARRATIVE else NOTED
        await send(context, chat.id, esc(context._(noted)))
    return Stage.RIGHTS
