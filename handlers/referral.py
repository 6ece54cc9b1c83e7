"""Stage 10: who can help. The person shares a location, or types a postal code or a
commune; the three best permanences of the Défenseur des droits' delegates follow (those
serving the commune first, then the nearest), each as a venue with its hours, then the
remote channels (always) and the local partners for the domain. Without a directory, or
with no permanence known, the remote channels only: never an invented address.

Exits: "Voir mon résumé" → summary; "Chercher une autre commune" → this prompt again.
"""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update

from bot.callbacks import Action, Button
from bot.communes import Commune
from bot.content import Contact
from bot.context import BotContext
from bot.counters import Metric
from bot.directory.model import Match
from bot.i18n import N_
from bot.states import Stage
from handlers.flow import count_step, go, screen
from handlers.places import partner_text, permanence_text
from handlers.ui import (
    Row,
    Screen,
    ack,
    drop_panel_buttons,
    esc,
    footer,
    ltr,
    resume_row,
    send,
    show,
    sources_line,
)

NEAREST_TOWN_HALL_KM = 15.0  # beyond, a shared location is not placed in a commune
REMOTE_TITLE = N_("☎️ À distance, gratuitement")
TITLE = N_("📍 Trouver de l'aide")
INTRO_REMOTE = N_("Le Défenseur des droits est gratuit. Vous pouvez le joindre à distance :")
ASK_PLACE = N_(
    "Pour trouver un délégué du Défenseur des droits près de chez vous, écrivez le code "
    "postal ou le nom de votre commune, ou envoyez votre position avec le bouton 📍 en bas."
)
LOCATION_NOTE = N_("Votre position sert seulement à cette recherche : elle n'est pas gardée.")
KEYBOARD_HINT = N_("📍 Le bouton en bas de l'écran envoie votre position.")
NOT_FOUND = N_(
    "Je n'ai pas trouvé « %(text)s ». Vérifiez l'orthographe, ou écrivez le code postal."
)
WHICH = N_("Plusieurs communes correspondent. Laquelle ?")
DID_YOU_MEAN = N_("Vouliez-vous dire… ?")
NONE_KNOWN = N_(
    "Je ne connais pas encore de permanence du Défenseur des droits pour cet endroit. "
    "Vous pouvez le joindre à distance, gratuitement :"
)
FOUND = N_("Voici les permanences les plus proches pour %(place)s :")


def remote_lines(context: BotContext) -> list[str]:
    """The remote channels, one line each."""
    _ = context._
    return [
        f"• <b>{esc(_(c.title))}</b> : {esc(ltr(context, c.reach))}"
        for c in context.bot_data.content.remote_channels
    ]


def remote_text(context: BotContext, intro: str) -> str:
    """The remote channels as one short message, with their sources."""
    channels = context.bot_data.content.remote_channels
    sources = tuple(dict.fromkeys(s for c in channels for s in c.sources))
    return "\n\n".join(
        [
            esc(context._(intro)),
            "\n".join(remote_lines(context)),
            sources_line(context, sources, numbers_only=True),
        ]
    )


def channel_rows(context: BotContext) -> list[Row]:
    """A details button per remote channel."""
    _ = context._
    return [
        [("ℹ️ " + _(c.title), Button(Action.INFO, f"channel_{c.id}"))]
        for c in context.bot_data.content.remote_channels
    ]


@screen(Stage.REFERRAL)
def referral_screen(context: BotContext) -> Screen:
    """Ask where (with a directory), or give the remote channels (without one)."""
    _ = context._
    title = f"<b>{esc(_(TITLE))}</b>"
    rows: list[Row]
    if context.bot_data.directory is None:
        text = f"{title}\n\n{remote_text(context, INTRO_REMOTE)}"
        rows = channel_rows(context)
    else:
        text = f"{title}\n\n{esc(_(ASK_PLACE))}\n\n<i>{esc(_(LOCATION_NOTE))}</i>"
        rows = [[(_(N_("☎️ Seulement les contacts à distance")), Button(Action.INFO, "remote"))]]
    rows.append([(_(N_("📝 Voir mon résumé ➡️")), Button(Action.NEXT))])
    rows.append(footer(context))
    return Screen(text, rows)


def remote_screen(context: BotContext) -> Screen:
    """The remote channels over the panel, with their details buttons."""
    _ = context._
    text = f"<b>{esc(_(REMOTE_TITLE))}</b>\n\n{remote_text(context, INTRO_REMOTE)}"
    return Screen(text, [*channel_rows(context), resume_row(context)])


def channel_screen(context: BotContext, channel: Contact) -> Screen:
    """One channel: how to reach it, what it does, and its sources."""
    _ = context._
    head = f"<b>{esc(_(channel.title))}</b>"
    if channel.reach:
        head += f"\n{esc(ltr(context, channel.reach))}"
    text = f"{head}\n\n{esc(_(channel.text))}\n\n{sources_line(context, channel.sources)}"
    return Screen(text, [resume_row(context)])


