"""DILA "Base de données locales" records → permanences and commune reference points.

Two shapes reach us (legal-facts §6): the bulk export, whose fields are JSON objects, and
the Opendatasoft API, where several fields are JSON-encoded strings. Both go through
`parse_record`. A malformed record is skipped and counted by reason, never a crash: one bad
record among 63 000 must not keep every delegate's address out of service. Text is kept
as published (minus HTML tags); nothing is invented, not even a "sur rendez-vous".
"""

from __future__ import annotations

import codecs
import gzip
import json
import math
import re
import tarfile
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from html.parser import HTMLParser
from lzma import LZMAError
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from bot.directory.model import (
    DEFENSEUR,
    Directory,
    DirectoryInfo,
    OpeningRange,
    Permanence,
    Phone,
)
from bot.directory.store import DirectoryError

ATTRIBUTION = "Service-Public.gouv.fr / DILA"
BULK_URL = "https://lecomarquage.service-public.gouv.fr/donnees_locales_v4/all_latest.tar.bz2"
API_NAME = "API Annuaire de l'administration"
MAIRIE = "mairie"
SAMPLE_FILE = Path(__file__).resolve().parent.parent / "data" / "sample_directory.json"

# Skip reasons, as counted in DirectoryInfo.skipped. NO_KEPT_PIVOT is not an error: the
# bulk file holds every local service of France, and we keep only a few kinds.
NOT_OBJECT = "not a JSON object"
NO_KEPT_PIVOT = "no kept pivot"
NO_ID = "no id"
DUPLICATE_ID = "duplicate id"
NO_NAME = "no name"
NO_ADDRESS = "no address"
NO_INSEE = "no INSEE code"
NO_COORDINATES = "mairie without coordinates"


def bad_json(field_name: str) -> str:
    """The skip reason for a field whose JSON-encoded text does not decode."""
    return f"bad {field_name} JSON"


class RecordError(Exception):
    """A record that cannot be used; the message is its skip reason."""


def kept_kinds(partner_types: Iterable[str]) -> tuple[str, ...]:
    """`defenseur_droits` first, then the configured partners (never `mairie`)."""
    return tuple(dict.fromkeys(k for k in (DEFENSEUR, *partner_types) if k != MAIRIE))


# --- text -------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)
_SPACES = re.compile(r"[^\S\n]+")


class _TextOnly(HTMLParser):
    """Keeps the text of an HTML fragment; block tags become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def paragraphs(value: object) -> list[str]:
    """The non-empty lines of a published text (string or list), tags stripped."""
    if isinstance(value, list):
        return [line for item in value for line in paragraphs(item)]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return []
    raw = str(value)
    if "<" in raw or "&" in raw:
        parser = _TextOnly()
        parser.feed(raw)
        parser.close()
        raw = "".join(parser.parts)
    lines = (_SPACES.sub(" ", line).strip() for line in raw.replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


def text(value: object) -> str:
    """A published value as one clean line ("" when absent or not text)."""
    return " ".join(paragraphs(value))


def fold(value: str) -> str:
    """Lower case without accents, for comparing names and keywords."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- fields -----------------------------------------------------------------------------


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


_INSEE = re.compile(r"\d{5}|2[AB]\d{3}")


def insee_codes(value: object) -> list[str]:
    """Valid INSEE commune codes from a list or a comma-separated string."""
    items = value if isinstance(value, list) else re.split(r"[,;\s]+", text(value))
    codes = (text(item).upper() for item in items)
    return [code for code in codes if _INSEE.fullmatch(code)]


def _first_kept_pivot(pivots: list[Any], kinds: tuple[str, ...]) -> str | None:
    for pivot in pivots:
        if isinstance(pivot, dict):
            kind = text(pivot.get("type_service_local"))
            if kind in kinds or kind == MAIRIE:
                return kind
    return None


def _served(pivots: list[Any], kind: str) -> frozenset[str]:
    codes: set[str] = set()
    for pivot in pivots:
        if isinstance(pivot, dict) and text(pivot.get("type_service_local")) == kind:
            codes.update(insee_codes(pivot.get("code_insee_commune")))
    return frozenset(codes)


_ADDRESS_LINES = ("complement1", "complement2", "numero_voie", "service_distribution")


