"""Opening hours in words, for the referral step and the summary: by day, today's, the next
opening day. Pure functions over the directory's `OpeningRange`s and a translator."""

from __future__ import annotations

from babel.dates import format_time, get_day_names

from bot.directory.model import OpeningRange
from bot.i18n import Translator
from bot.rtl import comma


def by_day(ranges: tuple[OpeningRange, ...]) -> dict[int, list[OpeningRange]]:
    """The slots of each open weekday (0 is Monday), in order."""
    days: dict[int, list[OpeningRange]] = {}
    for slot in sorted(ranges, key=lambda r: (r.weekday, r.opens)):
        days.setdefault(slot.weekday, []).append(slot)
    return dict(sorted(days.items()))


def day_name(t: Translator, weekday: int) -> str:
    """ "Mardi", "الثلاثاء"… capitalised."""
    return str(get_day_names("wide", locale=t.locale)[weekday]).capitalize()


def spans(t: Translator, slots: list[OpeningRange]) -> str:
    """ "09:00–12:00, 14:00–17:00" (with the published remark of a slot, if any)."""

    def span(slot: OpeningRange) -> str:
        opens = format_time(slot.opens, "short", locale=t.locale)
        closes = format_time(slot.closes, "short", locale=t.locale)
        return f"{opens}–{closes}" + (f" ({slot.note})" if slot.note else "")

    return comma(t.rtl).join(span(s) for s in slots)


def next_open_day(ranges: tuple[OpeningRange, ...], today: int) -> int | None:
    """Today if open today, else the next open weekday; None without weekly hours."""
    days = by_day(ranges)
    for offset in range(7):
        if (today + offset) % 7 in days:
            return (today + offset) % 7
    return None
