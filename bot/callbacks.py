"""The one schema of callback data: `j1|action|value`.

Buttons carry content ids only, never anything a person typed. The data is plain text,
so a button still parses after a restart; a button whose conversation is gone, or forged
data, is answered by the catch-all handler. `pack` refuses data over Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

PREFIX = "j1"
MAX_BYTES = 64
_VALUE = re.compile(r"^[a-z0-9_]{0,40}$")


class Action(StrEnum):
    """What a button does; the value says which choice."""

    START = "start"  # a new journey from the welcome screen
    BEGIN = "begin"  # from the welcome screen to the first question
    INFO = "info"  # an information screen: what_is, emergency, help, language
    LANG = "lang"  # pick a language
    SPEAKER = "spk"
    DOMAIN = "dom"
    SITUATION = "sit"
    EMPLOYER = "emp"  # public or private employer (work only)
    CRITERION = "crit"  # toggle a criterion group
    WHEN = "when"
    EVIDENCE = "ev"  # toggle an evidence kind
    DONE = "done"  # confirm a multiple choice, or skip the free text
    PAGE = "page"  # move in the rights pages
    MORE = "more"  # show or hide "more" on a rights page
    SOURCES = "src"  # show or hide the sources of a rights page
    NEXT = "next"  # go on to the next stage
    BACK = "back"
    HELP = "help"
    EXIT = "exit"  # the end screen
    ERASE = "erase"
    USEFUL = "useful"
    COMMUNE = "commune"  # a commune picked among several (INSEE code)
    SEARCH = "search"  # look for another commune ("none": none of the names proposed)
    PLACE = "place"  # a permanence proposed: details (N), venue (map_N), keep it (pick_N)
    NEARBY = "nearby"  # the welcome's "find help near me": straight to the referral
    STATS = "stats"  # coordinators: period, or period__breakdown


@dataclass(frozen=True)
class Button:
    """The data behind one inline button."""

    action: Action
    value: str = ""

    def pack(self) -> str:
        """Encode for Telegram; raise ValueError when invalid or over 64 bytes."""
        if not _VALUE.match(self.value):
            raise ValueError(f"callback value {self.value!r} is not a content id")
        data = f"{PREFIX}|{self.action.value}|{self.value}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
        return data

    @classmethod
    def parse(cls, data: object) -> Button | None:
        """Decode data from Telegram; None for anything not made by `pack`."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            return None
        parts = data.split("|")
        if len(parts) != 3 or parts[0] != PREFIX or not _VALUE.match(parts[2]):
            return None
        try:
            return cls(Action(parts[1]), parts[2])
        except ValueError:
            return None


def matches(*actions: Action) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern accepting well-formed data for these actions."""

    def check(data: object) -> bool:
        button = Button.parse(data)
        return button is not None and button.action in actions

    return check
