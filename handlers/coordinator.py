"""Coordinators only (user ids in COORDINATOR_IDS): /stats, /lien and the monthly digest.

Anyone else gets exactly what an unknown command gets (these handlers do not match them),
and their forged buttons fall through to the stale-button answer. Every figure shown has
gone through disclosure control; nothing here reads or shows a person.
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import datetime

import segno
from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import Action, Button
from bot.context import BotContext
from bot.i18n import N_
from bot.outreach import CODE, PRACTICE
from bot.stats.figures import Breakdown, Period, figures, period_months
from bot.stats.labels import Labeller
from bot.stats.render import chart_png, csv_bytes, table_text
from handlers.ui import Row, Screen, ack, esc, show

log = logging.getLogger(__name__)

PERIODS = {
    Period.THIS_MONTH: N_("Ce mois-ci"),
    Period.LAST_MONTH: N_("Le mois dernier"),
    Period.LAST_3_MONTHS: N_("Les 3 derniers mois"),
    Period.THIS_YEAR: N_("Cette année"),
    Period.LAST_YEAR: N_("L'année dernière"),
    Period.ALL: N_("Depuis le début"),
}
BREAKDOWNS = {
    Breakdown.DOMAIN: N_("Domaine"),
    Breakdown.CRITERION: N_("Critère"),
    Breakdown.DOMAIN_CRITERION: N_("Domaine × critère"),
    Breakdown.TERRITORY: N_("Territoire"),
    Breakdown.SPEAKER: N_("Qui parle"),
    Breakdown.SOURCE: N_("Source (liens)"),
    Breakdown.LANGUAGE: N_("Langue"),
    Breakdown.FUNNEL: N_("Étapes atteintes"),
    Breakdown.USEFUL: N_("Utilité"),
}
CHOOSE_PERIOD = N_("📊 Chiffres anonymes. Quelle période ?")
CHOOSE_BREAKDOWN = N_("📊 %(period)s : quel découpage ?")
PROTECTED = N_(
    "Les cases de moins de %(n)d personnes sont masquées (« < %(n)d »), ainsi que celles "
    "qui permettraient de les recalculer. Élargissez la période pour en voir plus."
)
TOTAL = N_("Total")
HIDDEN_NOTE = N_("Cases grisées : moins de %(n)d, ou masquées pour protéger les autres.")
UNKNOWN_SOURCE = N_(
    "Ce code n'est pas dans le fichier des sources : ajoutez-le d'abord, sinon les départs "
    "par ce lien seront comptés comme « lien inconnu »."
)
LINK = N_("Lien pour « %(label)s » : %(url)s\nLe code QR ci-dessous mène au même lien.")
LINK_USAGE = N_("Écrivez /lien suivi d'un code de source, par exemple /lien %(example)s.")
DIGEST = N_("📅 Chiffres anonymes du mois dernier (%(month)s)")


def is_coordinator(update: Update, context: BotContext) -> bool:
    """True only for the ids listed in the configuration."""
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.coordinator_ids


def labeller(context: BotContext) -> Labeller:
    """Labels in the coordinator's language."""
    data = context.bot_data
    return Labeller(data.content, data.communes, data.sources, context.t)


def period_screen(context: BotContext) -> Screen:
    """Choose a period."""
    _ = context._
    rows: list[Row] = [[(_(label), Button(Action.STATS, p.value))] for p, label in PERIODS.items()]
    return Screen(f"<b>{esc(_(CHOOSE_PERIOD))}</b>", rows)


def breakdown_screen(context: BotContext, period: Period) -> Screen:
    """Choose a breakdown for the period."""
    _ = context._
    rows: list[Row] = [
        [(_(label), Button(Action.STATS, f"{period.value}__{b.value}"))]
        for b, label in BREAKDOWNS.items()
    ]
    rows.append([(_(N_("⬅️ Période")), Button(Action.STATS))])
    title = _(CHOOSE_BREAKDOWN) % {"period": _(PERIODS[period])}
    return Screen(f"<b>{esc(title)}</b>\n\n{esc(_(PROTECTED) % {'n': threshold(context)})}", rows)


def threshold(context: BotContext) -> int:
    """The disclosure threshold in force."""
    return context.bot_data.settings.stats_threshold


async def stats_command(update: Update, context: BotContext) -> None:
    """/stats: the period choice."""
    await show(update, context, period_screen(context), new=True)
    raise ApplicationHandlerStop


