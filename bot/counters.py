"""Anonymous counters: the only thing the bot writes to disk.

A count is keyed by month and one or two coarse dimensions. Nothing that describes one
conversation can reach the database: a handler counts through a `Contribution`, an
opaque in-memory handle the store hands to each conversation, whose `increment` takes no
user, chat or text parameter. The store uses the handles' identity, in memory only, to
know how many distinct conversations contributed to the increments waiting in memory;
a handle holds nothing, is never written, logged or persisted.

Increments wait in memory until at least `min_batch` conversations have contributed, then
go to disk in one transaction, after which the write-ahead log is truncated (and
`secure_delete` zeroes freed pages): the file never holds an older page telling what one
write changed. The pending increments are also written at the change of month (so that a
finished month is final before its figures are published) and at close. A crash (kill -9)
can lose the counts of fewer than `min_batch` conversations, never double any.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import NoReturn, Protocol
from zoneinfo import ZoneInfo

import aiosqlite

log = logging.getLogger(__name__)


class Metric(StrEnum):
    """What a counter counts; dimensions are content ids, never free text."""

    STEP = "step"  # dim1: funnel stage reached
    LANGUAGE = "language"  # dim1: language code
    SOURCE = "source"  # dim1: outreach source code, "direct" or "unknown"
    SPEAKER = "speaker"  # dim1: self / witness / helper
    DOMAIN = "domain"  # dim1: domain id
    SITUATION = "situation"  # dim1: domain id, dim2: situation id
    CRITERION = "criterion"  # dim1: domain id, dim2: criterion group id
    TIMING = "timing"  # dim1: timing id
    EVIDENCE = "evidence"  # dim1: evidence kind id
    USEFUL = "useful"  # dim1: yes / partly / no
    REFERRAL = "referral"  # dim1: how the place was given: location / postal_code / name
    TERRITORY = "territory"  # dim1: INSEE code of a commune of the territory, or "outside"


# Each migration brings the schema from version N to N + 1 (PRAGMA user_version).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE counters (
        month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
        metric TEXT NOT NULL,
        dim1 TEXT NOT NULL DEFAULT '',
        dim2 TEXT NOT NULL DEFAULT '',
        count INTEGER NOT NULL CHECK (count >= 0),
        PRIMARY KEY (month, metric, dim1, dim2)
    ) WITHOUT ROWID;
    """,
)

UPSERT = """
    INSERT INTO counters (month, metric, dim1, dim2, count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (month, metric, dim1, dim2) DO UPDATE SET count = count + excluded.count
"""

Key = tuple[str, str, str]  # metric, dim1, dim2


@dataclass(frozen=True)
class Count:
    """One row of figures."""

    month: str
    metric: str
    dim1: str
    dim2: str
    count: int


class Counting(Protocol):
    """What handlers may do with counters: count one event, nothing else."""

    async def increment(self, metric: Metric, dim1: str = "", dim2: str = "") -> None:
        """Count one event this month."""


class _NotCounted:
    """Practice mode: the same calls, and nothing is counted."""

    async def increment(self, metric: Metric, dim1: str = "", dim2: str = "") -> None:
        """Count nothing."""


NOT_COUNTED: Counting = _NotCounted()


class Contribution:
    """One conversation's way to count. It carries no identifier and no data: the store
    only tells contributions apart by identity, in memory, to count how many
    conversations a write mixes. It cannot be pickled, so no persistence can keep it."""

    __slots__ = ("_store",)

    def __init__(self, store: CounterStore) -> None:
        self._store = store

    def belongs_to(self, store: CounterStore) -> bool:
        """Whether this handle counts into that store (a restart opens a new one)."""
        return self._store is store

    async def increment(self, metric: Metric, dim1: str = "", dim2: str = "") -> None:
        """Count one event this month for this conversation's store."""
        await self._store._add(self, (metric.value, dim1, dim2))

    def __repr__(self) -> str:
        return "Contribution()"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a contribution lives in memory only and is never persisted")


