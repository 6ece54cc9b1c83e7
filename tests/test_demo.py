"""The offline demo: the same bot, played from a terminal through the Bot API double."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.settings import load_settings
from botapi_double.demo import demo


async def test_demo_walks_to_the_referral_in_french(tmp_path: Path) -> None:
    typed: Iterator[str] = iter(
        # Commencer, moi, Logement, location, origine, valider, < 6 mois, écrits, valider,
        # then a typed sentence for the summary, then "Trouver de l'aide".
        ["1", "1", "2", "1", "1", "14", "2", "1", "6", "Il a refusé ma candidature.", "4"]
    )
    seen: list[str] = []

    async def ask(_prompt: str) -> str | None:
        return next(typed, None)

    settings = load_settings(None, database_path=tmp_path / "counters.sqlite3")
    await demo(settings, ask, seen.append)
    screen = "\n".join(seen)
    assert "Offline demo" in screen
    assert "@BotFather" in screen
    assert "[1] ▶️ Commencer" in screen
    assert "Ce que dit la loi" in screen
    assert "Fin de la démo. Rien n'a été gardé." in screen
    assert not (tmp_path / "counters.sqlite3").exists()  # the demo counts in a temp file
