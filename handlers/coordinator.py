"""Coordinators only (user ids in COORDINATOR_IDS): /stats, /lien and the quarterly digest.

Anyone else gets exactly what an unknown command gets (these handlers do not match them),
and their forged buttons fall through to the stale-button answer. Every figure shown has
gone through disclosure control; nothing here reads or shows a person.
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, datetime

import segno
from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import Callback, Figures, OtherPeriods, Periods, Stats
from bot.context import BotContext
from bot.directory.upkeep import stale_days
from bot.i18n import N_
from bot.markup import bold, esc
from bot.outreach import CODE, PRACTICE
from bot.stats.figures import Breakdown, Kind, Period, figures, latest, periods_published
from bot.stats.labels import Labeller, period_name
from bot.stats.render import chart_png, csv_bytes, table_text
from handlers.ui import Row, Screen, ack, pressed, show

log = logging.getLogger(__name__)

LATEST = {
    Kind.QUARTER: N_("Le trimestre dernier"),
    Kind.YEAR: N_("L'année dernière"),
}
OTHER_PERIODS = N_("📅 Autres périodes")
ONLY_OVER = N_(
    "Chaque trimestre est publié une fois terminé, avec ses trois mois, et l'année avec "
    "son dernier trimestre : ainsi, aucun chiffre masqué ne peut se déduire d'un autre."
)
BREAKDOWNS = {
    # TRANSLATORS: buttons for coordinators: how to break the anonymous figures down.
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
# TRANSLATORS: the last row of a table of figures.
TOTAL = N_("Total")
HIDDEN_NOTE = N_("Cases grisées : moins de %(n)d, ou masquées pour protéger les autres.")
UNKNOWN_SOURCE = N_(
    "Ce code n'est pas dans le fichier des sources : ajoutez-le d'abord, sinon les départs "
    "par ce lien seront comptés comme « lien inconnu »."
)
LINK = N_("Lien pour « %(label)s » : %(url)s\nLe code QR ci-dessous mène au même lien.")
LINK_USAGE = N_("Écrivez /lien suivi d'un code de source, par exemple /lien %(example)s.")
DIGEST = N_("📅 Chiffres anonymes du trimestre dernier (%(quarter)s)")


def is_coordinator(update: Update, context: BotContext) -> bool:
    """True only for the ids listed in the configuration."""
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.coordinator_ids


def labeller(context: BotContext) -> Labeller:
    """Labels in the coordinator's language."""
    data = context.bot_data
    return Labeller(data.content, data.communes, data.sources, context.t)


def today(context: BotContext) -> date:
    """Today where the counters are kept."""
    return datetime.now(context.bot_data.settings.zone).date()


def name(context: BotContext, period: Period) -> str:
    """A period in the coordinator's language: "mars 2026", "T1 2026", "2026"."""
    return period_name(period, context.language)


def period_screen(context: BotContext) -> Screen:
    """Choose a period: the latest quarter and year published, or another."""
    _ = context._
    rows: list[Row] = []
    for kind, label in LATEST.items():
        period = latest(kind, today(context))
        rows.append(
            [(f"{_(label)} · {name(context, period)}", Stats(period))]
        )
    rows.append([(_(OTHER_PERIODS), OtherPeriods())])
    text = f"{bold(_(CHOOSE_PERIOD))}\n\n{esc(_(ONLY_OVER))}"
    return Screen(text, rows)


async def other_periods_screen(context: BotContext) -> Screen:
    """Every month (last 12), quarter (last 8) and year published since the first count."""
    _ = context._
    rows_read = await context.bot_data.counters.read()
    since = min((r.month for r in rows_read), default=None)
    day = today(context)
    rows: list[Row] = []
    for kind, limit, width in ((Kind.MONTH, 12, 3), (Kind.QUARTER, 8, 4), (Kind.YEAR, 6, 3)):
        found = periods_published(kind, day, since, limit)
        buttons: Row = [(name(context, p), Stats(p)) for p in found]
        rows += [buttons[i : i + width] for i in range(0, len(buttons), width)]
    rows.append([(_("⬅️ Période"), Periods())])
    return Screen(f"{bold(_(CHOOSE_PERIOD))}\n\n{esc(_(ONLY_OVER))}", rows)


def breakdown_screen(context: BotContext, period: Period) -> Screen:
    """Choose a breakdown for the period."""
    _ = context._
    rows: list[Row] = [
        [(_(label), Figures(period, b))] for b, label in BREAKDOWNS.items()
    ]
    rows.append([(_("⬅️ Période"), Periods())])
    title = _(CHOOSE_BREAKDOWN) % {"period": name(context, period)}
    return Screen(f"{bold(title)}\n\n{esc(_(PROTECTED) % {'n': threshold(context)})}", rows)


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
    button = pressed(update, Callback)
    period = button.period if isinstance(button, Stats | Figures) else None
    if isinstance(button, OtherPeriods):
        await show(update, context, await other_periods_screen(context))
    elif period is None or not period.published(today(context)):
        await show(update, context, period_screen(context))
    elif isinstance(button, Figures):
        # The button keeps its spinner while the figures are drawn (answered afterwards).
        await send_figures(context, update, period, button.breakdown)
        await ack(update, context)
    else:
        await show(update, context, breakdown_screen(context, period))
    raise ApplicationHandlerStop


