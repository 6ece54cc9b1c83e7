"""Keeping the directory fresh: its age, the coordinators' warning, an optional daily sync.

Nothing here writes a message to a person: `stale_days` tells the monthly digest when to
warn coordinators, and `schedule_daily_sync` registers a JobQueue job that syncs and
replaces the directory exactly as `python -m bot directory sync` does (same refusals,
same atomic replacement). The running bot's reload job then picks the new file up.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, time
from typing import Any

from telegram.ext import CallbackContext, JobQueue

from bot.directory import store
from bot.directory.cli import refusal
from bot.directory.model import DEFENSEUR, DirectoryInfo
from bot.directory.sync import SyncError, sync_directory
from bot.settings import Settings

log = logging.getLogger(__name__)

STALE_DAYS = 60  # older than this, coordinators are told to import or sync again
DAILY_SYNC_JOB = "directory-daily-sync"


def age_days(info: DirectoryInfo, today: date) -> int | None:
    """Days since the file's (or the sync's) date; None when that date is unreadable."""
    try:
        return (today - date.fromisoformat(info.file_date)).days
    except ValueError:
        return None


def stale_days(info: DirectoryInfo, today: date) -> int | None:
    """The directory's age when it is older than STALE_DAYS (or undated), else None."""
    age = age_days(info, today)
    if age is None:
        return -1  # an undated directory is as good as stale: say so
    return age if age > STALE_DAYS else None


async def sync_and_save(settings: Settings) -> str:
    """One sync, put in service only if complete and holding delegates; one log line."""
    try:
        result = await sync_directory(settings)
    except SyncError as error:
        return f"directory sync failed ({error}): the directory in service is unchanged"
    refused = refusal(result.directory, allow_empty=False)
    if refused:
        return f"directory sync: {refused}"
    try:
        await asyncio.to_thread(store.save, result.directory, settings.directory_path)
    except OSError as error:
        return f"directory sync could not save ({type(error).__name__}): unchanged"
    kept = result.directory.info.loaded.get(DEFENSEUR, 0)
    return f"directory synced: {kept} {DEFENSEUR} permanences, {result.requests} answers"


def schedule_daily_sync(job_queue: JobQueue[Any], settings: Settings, at: time) -> None:
    """Sync every day at `at` (give it the bot's zone). Off unless the caller asks."""

    async def daily(context: CallbackContext[Any, Any, Any, Any]) -> None:
        log.info("%s", await sync_and_save(settings))

    job_queue.run_daily(daily, at, name=DAILY_SYNC_JOB)
