"""The offline demo: the real bot, driven from this terminal through the Bot API double.

Nothing leaves the machine: the double listens on 127.0.0.1 and the counters go to a
temporary file that is deleted at the end. Type a number to press a button, or text to
send it; `/position LAT LON`, `/autocollant` and `/photo` send those; `/quitter` ends.
It lives with the double, outside the product wheel: `python -m bot demo` (and `run`
without a token) imports it lazily, so a clone of the repository is needed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import bot
from bot.app import build_application, start_polling, stop_polling
from bot.directory.store import install_sample
from bot.settings import Settings
from botapi_double import BotApiDouble, Person, ShownMessage

SAMPLE_PARTNERS = Path(bot.__file__).resolve().parent / "data" / "sample_partners.yaml"

Ask = Callable[[str], Awaitable[str | None]]
Say = Callable[[str], None]

INTRO = """\
Offline demo — nothing is sent to Telegram.
No TELEGRAM_BOT_TOKEN is set, so the bot talks to a local stand-in for Telegram.
To run it for real: on Telegram, open @BotFather, send /newbot, then put the token in
.env as TELEGRAM_BOT_TOKEN=… and run ./dev run again.

Type a button's number to press it, or any text to send it.
Also: /position 50.357 3.523 (share a location), /autocollant, /photo, /quitter.
Without an imported directory, the demo uses SAMPLE places: fictional, and labelled so.
"""


def render(message: ShownMessage) -> str:
    """A bot message as the terminal shows it, buttons numbered."""
    lines = ["─" * 60, message.text]
    number = 0
    for row in message.buttons:
        labels = []
        for label in row:
            number += 1
            labels.append(f"[{number}] {label}")
        lines.append("   ".join(labels))
    for label, url in message.url_buttons.items():
        lines.append(f"[lien] {label}: {url}")
    return "\n".join(lines)


def show(messages: list[ShownMessage], say: Say) -> None:
    """Print what changed, leaving out panels that only lost their buttons."""
    for message in messages:
        if message.edits and not message.buttons and len(messages) > 1:
            continue
        say(render(message))


def _labels(message: ShownMessage | None) -> list[str]:
    return [label for row in message.buttons for label in row] if message else []


async def _act(person: Person, line: str) -> list[ShownMessage]:
    """Turn one typed line into what a person would do in Telegram."""
    latest = next((m for m in reversed(person.messages) if m.from_bot and m.buttons), None)
    words = line.split()
    if line.isdigit() and 1 <= int(line) <= len(_labels(latest)):
        return await person.press(_labels(latest)[int(line) - 1], message=latest)
    if words and words[0] == "/position" and len(words) == 3:
        return await person.share_location(float(words[1]), float(words[2]))
    if line == "/autocollant":
        return await person.send_sticker()
    if line == "/photo":
        return await person.send_photo()
    return await person.send(line)


async def _converse(person: Person, ask: Ask, say: Say) -> None:
    """Relay the typed lines until /quitter or the end of input."""
    while True:
        line = await ask("> ")
        if line is None or line.strip() in {"/quitter", "/quit", "/exit"}:
            return
        if not line.strip():
            continue
        try:
            shown = await _act(person, line.strip())
        except AssertionError as error:
            say(f"(rien ne s'est passé : {error})")
            continue
        show(shown, say)


async def demo(settings: Settings, ask: Ask, say: Say) -> None:
    """Run the bot against the double and relay the person's lines until /quitter."""
    with tempfile.TemporaryDirectory(prefix="egalite-demo-") as tmp:
        demo_settings = settings.model_copy(
            update={
                "database_path": Path(tmp) / "demo-counters.sqlite3",
                "counter_flush_seconds": 0,
            }
        )
        if not settings.directory_path.exists():
            # No real directory yet: the demo shows the SAMPLE one, labelled as such.
            demo_settings = demo_settings.model_copy(
                update={
                    "directory_path": Path(tmp) / "directory.json",
                    "partners_path": SAMPLE_PARTNERS,
                }
            )
            install_sample(
                demo_settings.directory_path,
                settings.directory_partner_types,
                settings.directory_api_url,
            )
        async with BotApiDouble() as double:
            demo_settings = demo_settings.model_copy(
                update={"telegram_api_base_url": double.base_url}
            )
            application = build_application(demo_settings, token=double.token)
            await start_polling(application, on_done=double.processing_hook())
            try:
                person = double.person(
                    1, first_name="Démo", language_code=settings.default_language
                )
                say(INTRO)
                show(await person.send("/start"), say)
                await _converse(person, ask, say)
            finally:
                await stop_polling(application)
    say("Fin de la démo. Rien n'a été gardé.")


async def _ask(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


def run_demo(settings: Settings) -> int:
    """Entry point of `python -m bot run` without a token."""
    try:
        asyncio.run(demo(settings, _ask, print))
    except KeyboardInterrupt:
        print("\nFin de la démo.", file=sys.stderr)  # noqa: T201
    return 0
