"""Tests of the Bot API double, driven by a tiny but real python-telegram-bot Application.

The double is only useful if python-telegram-bot cannot tell it from Telegram where it matters:
these tests exercise it through the unchanged library over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from botapi_double import BotApiDouble, GroupChat, Person, ShownMessage
from botapi_double.html_text import EntityParseError, parse_html
from botapi_double.media import TINY_PNG

Context = ContextTypes.DEFAULT_TYPE
START_KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Oui", callback_data="yes"),
            InlineKeyboardButton("Non", callback_data="no"),
        ],
        [InlineKeyboardButton("Site", url="https://example.org")],
    ]
)


# --- the tiny bot ----------------------------------------------------------------------------


async def on_start(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    assert update.effective_chat is not None
    seen = context.bot_data.setdefault("starts", [])
    seen.append(
        (
            update.effective_chat.id,
            [(e.type, e.offset, e.length) for e in message.entities],
            context.args,
        )
    )
    payload = f" ({' '.join(context.args)})" if context.args else ""
    await message.reply_text(f"Bonjour{payload}", reply_markup=START_KEYBOARD)


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    if query.data == "no":  # identical content: Telegram refuses, the handler sees why
        try:
            await query.edit_message_text("Bonjour", reply_markup=START_KEYBOARD)
        except BadRequest as error:
            context.bot_data["edit_error"] = error.message
        await query.answer()
        return
    if query.data == "long":
        try:
            await query.answer("x" * 201)
        except BadRequest as error:
            context.bot_data["answer_error"] = error.message
            await query.answer("trop long")
        return
    await query.answer(f"Choisi : {query.data}")
    await query.edit_message_text(f"Vous avez choisi : {query.data}")


async def on_venue(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    await context.bot.send_venue(
        update.effective_chat.id,
        48.8566,
        2.3522,
        "Défenseur des droits",
        "3 place de Fontenoy, Paris",
    )


async def on_file(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(b"a;b\n1;2\n", filename="export.csv"),
        caption="Vos données",
    )


async def on_photo(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    await context.bot.send_photo(update.effective_chat.id, TINY_PNG, caption="Graphique")


async def on_html(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        '<b>Gras</b> et <a href="https://example.org/?a=1&amp;b=2">lien</a> &amp; fin',
        parse_mode=ParseMode.HTML,
    )


async def on_position(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Partager ma position", request_location=True)]],
        one_time_keyboard=True,
        resize_keyboard=True,
    )
    await update.effective_message.reply_text("Où êtes-vous ?", reply_markup=keyboard)


async def on_location(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    assert message.location is not None
    await message.reply_text(
        f"Reçu {message.location.latitude}, {message.location.longitude}",
        reply_markup=ReplyKeyboardRemove(),
    )


async def on_clean(update: Update, context: Context) -> None:
    chat = update.effective_chat
    assert chat is not None
    first = await context.bot.send_message(chat.id, "Un")
    second = await context.bot.send_message(chat.id, "Deux")
    await context.bot.delete_messages(chat.id, [first.message_id, second.message_id])
    await context.bot.send_message(chat.id, "Nettoyé")


async def on_slow(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    assert update.effective_user is not None
    await asyncio.sleep(0.3)
    await update.effective_message.reply_text(f"Lent pour {update.effective_user.first_name}")


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"Écho : {message.text}")


def build_app(double: BotApiDouble) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token(double.token)
        .base_url(double.base_url)
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("lieu", on_venue))
    app.add_handler(CommandHandler("fichier", on_file))
    app.add_handler(CommandHandler("photo", on_photo))
    app.add_handler(CommandHandler("html", on_html))
    app.add_handler(CommandHandler("position", on_position))
    app.add_handler(CommandHandler("nettoyer", on_clean))
    app.add_handler(CommandHandler("lent", on_slow))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.LOCATION, on_location))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return app


@asynccontextmanager
async def running(double: BotApiDouble) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    app = build_app(double)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
async def double() -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble() as fake:
        yield fake
        assert fake.internal_errors == []


@pytest.fixture
async def app(double: BotApiDouble) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    async with running(double) as application:
        yield application


@pytest.fixture
def camille(double: BotApiDouble) -> Person:
    return double.person(1001, "Camille")


def bad(text: str) -> str:
    """A case-insensitive pattern: python-telegram-bot re-capitalizes Telegram's description."""
    return "(?i)" + re.escape(text)


