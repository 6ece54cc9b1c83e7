"""Opening hours and their remarks, as DILA publishes them in `plage_ouverture`.

Every real record found has French day names ("Lundi") and "HH:MM:SS" times, with ""
for an absent second slot (legal-facts §0); English names ("Monday", even "Nord/Monday")
are read too, as one public codebase claims they occur. Remarks are copied verbatim: a
"sans rendez-vous" stays "sans rendez-vous".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time
from typing import Any

from bot.directory.html_text import fold, text
from bot.directory.model import OpeningRange

_DAY_NAMES = (
    ("lundi", "lun", "monday", "mon"),
    ("mardi", "mar", "tuesday", "tue", "tues"),
    ("mercredi", "mer", "wednesday", "wed"),
    ("jeudi", "jeu", "thursday", "thu", "thur", "thurs"),
    ("vendredi", "ven", "friday", "fri"),
    ("samedi", "sam", "saturday", "sat"),
    ("dimanche", "dim", "sunday", "sun"),
)
_WEEKDAYS = {name: day for day, names in enumerate(_DAY_NAMES) for name in names}
_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})(?::(\d{2}))?")


def weekday(value: object) -> int | None:
    """0 for Monday: French or English, any case or accent, even "Nord/Monday"."""
    name = re.split(r"[/\\|]", fold(text(value)))[-1].strip().rstrip(".")
    return _WEEKDAYS.get(name)


def clock(value: object) -> time | None:
    """A published time, "HH:MM:SS" or "HH:MM"; 24:00 is read as 23:59."""
    match = _TIME.fullmatch(text(value))
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if (hour, minute, second) == (24, 0, 0):
        return time(23, 59)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def opening_ranges(items: list[Any]) -> tuple[list[OpeningRange], list[str]]:
    """Weekly slots, one per day and per time slot; remarks of unusable ranges are kept."""
    ranges: set[OpeningRange] = set()
    leftover: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        note = text(item.get("commentaire"))
        first = weekday(item.get("nom_jour_debut"))
        end_name = item.get("nom_jour_fin")
        last = weekday(end_name) if text(end_name) else first
        slots = []
        for n in (1, 2):
            opens = clock(item.get(f"valeur_heure_debut_{n}"))
            closes = clock(item.get(f"valeur_heure_fin_{n}"))
            if opens is not None and closes is not None and opens < closes:
                slots.append((opens, closes))
        if first is None or last is None or not slots:
            if note:
                leftover.append(note)
            continue
        for offset in range((last - first) % 7 + 1):
            for opens, closes in slots:
                ranges.add(OpeningRange((first + offset) % 7, opens, closes, note))
    ordered = sorted(ranges, key=lambda r: (r.weekday, r.opens, r.closes, r.note))
    return ordered, leftover


_APPOINTMENT = re.compile(r"rendez[\s-]*vous|\brdv\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def appointment_remarks(texts: Iterable[str]) -> str:
    """The published sentences that mention "rendez-vous" or "RDV", copied as they are.

    Whatever they say (sur rendez-vous, sans rendez-vous, uniquement pour l'inscription…)
    is kept word for word: the bot never rewrites a remark into a rule of its own.
    """
    found: dict[str, None] = {}
    for paragraph in texts:
        for sentence in sentences(paragraph):
            if _APPOINTMENT.search(fold(sentence)):
                found.setdefault(sentence)
    return " ".join(found)


def sentences(paragraph: str) -> list[str]:
    """A published paragraph cut into its sentences, each as it is."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
