"""Arabic reads right: every Arabic screen, and every Arabic catalog entry, goes through the
Unicode bidirectional algorithm (python-bidi) and must keep each number, article reference,
amount, phone and Latin fragment in its order, and lay every paragraph out right-to-left,
whether the app skips isolates when it looks for the first strong letter or not."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable

from babel.messages.pofile import read_po
from bidi import get_base_level, get_display

from bot.i18n import Catalogs, Translator
from bot.rtl import rtl_pass
from botapi_double import BotApiDouble, Person, ShownMessage
from tests.harness import LOCALES, RunningBot
from tests.support import SUMMARY_HEADINGS
from tests.test_i18n import button_label, translated_path

CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c"))
LATIN = "0-9A-Za-zÀ-ÖØ-öø-ÿŒœ"
TOKEN = re.compile(rf"[{LATIN}€%'’.\-–/+@&:_]+")
EDGE = "'’.:-–/+@&_"
# Buttons that only show something (and come back): the crawl presses them, never answers.
VIEW_ACTIONS = {"info", "help", "page", "more", "src", "place"}


def phrases(line: str) -> list[str]:
    """Runs of Latin words and numbers separated by single spaces, e.g. "45 000 €",
    "Code pénal", "00 00 00 00 00", "art. 225-1", trimmed of edge punctuation."""
    found: list[str] = []
    for part in re.split(r"[:,;] ", line):  # "label: value" may read in either order
        for match in re.finditer(rf"{TOKEN.pattern}(?: {TOKEN.pattern})*", part):
            phrase = match.group().strip(EDGE)
            if "://" in phrase and match.group().rstrip(".:").endswith("/"):
                phrase += "/"  # a link keeps its last slash
            if re.search(f"[{LATIN}]", phrase):
                found.append(phrase)
    return found


def first_strong(line: str) -> str | None:
    """The first strong letter's class, isolates not skipped (what simple apps do)."""
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in {"L", "R", "AL"}:
            return kind
    return None


def misread(text: str) -> list[str]:
    """What the bidirectional algorithm would show wrongly in a right-to-left text."""
    problems = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if get_base_level(line) != 1 or first_strong(line) not in {"R", "AL"}:
            problems.append(f"left-to-right paragraph: {line!r}")
        shown = get_display(line).translate(CONTROLS)
        for phrase in phrases(line.translate(CONTROLS)):
            if phrase not in shown:
                problems.append(f"{phrase!r} reordered in {line!r}, shown as {shown!r}")
    return problems


def test_the_checker_sees_the_known_faults() -> None:
    assert misread("المادة 225-1 من القانون")  # shows "1-225"
    assert misread("غرامة 45 000 €")  # shows "000 45 €"
    assert misread("Code pénal (قانون العقوبات)")  # a left-to-right paragraph
    assert not misread(rtl_pass("المادة 225-1 من القانون"))
    assert not misread(rtl_pass("غرامة 45 000 € (Code pénal، المادة 225-2)"))
    assert not misread(rtl_pass("Code pénal (قانون العقوبات)\n3919 — رقم"))


def test_punctuation_and_arrows_follow_the_language() -> None:
    assert rtl_pass("• <b>الخبراء</b> : 3928") == "• <b>الخبراء</b>: \u20683928\u2069"
    assert rtl_pass("ص, م; ن") == "ص، م؛ ن"
    assert rtl_pass("⬅️ رجوع") == "➡️ رجوع"
    assert rtl_pass("التالي ▶️") == "التالي ◀️"
    assert rtl_pass("رابط: https://a.fr/") == "رابط: \u2068https://a.fr/\u2069"
    assert rtl_pass("الثلاثاء ◀ اليوم") == "الثلاثاء ▶ اليوم"
    # A command keeps its slash, so that Telegram still links it.
    assert rtl_pass("• /urgence : أرقام") == "\u200f• \u2068/urgence\u2069: أرقام"
    # Items an Arabic comma separates are read in Arabic order, each one whole.
    assert rtl_pass("مثل CAF، France Travail") == "مثل \u2068CAF\u2069، \u2068France Travail\u2069"
    # Tags, links and entities are left whole.
    assert rtl_pass('<a href="https://a.fr/x">رابط</a> &amp;') == (
        '<a href="https://a.fr/x">رابط</a> &amp;'
    )


