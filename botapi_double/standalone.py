"""The double on its own, for an operator: `python -m botapi_double serve` (or `./dev double`).

It listens on 127.0.0.1, lets the bot register a plain-http webhook on 127.0.0.1 (real
Telegram wants https), prints the settings that point `python -m bot run` at it, and runs
until Ctrl-C or SIGTERM: the README's "Try webhook mode on this machine" follows it.
`--hello` makes a simulated person send /start once the bot has registered its webhook
and prints the answer, so that one message is seen going through the webhook.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import sys
from collections.abc import Callable, Sequence

from botapi_double.server import BotApiDouble
from botapi_double.shown import ShownMessage

__all__ = ["main", "serve", "settings_lines"]

DEFAULT_PORT = 8081
DEFAULT_WEBHOOK_PORT = 8443
# The simulated person of --hello, also the one coordinator of the printed settings
# (`python -m bot check` wants at least one).
PERSON_ID = 1001
HELLO_TIMEOUT = 30.0

Say = Callable[[str], None]


def settings_lines(double: BotApiDouble, webhook_port: int, secret: str) -> list[str]:
    """The `.env` lines that make `python -m bot run` serve this double by webhook. The
    counters and the directory go to their own folder, apart from a real deployment's."""
    return [
        f"TELEGRAM_BOT_TOKEN={double.token}",
        f"TELEGRAM_API_BASE_URL={double.base_url}",
        f"WEBHOOK_URL=http://127.0.0.1:{webhook_port}",
        f"WEBHOOK_PORT={webhook_port}",
        f"WEBHOOK_SECRET_TOKEN={secret}",
        f"COORDINATOR_IDS={PERSON_ID}",
        "DATABASE_PATH=data/webhook-try/counters.sqlite3",
        "DIRECTORY_PATH=data/webhook-try/directory.json",
    ]


def _render(message: ShownMessage) -> str:
    buttons = "   ".join(f"[{label}]" for label in message.button_labels)
    return "\n".join(f"  | {line}" for line in [*message.text.splitlines(), buttons] if line)


async def _report_webhook(double: BotApiDouble, say: Say) -> None:
    """One line each time the bot registers or deletes its webhook."""
    current = ""
    while True:
        if double.webhook_url != current:
            current = double.webhook_url
            say(f"The bot registered its webhook: {current}" if current else "Webhook deleted.")
        await double.updates_changed(1.0)


async def _hello(double: BotApiDouble, say: Say) -> None:
    """Once a webhook is set, a simulated person sends /start; print what the bot answers."""
    while not double.webhook_url:
        await double.updates_changed(1.0)
    person = double.person(PERSON_ID, first_name="Camille")
    say("A simulated person sends /start; the bot answers through its webhook:")
    try:
        answer = await person.send("/start", timeout=HELLO_TIMEOUT, quiet=0.5)
    except AssertionError as error:
        say(f"No answer: {error}")
        return
    for message in answer:
        say(_render(message))


async def serve(port: int, webhook_port: int, *, hello: bool, say: Say) -> None:
    """Run the double until SIGINT or SIGTERM."""
    double = BotApiDouble()
    double.plain_webhooks = True
    await double.start(port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    say(f"Bot API double on http://127.0.0.1:{double.port}: a stand-in for Telegram.")
    say("Put these lines in .env (or export them), then start the bot: python -m bot run")
    for line in settings_lines(double, webhook_port, secrets.token_urlsafe(24)):
        say(line)
    say("Waiting for the bot; Ctrl-C stops the double.")
    tasks = [asyncio.create_task(_report_webhook(double, say))]
    if hello:
        tasks.append(asyncio.create_task(_hello(double, say)))
    try:
        await stop.wait()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await double.stop()
        say("Bot API double stopped.")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m botapi_double serve [--port N] [--webhook-port N] [--hello]`."""
    parser = argparse.ArgumentParser(prog="python -m botapi_double", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser("serve", help="run the double on 127.0.0.1 until Ctrl-C")
    serving.add_argument("--port", type=int, default=DEFAULT_PORT, help="its port (8081)")
    serving.add_argument(
        "--webhook-port",
        type=int,
        default=DEFAULT_WEBHOOK_PORT,
        help="the port the printed WEBHOOK_URL names (8443)",
    )
    serving.add_argument(
        "--hello", action="store_true", help="a simulated person sends /start once it can"
    )
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(line, flush=True)  # noqa: T201 - this is a terminal tool

    try:
        asyncio.run(serve(args.port, args.webhook_port, hello=args.hello, say=say))
    except OSError as error:  # the port is taken
        why = error.strerror or type(error).__name__
        print(f"Cannot listen on 127.0.0.1:{args.port} ({why}); try --port", file=sys.stderr)  # noqa: T201
        return 2
    return 0
