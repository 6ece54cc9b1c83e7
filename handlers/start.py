"""Stage 1–2: /start and the privacy promise.

Exits: "Commencer" → who is speaking; "Trouver de l'aide près de chez moi" → straight to
the referral (for someone who only wants an address or a phone; counted as the funnel
step "nearby"; "Retour" comes back here); "Qu'est-ce qu'une discrimination ?" and
"Numéros d'urgence" → information screens (handlers/info.py) that come back here;
"Langue" → the language list; "Effacer et quitter" → erase.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Begin, Erase, Help, Info, Languages, WhatIs
from bot.callbacks import Nearby as NearbyButton
from bot.context import BotContext
from bot.i18n import N_
from bot.markup import bold, esc
from bot.metrics import ShortWay, Started
from bot.outreach import PRACTICE
from bot.states import Stage
from handlers.flow import count
from handlers.info import WHAT_IS
from handlers.ui import PRACTICE_BANNER, Row, Screen

WELCOME = N_(
    "Bonjour. Ce service gratuit vous aide si vous pensez avoir été traité(e) injustement : "
    "comprendre vos droits et trouver qui peut vous aider près de chez vous."
)
PROMISE = N_(
    "🔒 Ce que vous écrivez ici n'est pas gardé par ce service. Il compte seulement, "
    "de façon anonyme, combien de personnes l'utilisent. N'écrivez pas de noms."
)
HONESTY = N_(
    "Telegram n'est pas une messagerie secrète. À la fin, vous pourrez effacer cette "
    "conversation pour réduire les traces."
)
NEARBY = N_("📍 Trouver de l'aide près de chez moi")
DANGER = N_("En danger maintenant ? Appelez le 17 ou le 112.")


def welcome_screen(context: BotContext) -> Screen:
    """The promise and the first choices."""
    _ = context._
    text = "\n\n".join(esc(_(p)) for p in (WELCOME, PROMISE, HONESTY, DANGER))
    if context.session.practice:
        text = f"{bold(_(PRACTICE_BANNER))}\n\n{text}"
    rows: list[Row] = [
        [(_("▶️ Commencer"), Begin())],
        [(_(NEARBY), NearbyButton())],
        [(_(WHAT_IS), WhatIs(0))],
        [(_("🚨 Numéros d'urgence"), Info("emergency"))],
        [(_("🌐 Langue"), Languages()), (_("❓ Aide"), Help())],
        [(_("🧹 Effacer et quitter"), Erase())],
    ]
    return Screen(text, rows)


async def start(update: Update, context: BotContext) -> Stage:
    """/start (or "Recommencer"): a new journey, counted, shown from the welcome."""
    session = context.session
    session.new_journey()
    session.language = context.language
    payload = context.args[0] if context.args else None
    if update.message is not None:  # a typed /start or /entrainement chooses the mode;
        text = update.message.text or ""  # "Recommencer" keeps the current one
        session.practice = payload == PRACTICE or text.startswith("/entrainement")
    known = context.bot_data.sources.codes
    await count(context, Started(session.language, payload, known))  # none in practice
    return Stage.WELCOME


async def nearby(update: Update, context: BotContext) -> Stage:
    """ "Trouver de l'aide près de chez moi": the referral at once, questions later."""
    context.session.journey.quick = True
    await count(context, ShortWay())
    return Stage.REFERRAL
