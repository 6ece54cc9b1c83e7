"""Stage 9: rights, as short pages in one panel: the law, the options, the deadlines, what
to gather. Each page names its main source, lists them all behind "📚 Sources", and may
have an "En savoir plus" side. Every page fits 700 characters (tests/test_screens.py).

Reaching this stage counts the journey's answers (once). Exits: pages back and forth,
"Trouver de l'aide" → referral.
"""

from __future__ import annotations

import html

from telegram import Update

from bot.callbacks import Action, Button
from bot.context import BotContext
from bot.counters import Metric
from bot.deadlines import NOTES, NOTES_OTHER
from bot.i18n import N_
from bot.rights import RightsPage, rights_pages
from bot.states import Stage
from handlers.flow import go, screen
from handlers.ui import Row, Screen, ack, esc, footer, show, sources_line

SOURCES = N_("📚 Sources")
SOURCES_TITLE = N_("Sources de cette page")
BACK_TO_PAGE = N_("⬅️ Retour à la page")

SECTION_OF = {
    "law": "law",
    "not_discrimination": "law",
    "route": "route",
    "deadline": "deadline",
    "evidence_advice": "evidence",
}
SECTION_BUTTONS = {
    "law": N_("⚖️ Loi"),
    "route": N_("🧭 Agir"),
    "deadline": N_("⏳ Délais"),
    "evidence": N_("📂 Preuves"),
}
SECTION_TITLES = {
    "law": N_("Ce que dit la loi"),
    "not_discrimination": N_("Ce que dit la loi"),
    "route": N_("Ce que vous pouvez faire"),
    "deadline": N_("Les délais"),
    "evidence_advice": N_("Les preuves à réunir"),
}
def page_text(
    context: BotContext,
    page: RightsPage,
    number: int,
    total: int,
    *,
    more: bool = False,
    sources: bool = False,
) -> str:
    """The page's text in the speaker's words, with its main source (or all of them)."""
    _ = context._
    passage = page.passage
    journey = context.session.journey
    header = f"{_(SECTION_TITLES[page.section])} · {number}/{total}"
    parts = [f"<i>{esc(header)}</i>", f"<b>{esc(_(passage.title))}</b>"]
    if sources:
        links = "\n".join(
            f'• <a href="{html.escape(s.url, quote=True)}">{esc(s.title)}</a>'
            for s in passage.sources
        )
        return "\n\n".join([*parts, f"<i>{esc(_(SOURCES_TITLE))}</i>\n{links}"])
    body = passage.more if more and passage.more else passage.body(journey.speaker)
    parts.append(esc(_(body)))
    if page.deadline is not None and not more:
        notes = NOTES_OTHER if journey.about_someone_else else NOTES
        parts.append(esc(_(notes[page.deadline])))
    parts.append(sources_line(context, passage.sources[:1]))
    return "\n\n".join(parts)


def section_row(context: BotContext, pages: list[RightsPage], current: str) -> Row:
    """One button per section present, jumping to its first page (the current one marked)."""
    _ = context._
    row: Row = []
    for section, label in SECTION_BUTTONS.items():
        first = next((i for i, p in enumerate(pages) if SECTION_OF[p.section] == section), None)
        if first is not None:
            mark = "• " if section == SECTION_OF[current] else ""
            row.append((mark + _(label), Button(Action.PAGE, str(first))))
    return row


@screen(Stage.RIGHTS)
def rights_screen(context: BotContext) -> Screen:
    """The current rights page, its section tabs and its navigation."""
    _ = context._
    journey = context.session.journey
    pages = rights_pages(context.bot_data.content, journey)
    if not pages:  # tests/test_content.py keeps every domain covered; never crash anyway
        return Screen(
            esc(_(N_("Voici qui peut vous aider."))),
            [[(_(N_("📍 Trouver de l'aide ➡️")), Button(Action.NEXT))], footer(context)],
        )
    journey.rights_page = max(0, min(journey.rights_page, len(pages) - 1))
    index = journey.rights_page
    page = pages[index]
    in_section = [p for p in pages if SECTION_OF[p.section] == SECTION_OF[page.section]]
    more = journey.rights_more and bool(page.passage.more)
    listing = journey.rights_sources
    rows: list[Row] = []
    if listing:
        rows.append([(_(BACK_TO_PAGE), Button(Action.SOURCES))])
    else:
        top: Row = []
        if page.passage.more:
            label = _(N_("⬅️ Version courte")) if more else _(N_("En savoir plus"))
            top.append((label, Button(Action.MORE)))
        if len(page.passage.sources) > 1:
            top.append((_(SOURCES), Button(Action.SOURCES)))
        rows.append(top)
    nav: Row = []
    if index > 0:
        nav.append((_(N_("◀️ Précédent")), Button(Action.PAGE, str(index - 1))))
    if index + 1 < len(pages):
        nav.append((_(N_("Suivant ▶️")), Button(Action.PAGE, str(index + 1))))
    rows += [nav, section_row(context, pages, page.section)]
    rows.append([(_(N_("📍 Trouver de l'aide ➡️")), Button(Action.NEXT))])
    rows.append(footer(context))
    number = in_section.index(page) + 1
    text = page_text(context, page, number, len(in_section), more=more, sources=listing)
    return Screen(text, [r for r in rows if r])


async def count_answers(context: BotContext) -> None:
    """Count the journey's answers once, when the questions are behind."""
    journey = context.session.journey
    if journey.answers_counted:
        return
    journey.answers_counted = True
    counters = context.counters
    domain = journey.domain or ""
    await counters.increment(Metric.SPEAKER, journey.speaker or "")
    await counters.increment(Metric.DOMAIN, domain)
    if journey.situation:
        await counters.increment(Metric.SITUATION, domain, journey.situation)
    for criterion in sorted(journey.criteria):
        await counters.increment(Metric.CRITERION, domain, criterion)
    await counters.increment(Metric.TIMING, journey.timing or "")
    for kind in sorted(journey.evidence):
        await counters.increment(Metric.EVIDENCE, kind)


async def enter_rights(update: Update, context: BotContext, *, new: bool = False) -> Stage:
    """Count the answers, then show the first rights page."""
    await count_answers(context)
    context.session.journey.rights_page = 0
    context.session.journey.rights_more = False
    context.session.journey.rights_sources = False
    return await go(update, context, Stage.RIGHTS, new=new)


async def turn_page(update: Update, context: BotContext) -> None:
    """Previous or next page, in place."""
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    if button is None or not button.value.isdigit():
        await ack(update, context)
        return
    journey = context.session.journey
    journey.rights_page = int(button.value)
    journey.rights_more = False
    journey.rights_sources = False
    await show(update, context, rights_screen(context))


async def toggle_more(update: Update, context: BotContext) -> None:
    """Show the longer side of the page, or back to the short one."""
    journey = context.session.journey
    journey.rights_more = not journey.rights_more
    journey.rights_sources = False
    await show(update, context, rights_screen(context))


async def toggle_sources(update: Update, context: BotContext) -> None:
    """The page's sources, each by its readable name and linked, or back to the page."""
    journey = context.session.journey
    journey.rights_sources = not journey.rights_sources
    await show(update, context, rights_screen(context))


async def to_referral(update: Update, context: BotContext) -> Stage:
    """On to who can help."""
    from handlers.referral import enter_referral  # noqa: PLC0415 - stage order, not a cycle

    return await enter_referral(update, context)
