"""Reading DILA files: plain JSON, `.json.gz`, the bulk `all_latest.tar.bz2`, API answers.

Records are decoded one at a time by ijson (its C backend, yajl2_c, when available), so
a 270 MB national file never sits whole in memory. Three layouts are read: a bare array
(the API's `/exports/json`), the bulk `{"service": [...]}` and the API's `{"total_count":
…, "results": [...]}`. A file that is not JSON, not UTF-8, or holds no records raises
DirectoryError with one line.
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from lzma import LZMAError
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import ijson  # type: ignore[import-untyped]

from bot.directory.builder import BULK_URL, DirectoryBuilder
from bot.directory.model import Directory
from bot.directory.store import DirectoryError

SAMPLE_FILE = Path(__file__).resolve().parent.parent / "data" / "sample_directory.json"
MAX_HEAD_BYTES = 64 * 1024 * 1024  # what may come before the records (a header, a note)
RECORD_KEYS = ("service", "results")
_NO_RECORDS = 'no records: expected a JSON array, or an object with "service" or "results"'
_BOM = b"\xef\xbb\xbf"


class Readable(Protocol):
    """What a record stream needs: plain files, gzip files and tar members all fit."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...


def _invalid(error: Exception) -> DirectoryError:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "UTF8" in first:
        return DirectoryError("not UTF-8 text")
    return DirectoryError(f"not valid JSON ({first})")


class RecordStream:
    """The records of a DILA JSON file, decoded one at a time from a byte stream.

    The beginning is read first to learn the layout; `sample` is true when the file
    declares `"echantillon": true` before its records (as `bot/data/sample_directory.json`
    does), and `api` when the records sit under the API's `results`.
    """

    def __init__(self, stream: Readable, chunk_size: int = 1 << 20) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self.sample = False
        self.api = False

    def __iter__(self) -> Iterator[object]:
        head, prefix = self._head()
        self.api = prefix.startswith("results")
        replay = _Replay(head, self._stream)
        try:
            yield from ijson.items(replay, prefix, use_float=True, buf_size=self._chunk_size)
        except ijson.JSONError as error:
            raise _invalid(error) from None

    def _head(self) -> tuple[bytes, str]:
        """The bytes read so far and the ijson prefix of the records in them."""
        head = b""
        while True:
            chunk = self._stream.read(self._chunk_size)
            head += chunk
            if head.startswith(_BOM):
                head = head[len(_BOM) :]
            first = head.lstrip()[:1]
            if first and first not in b"[{":
                raise DirectoryError(_NO_RECORDS)
            prefix = self._layout(head, final=not chunk) if first else None
            if prefix is not None:
                return head, prefix
            if not chunk:
                raise DirectoryError("not valid JSON: the file is empty")
            if len(head) > MAX_HEAD_BYTES:
                raise DirectoryError("not a DILA file: no records in its first 64 MB")

    def _layout(self, head: bytes, *, final: bool) -> str | None:
        """The records' prefix ("item", "service.item"…), None when more bytes are needed."""
        try:
            for prefix, event, value in ijson.parse(io.BytesIO(head), use_float=True):
                if prefix == "" and event == "start_array":
                    return "item"
                if prefix in RECORD_KEYS and event == "start_array":
                    return f"{prefix}.item"
                if prefix == "echantillon" and event == "boolean":
                    self.sample = value is True
                if prefix == "" and event == "end_map":
                    raise DirectoryError(_NO_RECORDS)
        except ijson.JSONError as error:
            if final:
                raise _invalid(error) from None
        return None


class _Replay:
    """The bytes already read to learn the layout, then the rest of the stream."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes: the head first, then the stream's."""
        if self._head:
            chunk, self._head = (
                (self._head, b"") if size < 0 else (self._head[:size], self._head[size:])
            )
            return chunk
        return self._stream.read(size)


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


def read_records(stream: Readable, builder: DirectoryBuilder) -> RecordStream:
    """Feed every record of `stream` to `builder`; returns the stream for its flags."""
    records = RecordStream(stream)
    builder.add_all(records)
    return records


def read_file(
    path: Path,
    kinds: Iterable[str],
    *,
    api_url: str,
    sample: bool = False,
    departements: tuple[str, ...] = (),
) -> Directory:
    """The directory from a DILA file, with its attribution; DirectoryError if unreadable."""
    builder = DirectoryBuilder(kinds, departements)
    try:
        with open_source(path) as source:
            records = read_records(source.stream, builder)
    except (OSError, EOFError, tarfile.TarError, zlib.error, LZMAError) as error:
        raise DirectoryError(f"{path.name} cannot be read ({type(error).__name__})") from None
    api = records.api or builder.api_shaped
    return builder.build(
        file_name=source.name,
        file_date=source.date,
        download_url=api_url if api else BULK_URL,
        sample=sample or records.sample,
    )


def iter_list(value: Any) -> Iterator[object]:
    """Records of an already decoded answer: a list, or under "service" or "results"."""
    if isinstance(value, list):
        yield from value
    elif isinstance(value, dict):
        for key in RECORD_KEYS:
            if isinstance(value.get(key), list):
                yield from value[key]