def _address(items: list[Any]) -> dict[str, Any] | None:
    """The physical address (`type_adresse` "Adresse") before any postal one."""
    usable = [
        item
        for item in items
        if isinstance(item, dict)
        and any(text(item.get(key)) for key in (*_ADDRESS_LINES, "code_postal", "nom_commune"))
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


# --- opening hours ----------------------------------------------------------------------

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
    """The published sentences that mention "rendez-vous" or "RDV", copied as they are."""
    found: dict[str, None] = {}
    for paragraph in texts:
        for sentence in _SENTENCE_END.split(paragraph):
            if _APPOINTMENT.search(fold(sentence)):
                found.setdefault(sentence.strip())
    return " ".join(found)


def source_date(value: object) -> str:
    """`date_modification` as YYYY-MM-DD, from "DD/MM/YYYY HH:MM:SS" or ISO; else ""."""
    raw = text(value)
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", raw)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw).isoformat()
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]", raw):
            return datetime.fromisoformat(raw).date().isoformat()
    except ValueError:
        return ""
    return ""


def _phones(items: list[Any]) -> tuple[Phone, ...]:
    phones: dict[Phone, None] = {}
    for item in items:
        if isinstance(item, dict):
            number, description = text(item.get("valeur")), text(item.get("description"))
        else:
            number, description = text(item), ""
        if number:
            phones.setdefault(Phone(number, description))
    return tuple(phones)


def _web(value: object) -> str:
    url = text(value)
    return url if re.match(r"https?://\S+$", url, re.IGNORECASE) else ""


def _website(items: list[Any]) -> str:
    for item in items:
        url = _web(item.get("valeur") if isinstance(item, dict) else item)
        if url:
            return url
    return ""


def _email(value: object) -> str:
    items = value if isinstance(value, list) else [value]
    for item in items:
        for candidate in re.split(r"[;,\s]+", text(item)):
            if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", candidate):
                return candidate
    return ""


# --- records ----------------------------------------------------------------------------


def parse_record(
    record: object, kinds: tuple[str, ...]
) -> Permanence | tuple[str, float, float] | None:
    """A permanence, a town hall's point `(insee, lat, lon)`, or None for other services.

    Raises `RecordError` (its message is the skip reason) for a malformed record.
    """
    if not isinstance(record, dict):
        raise RecordError(NOT_OBJECT)
    pivots = json_list(record, "pivot")
    kind = _first_kept_pivot(pivots, kinds)
    if kind is None:
        return None
    address = _address(json_list(record, "adresse"))
    own_codes = insee_codes(record.get("code_insee_commune"))
    if kind == MAIRIE:
        place = coordinates(address) if address else None
        if not own_codes:
            raise RecordError(NO_INSEE)
        if place is None:
            raise RecordError(NO_COORDINATES)
        return own_codes[0], place[0], place[1]
    return _permanence(record, kind, pivots, address, own_codes)


def _permanence(
    record: dict[str, Any],
    kind: str,
    pivots: list[Any],
    address: dict[str, Any] | None,
    own_codes: list[str],
) -> Permanence:
    identifier, name = text(record.get("id")), text(record.get("nom"))
    if not identifier:
        raise RecordError(NO_ID)
    if not name:
        raise RecordError(NO_NAME)
    if address is None:
        raise RecordError(NO_ADDRESS)
    if not own_codes:
        raise RecordError(NO_INSEE)
    hours, leftover = opening_ranges(json_list(record, "plage_ouverture"))
    notes = [*paragraphs(record.get("commentaire_plage_ouverture")), *leftover]
    remarks = [
        *notes,
        *(r.note for r in hours),
        *paragraphs(record.get("information_complementaire")),
    ]
    place = coordinates(address)
    lines = dict.fromkeys(t for t in (text(address.get(k)) for k in _ADDRESS_LINES) if t)
    return Permanence(
        id=identifier,
        kind=kind,
        name=name,
        address_lines=tuple(lines),
        postal_code=text(address.get("code_postal")),
        commune=text(address.get("nom_commune")),
        insee=own_codes[0],
        latitude=place[0] if place else None,
        longitude=place[1] if place else None,
        phones=_phones(json_list(record, "telephone")),
        email=_email(record.get("adresse_courriel")),
        website=_website(json_list(record, "site_internet")),
        hours=tuple(hours),
        hours_notes=tuple(dict.fromkeys(notes)),
        appointment=appointment_remarks(remarks),
        served=_served(pivots, kind) or frozenset(own_codes[:1]),
        source_date=source_date(record.get("date_modification")),
        url=_web(record.get("url_service_public")),
    )


