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
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator

from bot.datafiles import DataFileError, FileModel, ItemError, describe, shown, unique
from bot.directory.model import Directory, DirectoryInfo, OpeningRange, Permanence, Phone

FORMAT = "egalite-bot directory"
VERSION = 1
CORRUPT = "the file is corrupt or from another version: import it again"


class DirectoryError(DataFileError):
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
        raise DirectoryError(f"{shown(path)}: cannot be read ({type(error).__name__})") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise DirectoryError(f"{shown(path)}: not valid JSON; {CORRUPT}") from None
    try:
        return undump(data)
    except ValidationError as error:
        raise DirectoryError(f"{describe(error, data, path)}; {CORRUPT}") from None


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


def _positional(*names: str) -> BeforeValidator:
    """`[a, b]` in the file, read as `{names[0]: a, names[1]: b}`."""

    def to_mapping(value: object) -> object:
        if isinstance(value, list) and len(value) == len(names):
            return dict(zip(names, value, strict=True))
        raise ValueError(f"expected a list [{', '.join(names)}]")

    return BeforeValidator(to_mapping)


Phones = tuple[Annotated[Phone, _positional("number", "description")], ...]
Hours = tuple[Annotated[OpeningRange, _positional("weekday", "opens", "closes", "note")], ...]


class _Permanence(FileModel):
    """A permanence as saved: the fields of `Permanence`, empty ones left out."""

    id: str
    kind: str
    name: str
    insee: str
    address_lines: tuple[str, ...] = ()
    postal_code: str = ""
    commune: str = ""
    latitude: float | None = None
    longitude: float | None = None
    phones: Phones = ()
    email: str = ""
    website: str = ""
    hours: Hours = ()
    hours_notes: tuple[str, ...] = ()
    appointment: str = ""
    served: frozenset[str] = frozenset()
    source_date: str = ""
    url: str = ""
    accessible_phones: Phones = ()
    accessibility: str = ""
    accessibility_note: str = ""

    @field_validator("hours")
    @classmethod
    def _weekdays(cls, hours: tuple[OpeningRange, ...]) -> tuple[OpeningRange, ...]:
        for index, opening in enumerate(hours):
            if not 0 <= opening.weekday <= 6:
                raise ItemError(f"{opening.weekday} is not 0 (Monday) to 6", index, "weekday")
        return hours


class _File(FileModel):
    """The saved directory."""

    format: Literal["egalite-bot directory"]
    version: Literal[1]  # VERSION
    info: DirectoryInfo
    permanences: tuple[_Permanence, ...]
    points: dict[str, tuple[float, float]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        unique(((p.id, ("permanences", i, "id")) for i, p in enumerate(self.permanences)), "id")
        return self


def undump(data: object) -> Directory:
    """A directory from its saved form; ValidationError if malformed."""
    saved = _File.model_validate(data)
    permanences = tuple(Permanence(**dict(p)) for p in saved.permanences)
    return Directory(permanences, saved.info, dict(saved.points))
