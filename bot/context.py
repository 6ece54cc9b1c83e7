"""The context every handler receives: the session, the services and the person's language."""

from __future__ import annotations

from typing import Any, Generic, TypeVar, cast

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


class SetUp(Generic[T]):
    """A service of BotData, set once by `configure` or `open`; reading it before is a
    mistake in the start-up code, said in words rather than as an AttributeError."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, data: object, owner: type | None = None) -> T:
        if self.name not in vars(data):
            raise RuntimeError(f"bot_data.{self.name} is read before the start has set it")
        return cast(T, vars(data)[self.name])

    def __set__(self, data: object, value: T) -> None:
        vars(data)[self.name] = value


class BotData:
    """Services shared by all handlers. python-telegram-bot creates it empty (it is the
    `bot_data` of CONTEXT_TYPES); `build_application` fills it in one `configure` call and
    the start opens the counters with `open`."""

    settings: SetUp[Settings] = SetUp()
    content: SetUp[Content] = SetUp()
    catalogs: SetUp[Catalogs] = SetUp()
    partners: SetUp[Partners] = SetUp()
    sources: SetUp[Sources] = SetUp()
    counters: SetUp[CounterStore] = SetUp()
    communes: SetUp[Communes] = SetUp()

    def __init__(self) -> None:
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
        self.settings, self.content, self.catalogs = settings, content, catalogs
        self.partners, self.sources = partners, sources
        self.directory, self.directory_stamp = directory, directory_stamp

    def open(self, counters: CounterStore, communes: Communes, territory: frozenset[str]) -> None:
        """What the start opens: the counters' database and the communes table."""
        self.counters, self.communes, self.territory = counters, communes, territory

    @property
    def counters_open(self) -> bool:
        """Whether the start opened the counters (a failed start may not have)."""
        return "counters" in vars(self)


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