# --- HTML parsing, without HTTP --------------------------------------------------------------


def test_html_plain_text_and_utf16_entities() -> None:
    text, entities = parse_html('😀 <b>gras <i>ital</i></b> <a href="https://x.fr">x</a> &lt;3')
    assert text == "😀 gras ital x <3"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 13, "length": 1, "url": "https://x.fr"},
    ]


def test_html_pre_with_language_and_spoiler() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        '<span class="tg-spoiler">s</span><blockquote expandable>q</blockquote>'
    )
    assert text == "x = 1sq"
    assert {"type": "pre", "offset": 0, "length": 5, "language": "python"} in entities
    assert {"type": "spoiler", "offset": 5, "length": 1} in entities
    assert {"type": "expandable_blockquote", "offset": 6, "length": 1} in entities


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("<b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag"),
        ("<br>", 'Unsupported start tag "br"'),
        ("2 < 3", 'Unsupported start tag ""'),
        ("Tom & Jerry", 'Character "&"'),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag"),
    ],
)
def test_html_rejected_like_telegram(source: str, fragment: str) -> None:
    with pytest.raises(EntityParseError, match=re.escape(fragment)):
        parse_html(source)


# --- talking to the bot ----------------------------------------------------------------------


async def test_start_has_command_entity_and_keyboard(
    double: BotApiDouble, camille: Person, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    replies = await camille.send("/start qr_42")
    assert [reply.text for reply in replies] == ["Bonjour (qr_42)"]
    assert replies[0].buttons == [["Oui", "Non"], ["Site"]]
    assert replies[0].button_data == [["yes", "no"], [None]]
    assert replies[0].url_buttons == {"Site": "https://example.org"}
    assert app.bot_data["starts"] == [(1001, [("bot_command", 0, 6)], ["qr_42"])]
    await camille.send("bonjour")
    assert camille.messages[-1].text == "Écho : bonjour"
    sent = [call for call in double.calls if call.method == "sendMessage"]
    assert sent[0].params["chat_id"] == 1001
    assert sent[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"


@pytest.mark.usefixtures("app")
async def test_press_answers_and_edits(camille: Person) -> None:
    [menu] = await camille.send("/start")
    edited = await camille.press("Oui")
    assert [message.message_id for message in edited] == [menu.message_id]
    assert edited[0].text == "Vous avez choisi : yes"
    assert edited[0].buttons == []
    assert edited[0].edits == 1
    assert camille.callback_answers == ["Choisi : yes"]
    assert camille.unanswered_callback_queries == []
    with pytest.raises(AssertionError, match=r"sees no button labelled 'Peut-être'"):
        await camille.press("Peut-être")


async def test_errors_surface_inside_handlers(
    camille: Person, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    await camille.send("/start")
    assert await camille.press("Non") == []
    assert app.bot_data["edit_error"].lower().startswith("message is not modified: specified")
    await camille.press_data("long")
    assert app.bot_data["answer_error"] == "Message_too_long"
    assert camille.callback_answers == [None, "trop long"]


async def test_bad_requests_from_the_bot(
    double: BotApiDouble, camille: Person, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = app.bot
    [menu] = await camille.send("/start")
    mine = camille.messages[0]
    with pytest.raises(BadRequest, match=bad("message to edit not found")):
        await bot.edit_message_text("x", chat_id=camille.user_id, message_id=999)
    with pytest.raises(BadRequest, match=bad("message can't be edited")):
        await bot.edit_message_text("x", chat_id=camille.user_id, message_id=mine.message_id)
    with pytest.raises(BadRequest, match=bad("message is not modified")):
        await bot.edit_message_reply_markup(
            camille.user_id, menu.message_id, reply_markup=START_KEYBOARD
        )
    with pytest.raises(BadRequest, match=bad("message is too long")):
        await bot.send_message(camille.user_id, "é" * 4097)
    with pytest.raises(BadRequest, match=bad("message text is empty")):
        await bot.send_message(camille.user_id, "  ")
    with pytest.raises(BadRequest, match=bad("can't parse entities: unsupported start tag")):
        await bot.send_message(camille.user_id, "<foo>x</foo>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=bad("chat not found")):
        await bot.send_message(424242, "allô ?")
    double.person(2002, "Inès")
    with pytest.raises(Forbidden, match=bad("bot can't initiate conversation with a user")):
        await bot.send_message(2002, "allô ?")
    text_only = InlineKeyboardMarkup([[InlineKeyboardButton("Rien")]])
    with pytest.raises(BadRequest, match=bad("Text buttons are unallowed in the inline keyboard")):
        await bot.send_message(camille.user_id, "x", reply_markup=text_only)
    with pytest.raises(BadRequest, match=bad("query is too old")):
        await bot.answer_callback_query("123")
    assert double.calls[-1].method == "answerCallbackQuery"
    assert double.calls[-1].error == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


async def test_callback_data_limit_is_64_bytes(
    camille: Person, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    await camille.send("/start")

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=data)]])

    await app.bot.send_message(camille.user_id, "ok", reply_markup=keyboard("é" * 32))
    with pytest.raises(BadRequest, match=bad("BUTTON_DATA_INVALID")):
        await app.bot.send_message(camille.user_id, "ko", reply_markup=keyboard("é" * 33))
    with pytest.raises(BadRequest, match=bad("BUTTON_DATA_INVALID")):
        await app.bot.send_message(camille.user_id, "ko", reply_markup=keyboard("x" * 65))
    assert camille.last_bot_message is not None
    assert camille.last_bot_message.text == "ok"


@pytest.mark.usefixtures("app")
async def test_html_reply_is_shown_as_plain_text(camille: Person) -> None:
    [reply] = await camille.send("/html")
    assert reply.text == "Gras et lien & fin"
    assert reply.entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://example.org/?a=1&b=2"},
    ]


@pytest.mark.usefixtures("app")
async def test_venue_document_photo(camille: Person) -> None:
    [venue] = await camille.send("/lieu")
    assert venue.kind == "venue"
    assert venue.text == "Défenseur des droits\n3 place de Fontenoy, Paris"
    assert venue.venue is not None
    assert venue.venue["latitude"] == pytest.approx(48.8566)
    [document] = await camille.send("/fichier")
    assert document.document is not None
    assert (document.document.file_name, document.document.content) == ("export.csv", b"a;b\n1;2\n")
    assert document.text == "export.csv\nVos données"
    [photo] = await camille.send("/photo")
    assert photo.kind == "photo"
    assert photo.text == "Graphique"
    assert photo.photo_bytes is not None
    assert photo.photo_bytes.startswith(b"\x89PNG")


@pytest.mark.usefixtures("app")
async def test_location_request_keyboard(camille: Person) -> None:
    [question] = await camille.send("/position")
    assert question.reply_keyboard == [["Partager ma position"]]
    assert question.location_request_buttons == ["Partager ma position"]
    assert camille.reply_keyboard == [["Partager ma position"]]
    [answer] = await camille.share_location(48.85, 2.35)
    assert answer.text == "Reçu 48.85, 2.35"
    assert camille.reply_keyboard is None


async def test_delete_messages_marks_them_deleted(
    camille: Person, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    replies = await camille.send("/nettoyer")
    assert [reply.text for reply in replies] == ["Nettoyé"]
    assert [m.text for m in camille.bot_messages] == ["Nettoyé"]
    hidden = [m for m in camille.all_messages_including_deleted if m.deleted]
    assert [m.text for m in hidden] == ["Un", "Deux"]
    # Telegram skips the messages it cannot delete: already deleted, or older than 48 h.
    assert await app.bot.delete_messages(camille.user_id, [hidden[0].message_id])
    camille.age_messages(48 * 3600)
    assert await app.bot.delete_messages(camille.user_id, [m.message_id for m in replies])
    assert [m.text for m in camille.bot_messages] == ["Nettoyé"]


@pytest.mark.usefixtures("app")
async def test_two_persons_at_once(double: BotApiDouble) -> None:
    alice, bob = double.person(11, "Alice"), double.person(12, "Bob")
    started = time.monotonic()
    replies_a, replies_b = await asyncio.gather(alice.send("/lent"), bob.send("/lent"))
    assert [m.text for m in replies_a] == ["Lent pour Alice"]
    assert [m.text for m in replies_b] == ["Lent pour Bob"]
    assert time.monotonic() - started < 2


async def test_restart_keeps_chat_state_and_old_buttons(
    double: BotApiDouble, camille: Person
) -> None:
    async with running(double):
        [menu] = await camille.send("/start")
    async with running(double):
        [edited] = await camille.press("Oui", message=menu)
        assert edited.message_id == menu.message_id
        [again] = await camille.send("/start")
    assert again.message_id > menu.message_id
    assert [m.text for m in camille.bot_messages] == ["Vous avez choisi : yes", "Bonjour"]


@pytest.mark.usefixtures("app")
async def test_person_edit_and_silent_bot(camille: Person) -> None:
    await camille.send("salut")
    [mine] = [m for m in camille.messages if not m.from_bot]
    [echo] = await camille.edit(mine, "salut !", expect_reply=True)
    assert echo.text == "Écho : salut !"
    with pytest.raises(AssertionError, match="made no call about this chat"):
        await camille.send_sticker(timeout=0.5)


@pytest.mark.usefixtures("app")
async def test_group_privacy_and_membership(double: BotApiDouble) -> None:
    alice = double.person(21, "Alice")
    group: GroupChat = double.group(-1001, "Asso")
    with pytest.raises(AssertionError, match="would not deliver"):
        await alice.send_in_group(group, "/start")
    await group.add_bot(alice)
    replies = await alice.send_in_group(group, "/start@EgaliteTestBot")
    assert [m.text for m in replies] == ["Bonjour"]
    assert await alice.send_in_group(group, "bonjour à tous", expect_reply=False) == []
    assert group.messages[-1].text == "bonjour à tous"


# --- raw HTTP and long polling ---------------------------------------------------------------


async def test_wrong_token_and_unknown_method(double: BotApiDouble) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{double.base_url}1:wrong/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.get(f"{double.base_url}{double.token}/sendTelepathy") as response:
            assert response.status == 404
        url = f"{double.base_url}{double.token}/getMe?x=1"
        async with session.post(url, json={"unused": True}) as response:
            body = await response.json()
            assert body["result"]["username"] == "EgaliteTestBot"
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=double.base_url):
            pass


async def test_long_polling_returns_when_an_update_arrives(double: BotApiDouble) -> None:
    camille = double.person(31)
    async with Bot(double.token, base_url=double.base_url) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert time.monotonic() - started >= 0.9
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        shown: list[ShownMessage] = await camille.send("coucou", expect_reply=False, quiet=0)
        updates = await poll
        assert time.monotonic() - started < 1
        assert shown == []
        assert [u.message.text for u in updates if u.message] == ["coucou"]
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [updates[0].update_id]
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
        cancelled = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.05)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        _, later = await asyncio.gather(
            camille.send("toujours là", expect_reply=False, quiet=0),
            bot.get_updates(offset=updates[0].update_id + 1, timeout=5),
        )
        assert [u.message.text for u in later if u.message] == ["toujours là"]