async def send_figures(
    context: BotContext, update: Update, period: Period, breakdown: Breakdown
) -> None:
    """The table, the chart and the CSV of one period and breakdown."""
    chat = update.effective_chat
    if chat is None:
        return
    _ = context._
    rows = await context.bot_data.counters.read(year_months(period))
    # Protection replays the year month by month: a worker thread keeps others served.
    table = await asyncio.to_thread(
        figures, rows, breakdown, period, today(context), threshold(context)
    )
    label = labeller(context).for_breakdown(breakdown)
    title = f"{_(BREAKDOWNS[breakdown])} — {name(context, period)}"
    # Render everything first, then send the three together.
    text = table_text(table, label, title, _(TOTAL))
    note = _(HIDDEN_NOTE) % {"n": table.threshold}
    chart = await asyncio.to_thread(chart_png, table, label, title, note)  # keep others served
    sheet = csv_bytes(table, label)
    filename = f"chiffres-{breakdown.value}-{period.id}.csv"
    await context.bot.send_message(chat.id, text)
    await context.bot.send_photo(chat.id, InputFile(io.BytesIO(chart), filename="chiffres.png"))
    await context.bot.send_document(chat.id, InputFile(io.BytesIO(sheet), filename=filename))
    log.info("figures sent: %s, %s, %d hidden", breakdown.value, period.kind.name, table.hidden)


def year_months(period: Period) -> list[str]:
    """Every month of the period's year: a period is protected with all of its year."""
    return [f"{period.year:04d}-{m:02d}" for m in range(1, 13)]


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
    label = _("Mode entraînement") if code == PRACTICE else sources.label(code)
    await context.bot.send_message(chat.id, esc(_(LINK) % {"label": label, "url": url}))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    await context.bot.send_photo(
        chat.id, InputFile(io.BytesIO(buffer.getvalue()), filename=f"qr-{code}.png")
    )
    raise ApplicationHandlerStop


DIRECTORY_STALE = N_(
    "⚠️ L'annuaire des délégués a %(days)d jours : les adresses et horaires donnés aux "
    "habitants sont peut-être périmés. Mettez-le à jour : python -m bot directory sync."
)
DIRECTORY_MISSING = N_(
    "⚠️ Aucun annuaire daté des délégués n'est en service : les habitants ne reçoivent que "
    "les contacts à distance. Importez-le : python -m bot directory sync."
)


async def monthly_digest(context: BotContext) -> None:
    """On the first of each month: a warning when the directory is older than 60 days
    (or missing); when a quarter has just ended, its figures."""
    await warn_stale_directory(context)
    if datetime.now(context.bot_data.settings.zone).month in {1, 4, 7, 10}:
        await send_digest(context)


async def warn_stale_directory(context: BotContext) -> None:
    """Tell the coordinators that people are shown old (or no) delegate addresses."""
    data = context.bot_data
    today = datetime.now(data.settings.zone).date()
    directory = data.directory
    days = stale_days(directory.info, today) if directory is not None else -1
    if days is None:
        return
    _ = data.catalogs.translator(data.settings.default_language).gettext
    text = _(DIRECTORY_MISSING) if days < 0 else _(DIRECTORY_STALE) % {"days": days}
    for coordinator in data.settings.coordinator_ids:
        try:
            await context.bot.send_message(coordinator, esc(text))
        except TelegramError:
            log.warning("the directory warning could not reach one coordinator")


async def send_digest(context: BotContext) -> None:
    """The last quarter's figures to every coordinator."""
    data = context.bot_data
    day = datetime.now(data.settings.zone).date()
    period = latest(Kind.QUARTER, day)
    rows = await data.counters.read(year_months(period))
    language = data.settings.default_language
    translator = data.catalogs.translator(language)
    labels = Labeller(data.content, data.communes, data.sources, translator)
    _ = translator.gettext
    parts = [bold(_(DIGEST) % {"quarter": period_name(period, language)})]
    for breakdown in (Breakdown.FUNNEL, Breakdown.DOMAIN, Breakdown.CRITERION):
        table = await asyncio.to_thread(
            figures, rows, breakdown, period, day, data.settings.stats_threshold
        )
        parts.append(
            table_text(table, labels.for_breakdown(breakdown), _(BREAKDOWNS[breakdown]), _(TOTAL))
        )
    parts.append(esc(_(PROTECTED) % {"n": data.settings.stats_threshold}))
    for coordinator in data.settings.coordinator_ids:
        try:
            await context.bot.send_message(coordinator, "\n\n".join(parts))
        except TelegramError:
            log.warning("the quarterly digest could not reach one coordinator")
