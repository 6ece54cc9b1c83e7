"""The one place that builds the Application: builder, defaults, context types, handlers,
error handler, and the services opened at start and closed at stop."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import HTTPXRequest

from bot.communes import Communes
from bot.content import default_content
from bot.context import CONTEXT_TYPES, BotContext
from bot.counters import CounterStore
from bot.directory.partners import load_partners
from bot.directory.store import DirectoryError
from bot.directory.store import load as load_directory
from bot.directory.upkeep import schedule_daily_sync
from bot.i18n import N_, Catalogs
from bot.logs import error_origin
from bot.outreach import load_sources
from bot.settings import Settings
from bot.telegram_bot import TELEGRAM_API_URL, TelegramBot
from bot.update_processor import PerChatUpdateProcessor
from handlers import register
from handlers.coordinator import monthly_digest
from handlers.fallback import forget_idle_sessions
from handlers.ui import ack

if TYPE_CHECKING:  # aiohttp, under bot.webhook, is an extra that only webhook mode needs
    from bot.webhook import WebhookServer

log = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]

COMMANDS = (
    ("start", N_("Commencer ou recommencer")),
    ("aide", N_("Comment ça marche")),
    ("urgence", N_("Numéros d'urgence")),
    ("langue", N_("Changer de langue")),
    ("effacer", N_("Effacer la conversation")),
)
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
DIRECTORY_CHECK_SECONDS = 300
SESSION_SWEEP_SECONDS = 60
HEARTBEAT_SECONDS = 20
DAILY_SYNC_AT = time(4, 30)
STAFF_COMMANDS = (
    ("stats", N_("Chiffres anonymes (coordination)")),
    ("lien", N_("Lien et code QR d'une source")),
)
ERROR_TEXT = N_("Désolé, un problème est survenu de notre côté. Réessayez, ou envoyez /start.")


def file_url(base_url: str) -> str:
    """The file URL that goes with a Bot API base URL (…/bot → …/file/bot)."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if head else base_url


def build_application(settings: Settings, token: str | None = None) -> BotApplication:
    """Build the bot; `token` overrides the settings' (the offline demo uses its own)."""
    bot_token = token or settings.token
    if not bot_token:
        raise ValueError("a bot token is needed to build the application")
    # The bot is built here, not by the builder, to be a TelegramBot (one retry for calls
    # that are safe to repeat, unreadable updates skipped); it gets what the builder would
    # give it: 256 pooled connections for calls, 1 for getUpdates.
    base_url = settings.telegram_api_base_url or TELEGRAM_API_URL
    telegram_bot = TelegramBot(
        bot_token,
        base_url=base_url,
        base_file_url=file_url(base_url),
        defaults=Defaults(
            parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
        rate_limiter=AIORateLimiter(max_retries=2),
        request=HTTPXRequest(
            connection_pool_size=256, read_timeout=settings.telegram_timeout_seconds
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )
    builder = (
        ApplicationBuilder()
        .bot(telegram_bot)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerChatUpdateProcessor(settings.concurrent_updates))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    application: BotApplication = builder.build()
    content = default_content()
    path = settings.directory_path
    application.bot_data.configure(
        settings=settings,
        content=content,
        catalogs=Catalogs(settings.locales_dir, settings.default_language),
        partners=load_partners(settings.partners_path, {d.id for d in content.domains}),
        sources=load_sources(settings.sources_path),
        directory=load_directory(path),
        directory_stamp=path.stat().st_mtime_ns if path.exists() else None,
    )
    register(
        application,
        timedelta(minutes=settings.conversation_timeout_minutes),
        settings.coordinator_ids,
    )
    application.add_error_handler(_on_error)
    return application


async def _post_init(application: BotApplication) -> None:
    """Open the counters, schedule their flush, publish the commands in each language."""
    data = application.bot_data
    settings = data.settings
    counters = await CounterStore.open(
        settings.database_path,
        settings.zone,
        settings.counter_flush_seconds,
        settings.counter_min_batch,
    )
    communes = Communes.load()
    data.open(counters, communes, territory_codes(settings, communes))
    if data.directory is None:
        log.warning("no directory: only remote channels; see `python -m bot directory`")
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _reload_directory, interval=DIRECTORY_CHECK_SECONDS, name="reload-directory"
        )
        timeout = settings.conversation_timeout_minutes * 60
        application.job_queue.run_repeating(
            forget_idle_sessions,
            interval=min(SESSION_SWEEP_SECONDS, max(timeout / 2, 0.5)),
            name="forget-idle-sessions",
        )
        if not settings.webhook_mode:
            application.job_queue.run_repeating(
                _heartbeat, interval=HEARTBEAT_SECONDS, first=1, name="heartbeat"
            )
        if settings.directory_daily_sync:
            schedule_daily_sync(
                application.job_queue, settings, DAILY_SYNC_AT.replace(tzinfo=settings.zone)
            )
        if settings.coordinator_ids:
            application.job_queue.run_monthly(
                monthly_digest, when=time(8, 0, tzinfo=settings.zone), day=1, name="digest"
            )
    if settings.counter_flush_seconds > 0 and application.job_queue is not None:
        application.job_queue.run_repeating(
            _flush, interval=settings.counter_flush_seconds, name="flush-counters"
        )
    for language in data.catalogs.languages:
        t = data.catalogs.translator(language)
        commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]
        code = None if language == data.catalogs.default else language.split("@")[0]
        if "@" in language:
            continue  # Telegram knows no easy-read variant; it uses the base language's
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError:
            log.warning("commands could not be published for one language")
    await _publish_staff_commands(application)
    log.info("bot started: %d languages, schema ready", len(data.catalogs.languages))


