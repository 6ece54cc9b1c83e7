"""The context every handler receives: the session, the services and the person's language."""

from __future__ import annotations

from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.communes import Communes
from bot.content import Content
from bot.counters import NOT_COUNTED, CounterStore, Counting
from bot.directory.model import Directory
from bot.directory.partners import Partners
from bot.i18n import Catalogs, Translator
from bot.outreach import Sources
from bot.session import Session
from bot.settings import Settings

T = TypeVar("T")


def _ready(value: T | None, what: str) -> T:
    if value is None:
        raise RuntimeError(f"{what} is used before the application has set it up")
    return value


class BotData:
    """Services shared by all handlers. python-telegram-bot creates it empty (it is the
    `bot_data` of CONTEXT_TYPES); `build_application` fills it in one `configure` call and
    the start opens the counters with `open`, so that every attribute always exists."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._content: Content | None = None
        self._catalogs: Catalogs | None = None
        self._partners: Partners | None = None
        self._sources: Sources | None = None
        self._counters: CounterStore | None = None
        self._communes: Communes | None = None
        # Group chats already told that the bot works in private only (memory only).
        self.groups_answered: set[int] = set()
        # The directory in service; None until one is imported (remote channels only).
        self.directory: Directory | None = None
        self.directory_stamp: int | None = None  # the file's mtime when it was loaded
        # INSEE codes of the configured territory (empty: territory not counted).
        self.territory: frozenset[str] = frozenset()

    def configure(
        self,
        *,
        settings: Settings,
        content: Content,
        catalogs: Catalogs,
        partners: Partners,
        sources: Sources,
        directory: Directory | None,
        directory_stamp: int | None,
    ) -> None:
        """Everything read from files, when the application is built."""
        self._settings, self._content, self._catalogs = settings, content, catalogs
        self._partners, self._sources = partners, sources
        self.directory, self.directory_stamp = directory, directory_stamp

    def open(self, counters: CounterStore, communes: Communes, territory: frozenset[str]) -> None:
        """What the start opens: the counters' database and the communes table."""
        self._counters, self._communes, self.territory = counters, communes, territory

    @property
    def settings(self) -> Settings:
        return _ready(self._settings, "the settings")

    @property
    def content(self) -> Content:
        return _ready(self._content, "the content")

    @property
    def catalogs(self) -> Catalogs:
        return _ready(self._catalogs, "the catalogs")

    @property
    def partners(self) -> Partners:
        return _ready(self._partners, "the partners")

    @property
    def sources(self) -> Sources:
        return _ready(self._sources, "the sources")

    @property
    def counters(self) -> CounterStore:
        return _ready(self._counters, "the counters")

    @property
    def communes(self) -> Communes:
        return _ready(self._communes, "the communes table")

    @property
    def counters_open(self) -> bool:
        """Whether the start opened the counters (a failed start may not have)."""
        return self._counters is not None


class BotContext(CallbackContext[ExtBot[None], Session, dict[Any, Any], BotData]):
    """CallbackContext with the person's session, services and translator."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self.telegram_language: str | None = None
        self._translator: Translator | None = None

    @classmethod
    def from_update(
        cls,
        update: object,
        application: Application[Any, Any, Any, Any, Any, Any],
    ) -> BotContext:
        """Remember the language Telegram reports, for people who did not pick one."""
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user is not None:
            context.telegram_language = update.effective_user.language_code
        return context

    @property
    def session(self) -> Session:
        """This person's in-memory session (a fresh one in a chat without a user)."""
        return self.user_data if self.user_data is not None else Session()

    @property
    def counters(self) -> Counting:
        """Where this conversation's events are counted: nowhere in practice mode, else
        through the conversation's contribution handle (it tells the store only that
        the increments come from one conversation, so that a write mixes several)."""
        session = self.session
        if session.practice:
            return NOT_COUNTED
        store = self.bot_data.counters
        if session.contribution is None or not session.contribution.belongs_to(store):
            session.contribution = store.contribution()
        return session.contribution

    @property
    def language(self) -> str:
        """The language chosen in this conversation, else Telegram's, else the default."""
        return self.bot_data.catalogs.pick(self.session.language, self.telegram_language)

    @property
    def t(self) -> Translator:
        """Gettext functions in this person's language."""
        if self._translator is None or self._translator.language != self.language:
            self._translator = self.bot_data.catalogs.translator(self.language)
        return self._translator

    def _(self, message: str) -> str:
        """Translate a msgid for this person."""
        return self.t.gettext(message)


CONTEXT_TYPES = ContextTypes(context=BotContext, user_data=Session, bot_data=BotData)
