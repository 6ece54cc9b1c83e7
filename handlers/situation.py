"""Stage 4: where it happened (domain) and, where the law distinguishes, the situation.

Exits: the situation question (domains that have situations), then the employer question
(work only, handlers/employer.py), then the criteria.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Domain, Situation
from bot.content import Option
from bot.context import BotContext
from bot.i18n import N_
from bot.states import Stage
from handlers.choices import chosen, single_choice
from handlers.ui import Screen

OTHER_SITUATION = Option(id="unsure", label=N_("Autre, ou je ne sais pas"))


def domain_screen(context: BotContext) -> Screen:
    """The domains, in the words of the person's perspective."""
    _ = context._
    question = (
        _("Où est-ce arrivé à la personne ?")
        if context.session.journey.about_someone_else
        else _("Où est-ce que cela vous est arrivé ?")
    )
    return single_choice(context, question, context.bot_data.content.domains, Domain)


def situation_screen(context: BotContext) -> Screen:
    """The kinds of situation of the chosen domain."""
    _ = context._
    domain = context.bot_data.content.domain(context.session.journey.domain)
    options = (*domain.situations, OTHER_SITUATION) if domain else (OTHER_SITUATION,)
    label = _(domain.label) if domain else ""
    question = _("%(domain)s : quelle situation ?") % {"domain": label}
    return single_choice(context, question, options, Situation)


async def choose_domain(update: Update, context: BotContext) -> Stage | None:
    """Record the domain; ask the situation when the domain has any."""
    content = context.bot_data.content
    domain = content.domain(await chosen(update, context, Domain, content.domains))
    if domain is None:
        return None
    journey = context.session.journey
    if journey.domain != domain.id:
        journey.situation = None
        journey.employer = None
    journey.domain = domain.id
    return Stage.SITUATION if domain.situations else Stage.CRITERIA


async def choose_situation(update: Update, context: BotContext) -> Stage | None:
    """Record the situation, then ask why."""
    domain = context.bot_data.content.domain(context.session.journey.domain)
    options = (*domain.situations, OTHER_SITUATION) if domain else ()
    situation = await chosen(update, context, Situation, options)
    if situation is None:
        return None
    context.session.journey.situation = situation
    return Stage.EMPLOYER if context.session.journey.domain == "work" else Stage.CRITERIA
