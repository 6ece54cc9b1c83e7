"""Rendering helpers shared by the journey's handlers: screens, keyboards, sending.

A question is one "panel" message that is edited as the person moves with buttons; a new
panel is sent when the person typed something, and the old panel loses its buttons so
that only the current question can be answered. Every message id of the chat is noted
in the session so that /effacer can delete it.
"""

from __future__ import annotations

import contextlib
import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, NetworkError

from bot.callbacks import Action, Button
from bot.content import Source
from bot.context import BotContext
from bot.i18n import N_

log = logging.getLogger(__name__)

Row = list[tuple[str, Button]]


@dataclass
class Screen:
    """What a person sees: HTML text and rows of (label, button)."""

    text: str
    rows: list[Row] = field(default_factory=list)
    url_rows: list[tuple[str, str]] = field(default_factory=list)

    def markup(self) -> InlineKeyboardMarkup | None:
        """The inline keyboard, or None when the screen has no buttons."""
        keyboard = [
            [InlineKeyboardButton(label, callback_data=button.pack()) for label, button in row]
            for row in self.rows
        ]
        keyboard += [[InlineKeyboardButton(label, url=url)] for label, url in self.url_rows]
        return InlineKeyboardMarkup(keyboard) if keyboard else None


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (content and anything typed)."""
    return html.escape(text, quote=False)


FSI, PDI = "\u2068", "\u2069"  # Unicode first-strong isolate and its end


def ltr(context: BotContext, text: str) -> str:
    """Isolate a left-to-right fragment (number, address, link, French name) inside a
    right-to-left message, so that Arabic lines read in the right order in Telegram."""
    return f"{FSI}{text}{PDI}" if text and context.t.rtl else text


def footer(context: BotContext, *, back: bool = True) -> Row:
    """The row every question ends with: back, help, leave."""
    _ = context._
    row: Row = []
    if back:
        row.append((_(N_("⬅️ Retour")), Button(Action.BACK)))
    row.append((_(N_("❓ Aide")), Button(Action.HELP)))
    row.append((_(N_("✖️ Quitter")), Button(Action.EXIT)))
    return row


def resume_row(context: BotContext) -> Row:
    """The row of an information screen: back to the question it was opened from."""
    _ = context._
    return [
        (_(N_("⬅️ Revenir")), Button(Action.BACK, "resume")),
        (_(N_("❓ Aide")), Button(Action.HELP)),
        (_(N_("✖️ Quitter")), Button(Action.EXIT)),
    ]


def sources_line(
    context: BotContext, sources: Sequence[Source], *, numbers_only: bool = False
) -> str:
    """ "Source : …": the first source by its title, the others as numbers, all linked.

    Keeps a message short while every statement still links to where it comes from;
    screens that gather several contacts number all their sources.
    """
    _ = context._

    def name(index: int, source: Source) -> str:
        return esc(source.title) if index == 0 and not numbers_only else str(index + 1)

    links = " · ".join(
        f'<a href="{html.escape(s.url, quote=True)}">{name(i, s)}</a>'
        for i, s in enumerate(sources)
    )
    label = _(N_("Sources :")) if len(sources) > 1 else _(N_("Source :"))
    return f"<i>{esc(label)}</i> {links}"


async def ack(
    update: Update, context: BotContext, text: str | None = None, alert: bool = False
) -> None:
    """Answer the button press once (Telegram shows a spinner until then); a failed answer
    is tried once more (answering twice is harmless: Telegram refuses the second)."""
    query = update.callback_query
    session = context.session
    if query is None or session.answered_query == query.id:
        return
    session.answered_query = query.id
    for attempt in (1, 2):
        try:
            await query.answer(text=text, show_alert=alert)
            return
        except BadRequest:  # a subclass of NetworkError: too old, or already answered
            log.info("a callback query was too old to answer")
            return
        except NetworkError as error:
            if attempt == 2:
                log.info("a callback query could not be answered (%s)", type(error).__name__)


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
) -> Message:
    """Send a message and note its id for /effacer."""
    message = await context.bot.send_message(chat_id, text, reply_markup=markup)
    context.session.remember_message(message.message_id)
    return message


async def drop_panel_buttons(context: BotContext, chat_id: int) -> None:
    """Take the buttons off the previous panel, so only the current question answers."""
    session = context.session
    if session.panel_id is None:
        return
    panel_id, session.panel_id = session.panel_id, None
    session.panel_shown = None
    with contextlib.suppress(BadRequest):  # deleted meanwhile
        await context.bot.edit_message_reply_markup(chat_id, panel_id, reply_markup=None)


async def show(update: Update, context: BotContext, screen: Screen, *, new: bool = False) -> None:
    """Show a screen: edit the pressed panel, or send a new panel at the bottom."""
    chat = update.effective_chat
    if chat is None:
        return
    query = update.callback_query
    session = context.session
    await ack(update, context)
    markup = screen.markup()
    pressed = query.message if query is not None and not new else None
    if query is not None and pressed is not None and session.panel_id in {None, pressed.message_id}:
        shown = (pressed.message_id, screen.text, markup)
        if session.panel_shown == shown:  # a double tap: the screen is already there
            return
        try:
            await query.edit_message_text(screen.text, reply_markup=markup)
            session.panel_id = pressed.message_id if screen.rows else None
            session.panel_shown = shown
            return
        except BadRequest as error:
            if "not modified" in str(error):
                return
            log.info("a panel could not be edited; sending a new one")
    await drop_panel_buttons(context, chat.id)
    message = await send(context, chat.id, screen.text, markup)
    session.panel_id = message.message_id if screen.rows else None
    session.panel_shown = (message.message_id, screen.text, markup)
