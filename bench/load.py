"""The bot under load, as the operator runs it: `./dev bench load` (or `python -m bench load`).

`python -m bot run` runs as a subprocess pointed at the Bot API double of this process
(TELEGRAM_API_BASE_URL), with a temporary database and the SAMPLE directory, and plays:

  (c) 500 people opening a conversation (/start) at once;
  (a) 150 people walking the whole journey (welcome → … → referral by postal code 59300
      and commune → summary → end, useful) with 1–3 s random pauses, as people do;
  (b) 60 people walking it tapping without pause;

then a bare python-telegram-bot echo bot (bench/echo_bot.py) against the same double, with
60 people sending as many messages and taps as (b). Each step waits for its expected screen;
every button press must be answered and the bot's stderr must hold no handler error or
traceback, else the exit code is 1.

Prints p50/p99 first-reply latency (from queuing an update to the bot's first call about
that chat, both timed by the double), journeys per minute, RSS per 1,000 open conversations
(VmRSS before and after (c)), and CPU seconds per Bot API interaction (updates in + calls
out; utime+stime of the bot process) next to the echo bot's. AIORateLimiter lets about 30
chat-bound calls a second through (answerCallbackQuery is not chat-bound): with this many
people at once, latency and journeys per minute measure that limit, not the machine.
Compare ratios within one run (the machine is shared).

`--profile DIR` records the bot (and the echo bot) with py-spy during (b) and prints the
top functions; CPU figures of a profiled run are perturbed. `--quick` plays 10/6/50 people;
`--cpu` plays only (b) and the echo bot (to compare CPU per interaction quickly).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.echo_bot import TAP
from bot.directory.store import install_sample
from bot.settings import load_settings
from botapi_double import BotApiDouble, Person, ShownMessage
from tests.support import FIND_HELP, PATH, QUESTIONS, SUMMARY

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PARTNERS = ROOT / "bot" / "data" / "sample_partners.yaml"
SEED = 20261214
STEP_TIMEOUT = 120.0  # seconds one step may take under a rate-limited burst
WARM_UP_TIMEOUT = 30.0  # the same for the first people, who find out whether the bot works
APOLOGY = "Désolé, un problème est survenu"  # the bot's error notice (bot/app.py)
QUIET = 0.1  # seconds without calls that end a step's settling (its screen is awaited too)
RATE_LIMIT = 30  # chat-bound calls per second AIORateLimiter lets through (its default)

Check = Callable[[Person], bool]


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201


# --- what a person does, and what each step must show ---------------------------------------


@dataclass(frozen=True)
class Step:
    """One action and the screen it must bring."""

    kind: str  # "send" or "press"
    value: str  # the text sent, or the label pressed
    done: Check
    expected: str  # the expected screen, for failure messages


def panel_of(person: Person) -> ShownMessage | None:
    """The latest bot message with buttons (the question on screen), if any."""
    for message in reversed(person.messages):
        if message.from_bot and message.buttons:
            return message
    return None


def panel_text(person: Person) -> str:
    message = panel_of(person)
    return message.text if message else ""


def panel_labels(person: Person) -> list[str]:
    message = panel_of(person)
    return message.button_labels if message else []


def shows_button(label: str) -> Check:
    return lambda person: label in panel_labels(person)


def asks(question: str) -> Check:
    return lambda person: panel_text(person).startswith(question)


def offers(*labels: str) -> Check:
    """Some visible bot message offers these buttons (not necessarily the latest)."""
    wanted = set(labels)
    return lambda person: any(wanted <= set(m.button_labels) for m in person.messages if m.from_bot)


def panel_says(text: str) -> Check:
    return lambda person: text in panel_text(person)


def summary_and_end(person: Person) -> bool:
    return "👍 Oui" in panel_labels(person) and any(
        m.from_bot and m.text.startswith("Résumé") for m in person.messages
    )


POSTAL_CODE = "59300"
COMMUNE = "Valenciennes (59)"
SEARCH_AGAIN = "🔎 Chercher une autre commune"


def journey_steps() -> tuple[Step, ...]:
    """The whole journey of tests/support.py's PATH, then referral, summary and end."""
    steps = [Step("send", "/start", shows_button(PATH[0][1][0]), "the welcome screen")]
    stages = [stage for stage, _ in PATH] + ["rights"]
    for index, (_, presses) in enumerate(PATH):
        following = stages[index + 1]
        for label in presses:
            if label.startswith("▫️"):  # a multiple choice: the option gets ticked
                ticked = label.replace("▫️", "✅", 1)
                steps.append(Step("press", label, shows_button(ticked), ticked))
            else:
                steps.append(Step("press", label, asks(QUESTIONS[following]), following))
    steps += [
        Step("press", FIND_HELP, panel_says("code postal"), "the referral prompt"),
        Step("send", POSTAL_CODE, shows_button(COMMUNE), "the communes of 59300"),
        Step(
            "press",
            COMMUNE,
            offers(SEARCH_AGAIN, SUMMARY),
            "the permanences for Valenciennes",
        ),
        Step("press", SUMMARY, summary_and_end, "the summary and the end screen"),
        Step("press", "👍 Oui", panel_says("Merci pour votre réponse."), "the thanks"),
    ]
    return tuple(steps)


