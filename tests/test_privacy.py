"""Nothing that describes a person reaches the disk or the logs.

Journeys whose free text holds canary names, phone numbers and e-mail addresses are
played with every logger at DEBUG; then the database files (and their WAL and journal)
and every log line are searched for the canaries and for the user and chat ids.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.logs import quiet_libraries
from botapi_double import BotApiDouble
from tests.harness import RunningBot, make_settings, running_bot
from tests.support import FIND_HELP, SKIP, SUMMARY, summary_of, walk

CANARIES = (
    "Zéphyrine Quasimodo-Canari",
    "06 98 76 54 32",
    "canari.secret@example.org",
    "17 rue des Canaris",
)
USER_IDS = (7_345_678_901, 7_345_678_902)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every record at DEBUG, with the libraries quietened as in production."""
    caplog.set_level(logging.DEBUG)
    quiet_libraries()
    return caplog


async def test_canaries_and_ids_never_reach_disk_or_logs(
    bot: RunningBot, double: BotApiDouble, all_logs: pytest.LogCaptureFixture
) -> None:
    for user_id in USER_IDS:
        person = double.person(user_id, first_name=CANARIES[0], username="canari_user")
        await walk(person, "narrative")
        await person.send(" ".join(CANARIES))
        await person.press(FIND_HELP)
        await person.press(SUMMARY)
        summary = summary_of(person)
        assert CANARIES[3] in summary  # the person does get their words back,
        assert CANARIES[1] not in summary  # with numbers and e-mails masked
        assert "[numéro masqué]" in summary
        await person.send("/effacer")
    await bot.stop()  # flush and close: everything that will be written is written

    files = sorted(Path(bot.settings.database_path).parent.glob("*"))
    assert files, "the counters file exists"
    needles = [*CANARIES, "canari_user", *(str(i) for i in USER_IDS)]
    for path in files:
        raw = path.read_bytes()
        for needle in needles:
            assert needle.encode() not in raw, f"{needle!r} found in {path.name}"
    logged = "\n".join(record.getMessage() for record in all_logs.records)
    logged += "\n".join(str(record.args) for record in all_logs.records)
    assert logged, "something was logged at DEBUG"
    for needle in (*needles, double.token):
        assert needle not in logged, f"{needle!r} found in the logs"


def holds(path: Path, needle: bytes) -> bool:
    """Whether a file exists and contains these bytes."""
    return path.exists() and needle in path.read_bytes()


def size(path: Path) -> int:
    """A file's size."""
    return path.stat().st_size


def written(database: Path) -> dict[tuple[str, str], int]:
    """What the file holds, its write-ahead log included."""
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT metric, dim1, sum(count) FROM counters GROUP BY 1, 2")
        return {(metric, dim1): n for metric, dim1, n in rows}


async def test_a_write_mixes_five_conversations_and_leaves_no_log_behind(
    double: BotApiDouble, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, double, counter_min_batch=5, counter_flush_seconds=300)
    database = Path(settings.database_path)
    wal = database.with_name(database.name + "-wal")
    async with running_bot(double, settings) as running:
        assert running.application is not None
        store = running.application.bot_data.counters
        for number in range(5):
            person = double.person(7_400_000 + number)
            await walk(person, "narrative")
            await person.press(SKIP)
            await person.press(FIND_HELP)
            await person.send("Anzin")
            await store.flush()  # what the periodic job does every COUNTER_FLUSH_SECONDS
            if number < 4:
                # Four journeys: nothing on disk, in the file or its log.
                assert written(database) == {}
                assert not holds(database, b"housing")
                assert not holds(wal, b"housing")
        # The fifth: all five in one write, and the log is empty again.
        counts = written(database)
        assert counts[("domain", "housing")] == 5
        assert counts[("step", "welcome")] == 5
        assert size(wal) == 0
