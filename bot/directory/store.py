"""The directory in service: one compact JSON file, replaced atomically.

Only a complete, validated directory ever replaces the one in service: it is written to a
temporary file in the same folder and moved over the old one with `os.replace`, so a
crash, a full disk or a bad import leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import time
from pathlib import Path
from typing import Any

from bot.directory.model import Directory, DirectoryInfo, OpeningRange, Permanence, Phone

FORMAT = "egalite-bot directory"
VERSION = 1


class DirectoryError(Exception):
    """A directory file that cannot be read or used; the message is one line."""


def save(directory: Directory, path: Path) -> None:
    """Write `directory` to `path` atomically (temporary file, fsync, `os.replace`)."""
    data = json.dumps(dump(directory), ensure_ascii=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the replace
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # public data; NamedTemporaryFile creates 0600
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def install_sample(path: Path, partner_types: tuple[str, ...], api_url: str) -> Directory:
    """Put the shipped SAMPLE directory in service at `path` (tests and the offline demo)."""
    from bot.directory.files import SAMPLE_FILE, read_file  # noqa: PLC0415
    from bot.directory.records import kept_kinds  # noqa: PLC0415

    directory = read_file(SAMPLE_FILE, kept_kinds(partner_types), api_url=api_url, sample=True)
    save(directory, path)
    return directory


def load(path: Path) -> Directory | None:
    """The directory saved at `path`; None when there is none; DirectoryError if corrupt."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise DirectoryError(f"{path.name} cannot be read ({type(error).__name__})") from None
    try:
        return undump(json.loads(raw))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise DirectoryError(f"{path.name} is corrupt ({_why(error)}): import it again") from None


def _why(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return "not valid JSON"
    if isinstance(error, KeyError):
        return f"missing {error}"
    return str(error) or type(error).__name__


# --- format -----------------------------------------------------------------------------


def _clock(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def dump(directory: Directory) -> dict[str, Any]:
    """The saved form: versioned, with empty fields left out to keep it small."""
    info = directory.info
    return {
        "format": FORMAT,
        "version": VERSION,
        "info": {
            "attribution": info.attribution,
            "file_name": info.file_name,
            "file_date": info.file_date,
            "download_url": info.download_url,
            "sample": info.sample,
            "loaded": info.loaded,
            "skipped": info.skipped,
            "records": info.records,
            "rules": info.rules,
        },
        "permanences": [_dump_permanence(p) for p in directory.permanences],
        "points": {code: [lat, lon] for code, (lat, lon) in directory.points.items()},
    }


def _dump_permanence(p: Permanence) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": p.id,
        "kind": p.kind,
        "name": p.name,
        "address_lines": list(p.address_lines),
        "postal_code": p.postal_code,
        "commune": p.commune,
        "insee": p.insee,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "phones": [[phone.number, phone.description] for phone in p.phones],
        "email": p.email,
        "website": p.website,
        "hours": [[h.weekday, _clock(h.opens), _clock(h.closes), h.note] for h in p.hours],
        "hours_notes": list(p.hours_notes),
        "appointment": p.appointment,
        "served": sorted(p.served),
        "source_date": p.source_date,
        "url": p.url,
        "accessible_phones": [[phone.number, phone.description] for phone in p.accessible_phones],
        "accessibility": p.accessibility,
        "accessibility_note": p.accessibility_note,
    }
    required = ("id", "kind", "name", "insee")
    return {k: v for k, v in fields.items() if k in required or v not in (None, "", [])}


def _str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} is not text")
    return value


def _number(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} is not a number")
    return float(value)


def _strs(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"{name} is not a list")
    return tuple(_str(item, name) for item in value)


def _counts(value: object, name: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, int) for k, v in value.items()
    ):
        raise TypeError(f"{name} is not a table of counts")
    return dict(value)


def undump(data: Any) -> Directory:
    """A directory from its saved form; raises ValueError/TypeError/KeyError if malformed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a directory file of this bot")
    if data.get("version") != VERSION:
        raise ValueError(f"format version {data.get('version')!r} is not supported")
    raw_info = data["info"]
    info = DirectoryInfo(
        attribution=_str(raw_info["attribution"], "attribution"),
        file_name=_str(raw_info["file_name"], "file_name"),
        file_date=_str(raw_info["file_date"], "file_date"),
        download_url=_str(raw_info["download_url"], "download_url"),
        sample=raw_info.get("sample") is True,
        loaded=_counts(raw_info.get("loaded", {}), "loaded"),
        skipped=_counts(raw_info.get("skipped", {}), "skipped"),
        records=int(_number(raw_info.get("records", 0), "records") or 0),
        rules=_counts(raw_info.get("rules", {}), "rules"),
    )
    permanences = tuple(_undump_permanence(item) for item in data["permanences"])
    points: dict[str, tuple[float, float]] = {}
    for code, point in data.get("points", {}).items():
        lat, lon = (_number(v, "point") for v in point)
        if lat is None or lon is None:
            raise TypeError("point is not a pair of numbers")
        points[_str(code, "point code")] = (lat, lon)
    return Directory(permanences, info, points)


def _undump_permanence(item: dict[str, Any]) -> Permanence:
    hours = []
    for weekday, opens, closes, note in item.get("hours", []):
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError("bad weekday")
        hours.append(
            OpeningRange(
                weekday,
                time.fromisoformat(_str(opens, "hours")),
                time.fromisoformat(_str(closes, "hours")),
                _str(note, "hours note"),
            )
        )
    return Permanence(
        id=_str(item["id"], "id"),
        kind=_str(item["kind"], "kind"),
        name=_str(item["name"], "name"),
        address_lines=_strs(item.get("address_lines", []), "address_lines"),
        postal_code=_str(item.get("postal_code", ""), "postal_code"),
        commune=_str(item.get("commune", ""), "commune"),
        insee=_str(item["insee"], "insee"),
        latitude=_number(item.get("latitude"), "latitude"),
        longitude=_number(item.get("longitude"), "longitude"),
        phones=_phones(item.get("phones", [])),
        email=_str(item.get("email", ""), "email"),
        website=_str(item.get("website", ""), "website"),
        hours=tuple(hours),
        hours_notes=_strs(item.get("hours_notes", []), "hours_notes"),
        appointment=_str(item.get("appointment", ""), "appointment"),
        served=frozenset(_strs(item.get("served", []), "served")),
        source_date=_str(item.get("source_date", ""), "source_date"),
        url=_str(item.get("url", ""), "url"),
        accessible_phones=_phones(item.get("accessible_phones", [])),
        accessibility=_str(item.get("accessibility", ""), "accessibility"),
        accessibility_note=_str(item.get("accessibility_note", ""), "accessibility_note"),
    )


def _phones(value: Any) -> tuple[Phone, ...]:
    return tuple(
        Phone(_str(number, "phone"), _str(description, "phone description"))
        for number, description in value
    )
