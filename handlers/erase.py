"""/effacer and "Effacer": delete this conversation's messages where Telegram allows it,
forget the session, and explain in two lines how to finish on the phone.

Telegram lets a bot delete messages of a private chat, both ways, for 48 hours, up to 100
per call; older ones stay, which the closing message says honestly.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.callbacks import Start
from bot.context import BotContext
from bot.i18n import N_
from bot.markup import esc
from bot.metrics import Erased
from handlers.fallback import forget_person
from handlers.flow import count
from handlers.ui import Screen, ack, send

log = logging.getLogger(__name__)
BATCH = 100

ERASED = N_("🧹 C'est effacé ici, et vos réponses sont oubliées.")
ON_PHONE = N_(
    "Pour finir : supprimez aussi cette conversation dans Telegram (appui long sur la "
    "conversation, puis « Supprimer »), et masquez l'aperçu des notifications dans les "
    "réglages du téléphone."
)
LIMIT = N_("Les messages de plus de 48 heures ne peuvent pas être effacés par le service.")


async def delete_all(context: BotContext, chat_id: int) -> None:
    """Delete every noted message of this chat, in batches; failures are expected."""
    ids = sorted(set(context.session.message_ids))
    context.session.message_ids.clear()
    for start in range(0, len(ids), BATCH):
        try:
            await context.bot.delete_messages(chat_id, ids[start : start + BATCH])
        except TelegramError:
            log.info("erase: a batch of messages could not be deleted")


async def erase(update: Update, context: BotContext) -> int:
    """Erase, forget, explain; ends the conversation."""
    chat = update.effective_chat
    await ack(update, context)
    if chat is None:
        return ConversationHandler.END
    await count(context, Erased())
    await delete_all(context, chat.id)
    t = context.t  # the goodbye is in the person's language, forgotten with the rest
    answered = context.session.answered_query
    forget_person(context.application, update)
    session = context.session  # a fresh one
    session.answered_query = answered  # the press is answered: no second answer
    text = "\n\n".join(esc(t.gettext(p)) for p in (ERASED, ON_PHONE, LIMIT))
    screen = Screen(text, [[(t.gettext("🔄 Recommencer"), Start())]])
    message = await send(context, chat.id, screen.text, screen.markup(), rtl=t.rtl)
    session.panel_id = message.message_id  # only this message is left to erase
    return ConversationHandler.END