async def test_blocked_bot_is_forbidden_until_the_person_writes_again(
    camille: Person, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    statuses: list[tuple[str, str]] = []

    async def on_member(update: Update, context: Context) -> None:
        change = update.my_chat_member
        assert change is not None
        statuses.append((change.old_chat_member.status, change.new_chat_member.status))

    app.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    await camille.send("/start")
    await camille.block_bot()
    with pytest.raises(Forbidden, match=bad("bot was blocked by the user")):
        await app.bot.send_message(camille.user_id, "Rappel")
    await camille.send("/start")
    assert statuses == [("member", "kicked"), ("kicked", "member")]
    await app.bot.send_message(camille.user_id, "Rappel")


async def test_commands_and_webhook_info(
    double: BotApiDouble, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = app.bot
    commands = [BotCommand("start", "Commencer"), BotCommand("aide", "Obtenir de l’aide")]
    assert await bot.set_my_commands(commands, language_code="fr")
    [(_, published)] = double.commands.items()
    assert published == [c.to_dict() for c in commands]
    with pytest.raises(BadRequest, match=bad("BOT_COMMAND_INVALID")):
        await bot.set_my_commands([BotCommand("Aide", "Majuscule interdite")])
    assert (await bot.get_webhook_info()).url == ""
    double.clear_calls()
    assert double.calls == []


async def test_the_double_serves_only_what_the_bot_calls(double: BotApiDouble) -> None:
    """A method the bot never calls is not served: a test that starts using one fails
    here first, with Telegram's 404, rather than meeting an untested imitation."""
    async with aiohttp.ClientSession() as session:
        for method in ("sendChatAction", "getMyCommands", "deleteMessage", "getFile"):
            async with session.post(f"{double.base_url}{double.token}/{method}") as response:
                assert response.status == 404, method
