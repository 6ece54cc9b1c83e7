"""Walking the journey as a person does: by button labels, in French."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from botapi_double import Person, ShownMessage

START = "▶️ Commencer"
SELF = "C'est moi qui l'ai vécu"
WITNESS = "J'en ai été témoin"
HOUSING = "Logement"
RENTAL = "Location (particulier, agence)"
ORIGIN = "▫️ Origine, couleur de peau"
UNKNOWN = "▫️ Je ne sais pas / autre raison"
LT6M = "Il y a moins de 6 mois"
WRITINGS = "▫️ Des écrits"
SKIP = "Passer cette étape ➡️"
BACK = "⬅️ Retour"
HELP = "❓ Aide"
FIND_HELP = "📍 Trouver de l'aide ➡️"
SUMMARY = "📝 Voir mon résumé ➡️"
ERASE = "🧹 Effacer cette conversation"

QUESTIONS = {
    "speaker": "Qui utilise ce service ?",
    "domain": "Où est-ce que cela vous est arrivé ?",
    "situation": "Logement : quelle situation ?",
    "criteria": "Selon vous, pourquoi avez-vous été traité(e) ainsi ?",
    "when": "Quand est-ce arrivé ?",
    "evidence": "Quelles traces ou preuves avez-vous ?",
    "narrative": "Si vous le souhaitez, racontez en quelques phrases ce qui s'est passé.",
    "rights": "Ce que dit la loi · 1/",
}

# The presses that answer each question, in order, for a housing case.
PATH: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("welcome", (START,)),
    ("speaker", (SELF,)),
    ("domain", (HOUSING,)),
    ("situation", (RENTAL,)),
    ("criteria", (ORIGIN, "➡️ Valider (1 choix)")),
    ("when", (LT6M,)),
    ("evidence", (WRITINGS, "➡️ Valider (1 choix)")),
    ("narrative", (SKIP,)),
)


async def walk(person: Person, until: str) -> None:
    """From /start, answer every question before `until` (a key of QUESTIONS or "end")."""
    await person.send("/start")
    for stage, presses in PATH:
        if stage == until:
            return
        for label in presses:
            await person.press(label)


def panel(person: Person) -> ShownMessage:
    """The latest bot message that has buttons: the question on screen."""
    for message in reversed(person.messages):
        if message.from_bot and message.buttons:
            return message
    raise AssertionError("no question on screen")


def labels(message: ShownMessage) -> list[str]:
    """All button labels of a message, row by row."""
    return [label for row in message.buttons for label in row]


async def wait_until(condition: Callable[[], bool], what: str, limit: float = 10.0) -> None:
    """Wait for something the bot does on its own (an expiry, a sweep), checking often:
    never a fixed sleep, and a clear failure when it does not happen."""
    deadline = asyncio.get_running_loop().time() + limit
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not happen within {limit:.0f}s")
        await asyncio.sleep(0.02)


# The summary's sections: in chat it comes as several messages, each starting with one.
SUMMARY_TITLE = "Résumé à garder ou à transférer"
SUMMARY_HEADINGS = (
    SUMMARY_TITLE,
    "En quelques mots :",
    "Délais, du plus court au plus long :",
    "Pour être aidé(e) gratuitement :",
)


def summary_of(person: Person, *, last: bool = False) -> str:
    """The French summary as the person reads it: its first message and the ones that
    continue it, joined (`last`: the latest summary, else the first)."""
    messages = person.messages
    starts = [i for i, m in enumerate(messages) if m.text.startswith(SUMMARY_TITLE)]
    if not starts:
        raise AssertionError("no summary on screen")
    start = starts[-1] if last else starts[0]
    parts = [messages[start].text]
    for message in messages[start + 1 :]:
        if not message.text.startswith(SUMMARY_HEADINGS[1:]):
            break
        parts.append(message.text)
    return "\n\n".join(parts)


ROOT = Path(__file__).resolve().parent.parent


def bot_environment(**settings: str) -> dict[str, str]:
    """The environment of a `python -m bot` subprocess: this one without any Telegram or
    webhook setting, the repository importable, INFO logs, then `settings` (.env names)."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))
    }
    environment.update(PYTHONPATH=str(ROOT), LOG_LEVEL="INFO", **settings)
    return environment


def run_bot_command(
    cwd: Path, environment: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` (default: run) to its end, output captured as text."""
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bot", *(args or ("run",))],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def start_bot_process(
    cwd: Path, environment: dict[str, str], *args: str
) -> asyncio.subprocess.Process:
    """`python -m bot ARGS` (default: run) as an operator starts it, output captured."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *(args or ("run",)), cwd=cwd, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
