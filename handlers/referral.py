"""Stage 10: who can help. The person shares a location, or types a postal code or a
commune; the three best permanences of the Défenseur des droits' delegates follow (those
serving the commune first, then the nearest). Without a directory, or with no permanence
known, the remote channels only: never an invented address.

The answer does not flood the phone: the first permanence as a venue (a pin to open in a
maps app), one message listing the three with today's or next hours and a phone, then the
panel: local partners of that place and domain, the remote channels (always), and buttons
for each permanence's whole card, another search and the summary. Reached straight from
the welcome ("find help near me"), the panel also leads into the questions.

Exits: "Voir mon résumé" → summary; "Chercher une autre commune" → this prompt again;
"Comprendre mes droits" (from the welcome's short way) → the questions.
"""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update

from bot.callbacks import Begin, Info, Next, Partners, Search
from bot.callbacks import Commune as CommuneButton
from bot.callbacks import Place as PlaceButton
from bot.communes import Commune
from bot.context import BotContext
from bot.directory.model import Match
from bot.directory.partners import Partner, Place
from bot.i18n import N_
from bot.markup import bold, esc, italic, visible_length
from bot.metrics import Located, Searched
from bot.rtl import rtl_pass
from handlers.flow import Move, count
from handlers.info import INTRO_REMOTE, REMOTE_TITLE, channel_rows, remote_text
from handlers.places import (
    KEYCAPS,
    MESSAGE_CHARS,
    address,
    partners_text,
    permanence_text,
    places_text,
)
from handlers.ui import (
    Row,
    Screen,
    ack,
    drop_panel_buttons,
    footer,
    pressed,
    resume_row,
    send,
    show,
)

NEAREST_TOWN_HALL_KM = 15.0  # beyond, a shared location is not placed in a commune
MAX_COMMUNES = 8  # communes sharing a postal code, as buttons
MAX_GUESSES = 3  # close spellings proposed for a name not found
TITLE = N_("📍 Trouver de l'aide")
ALSO_REMOTE = N_("☎️ Et toujours, à distance, gratuitement :")
ASK_PLACE = N_(
    "Pour trouver un délégué du Défenseur des droits près de chez vous, écrivez le code "
    "postal ou le nom de votre commune, ou envoyez votre position avec le bouton 📍 en bas."
)
# TRANSLATORS: the same question when a witness or a helper speaks for the person.
ASK_PLACE_OTHER = N_(
    "Pour trouver un délégué du Défenseur des droits près de chez la personne, écrivez le "
    "code postal ou le nom de sa commune, ou envoyez une position avec le bouton 📍 en bas."
)
LOCATION_NOTE = N_("Votre position sert seulement à cette recherche : elle n'est pas gardée.")
KEYBOARD_HINT = N_("📍 Le bouton en bas de l'écran envoie votre position.")
NOT_FOUND = N_(
    "Je n'ai pas trouvé « %(text)s ». Vérifiez l'orthographe, ou écrivez le code postal."
)
POSTAL_UNKNOWN = N_(
    "Je ne connais pas le code postal « %(text)s ». Un code postal a 5 chiffres, "
    "par exemple 59300. Vous pouvez aussi écrire le nom de la commune."
)
NONE_OF_THESE = N_(
    "D'accord. Écrivez le code postal (5 chiffres), c'est le plus sûr, ou envoyez votre "
    "position avec le bouton 📍 en bas."
)
WHICH = N_("Plusieurs communes correspondent. Laquelle ?")
DID_YOU_MEAN = N_("Vouliez-vous dire… ?")
NONE_KNOWN = N_(
    "Je ne connais pas encore de permanence du Défenseur des droits pour cet endroit. "
    "Vous pouvez le joindre à distance, gratuitement :"
)
# TRANSLATORS: a button after a number (1️⃣ Détails): the full card of that permanence.
DETAILS = N_("Détails")
CHOSEN = N_("✅ C'est le lieu indiqué dans votre résumé.")
KEPT = N_("C'est noté : ce lieu sera dans votre résumé.")
BEGIN_QUESTIONS = N_("▶️ Comprendre mes droits")
ALL_PARTNERS = N_("🤝 Tous les partenaires près de chez vous")
ALL_PARTNERS_OTHER = N_("🤝 Tous les partenaires près de chez la personne")  # witness, helper


def closing_rows(context: BotContext, *, search: bool) -> list[Row]:
    """Search again, the questions (on the short way), the summary, and the footer."""
    _ = context._
    rows: list[Row] = []
    if search:
        rows.append([(_("🔎 Chercher une autre commune"), Search())])
    if context.session.journey.quick and context.session.journey.speaker is None:
        rows.append([(_(BEGIN_QUESTIONS), Begin())])
    rows.append([(_("📝 Voir mon résumé ➡️"), Next())])
    rows.append(footer(context))
    return rows


