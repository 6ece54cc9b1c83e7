"""Stage 9: rights, as short pages in one panel: the law, the options, the deadlines, what
to gather. Each page names its main source, lists them all behind "📚 Sources", and may
have an "En savoir plus" side. Every page fits 700 characters (tests/test_screens.py).

Reaching this stage counts the journey's answers (once, bot/metrics.py) and opens the
first page. Exits: pages back and forth, "Trouver de l'aide" → referral.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import More, Next, Page, Sources
from bot.context import BotContext
from bot.deadlines import NOTES, NOTES_OTHER
from bot.i18n import N_
from bot.markup import bold, esc, italic, link
from bot.rights import RightsPage, rights_pages
from handlers.flow import Move
from handlers.ui import Row, Screen, ack, footer, pressed, sources_line

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
# TRANSLATORS: tabs of the rights pages, four on one row of a phone: one word each.
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
    parts = [italic(header), bold(_(passage.title))]
    if sources:
        links = "\n".join(
            f"• {link(s.url, s.title)}"
            for s in passage.sources
        )
        return "\n\n".join([*parts, f"{italic(_(SOURCES_TITLE))}\n{links}"])
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
            row.append((mark + _(label), Page(first)))
    return row


def rights_screen(context: BotContext) -> Screen:
    """The current rights page, its section tabs and its navigation."""
    _ = context._
    journey = context.session.journey
    pages = rights_pages(context.bot_data.content, journey)
    if not pages:  # tests/test_content.py keeps every domain covered; never crash anyway
        return Screen(
            esc(_("Voici qui peut vous aider.")),
            [[(_("📍 Trouver de l'aide ➡️"), Next())], footer(context)],
        )
    journey.rights_page = max(0, min(journey.rights_page, len(pages) - 1))
    index = journey.rights_page
    page = pages[index]
    in_section = [p for p in pages if SECTION_OF[p.section] == SECTION_OF[page.section]]
    more = journey.rights_more and bool(page.passage.more)
    listing = journey.rights_sources
    rows: list[Row] = []
    if listing:
        rows.append([(_(BACK_TO_PAGE), Sources())])
    else:
        top: Row = []
        if page.passage.more:
            label = _("⬅️ Version courte") if more else _("En savoir plus")
            top.append((label, More()))
        if len(page.passage.sources) > 1:
            top.append((_(SOURCES), Sources()))
        rows.append(top)
    nav: Row = []
    if index > 0:
        nav.append((_("◀️ Précédent"), Page(index - 1)))
    if index + 1 < len(pages):
        nav.append((_("Suivant ▶️"), Page(index + 1)))
    rows += [nav, section_row(context, pages, page.section)]
    rows.append([(_("📍 Trouver de l'aide ➡️"), Next())])
    rows.append(footer(context))
    number = in_section.index(page) + 1
    text = page_text(context, page, number, len(in_section), more=more, sources=listing)
    return Screen(text, [r for r in rows if r])


async def first_page(update: Update, context: BotContext) -> None:
    """Entering the stage: the first page, short side."""
    journey = context.session.journey
    journey.rights_page = 0
    journey.rights_more = False
    journey.rights_sources = False


async def turn_page(update: Update, context: BotContext) -> Move | None:
    """Previous or next page, in place."""
    button = pressed(update, Page)
    if button is None:
        await ack(update, context)
        return None
    journey = context.session.journey
    journey.rights_page = button.index
    journey.rights_more = False
    journey.rights_sources = False
    return Move.AGAIN


async def toggle_more(update: Update, context: BotContext) -> Move:
    """Show the longer side of the page, or back to the short one."""
    journey = context.session.journey
    journey.rights_more = not journey.rights_more
    journey.rights_sources = False
    return Move.AGAIN


async def toggle_sources(update: Update, context: BotContext) -> Move:
    """The page's sources, each by its readable name and linked, or back to the page."""
    journey = context.session.journey
    journey.rights_sources = not journey.rights_sources
    return Move.AGAIN
