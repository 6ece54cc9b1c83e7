"""Always available: /aide, /urgence, /langue, and the "Aide", "Langue", "Quitter" and
"Revenir" buttons. Each shows its screen over the current panel and comes back to the
question the person was on, answers kept.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, Button
from bot.context import BotContext
from bot.i18n import N_, language_name
from bot.states import Stage
from handlers.criteria import criteria_details_screen
from handlers.flow import back, go, redisplay
from handlers.referral import channel_screen, remote_screen
from handlers.start import emergency_screen, what_is_screen
from handlers.ui import Row, Screen, ack, esc, resume_row, show

HELP_TITLE = N_("❓ Aide")
CHOOSE_LANGUAGE = N_("🌐 Choisissez votre langue")
HELP_LINES = (
    N_("Répondez avec les boutons sous les messages."),
    N_("⬅️ Retour revient à la question d'avant ; vos réponses restent."),
    N_("/urgence : numéros d'urgence"),
    N_("/langue : changer de langue"),
    N_("/effacer : effacer la conversation et partir"),
    N_("/start : tout recommencer"),
)
HELP_PRIVACY = N_(
    "Rien de ce que vous écrivez n'est gardé par ce service. Sans réponse pendant un "
    "moment, la conversation s'arrête et vos réponses sont oubliées."
)


def help_screen(context: BotContext) -> Screen:
    """How to use the bot, and the privacy reminder."""
    _ = context._
    lines = "\n".join(f"• {esc(_(line))}" for line in HELP_LINES)
    text = f"<b>{esc(_(HELP_TITLE))}</b>\n\n{lines}\n\n{esc(_(HELP_PRIVACY))}"
    return Screen(text, [resume_row(context)])


def language_screen(context: BotContext) -> Screen:
    """One button per available language, in its own name."""
    _ = context._
    rows: list[Row] = [
        [
            (
                ("✅ " if code == context.language else "") + language_name(code),
                Button(Action.LANG, code.replace("@", "_")),
            )
        ]
        for code in context.bot_data.catalogs.languages
    ]
    rows.append(resume_row(context))
    return Screen(f"<b>{esc(_(CHOOSE_LANGUAGE))}</b>", rows)


def _here(context: BotContext) -> Stage:
    """The stage to stay on (the welcome when used before any journey)."""
    if context.session.stage is None:
        context.session.stage = Stage.WELCOME
    return context.session.stage


async def show_help(update: Update, context: BotContext) -> Stage:
    """/aide or "Aide"."""
    await show(update, context, help_screen(context), new=update.callback_query is None)
    return _here(context)


async def show_emergency(update: Update, context: BotContext) -> Stage:
    """/urgence: emergency numbers."""
    await show(update, context, emergency_screen(context), new=update.callback_query is None)
    return _here(context)


async def show_languages(update: Update, context: BotContext) -> Stage:
    """/langue or "Langue" (a language button with a value picks it)."""
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    if button is not None and button.value:
        code = next(
            (c for c in context.bot_data.catalogs.languages if c.replace("@", "_") == button.value),
            None,
        )
        if code is None:
            await ack(update, context)
            return _here(context)
        context.session.language = code
        _here(context)
        return await redisplay(update, context)
    await show(update, context, language_screen(context), new=update.callback_query is None)
    return _here(context)


def info_screen(context: BotContext, value: str) -> Screen | None:
    """The information screen a button names: what_is_N, emergency, channel_ID."""
    if value == "emergency":
        return emergency_screen(context)
    if value == "remote":
        return remote_screen(context)
    if value == "criteria":
        return criteria_details_screen(context)
    if value.startswith("what_is_"):
        digits = value.removeprefix("what_is_")
        return what_is_screen(context, int(digits) if digits.isdigit() else 0)
    if value.startswith("channel_"):
        wanted = value.removeprefix("channel_")
        channels = context.bot_data.content.remote_channels
        channel = next((c for c in channels if c.id == wanted), None)
        return channel_screen(context, channel) if channel else None
    return None


async def show_info(update: Update, context: BotContext) -> Stage:
    """An information screen over the panel; "Revenir" returns to the question."""
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    info = info_screen(context, button.value) if button else None
    if info is None:
        await ack(update, context)
    else:
        await show(update, context, info)
    return _here(context)


async def go_back(update: Update, context: BotContext) -> Stage:
    """ "Retour" pops the history; "Revenir" (from an information screen) redisplays."""
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    if button is not None and button.value == "resume":
        return await redisplay(update, context)
    return await back(update, context)


async def leave(update: Update, context: BotContext) -> Stage:
    """ "Quitter": the end screen, where the person can erase or start again."""
    return await go(update, context, Stage.END)