def referral_screen(context: BotContext) -> Screen:
    """The answer when one was given, else: ask where (with a directory), or give the
    remote channels (without one)."""
    if context.session.journey.results_shown:
        return results_screen(context)
    _ = context._
    title = bold(_(TITLE))
    rows: list[Row]
    if context.bot_data.directory is None:
        text = f"{title}\n\n{remote_text(context, INTRO_REMOTE)}"
        rows = channel_rows(context)
    else:
        ask = ASK_PLACE_OTHER if context.session.journey.about_someone_else else ASK_PLACE
        text = f"{title}\n\n{esc(_(ask))}\n\n{italic(_(LOCATION_NOTE))}"
        rows = [[(_("☎️ Seulement les contacts à distance"), Info("remote"))]]
    return Screen(text, rows + closing_rows(context, search=False))


def results_screen(context: BotContext) -> Screen:
    """The panel under the list: local partners (as many as a short message holds, the
    others one button away), the remote channels, and what to do next."""
    _ = context._
    journey = context.session.journey
    sample = context.bot_data.partners.sample
    remote = (
        remote_text(context, ALSO_REMOTE, strong=True, compact=True)
        if journey.places
        else remote_text(context, NONE_KNOWN, compact=True)
    )
    shown: tuple[Partner, ...] = ()
    for many in range(len(journey.partners), 0, -1):
        block = partners_text(context, journey.partners[:many], sample)
        if visible_length(f"{block}\n\n{remote}") <= MESSAGE_CHARS:
            shown = journey.partners[:many]
            break
    parts = [partners_text(context, shown, sample)] if shown else []
    text = "\n\n".join([*parts, remote] if journey.places else [remote, *parts])
    rows: list[Row] = []
    if journey.places:
        rows.append(
            [
                (f"{KEYCAPS[i]} {_(DETAILS)}", PlaceButton("card", i))
                for i in range(len(journey.places))
            ]
        )
    if len(shown) < len(journey.partners):
        rows.append(
            [(_(ALL_PARTNERS_OTHER if journey.about_someone_else else ALL_PARTNERS), Partners())]
        )
    rows.append([(_("☎️ Contacts à distance"), Info("remote"))])
    return Screen(text, rows + closing_rows(context, search=True))


def all_partners_screen(context: BotContext) -> Screen:
    """Every local partner proposed for this place and domain."""
    journey = context.session.journey
    text = partners_text(context, journey.partners, context.bot_data.partners.sample)
    return Screen(text, [resume_row(context)])


def not_found_screen(context: BotContext, message: str) -> Screen:
    """Nothing found: say why, and give the remote channels and a way on."""
    text = f"{esc(message)}\n\n{remote_text(context, REMOTE_TITLE, strong=True)}"
    rows: list[Row] = [
        [(context._("☎️ Contacts à distance"), Info("remote"))],
    ]
    return Screen(text, rows + closing_rows(context, search=True))


def place_screen(context: BotContext, index: int) -> Screen | None:
    """The whole card of one permanence proposed, to see on a map or keep for the summary."""
    _ = context._
    journey = context.session.journey
    directory = context.bot_data.directory
    if directory is None or not 0 <= index < len(journey.places):
        return None
    match = journey.places[index]
    text = permanence_text(context, match, directory.info)
    rows: list[Row] = []
    if match.permanence.located:
        rows.append([(_("🗺️ Voir sur la carte"), PlaceButton("map", index))])
    if len(journey.places) > 1 and journey.chosen == index:
        text += f"\n\n{esc(_(CHOSEN))}"
    elif len(journey.places) > 1:
        keep = _("📝 Garder ce lieu pour mon résumé")
        rows.append([(keep, PlaceButton("pick", index))])
    rows.append(resume_row(context))
    return Screen(text, rows)


async def ask_again(update: Update, context: BotContext) -> None:
    """Entering the stage: the question, not an earlier answer."""
    context.session.journey.results_shown = False


