"""Assembles the handlers: the journey's state table reads on one screen here.

Groups, in the order python-telegram-bot runs them:
  -1  bookkeeping: refuse group chats (stops the update), note incoming message ids;
   0  the journey's ConversationHandler, then what works outside a journey;
   1  safety net: answer any button press left unanswered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.callbacks import Action, matches
from bot.context import BotContext
from bot.states import Stage
from bot.update_processor import PerChatUpdateProcessor
from handlers import (
    commands,
    coordinator,
    criteria,
    employer,
    erase,
    evidence,
    fallback,
    narrative,
    referral,
    rights,
    situation,
    speaker,
    start,
    summary,
    timing,
)
from handlers.conversation import JourneyConversation

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]
PRIVATE = filters.ChatType.PRIVATE
NEW_MESSAGE = PRIVATE & filters.UpdateType.MESSAGE


def on(callback: Callback, *actions: Action) -> CallbackQueryHandler[BotContext, Any]:
    """A button handler for well-formed data of these actions."""
    return CallbackQueryHandler(callback, pattern=matches(*actions))


def command(name: str, callback: Callback) -> CommandHandler[BotContext, Any]:
    """A command in a new message of a private chat (an old message edited into a command
    is never carried out: the bot says it does not read edited messages)."""
    return CommandHandler(name, callback, filters=NEW_MESSAGE)


def journey(timeout: timedelta) -> JourneyConversation:
    """The resident journey (steps 1–12 of docs/product.md, drawn in docs/journey.mmd)."""
    always: list[BaseHandler[Update, BotContext, Any]] = [
        command("start", start.start),
        command("entrainement", start.start),
        on(start.start, Action.START),
        command("aide", commands.show_help),
        on(commands.show_help, Action.HELP),
        command("urgence", commands.show_emergency),
        on(commands.show_info, Action.INFO),
        command("langue", commands.show_languages),
        on(commands.show_languages, Action.LANG),
        command("effacer", erase.erase),
        on(erase.erase, Action.ERASE),
        on(commands.go_back, Action.BACK),
        on(commands.leave, Action.EXIT),
    ]
    return JourneyConversation(
        name="journey",
        entry_points=[
            *always,
            MessageHandler(NEW_MESSAGE & ~filters.COMMAND, start.start),
        ],
        states={
            Stage.WELCOME: [on(start.begin, Action.BEGIN), on(start.nearby, Action.NEARBY)],
            Stage.SPEAKER: [on(speaker.choose_speaker, Action.SPEAKER)],
            Stage.DOMAIN: [on(situation.choose_domain, Action.DOMAIN)],
            Stage.SITUATION: [on(situation.choose_situation, Action.SITUATION)],
            Stage.EMPLOYER: [on(employer.choose_employer, Action.EMPLOYER)],
            Stage.CRITERIA: [
                on(criteria.toggle_criterion, Action.CRITERION),
                on(criteria.confirm_criteria, Action.DONE),
            ],
            Stage.WHEN: [on(timing.choose_timing, Action.WHEN)],
            Stage.EVIDENCE: [
                on(evidence.toggle_evidence, Action.EVIDENCE),
                on(evidence.confirm_evidence, Action.DONE),
            ],
            Stage.NARRATIVE: [
                MessageHandler(
                    NEW_MESSAGE & filters.TEXT & ~filters.COMMAND, narrative.receive_text
                ),
                on(narrative.skip, Action.DONE),
            ],
            Stage.RIGHTS: [
                on(rights.turn_page, Action.PAGE),
                on(rights.toggle_more, Action.MORE),
                on(rights.toggle_sources, Action.SOURCES),
                on(rights.to_referral, Action.NEXT),
            ],
            Stage.REFERRAL: [
                MessageHandler(NEW_MESSAGE & filters.LOCATION, referral.by_location),
                MessageHandler(NEW_MESSAGE & filters.TEXT & ~filters.COMMAND, referral.by_text),
                on(referral.by_commune, Action.COMMUNE),
                on(referral.search_again, Action.SEARCH),
                on(referral.on_place, Action.PLACE),
                on(start.begin, Action.BEGIN),  # into the questions, after the short way
                on(referral.to_summary, Action.NEXT),
            ],
            Stage.END: [on(summary.useful, Action.USEFUL)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, fallback.timed_out)],
        },
        fallbacks=[
            *always,
            CallbackQueryHandler(fallback.stale_in_conversation),
            MessageHandler(PRIVATE, fallback.wrong_input),
        ],
        conversation_timeout=timeout,
    )


def register(
    application: Application[Any, BotContext, Any, Any, Any, Any],
    timeout: timedelta,
    coordinator_ids: tuple[int, ...],
) -> None:
    """Add every handler to the application, in order (order matters)."""
    processor = application.update_processor
    if isinstance(processor, PerChatUpdateProcessor):
        processor.on_flood = functools.partial(fallback.flood_notice, application)
    application.add_handler(TypeHandler(Update, fallback.not_private), group=-3)
    application.add_handler(TypeHandler(Update, fallback.note_incoming), group=-2)
    # Coordinators' commands match only their ids: for anyone else they are unknown commands.
    staff = NEW_MESSAGE & filters.User(user_id=list(coordinator_ids), allow_empty=False)
    application.add_handlers(
        [
            CommandHandler("stats", coordinator.stats_command, filters=staff),
            CommandHandler("lien", coordinator.link_command, filters=staff),
            on(coordinator.stats_button, Action.STATS),
        ],
        group=-1,
    )
    application.add_handlers(
        [
            journey(timeout),
            on(erase.erase, Action.ERASE),
            command("effacer", erase.erase),
            CallbackQueryHandler(fallback.expired),
            MessageHandler(NEW_MESSAGE & filters.COMMAND, fallback.unknown_command),
            MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, fallback.wrong_input),
        ],
        group=0,
    )
    application.add_handler(TypeHandler(Update, fallback.answer_leftover), group=1)
