"""Nothing that describes a person reaches the disk or the logs.

Journeys whose free text holds canary names, phone numbers and e-mail addresses are
played with every logger at DEBUG; then the database files (and their WAL and journal)
and every log line are searched for the canaries and for the user and chat ids.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.botapi_double import BotApiDouble
from bot.logs import quiet_libraries
from tests.conftest import RunningBot
from tests.support import FIND_HELP, SUMMARY, walk

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
        summary = next(m for m in person.messages if m.text.startswith("Résumé"))
        assert CANARIES[1] in summary.text  # the person does get their words back
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