class CounterStore:
    """Monthly counters in one SQLite file, written in batches that mix conversations."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        zone: ZoneInfo,
        flush_seconds: float,
        min_batch: int = 1,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._db = db
        self._zone = zone
        self.flush_seconds = flush_seconds
        self.min_batch = max(1, min_batch)
        self._clock = clock or (lambda: datetime.now(zone))
        self._pending: Counter[Key] = Counter()
        self._pending_month = ""
        self._contributors: set[Contribution] = set()
        self._lock = asyncio.Lock()

    @classmethod
    async def open(
        cls,
        path: Path,
        zone: ZoneInfo | None = None,
        flush_seconds: float = 0,
        min_batch: int = 1,
        clock: Callable[[], datetime] | None = None,
    ) -> CounterStore:
        """Open (creating and migrating) the database file."""
        zone = zone or ZoneInfo("Europe/Paris")
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA secure_delete=ON")
            await migrate(db)
            await _checkpoint(db)
        except BaseException:
            await db.close()
            raise
        return cls(db, zone, flush_seconds, min_batch, clock)

    def month(self) -> str:
        """The current month, the finest time the counters know."""
        return self._clock().astimezone(self._zone).strftime("%Y-%m")

    def contribution(self) -> Contribution:
        """A new conversation's handle for counting."""
        return Contribution(self)

    @property
    def waiting(self) -> int:
        """How many conversations contributed to the increments not yet written."""
        return len(self._contributors)

    async def _add(self, contribution: Contribution, key: Key) -> None:
        month = self.month()
        if self._pending and self._pending_month != month:
            await self._write()  # the change of month: last month becomes final
        self._pending[key] += 1
        self._pending_month = month
        self._contributors.add(contribution)
        if self.flush_seconds <= 0:
            await self.flush()

    async def flush(self) -> None:
        """Write the pending increments if enough conversations contributed to them (or
        if they belong to a month that is over); otherwise keep them in memory."""
        if not self._pending:
            return
        if len(self._contributors) >= self.min_batch or self._pending_month != self.month():
            await self._write()

    async def _write(self) -> None:
        """Everything pending, in one transaction, then truncate the write-ahead log."""
        async with self._lock:
            if not self._pending:
                self._contributors.clear()
                return
            month = self._pending_month
            rows = [(month, *key, n) for key, n in sorted(self._pending.items())]
            self._pending.clear()
            self._contributors.clear()
            await self._db.execute("BEGIN")
            try:
                await self._db.executemany(UPSERT, rows)
            except BaseException:
                await self._db.rollback()
                raise
            await self._db.commit()
            await _checkpoint(self._db)
        log.debug("counters written: %d cells", len(rows))

    async def read(self, months: Iterable[str] | None = None) -> list[Count]:
        """Figures on disk, for statistics (suppression happens later). Increments of a
        month that is over are written first; those of the current month stay pending."""
        if self._pending and self._pending_month != self.month():
            await self._write()
        query = "SELECT month, metric, dim1, dim2, count FROM counters"
        params: tuple[str, ...] = ()
        if months is not None:
            params = tuple(months)
            query += f" WHERE month IN ({','.join('?' * len(params))})"
        async with self._db.execute(query + " ORDER BY 1, 2, 3, 4", params) as cursor:
            return [Count(*row) async for row in cursor]

    async def close(self) -> None:
        """Write everything pending (however few conversations) and close."""
        await self._write()
        await self._db.close()


async def _checkpoint(db: aiosqlite.Connection) -> None:
    """Copy the write-ahead log into the file and truncate it to zero bytes."""
    async with db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
        row = await cursor.fetchone()
    if row is not None and row[0]:
        log.warning("the write-ahead log could not be truncated (a reader is open)")


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply the migrations the file has not seen; return the schema version."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {version} is newer than this bot ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        await db.executescript(f"BEGIN; {script} PRAGMA user_version = {number}; COMMIT;")
        log.info("database migrated to schema version %d", number)
    return len(MIGRATIONS)