async def stats_button(update: Update, context: BotContext) -> None:
    """A period or breakdown button; non-coordinators fall through to the stale answer."""
    if not is_coordinator(update, context):
        return
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    value = button.value if button else ""
    period_id, _sep, breakdown_id = value.partition("__")
    if period_id not in {p.value for p in Period}:
        await show(update, context, period_screen(context))
    elif not breakdown_id:
        await show(update, context, breakdown_screen(context, Period(period_id)))
    elif breakdown_id in {b.value for b in Breakdown}:
        # The button keeps its spinner while the figures are drawn (answered afterwards).
        await send_figures(context, update, Period(period_id), Breakdown(breakdown_id))
        await ack(update, context)
    else:
        await ack(update, context)
    raise ApplicationHandlerStop


async def send_figures(
    context: BotContext, update: Update, period: Period, breakdown: Breakdown
) -> None:
    """The table, the chart and the CSV of one period and breakdown."""
    chat = update.effective_chat
    if chat is None:
        return
    _ = context._
    today = datetime.now(context.bot_data.settings.zone).date()
    months = period_months(period, today)
    rows = await context.bot_data.counters.read(months)
    table = figures(rows, breakdown, months, threshold(context))
    label = labeller(context).for_breakdown(breakdown)
    title = f"{_(BREAKDOWNS[breakdown])} — {_(PERIODS[period])}"
    # Render everything first, then send the three together.
    text = table_text(table, label, title, _(TOTAL))
    note = _(HIDDEN_NOTE) % {"n": table.threshold}
    chart = await asyncio.to_thread(chart_png, table, label, title, note)  # keep others served
    sheet = csv_bytes(table, label)
    name = f"chiffres-{breakdown.value}-{period.value}.csv"
    await context.bot.send_message(chat.id, text)
    await context.bot.send_photo(chat.id, InputFile(io.BytesIO(chart), filename="chiffres.png"))
    await context.bot.send_document(chat.id, InputFile(io.BytesIO(sheet), filename=name))
    log.info("figures sent: %s, %s, %d hidden", breakdown.value, period.value, table.hidden)


async def link_command(update: Update, context: BotContext) -> None:
    """/lien CODE: the deep link of an outreach source and its QR code for a poster."""
    chat = update.effective_chat
    if chat is None:
        raise ApplicationHandlerStop
    _ = context._
    code = (context.args or [""])[0].lower()
    sources = context.bot_data.sources
    example = sources.sources[0].code if sources.sources else "centre_social"
    if not CODE.match(code):
        await context.bot.send_message(chat.id, esc(_(LINK_USAGE) % {"example": example}))
        raise ApplicationHandlerStop
    if code != PRACTICE and sources.get(code) is None:
        await context.bot.send_message(chat.id, esc(_(UNKNOWN_SOURCE)))
    url = f"https://t.me/{context.bot.username}?start={code}"
    label = _(N_("Mode entraînement")) if code == PRACTICE else sources.label(code)
    await context.bot.send_message(chat.id, esc(_(LINK) % {"label": label, "url": url}))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    await context.bot.send_photo(
        chat.id, InputFile(io.BytesIO(buffer.getvalue()), filename=f"qr-{code}.png")
    )
    raise ApplicationHandlerStop


async def monthly_digest(context: BotContext) -> None:
    """On the first of the month: last month's figures to every coordinator."""
    data = context.bot_data
    today = datetime.now(data.settings.zone).date()
    months = period_months(Period.LAST_MONTH, today) or []
    rows = await data.counters.read(months)
    translator = data.catalogs.translator(data.settings.default_language)
    labels = Labeller(data.content, data.communes, data.sources, translator)
    _ = translator.gettext
    parts = [f"<b>{esc(_(DIGEST) % {'month': months[0]})}</b>"]
    for breakdown in (Breakdown.FUNNEL, Breakdown.DOMAIN, Breakdown.CRITERION):
        table = figures(rows, breakdown, months, data.settings.stats_threshold)
        parts.append(
            table_text(table, labels.for_breakdown(breakdown), _(BREAKDOWNS[breakdown]), _(TOTAL))
        )
    parts.append(esc(_(PROTECTED) % {"n": data.settings.stats_threshold}))
    for coordinator in data.settings.coordinator_ids:
        try:
            await context.bot.send_message(coordinator, "\n\n".join(parts))
        except TelegramError:
            log.warning("the monthly digest could not reach one coordinator")
