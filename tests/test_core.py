"""Core pieces without Telegram: callback schema, deadlines, counters, settings, catalogs."""

from __future__ import annotations

import os
import pickle
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import callbacks as cb
from bot.content import Timing, default_content
from bot.counters import MIGRATIONS, CounterStore, Metric
from bot.deadlines import DeadlineStatus, status
from bot.i18n import Catalogs, language_name
from bot.rights import rights_pages
from bot.session import Journey
from bot.settings import SettingsError, load_settings
from bot.stats.figures import Breakdown, Kind, Period
from tests.support import run_bot_command

ROOT = Path(__file__).resolve().parent.parent


# One button of each kind, with the longest values it can carry.
EVERY_KIND = [
    *(kind() for kind in (cb.Start, cb.Begin, cb.Nearby, cb.Done, cb.More, cb.Sources, cb.Next)),
    *(kind() for kind in (cb.Partners, cb.Languages, cb.Back, cb.Resume, cb.Help, cb.Exit)),
    *(kind() for kind in (cb.Erase, cb.Periods, cb.OtherPeriods)),
    *(kind("a" * 40) for kind in (cb.Speaker, cb.Domain, cb.Situation, cb.Employer)),
    *(kind("a" * 40) for kind in (cb.Criterion, cb.When, cb.Evidence, cb.Channel)),
    cb.Page(999), cb.WhatIs(999), cb.Place("pick", 999), cb.Commune("2A004"),
    cb.Search(none_of_these=True), cb.Useful("partly"), cb.Info("emergency"),
    cb.Language("fr@falc"), cb.Stats(Period(2026, Kind.MONTH, 12)),
    cb.Figures(Period(2026, Kind.QUARTER, 4), Breakdown.DOMAIN_CRITERION),
]


def test_every_kind_packs_under_64_bytes_and_round_trips() -> None:
    assert {type(b) for b in EVERY_KIND} == set(cb.KINDS.values())
    for button in EVERY_KIND:
        data = button.pack()
        assert len(data.encode()) <= 64
        assert cb.Callback.parse(data) == button


@pytest.mark.parametrize(
    "forged",
    [
        "", "j1", "j1|nope|x", "j0|spk|self", "j1|spk|Self", "j1|spk|a|b", "x" * 65, "j1|spk|é",
        "j1|page|x", "j1|page|1000", "j1|place|zoom|1", "j1|useful|maybe", "j1|search|yes",
        "j1|commune|2a004", "j1|lng|FR", "j1|figures|m202612|everything", "j1|done|x",
        "j1|stats|m202613", "j1|stats|2026-03", "j1|stats|m1999012",
    ],
)
def test_forged_callback_data_does_not_parse(forged: str) -> None:
    assert cb.Callback.parse(forged) is None
    assert not cb.matches(*cb.KINDS.values())(forged)


def test_pack_refuses_free_text() -> None:
    with pytest.raises(ValueError, match="content id"):
        cb.Speaker("Jean Dupont").pack()
    with pytest.raises(ValueError, match="one of"):
        cb.Useful("maybe").pack()  # type: ignore[arg-type]


ONGOING = Timing(id="ongoing", label="", min_months=0, max_months=0)
LT6M = Timing(id="lt6m", label="", min_months=0, max_months=6)
FROM_6_TO_12M = Timing(id="6to12m", label="", min_months=6, max_months=12)
FROM_1_TO_5Y = Timing(id="1to5y", label="", min_months=12, max_months=60)
GT5Y = Timing(id="gt5y", label="", min_months=60, max_months=None)


@pytest.mark.parametrize(
    ("timing", "months", "expected"),
    [
        (ONGOING, 60, DeadlineStatus.OPEN),
        (ONGOING, 2, DeadlineStatus.CLOSE),  # a short delay: act quickly even if it goes on
        (LT6M, 60, DeadlineStatus.OPEN),
        (LT6M, 2, DeadlineStatus.MAYBE_PAST),  # up to 6 months ago: 2 months may be gone
        (FROM_6_TO_12M, 3, DeadlineStatus.PAST),
        (FROM_6_TO_12M, 48, DeadlineStatus.OPEN),
        (FROM_1_TO_5Y, 60, DeadlineStatus.CLOSE),
        (FROM_1_TO_5Y, 72, DeadlineStatus.OPEN),
        (FROM_1_TO_5Y, 48, DeadlineStatus.MAYBE_PAST),
        (GT5Y, 60, DeadlineStatus.PAST),
        (GT5Y, 72, DeadlineStatus.MAYBE_PAST),  # 7 to 10 years ago lies beyond 6 years
        (None, 72, DeadlineStatus.CLOSE),
    ],
)
def test_deadline_status(timing: Timing | None, months: int, expected: DeadlineStatus) -> None:
    assert status(timing, months) is expected


def test_an_unbounded_period_never_reads_soon() -> None:
    for months in range(1, 200):
        assert status(GT5Y, months) in {DeadlineStatus.PAST, DeadlineStatus.MAYBE_PAST}


def test_rights_without_legal_criterion_explain_instead_of_citing_the_law() -> None:
    content = default_content()
    journey = Journey(speaker="self", domain="public", criteria={"unknown"}, timing="lt6m")
    sections = {page.section for page in rights_pages(content, journey)}
    assert "not_discrimination" in sections
    assert "law" not in sections
    journey.criteria = {"origin"}
    sections = {page.section for page in rights_pages(content, journey)}
    assert "law" in sections
    assert "not_discrimination" not in sections


