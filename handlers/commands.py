"""Always available: /aide, /urgence, /langue, and the "Aide", "Langue" and information
buttons. Each shows its screen over the current panel; "Revenir" comes back to the
question the person was on, answers kept ("Retour", "Revenir" and "Quitter" are moves of
the stage table in handlers/__init__.py).
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Callback, Language
from bot.context import BotContext
from bot.i18n import N_, language_name
from bot.markup import bold, esc
from handlers.flow import Move
from handlers.info import emergency_screen, info_screen
from handlers.ui import Row, Screen, ack, pressed, resume_row, show

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
    text = f"{bold(_(HELP_TITLE))}\n\n{lines}\n\n{esc(_(HELP_PRIVACY))}"
    return Screen(text, [resume_row(context)])


def language_screen(context: BotContext) -> Screen:
    """One button per available language, in its own name."""
    _ = context._
    rows: list[Row] = [
        [
            (
                ("✅ " if code == context.language else "") + language_name(code),
                Language(code),
            )
        ]
        for code in context.bot_data.catalogs.languages
    ]
    rows.append(resume_row(context))
    # The question in every language too: whoever cannot read this one finds theirs.
    catalogs = context.bot_data.catalogs
    others = (catalogs.translator(code).gettext(CHOOSE_LANGUAGE) for code in catalogs.languages)
    lines = dict.fromkeys(line.removeprefix("🌐").strip() for line in others)
    lines.pop(_(CHOOSE_LANGUAGE).removeprefix("🌐").strip(), None)
    return Screen("\n".join([bold(_(CHOOSE_LANGUAGE)), *map(esc, lines)]), rows)


async def show_help(update: Update, context: BotContext) -> Move:
    """/aide or "Aide"."""
    await show(update, context, help_screen(context), new=update.callback_query is None)
    return Move.STAY


async def show_emergency(update: Update, context: BotContext) -> Move:
    """/urgence: emergency numbers."""
    await show(update, context, emergency_screen(context), new=update.callback_query is None)
    return Move.STAY


async def show_languages(update: Update, context: BotContext) -> Move:
    """/langue or "Langue": the list."""
    await show(update, context, language_screen(context), new=update.callback_query is None)
    return Move.STAY


async def pick_language(update: Update, context: BotContext) -> Move:
    """A language button: the question the person was on, in that language."""
    button = pressed(update, Language)
    if button is None or button.code not in context.bot_data.catalogs.languages:
        await ack(update, context)
        return Move.STAY
    context.session.language = button.code
    return Move.AGAIN


async def show_info(update: Update, context: BotContext) -> Move:
    """An information screen over the panel; "Revenir" returns to the question."""
    info = info_screen(context, pressed(update, Callback))
    if info is None:
        await ack(update, context)
    else:
        await show(update, context, info)
    return Move.STAY