async def _publish_staff_commands(application: BotApplication) -> None:
    """Coordinators see /stats and /lien in their own command menu, nobody else does."""
    data = application.bot_data
    t = data.catalogs.translator(data.settings.default_language)
    commands = [BotCommand(name, t.gettext(text)) for name, text in (*COMMANDS, *STAFF_COMMANDS)]
    for coordinator in data.settings.coordinator_ids:
        try:
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(coordinator))
        except TelegramError:
            log.info("staff commands not published for one coordinator (no chat yet)")


def territory_codes(settings: Settings, communes: Communes) -> frozenset[str]:
    """The communes of the configured territory: an EPCI's members and/or a list."""
    codes = set(settings.territory_communes)
    if settings.territory_epci:
        members = communes.in_epci(settings.territory_epci)
        if not members:
            log.warning("TERRITORY_EPCI names no EPCI of the communes table")
        codes |= {c.insee for c in members}
    return frozenset(codes)


async def _reload_directory(context: BotContext) -> None:
    """Pick up a directory imported or synced while the bot runs."""
    data = context.bot_data
    path = data.settings.directory_path
    stamp = path.stat().st_mtime_ns if path.exists() else None
    if stamp is None or stamp == data.directory_stamp:
        return
    try:
        fresh = load_directory(path)
    except DirectoryError:
        log.warning("the directory file is unreadable; keeping the one in service")
        return
    data.directory_stamp = stamp
    if fresh is not None:
        data.directory = fresh
        log.info("directory reloaded: %d places", len(fresh.permanences))


async def _heartbeat(context: BotContext) -> None:
    """Touch the file `python -m bot health` reads, when polling works. Its time is this
    job's, every 20 s, never the time of a person's update (the file holds nothing)."""
    bot = context.bot
    if isinstance(bot, TelegramBot) and bot.polled_within(HEARTBEAT_SECONDS * 3):
        path = context.bot_data.settings.heartbeat_path
        try:
            path.touch()
        except OSError:
            log.warning("the heartbeat file cannot be written; check the data folder")


async def _flush(context: BotContext) -> None:
    await context.bot_data.counters.flush()


async def _post_shutdown(application: BotApplication) -> None:
    """Write the last counts and close the database."""
    if application.bot_data.counters_open:
        await application.bot_data.counters.close()
    log.info("bot stopped")


async def _on_error(update: object, context: BotContext) -> None:
    """Log the kind of error and where, never the update; tell the person kindly.

    The context here is a fresh one: whether the button was already answered is read from
    the session, so the spinner stops and the apology is sent in every case."""
    error = context.error
    if isinstance(error, Forbidden):  # the person blocked the bot, or left: nothing to say
        log.info("a person can no longer be written to (%s)", type(error).__name__)
        return
    if update is None and isinstance(error, NetworkError):  # a failed poll; the Updater retries
        log.warning("polling failed (%s); retrying", type(error).__name__)
        return
    where = error_origin(error) if error is not None else ""
    log.error("handler error: %s%s", type(error).__name__, where)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    await ack(update, context)
    try:
        await context.bot.send_message(update.effective_chat.id, context._(ERROR_TEXT))
    except TelegramError:
        log.info("the error notice could not be sent")


async def _start(application: BotApplication, on_done: Callable[[object], None] | None) -> None:
    """Initialise and start the Application as run_polling/run_webhook would.

    `on_done` is told when each update is finished: the Bot API double's persons wait for
    exactly that (`BotApiDouble.processing_hook`)."""
    processor = application.update_processor
    if on_done is not None and isinstance(processor, PerChatUpdateProcessor):
        processor.on_done = on_done
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()


async def _stop(application: BotApplication) -> None:
    """Finish the updates received, shut down, write the counts (post_shutdown)."""
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def start_polling(
    application: BotApplication,
    poll_timeout: int = 1,
    on_done: Callable[[object], None] | None = None,
) -> None:
    """Start as `run_polling` would, inside a running event loop (demo and tests)."""
    await _start(application, on_done)
    if application.updater is not None:
        await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)


async def stop_polling(application: BotApplication) -> None:
    """Stop as `run_polling` would: updater, application, shutdown, post_shutdown."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    await _stop(application)


async def start_webhook(
    application: BotApplication,
    updates: Sequence[str],
    on_done: Callable[[object], None] | None = None,
) -> WebhookServer:
    """Webhook mode: start the Application and its HTTP server, then register the webhook
    with its secret token (`python -m bot run` with WEBHOOK_URL, and the tests)."""
    from bot.webhook import WebhookServer  # noqa: PLC0415 - aiohttp is the `webhook` extra

    settings = application.bot_data.settings
    await _start(application, on_done)
    server = WebhookServer(application, settings)
    await server.start()
    await application.bot.set_webhook(
        url=f"{settings.webhook_url}{settings.webhook_path}",
        secret_token=settings.secret_token,
        allowed_updates=list(updates),
        drop_pending_updates=settings.webhook_drop_pending_updates,
    )
    log.info("webhook mode: Telegram posts the updates to WEBHOOK_URL")
    return server


async def stop_webhook(application: BotApplication, server: WebhookServer) -> None:
    """Stop taking requests, finish the updates received, write the counts. The webhook
    stays registered: Telegram keeps the updates of a restart for the next start."""
    await server.stop()
    await _stop(application)
