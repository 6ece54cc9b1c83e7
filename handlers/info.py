"""Information screens shown over the current panel, from any stage: "what is
discrimination?", the emergency numbers, the meaning of each reason, the remote channels
and each channel's details. "Revenir" comes back to the question they were opened over.

No stage module is imported here, and stage modules use these screens' building blocks
(the remote channels) from here, so that stage modules never import each other.
"""

from __future__ import annotations

from bot.callbacks import Callback, Channel, Info, WhatIs
from bot.content import Contact
from bot.context import BotContext
from bot.i18n import N_
from bot.markup import bold, esc, link
from bot.rtl import colon
from handlers.ui import Row, Screen, ltr, resume_row, sources_line

WHAT_IS = N_("Qu'est-ce qu'une discrimination ?")
EMERGENCY_TITLE = N_("🚨 Urgences : gratuit, 24 h/24")
DETAILS_TITLE = N_("Les raisons que la loi protège")
REMOTE_TITLE = N_("☎️ À distance, gratuitement")
INTRO_REMOTE = N_("Le Défenseur des droits est gratuit. Vous pouvez le joindre à distance :")


def what_is_screen(context: BotContext, page: int) -> Screen:
    """One page of "what is discrimination?", with its sources."""
    _ = context._
    passages = context.bot_data.content.what_is
    page = max(0, min(page, len(passages) - 1))
    passage = passages[page]
    title = f"{_(WHAT_IS)} ({page + 1}/{len(passages)})"
    text = (
        f"{bold(title)}\n\n{bold(_(passage.title))}\n{esc(_(passage.text))}\n\n"
        + sources_line(context, passage.sources)
    )
    pages: Row = []
    if page > 0:
        pages.append((_("◀️ Précédent"), WhatIs(page - 1)))
    if page + 1 < len(passages):
        # TRANSLATORS: the button to the next page of "what is discrimination?".
        pages.append((_("Suite ➡️"), WhatIs(page + 1)))
    rows: list[Row] = [pages] if pages else []
    rows.append(resume_row(context))
    return Screen(text, rows)


def emergency_screen(context: BotContext) -> Screen:
    """The emergency numbers, each with what it is for."""
    _ = context._
    content = context.bot_data.content
    lines = [bold(_(EMERGENCY_TITLE))]
    lines += [f"{bold(_(c.title))}\n{esc(_(c.text))}" for c in content.emergency]
    sources = tuple(dict.fromkeys(s for c in content.emergency for s in c.sources))
    lines.append(sources_line(context, sources, numbers_only=True))
    return Screen("\n\n".join(lines), [resume_row(context)])


def criteria_details_screen(context: BotContext) -> Screen:
    """What each group of reasons covers, in the law's terms."""
    _ = context._
    lines = [bold(_(DETAILS_TITLE))]
    lines += [
        f"• {bold(_(g.label))}{colon(context.t.language)}{esc(_(g.hint))}"
        for g in context.bot_data.content.criterion_groups
        if g.hint
    ]
    return Screen("\n".join(lines), [resume_row(context)])


def remote_lines(context: BotContext, *, compact: bool = False) -> list[str]:
    """The remote channels, one line each (`compact`: a channel reached by a link is the
    link itself, not its address)."""
    _ = context._
    sep = colon(context.t.language)
    lines = []
    for c in context.bot_data.content.remote_channels:
        if compact and c.url and not (c.phone or c.address):
            lines.append(f"• {link(c.url, _(c.title), strong=True)}")
        else:
            lines.append(f"• {bold(_(c.title))}{sep}{esc(ltr(context, c.reach))}")
    return lines


def remote_text(
    context: BotContext, intro: str, *, strong: bool = False, compact: bool = False
) -> str:
    """The remote channels as one short paragraph (its intro in bold when `strong`), with
    their sources."""
    channels = context.bot_data.content.remote_channels
    sources = tuple(dict.fromkeys(s for c in channels for s in c.sources))
    head = context._(intro)
    return "\n".join(
        [
            bold(head) if strong else esc(head),
            *remote_lines(context, compact=compact),
            sources_line(context, sources, numbers_only=True),
        ]
    )


def channel_rows(context: BotContext) -> list[Row]:
    """A details button per remote channel."""
    _ = context._
    return [
        [("ℹ️ " + _(c.title), Channel(c.id))] for c in context.bot_data.content.remote_channels
    ]


def remote_screen(context: BotContext) -> Screen:
    """The remote channels over the panel, with their details buttons."""
    _ = context._
    text = f"{bold(_(REMOTE_TITLE))}\n\n{remote_text(context, INTRO_REMOTE)}"
    return Screen(text, [*channel_rows(context), resume_row(context)])


def channel_screen(context: BotContext, channel: Contact) -> Screen:
    """One channel: how to reach it, what it does, and its sources."""
    _ = context._
    head = bold(_(channel.title))
    if channel.reach:
        head += f"\n{esc(ltr(context, channel.reach))}"
    text = f"{head}\n\n{esc(_(channel.text))}\n\n{sources_line(context, channel.sources)}"
    return Screen(text, [resume_row(context)])


def info_screen(context: BotContext, button: Callback | None) -> Screen | None:
    """The information screen a button names; None for a channel that is gone."""
    if isinstance(button, WhatIs):
        return what_is_screen(context, button.page)
    if isinstance(button, Channel):
        channels = context.bot_data.content.remote_channels
        channel = next((c for c in channels if c.id == button.id), None)
        return channel_screen(context, channel) if channel else None
    if isinstance(button, Info):
        screens = {
            "emergency": emergency_screen,
            "remote": remote_screen,
            "criteria": criteria_details_screen,
        }
        return screens[button.topic](context)
    return None