class DirectoryBuilder:
    """Collects records one at a time, so a 270 MB export never sits whole in memory."""

    def __init__(self, kinds: Iterable[str]) -> None:
        self.kinds = kept_kinds(kinds)
        self.permanences: dict[str, Permanence] = {}
        self.points: dict[str, tuple[float, float]] = {}
        self.skipped: Counter[str] = Counter()
        self.api_shaped = False  # saw a JSON-encoded pivot: the records came from the API

    def add(self, record: object) -> None:
        """Parse one record; keep it, or count why not."""
        if isinstance(record, dict) and isinstance(record.get("pivot"), str):
            self.api_shaped = True
        try:
            parsed = parse_record(record, self.kinds)
        except RecordError as error:
            self.skipped[str(error)] += 1
            return
        if parsed is None:
            self.skipped[NO_KEPT_PIVOT] += 1
        elif isinstance(parsed, Permanence):
            if parsed.id in self.permanences:
                self.skipped[DUPLICATE_ID] += 1
            else:
                self.permanences[parsed.id] = parsed
        else:
            # Several town halls may share a commune (annexes): the first one stays.
            self.points.setdefault(parsed[0], (parsed[1], parsed[2]))

    def add_all(self, records: Iterable[object]) -> None:
        """Parse every record of an iterable."""
        for record in records:
            self.add(record)

    def loaded(self) -> dict[str, int]:
        """Permanences kept, per kind."""
        return dict(Counter(p.kind for p in self.permanences.values()))

    def build(
        self, *, file_name: str, file_date: str, download_url: str, sample: bool = False
    ) -> Directory:
        """The directory, with what the Licence Ouverte asks to show about its source."""
        info = DirectoryInfo(
            attribution=ATTRIBUTION,
            file_name=file_name,
            file_date=file_date,
            download_url=download_url,
            sample=sample,
            loaded=self.loaded(),
            skipped=dict(sorted(self.skipped.items())),
        )
        ordered = sorted(self.permanences.values(), key=lambda p: (p.kind, p.insee, p.name, p.id))
        return Directory(tuple(ordered), info, dict(sorted(self.points.items())))


def iter_list(value: Any) -> Iterator[object]:
    """Records of an already decoded answer: a list, or under "service" or "results"."""
    if isinstance(value, list):
        yield from value
    elif isinstance(value, dict):
        for key in ("service", "results"):
            if isinstance(value.get(key), list):
                yield from value[key]


# --- files ------------------------------------------------------------------------------

MAX_RECORD_CHARS = 64 * 1024 * 1024


