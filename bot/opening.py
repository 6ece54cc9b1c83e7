"""Opening hours in words, for the referral step and the summary: by day, today's, the next
opening day, and each published remark of a slot said once. Pure functions over the
directory's `OpeningRange`s and a translator."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from babel.dates import format_time, get_day_names

from bot.directory.hours import sentences
from bot.directory.model import OpeningRange, Permanence
from bot.i18n import N_, Translator
from bot.markup import bold, esc
from bot.rtl import colon, comma

TODAY = N_("aujourd'hui")  # after today's hours: "Mardi : 09:00–12:00 ◀ aujourd'hui"

MARKS = "¹²³⁴⁵⁶⁷⁸⁹"  # what ties a remark, said once, to the slots it was published on


def by_day(ranges: tuple[OpeningRange, ...]) -> dict[int, list[OpeningRange]]:
    """The slots of each open weekday (0 is Monday), in order."""
    days: dict[int, list[OpeningRange]] = {}
    for slot in sorted(ranges, key=lambda r: (r.weekday, r.opens)):
        days.setdefault(slot.weekday, []).append(slot)
    return dict(sorted(days.items()))


def day_name(t: Translator, weekday: int, *, in_sentence: bool = False) -> str:
    """ "Mardi", "الثلاثاء"… capitalised; `in_sentence`: as the language writes it there
    ("mardi" in French, "Tuesday" in English)."""
    name = str(get_day_names("wide", locale=t.locale)[weekday])
    return name if in_sentence else name.capitalize()


def _times(t: Translator, slot: OpeningRange) -> str:
    opens = format_time(slot.opens, "short", locale=t.locale)
    closes = format_time(slot.closes, "short", locale=t.locale)
    return f"{opens}–{closes}"


def mark(index: int) -> str:
    """ "¹", "²"… for the remark `index` (0 first), "(10)" beyond nine."""
    return MARKS[index] if index < len(MARKS) else f"({index + 1})"


def remark_marks(ranges: tuple[OpeningRange, ...]) -> dict[str, str]:
    """Each published remark of a slot, once, in the order of the week, with the mark that
    ties it to its slots; "" when one remark was published on every slot (it then needs
    no mark: it is said once, after the hours)."""
    slots = [slot for day in by_day(ranges).values() for slot in day]
    notes = list(dict.fromkeys(slot.note for slot in slots if slot.note))
    if len(notes) == 1 and all(slot.note for slot in slots):
        return {notes[0]: ""}
    return {note: mark(index) for index, note in enumerate(notes)}


def spans(t: Translator, slots: list[OpeningRange], marks: Mapping[str, str] | None = None) -> str:
    """ "09:00–12:00, 14:00–17:00". With `marks` (see `remark_marks`), a slot's published
    remark is its mark, after the slot, or once at the end of the day when every slot of
    the day carries the same remark; the remarks themselves are said once, after the
    hours (`remarks`)."""
    marks = marks or {}
    notes = {s.note for s in slots}
    if len(notes) == 1:
        tail = marks.get(next(iter(notes)), "")
        times = comma(t.rtl).join(_times(t, s) for s in slots)
        return f"{times} {tail}" if tail else times
    return comma(t.rtl).join(
        _times(t, s) + (f" {marks[s.note]}" if marks.get(s.note) else "") for s in slots
    )


def next_open_day(ranges: tuple[OpeningRange, ...], today: int) -> int | None:
    """Today if open today, else the next open weekday; None without weekly hours."""
    days = by_day(ranges)
    for offset in range(7):
        if (today + offset) % 7 in days:
            return (today + offset) % 7
    return None


def unsaid(appointment: str, said: Iterable[str]) -> str:
    """The sentences of an appointment remark that no remark in `said` holds already,
    copied as they are."""
    shown = list(said)
    return " ".join(s for s in sentences(appointment) if not any(s in text for text in shown))


@dataclass(frozen=True)
class Remarks:
    """The published remarks on a place's hours, each to be said once, verbatim."""

    marks: dict[str, str]  # a slot's remark -> its mark in the hours ("" on every slot)
    own: tuple[str, ...]  # the place's remarks on its hours that are no slot's
    appointment: str  # its appointment sentences no remark above holds

    def items(self) -> list[tuple[str, str]]:
        """(what comes before it, the remark): "¹ " for a slot's, "📅 " for the
        appointment's, in the order they are said after the hours."""
        found = [(f"{mark} " if mark else "", note) for note, mark in self.marks.items()]
        found += [("", note) for note in self.own]
        return found + ([("📅 ", self.appointment)] if self.appointment else [])


def remarks(place: Permanence) -> Remarks:
    """Each remark of the place's hours once: a remark published on several slots is
    said once, with the mark its slots carry; an appointment sentence already in one
    of them is not said again (the rest comes from `information_complementaire`)."""
    marks = remark_marks(place.hours)
    own = tuple(note for note in place.hours_notes if note not in marks)
    return Remarks(marks, own, unsaid(place.appointment, [*marks, *own]))


def day_lines(
    t: Translator,
    ranges: tuple[OpeningRange, ...],
    today: int,
    marks: Mapping[str, str] | None = None,
    *,
    grouped: bool = False,
) -> list[str]:
    """One line per open day (Telegram HTML), slots joined, today's in bold with a mark,
    for the card and the summary alike. With `marks` (`remark_marks`), a slot's remark is
    its mark; the remarks themselves are said after the hours (`remarks`). `grouped`:
    days in a row that read the same share one line ("Lundi – Jeudi : …")."""
    sep = colon(t.language)
    days = by_day(ranges)
    runs: list[list[int]] = []
    for day in days:
        if (
            grouped
            and runs
            and runs[-1][-1] == day - 1
            and _reading(days[day], marks) == _reading(days[day - 1], marks)
        ):
            runs[-1].append(day)
        else:
            runs.append([day])
    lines = []
    for first, *others in runs:
        names = day_name(t, first)
        if others:
            names += f" – {day_name(t, others[-1])}"
        line = f"{names}{sep}{spans(t, days[first], marks)}"
        is_today = today == first or today in others
        lines.append(bold(f"{line} ◀ {t.gettext(TODAY)}") if is_today else esc(line))
    return lines


def _reading(slots: list[OpeningRange], marks: Mapping[str, str] | None) -> list[object]:
    """What a day's line says: its slots and their marks (two days alike share a line)."""
    return [(s.opens, s.closes, (marks or {}).get(s.note)) for s in slots]
