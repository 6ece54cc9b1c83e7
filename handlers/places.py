"""How permanences and partners read in the chat.

The referral answers with one short list (each permanence's name, address, distance,
today's or next opening hours and phone), and the full card of a permanence (its
accessibility note, every day's hours with today marked, each published remark once,
appointment, phones, the accessible line, e-mail, site, its Service-Public page) on
demand. What the directory says is shown as published; every message that shows it
carries the attribution the Licence Ouverte asks for, and SAMPLE data says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.context import BotContext
from bot.directory.hours import sentences
from bot.directory.model import DirectoryInfo, Match, Permanence, Phone
from bot.directory.partners import Partner
from bot.i18n import N_
from bot.markup import bold, esc, italic, link, visible_length
from bot.opening import Remarks, by_day, day_lines, day_name, next_open_day, remarks, spans
from bot.rtl import colon
from handlers.ui import ltr

HOURS = N_("Horaires :")
PARTNERS = N_("🤝 Aussi près de chez vous")
PARTNERS_OTHER = N_("🤝 Aussi près de chez la personne")  # a witness or a helper speaks
SOURCE = N_("Source :")
SAMPLE_WARNING = N_("⚠️ DONNÉES D'EXEMPLE : ce lieu est fictif, ne vous y rendez pas.")
SAMPLE_PLACES = N_("⚠️ DONNÉES D'EXEMPLE : ces lieux sont fictifs, n'y allez pas.")
FOUND = N_("📍 Permanences du Défenseur des droits près de %(place)s")
OPEN_TODAY = N_("aujourd'hui %(hours)s")
NEXT_OPEN = N_("%(day)s %(hours)s")
SERVES = N_("✅ reçoit votre commune")
SERVES_OTHER = N_("✅ reçoit sa commune")  # the person's, when a witness or a helper speaks
SERVES_LONG = N_("✅ Reçoit les habitants de cette commune.")
KM = N_("%(km)s km")
# TRANSLATORS: before the accessibility note of a place as the official directory
# publishes it, in French (e.g. "rampe", "Entrée de plain-pied").
ACCESSIBILITY = N_("♿ Accessibilité :")
# TRANSLATORS: before a phone number the official directory lists in its field
# "téléphone accessible"; it does not say for whom: keep it neutral, do not add a meaning.
ACCESSIBLE_PHONE = N_("Téléphone accessible :")
# TRANSLATORS: a link to this place's page in the official directory
# (lannuaire.service-public.gouv.fr); keep the site's name as it is.
SERVICE_PUBLIC_PAGE = N_("Sa fiche sur Service-Public.gouv.fr")
# TRANSLATORS: when a card is too long for one message and some remarks on the opening
# hours published by the official directory are left out.
MORE_REMARKS = N_("ℹ️ D'autres remarques sur les horaires sont sur sa fiche Service-Public.gouv.fr.")
# TRANSLATORS: the same, for a place whose page on Service-Public.gouv.fr is not known.
CUT_REMARKS = N_("ℹ️ D'autres remarques publiées sur les horaires ne tiennent pas ici.")
KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣")
NOTE_CHARS = 90  # a published remark, in the short list (whole in the card if it holds)
BRIEF_NOTE_CHARS = 40  # the same when the list would be too long
MESSAGE_CHARS = 700  # what a person reads in one message of the answer, at most
MIN_PREFIX = 15  # a beginning all names share, said once in the list when this long
MIN_REMARK = 40  # a published remark is never shortened below this, to hold the card


def shared_beginning(names: list[str]) -> str:
    """The words every name begins with ("Défenseur des droits - Délégué - "), when there
    are several names and it is long enough to be worth saying once; else ""."""
    if len(names) < 2:
        return ""
    prefix = min(names)
    for name in names:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    cut = max(prefix.rfind(" "), prefix.rfind(","), prefix.rfind("–"), prefix.rfind("-"))
    prefix = prefix[: cut + 1] if cut >= 0 else ""
    if len(prefix.rstrip(" ,–-")) < MIN_PREFIX or any(
        n[len(prefix) :].strip() == "" for n in names
    ):
        return ""
    return prefix


def today_weekday(context: BotContext) -> int:
    """Today's weekday (0 is Monday) where the bot serves."""
    return datetime.now(context.bot_data.settings.zone).weekday()


