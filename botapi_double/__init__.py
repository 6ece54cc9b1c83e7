"""A test double of the Telegram Bot API over HTTP, and a driver that acts as a person.

Used by the tests, the offline demo (``demo.py``), the load benchmark, and on its own
(``python -m botapi_double serve``, ``standalone.py``) for ``python -m bot run`` pointed at it:
the real python-telegram-bot Application talks to :class:`BotApiDouble` exactly as it would
to Telegram, while :class:`Person` sends updates and reads what a person would see. It is a
top-level package of the repository, not part of the product wheel.
"""

from botapi_double.group import GroupChat
from botapi_double.person import Person
from botapi_double.server import DEFAULT_TOKEN, BotApiDouble
from botapi_double.shown import ShownDocument, ShownMessage
from botapi_double.state import ApiCall

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "BotApiDouble",
    "GroupChat",
    "Person",
    "ShownDocument",
    "ShownMessage",
]