def filled(text: str) -> str:
    """A catalog entry with its placeholders filled as the bot fills them."""
    text = re.sub(r"%\((\w+)\)d", "3", text)
    return re.sub(r"%\((\w+)\)s", "Valenciennes 59300", text)


def test_every_arabic_catalog_entry_reads_right() -> None:
    with (LOCALES / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    problems = []
    for message in catalog:
        if not message.id:  # the header
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for string in strings:
            if not string:
                continue
            sent = rtl_pass(html.escape(filled(str(string)), quote=False))
            problems += misread(html.unescape(sent))
    assert problems == []


class Walk:
    """An Arabic person, and every message the bot shows them."""

    def __init__(self, person: Person, t: Translator) -> None:
        self.person = person
        self.t = t
        self.shown: list[ShownMessage] = []

    async def do(self, action: Awaitable[list[ShownMessage]]) -> list[ShownMessage]:
        shown = await action
        self.shown += shown
        return shown

    async def press(self, msgid: str) -> list[ShownMessage]:
        return await self.do(self.person.press(button_label(self.t, msgid)))

    async def send(self, text: str) -> list[ShownMessage]:
        return await self.do(self.person.send(text))

    async def crawl(self, restore: Callable[[], Awaitable[object]]) -> None:
        """Press every button of the current screen that only shows something, and every
        such button of the screens it leads to, coming back with `restore` each time."""
        seen: set[str] = set()
        paths: deque[list[str]] = deque([[]])
        while paths:
            path = paths.popleft()
            await restore()
            for data in path:
                await self.do(self.person.press_data(data, message=panel(self.person)))
            for row in panel(self.person).button_data:
                for found in row:
                    action = (found or "").split("|")[1:2]
                    if found and found not in seen and action and action[0] in VIEW_ACTIONS:
                        seen.add(found)
                        paths.append([*path, found])
        await restore()


def panel(person: Person) -> ShownMessage:
    for message in reversed(person.messages):
        if message.from_bot and message.buttons:
            return message
    raise AssertionError("no panel")


async def resume(walk: Walk) -> None:
    await walk.do(walk.person.press_data("j1|resume", message=panel(walk.person)))


async def test_every_arabic_screen_reads_right(
    bot: RunningBot, double: BotApiDouble, catalogs: Catalogs
) -> None:
    t = catalogs.translator("ar")
    walk = Walk(double.person(5300, language_code="ar"), t)
    await walk.send("/start")
    await walk.crawl(lambda: resume(walk))
    await walk.send("/urgence")
    await walk.send("/aide")
    await resume(walk)
    # The short way, its remote contacts, and searches that find nothing.
    await walk.press("📍 Trouver de l'aide près de chez moi")
    await walk.crawl(lambda: resume(walk))
    await walk.send("99999")
    await walk.send("Trucmuche")
    await walk.press("Aucune de ces communes")
    await walk.press("⬅️ Retour")
    # The questions (from the welcome), each with its help; then every page of the rights.
    for press in translated_path(t):
        await walk.do(walk.person.press(press))
        await walk.crawl(lambda: resume(walk))
    await walk.crawl(
        lambda: walk.do(walk.person.press_data("j1|page|0", message=panel(walk.person)))
    )
    # The referral answer, each permanence's card, and the summary.
    await walk.press("📍 Trouver de l'aide ➡️")
    await walk.send("59300")
    await walk.do(walk.person.press("Valenciennes (59)"))
    await walk.crawl(lambda: resume(walk))
    await walk.press("📝 Voir mon résumé ➡️")
    await walk.press("👍 Oui")

    problems: list[str] = []
    checked = 0
    for message in walk.shown:
        if message.kind == "venue":  # drawn by Telegram's own card, from the data as is
            continue
        text = message.text
        if message.kind == "document":
            assert message.document is not None
            page = message.document.content.decode("utf-8")
            arabic = page.split('<section lang="fr"')[0]
            text = html.unescape(re.sub(r"<[^>]+>", "", arabic.split("<body>")[1]))
        if text.startswith(SUMMARY_HEADINGS):  # the French copy, in its messages
            continue
        checked += 1
        problems += [f"{p}\n   in message {message.text[:60]!r}" for p in misread(text)]
    assert checked > 40, "the walk saw too few screens"
    assert problems == [], "\n".join(dict.fromkeys(problems))
    # Buttons point the way an Arabic reader reads.
    assert "◀️ " + t.gettext("▶️ Commencer").removeprefix("▶️ ") in [
        lbl for m in walk.shown for lbl in m.button_labels
    ]
