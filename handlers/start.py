"""Stage 1–2: /start, the privacy promise, and the information screens reachable from it.

Exits: "Commencer" → who is speaking; "Trouver de l'aide près de chez moi" → straight to
the referral (for someone who only wants an address or a phone; counted as the funnel
step "nearby"; "Retour" comes back here); "Qu'est-ce qu'une discrimination ?" and
"Numéros d'urgence" → information screens (handlers/commands.py) that come back here;
"Langue" → the language list; "Effacer et quitter" → erase.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, Button
from bot.context import BotContext
from bot.counters import Metric
from bot.i18n import N_
from bot.outreach import PRACTICE
from bot.states import Stage
from handlers.flow import go, screen
from handlers.ui import Row, Screen, esc, resume_row, sources_line

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
PRACTICE_BANNER = N_(
    "🎓 Mode entraînement : le parcours est le même, mais rien n'est compté. "
    "Pour une vraie personne, envoyez /start."
)
WHAT_IS = N_("Qu'est-ce qu'une discrimination ?")
NEARBY = N_("📍 Trouver de l'aide près de chez moi")
NEARBY_STEP = "nearby"  # the funnel step of the short way to a delegate
EMERGENCY_TITLE = N_("🚨 Urgences : gratuit, 24 h/24")
DANGER = N_("En danger maintenant ? Appelez le 17 ou le 112.")


@screen(Stage.WELCOME)
def welcome_screen(context: BotContext) -> Screen:
    """The promise and the first choices."""
    _ = context._
    text = "\n\n".join(esc(_(p)) for p in (WELCOME, PROMISE, HONESTY, DANGER))
    if context.session.practice:
        text = f"<b>{esc(_(PRACTICE_BANNER))}</b>\n\n{text}"
    rows: list[Row] = [
        [(_(N_("▶️ Commencer")), Button(Action.BEGIN))],
        [(_(NEARBY), Button(Action.NEARBY))],
        [(_(WHAT_IS), Button(Action.INFO, "what_is_0"))],
        [(_(N_("🚨 Numéros d'urgence")), Button(Action.INFO, "emergency"))],
        [(_(N_("🌐 Langue")), Button(Action.LANG)), (_(N_("❓ Aide")), Button(Action.HELP))],
        [(_(N_("🧹 Effacer et quitter")), Button(Action.ERASE))],
    ]
    return Screen(text, rows)


async def start(update: Update, context: BotContext) -> Stage:
    """/start (or "Recommencer"): a new journey, counted once, shown from the welcome."""
    session = context.session
    session.new_journey()
    session.language = context.language
    payload = context.args[0] if context.args else None
    if update.message is not None:  # a typed /start or /entrainement chooses the mode;
        text = update.message.text or ""  # "Recommencer" keeps the current one
        session.practice = payload == PRACTICE or text.startswith("/entrainement")
    counters = context.counters  # counts nothing in practice mode
    await counters.increment(Metric.LANGUAGE, session.language)
    if not session.source_counted:
        session.source_counted = True
        await counters.increment(Metric.SOURCE, context.bot_data.sources.count_as(payload))
    new = update.callback_query is None or update.callback_query.message is None
    return await go(update, context, Stage.WELCOME, new=new)


async def begin(update: Update, context: BotContext) -> Stage:
    """ "Commencer": on to who is speaking."""
    return await go(update, context, Stage.SPEAKER)


async def nearby(update: Update, context: BotContext) -> Stage:
    """ "Trouver de l'aide près de chez moi": the referral at once, questions later."""
    from handlers.referral import enter_referral  # noqa: PLC0415 - stage order, not a cycle

    journey = context.session.journey
    journey.quick = True
    if NEARBY_STEP not in journey.steps_counted:
        journey.steps_counted.add(NEARBY_STEP)
        await context.counters.increment(Metric.STEP, NEARBY_STEP)
    return await enter_referral(update, context)


def what_is_screen(context: BotContext, page: int) -> Screen:
    """One page of "what is discrimination?", with its sources."""
    _ = context._
    passages = context.bot_data.content.what_is
    page = max(0, min(page, len(passages) - 1))
    passage = passages[page]
    title = f"{_(WHAT_IS)} ({page + 1}/{len(passages)})"
    text = (
        f"<b>{esc(title)}</b>\n\n<b>{esc(_(passage.title))}</b>\n{esc(_(passage.text))}\n\n"
        + sources_line(context, passage.sources)
    )
    rows: list[Row] = []
    if page + 1 < len(passages):
        rows.append([(_(N_("Suite ➡️")), Button(Action.INFO, f"what_is_{page + 1}"))])
    rows.append(resume_row(context))
    return Screen(text, rows)


def emergency_screen(context: BotContext) -> Screen:
    """The emergency numbers, each with what it is for."""
    _ = context._
    content = context.bot_data.content
    lines = [f"<b>{esc(_(EMERGENCY_TITLE))}</b>"]
    lines += [f"<b>{esc(_(c.title))}</b>\n{esc(_(c.text))}" for c in content.emergency]
    sources = tuple(dict.fromkeys(s for c in content.emergency for s in c.sources))
    lines.append(sources_line(context, sources, numbers_only=True))
    return Screen("\n\n".join(lines), [resume_row(context)])
