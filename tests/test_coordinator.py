"""Coordinators through the Bot API double: figures under disclosure control, deep links
and their QR codes, practice mode counting nothing, the monthly digest and the export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.botapi_double import BotApiDouble, Person
from bot.settings import Settings
from handlers.coordinator import monthly_digest
from tests.conftest import RunningBot, make_settings, running_bot
from tests.support import walk

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


async def test_non_coordinators_get_the_unknown_command_answer(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    resident = double.person(9100)
    [unknown] = await resident.send("/inconnue")
    [stats] = await resident.send("/stats")
    [link] = await resident.send("/lien cs_anzin")
    assert stats.text == unknown.text == link.text
    assert "Je ne connais pas cette commande" in stats.text
    shown = await resident.press_data("j1|stats|this_month__domain")
    assert all("Domaine" not in m.text for m in shown)
    assert all(m.kind != "document" for m in resident.messages)


async def test_coordinator_gets_table_chart_and_csv_with_small_cells_hidden(
    staff_bot: RunningBot, double: BotApiDouble, staff_settings: Settings
) -> None:
    await journeys(double, 9200, 12)
    coordinator = double.person(COORDINATOR, first_name="Coordinatrice")
    await coordinator.send("/stats")
    await coordinator.press("Ce mois-ci")
    assert "quel découpage" in coordinator.messages[-1].text
    shown = await coordinator.press("Domaine")
    table = next(m for m in shown if "Domaine — Ce mois-ci" in m.text)
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
    assert rows[1][2:5] == ["housing", "Logement", "12"]
    await coordinator.press("⬅️ Période")
    await coordinator.press("Ce mois-ci")
    shown = await coordinator.press("Territoire")
    table = next(m for m in shown if "Territoire" in m.text)
    assert "Anzin" in table.text
    # Every breakdown and period answers with the three outputs, without error.
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
        await coordinator.press("Depuis le début")
        shown = await coordinator.press(breakdown)
        assert [m.kind for m in shown if m.kind != "text"] == ["photo", "document"], breakdown
    for period in ("Le mois dernier", "Les 3 derniers mois", "Cette année", "L'année dernière"):
        await coordinator.press("⬅️ Période")
        await coordinator.press(period)
        shown = await coordinator.press("Domaine")
        assert any(m.kind == "document" for m in shown), period
    assert counts(staff_settings)[("territory", "59014", "")] == 12


async def test_small_groups_are_shown_as_below_the_threshold(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    await journeys(double, 9300, 3)
    coordinator = double.person(COORDINATOR)
    await coordinator.send("/stats")
    await coordinator.press("Ce mois-ci")
    shown = await coordinator.press("Domaine")
    table = next(m for m in shown if "Domaine — Ce mois-ci" in m.text)
    assert "< 11" in table.text
    assert " 3" not in table.text.replace("< 11", "")


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


async def test_monthly_digest_reaches_the_coordinator(
    staff_bot: RunningBot, double: BotApiDouble
) -> None:
    coordinator = double.person(COORDINATOR)
    await coordinator.send("/start")  # Telegram lets a bot write only to people who started it
    app = staff_bot.application
    assert app is not None
    assert app.job_queue is not None
    app.job_queue.run_once(monthly_digest, 0)
    for _ in range(50):
        if any("Chiffres anonymes du mois dernier" in m.text for m in coordinator.messages):
            break
        await asyncio.sleep(0.1)
    digest = next(m for m in coordinator.messages if "mois dernier" in m.text)
    assert "Étapes atteintes" in digest.text
    assert "moins de 11" in digest.text


async def test_stats_export_prints_the_same_protected_figures(
    staff_bot: RunningBot, double: BotApiDouble, staff_settings: Settings
) -> None:
    await journeys(double, 9500, 12)
    await staff_bot.stop()
    month = __import__("datetime").date.today().strftime("%Y-%m")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update(
        DATABASE_PATH=str(staff_settings.database_path),
        PYTHONPATH=str(ROOT),
    )
    code, out, err = await run_bot(
        environment,
        "stats",
        "export",
        "--from",
        month,
        "--to",
        month,
        "--breakdown",
        "domain",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["cells"][0]["key"] == ["housing"]
    assert data["cells"][0]["count"] == 12
    assert data["threshold"] == 11
    code, _out, err = await run_bot(
        environment, "stats", "export", "--from", "2026-13", "--to", month, "--breakdown", "domain"
    )
    assert code == 2
    assert "Traceback" not in err


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