async def test_counters_upsert_by_month_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "counters.sqlite3"
    store = await CounterStore.open(path)
    counting = store.contribution()
    await counting.increment(Metric.DOMAIN, "work")
    await counting.increment(Metric.DOMAIN, "work")
    await counting.increment(Metric.CRITERION, "work", "origin")
    await store.close()
    store = await CounterStore.open(path)
    rows = {(r.metric, r.dim1, r.dim2): r.count for r in await store.read()}
    await store.close()
    assert rows == {("domain", "work", ""): 2, ("criterion", "work", "origin"): 1}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        columns = [row[1] for row in db.execute("PRAGMA table_info(counters)")]
    assert columns == ["month", "metric", "dim1", "dim2", "count"]


def on_disk(path: Path) -> int:
    """How many counts the file holds (its write-ahead log included)."""
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT coalesce(sum(count), 0) FROM counters").fetchone()[0])


def wal_size(path: Path) -> int:
    """The size of the file's write-ahead log."""
    return Path(f"{path}-wal").stat().st_size


async def test_a_write_mixes_at_least_min_batch_conversations(tmp_path: Path) -> None:
    path = tmp_path / "counters.sqlite3"
    store = await CounterStore.open(path, flush_seconds=0, min_batch=3)
    first, second = store.contribution(), store.contribution()
    for _ in range(4):  # one conversation counting many times is still one
        await first.increment(Metric.STEP, "welcome")
    await second.increment(Metric.STEP, "welcome")
    await store.flush()
    assert on_disk(path) == 0
    assert store.waiting == 2
    await store.contribution().increment(Metric.STEP, "welcome")
    assert on_disk(path) == 6
    assert store.waiting == 0
    assert wal_size(path) == 0  # the log is truncated after each write
    await first.increment(Metric.USEFUL, "yes")
    await store.close()  # at stop, however few
    assert on_disk(path) == 7


async def test_the_change_of_month_writes_last_month(tmp_path: Path) -> None:
    path = tmp_path / "counters.sqlite3"
    now = [datetime(2026, 3, 31, 23, 59, tzinfo=ZoneInfo("Europe/Paris"))]
    store = await CounterStore.open(path, flush_seconds=300, min_batch=5, clock=lambda: now[0])
    await store.contribution().increment(Metric.STEP, "welcome")
    await store.flush()
    assert on_disk(path) == 0
    now[0] = datetime(2026, 4, 1, 0, 1, tzinfo=ZoneInfo("Europe/Paris"))
    rows = await store.read()  # March is over: its figures must be final
    assert [(r.month, r.count) for r in rows] == [("2026-03", 1)]
    await store.contribution().increment(Metric.STEP, "welcome")
    assert on_disk(path) == 1  # April's count waits for more conversations
    await store.close()
    with sqlite3.connect(path) as db:
        months = sorted(m for (m,) in db.execute("SELECT month FROM counters"))
    assert months == ["2026-03", "2026-04"]


async def test_a_contribution_holds_nothing_and_cannot_be_persisted(tmp_path: Path) -> None:
    store = await CounterStore.open(tmp_path / "counters.sqlite3")
    counting = store.contribution()
    assert repr(counting) == "Contribution()"
    with pytest.raises(TypeError, match="never persisted"):
        pickle.dumps(counting)
    await store.close()


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "counters.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        await CounterStore.open(path)


def test_settings_from_env_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("COORDINATOR_IDS=12, 34\nDEFAULT_LANGUAGE=fr\nLOG_LEVEL=DEBUG\n")
    settings = load_settings(env)
    assert settings.coordinator_ids == (12, 34)
    assert settings.log_level == "DEBUG"
    assert settings.token is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("COORDINATOR_IDS=12,abc", "COORDINATOR_IDS: must be Telegram user ids"),
        ("TELEGRAM_BOT_TOKEN=12345:short", "TELEGRAM_BOT_TOKEN: does not look like a bot token"),
        ("LOG_LEVEL=LOUD", "LOG_LEVEL:"),
        ("CONVERSATION_TIMEOUT_MINUTES=-1", "CONVERSATION_TIMEOUT_MINUTES:"),
        ("TELEGRAM_API_BASE_URL=ftp://x", "TELEGRAM_API_BASE_URL: must be an http(s) URL"),
        ("TIMEZONE=Mars/Olympus", "TIMEZONE: must be a time zone name"),
    ],
)
def test_malformed_settings_give_one_line(tmp_path: Path, line: str, expected: str) -> None:
    env = tmp_path / ".env"
    env.write_text(line + "\n")
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert str(error.value).startswith(expected)
    assert "\n" not in str(error.value)


def test_malformed_env_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=123456:secret-but-wrong\nCOORDINATOR_IDS=one,two\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment["PYTHONPATH"] = str(ROOT)
    done = run_bot_command(tmp_path, environment)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith("Configuration error: ")
    assert "Traceback" not in done.stderr
    assert "secret-but-wrong" not in done.stderr


def test_language_names_and_fallback(tmp_path: Path) -> None:
    catalogs = Catalogs(tmp_path)
    assert catalogs.languages == ("fr",)
    assert catalogs.pick("pt-BR", None) == "fr"
    assert catalogs.translator("fr").gettext("Bonjour") == "Bonjour"
    assert language_name("fr") == "Français"
    assert language_name("ar") == "العربية"
