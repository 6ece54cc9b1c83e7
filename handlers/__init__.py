"""Assembles the handlers. `STAGES` is the journey on one screen: for each stage, its
screen, what entering it does, the buttons and messages it answers and where it leads;
the ConversationHandler's states are built from it, and handlers/flow.py carries out the
moves. Stage modules never import each other: a handler returns where to go.

Groups, in the order python-telegram-bot runs them:
  -3  refuse group chats (stops the update);
  -2  note incoming message ids (for /effacer);
  -1  coordinators' commands and buttons (their ids only);
   0  the journey's ConversationHandler, then what works outside a journey;
   1  safety net: answer any button press left unanswered.
"""

from __future__ import annotations

import functools
import warnings
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
from telegram.warnings import PTBUserWarning

from bot import callbacks as cb
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
from handlers.flow import Flow, Handler, Move, StageSpec, to

TelegramCallback = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]
PRIVATE = filters.ChatType.PRIVATE
NEW_MESSAGE = PRIVATE & filters.UpdateType.MESSAGE
TYPED = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
LOCATION = NEW_MESSAGE & filters.LOCATION


# The journey, one row per stage (steps 1–12 of docs/product.md, drawn in docs/journey.mmd):
# its screen, what entering it does, the buttons and messages it answers, where it leads.
STAGES: dict[Stage, StageSpec] = {
    Stage.WELCOME: StageSpec(
        start.welcome_screen,
        asks=False,
        buttons={cb.Begin: to(Stage.SPEAKER), cb.Nearby: start.nearby},
        leads_to={Stage.REFERRAL},
    ),
    Stage.SPEAKER: StageSpec(
        speaker.speaker_screen,
        buttons={cb.Speaker: speaker.choose_speaker},
        leads_to={Stage.DOMAIN},
    ),
    Stage.DOMAIN: StageSpec(
        situation.domain_screen,
        buttons={cb.Domain: situation.choose_domain},
        leads_to={Stage.SITUATION, Stage.CRITERIA},
    ),
    Stage.SITUATION: StageSpec(
        situation.situation_screen,
        buttons={cb.Situation: situation.choose_situation},
        leads_to={Stage.EMPLOYER, Stage.CRITERIA},
    ),
    Stage.EMPLOYER: StageSpec(
        employer.employer_screen,
        buttons={cb.Employer: employer.choose_employer},
        leads_to={Stage.CRITERIA},
    ),
    Stage.CRITERIA: StageSpec(
        criteria.criteria_screen,
        buttons={cb.Criterion: criteria.toggle_criterion, cb.Done: criteria.confirm_criteria},
        leads_to={Stage.WHEN},
    ),
    Stage.WHEN: StageSpec(
        timing.timing_screen, buttons={cb.When: timing.choose_timing}, leads_to={Stage.EVIDENCE}
    ),
    Stage.EVIDENCE: StageSpec(
        evidence.evidence_screen,
        buttons={cb.Evidence: evidence.toggle_evidence, cb.Done: evidence.confirm_evidence},
        leads_to={Stage.NARRATIVE},
    ),
    Stage.NARRATIVE: StageSpec(
        narrative.narrative_screen,
        buttons={cb.Done: to(Stage.RIGHTS)},
        messages=[(TYPED, narrative.receive_text)],
        leads_to={Stage.RIGHTS},
    ),
    Stage.RIGHTS: StageSpec(
        rights.rights_screen,
        asks=False,
        enter=rights.first_page,  # and bot/metrics.py counts the answers, once
        buttons={
            cb.Page: rights.turn_page,
            cb.More: rights.toggle_more,
            cb.Sources: rights.toggle_sources,
            cb.Next: to(Stage.REFERRAL),
        },
    ),
    Stage.REFERRAL: StageSpec(
        referral.referral_screen,
        enter=referral.ask_again,
        after=referral.offer_location,
        buttons={
            cb.Commune: referral.by_commune,
            cb.Search: referral.search_again,
            cb.Place: referral.on_place,
            cb.Partners: referral.on_partners,
            cb.Begin: to(Stage.SPEAKER),  # into the questions, after the short way
            cb.Next: to(Stage.SUMMARY),
        },
        messages=[(LOCATION, referral.by_location), (TYPED, referral.by_text)],
    ),
    Stage.SUMMARY: StageSpec(
        summary.end_screen,  # below the summary, which entering it sends
        asks=False,
        enter=summary.send_summary,
        new_panel=True,
        buttons={cb.Useful: summary.useful},
    ),
    Stage.END: StageSpec(summary.end_screen, asks=False, buttons={cb.Useful: summary.useful}),
}
# Anywhere in the journey, and to start one.
ALWAYS: dict[type[cb.Callback], Handler] = {
    cb.Start: start.start,
    cb.Help: commands.show_help,
    cb.Info: commands.show_info,
    cb.WhatIs: commands.show_info,
    cb.Channel: commands.show_info,
    cb.Languages: commands.show_languages,
    cb.Language: commands.pick_language,
    cb.Erase: erase.erase,
    cb.Back: to(Move.BACK),
    cb.Resume: to(Move.AGAIN),  # from an information screen
    cb.Exit: to(Stage.END),
}
COMMANDS: dict[str, Handler] = {
    "start": start.start,
    "entrainement": start.start,
    "aide": commands.show_help,
    "urgence": commands.show_emergency,
    "langue": commands.show_languages,
    "effacer": erase.erase,
}


