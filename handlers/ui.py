"""Rendering helpers shared by the journey's handlers: screens, keyboards, sending.

A question is one "panel" message that is edited as the person moves with buttons; a new
panel is sent when the person typed something, and the old panel loses its buttons so
that only the current question can be answered. Every message id of the chat is noted
in the session so that /effacer can delete it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, NetworkError

from bot.callbacks import Back, Callback, Exit, Help, Resume
from bot.content import Source
from bot.context import BotContext
from bot.i18n import N_
from bot.markup import isolate, italic, link
from bot.rtl import mirror, rtl_pass

log = logging.getLogger(__name__)
C = TypeVar("C", bound=Callback)

Row = list[tuple[str, Callback]]
PRACTICE_BANNER = N_(
    "🎓 Mode entraînement : le parcours est le même, mais rien n'est compté. "
    "Pour une vraie personne, envoyez /start."
)


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


def pressed(update: Update, kind: type[C]) -> C | None:
    """The button of this kind the person pressed; None for anything else (no button, an
    old or forged one)."""
    query = update.callback_query
    button = Callback.parse(query.data if query else None)
    return button if isinstance(button, kind) else None


def directed(context: BotContext, screen: Screen) -> Screen:
    """The screen as a right-to-left reader should see it (text through `rtl_pass`, arrows
    of the buttons mirrored); unchanged in a left-to-right language."""
    if not context.t.rtl:
        return screen
    rows = [[(mirror(label), button) for label, button in row] for row in screen.rows]
    urls = [(mirror(label), url) for label, url in screen.url_rows]
    return Screen(rtl_pass(screen.text), rows, urls)


def _mirrored(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """The same keyboard with its arrows mirrored (callback data and links unchanged)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    mirror(button.text), callback_data=button.callback_data, url=button.url
                )
                for button in row
            ]
            for row in markup.inline_keyboard
        ]
    )


def ltr(context: BotContext, text: str) -> str:
    """Isolate a left-to-right fragment (number, address, link, French name) inside a
    right-to-left message, so that Arabic lines read in the right order in Telegram."""
    return isolate(text, context.t.rtl)


def footer(context: BotContext, *, back: bool = True) -> Row:
    """The row every question ends with: back, help, leave."""
    _ = context._
    row: Row = []
    if back:
        row.append((_("⬅️ Retour"), Back()))
    row.append((_("❓ Aide"), Help()))
    row.append((_("✖️ Quitter"), Exit()))
    return row


def resume_row(context: BotContext) -> Row:
    """The row of an information screen: back to the question it was opened from."""
    _ = context._
    return [
        (_("⬅️ Revenir"), Resume()),
        (_("❓ Aide"), Help()),
        (_("✖️ Quitter"), Exit()),
    ]


def sources_line(
    context: BotContext, sources: Sequence[Source], *, numbers_only: bool = False
) -> str:
    """ "Source : …": the first source by its title, the others by the readable name of
    their official site (one link per site), all linked. Screens that gather several
    contacts (`numbers_only`) name every source by its site only.
    """
    _ = context._
    shown: list[tuple[str, str]] = []
    for index, source in enumerate(sources):
        name = source.title if index == 0 and not numbers_only else source.site
        if any(name == seen or name in seen for seen, _url in shown):
            continue  # that site is already named (e.g. "… (Légifrance)")
        shown.append((name, source.url))
    links = " · ".join(
        link(url, name) for name, url in shown
    )
    label = _("Sources :") if len(shown) > 1 else _("Source :")
    return f"{italic(label)} {links}"


async def ack(
    update: Update, context: BotContext, text: str | None = None, alert: bool = False
) -> None:
    """Answer the button press once (Telegram shows a spinner until then). A failed answer
    is tried once more by `bot.telegram_bot.TelegramBot`, which retries idempotent calls."""
    query = update.callback_query
    session = context.session
    if query is None or session.answered_query == query.id:
        return
    session.answered_query = query.id
    try:
        await query.answer(text=text, show_alert=alert)
    except BadRequest:  # a subclass of NetworkError: too old, or already answered
        log.info("a callback query was too old to answer")
    except NetworkError as error:
        log.info("a callback query could not be answered (%s)", type(error).__name__)


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
    *,
    rtl: bool | None = None,
) -> Message:
    """Send a message and note its id for /effacer. A message in a right-to-left language
    goes through `rtl_pass` (`rtl=False` for a text in another language, e.g. the French
    copy of the summary)."""
    if context.t.rtl if rtl is None else rtl:
        text = rtl_pass(text)
        if isinstance(markup, InlineKeyboardMarkup):
            markup = _mirrored(markup)
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
    screen = directed(context, screen)
    markup = screen.markup()
    panel = query.message if query is not None and not new else None
    if query is not None and panel is not None and session.panel_id in {None, panel.message_id}:
        shown = (panel.message_id, screen.text, markup)
        if session.panel_shown == shown:  # a double tap: the screen is already there
            return
        try:
            await query.edit_message_text(screen.text, reply_markup=markup)
            session.panel_id = panel.message_id if screen.rows else None
            session.panel_shown = shown
            return
        except BadRequest as error:
            if "not modified" in str(error):
                return
            log.info("a panel could not be edited; sending a new one")
    await drop_panel_buttons(context, chat.id)
    message = await send(context, chat.id, screen.text, markup, rtl=False)  # already directed
    session.panel_id = message.message_id if screen.rows else None
    session.panel_shown = (message.message_id, screen.text, markup)
