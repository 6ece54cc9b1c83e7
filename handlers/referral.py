"""Stage 10: who can help. The remote channels of the Défenseur des droits, always; the
nearest local delegates come with the directory (issue 3), never an invented address.

Exits: a channel's button → its details (and back); "Voir mon résumé" → summary.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, Button
from bot.content import Contact
from bot.context import BotContext
from bot.i18n import N_
from bot.states import Stage
from handlers.flow import screen
from handlers.ui import Row, Screen, esc, footer, resume_row, sources_line

INTRO = N_("Le Défenseur des droits est gratuit. Vous pouvez le joindre à distance :")
DETAILS = N_("Appuyez sur un contact pour en savoir plus.")


@screen(Stage.REFERRAL)
def referral_screen(context: BotContext) -> Screen:
    """The remote channels in one line each, a button for the details of each."""
    _ = context._
    channels = context.bot_data.content.remote_channels
    lines = [f"• <b>{esc(_(c.title))}</b> : {esc(c.reach)}" for c in channels]
    sources = tuple(dict.fromkeys(s for c in channels for s in c.sources))
    text = "\n\n".join(
        [
            f"<b>{esc(_(N_('📍 Trouver de l’aide')))}</b>",
            esc(_(INTRO)),
            "\n".join(lines),
            esc(_(DETAILS)),
            sources_line(context, sources, numbers_only=True),
        ]
    )
    rows: list[Row] = [
        [("ℹ️ " + _(c.title), Button(Action.INFO, f"channel_{c.id}"))] for c in channels
    ]
    rows.append([(_(N_("📝 Voir mon résumé ➡️")), Button(Action.NEXT))])
    rows.append(footer(context))
    return Screen(text, rows)


def channel_screen(context: BotContext, channel: Contact) -> Screen:
    """One channel: how to reach it, what it does, and its sources."""
    _ = context._
    head = f"<b>{esc(_(channel.title))}</b>"
    if channel.reach:
        head += f"\n{esc(channel.reach)}"
    text = f"{head}\n\n{esc(_(channel.text))}\n\n{sources_line(context, channel.sources)}"
    return Screen(text, [resume_row(context)])


async def to_summary(update: Update, context: BotContext) -> Stage:
    """On to the summary (sent as its own message, to keep)."""
    from handlers.summary import send_summary  # noqa: PLC0415 - stage order, not a cycle

    return await send_summary(update, context)
