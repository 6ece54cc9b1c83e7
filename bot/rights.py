"""The rights pages for one journey: what the law says, what can be done, by when, and
what to gather. Pure selection over the content; handlers only render it.

Without a reason of the law ("Je ne sais pas / autre raison"), the law pages give way to
the kind explanation, and passages marked `legal = true` (criminal complaint, victims'
rights, criminal and discrimination delays…) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.content import Answers, Content, Passage, Timing
from bot.deadlines import DeadlineStatus, status
from bot.session import Journey


@dataclass(frozen=True)
class RightsPage:
    """One page: a passage, its section and, for a delay, where the person stands."""

    section: str  # law, not_discrimination, route, deadline, evidence_advice
    passage: Passage
    deadline: DeadlineStatus | None = None


@dataclass(frozen=True)
class Delay:
    """A delay that applies to the journey, and where the person stands against it."""

    passage: Passage
    months: int
    status: DeadlineStatus


def has_legal_criterion(content: Content, journey: Journey) -> bool:
    """True when at least one chosen reason is a criterion of the law."""
    legal = {g.id for g in content.criterion_groups if g.legal}
    return bool(journey.criteria & legal)


def journey_answers(content: Content, journey: Journey) -> Answers:
    """The answers passages are selected on, with whether a reason of the law was chosen."""
    return replace(journey.answers(), legal=has_legal_criterion(content, journey))


def journey_timing(content: Content, journey: Journey) -> Timing | None:
    """The period the person answered, or None."""
    return next((t for t in content.timings if t.id == journey.timing), None)


def delays(content: Content, journey: Journey) -> list[Delay]:
    """Every delay that applies, shortest first, each with its status."""
    answers = journey_answers(content, journey)
    timing = journey_timing(content, journey)
    found = [
        Delay(p, p.months, status(timing, p.months))
        for p in content.deadlines
        if p.months is not None and p.applies(answers)
    ]
    return sorted(found, key=lambda d: d.months)  # stable: file order among equals


def rights_pages(content: Content, journey: Journey) -> list[RightsPage]:
    """The pages that apply to these answers, in reading order (delays shortest first,
    then the notes)."""
    answers = journey_answers(content, journey)
    pages: list[RightsPage] = []
    if answers.legal:
        pages += [RightsPage("law", p) for p in content.laws if p.applies(answers)]
    else:
        pages += [
            RightsPage("not_discrimination", p)
            for p in content.not_discrimination
            if p.applies(answers)
        ]
    pages += [RightsPage("route", p) for p in content.routes if p.applies(answers)]
    pages += [RightsPage("deadline", d.passage, d.status) for d in delays(content, journey)]
    pages += [
        RightsPage("deadline", p)
        for p in content.deadlines
        if p.months is None and p.applies(answers)
    ]
    pages += [
        RightsPage("evidence_advice", p) for p in content.evidence_advice if p.applies(answers)
    ]
    return pages
