"""Everything that is not the expected answer gets a kind word and the question again:
typed text where a button was expected, stickers, voice, photos, unknown commands, old
buttons, forged data, group chats, and conversations that expired.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Collection
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop

from bot.callbacks import Start
from bot.context import BotContext
from bot.i18n import N_
from bot.markup import esc
from bot.states import Stage
from bot.update_processor import PerChatUpdateProcessor
from handlers.flow import Move
from handlers.ui import Screen, ack, drop_panel_buttons, send

log = logging.getLogger(__name__)

USE_BUTTONS = N_("Merci. Pour cette question, répondez avec les boutons sous le message 👇")
# TRANSLATORS: typed text on a screen that asks nothing (welcome, rights pages, end).
USE_BUTTONS_HERE = N_("Merci. Ici, choisissez avec les boutons sous le message 👇")
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


def wrong_input_text(message: Message, *, question: bool = True) -> str:
    """The kind answer for a message that is not what the current step expects."""
    kinds = (
        (message.sticker or message.dice, NO_STICKERS),
        (message.voice or message.audio or message.video_note or message.video, NO_VOICE),
        (message.photo or message.document or message.animation, NO_FILES),
        (message.location or message.venue, NO_LOCATION),
        (message.contact, NO_CONTACT),
        (message.text and message.text.startswith("/"), UNKNOWN_COMMAND),
    )
    plain = USE_BUTTONS if question else USE_BUTTONS_HERE
    return next((text for present, text in kinds if present), plain)


async def wrong_input(
    update: Update, context: BotContext, *, questions: Collection[Stage] = ()
) -> Move:
    """Explain, then show the current screen again at the bottom (`questions`: the stages
    that ask something, from the stage table)."""
    message = update.effective_message
    chat = update.effective_chat
    if update.edited_message is not None:
        await edited(update, context)
        return Move.STAY
    if message is not None and chat is not None:
        text = wrong_input_text(message, question=context.session.stage in questions)
        await send(context, chat.id, esc(context._(text)))
    return Move.BELOW


async def edited(update: Update, context: BotContext) -> None:
    """An edited message is never carried out: say so."""
    if update.effective_chat is not None:
        await send(context, update.effective_chat.id, esc(context._(EDITED)))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Outside a journey: list the commands."""
    chat = update.effective_chat
    if chat is not None:
        await send(context, chat.id, esc(context._(UNKNOWN_COMMAND)))


async def stale_in_conversation(update: Update, context: BotContext) -> Move:
    """A button of an earlier step, or forged data: say so, show the current question."""
    await ack(update, context, context._(STALE))
    return Move.BELOW


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
            esc(_(EXPIRED)), [[(_("🔄 Recommencer"), Start())]]
        )
        message = await send(context, chat.id, screen.text, screen.markup())
        context.session.panel_id = message.message_id


async def timed_out(update: object, context: BotContext) -> None:
    """Inactivity: take the buttons off the panel (no notification), then forget the whole
    session: answers, language and the ids of the chat's messages, as the README promises.
    An old button then gets "this conversation has expired"."""
    if not isinstance(update, Update):
        return
    if update.effective_chat is not None:
        await drop_panel_buttons(context, update.effective_chat.id)
    forget_person(context.application, update)
    log.info("a conversation expired")


def forget_person(application: Application[Any, Any, Any, Any, Any, Any], update: Update) -> None:
    """Drop everything python-telegram-bot keeps for this person and chat (memory only)."""
    if update.effective_user is not None:
        application.drop_user_data(update.effective_user.id)
    if update.effective_chat is not None:
        application.drop_chat_data(update.effective_chat.id)


FLOOD = N_(
    "Vous envoyez beaucoup de messages d'un coup : je réponds aux premiers, les suivants "
    "sont ignorés. Attendez ma réponse avant d'écrire ou d'appuyer à nouveau, merci."
)


async def flood_notice(
    application: Application[Any, BotContext, Any, Any, Any, Any], update: Update
) -> None:
    """Told once by the update processor when a person's updates come too fast."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    data = application.bot_data
    session = application.user_data.get(user.id) if user is not None else None
    language = data.catalogs.pick(
        session.language if session else None, user.language_code if user else None
    )
    text = esc(data.catalogs.translator(language).gettext(FLOOD))
    message = await application.bot.send_message(chat.id, text)
    if session is not None:
        session.remember_message(message.message_id)


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
            esc(_(PRIVATE_ONLY)), url_rows=[(_("Écrire au service en privé"), link)]
        )
        try:
            await context.bot.send_message(chat.id, screen.text, reply_markup=screen.markup())
        except TelegramError:
            log.info("group: the private-only notice could not be sent")
    raise ApplicationHandlerStop


async def note_incoming(update: Update, context: BotContext) -> None:
    """Note the id of every message the person sends, for /effacer (never its content), and
    that the session is in use (in memory: idle sessions are forgotten)."""
    if update.effective_user is None:
        return
    session = context.session
    session.seen = time.monotonic()
    message = update.message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        session.remember_message(message.message_id)


async def forget_idle_sessions(context: BotContext) -> None:
    """A repeating job: forget sessions idle for longer than the conversation timeout, also
    those whose journey had already ended (erased, finished), so none outlives it."""
    application = context.application
    processor = application.update_processor
    limit = context.bot_data.settings.conversation_timeout_minutes * 60
    now = time.monotonic()
    idle = [
        user_id
        for user_id, session in application.user_data.items()
        if now - session.seen > limit
        and not (isinstance(processor, PerChatUpdateProcessor) and processor.busy(user_id))
    ]
    for user_id in idle:
        application.drop_user_data(user_id)
        application.drop_chat_data(user_id)  # a private chat's id is the user's
    if idle:
        log.info("%d idle sessions forgotten", len(idle))


async def answer_leftover(update: Update, context: BotContext) -> None:
    """Safety net: a button press that no handler answered still stops spinning."""
    await ack(update, context)
