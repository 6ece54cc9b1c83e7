"""The fields of a DILA record, read the same way from both shapes.

The bulk export sends JSON values; the Opendatasoft API sends several of them as
JSON-encoded strings, and sometimes as decoded lists (legal-facts §0, §6): `json_list`
accepts all three. Everything is read as published, never completed or reworded.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from bot.directory.html_text import fold, text
from bot.directory.model import Phone


def bad_json(field_name: str) -> str:
    """The skip reason for a field whose JSON-encoded text does not decode."""
    return f"bad {field_name} JSON"


class RecordError(Exception):
    """A record that cannot be used; the message is its skip reason."""

    def __init__(self, reason: str, rules: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.rules = rules  # the delegate rules the record matched before it failed


def json_list(record: dict[str, Any], field_name: str) -> list[Any]:
    """A list field, decoding it when the API sends it as JSON text."""
    value = record.get(field_name)
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except ValueError:
            raise RecordError(bad_json(field_name)) from None
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise RecordError(bad_json(field_name))
    return value


def optional_list(record: dict[str, Any], field_name: str) -> list[Any]:
    """Like `json_list`, but an unreadable value is taken as empty: for extra fields."""
    try:
        return json_list(record, field_name)
    except RecordError:
        return []


_INSEE = re.compile(r"\d{5}|2[AB]\d{3}")


def insee_codes(value: object) -> list[str]:
    """Valid INSEE commune codes from a list or a comma-separated string."""
    items = value if isinstance(value, list) else re.split(r"[,;\s]+", text(value))
    codes = (text(item).upper() for item in items)
    return [code for code in codes if _INSEE.fullmatch(code)]


ADDRESS_LINES = ("complement1", "complement2", "numero_voie", "service_distribution")


def address_of(items: list[Any]) -> dict[str, Any] | None:
    """The physical address (`type_adresse` "Adresse") before any postal one."""
    usable = [
        item
        for item in items
        if isinstance(item, dict)
        and any(text(item.get(key)) for key in (*ADDRESS_LINES, "code_postal", "nom_commune"))
    ]
    physical = [a for a in usable if fold(text(a.get("type_adresse"))) == "adresse"]
    chosen = physical or usable
    return chosen[0] if chosen else None


def _coordinate(value: object, limit: float) -> float | None:
    try:
        number = float(text(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= limit else None


def coordinates(address: dict[str, Any]) -> tuple[float, float] | None:
    """Latitude and longitude from an address's decimal strings, when both are sound."""
    lat = _coordinate(address.get("latitude"), 90)
    lon = _coordinate(address.get("longitude"), 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None
    return lat, lon


def source_date(value: object) -> str:
    """A DILA date as YYYY-MM-DD, from "DD/MM/YYYY HH:MM:SS" or ISO; else ""."""
    raw = text(value)
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", raw)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw).isoformat()
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]", raw):
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return ""
    return ""


def record_date(record: dict[str, Any]) -> str:
    """`date_modification` (both shapes), else the API's `date_modification_datetime`."""
    return source_date(record.get("date_modification")) or source_date(
        record.get("date_modification_datetime")
    )


def phones(items: list[Any]) -> tuple[Phone, ...]:
    phones: dict[Phone, None] = {}
    for item in items:
        if isinstance(item, dict):
            number, description = text(item.get("valeur")), text(item.get("description"))
        else:
            number, description = text(item), ""
        if number:
            phones.setdefault(Phone(number, description))
    return tuple(phones)


def web_url(value: object) -> str:
    url = text(value)
    return url if re.match(r"https?://\S+$", url, re.IGNORECASE) else ""


def website(items: list[Any]) -> str:
    for item in items:
        url = web_url(item.get("valeur") if isinstance(item, dict) else item)
        if url:
            return url
    return ""


def email(value: object) -> str:
    items = value if isinstance(value, list) else [value]
    for item in items:
        for candidate in re.split(r"[;,\s]+", text(item)):
            if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", candidate):
                return candidate
    return ""