def on(
    callback: TelegramCallback, *kinds: type[cb.Callback]
) -> CallbackQueryHandler[BotContext, Any]:
    """A button handler for well-formed data of these kinds."""
    return CallbackQueryHandler(callback, pattern=cb.matches(*kinds))


def command(name: str, callback: TelegramCallback) -> CommandHandler[BotContext, Any]:
    """A command in a new message of a private chat (an old message edited into a command
    is never carried out: the bot says it does not read edited messages)."""
    return CommandHandler(name, callback, filters=NEW_MESSAGE)


def journey(timeout: timedelta) -> JourneyConversation:
    """The resident journey, built from STAGES: each stage's buttons and messages are its
    state's handlers, and `Flow` carries out where they lead."""
    flow = Flow(STAGES)
    wrap = flow.wrap
    always: list[BaseHandler[Update, BotContext, Any]] = [
        *(command(name, wrap(callback)) for name, callback in COMMANDS.items()),
        *(on(wrap(callback), kind) for kind, callback in ALWAYS.items()),
    ]
    states: dict[object, list[BaseHandler[Update, BotContext, Any]]] = {
        stage: [
            *(MessageHandler(filter_, wrap(callback)) for filter_, callback in spec.messages),
            *(on(wrap(callback), kind) for kind, callback in spec.buttons.items()),
        ]
        for stage, spec in STAGES.items()
    }
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, fallback.timed_out)]
    first = MessageHandler(NEW_MESSAGE & ~filters.COMMAND, wrap(start.start))
    questions = frozenset(stage for stage, spec in STAGES.items() if spec.asks)
    wrong_input = functools.partial(fallback.wrong_input, questions=questions)
    with warnings.catch_warnings():
        # Buttons and messages in one conversation, tracked per chat and user (not per
        # message) on purpose: python-telegram-bot warns about that mix.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return JourneyConversation(
            name="journey",
            entry_points=[*always, first],
            states=states,
            fallbacks=[
                *always,
                CallbackQueryHandler(wrap(fallback.stale_in_conversation)),
                MessageHandler(PRIVATE, wrap(wrong_input)),
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
            on(coordinator.stats_button, cb.Periods, cb.OtherPeriods, cb.Stats, cb.Figures),
        ],
        group=-1,
    )
    application.add_handlers(
        [
            journey(timeout),
            CallbackQueryHandler(fallback.expired),
            MessageHandler(NEW_MESSAGE & filters.COMMAND, fallback.unknown_command),
            MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, fallback.edited),
        ],
        group=0,
    )
    application.add_handler(TypeHandler(Update, fallback.answer_leftover), group=1)
