"""Moving through the journey: forward, back, and showing the current stage again.

Each stage module registers a renderer with `screen`. The session keeps a history of
stages so that "back" returns to the screen the person actually came from (the
situation question is skipped for domains that have none).
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.context import BotContext
from bot.counters import Metric
from bot.states import Stage
from handlers.ui import Screen, show

Renderer = Callable[[BotContext], Screen]
_RENDERERS: dict[Stage, Renderer] = {}


def screen(stage: Stage) -> Callable[[Renderer], Renderer]:
    """Register the function that draws a stage."""

    def register(render: Renderer) -> Renderer:
        _RENDERERS[stage] = render
        return render

    return register


def render(stage: Stage, context: BotContext) -> Screen:
    """Draw a stage for this person."""
    return _RENDERERS[stage](context)


async def count_step(context: BotContext, stage: Stage) -> None:
    """Count a funnel step once per journey."""
    journey = context.session.journey
    if stage.value not in journey.steps_counted:
        journey.steps_counted.add(stage.value)
        await context.counters.increment(Metric.STEP, stage.value)


async def go(update: Update, context: BotContext, stage: Stage, *, new: bool = False) -> Stage:
    """Move forward to a stage and show it."""
    session = context.session
    if session.stage is not None and session.stage != stage:
        session.history.append(session.stage)
    session.stage = stage
    await count_step(context, stage)
    await show(update, context, render(stage, context), new=new)
    return stage


async def back(update: Update, context: BotContext) -> Stage:
    """Return to the previous stage (or stay on the first one)."""
    session = context.session
    if session.history:
        session.stage = session.history.pop()
    stage = session.stage or Stage.WELCOME
    session.stage = stage
    await show(update, context, render(stage, context))
    return stage


async def redisplay(update: Update, context: BotContext, *, new: bool = False) -> Stage:
    """Show the current stage again (after help, a language change or a wrong input)."""
    stage = context.session.stage or Stage.WELCOME
    context.session.stage = stage
    await show(update, context, render(stage, context), new=new)
    return stage