def last_text(person: Person) -> str:
    message = person.last_bot_message
    return message.text if message else ""


def last_says(text: str) -> Check:
    return lambda person: last_text(person) == text


def echo_steps(journey: Sequence[Step]) -> tuple[Step, ...]:
    """As many messages and taps as the journey, in the same order, for the echo bot."""
    steps: list[Step] = []
    taps = 0
    for step in journey:
        if step.kind == "send":
            taps = 0
            reply = f"echo: {step.value}"
        else:
            taps += 1
            reply = f"{TAP} {taps}"
        steps.append(
            Step(
                step.kind,
                step.value if step.kind == "send" else TAP,
                last_says(reply),
                repr(reply),
            )
        )
    return tuple(steps)


# --- the bot process -----------------------------------------------------------------------


@dataclass
class BotProcess:
    """A bot running as a subprocess, its output in a log file."""

    process: asyncio.subprocess.Process
    log_path: Path

    @classmethod
    async def start(
        cls, argv: Sequence[str], environment: dict[str, str], cwd: Path, log_path: Path
    ) -> BotProcess:
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                *argv, cwd=cwd, env=environment, stdout=log, stderr=log
            )
        return cls(process, log_path)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """utime + stime of the process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    async def stop(self) -> int:
        """SIGTERM, as the operator stops it; the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=60)

    def problems(self) -> list[str]:
        """Handler errors and tracebacks in the log."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if "handler error" in line or "Traceback" in line]


def bot_environment(double: BotApiDouble, work: Path) -> dict[str, str]:
    """The settings the operator would give, pointing at the double and temporary files."""
    settings = load_settings(None)
    install_sample(
        work / "directory.json", settings.directory_partner_types, settings.directory_api_url
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update(
        TELEGRAM_BOT_TOKEN=double.token,
        TELEGRAM_API_BASE_URL=double.base_url,
        DATABASE_PATH=str(work / "counters.sqlite3"),
        DIRECTORY_PATH=str(work / "directory.json"),
        PARTNERS_PATH=str(SAMPLE_PARTNERS),
        SOURCES_PATH=str(ROOT / "config" / "sources.yaml"),
        TERRITORY_EPCI="245901160",
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return environment


# --- playing people ------------------------------------------------------------------------


@dataclass
class Scenario:
    """What happened while some people acted."""

    name: str
    people: int
    timeout: float = STEP_TIMEOUT  # per step
    journeys: int = 0
    actions: list[tuple[int, str, float]] = field(default_factory=list)  # chat, kind, queued
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    calls: int = 0
    chat_calls: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # by kind

    @property
    def interactions(self) -> int:
        return len(self.actions) + self.calls

    @property
    def cpu_per_interaction(self) -> float:
        return self.cpu / self.interactions if self.interactions else 0.0


async def arrived(person: Person, step: Step, limit: float, started: float) -> None:
    """Wait, woken by each call about the chat, until the step's screen is there; fail at
    once when the bot apologises for an error."""
    what = f"{person.first_name} {step.kind} {step.value!r}"
    while not step.done(person):
        if last_text(person).startswith(APOLOGY):
            raise AssertionError(f"{what}: the bot answered with its error notice")
        remaining = started + limit - time.monotonic()
        if remaining <= 0:
            raise AssertionError(
                f"{what}: {step.expected} did not come within {limit:.0f}s; "
                f"on screen: {panel_text(person)[:80]!r}"
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(person.chat.activity.wait(), remaining)


async def play(
    person: Person,
    steps: Sequence[Step],
    scenario: Scenario,
    pause: Callable[[], float] | None,
) -> None:
    """Take the steps one after the other; a failure is noted, never raised."""
    try:
        for step in steps:
            if pause is not None:
                await asyncio.sleep(pause())
            queued = time.monotonic()
            scenario.actions.append((person.user_id, step.kind, queued))
            if step.kind == "send":
                await person.send(step.value, timeout=scenario.timeout, quiet=QUIET)
            else:
                await person.press(step.value, timeout=scenario.timeout, quiet=QUIET)
            await arrived(person, step, scenario.timeout, queued)
        if person.unanswered_callback_queries:
            raise AssertionError(f"{person.first_name}: button presses left unanswered")
        scenario.journeys += 1
    except AssertionError as error:
        scenario.failures.append(str(error))


async def run_scenario(
    double: BotApiDouble,
    bot: BotProcess,
    scenario: Scenario,
    crowd: Sequence[Person],
    steps: Sequence[Step],
    *,
    pause: Callable[[], float] | None = None,
) -> Scenario:
    """Play everybody at once; measure wall time, the bot's CPU, calls and latencies."""
    first_call = len(double.calls)
    cpu_before = bot.cpu_seconds()
    started = time.monotonic()
    await asyncio.gather(*(play(p, steps, scenario, pause) for p in crowd))
    scenario.seconds = time.monotonic() - started
    await asyncio.sleep(0.2)  # the last responses reach the bot
    scenario.cpu = bot.cpu_seconds() - cpu_before
    calls = double.calls[first_call:]
    scenario.calls = len(calls)
    scenario.chat_calls = sum(1 for call in calls if "chat_id" in call.params)
    times: dict[int, list[float]] = {}
    for call in calls:
        if call.chat_id is not None:
            times.setdefault(call.chat_id, []).append(call.time)
    for chat_id, kind, queued in scenario.actions:
        chat_times = times.get(chat_id, [])
        index = bisect.bisect_left(chat_times, queued)
        if index < len(chat_times):
            scenario.latencies.setdefault(kind, []).append(chat_times[index] - queued)
    return scenario


