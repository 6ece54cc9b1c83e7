"""Anonymous counters: the only thing the bot writes to disk.

A count is keyed by month and one or two coarse dimensions. `increment` takes no user,
chat or text parameter, so nothing that describes one conversation can reach the
database: privacy is a property of this API. Increments are buffered in memory and
written together (every `flush_seconds`, and at shutdown), which also keeps the file's
write times from marking one person's actions.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol
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

Key = tuple[str, str, str, str]


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


class CounterStore:
    """Monthly counters in one SQLite file."""

    def __init__(self, db: aiosqlite.Connection, zone: ZoneInfo, flush_seconds: float) -> None:
        self._db = db
        self._zone = zone
        self.flush_seconds = flush_seconds
        self._pending: Counter[Key] = Counter()
        self._lock = asyncio.Lock()

    @classmethod
    async def open(
        cls, path: Path, zone: ZoneInfo | None = None, flush_seconds: float = 0
    ) -> CounterStore:
        """Open (creating and migrating) the database file."""
        zone = zone or ZoneInfo("Europe/Paris")
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return cls(db, zone, flush_seconds)

    def month(self) -> str:
        """The current month, the finest time the counters know."""
        return datetime.now(self._zone).strftime("%Y-%m")

    async def increment(self, metric: Metric, dim1: str = "", dim2: str = "") -> None:
        """Count one event this month; written now or at the next flush."""
        self._pending[(self.month(), metric.value, dim1, dim2)] += 1
        if self.flush_seconds <= 0:
            await self.flush()

    async def flush(self) -> None:
        """Write the buffered increments in one transaction."""
        async with self._lock:
            if not self._pending:
                return
            rows = [(*key, n) for key, n in self._pending.items()]
            self._pending.clear()
            await self._db.executemany(UPSERT, rows)
            await self._db.commit()
        log.debug("counters flushed: %d cells", len(rows))

    async def read(self, months: Iterable[str] | None = None) -> list[Count]:
        """Raw figures (already flushed), for statistics; suppression happens later."""
        await self.flush()
        query = "SELECT month, metric, dim1, dim2, count FROM counters"
        params: tuple[str, ...] = ()
        if months is not None:
            params = tuple(months)
            query += f" WHERE month IN ({','.join('?' * len(params))})"
        async with self._db.execute(query + " ORDER BY 1, 2, 3, 4", params) as cursor:
            return [Count(*row) async for row in cursor]

    async def close(self) -> None:
        """Flush and close."""
        await self.flush()
        await self._db.close()


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
