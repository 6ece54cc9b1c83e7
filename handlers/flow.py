"""Moving through the journey: the one place that changes stage, counts and shows it.

Handlers decide where the person goes and return it: a `Stage` (go forward to it), a
`Move` (back, stay, or the current screen again), `None` (stay: the handler showed what it
had to) or `ConversationHandler.END`. `Flow.wrap` carries that out with the stage table of
handlers/__init__.py: it keeps the history for "back", writes `Session.stage` (the only
writer besides `Session.new_journey`, which clears it), counts the step through
bot/metrics.py, runs the stage's entry step, shows its screen, and hands the stage to the
ConversationHandler.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Collection, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from telegram import Update
from telegram.ext import filters

from bot.callbacks import Callback
from bot.context import BotContext
from bot.metrics import Entered, Transition, counts, not_yet_counted
from bot.states import Stage
from handlers.ui import Screen, show


class Move(Enum):
    """A move that is not "forward to a stage"."""

    BACK = "back"  # the stage the person came from (or stay on the first one)
    STAY = "stay"  # keep the stage, the screen shown by the handler (the welcome at first)
    AGAIN = "again"  # the current stage's screen again, in place
    BELOW = "below"  # the current stage's screen again, as a new panel at the bottom


Outcome = Stage | Move | int | None
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, Outcome]]
Renderer = Callable[[BotContext], Screen]
Step = Callable[[Update, BotContext], Awaitable[None]]


@dataclass(frozen=True)
class StageSpec:
    """One row of the stage table: how a stage looks, what entering it does, what it
    answers, and where it may lead."""

    render: Renderer
    buttons: Mapping[type[Callback], Handler] = field(default_factory=dict)
    messages: Sequence[tuple[filters.BaseFilter, Handler]] = ()
    enter: Step | None = None  # before its screen is shown
    after: Step | None = None  # after its screen (e.g. the location keyboard)
    new_panel: bool = False  # its screen goes below what `enter` sent
    asks: bool = True  # a question: typed text there is told to answer with the buttons
    leads_to: Collection[Stage] = ()  # where its handlers may go, besides `to(…)` buttons

    def targets(self) -> set[Stage]:
        """Every stage this one leads to (drawn in docs/journey.mmd)."""
        handlers = [*self.buttons.values(), *(h for _f, h in self.messages)]
        fixed = {h.target for h in handlers if isinstance(h, To)}
        return {s for s in fixed if isinstance(s, Stage)} | set(self.leads_to)


@dataclass(frozen=True)
class To:
    """A handler that only moves: to a stage (an edge of the table), back, or again."""

    target: Stage | Move

    async def __call__(self, update: Update, context: BotContext) -> Outcome:
        return self.target


def to(target: Stage | Move) -> To:
    """`To(target)`, as the table reads: `Next: to(Stage.REFERRAL)`."""
    return To(target)


async def count(context: BotContext, transition: Transition) -> None:
    """Hand the events of a transition to the counters, once where they say so."""
    session = context.session
    for event in not_yet_counted(counts(transition), session.journey.counted, session.counted):
        await context.counters.increment(event.metric, event.dim1, event.dim2)


class Flow:
    """Carries out what the handlers return, with the stage table."""

    def __init__(self, table: Mapping[Stage, StageSpec]) -> None:
        self.table = table

    def wrap(self, handler: Handler) -> Callable[[Update, BotContext], Coroutine[Any, Any, Any]]:
        """The handler as python-telegram-bot calls it: its outcome carried out."""

        @functools.wraps(handler)
        async def run(update: Update, context: BotContext) -> object:
            return await self.carry_out(update, context, await handler(update, context))

        return run

    async def carry_out(self, update: Update, context: BotContext, outcome: Outcome) -> object:
        """Go where the outcome says; return the ConversationHandler's next state."""
        session = context.session
        if isinstance(outcome, Stage):
            return await self.go(update, context, outcome)
        if outcome is Move.BACK:
            if session.history:
                session.stage = session.history.pop()
            return await self.show(update, context)
        if outcome is Move.STAY:
            session.stage = session.stage or Stage.WELCOME
            return session.stage
        if outcome is Move.AGAIN:
            return await self.show(update, context)
        if outcome is Move.BELOW:
            return await self.show(update, context, new=True)
        return outcome

    async def go(self, update: Update, context: BotContext, stage: Stage) -> Stage:
        """Forward to a stage: history, count, entry step, screen."""
        session = context.session
        if session.stage is not None and session.stage != stage:
            session.history.append(session.stage)
        session.stage = stage
        spec = self.table[stage]
        journey = session.journey
        await count(context, Entered(stage, journey.answers(), journey.timing))
        if spec.enter is not None:
            await spec.enter(update, context)
        new = spec.new_panel or update.callback_query is None
        await show(update, context, spec.render(context), new=new)
        if spec.after is not None:
            await spec.after(update, context)
        return stage

    async def show(self, update: Update, context: BotContext, *, new: bool = False) -> Stage:
        """The current stage's screen (the welcome when there is none yet)."""
        session = context.session
        session.stage = session.stage or Stage.WELCOME
        await show(update, context, self.table[session.stage].render(context), new=new)
        return session.stage
