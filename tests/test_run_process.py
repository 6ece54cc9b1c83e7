"""`python -m bot run` as the operator starts it, against the Bot API double: it serves
several people at once, and SIGTERM stops it cleanly with the last counts written."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

from botapi_double import BotApiDouble
from tests.support import QUESTIONS, bot_environment, panel, start_bot_process, walk

ROOT = Path(__file__).resolve().parent.parent


async def test_run_serves_several_people_and_stops_on_sigterm(
    double: BotApiDouble, tmp_path: Path
) -> None:
    database = tmp_path / "data" / "counters.sqlite3"
    environment = bot_environment(
        TELEGRAM_BOT_TOKEN=double.token,
        TELEGRAM_API_BASE_URL=double.base_url,
        DATABASE_PATH=str(database),
        COUNTER_FLUSH_SECONDS="300",
        COUNTER_MIN_BATCH="5",
    )
    process = await start_bot_process(tmp_path, environment)
    try:
        people = [double.person(3000 + i, first_name=f"P{i}") for i in range(4)]
        await asyncio.gather(*(walk(p, "evidence") for p in people))
        for person in people:
            assert panel(person).text.startswith(QUESTIONS["evidence"])
        await asyncio.gather(*(p.press("▫️ Des témoins") for p in people))
        await asyncio.gather(*(p.press("➡️ Valider (1 choix)") for p in people))
        await asyncio.gather(*(p.press("Passer cette étape ➡️") for p in people))
        # Four conversations: fewer than COUNTER_MIN_BATCH, so nothing is written yet.
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            assert db.execute("SELECT count(*) FROM counters").fetchone()[0] == 0
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert double.token not in log
    assert "bot stopped" in log
    with sqlite3.connect(database) as db:
        [(witnesses,)] = db.execute(
            "SELECT sum(count) FROM counters WHERE metric = 'evidence' AND dim1 = 'witnesses'"
        ).fetchall()
    assert witnesses == 4
