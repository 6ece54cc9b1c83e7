"""A test double of the Telegram Bot API over HTTP, and a driver that acts as a person.

Used by the tests, the offline demo and ``python -m bot run`` pointed at it: the real
python-telegram-bot Application talks to :class:`BotApiDouble` exactly as it would to Telegram,
while :class:`Person` sends updates and reads what a person would see.
"""

from bot.botapi_double.group import GroupChat
from bot.botapi_double.person import Person
from bot.botapi_double.server import DEFAULT_TOKEN, BotApiDouble
from bot.botapi_double.shown import ShownDocument, ShownMessage
from bot.botapi_double.state import ApiCall

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "BotApiDouble",
    "GroupChat",
    "Person",
    "ShownDocument",
    "ShownMessage",
]
