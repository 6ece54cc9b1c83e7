"""Downloading the directory from the API Annuaire de l'administration (Opendatasoft v2.1).

A permanence serves the communes listed in its `pivot[].code_insee_commune`, wherever it
is based: filtering on the record's own `code_insee_commune` would miss a delegate based
in département 62 who receives people of 59. So each kept kind is fetched nationally
(`pivot LIKE "<kind>"`: a few hundred delegates' permanences in all France) and kept
when it serves, or stands in, a commune of the configured départements. Town halls, for
the communes' reference points, are fetched per département by their own commune.

Every query goes to `/exports/json`, which has no paging cap when called without
`offset` and answers a bare JSON array (legal-facts §0), streamed to a temporary file
and read record by record. Where that endpoint is missing (HTTP 404), `/records` is paged
instead (`limit` ≤ 100, `offset + limit` ≤ 10,000; past that we say so). Everything is
handed back only once every query has arrived: a failure half-way leaves the directory in
service as it was.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import httpx

from bot.directory.builder import API_NAME, DirectoryBuilder
from bot.directory.files import RecordStream
from bot.directory.html_text import text
from bot.directory.model import Directory
from bot.directory.records import MAIRIE, kept_kinds
from bot.directory.store import DirectoryError
from bot.settings import Settings

PAGE_SIZE = 100
MAX_RESULTS = 10_000  # Opendatasoft's /records refuses offset + limit beyond this
RETRIES = 3
BACKOFF_SECONDS = 1.0
MAX_RETRY_AFTER = 60.0
TIMEOUT = httpx.Timeout(120.0, connect=10.0)
USER_AGENT = "egalite-bot/0.1 (directory sync of an open-source referral bot)"
SPOOL_BYTES = 8 * 1024 * 1024  # a larger answer goes to a temporary file on disk


class SyncError(Exception):
    """The API could not be reached or answered badly; the message is a short cause."""


@dataclass
class SyncResult:
    """The directory downloaded, and what the operator should know about it."""

    directory: Directory
    requests: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Query:
    """One query of the sync: which records, from where."""

    kind: str
    where: str
    departement: str = ""  # set for the town halls' per-département query


def kind_where(kind: str) -> str:
    """Every record of one kind, in all France."""
    return f'pivot LIKE "{kind}"'


def town_hall_where(departement: str) -> str:
    """The town halls of one département, by their own commune."""
    return f'pivot LIKE "{MAIRIE}" AND code_insee_commune LIKE "{departement}%"'


def exports_url(records_url: str) -> str:
    """`…/records` → `…/exports/json` (the same dataset's uncapped export)."""
    base = records_url.rstrip("/")
    if base.endswith("/exports/json"):
        return base
    return base.removesuffix("/records") + "/exports/json"


def plan(settings: Settings) -> list[Query]:
    """The queries a sync makes, in order."""
    kinds = kept_kinds(settings.directory_partner_types)
    queries = [Query(kind, kind_where(kind)) for kind in kinds]
    queries += [Query(MAIRIE, town_hall_where(d), d) for d in settings.directory_departements]
    return queries


def describe(settings: Settings) -> list[str]:
    """What `directory sync --dry-run` prints: every query, and what is kept of it."""
    departements = ", ".join(settings.directory_departements)
    lines = [f"GET {exports_url(settings.directory_api_url)} (bare JSON array, no paging cap):"]
    lines += [f"  where={q.where}" for q in plan(settings)]
    lines += [
        f"Keep the permanences that serve a commune of {departements} "
        "(pivot[].code_insee_commune) or stand in one, wherever they are based.",
        f"If /exports/json answers 404: page {settings.directory_api_url} instead "
        f"(limit {PAGE_SIZE}, at most {MAX_RESULTS} records a query).",
        f"Retries: {RETRIES} on a dropped connection, HTTP 429 or 5xx, with back-off.",
        "Nothing is replaced unless every query succeeds.",
    ]
    return lines


async def sync_directory(
    settings: Settings,
    *,
    page_size: int = PAGE_SIZE,
    max_results: int = MAX_RESULTS,
    backoff: float = BACKOFF_SECONDS,
    progress: Callable[[str], None] | None = None,
) -> SyncResult:
    """Download every kept kind serving the configured départements, and their town halls.

    Raises SyncError when the API cannot be reached or keeps failing.
    """
    departements = settings.directory_departements
    builder = DirectoryBuilder(settings.directory_partner_types, departements)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    fetcher = _Fetcher(settings.directory_api_url, builder, page_size, max_results, backoff)
    async with httpx.AsyncClient(timeout=TIMEOUT, headers=headers) as client:
        for query in plan(settings):
            await fetcher.query(client, query)
            if query.departement and progress is not None:
                progress(_progress(builder, query.departement))
    directory = builder.build(
        file_name=API_NAME,
        file_date=date.today().isoformat(),
        download_url=settings.directory_api_url,
    )
    return SyncResult(directory, fetcher.requests, fetcher.notes)


def _progress(builder: DirectoryBuilder, departement: str) -> str:
    """One line per département: what serves it, and how many town halls it has."""
    parts = []
    for kind in builder.kinds:
        serving = [
            p
            for p in builder.permanences.values()
            if p.kind == kind and any(c.startswith(departement) for c in (*p.served, p.insee))
        ]
        outside = sum(1 for p in serving if not p.insee.startswith(departement))
        parts.append(f"{len(serving)} {kind}" + (f" ({outside} based outside)" if outside else ""))
    halls = sum(1 for code in builder.points if code.startswith(departement))
    return f"Département {departement}: {', '.join(parts)}; {halls} town halls"


class _Fetcher:
    """Runs the queries, feeding each record to the builder once."""

    def __init__(
        self, url: str, builder: DirectoryBuilder, page_size: int, max_results: int, backoff: float
    ) -> None:
        self.url = url
        self.export = exports_url(url)
        self.builder = builder
        self.page_size = page_size
        self.max_results = max_results
        self.backoff = backoff
        self.requests = 0
        self.notes: list[str] = []
        self.exports_missing = False
        self._seen: set[str] = set()

    async def query(self, client: httpx.AsyncClient, query: Query) -> None:
        """Every record of one query: the export, else the pages of /records."""
        if not self.exports_missing:
            with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as answer:
                status = await self._download(client, self.export, {"where": query.where}, answer)
                if status == 200:
                    answer.seek(0)
                    self._read(answer)
                    return
            self.exports_missing = True
            self.notes.append(f"{self.export} answered 404: paged {self.url} instead")
        await self._pages(client, query)

    def _read(self, answer: IO[bytes]) -> None:
        try:
            for record in RecordStream(answer):
                self._add(record)
        except DirectoryError as error:
            raise SyncError(f"unexpected answer: {error}") from None

    async def _pages(self, client: httpx.AsyncClient, query: Query) -> None:
        offset = 0
        while True:
            limit = min(self.page_size, self.max_results - offset)
            params: dict[str, str | int] = {"where": query.where, "limit": limit, "offset": offset}
            with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as page:
                if await self._download(client, self.url, params, page) != 200:
                    raise SyncError("HTTP 404")
                page.seek(0)
                answer = _json(page)
            if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
                raise SyncError("unexpected answer")
            results: list[Any] = answer["results"]
            for record in results:
                self._add(record)
            offset += len(results)
            total = answer.get("total_count")
            total = total if isinstance(total, int) else offset
            if not results or offset >= total:
                return
            if offset >= self.max_results:
                self.notes.append(
                    f"{query.kind} ({query.where}): the API pages only the first "
                    f"{self.max_results} of {total} records; import the bulk file for all"
                )
                return

    def _add(self, record: Any) -> None:
        # A record with two kept pivots answers two queries: keep it once, silently.
        identifier = text(record.get("id")) if isinstance(record, dict) else ""
        if identifier and identifier in self._seen:
            return
        if identifier:
            self._seen.add(identifier)
        self.builder.add(record)

    async def _download(
        self,
        client: httpx.AsyncClient,
        url: str,
        params: dict[str, str | int],
        out: IO[bytes],
    ) -> int:
        """Stream one answer into `out`; 200, or 404 for a missing endpoint; else raises."""
        for attempt in range(RETRIES + 1):
            self.requests += 1
            out.seek(0)
            out.truncate()
            try:
                async with client.stream("GET", url, params=params) as response:
                    status = response.status_code
                    if status == 200:
                        async for chunk in response.aiter_bytes():
                            out.write(chunk)
                        return status
                    delay = self._delay(response, attempt)
            except httpx.ConnectError as error:
                raise SyncError(type(error).__name__) from None
            except httpx.TransportError as error:
                if attempt == RETRIES:
                    raise SyncError(type(error).__name__) from None
                await asyncio.sleep(self.backoff * 2.0**attempt)
                continue
            if status == 404:
                return status
            if (status == 429 or status >= 500) and attempt < RETRIES:
                await asyncio.sleep(delay)
                continue
            raise SyncError(f"HTTP {status}")
        raise SyncError("no answer")  # pragma: no cover - the loop always returns or raises

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        """Exponential backoff, or the server's Retry-After when it gives one."""
        try:
            asked = float(response.headers.get("Retry-After", ""))
        except ValueError:
            asked = 0.0
        return max(self.backoff * 2.0**attempt, min(asked, MAX_RETRY_AFTER))


def _json(answer: IO[bytes]) -> Any:
    try:
        return json.load(answer)
    except ValueError:
        raise SyncError("answer is not JSON") from None