# --- profiling -----------------------------------------------------------------------------


@dataclass
class Profiler:
    """py-spy recording a process (raw collapsed stacks), stopped with SIGINT."""

    process: asyncio.subprocess.Process
    output: Path

    @classmethod
    async def attach(cls, pid: int, output: Path) -> Profiler | None:
        executable = shutil.which("py-spy") or shutil.which(
            "py-spy", path=Path(sys.executable).parent
        )
        if executable is None:
            say("py-spy not found (pip install py-spy): no profile")
            return None
        process = await asyncio.create_subprocess_exec(
            executable,
            *("record", "--pid", str(pid), "--rate", "250", "--nonblocking", "--function"),
            *("--format", "raw", "--output", str(output)),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await asyncio.sleep(1.0)  # attached
        return cls(process, output)

    async def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        await asyncio.wait_for(self.process.wait(), timeout=60)


def profile_summary(path: Path, top: int = 15) -> list[str]:
    """The functions that take most samples: own time and with what they call."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        samples += count
        frames = [_short(frame) for frame in stack.split(";")]
        own[frames[-1]] += count
        for name in set(frames):
            total[name] += count
    if not samples:
        return ["(no samples)"]
    lines = [f"{samples} samples; own time:"]
    lines += [f"  {n / samples:6.1%}  {name}" for name, n in own.most_common(top)]
    lines.append("with callees (project code and libraries, not the event loop):")
    skipped = ("asyncio/", "<module>", "run_polling", "run_until_complete", "_run_once")
    inclusive = [
        (name, n) for name, n in total.most_common() if not any(s in name for s in skipped)
    ]
    lines += [f"  {n / samples:6.1%}  {name}" for name, n in inclusive[:top]]
    return lines


def _short(frame: str) -> str:
    """`function (path/to/file.py:12)` → `function (file.py)`, path shortened."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "python3.11/", str(ROOT) + "/"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where})"


# --- the run -------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)] if ordered else 0.0


def report(scenario: Scenario, steps_per_person: int) -> None:
    say(f"-- {scenario.name}")
    every = [v for values in scenario.latencies.values() for v in values]
    minutes = scenario.seconds / 60
    say(
        f"   {scenario.journeys}/{scenario.people} complete in {scenario.seconds:.1f} s "
        f"({scenario.journeys / minutes:.1f} per minute), {len(scenario.actions)} updates "
        f"({steps_per_person} each), {scenario.calls} calls "
        f"({scenario.chat_calls / scenario.seconds:.1f} chat-bound calls/s)"
    )
    for kind, values in (("all", every), *sorted(scenario.latencies.items())):
        say(
            f"   first-reply latency, {kind + ':':<6} p50 {percentile(values, 0.5) * 1000:7.0f} ms"
            f"   p99 {percentile(values, 0.99) * 1000:7.0f} ms   ({len(values)} updates)"
        )
    say(
        f"   bot CPU {scenario.cpu:.2f} s, {scenario.cpu_per_interaction * 1000:.3f} ms per "
        f"interaction ({scenario.interactions} = updates in + calls out)"
    )
    for failure in scenario.failures[:5]:
        say(f"   FAILED: {failure}")


@dataclass
class Bench:
    """One run: the double, the temporary files, and what went wrong."""

    double: BotApiDouble
    work: Path
    quick: bool
    profile: Path | None
    cpu_only: bool = False  # only (b) and the echo bot: comparing CPU takes a minute and a half
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311
    failed: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"a": 10, "b": 6, "c": 50} if self.quick else {"a": 150, "b": 60, "c": 500}

    def crowd(self, first_id: int, count: int) -> list[Person]:
        return [
            self.double.person(first_id + i, first_name=f"P{first_id + i}") for i in range(count)
        ]

    async def start(self, argv: Sequence[str], name: str) -> BotProcess:
        environment = bot_environment(self.double, self.work)
        bot = await BotProcess.start(argv, environment, self.work, self.work / f"{name}.log")
        say(f"{name}: pid {bot.pid}, log {bot.log_path}")
        return bot

    async def warm_up(self, bot: BotProcess, first_id: int, steps: Sequence[Step]) -> None:
        """Two people walk first: the bot is up, its lazy imports and caches are loaded."""
        scenario = Scenario("warm-up", 2, timeout=WARM_UP_TIMEOUT)
        await run_scenario(self.double, bot, scenario, self.crowd(first_id, 2), steps)
        if scenario.failures:
            log = bot.log_path.read_text(errors="replace")
            raise SystemExit(f"warm-up failed: {scenario.failures[0]}\n{log}")

    async def profiler(self, bot: BotProcess, name: str) -> Profiler | None:
        if self.profile is None:
            return None
        return await Profiler.attach(bot.pid, self.profile / f"{name}.txt")

    async def stopped(self, bot: BotProcess, name: str) -> None:
        """Stop a bot and note what its exit code and log say."""
        code = await bot.stop()
        if code != 0:
            self.failed.append(f"{name} exited with code {code}")
        self.failed += [f"{name} log: {line}" for line in bot.problems()[:5]]

    async def the_bot(self, journey: Sequence[Step]) -> tuple[list[Scenario], tuple[int, int]]:
        """(c), (a) and (b) against `python -m bot run`; RSS before and after (c)."""
        counts = self.counts
        bot = await self.start((sys.executable, "-m", "bot", "run"), "bot")
        played: list[Scenario] = []
        rss = (0, 0)
        try:
            await self.warm_up(bot, 1_000, journey)
            if not self.cpu_only:
                rss_before = bot.rss_kib()
                opened = Scenario(
                    f"(c) {counts['c']} people open a conversation at once", counts["c"]
                )
                await run_scenario(
                    self.double, bot, opened, self.crowd(10_000, counts["c"]), journey[:1]
                )
                await asyncio.sleep(0.5)
                rss = (rss_before, bot.rss_kib())
                walking = Scenario(
                    f"(a) {counts['a']} people walk the journey, 1-3 s pauses", counts["a"]
                )
                await run_scenario(
                    self.double,
                    bot,
                    walking,
                    self.crowd(20_000, counts["a"]),
                    journey,
                    pause=lambda: self.rng.uniform(1.0, 3.0),
                )
                played += [opened, walking]
            tapping = Scenario(
                f"(b) {counts['b']} people walk the journey without pause", counts["b"]
            )
            profiler = await self.profiler(bot, "bot-b")
            await run_scenario(self.double, bot, tapping, self.crowd(30_000, counts["b"]), journey)
            if profiler is not None:
                await profiler.stop()
        finally:
            await self.stopped(bot, "the bot")
        if self.double.updates:
            self.failed.append(f"{len(self.double.updates)} updates never confirmed by the bot")
        return [*played, tapping], rss

    async def the_echo_bot(self, echo: Sequence[Step]) -> Scenario:
        """The same double, the echo bot, as many people and actions as (b)."""
        people = self.counts["b"]
        bot = await self.start((sys.executable, "-m", "bench.echo_bot"), "echo-bot")
        try:
            await self.warm_up(bot, 2_000, echo)
            echoing = Scenario(f"echo bot: {people} people, as many messages and taps", people)
            profiler = await self.profiler(bot, "echo-b")
            await run_scenario(self.double, bot, echoing, self.crowd(40_000, people), echo)
            if profiler is not None:
                await profiler.stop()
        finally:
            await self.stopped(bot, "the echo bot")
        return echoing


