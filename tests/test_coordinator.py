"""Coordinators through the Bot API double: figures under disclosure control, deep links
and their QR codes, practice mode counting nothing, the monthly digest and the export."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.counters import CounterStore, Metric
from bot.settings import Settings
from bot.stats.figures import Kind, Period, latest
from bot.stats.labels import period_name
from botapi_double import BotApiDouble, Person
from handlers.coordinator import send_digest, warn_stale_directory
from tests.harness import RunningBot, make_settings, running_bot
from tests.support import wait_until, walk

ROOT = Path(__file__).resolve().parent.parent
COORDINATOR = 9_000_001
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def staff_settings(tmp_path: Path, double: BotApiDouble) -> Settings:
    """Settings with one coordinator, the test sources and the Valenciennes territory."""
    return make_settings(
        tmp_path,
        double,
        coordinator_ids=str(COORDINATOR),
        sources_path=ROOT / "tests" / "fixtures" / "sources.yaml",
        territory_epci="245901160",
    )


@pytest.fixture
async def staff_bot(double: BotApiDouble, staff_settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot with a coordinator configured."""
    async with running_bot(double, staff_settings) as running:
        yield running


def counts(settings: Settings) -> dict[tuple[str, str, str], int]:
    """What the counters hold."""
    with sqlite3.connect(settings.database_path) as db:
        rows = db.execute("SELECT metric, dim1, dim2, sum(count) FROM counters GROUP BY 1, 2, 3")
        return {(m, a, b): n for m, a, b, n in rows}


async def journeys(double: BotApiDouble, first_id: int, number: int) -> None:
    """Several residents answer up to the rights, then give a commune."""
    people: list[Person] = [double.person(first_id + i) for i in range(number)]
    for person in people:
        await walk(person, "narrative")
        await person.press("Passer cette étape ➡️")
        await person.press("📍 Trouver de l'aide ➡️")
        await person.send("Anzin")


# What one of those journeys counts (a housing rental, origin, under 6 months, writings,
# then Anzin typed): seeded through CounterStore when only the figures matter.
JOURNEY = (
    (Metric.LANGUAGE, "fr", ""),
    (Metric.SOURCE, "direct", ""),
    *((Metric.STEP, step, "") for step in ("welcome", "speaker", "domain", "situation")),
    *((Metric.STEP, step, "") for step in ("criteria", "when", "evidence", "narrative")),
    (Metric.SPEAKER, "self", ""),
    (Metric.DOMAIN, "housing", ""),
    (Metric.SITUATION, "housing", "private_rental"),
    (Metric.CRITERION, "housing", "origin"),
    (Metric.TIMING, "lt6m", ""),
    (Metric.EVIDENCE, "writings", ""),
    (Metric.STEP, "rights", ""),
    (Metric.STEP, "referral", ""),
    (Metric.REFERRAL, "name", ""),
    (Metric.TERRITORY, "59014", ""),
)


async def seed(settings: Settings, month: Period, number: int) -> None:
    """`number` such journeys counted in a past month, as the store writes them."""
    when = datetime(month.year, month.number, 15, 12, tzinfo=settings.zone)
    store = await CounterStore.open(settings.database_path, settings.zone, clock=lambda: when)
    for _ in range(number):
        counting = store.contribution()
        for metric, dim1, dim2 in JOURNEY:
            await counting.increment(metric, dim1, dim2)
    await store.close()


def today(settings: Settings) -> date:
    """Today where the counters are kept."""
    return datetime.now(settings.zone).date()


def published(settings: Settings, kind: Kind) -> tuple[Period, str]:
    """The latest period of a kind published, and its button's label: on the period
    screen for a quarter or a year, on the other periods' screen for a month."""
    period = latest(kind, today(settings))
    prefix = {Kind.QUARTER: "Le trimestre dernier · ", Kind.YEAR: "L'année dernière · "}
    return period, prefix.get(kind, "") + period_name(period, "fr")


