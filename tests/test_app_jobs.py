"""The repeating work a running bot schedules, by setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory.upkeep import DAILY_SYNC_JOB
from botapi_double import BotApiDouble
from tests.harness import make_settings, running_bot


@pytest.mark.parametrize("daily", [True, False])
async def test_the_daily_directory_sync_follows_its_setting(
    double: BotApiDouble, tmp_path: Path, daily: bool
) -> None:
    settings = make_settings(tmp_path, double, directory_daily_sync=daily)
    async with running_bot(double, settings) as running:
        app = running.application
        assert app is not None
        assert app.job_queue is not None
        assert bool(app.job_queue.get_jobs_by_name(DAILY_SYNC_JOB)) is daily
        assert app.job_queue.get_jobs_by_name("forget-idle-sessions")