class Readable(Protocol):
    """What a record stream needs: plain files, gzip files and tar members all fit."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...


_WHITESPACE = re.compile(r"[ \t\r\n]*")
_NO_RECORDS = 'no records: expected a JSON array, or an object with "service" or "results"'


class RecordStream:
    """The records of a DILA JSON file, decoded one at a time from a byte stream.

    Accepts a bare array, the bulk `{"service": [...]}` and the API `{"results": [...]}`;
    `sample` is true once the file has declared `"echantillon": true`, and `api` once it
    had the API's `results` wrapper. A file that is not JSON raises DirectoryError.
    """

    def __init__(self, stream: Readable, chunk_size: int = 1 << 20) -> None:
        self._stream = stream
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._chunk_size = chunk_size
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder()
        self.sample = False
        self.api = False

    def __iter__(self) -> Iterator[object]:
        first = self._peek()
        if first == "[":
            yield from self._array()
        elif first == "{":
            yield from self._wrapper()
        else:
            raise DirectoryError(_NO_RECORDS)
        if self._peek():
            raise DirectoryError("not valid JSON: data after the end")

    def _wrapper(self) -> Iterator[object]:
        self._take("{")
        found = False
        while self._peek() != "}":
            key = self._value()
            self._take(":")
            if key in ("service", "results") and self._peek() == "[":
                found = True
                self.api = self.api or key == "results"
                yield from self._array()
            elif key == "echantillon":
                self.sample = self._value() is True
            else:
                self._value()
            if self._peek() != ",":
                break
            self._take(",")
        self._take("}")
        if not found:
            raise DirectoryError(_NO_RECORDS)

    def _array(self) -> Iterator[object]:
        self._take("[")
        if self._peek() == "]":
            self._take("]")
            return
        while True:
            yield self._value()
            if self._peek() != ",":
                break
            self._take(",")
        self._take("]")

    def _more(self) -> bool:
        if self._eof:
            return False
        data = self._stream.read(self._chunk_size)
        self._eof = not data
        chunk = self._utf8.decode(data, final=self._eof)
        if self._eof and not chunk:
            return False
        self._buffer = self._buffer[self._pos :] + chunk
        self._pos = 0
        if len(self._buffer) > MAX_RECORD_CHARS:
            raise DirectoryError("not a DILA file: one value is larger than 64 MB")
        return True

    def _peek(self) -> str:
        while True:
            match = _WHITESPACE.match(self._buffer, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._more():
                return ""

    def _take(self, expected: str) -> None:
        found = self._peek()
        if found != expected:
            raise DirectoryError(f"not valid JSON: expected {expected!r}, found {found[:1]!r}")
        self._pos += 1

    def _value(self) -> Any:
        if not self._peek():
            raise DirectoryError("not valid JSON: the file ends too early")
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if self._more():
                    continue
                raise DirectoryError(f"not valid JSON ({error.msg})") from None
            if end == len(self._buffer) and self._more():
                continue  # a number may go on in the next chunk
            self._pos = end
            return value


@dataclass
class SourceFile:
    """An opened DILA file: its bytes, the data file's name and its date."""

    stream: Readable
    name: str
    date: str


_TAR_SUFFIXES = (".tar", ".tar.bz2", ".tbz2", ".tbz", ".tar.gz", ".tgz", ".tar.xz", ".txz")
_BULK_MEMBER = re.compile(r"(^|/)[^/]*-data\.gouv_local\.json$")


def _date(name: str, mtime: float) -> str:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", name)
    if match:
        try:
            return date.fromisoformat(match[1]).isoformat()
        except ValueError:
            pass
    return datetime.fromtimestamp(mtime).date().isoformat()


@contextmanager
def open_source(path: Path) -> Iterator[SourceFile]:
    """Open a JSON, `.json.gz`/`.gz`, or a bulk tar archive, streaming without a copy.

    Archives are read as a stream (`r|*`): random access would decompress a 360 MB
    bz2 twice, once to list the members and once to read one.
    """
    lowered = path.name.lower()
    if lowered.endswith(_TAR_SUFFIXES):
        with tarfile.open(path, "r|*") as archive:
            for member in archive:
                if member.isfile() and _BULK_MEMBER.search(member.name):
                    content = archive.extractfile(member)
                    if content is None:
                        break
                    name = PurePosixPath(member.name).name
                    yield SourceFile(content, name, _date(name, member.mtime))
                    return
        raise DirectoryError(f"{path.name} holds no *-data.gouv_local.json file")
    mtime = path.stat().st_mtime
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        with gzip.open(path, "rb") as stream:
            yield SourceFile(stream, path.name, _date(path.name, mtime))
    else:
        with path.open("rb") as stream:
            yield SourceFile(stream, path.name, _date(path.name, mtime))


def read_file(path: Path, kinds: Iterable[str], *, api_url: str, sample: bool = False) -> Directory:
    """The directory from a DILA file, with its attribution; DirectoryError if unreadable."""
    builder = DirectoryBuilder(kinds)
    try:
        with open_source(path) as source:
            records = RecordStream(source.stream)
            builder.add_all(records)
    except (
        OSError,
        EOFError,
        UnicodeDecodeError,
        tarfile.TarError,
        zlib.error,
        LZMAError,
    ) as error:
        raise DirectoryError(f"{path.name} cannot be read ({type(error).__name__})") from None
    api = records.api or builder.api_shaped
    return builder.build(
        file_name=source.name,
        file_date=source.date,
        download_url=api_url if api else BULK_URL,
        sample=sample or records.sample,
    )
