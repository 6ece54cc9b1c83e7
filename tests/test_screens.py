"""Every screen of every language fits a phone: at most 700 visible characters, title,
page header, delay note and source line included (issue 8). Languages whose catalog is not
re-translated yet show the French text, which is what is measured for them.

Drawn without Telegram (tests/screens.py): the rights pages of every journey (short side,
"En savoir plus", list of sources), the emergency numbers, the help, the questions, the
"what is discrimination?" pages and the criteria's meaning, and the delays of the summary.
Through the Bot API double, one journey per language: every message the person receives,
referral and places included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.i18n import Catalogs, Translator
from bot.rights import rights_pages
from bot.rtl import mirror
from bot.session import Journey
from bot.states import Stage
from bot.summary import TITLE as SUMMARY_TITLE
from bot.summary import build_summary, chat_parts, delay_lines
from botapi_double import BotApiDouble, Person, ShownMessage
from handlers import STAGES
from handlers.commands import help_screen
from handlers.info import (
    channel_screen,
    criteria_details_screen,
    emergency_screen,
    remote_screen,
    what_is_screen,
)
from handlers.rights import rights_screen
from tests.harness import RunningBot
from tests.screens import MAX_VISIBLE, Case, cases, screen_context, visible
from tests.support import labels, panel
from tests.test_i18n import translated_path

LOCALES = Path(__file__).resolve().parent.parent / "locales"
EMERGENCY_MAX = 400  # the screen a person in danger opens: the shortest, in French
DELAYS_MAX = 650  # the summary's delays, five of them at most, with the Défenseur's note
EVIDENCE = (frozenset({"writings", "witnesses", "recordings", "medical"}), frozenset({"none"}))
QUESTIONS = (
    Stage.SPEAKER,
    Stage.DOMAIN,
    Stage.EMPLOYER,
    Stage.CRITERIA,
    Stage.WHEN,
    Stage.EVIDENCE,
    Stage.NARRATIVE,
)
# A long journey: every reason, every trace, both kinds of employer, the most delays.
LONG = Journey(
    speaker="helper",
    domain="work",
    situation="sanction",
    employer="unsure",
    criteria={
        "origin", "religion", "name_address", "sex_family", "orientation", "health", "age",
        "appearance", "poverty", "language", "opinions", "other_legal",
    },
    timing="1to5y",
    evidence={"writings", "witnesses", "recordings", "medical"},
    narrative="Le responsable a dit devant tout le monde qu'il ne voulait pas de gens comme moi.",
)


@dataclass(frozen=True)
class View:
    """One rights page as a person can see it: which answers, which page, which side."""

    case: Case
    index: int
    more: bool
    sources: bool


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES)


def languages() -> list[str]:
    return [p.parent.parent.name for p in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))]


def rights_views(content: Content) -> Iterator[View]:
    """Each different rights screen once: every passage in the words of every speaker,
    under every status it can have, short, long and as its list of sources (the page of
    the longest section is kept, for the widest "n/total")."""
    kept: dict[tuple[object, ...], tuple[int, View]] = {}
    for case in cases(content, evidence=EVIDENCE):
        pages = rights_pages(content, case.journey())
        for index, page in enumerate(pages):
            total = sum(1 for p in pages if p.section == page.section)
            sides = [(False, False)]
            if page.passage.more:
                sides.append((True, False))
            if len(page.passage.sources) > 1:
                sides.append((False, True))
            for more, sources in sides:
                key = (page.passage.id, case.speaker, page.deadline, more, sources)
                if key not in kept or kept[key][0] < total:
                    kept[key] = (total, View(case, index, more, sources))
    for _total, view in kept.values():
        yield view


def too_long(name: str, text: str, limit: int = MAX_VISIBLE) -> str | None:
    """A failure line when the screen is over the limit, else None."""
    shown = visible(text)
    return f"{name}: {len(shown)} characters\n{shown}" if len(shown) > limit else None


@pytest.mark.parametrize("language", ["fr", *languages()])
def test_every_rights_page_fits(content: Content, catalogs: Catalogs, language: str) -> None:
    failures = []
    views = list(rights_views(content))
    assert len(views) > 200, len(views)
    for view in views:
        journey = view.case.journey()
        journey.rights_page, journey.rights_more, journey.rights_sources = (
            view.index,
            view.more,
            view.sources,
        )
        screen = rights_screen(screen_context(content, catalogs, language, journey))
        side = "sources" if view.sources else "more" if view.more else "short"
        failures.append(too_long(f"{view.case} page {view.index} ({side})", screen.text))
    problems = [f for f in failures if f]
    assert not problems, f"{len(problems)} pages too long; first:\n" + "\n".join(problems[:3])


@pytest.mark.parametrize("language", ["fr", *languages()])
def test_information_screens_fit(content: Content, catalogs: Catalogs, language: str) -> None:
    screens = {}
    for speaker in ("self", "witness"):
        for domain in content.domains:
            journey = Journey(speaker=speaker, domain=domain.id)
            context = screen_context(content, catalogs, language, journey)
            for stage in (*QUESTIONS, Stage.SITUATION, Stage.WELCOME):
                screens[f"{stage} ({speaker}, {domain.id})"] = STAGES[stage].render(context).text
    context = screen_context(content, catalogs, language)
    screens["emergency"] = emergency_screen(context).text
    screens["help"] = help_screen(context).text
    screens["criteria details"] = criteria_details_screen(context).text
    screens["remote channels"] = remote_screen(context).text
    for channel in content.remote_channels:
        screens[f"channel {channel.id}"] = channel_screen(context, channel).text
    for page in range(len(content.what_is)):
        screens[f"what is {page}"] = what_is_screen(context, page).text
    problems = [too_long(name, text) for name, text in screens.items()]
    assert not [p for p in problems if p], [p for p in problems if p][:3]


@pytest.mark.parametrize("language", ["fr", *languages()])
def test_the_emergency_screen_is_the_shortest(
    content: Content, catalogs: Catalogs, language: str
) -> None:
    context = screen_context(content, catalogs, language)
    emergency = len(visible(emergency_screen(context).text))
    others = {
        "criteria details": criteria_details_screen(context).text,
        "remote channels": remote_screen(context).text,
        **{f"what is {i}": what_is_screen(context, i).text for i in range(2)},
    }
    for name, text in others.items():
        assert emergency < len(visible(text)), f"emergency ({emergency}) is not shorter: {name}"
    if language == "fr":
        assert emergency <= EMERGENCY_MAX, emergency
    for number in ("17", "112", "114", "3919", "119"):
        assert number in visible(emergency_screen(context).text)


@pytest.mark.parametrize("language", ["fr", *languages()])
def test_the_summary_delays_fit(content: Content, catalogs: Catalogs, language: str) -> None:
    t = catalogs.translator(language)
    for case in cases(content, timings=("ongoing", "1to5y", "gt5y")):
        block = "\n".join(delay_lines(content, case.journey(), t))
        assert len(visible(block)) <= DELAYS_MAX, (case, visible(block))
    block = visible("\n".join(delay_lines(content, LONG, t)))
    assert block.count("\n") >= 6, block  # the five delays of an employer not known


def test_the_summary_of_a_long_journey_fits(content: Content, catalogs: Catalogs) -> None:
    """Sent in chat, the summary is cut into messages that each fit (the person's own words
    aside, which are as long as they wrote them); the document keeps it whole."""
    for language in ["fr", *languages()]:
        t = catalogs.translator(language)
        summary = build_summary(content, LONG, t, date(2026, 12, 2))
        parts = chat_parts(summary)
        assert "\n\n".join(parts) == summary
        for part in parts:
            words = len(LONG.narrative) if LONG.narrative[:20] in part else 0
            assert len(visible(part)) - words <= MAX_VISIBLE, (language, visible(part))


async def walk_in(person: Person, t: Translator, language: str) -> int:
    """A whole journey in one language, every rights page turned; returns how many
    messages there were before the referral's results."""
    press = (lambda label: mirror(t.gettext(label))) if t.rtl else t.gettext
    if language == "fr@falc":
        await person.send("/langue")
        await person.press("Français facile")
    await person.send("/start")
    await person.send("/urgence")
    await person.send("/aide")
    await person.send("/start")
    for label in translated_path(t):
        await person.press(label)  # translated_path mirrors the arrows already
    while press("Suivant ▶️") in labels(panel(person)):
        await person.press(press("Suivant ▶️"))
    await person.press(press("📍 Trouver de l'aide ➡️"))
    before = len(person.all_messages_including_deleted)
    await person.send("59300")
    await person.press("Valenciennes (59)")
    await person.press(press("📝 Voir mon résumé ➡️"))
    return before


def over(messages: list[ShownMessage]) -> list[str]:
    """The bot's messages over the limit."""
    found = [too_long(f"message {m.text[:40]!r}", m.text) for m in messages if m.from_bot]
    return [f for f in found if f]


@pytest.mark.parametrize("language", languages())
async def test_a_journey_through_telegram_fits(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs, language: str
) -> None:
    # Every message up to the referral's prompt: welcome, emergency, help, questions, every
    # rights page. The results, places and summary (issue 10) are the test below.
    person = double.person(6000 + languages().index(language), language_code=language[:2])
    before = await walk_in(person, catalogs.translator(language), language)
    problems = over(person.all_messages_including_deleted[:before])
    assert not problems, problems[:2]


@pytest.mark.parametrize("language", languages())
async def test_the_referral_and_summary_messages_fit(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs, language: str
) -> None:
    t = catalogs.translator(language)
    person = double.person(6100 + languages().index(language), language_code=language[:2])
    before = await walk_in(person, t, language)
    summary = (visible(t.gettext(SUMMARY_TITLE)), visible(SUMMARY_TITLE))
    later = person.all_messages_including_deleted[before:]
    problems = over([m for m in later if not visible(m.text).startswith(summary)])
    assert not problems, problems[:2]
