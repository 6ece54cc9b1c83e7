"""A bare python-telegram-bot echo bot, the load benchmark's yardstick.

`python -m bench.echo_bot` with TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL set: one
MessageHandler that replies with the text and a button, one CallbackQueryHandler that
answers the press and edits the message, with what the real bot's builder sets that costs
CPU per call (AIORateLimiter, HTML parse mode, concurrent updates). What the real bot spends
per Bot API interaction beyond this is its own work.
"""

from __future__ import annotations

import html
import os
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

TAP = "tap"


def tap_button(count: int) -> InlineKeyboardMarkup:
    """One button whose data carries how many times it was pressed."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(TAP, callback_data=str(count))]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to a text with the same text and a button."""
    if update.message is not None:
        text = update.message.text or ""
        await update.message.reply_text(f"echo: {html.escape(text)}", reply_markup=tap_button(0))


async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press, then edit the message: "tap N" and the button again."""
    query = update.callback_query
    if query is None:
        return
    count = int(query.data or "0") + 1
    await query.answer()
    await query.edit_message_text(f"{TAP} {count}", reply_markup=tap_button(count))


def main() -> None:
    """Long-poll the configured Bot API (the double) until SIGTERM."""
    builder: Any = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .concurrent_updates(256)
        .rate_limiter(AIORateLimiter(max_retries=2))
    )
    base_url = os.environ.get("TELEGRAM_API_BASE_URL")
    if base_url:
        builder = builder.base_url(base_url)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(tapped))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
