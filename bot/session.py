"""What the bot remembers of one conversation: in memory only, gone when it ends.

python-telegram-bot creates one `Session` per user (`ContextTypes(user_data=Session)`);
nothing here is ever persisted. The answers are art. 9 GDPR data (origin, religion,
health…): they live only as long as the conversation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.content import Answers
from bot.states import Stage


@dataclass
class Journey:
    """The answers of one run through the questions."""

    speaker: str | None = None
    domain: str | None = None
    situation: str | None = None
    criteria: set[str] = field(default_factory=set)
    timing: str | None = None
    evidence: set[str] = field(default_factory=set)
    narrative: str = ""
    rights_page: int = 0
    rights_more: bool = False
    useful: str | None = None
    nearest: str = ""  # the first permanence proposed, for the summary
    territory_counted: bool = False
    steps_counted: set[str] = field(default_factory=set)
    answers_counted: bool = False

    def answers(self) -> Answers:
        """The answers content passages are selected on."""
        return Answers(
            domain=self.domain,
            situation=self.situation,
            criteria=frozenset(self.criteria),
            speaker=self.speaker,
            evidence=frozenset(self.evidence),
        )

    @property
    def about_someone_else(self) -> bool:
        """Witnesses and helpers read about "the person", not "you"."""
        return self.speaker in {"witness", "helper"}


@dataclass
class Session:
    """One person's conversation with the bot."""

    language: str | None = None
    stage: Stage | None = None
    history: list[Stage] = field(default_factory=list)
    journey: Journey = field(default_factory=Journey)
    panel_id: int | None = None  # the message that shows the current question
    message_ids: list[int] = field(default_factory=list)  # for /effacer, both directions
    source_counted: bool = False
    practice: bool = False  # staff training: same journey, nothing counted
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
