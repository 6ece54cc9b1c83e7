"""How permanences and partners read in the chat.

The referral answers with one short list (each permanence's name, address, distance,
today's or next opening hours and phone), and the full card of a permanence (every day's
hours with today marked, remarks, appointment, phones, e-mail, site) on demand. Every
message that shows directory data carries the attribution the Licence Ouverte asks for,
and SAMPLE data says so.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.context import BotContext
from bot.directory.model import DirectoryInfo, Match, OpeningRange, Permanence
from bot.directory.partners import Partner
from bot.i18n import N_
from bot.opening import by_day, day_name, next_open_day, spans
from bot.rtl import colon
from handlers.ui import esc, ltr

HOURS = N_("Horaires :")
PARTNER = N_("🤝 Partenaire local")
PARTNERS = N_("🤝 Aussi près de chez vous")
SOURCE = N_("Source :")
TODAY = N_("aujourd'hui")
SAMPLE_WARNING = N_("⚠️ DONNÉES D'EXEMPLE : ce lieu est fictif, ne vous y rendez pas.")
SAMPLE_PLACES = N_("⚠️ DONNÉES D'EXEMPLE : ces lieux sont fictifs, n'y allez pas.")
FOUND = N_("📍 Permanences du Défenseur des droits près de %(place)s")
OPEN_TODAY = N_("aujourd'hui %(hours)s")
NEXT_OPEN = N_("%(day)s %(hours)s")
SERVES = N_("✅ reçoit votre commune")
SERVES_LONG = N_("✅ Reçoit les habitants de cette commune.")
KM = N_("%(km)s km")
KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣")
NOTE_CHARS = 90  # a published remark, in the short list (whole in the card)
BRIEF_NOTE_CHARS = 40  # the same when the list would be too long
MESSAGE_CHARS = 700  # what a person reads in one message of the answer, at most
MIN_PREFIX = 15  # a beginning all names share, said once in the list when this long
_TAGS = re.compile(r"<[^>]+>")


def visible_length(text: str) -> int:
    """How many characters a person reads of a Telegram HTML text."""
    return len(html.unescape(_TAGS.sub("", text)))


def shared_beginning(names: list[str]) -> str:
    """The words every name begins with ("Défenseur des droits - Délégué - "), when there
    are several names and it is long enough to be worth saying once; else ""."""
    if len(names) < 2:
        return ""
    prefix = min(names)
    for name in names:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    cut = max(prefix.rfind(" "), prefix.rfind(","), prefix.rfind("–"), prefix.rfind("-"))
    prefix = prefix[: cut + 1] if cut >= 0 else ""
    if len(prefix.rstrip(" ,–-")) < MIN_PREFIX or any(
        n[len(prefix) :].strip() == "" for n in names
    ):
        return ""
    return prefix


def today_weekday(context: BotContext) -> int:
    """Today's weekday (0 is Monday) where the bot serves."""
    return datetime.now(context.bot_data.settings.zone).weekday()


def hours_lines(context: BotContext, ranges: tuple[OpeningRange, ...], today: int) -> list[str]:
    """One line per open day, slots joined, today's in bold with a mark."""
    _ = context._
    sep = colon(context.t.language)
    lines = []
    for day, slots in by_day(ranges).items():
        line = esc(f"{day_name(context.t, day)}{sep}{spans(context.t, slots)}")
        lines.append(f"<b>{line} ◀ {esc(_(TODAY))}</b>" if day == today else line)
    return lines