async def offer_location(update: Update, context: BotContext) -> None:
    """After the prompt, with a directory: the keyboard's location button."""
    chat = update.effective_chat
    if context.bot_data.directory is not None and chat is not None:
        keyboard = ReplyKeyboardMarkup(
            [[KeyboardButton(context._("📍 Envoyer ma position"), request_location=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
            # TRANSLATORS: the grey hint in the typing field; keep it very short.
            input_field_placeholder=context._("Code postal ou commune"),
        )
        await send(context, chat.id, esc(context._(KEYBOARD_HINT)), keyboard)


async def by_location(update: Update, context: BotContext) -> None:
    """A shared location: place it in a commune (nearest town hall), then search."""
    message = update.effective_message
    location = message.location if message else None
    if location is None:
        return
    context.session.journey.results_shown = False
    directory = context.bot_data.directory
    await count(context, Searched("location"))
    lat, lon = location.latitude, location.longitude
    code = directory.commune_at(lat, lon, NEAREST_TOWN_HALL_KM) if directory else None
    commune = context.bot_data.communes.by_insee(code) if code else None
    await count(context, Located(commune.insee if commune else None, context.bot_data.territory))
    matches = (
        directory.best(insee=commune.insee if commune else None, latitude=lat, longitude=lon)
        if directory
        else []
    )
    place = Place(
        insee=commune.insee if commune else None,
        epci=commune.epci if commune else None,
        departement=commune.departement if commune else None,
        latitude=lat,
        longitude=lon,
    )
    # TRANSLATORS: in "Permanences … près de %(place)s" when no commune is known.
    name = commune.name if commune else context._("votre position")
    await show_results(update, context, matches, name, place)


async def by_text(update: Update, context: BotContext) -> None:
    """A typed postal code or commune name."""
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    context.session.journey.results_shown = False
    query = context.bot_data.communes.parse_query(text[:80], limit=MAX_GUESSES)
    found, close = query.result.exact, query.result.close
    await count(context, Searched(query.kind))
    if len(found) == 1:
        await results_for(update, context, found[0])
        return
    rows: list[Row]
    if found:
        rows = [
            [(f"{c.name} ({c.departement})", CommuneButton(c.insee))]
            for c in found[:MAX_COMMUNES]
        ]
        rows.append(footer(context))
        await show(update, context, Screen(bold(context._(WHICH)), rows), new=True)
        return
    if close:
        rows = [
            [(f"{c.name} ({c.departement})", CommuneButton(c.insee))]
            for c in close[:MAX_GUESSES]
        ]
        rows.append([(context._("Aucune de ces communes"), Search(none_of_these=True))])
        rows.append(footer(context))
        question = bold(context._(DID_YOU_MEAN))
        await show(update, context, Screen(question, rows), new=True)
        return
    digits = text.replace(" ", "")
    postal = query.kind == "postal_code" or (digits.isdigit() and len(digits) <= 6)
    answer = context._(POSTAL_UNKNOWN if postal else NOT_FOUND) % {"text": text[:60]}
    await show(update, context, not_found_screen(context, answer), new=True)


async def by_commune(update: Update, context: BotContext) -> None:
    """A commune picked among several."""
    button = pressed(update, CommuneButton)
    commune = context.bot_data.communes.by_insee(button.insee) if button else None
    if commune is None:
        await ack(update, context)
        return
    await results_for(update, context, commune)


async def results_for(update: Update, context: BotContext, commune: Commune) -> None:
    """The best permanences for a commune, and the partners serving it."""
    directory = context.bot_data.directory
    await count(context, Located(commune.insee, context.bot_data.territory))
    matches = directory.best(insee=commune.insee) if directory else []
    point = directory.points.get(commune.insee) if directory else None
    place = Place(
        insee=commune.insee,
        epci=commune.epci or None,
        departement=commune.departement,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
    )
    await show_results(update, context, matches, commune.name, place)


async def show_results(
    update: Update, context: BotContext, matches: list[Match], name: str, place: Place
) -> None:
    """The first permanence's venue, the list, then the panel (partners, remote channels,
    buttons). Without a directory, or with no permanence known there, the panel says so."""
    chat = update.effective_chat
    if chat is None:
        return
    await ack(update, context)
    await drop_panel_buttons(context, chat.id)
    journey = context.session.journey
    partners = context.bot_data.partners
    journey.places = tuple(matches)
    journey.partners = tuple(partners.near(journey.domain, place, limit=3))
    journey.place_name = name
    journey.chosen = 0
    journey.results_shown = True
    info = context.bot_data.directory.info if context.bot_data.directory else None
    if matches and info is not None:
        await send_venue(context, chat.id, matches[0])
        await send(context, chat.id, places_text(context, journey.places, name, info))
    await show(update, context, results_screen(context), new=True)


async def send_venue(context: BotContext, chat_id: int, match: Match) -> None:
    """A permanence as a venue: a pin that opens in the phone's maps app."""
    place = match.permanence
    if place.latitude is None or place.longitude is None:
        return
    venue = await context.bot.send_venue(
        chat_id,
        place.latitude,
        place.longitude,
        title=place.name[:100],
        address=address(place)[:100],
    )
    context.session.remember_message(venue.message_id)


async def on_partners(update: Update, context: BotContext) -> None:
    """Every local partner proposed (when there are any)."""
    if context.session.journey.partners:
        await show(update, context, all_partners_screen(context))
    else:
        await ack(update, context)


async def on_place(update: Update, context: BotContext) -> None:
    """A permanence's button: its card, its pin on a map, or keep it for the summary."""
    button = pressed(update, PlaceButton)
    card = place_screen(context, button.index) if button else None
    chat = update.effective_chat
    if button is None or card is None or chat is None:
        await ack(update, context)
        return
    journey = context.session.journey
    index = button.index
    if button.view == "pick":
        journey.chosen = index
        kept = context._(KEPT)
        await ack(update, context, rtl_pass(kept) if context.t.rtl else kept)
        await show(update, context, results_screen(context))
    elif button.view == "map":
        await ack(update, context)
        await send_venue(context, chat.id, journey.places[index])
        await show(update, context, card, new=True)
    else:
        await show(update, context, card)


async def search_again(update: Update, context: BotContext) -> Move | None:
    """Back to the prompt (or: none of the names proposed was the right one)."""
    button = pressed(update, Search)
    context.session.journey.results_shown = False
    if button is not None and button.none_of_these:
        await show(update, context, not_found_screen(context, context._(NONE_OF_THESE)))
        return None
    return Move.AGAIN  # the prompt
