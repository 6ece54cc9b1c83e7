"""The rights pages for one journey: what the law says, what can be done, by when, and
what to gather. Pure selection over the content; handlers only render it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Content, Passage
from bot.deadlines import DeadlineStatus, status
from bot.session import Journey


@dataclass(frozen=True)
class RightsPage:
    """One page: a passage, its section and, for a delay, where the person stands."""

    section: str  # law, not_discrimination, route, deadline, evidence_advice
    passage: Passage
    deadline: DeadlineStatus | None = None


def has_legal_criterion(content: Content, journey: Journey) -> bool:
    """True when at least one chosen reason is a criterion of the law."""
    legal = {g.id for g in content.criterion_groups if g.legal}
    return bool(journey.criteria & legal)


def rights_pages(content: Content, journey: Journey) -> list[RightsPage]:
    """The pages that apply to these answers, in reading order."""
    answers = journey.answers()
    timing = next((t for t in content.timings if t.id == journey.timing), None)
    pages: list[RightsPage] = []
    if has_legal_criterion(content, journey):
        pages += [RightsPage("law", p) for p in content.laws if p.applies(answers)]
    else:
        pages += [
            RightsPage("not_discrimination", p)
            for p in content.not_discrimination
            if p.applies(answers)
        ]
    pages += [RightsPage("route", p) for p in content.routes if p.applies(answers)]
    pages += [
        RightsPage("deadline", p, status(timing, p.years) if p.years else None)
        for p in content.deadlines
        if p.applies(answers)
    ]
    pages += [
        RightsPage("evidence_advice", p) for p in content.evidence_advice if p.applies(answers)
    ]
    return pages