def conclude(
    bench: Bench, scenarios: list[Scenario], echoing: Scenario, rss: tuple[int, int], steps: int
) -> None:
    """Print every scenario and the derived figures."""
    tapping = scenarios[-1]
    say()
    for scenario in [*scenarios, echoing]:
        report(scenario, 1 if scenario.name.startswith("(c)") else steps)
        bench.failed += scenario.failures[:5]
    say()
    rss_before, rss_after = rss
    if rss_after:
        per_thousand = (rss_after - rss_before) / scenarios[0].people * 1000 / 1024
        say(
            f"RSS: {rss_before / 1024:.1f} MiB before (c), {rss_after / 1024:.1f} MiB after: "
            f"{per_thousand:.1f} MiB per 1,000 open conversations"
        )
    ratio = tapping.cpu_per_interaction / echoing.cpu_per_interaction
    say(
        f"CPU per Bot API interaction during (b): bot {tapping.cpu_per_interaction * 1000:.3f} ms,"
        f" echo bot {echoing.cpu_per_interaction * 1000:.3f} ms: {ratio:.2f}x"
    )
    per_journey = tapping.chat_calls / max(tapping.journeys, 1)
    say(
        f"rate limit: {per_journey:.1f} chat-bound calls per journey; at {RATE_LIMIT} per second "
        f"that is at most {RATE_LIMIT * 3600 / per_journey:,.0f} journeys an hour"
    )


async def run(quick: bool, profile: Path | None, cpu_only: bool) -> int:
    journey = journey_steps()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        async with BotApiDouble() as double:
            bench = Bench(double, Path(tmp), quick, profile, cpu_only)
            scenarios, rss = await bench.the_bot(journey)
            echoing = await bench.the_echo_bot(echo_steps(journey))
            bench.failed += [
                f"the double failed: {e.splitlines()[-1]}" for e in double.internal_errors
            ]
    conclude(bench, scenarios, echoing, rss, len(journey))
    if profile is not None:
        for name in ("bot-b", "echo-b"):
            path = profile / f"{name}.txt"
            if path.exists():
                say(f"\nprofile {name} ({path}):")
                for line in profile_summary(path):
                    say(line)
    if bench.failed:
        say(f"\nFAILED ({len(bench.failed)}):")
        for line in bench.failed:
            say(f"  {line}")
        return 1
    return 0


def main(*, quick: bool = False, profile: Path | None = None, cpu_only: bool = False) -> int:
    """Run the load benchmark; the exit code says whether everything was answered."""
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(quick, profile, cpu_only))