def shorten(text: str, chars: int) -> str:
    """A published remark cut at a word, with "…" when cut."""
    if len(text) <= chars:
        return text
    return text[: chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def short_hours(
    context: BotContext, place: Permanence, today: int, note_chars: int = NOTE_CHARS
) -> str:
    """Today's hours, else the next opening day's; else the published remark, shortened."""
    _ = context._
    day = next_open_day(place.hours, today)
    if day is not None:
        slots = by_day(place.hours)[day]
        hours = spans(context.t, slots)
        if day == today:
            return f"🕘 <b>{esc(_(OPEN_TODAY) % {'hours': hours})}</b>"
        name = day_name(context.t, day).lower()
        return f"🕘 {esc(_(NEXT_OPEN) % {'day': name, 'hours': hours})}"
    if place.hours_notes:
        return f"🕘 {esc(shorten(place.hours_notes[0], note_chars))}"
    return ""


def attribution(context: BotContext, info: DirectoryInfo, *, short: bool = False) -> str:
    """What Licence Ouverte 2.0 asks: the author, the date of the data, the link (and the
    file's name in the full card)."""
    _ = context._
    try:
        day = date.fromisoformat(info.file_date)
        # Arabic numeric dates carry marks that reverse them: the long form reads right.
        brief = short and not context.t.rtl
        when = format_date(day, "medium" if brief else "long", locale=context.t.locale)
    except ValueError:
        when = info.file_date
    if short:
        text = _(N_("Source : %(author)s, %(date)s (Licence Ouverte 2.0)")) % {
            "author": info.attribution,
            "date": when,
        }
    else:
        text = _(N_("Source : %(author)s, %(file)s du %(date)s (Licence Ouverte 2.0)")) % {
            "author": info.attribution,
            "file": info.file_name,
            "date": when,
        }
    return f'<i><a href="{html.escape(info.download_url, quote=True)}">{esc(text)}</a></i>'


def distance(context: BotContext, match: Match) -> str:
    """ "2,2 km", in the reader's numbers."""
    if match.distance_km is None:
        return ""
    km = format_decimal(round(match.distance_km, 1), locale=context.t.locale)
    return context._(KM) % {"km": km}


def distance_line(context: BotContext, match: Match) -> str:
    """Why this place: it serves the commune, and how far it is."""
    _ = context._
    parts = []
    if match.serves_commune:
        parts.append(_(SERVES_LONG))
    if match.distance_km is not None:
        km = format_decimal(round(match.distance_km, 1), locale=context.t.locale)
        parts.append(_(N_("📏 À environ %(km)s km.")) % {"km": km})
    return esc(" ".join(parts))


def address(place: Permanence) -> str:
    """The address on one line, as published."""
    return ", ".join([*place.address_lines, f"{place.postal_code} {place.commune}".strip()])


def places_text(
    context: BotContext,
    matches: tuple[Match, ...],
    place_name: str,
    info: DirectoryInfo,
    *,
    brief: bool = False,
) -> str:
    """The short list of the permanences proposed, numbered like their details buttons:
    name (a beginning they all share said once), address, distance, today's or the next
    opening hours, a phone; the whole card is one button away. Over 700 characters, the
    published remarks are shortened further (`brief`)."""
    if not brief:
        full = _places_text(context, matches, place_name, info, NOTE_CHARS)
        if visible_length(full) <= MESSAGE_CHARS:
            return full
    return _places_text(context, matches, place_name, info, BRIEF_NOTE_CHARS)


def _places_text(
    context: BotContext,
    matches: tuple[Match, ...],
    place_name: str,
    info: DirectoryInfo,
    note_chars: int,
) -> str:
    _ = context._
    today = today_weekday(context)
    lines = [f"<b>{esc(_(FOUND) % {'place': ltr(context, place_name)})}</b>"]
    if info.sample:
        lines.append(esc(_(SAMPLE_PLACES)))
    shared = shared_beginning([m.permanence.name for m in matches])
    if shared:
        heading = ltr(context, shared.rstrip(" ,–-")) + colon(context.t.language).rstrip()
        lines += ["", f"<i>{esc(heading)}</i>"]
    for number, match in zip(KEYCAPS, matches, strict=False):
        place = match.permanence
        name = ("… " if shared else "") + place.name[len(shared) :].strip()
        lines += [
            "",
            f"{number} <b>{esc(ltr(context, name))}</b>",
            esc(ltr(context, address(place))),
        ]
        why = [far] if (far := distance(context, match)) else []
        if match.serves_commune:
            why.append(_(SERVES))
        if why:
            lines.append(esc(" · ".join(why)))
        if hours := short_hours(context, place, today, note_chars):
            lines.append(hours)
        if place.appointment:
            lines.append(f"📅 {esc(shorten(place.appointment, note_chars))}")
        if place.phones:
            lines.append(f"📞 {esc(ltr(context, place.phones[0].number))}")
    lines += ["", attribution(context, info, short=True)]
    return "\n".join(lines)


def permanence_text(context: BotContext, match: Match, info: DirectoryInfo) -> str:
    """The whole card of one permanence."""
    _ = context._
    place = match.permanence
    today = today_weekday(context)
    lines = [esc(_(SAMPLE_WARNING))] if info.sample else []
    lines.append(f"<b>{esc(ltr(context, place.name))}</b>")
    lines += [esc(ltr(context, line)) for line in place.address_lines]
    lines.append(esc(ltr(context, f"{place.postal_code} {place.commune}".strip())))
    if why := distance_line(context, match):
        lines += ["", why]
    if place.hours:
        lines += ["", f"🕘 {esc(_(HOURS))}", *hours_lines(context, place.hours, today)]
    lines += [esc(note) for note in place.hours_notes]
    if place.appointment:
        lines.append(f"📅 {esc(place.appointment)}")
    if place.phones or place.email or place.website:
        lines.append("")
    lines += [
        f"📞 {esc(ltr(context, phone.number))}"
        + (f" ({esc(ltr(context, phone.description))})" if phone.description else "")
        for phone in place.phones
    ]
    if place.email:
        lines.append(f"✉️ {esc(ltr(context, place.email))}")
    if place.website:
        lines.append(f"🌐 {esc(ltr(context, place.website))}")
    lines += ["", attribution(context, info)]
    return "\n".join(lines)


def partners_text(context: BotContext, partners: tuple[Partner, ...], sample: bool) -> str:
    """The local partners of this place and domain, one short paragraph each, and where
    their details come from."""
    _ = context._
    lines = [f"<b>{esc(_(PARTNERS))}</b>"]
    if sample:
        lines.append(esc(_(SAMPLE_PLACES)))
    for partner in partners:
        details = ", ".join([partner.address, partner.contact])
        line = f"• <b>{esc(ltr(context, partner.name))}</b>\n{esc(ltr(context, details))}"
        if partner.note:
            line += f" · 📅 {esc(partner.note)}"
        if partner.url:
            line += f' · <a href="{html.escape(partner.url, quote=True)}">🌐</a>'
        lines.append(line)
    sources = ", ".join(dict.fromkeys(p.source for p in partners))
    lines.append(f"<i>{esc(_(SOURCE))} {esc(sources)}</i>")
    return "\n".join(lines)
