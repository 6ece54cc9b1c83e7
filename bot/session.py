"""What the bot remembers of one conversation: in memory only, gone when it ends.

python-telegram-bot creates one `Session` per user (`ContextTypes(user_data=Session)`);
nothing here is ever persisted. The answers are art. 9 GDPR data (origin, religion,
health…): they live only as long as the conversation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.content import Answers
from bot.counters import Contribution
from bot.directory.model import Match, Permanence
from bot.directory.partners import Partner
from bot.states import Stage


@dataclass
class Journey:
    """The answers of one run through the questions."""

    speaker: str | None = None
    domain: str | None = None
    situation: str | None = None
    employer: str | None = None  # work only: public, private or unsure
    criteria: set[str] = field(default_factory=set)
    timing: str | None = None
    evidence: set[str] = field(default_factory=set)
    narrative: str = ""
    rights_page: int = 0
    rights_more: bool = False
    rights_sources: bool = False  # the page's list of sources is on screen
    useful: str | None = None
    # The referral's last answer (public data; the place searched stays in memory only):
    places: tuple[Match, ...] = ()  # the permanences proposed, best first
    partners: tuple[Partner, ...] = ()  # the local partners proposed with them
    place_name: str = ""  # the commune (or "your position") they were found for
    chosen: int = 0  # the permanence the person keeps for the summary (index in places)
    results_shown: bool = False  # the referral screen is the answer, not the question
    quick: bool = False  # came straight from the welcome ("find help near me")
    summary_sent: bool = False  # the end screen then speaks of keeping it
    counted: set[str] = field(default_factory=set)  # bot/metrics.py's "once" keys

    def answers(self) -> Answers:
        """The answers content passages are selected on."""
        return Answers(
            domain=self.domain,
            situation=self.situation,
            criteria=frozenset(self.criteria),
            speaker=self.speaker,
            evidence=frozenset(self.evidence),
            employer=self.employer if self.domain == "work" else None,
        )

    @property
    def place(self) -> Permanence | None:
        """The permanence for the summary: the one chosen, else the first proposed."""
        if not self.places:
            return None
        return self.places[min(self.chosen, len(self.places) - 1)].permanence

    @property
    def about_someone_else(self) -> bool:
        """Witnesses and helpers read about "the person", not "you"."""
        return self.speaker in {"witness", "helper"}


@dataclass
class Session:
    """One person's conversation with the bot."""

    language: str | None = None
    stage: Stage | None = None  # written by handlers/flow.py only (cleared by new_journey)
    history: list[Stage] = field(default_factory=list)
    journey: Journey = field(default_factory=Journey)
    panel_id: int | None = None  # the message that shows the current question
    message_ids: list[int] = field(default_factory=list)  # for /effacer, both directions
    counted: set[str] = field(default_factory=set)  # bot/metrics.py's "once" keys
    practice: bool = False  # staff training: same journey, nothing counted
    # The handle this conversation counts through (memory only, no identifier in it).
    contribution: Contribution | None = field(default=None, repr=False, compare=False)
    answered_query: str | None = None  # the button press already answered (one answer each)
    panel_shown: tuple[int, str, object] | None = None  # (panel id, text, markup) on screen
    seen: float = field(default_factory=time.monotonic)  # last update, in memory only

    def new_journey(self) -> None:
        """Forget the answers; keep the language and the messages still to erase."""
        self.journey = Journey()
        self.stage = None
        self.history.clear()

    def remember_message(self, message_id: int) -> None:
        """Note a message of this chat, to delete it on request."""
        if message_id not in self.message_ids:
            self.message_ids.append(message_id)
