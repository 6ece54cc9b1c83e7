"""Stage 11–12: the summary to keep or forward, then the end screen (was it useful,
erase, start again).

The summary is its own message so that it stays when the panel moves on; it is in the
person's language and, when that is not French, in French too for the delegate.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from telegram import InputFile, ReplyKeyboardRemove, Update

from bot.callbacks import Back, Erase, Help, Start, Useful, UsefulAnswer
from bot.context import BotContext
from bot.i18n import N_, SOURCE_LANGUAGE
from bot.markup import bold, esc
from bot.metrics import Rated
from bot.rtl import rtl_pass
from bot.summary import Copy, build_summary, chat_parts, summary_document
from handlers.flow import Move, count
from handlers.ui import PRACTICE_BANNER, Row, Screen, ack, drop_panel_buttons, pressed, send

AND_NOW = N_("Et maintenant ?")
ERASE_HINT = N_(
    "Pour réduire les traces, effacez cette conversation quand vous avez gardé le résumé."
)
# TRANSLATORS: the end screen when the person leaves before any summary was made.
ERASE_HINT_NO_SUMMARY = N_("Pour réduire les traces, vous pouvez effacer cette conversation.")
# TRANSLATORS: the three answers to "Was this service useful to you?", as short buttons.
USEFUL: dict[UsefulAnswer, str] = {"yes": N_("👍 Oui"), "partly": N_("Un peu"), "no": N_("👎 Non")}
DOCUMENT_CAPTION = N_(
    "📄 Le même résumé en fichier, à garder, imprimer ou transférer. Il s'ouvre dans un navigateur."
)


def end_screen(context: BotContext) -> Screen:
    """Was it useful, erase, start again."""
    _ = context._
    journey = context.session.journey
    parts = [bold(_(AND_NOW))]
    rows: list[Row] = []
    if journey.useful is None:
        parts.append(esc(_("Ce service vous a-t-il été utile ? (réponse anonyme)")))
        rows.append([(_(label), Useful(key)) for key, label in USEFUL.items()])
    else:
        parts.append(esc(_("Merci pour votre réponse.")))
    parts.append(esc(_(ERASE_HINT if journey.summary_sent else ERASE_HINT_NO_SUMMARY)))
    rows += [
        [(_("🧹 Effacer cette conversation"), Erase())],
        [(_("🔄 Recommencer"), Start())],
        [(_("⬅️ Retour"), Back()), (_("❓ Aide"), Help())],
    ]
    return Screen("\n\n".join(parts), rows)


async def send_summary(update: Update, context: BotContext) -> None:
    """Entering the summary: send it (twice when the language is not French), each cut
    into messages that fit a screen, then the same as a document; the end screen follows."""
    chat = update.effective_chat
    if chat is None:
        return
    await ack(update, context)
    content = context.bot_data.content
    journey = context.session.journey
    today = datetime.now(context.bot_data.settings.zone).date()
    await drop_panel_buttons(context, chat.id)
    sample = bool(context.bot_data.directory and context.bot_data.directory.info.sample)
    # The summary also takes away the location keyboard of the referral step.
    summary = build_summary(content, journey, context.t, today, sample_places=sample)
    if context.session.practice:
        summary = f"{bold(context._(PRACTICE_BANNER))}\n\n{summary}"
    parts = chat_parts(summary)
    await send(context, chat.id, parts[0], ReplyKeyboardRemove())
    for part in parts[1:]:
        await send(context, chat.id, part)
    copies = [Copy(summary, context.t)]
    if context.t.language.split("@")[0] != SOURCE_LANGUAGE:
        french = context.bot_data.catalogs.translator(SOURCE_LANGUAGE)
        copy = build_summary(content, journey, french, today, sample_places=sample)
        for part in chat_parts(copy):
            await send(context, chat.id, part, rtl=False)
        copies.append(Copy(copy, french))
    await send_document(context, chat.id, copies, today)
    journey.summary_sent = True


async def send_document(context: BotContext, chat_id: int, copies: list[Copy], today: date) -> None:
    """The same summary as an HTML file, built in memory and sent (never written to disk;
    /effacer deletes the message like the others)."""
    name, page = summary_document(copies, today)
    caption = esc(context._(DOCUMENT_CAPTION))
    if context.t.rtl:
        caption = rtl_pass(caption)
    message = await context.bot.send_document(
        chat_id, InputFile(io.BytesIO(page), filename=name), caption=caption
    )
    context.session.remember_message(message.message_id)


async def useful(update: Update, context: BotContext) -> Move | None:
    """Count the anonymous answer once per journey and thank."""
    button = pressed(update, Useful)
    journey = context.session.journey
    if button is None:
        await ack(update, context)
        return None
    if journey.useful is None:
        journey.useful = button.answer
        await count(context, Rated(button.answer))
    await ack(update, context, context._("Merci !"))
    return Move.AGAIN