def shorten(text: str, chars: int) -> str:
    """A published remark cut at a word, with "…" when cut."""
    if len(text) <= chars:
        return text
    return text[: chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def short_hours(
    context: BotContext, place: Permanence, today: int, note_chars: int = NOTE_CHARS
) -> list[str]:
    """The hours line of the short list: today's hours, else the next opening day's, with
    what was published on that day's slots said once; without weekly hours, the place's
    remark. Then the 📅 line: the appointment sentences of that day or of the place (those
    of other days' slots are in the card). Remarks are shortened to `note_chars`."""
    _ = context._
    day = next_open_day(place.hours, today)
    slots = by_day(place.hours).get(day, []) if day is not None else []
    own = list(dict.fromkeys(s.note for s in slots if s.note))
    others = {s.note for s in place.hours if s.note} - set(own)
    general = [*place.hours_notes, *own]
    appointment = [
        sentence
        for sentence in sentences(place.appointment)
        if any(sentence in text for text in general)
        or not any(sentence in other for other in others)
    ]
    lines = []
    if day is not None:
        told = [s for note in own for s in sentences(note) if s not in appointment]
        remark = shorten(" ".join(dict.fromkeys(told)), note_chars)
        after = f" ({ltr(context, remark)})" if remark else ""
        hours = spans(context.t, slots)
        if day == today:
            lines.append(f"🕘 {bold(_(OPEN_TODAY) % {'hours': hours})}{esc(after)}")
        else:
            name = day_name(context.t, day, in_sentence=True)
            lines.append(f"🕘 {esc(_(NEXT_OPEN) % {'day': name, 'hours': hours})}{esc(after)}")
    elif place.hours_notes:
        remark = shorten(place.hours_notes[0], note_chars)
        lines.append(f"🕘 {esc(remark)}")
        appointment = [sentence for sentence in appointment if sentence not in remark]
    if appointment:
        lines.append(f"📅 {esc(shorten(' '.join(appointment), note_chars))}")
    return lines


def attribution(context: BotContext, info: DirectoryInfo, *, short: bool = False) -> str:
    """What Licence Ouverte 2.0 asks: the author, the date of the data, the link (and the
    file's name in the full card)."""
    _ = context._
    try:
        day = date.fromisoformat(info.file_date)
        # Arabic numeric dates carry marks that reverse them: the long form reads right.
        brief = short and not context.t.rtl
        when = format_date(day, "medium" if brief else "long", locale=context.t.locale)
    except ValueError:
        when = info.file_date
    # Each part isolated whole in right-to-left text: the date reads as one (Arabic) unit,
    # the author and the file's name as Latin ones, in the order the sentence gives.
    parts = {
        "author": ltr(context, info.attribution),
        "date": ltr(context, when),
        "file": ltr(context, info.file_name),
    }
    if short:
        text = _("Source : %(author)s, %(date)s (Licence Ouverte 2.0)") % parts
    else:
        text = _("Source : %(author)s, %(file)s du %(date)s (Licence Ouverte 2.0)") % parts
    return f"<i>{link(info.download_url, text)}</i>"


def _km(context: BotContext, match: Match) -> str:
    """The distance's number, in the reader's numbers ("2,2"); "" when not known."""
    if match.distance_km is None:
        return ""
    return format_decimal(round(match.distance_km, 1), locale=context.t.locale)


def distance(context: BotContext, match: Match) -> str:
    """ "2,2 km", in the reader's numbers."""
    km = _km(context, match)
    return context._(KM) % {"km": km} if km else ""


def distance_line(context: BotContext, match: Match) -> str:
    """Why this place: it serves the commune, and how far it is."""
    _ = context._
    parts = []
    if match.serves_commune:
        parts.append(_(SERVES_LONG))
    if km := _km(context, match):
        parts.append(_("📏 À environ %(km)s km.") % {"km": km})
    return esc(" ".join(parts))


def address(place: Permanence) -> str:
    """The address on one line, as published."""
    return ", ".join([*place.address_lines, f"{place.postal_code} {place.commune}".strip()])


def places_text(
    context: BotContext,
    matches: tuple[Match, ...],
    place_name: str,
    info: DirectoryInfo,
    *,
    brief: bool = False,
) -> str:
    """The short list of the permanences proposed, numbered like their details buttons:
    name (a beginning they all share said once), address, distance, today's or the next
    opening hours, a phone; the whole card is one button away. Over 700 characters, the
    published remarks are shortened further (`brief`), then the distances and "serves
    your commune" marks are left to the cards."""
    tiers = [(BRIEF_NOTE_CHARS, True), (BRIEF_NOTE_CHARS, False)]
    if not brief:
        tiers.insert(0, (NOTE_CHARS, True))
    for note_chars, why in tiers:
        text = _places_text(context, matches, place_name, info, note_chars, why=why)
        if visible_length(text) <= MESSAGE_CHARS:
            break
    return text


def _places_text(
    context: BotContext,
    matches: tuple[Match, ...],
    place_name: str,
    info: DirectoryInfo,
    note_chars: int,
    *,
    why: bool = True,
) -> str:
    _ = context._
    today = today_weekday(context)
    lines = [bold(_(FOUND) % {"place": ltr(context, place_name)})]
    if info.sample:
        lines.append(esc(_(SAMPLE_PLACES)))
    shared = shared_beginning([m.permanence.name for m in matches])
    if shared:
        heading = ltr(context, shared.rstrip(" ,–-")) + colon(context.t.language).rstrip()
        lines += ["", italic(heading)]
    for number, match in zip(KEYCAPS, matches, strict=False):
        place = match.permanence
        name = ("… " if shared else "") + place.name[len(shared) :].strip()
        lines += [
            "",
            f"{number} {bold(ltr(context, name))}",
            esc(ltr(context, address(place))),
        ]
        marks = [far] if (far := distance(context, match)) else []
        if match.serves_commune:
            other = context.session.journey.about_someone_else
            marks.append(_(SERVES_OTHER if other else SERVES))
        if marks and why:
            lines.append(esc(" · ".join(marks)))
        lines += short_hours(context, place, today, note_chars)
        if place.phones:
            lines.append(f"📞 {esc(ltr(context, place.phones[0].number))}")
    lines += ["", attribution(context, info, short=True)]
    return "\n".join(lines)


@dataclass(frozen=True)
class Fit:
    """What the card leaves out, or shortens, to hold in one message."""

    grouped: bool = False  # days in a row with the same hours on one line
    email: bool = True
    website: bool = True
    distance: bool = True
    descriptions: bool = True  # the phones' published descriptions
    left_out: int = 0  # the last remarks of the hours not said (never the appointment's)
    short_source: bool = False  # the attribution without the file's name (as in the list)
    chars: Mapping[str, int] = field(default_factory=dict)  # a published remark -> at most


def remark_lines(said: Remarks, fit: Fit | None = None) -> list[str]:
    """The published remarks of the hours, each once (see `bot.opening.remarks`), those
    the card must shorten shortened."""
    return [esc(prefix + _fitted(note, fit or Fit())) for prefix, note in said.items()]


def kept(said: Remarks, left_out: int) -> Remarks:
    """The remarks without the last `left_out` of the slots' and the place's ones (their
    marks go with them); the appointment's stay."""
    items = [*said.marks, *said.own]
    gone = set(items[len(items) - left_out :]) if left_out else set()
    return Remarks(
        {note: mark for note, mark in said.marks.items() if note not in gone},
        tuple(note for note in said.own if note not in gone),
        said.appointment,
    )


def _fitted(remark: str, fit: Fit) -> str:
    """A published remark, shortened if the card must."""
    chars = fit.chars.get(remark)
    return remark if chars is None else shorten(remark, chars)


def permanence_text(context: BotContext, match: Match, info: DirectoryInfo) -> str:
    """The whole card of one permanence, in one message a person reads at once. When it
    would be longer than 700 characters, days in a row with the same hours share a line;
    then the e-mail goes, then the site (when its Service-Public page is linked), then the
    distance; then the longest published remarks are shortened at a word ("…"), as little
    as needed and not below 40 characters; then the phones' descriptions go; then the
    last remarks on the hours, saying so (the appointment's always stays); at the very
    last, the attribution without the file's name, as in the list."""
    place = match.permanence
    site = not place.url  # the site goes only when the Service-Public page is linked
    steps = (
        Fit(),
        Fit(grouped=True),
        Fit(grouped=True, email=False),
        Fit(grouped=True, email=False, website=site),
        Fit(grouped=True, email=False, website=site, distance=False),
    )
    for fit in steps:
        text = _card(context, match, info, fit)
        if visible_length(text) <= MESSAGE_CHARS:
            return text
    said = remarks(place)
    last = replace(steps[-1], descriptions=False)
    tries = [steps[-1], last]
    tries += [replace(last, left_out=n) for n in range(1, len(said.marks) + len(said.own) + 1)]
    for fit in tries:
        text = _shortened(context, match, info, fit)
        if visible_length(text) <= MESSAGE_CHARS:
            return text
    return _shortened(context, match, info, replace(fit, short_source=True))


def _shortened(context: BotContext, match: Match, info: DirectoryInfo, fit: Fit) -> str:
    """The card with its longest published remarks shortened, as little as needed to hold
    (never below `MIN_REMARK`)."""
    place = match.permanence
    published = [note for _prefix, note in kept(remarks(place), fit.left_out).items()]
    if place.accessibility_note:
        published.append(place.accessibility_note)
    text = _card(context, match, info, fit)
    while (over := visible_length(text) - MESSAGE_CHARS) > 0 and published:
        shown = {r: min(len(r), fit.chars.get(r, len(r))) for r in published}
        longest = max(published, key=lambda r: shown[r])
        if shown[longest] <= MIN_REMARK:
            break
        chars = {**fit.chars, longest: max(MIN_REMARK, shown[longest] - over - 1)}
        fit = replace(fit, chars=chars)
        text = _card(context, match, info, fit)
    return text


def _card(context: BotContext, match: Match, info: DirectoryInfo, fit: Fit) -> str:
    _ = context._
    place = match.permanence
    today = today_weekday(context)
    lines = [esc(_(SAMPLE_WARNING))] if info.sample else []
    lines.append(bold(ltr(context, place.name)))
    lines += [esc(ltr(context, line)) for line in place.address_lines]
    lines.append(esc(ltr(context, f"{place.postal_code} {place.commune}".strip())))
    if note := place.accessibility_note:
        note = _fitted(note, fit)
        lines.append(f"{esc(_(ACCESSIBILITY))} {esc(ltr(context, note))}")
    if fit.distance and (why := distance_line(context, match)):
        lines += ["", why]
    said = kept(remarks(place), fit.left_out)
    notes = remark_lines(said, fit)
    if fit.left_out:
        notes.append(esc(_(MORE_REMARKS if place.url else CUT_REMARKS)))
    if place.hours or notes:
        lines += [
            "",
            f"🕘 {esc(_(HOURS))}",
            *day_lines(context.t, place.hours, today, said.marks, grouped=fit.grouped),
        ]
        lines += notes
    contacts = [_phone(context, phone, fit) for phone in place.phones]
    contacts += [
        _phone(context, phone, fit, _(ACCESSIBLE_PHONE)) for phone in place.accessible_phones
    ]
    if place.email and fit.email:
        contacts.append(f"✉️ {esc(ltr(context, place.email))}")
    if place.website and fit.website:
        contacts.append(f"🌐 {esc(ltr(context, place.website))}")
    if place.url:
        contacts.append(f"🔗 {link(place.url, _(SERVICE_PUBLIC_PAGE))}")
    if contacts:
        lines += ["", *contacts]
    lines += ["", attribution(context, info, short=fit.short_source)]
    return "\n".join(lines)


def _phone(context: BotContext, phone: Phone, fit: Fit, label: str = "") -> str:
    """ "📞 03 27 00 00 00 (Accueil)", the number and its description as published."""
    line = f"📞 {esc(label)} " if label else "📞 "
    line += esc(ltr(context, phone.number))
    if phone.description and fit.descriptions:
        line += f" ({esc(ltr(context, phone.description))})"
    return line


def partners_text(context: BotContext, partners: tuple[Partner, ...], sample: bool) -> str:
    """The local partners of this place and domain, one short paragraph each, and where
    their details come from."""
    _ = context._
    other = context.session.journey.about_someone_else
    lines = [bold(_(PARTNERS_OTHER if other else PARTNERS))]
    if sample:
        lines.append(esc(_(SAMPLE_PLACES)))
    for partner in partners:
        details = ", ".join([partner.address, partner.contact])
        line = f"• {bold(ltr(context, partner.name))}\n{esc(ltr(context, details))}"
        if partner.note:
            line += f" · 📅 {esc(partner.note)}"
        if partner.url:
            line += f" · {link(partner.url, '🌐')}"
        lines.append(line)
    sources = ", ".join(dict.fromkeys(p.source for p in partners))
    lines.append(italic(f"{_(SOURCE)} {sources}"))
    return "\n".join(lines)