async def enter_referral(update: Update, context: BotContext) -> Stage:
    """Show the prompt and, with a directory, the keyboard's location button."""
    stage = await go(update, context, Stage.REFERRAL)
    chat = update.effective_chat
    if context.bot_data.directory is not None and chat is not None:
        keyboard = ReplyKeyboardMarkup(
            [[KeyboardButton(context._(N_("📍 Envoyer ma position")), request_location=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
            input_field_placeholder=context._(N_("Code postal ou commune")),
        )
        await send(context, chat.id, esc(context._(KEYBOARD_HINT)), keyboard)
    return stage


async def by_location(update: Update, context: BotContext) -> Stage:
    """A shared location: place it in a commune (nearest town hall), then search."""
    message = update.effective_message
    location = message.location if message else None
    if location is None:
        return Stage.REFERRAL
    directory = context.bot_data.directory
    await context.counters.increment(Metric.REFERRAL, "location")
    lat, lon = location.latitude, location.longitude
    code = directory.commune_at(lat, lon, NEAREST_TOWN_HALL_KM) if directory else None
    commune = context.bot_data.communes.by_insee(code) if code else None
    await count_territory(context, commune)
    matches = (
        directory.best(insee=commune.insee if commune else None, latitude=lat, longitude=lon)
        if directory
        else []
    )
    place = commune.name if commune else context._(N_("votre position"))
    return await show_results(update, context, matches, place)


async def by_text(update: Update, context: BotContext) -> Stage:
    """A typed postal code or commune name."""
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    query = context.bot_data.communes.parse_query(text[:80])
    found, close = query.result.exact, query.result.close
    if query.kind != "empty":
        await context.counters.increment(Metric.REFERRAL, query.kind)
    if len(found) == 1:
        return await results_for(update, context, found[0])
    if found or close:
        question = WHICH if found else DID_YOU_MEAN
        rows: list[Row] = [
            [(f"{c.name} ({c.departement})", Button(Action.COMMUNE, c.insee))]
            for c in (found or close)[:6]
        ]
        rows.append(footer(context))
        await show(update, context, Screen(f"<b>{esc(context._(question))}</b>", rows), new=True)
        return Stage.REFERRAL
    chat = update.effective_chat
    if chat is not None:
        await send(context, chat.id, esc(context._(NOT_FOUND) % {"text": text[:60]}))
    return Stage.REFERRAL


async def by_commune(update: Update, context: BotContext) -> Stage:
    """A commune picked among several."""
    button = Button.parse(update.callback_query.data if update.callback_query else None)
    commune = context.bot_data.communes.by_insee(button.value) if button else None
    if commune is None:
        await ack(update, context)
        return Stage.REFERRAL
    return await results_for(update, context, commune)


async def results_for(update: Update, context: BotContext, commune: Commune) -> Stage:
    """The best permanences for a commune."""
    directory = context.bot_data.directory
    await count_territory(context, commune)
    matches = directory.best(insee=commune.insee) if directory else []
    return await show_results(update, context, matches, commune.name)


async def show_results(
    update: Update, context: BotContext, matches: list[Match], place: str
) -> Stage:
    """Venues and details, remote channels, partners, then the next step. Without a
    directory, or with no permanence known there, the remote channels say so."""
    chat = update.effective_chat
    if chat is None:
        return Stage.REFERRAL
    await ack(update, context)
    await drop_panel_buttons(context, chat.id)
    await count_step(context, Stage.REFERRAL)
    _ = context._
    if matches:
        await send(context, chat.id, esc(_(FOUND) % {"place": place}))
        for match in matches:
            await send_place(context, chat.id, match)
        await send(context, chat.id, remote_text(context, N_("Et toujours, à distance :")))
    else:
        await send(context, chat.id, remote_text(context, NONE_KNOWN))
    partners = context.bot_data.partners
    for partner in partners.for_domain(context.session.journey.domain)[:3]:
        await send(context, chat.id, partner_text(context, partner, partners.sample))
    context.session.journey.nearest = matches[0].permanence.name if matches else ""
    rows: list[Row] = [
        [(_(N_("🔎 Chercher une autre commune")), Button(Action.SEARCH))],
        [(_(N_("📝 Voir mon résumé ➡️")), Button(Action.NEXT))],
        footer(context),
    ]
    await show(update, context, Screen(esc(_(N_("Et maintenant ?"))), rows), new=True)
    return Stage.REFERRAL


async def send_place(context: BotContext, chat_id: int, match: Match) -> None:
    """A venue (when located) and the message with hours, phones and source."""
    place = match.permanence
    info = context.bot_data.directory.info if context.bot_data.directory else None
    if info is None:
        return
    if place.latitude is not None and place.longitude is not None:
        address = ", ".join([*place.address_lines, f"{place.postal_code} {place.commune}"])
        venue = await context.bot.send_venue(
            chat_id, place.latitude, place.longitude, title=place.name[:100], address=address[:100]
        )
        context.session.remember_message(venue.message_id)
    await send(context, chat_id, permanence_text(context, match, info))


async def count_territory(context: BotContext, commune: Commune | None) -> None:
    """Count the commune once per journey, only if it belongs to the configured territory
    (never finer than the commune, and "outside" for everything else)."""
    journey = context.session.journey
    territory = context.bot_data.territory
    if journey.territory_counted or not territory:
        return
    journey.territory_counted = True
    inside = commune is not None and commune.insee in territory
    await context.counters.increment(
        Metric.TERRITORY, commune.insee if commune and inside else "outside"
    )


async def search_again(update: Update, context: BotContext) -> Stage:
    """Back to the prompt."""
    await show(update, context, referral_screen(context))
    return Stage.REFERRAL


async def to_summary(update: Update, context: BotContext) -> Stage:
    """On to the summary (sent as its own message, to keep)."""
    from handlers.summary import send_summary  # noqa: PLC0415 - stage order, not a cycle

    return await send_summary(update, context)
