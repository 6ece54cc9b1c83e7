"""Stage 11–12: the summary to keep or forward, then the end screen (was it useful,
erase, start again).

The summary is its own message so that it stays when the panel moves on; it is in the
person's language and, when that is not French, in French too for the delegate.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from telegram import InputFile, ReplyKeyboardRemove, Update

from bot.callbacks import Action, Button
from bot.context import BotContext
from bot.counters import Metric
from bot.i18n import N_, SOURCE_LANGUAGE
from bot.rtl import rtl_pass
from bot.states import Stage
from bot.summary import Copy, build_summary, chat_parts, summary_document
from handlers.flow import count_step, go, screen
from handlers.start import PRACTICE_BANNER
from handlers.ui import Row, Screen, ack, drop_panel_buttons, esc, send, show

AND_NOW = N_("Et maintenant ?")
ERASE_HINT = N_(
    "Pour réduire les traces, effacez cette conversation quand vous avez gardé le résumé."
)
USEFUL = {"yes": N_("👍 Oui"), "partly": N_("Un peu"), "no": N_("👎 Non")}
DOCUMENT_CAPTION = N_(
    "📄 Le même résumé en fichier, à garder, imprimer ou transférer. Il s'ouvre dans un navigateur."
)


@screen(Stage.END)
def end_screen(context: BotContext) -> Screen:
    """Was it useful, erase, start again."""
    _ = context._
    journey = context.session.journey
    parts = [f"<b>{esc(_(AND_NOW))}</b>"]
    rows: list[Row] = []
    if journey.useful is None:
        parts.append(esc(_(N_("Ce service vous a-t-il été utile ? (réponse anonyme)"))))
        rows.append([(_(label), Button(Action.USEFUL, key)) for key, label in USEFUL.items()])
    else:
        parts.append(esc(_(N_("Merci pour votre réponse."))))
    parts.append(esc(_(ERASE_HINT)))
    rows += [
        [(_(N_("🧹 Effacer cette conversation")), Button(Action.ERASE))],
        [(_(N_("🔄 Recommencer")), Button(Action.START, "again"))],
        [(_(N_("⬅️ Retour")), Button(Action.BACK)), (_(N_("❓ Aide")), Button(Action.HELP))],
    ]
    return Screen("\n\n".join(parts), rows)


async def send_summary(update: Update, context: BotContext) -> Stage:
    """Send the summary (twice when the language is not French), each cut into messages
    that fit a screen, then the same as a document, then the end screen."""
    chat = update.effective_chat
    if chat is None:
        return Stage.END
    await ack(update, context)
    await count_step(context, Stage.SUMMARY)
    content = context.bot_data.content
    journey = context.session.journey
    today = datetime.now(context.bot_data.settings.zone).date()
    await drop_panel_buttons(context, chat.id)
    sample = bool(context.bot_data.directory and context.bot_data.directory.info.sample)
    # The summary also takes away the location keyboard of the referral step.
    summary = build_summary(content, journey, context.t, today, sample_places=sample)
    if context.session.practice:
        summary = f"<b>{esc(context._(PRACTICE_BANNER))}</b>\n\n{summary}"
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
    return await go(update, context, Stage.END, new=True)


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


async def useful(update: Update, context: BotContext) -> None:
    """Count the anonymous answer once per journey and thank."""
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    journey = context.session.journey
    if button is None or button.value not in USEFUL:
        await ack(update, context)
        return
    if journey.useful is None:
        journey.useful = button.value
        await context.counters.increment(Metric.USEFUL, button.value)
    await ack(update, context, context._(N_("Merci !")))
    await show(update, context, end_screen(context))
