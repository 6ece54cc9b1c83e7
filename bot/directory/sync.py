"""Downloading the directory from the API Annuaire de l'administration (Opendatasoft v2.1).

One query per département and per kind (`pivot LIKE "<kind>" AND code_insee_commune LIKE
"<dep>%"`), paged with `limit`/`offset`. Everything is collected in memory and handed back
only when every page arrived: a failure half-way must leave the directory in service as it
was. Opendatasoft stops paging at 10 000 results; past that we say so rather than guess.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from bot.directory.dila import API_NAME, MAIRIE, DirectoryBuilder, kept_kinds, text
from bot.directory.model import Directory
from bot.settings import Settings

PAGE_SIZE = 100
MAX_RESULTS = 10_000  # Opendatasoft refuses offset + limit beyond this
RETRIES = 3
BACKOFF_SECONDS = 1.0
MAX_RETRY_AFTER = 60.0
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "egalite-bot/0.1 (directory sync of an open-source referral bot)"


class SyncError(Exception):
    """The API could not be reached or answered badly; the message is a short cause."""


@dataclass
class SyncResult:
    """The directory downloaded, and what the operator should know about it."""

    directory: Directory
    requests: int = 0
    notes: list[str] = field(default_factory=list)


def where(kind: str, departement: str) -> str:
    """The ODSQL filter of one query."""
    return f'pivot LIKE "{kind}" AND code_insee_commune LIKE "{departement}%"'


async def sync_directory(
    settings: Settings,
    *,
    page_size: int = PAGE_SIZE,
    max_results: int = MAX_RESULTS,
    backoff: float = BACKOFF_SECONDS,
) -> SyncResult:
    """Download every kept kind (and the town halls, for points) of the configured départements.

    Raises SyncError when the API cannot be reached or keeps failing.
    """
    kinds = kept_kinds(settings.directory_partner_types)
    builder = DirectoryBuilder(kinds)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    fetcher = _Fetcher(settings.directory_api_url, builder, page_size, max_results, backoff)
    async with httpx.AsyncClient(timeout=TIMEOUT, headers=headers) as client:
        for departement in settings.directory_departements:
            for kind in (*kinds, MAIRIE):
                await fetcher.query(client, kind, departement)
    directory = builder.build(
        file_name=API_NAME,
        file_date=date.today().isoformat(),
        download_url=settings.directory_api_url,
    )
    return SyncResult(directory, fetcher.requests, fetcher.notes)


class _Fetcher:
    """Pages through the queries, feeding each record to the builder once."""

    def __init__(
        self, url: str, builder: DirectoryBuilder, page_size: int, max_results: int, backoff: float
    ) -> None:
        self.url = url
        self.builder = builder
        self.page_size = page_size
        self.max_results = max_results
        self.backoff = backoff
        self.requests = 0
        self.notes: list[str] = []
        self._seen: set[str] = set()

    async def query(self, client: httpx.AsyncClient, kind: str, departement: str) -> None:
        """Every page of one query, up to the API's paging limit."""
        offset = 0
        while True:
            limit = min(self.page_size, self.max_results - offset)
            params: dict[str, str | int] = {
                "where": where(kind, departement),
                "limit": limit,
                "offset": offset,
            }
            answer = await self._get(client, params)
            results = answer.get("results")
            if not isinstance(results, list):
                raise SyncError("unexpected answer")
            for record in results:
                self._add(record)
            offset += len(results)
            total = answer.get("total_count")
            total = total if isinstance(total, int) else offset
            if not results or offset >= total:
                return
            if offset >= self.max_results:
                self.notes.append(
                    f"{kind} in {departement}: the API pages only the first "
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

    async def _get(self, client: httpx.AsyncClient, params: dict[str, str | int]) -> dict[str, Any]:
        for attempt in range(RETRIES + 1):
            self.requests += 1
            try:
                response = await client.get(self.url, params=params)
            except httpx.ConnectError as error:
                raise SyncError(type(error).__name__) from None
            except httpx.TransportError as error:
                if attempt == RETRIES:
                    raise SyncError(type(error).__name__) from None
                await asyncio.sleep(self.backoff * 2.0**attempt)
                continue
            status = response.status_code
            if (status == 429 or status >= 500) and attempt < RETRIES:
                await asyncio.sleep(self._delay(response, attempt))
                continue
            if status != 200:
                raise SyncError(f"HTTP {status}")
            try:
                answer = response.json()
            except ValueError:
                raise SyncError("answer is not JSON") from None
            if not isinstance(answer, dict):
                raise SyncError("unexpected answer")
            return answer
        raise SyncError("no answer")  # pragma: no cover - the loop always returns or raises

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        """Exponential backoff, or the server's Retry-After when it gives one."""
        try:
            asked = float(response.headers.get("Retry-After", ""))
        except ValueError:
            asked = 0.0
        return max(self.backoff * 2.0**attempt, min(asked, MAX_RETRY_AFTER))