async def test_non_coordinators_get_the_unknown_command_answer(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    resident = double.person(9100)
    [unknown] = await resident.send("/inconnue")
    [stats] = await resident.send("/stats")
    [link] = await resident.send("/lien cs_anzin")
    assert stats.text == unknown.text == link.text
    assert "Je ne connais pas cette commande" in stats.text
    shown = await resident.press_data("j1|figures|m202601|domain")
    assert all("Domaine" not in m.text for m in shown)
    assert all(m.kind != "document" for m in resident.messages)


async def test_coordinator_gets_table_chart_and_csv_with_small_cells_hidden(
    staff_bot: RunningBot, double: BotApiDouble, staff_settings: Settings
) -> None:
    month, name = published(staff_settings, Kind.MONTH)
    await seed(staff_settings, month, 12)
    coordinator = double.person(COORDINATOR, first_name="Coordinatrice")
    [choice] = await coordinator.send("/stats")
    assert "publié une fois terminé" in choice.text
    [others] = await coordinator.press("📅 Autres périodes")
    assert name in [label for row in others.buttons for label in row]
    await coordinator.press(name)
    assert "quel découpage" in coordinator.messages[-1].text
    shown = await coordinator.press("Domaine")
    table = next(m for m in shown if f"Domaine — {name}" in m.text)
    assert "Logement" in table.text
    assert "12" in table.text
    photo = next(m for m in shown if m.kind == "photo")
    assert photo.photo_bytes is not None
    assert photo.photo_bytes.startswith(PNG)
    document = next(m for m in shown if m.kind == "document")
    assert document.document is not None
    rows = list(
        csv.reader(io.StringIO(document.document.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:4] == ["period", "dimension", "id", "label"]
    assert rows[1] == [month.id, "domain", "housing", "Logement", "12"]
    await coordinator.press("⬅️ Période")
    await coordinator.press("📅 Autres périodes")
    await coordinator.press(name)
    shown = await coordinator.press("Territoire")
    table = next(m for m in shown if "Territoire" in m.text)
    assert "Anzin" in table.text
    # Every breakdown and every kind of period answers with the three outputs.
    for breakdown in (
        "Critère",
        "Domaine × critère",
        "Qui parle",
        "Source (liens)",
        "Langue",
        "Étapes atteintes",
        "Utilité",
    ):
        await coordinator.press("⬅️ Période")
        await coordinator.press(published(staff_settings, Kind.QUARTER)[1])
        shown = await coordinator.press(breakdown)
        assert [m.kind for m in shown if m.kind != "text"] == ["photo", "document"], breakdown
    await coordinator.press("⬅️ Période")
    await coordinator.press(published(staff_settings, Kind.YEAR)[1])
    shown = await coordinator.press("Domaine")
    assert any(m.kind == "document" for m in shown)


async def test_small_groups_are_shown_as_below_the_threshold(
    staff_bot: RunningBot, double: BotApiDouble, staff_settings: Settings
) -> None:
    quarter, button = published(staff_settings, Kind.QUARTER)
    await seed(staff_settings, Period.month(quarter.year, quarter.number * 3), 3)
    coordinator = double.person(COORDINATOR)
    await coordinator.send("/stats")
    await coordinator.press(button)
    shown = await coordinator.press("Domaine")
    table = next(m for m in shown if "Domaine — " in m.text)
    assert "< 11" in table.text
    assert " 3" not in table.text.replace("< 11", "")


async def test_the_quarter_in_progress_is_not_published(
    staff_bot: RunningBot, double: BotApiDouble, staff_settings: Settings
) -> None:
    # Two looks a day apart at a month in progress would show one day's people; and a
    # month comes out with its quarter.
    day = today(staff_settings)
    await journeys(double, 9600, 2)
    assert counts(staff_settings)[("domain", "housing", "")] == 2
    coordinator = double.person(COORDINATOR)
    await coordinator.send("/stats")
    [others] = await coordinator.press("📅 Autres périodes")
    current = period_name(Period.month(day.year, day.month), "fr")
    assert current not in [label for row in others.buttons for label in row]
    forged = await coordinator.press_data(f"j1|figures|m{day.year:04d}{day.month:02d}|domain")
    assert all(m.kind == "text" for m in forged)
    assert all("Domaine — " not in m.text for m in forged)


async def test_deep_links_count_their_source_and_practice_counts_nothing(
    staff_bot: RunningBot, double: BotApiDouble, staff_settings: Settings
) -> None:
    await double.person(9401).send("/start cs_anzin")
    await double.person(9402).send("/start not-a-known-code")
    await double.person(9403).send("/start")
    before = counts(staff_settings)
    assert before[("source", "cs_anzin", "")] == 1
    assert before[("source", "unknown", "")] == 1
    assert before[("source", "direct", "")] == 1
    assert not any("not-a-known-code" in key for key in map(str, before))
    trainee = double.person(9404)
    [welcome] = await trainee.send("/start entrainement")
    assert welcome.text.startswith("🎓 Mode entraînement")
    for label in ("▶️ Commencer", "C'est moi qui l'ai vécu", "Logement"):
        await trainee.press(label)
    await double.person(9405).send("/entrainement")
    assert counts(staff_settings) == before  # practice counts nothing at all
    [real] = [m for m in await trainee.send("/start") if m.buttons]
    assert not real.text.startswith("🎓")
    assert counts(staff_settings)[("language", "fr", "")] == before[("language", "fr", "")] + 1


async def test_link_gives_the_deep_link_and_a_qr_code(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    coordinator = double.person(COORDINATOR)
    shown = await coordinator.send("/lien cs_anzin")
    text = next(m for m in shown if m.kind == "text").text
    assert f"https://t.me/{double.bot_username}?start=cs_anzin" in text
    assert "Affiche, centre social (test)" in text
    qr = next(m for m in shown if m.kind == "photo")
    assert qr.photo_bytes is not None
    assert qr.photo_bytes.startswith(PNG)
    shown = await coordinator.send("/lien inconnu_ici")
    assert any("pas dans le fichier des sources" in m.text for m in shown)


async def test_the_quarterly_digest_reaches_the_coordinator(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    coordinator = double.person(COORDINATOR)
    await coordinator.send("/start")  # Telegram lets a bot write only to people who started it
    app = staff_bot.application
    assert app is not None
    assert app.job_queue is not None
    app.job_queue.run_once(send_digest, 0)
    for _ in range(50):
        if any("Chiffres anonymes du trimestre dernier" in m.text for m in coordinator.messages):
            break
        await asyncio.sleep(0.1)
    digest = next(m for m in coordinator.messages if "trimestre dernier" in m.text)
    assert period_name(published(staff_bot.settings, Kind.QUARTER)[0], "fr") in digest.text
    assert "Étapes atteintes" in digest.text
    assert "moins de 11" in digest.text


async def test_stats_export_prints_the_same_protected_figures(
    staff_bot: RunningBot, staff_settings: Settings
) -> None:
    month, _name = published(staff_settings, Kind.MONTH)
    await seed(staff_settings, month, 12)
    await staff_bot.stop()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update(
        DATABASE_PATH=str(staff_settings.database_path),
        PYTHONPATH=str(ROOT),
    )
    export = ("stats", "export", "--breakdown", "domain", "--format", "json")
    code, out, err = await run_bot(environment, *export, "--period", month.id)
    assert code == 0, err
    data = json.loads(out)
    assert data["period"] == month.id
    assert data["protected"] is True
    assert data["cells"][0]["key"] == ["housing"]
    assert data["cells"][0]["count"] == 12
    assert data["threshold"] == 11
    # The same month as --from/--to; a range that is no calendar period is refused.
    code, same, err = await run_bot(environment, *export, "--from", month.id, "--to", month.id)
    assert (code, same) == (0, out), err
    start = Period.month(month.year, 1 if month.number > 1 else 2).id
    stop = Period.month(month.year, 2 if month.number > 1 else 3).id
    code, _out, err = await run_bot(environment, *export, "--from", start, "--to", stop)
    assert code == 2
    assert "--period" in err
    assert "Traceback" not in err
    day = today(staff_settings)
    current = Period.month(day.year, day.month).id
    code, _out, err = await run_bot(environment, *export, "--period", current)
    assert code == 2
    assert "not published yet" in err
    code, _out, err = await run_bot(environment, *export, "--period", "2026-13")
    assert code == 2
    assert "Traceback" not in err
    # Operators who need them get the unprotected counts, with a warning line.
    when = datetime(month.year, month.number, 20, tzinfo=staff_settings.zone)
    store = await CounterStore.open(staff_settings.database_path, clock=lambda: when)
    for _ in range(3):
        await store.contribution().increment(Metric.DOMAIN, "work")
    await store.close()
    code, protected, err = await run_bot(environment, *export, "--period", month.id)
    assert code == 0, err
    assert {c["key"][0]: c["count"] for c in json.loads(protected)["cells"]}["work"] is None
    code, raw, err = await run_bot(environment, *export, "--raw", "--period", month.id)
    assert code == 0
    assert err.startswith("Warning: RAW counts")
    assert json.loads(raw)["protected"] is False
    assert {c["key"][0]: c["count"] for c in json.loads(raw)["cells"]}["work"] == 3


async def run_bot(environment: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` as the operator runs it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode(), err.decode()


async def test_coordinators_are_warned_of_an_old_or_missing_directory(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    coordinator = double.person(COORDINATOR)
    await coordinator.send("/start")
    app = staff_bot.application
    assert app is not None
    assert app.job_queue is not None
    directory = app.bot_data.directory
    assert directory is not None
    # A fresh directory: nothing to say.
    app.job_queue.run_once(warn_stale_directory, 0)
    await asyncio.sleep(0.3)
    assert not any("annuaire" in m.text for m in coordinator.messages)
    old = dataclasses.replace(directory.info, file_date="2026-01-02")
    app.bot_data.directory = dataclasses.replace(directory, info=old)
    app.job_queue.run_once(warn_stale_directory, 0)
    await wait_until(
        lambda: any("annuaire des délégués a" in m.text for m in coordinator.messages),
        "the warning of an old directory",
    )
    app.bot_data.directory = None
    app.job_queue.run_once(warn_stale_directory, 0)
    await wait_until(
        lambda: any("Aucun annuaire daté" in m.text for m in coordinator.messages),
        "the warning of a missing directory",
    )
