"""How a permanence or a partner reads in the chat: address, hours with today marked,
phones, appointment remarks, distance, and the licence's attribution."""

from __future__ import annotations

import html
from datetime import date, datetime

from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal

from bot.context import BotContext
from bot.directory.model import DirectoryInfo, Match, OpeningRange
from bot.directory.partners import Partner
from bot.i18n import N_
from handlers.ui import esc, ltr

HOURS = N_("Horaires :")
PARTNER = N_("🤝 Partenaire local")
SOURCE = N_("Source :")
TODAY = N_("aujourd'hui")
SAMPLE_WARNING = N_("⚠️ DONNÉES D'EXEMPLE : ce lieu est fictif, ne vous y rendez pas.")


def hours_lines(context: BotContext, ranges: tuple[OpeningRange, ...], today: int) -> list[str]:
    """One line per open day, slots joined, today's in bold with a mark."""
    _ = context._
    locale = context.t.locale
    names = get_day_names("wide", locale=locale)
    by_day: dict[int, list[OpeningRange]] = {}

    def span(slot: OpeningRange) -> str:
        opens = format_time(slot.opens, "short", locale=locale)
        closes = format_time(slot.closes, "short", locale=locale)
        return f"{opens}–{closes}" + (f" ({slot.note})" if slot.note else "")

    for slot in sorted(ranges, key=lambda r: (r.weekday, r.opens)):
        by_day.setdefault(slot.weekday, []).append(slot)
    lines = []
    for day, slots in sorted(by_day.items()):
        spans = ", ".join(span(s) for s in slots)
        line = esc(f"{names[day].capitalize()} : {spans}")
        lines.append(f"<b>{line} ◀ {esc(_(TODAY))}</b>" if day == today else line)
    return lines


def attribution(context: BotContext, info: DirectoryInfo) -> str:
    """What Licence Ouverte 2.0 asks: the author, the file and its date, the link."""
    _ = context._
    try:
        when = format_date(date.fromisoformat(info.file_date), "long", locale=context.t.locale)
    except ValueError:
        when = info.file_date
    text = _(N_("Source : %(author)s, %(file)s du %(date)s (Licence Ouverte 2.0)")) % {
        "author": info.attribution,
        "file": info.file_name,
        "date": when,
    }
    return f'<i><a href="{html.escape(info.download_url, quote=True)}">{esc(text)}</a></i>'


def distance_line(context: BotContext, match: Match) -> str:
    """Why this place: it serves the commune, and how far it is."""
    _ = context._
    parts = []
    if match.serves_commune:
        parts.append(_(N_("✅ Reçoit les habitants de cette commune.")))
    if match.distance_km is not None:
        km = format_decimal(round(match.distance_km, 1), locale=context.t.locale)
        parts.append(_(N_("📏 À environ %(km)s km.")) % {"km": km})
    return esc(" ".join(parts))


def permanence_text(context: BotContext, match: Match, info: DirectoryInfo) -> str:
    """The message that goes with a permanence's venue."""
    _ = context._
    place = match.permanence
    today = datetime.now(context.bot_data.settings.zone).weekday()
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


def partner_text(context: BotContext, partner: Partner, sample: bool) -> str:
    """A local partner from the coordinators' file, with its source."""
    _ = context._
    lines = [esc(_(SAMPLE_WARNING))] if sample else []
    lines.append(f"<i>{esc(_(PARTNER))}</i>")
    lines += [
        f"<b>{esc(ltr(context, partner.name))}</b>",
        esc(ltr(context, partner.address)),
        esc(ltr(context, partner.contact)),
    ]
    if partner.note:
        lines.append(f"📅 {esc(partner.note)}")
    if partner.url:
        lines.append(f"🌐 {esc(partner.url)}")
    lines.append(f"<i>{esc(_(SOURCE))} {esc(partner.source)}</i>")
    return "\n".join(lines)
