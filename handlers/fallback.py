"""Everything that is not the expected answer gets a kind word and the question again:
typed text where a button was expected, stickers, voice, photos, unknown commands, old
buttons, forged data, group chats, and conversations that expired.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import Action, Button
from bot.context import BotContext
from bot.i18n import N_
from bot.states import Stage
from handlers.flow import redisplay
from handlers.ui import Screen, ack, drop_panel_buttons, esc, send

log = logging.getLogger(__name__)

USE_BUTTONS = N_("Merci. Pour cette question, répondez avec les boutons sous le message 👇")
NO_STICKERS = N_("Merci ! Je ne lis pas les autocollants. Répondez avec les boutons 👇")
NO_VOICE = N_(
    "Je ne peux pas écouter les messages vocaux ou vidéo. "
    "Répondez avec les boutons ou en écrivant 👇"
)
NO_FILES = N_(
    "Pour votre sécurité, n'envoyez ni photo ni document ici : gardez vos preuves chez vous. "
    "Répondez avec les boutons 👇"
)
NO_LOCATION = N_("Je n'ai pas besoin de votre position à cette étape. Répondez avec les boutons 👇")
NO_CONTACT = N_(
    "N'envoyez pas de contact ici, pour protéger cette personne. Répondez avec les boutons 👇"
)
UNKNOWN_COMMAND = N_(
    "Je ne connais pas cette commande. Les commandes : /start, /aide, /urgence, /langue, /effacer."
)
EDITED = N_("Je ne lis pas les messages modifiés : envoyez plutôt un nouveau message.")
STALE = N_("Ce bouton ne correspond plus à la question en cours.")
EXPIRED = N_(
    "Cette conversation a expiré : vos réponses ont été oubliées. "
    "Appuyez sur « Recommencer » pour reprendre depuis le début."
)
EXPIRED_SHORT = N_("Cette conversation a expiré.")
PRIVATE_ONLY = N_(
    "Bonjour. Je fonctionne seulement en conversation privée, pour protéger ce que chacun "
    "raconte. Écrivez-moi directement :"
)


def wrong_input_text(message: Message) -> str:
    """The kind answer for a message that is not what the current step expects."""
    kinds = (
        (message.sticker or message.dice, NO_STICKERS),
        (message.voice or message.audio or message.video_note or message.video, NO_VOICE),
        (message.photo or message.document or message.animation, NO_FILES),
        (message.location or message.venue, NO_LOCATION),
        (message.contact, NO_CONTACT),
        (message.text and message.text.startswith("/"), UNKNOWN_COMMAND),
    )
    return next((text for present, text in kinds if present), USE_BUTTONS)


async def wrong_input(update: Update, context: BotContext) -> Stage:
    """Explain, then show the current question again at the bottom."""
    message = update.effective_message
    chat = update.effective_chat
    if update.edited_message is not None and chat is not None:
        await send(context, chat.id, esc(context._(EDITED)))
        return context.session.stage or Stage.WELCOME
    if message is not None and chat is not None:
        await send(context, chat.id, esc(context._(wrong_input_text(message))))
    return await redisplay(update, context, new=True)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Outside a journey: list the commands."""
    chat = update.effective_chat
    if chat is not None:
        await send(context, chat.id, esc(context._(UNKNOWN_COMMAND)))


async def stale_in_conversation(update: Update, context: BotContext) -> Stage:
    """A button of an earlier step, or forged data: say so, show the current question."""
    await ack(update, context, context._(STALE))
    return await redisplay(update, context, new=True)


async def expired(update: Update, context: BotContext) -> None:
    """A button whose conversation is gone (expiry, restart, erase): offer to start again."""
    query = update.callback_query
    chat = update.effective_chat
    await ack(update, context, context._(EXPIRED_SHORT))
    if query is not None and query.message is not None:
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(reply_markup=None)
    if chat is not None:
        _ = context._
        screen = Screen(
            esc(_(EXPIRED)), [[(_(N_("🔄 Recommencer")), Button(Action.START, "again"))]]
        )
        message = await send(context, chat.id, screen.text, screen.markup())
        context.session.panel_id = message.message_id


async def timed_out(update: object, context: BotContext) -> None:
    """Inactivity: forget the answers, take the buttons off the panel (no notification).

    The ids of messages still in the chat are kept, so that /effacer can still delete them.
    """
    chat_id = (
        update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    )
    if chat_id is not None:
        await drop_panel_buttons(context, chat_id)
    context.session.new_journey()
    log.info("a conversation expired")


async def not_private(update: Update, context: BotContext) -> None:
    """In a group or channel: say once that the bot works in private, then nothing."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    await ack(update, context)
    answered = context.bot_data.groups_answered
    if chat.id not in answered and chat.type != ChatType.CHANNEL:
        answered.add(chat.id)
        _ = context._
        link = f"https://t.me/{context.bot.username}"
        screen = Screen(
            esc(_(PRIVATE_ONLY)), url_rows=[(_(N_("Écrire au service en privé")), link)]
        )
        try:
            await context.bot.send_message(chat.id, screen.text, reply_markup=screen.markup())
        except TelegramError:
            log.info("group: the private-only notice could not be sent")
    raise ApplicationHandlerStop


async def note_incoming(update: Update, context: BotContext) -> None:
    """Note the id of every message the person sends, for /effacer (never its content)."""
    message = update.message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        context.session.remember_message(message.message_id)


async def answer_leftover(update: Update, context: BotContext) -> None:
    """Safety net: a button press that no handler answered still stops spinning."""
    await ack(update, context)
