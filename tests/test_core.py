"""Core pieces without Telegram: callback schema, deadlines, counters, settings, catalogs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.callbacks import Action, Button, matches
from bot.content import Timing, default_content
from bot.counters import MIGRATIONS, CounterStore, Metric
from bot.deadlines import DeadlineStatus, status
from bot.i18n import Catalogs, language_name
from bot.rights import rights_pages
from bot.session import Journey
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_action_packs_under_64_bytes_and_round_trips() -> None:
    for action in Action:
        button = Button(action, "a" * 40)
        data = button.pack()
        assert len(data.encode()) <= 64
        assert Button.parse(data) == button


@pytest.mark.parametrize(
    "forged",
    ["", "j1", "j1|nope|x", "j0|spk|self", "j1|spk|Self", "j1|spk|a|b", "x" * 65, "j1|spk|é"],
)
def test_forged_callback_data_does_not_parse(forged: str) -> None:
    assert Button.parse(forged) is None
    assert not matches(*Action)(forged)


def test_pack_refuses_free_text() -> None:
    with pytest.raises(ValueError, match="content id"):
        Button(Action.SPEAKER, "Jean Dupont").pack()


@pytest.mark.parametrize(
    ("timing", "years", "expected"),
    [
        (Timing(id="ongoing", label="", min_months=0, max_months=0), 5, DeadlineStatus.OPEN),
        (Timing(id="lt6m", label="", min_months=0, max_months=6), 5, DeadlineStatus.OPEN),
        (Timing(id="1to5y", label="", min_months=12, max_months=60), 5, DeadlineStatus.CLOSE),
        (Timing(id="1to5y", label="", min_months=12, max_months=60), 6, DeadlineStatus.OPEN),
        (Timing(id="gt5y", label="", min_months=60, max_months=None), 5, DeadlineStatus.MAYBE_PAST),
        (Timing(id="gt5y", label="", min_months=60, max_months=None), 6, DeadlineStatus.CLOSE),
        (None, 6, DeadlineStatus.CLOSE),
    ],
)
def test_deadline_status(timing: Timing | None, years: int, expected: DeadlineStatus) -> None:
    assert status(timing, years) is expected


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
    await store.increment(Metric.DOMAIN, "work")
    await store.increment(Metric.DOMAIN, "work")
    await store.increment(Metric.CRITERION, "work", "origin")
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


async def test_buffered_counters_are_written_at_close(tmp_path: Path) -> None:
    path = tmp_path / "counters.sqlite3"
    store = await CounterStore.open(path, flush_seconds=300)
    await store.increment(Metric.USEFUL, "yes")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM counters").fetchone()[0] == 0
    await store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count FROM counters").fetchone()[0] == 1


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
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
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
