"""The summary a person keeps or forwards to a delegate: their answers, their words, the
deadlines, the permanence proposed (address, phone, hours) and the remote contacts, in one
message under Telegram's 4,096 characters; and the same as a small HTML document, made in
memory, to save, print or forward.

Phone numbers, e-mail addresses and names after "Monsieur", "Madame"… typed in the free
text are masked in the summary (`mask_personal`): the summary is made to be forwarded and
printed, the bot asked not to type names, and a delegate gets the person's contact from the
person. Detection is sure for numbers and e-mails only, so the summary says to read it over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.content import Content
from bot.deadlines import DeadlineStatus
from bot.directory.model import Permanence
from bot.i18n import N_, Translator
from bot.markup import bold, esc, visible_length
from bot.opening import by_day, day_lines, remarks
from bot.rights import delays
from bot.rtl import colon, rtl_pass
from bot.session import Journey

TITLE = N_("Résumé à garder ou à transférer")
WHO = N_("Qui écrit :")
WHERE = N_("Où :")
WHY = N_("Raisons possibles :")
WHEN = N_("Quand :")
EVIDENCE = N_("Traces et preuves :")
WORDS = N_("En quelques mots :")
DEADLINES = N_("Délais, du plus court au plus long :")
EMPLOYER_UNSURE = N_("employeur public ou privé ?")
DELAYS_NOTE = N_("Contacter le Défenseur des droits n'arrête pas ces délais.")
# Where the person stands against each delay, from the period answered (bot/deadlines.py).
DELAY_STATUS = {
    DeadlineStatus.OPEN: N_("sans doute ouvert"),
    DeadlineStatus.CLOSE: N_("bientôt atteint ?"),
    DeadlineStatus.MAYBE_PAST: N_("peut-être déjà dépassé"),
    DeadlineStatus.PAST: N_("sans doute dépassé"),
}
HELP = N_("Pour être aidé(e) gratuitement :")
NEAREST = N_("Permanence proposée :")
HOURS = N_("Horaires :")
CLOSED_TODAY = N_("Fermé aujourd'hui.")
SAMPLE_PLACE = N_("⚠️ DONNÉES D'EXEMPLE : ce lieu est fictif, ne vous y rendez pas.")
MASKED_NOTE = N_(
    "🔒 Dans vos mots, les numéros de téléphone, adresses e-mail et noms repérés sont "
    "masqués. Relisez avant de transférer : un nom peut rester."
)
MASKS = {
    "email": N_("[e-mail masqué]"),
    "phone": N_("[numéro masqué]"),
    "name": N_("[nom masqué]"),
}
DOCUMENT_NOTE = N_(
    "Fait par le service d'orientation contre les discriminations. Ce fichier n'est gardé "
    "nulle part par le service : gardez-le, imprimez-le ou transférez-le."
)


def build_summary(
    content: Content, journey: Journey, t: Translator, today: date, *, sample_places: bool = False
) -> str:
    """The summary in the translator's language, as Telegram HTML (`sample_places`: the
    permanence comes from SAMPLE data, and the summary says so)."""
    _ = t.gettext

    def label(options: tuple[object, ...], option_id: str | None) -> str:
        for option in options:
            if getattr(option, "id", None) == option_id:
                return _(str(getattr(option, "label", "")))
        return _("non précisé")

    domain = content.domain(journey.domain)
    where = label(content.domains, journey.domain)
    if domain and journey.situation:
        situation = label(domain.situations, journey.situation)
        if journey.situation != "unsure":
            where = f"{where} — {situation}"
    if domain and domain.id == "work" and journey.employer:
        kind = EMPLOYER_UNSURE if journey.employer == "unsure" else None
        where += " — " + (_(kind) if kind else label(content.employers, journey.employer))
    reasons = choice_lines(
        [_(g.label) for g in content.criterion_groups if g.id in journey.criteria], t
    )
    evidence = choice_lines(
        [_(e.label) for e in content.evidence_kinds if e.id in journey.evidence], t
    )
    lines = [
        bold(_(TITLE)),
        esc(
            _("Préparé le %(date)s avec le service d'orientation contre les discriminations.")
            % {"date": format_date(today, format="long", locale=t.locale)}
        ),
        "",
        f"{bold(_(WHO))} {esc(label(content.speakers, journey.speaker))}",
        f"{bold(_(WHERE))} {esc(where)}",
        f"{bold(_(WHY))}{reasons}",
        f"{bold(_(WHEN))} {esc(label(content.timings, journey.timing))}",
        f"{bold(_(EVIDENCE))}{evidence}",
    ]
    if journey.speaker is None and journey.domain is None:  # the short way: no questions
        lines = lines[:2]
    if journey.narrative:
        lines += ["", *words_lines(journey.narrative, t)]
    lines += delay_lines(content, journey, t)
    lines += ["", bold(_(HELP))]
    lines += help_lines(content, journey.place, t, today, sample=sample_places)
    return "\n".join(lines)


def duration(months: int, t: Translator) -> str:
    """A delay's length in words: "2 mois", "6 ans"."""
    if months % 12 == 0:
        years = months // 12
        return t.ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    return t.ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}


def delay_lines(content: Content, journey: Journey, t: Translator) -> list[str]:
    """Every delay that applies, shortest first: its length, the line a delegate reads,
    and where the person stands from the period answered; then the Défenseur's note."""
    _ = t.gettext
    found = delays(content, journey)
    if not found:
        return []
    sep = colon(t.language)
    lines = ["", bold(_(DEADLINES))]
    for delay in found:
        mark = "•" if delay.status is DeadlineStatus.OPEN else "⚠️"
        length = bold(duration(delay.months, t))
        what = esc(_(delay.passage.line))
        lines.append(f"{mark} {length}{sep}{what} — {esc(_(DELAY_STATUS[delay.status]))}")
    lines.append(esc(_(DELAYS_NOTE)))
    return lines


def choice_lines(labels: list[str], t: Translator) -> str:
    """The answers chosen, one per line (labels may hold commas), after their heading."""
    if not labels:
        return " " + esc(t.gettext("non précisé"))
    return "".join(f"\n• {esc(label)}" for label in labels)


def words_lines(narrative: str, t: Translator) -> list[str]:
    """The person's own words, with numbers, e-mails and names masked, and a note."""
    masked = mask_personal(narrative, t)
    return [
        bold(t.gettext(WORDS)),
        # TRANSLATORS: the person's own words, between your language's quotation marks.
        t.gettext("« %(text)s »") % {"text": esc(masked)},
        esc(t.gettext(MASKED_NOTE)),
    ]


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.])@\w{4,}")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s.\-/]?\d){8,13}(?!\w)")
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_NAMED = re.compile(
    r"(\b(?:M\.|MM\.|Mme|Mmes|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Me|Maître|Docteur"
    r"|(?i:monsieur|madame|mademoiselle|je m['’]appelle|s['’]appelle|nommée?|appelée?))\s+)"
    rf"({_CAPITALISED}(?:[ -]{_CAPITALISED})?)"
)


def mask_personal(text: str, t: Translator) -> str:
    """The text with e-mail addresses, Telegram usernames, phone numbers and names after a
    title ("M. Dupont", "Madame Martin") or "je m'appelle" replaced by a mark, in memory."""
    text = _EMAIL.sub(t.gettext(MASKS["email"]), text)
    text = _PHONE.sub(t.gettext(MASKS["phone"]), text)
    return _NAMED.sub(lambda m: m.group(1) + t.gettext(MASKS["name"]), text)


def help_lines(
    content: Content, place: Permanence | None, t: Translator, today: date, *, sample: bool
) -> list[str]:
    """The permanence kept (name, address, phones, hours with today marked, appointment)
    and the remote channels, one per line."""
    _ = t.gettext
    sep = colon(t.language)
    lines = []
    if place is not None:
        lines.append(f"• {bold(_(NEAREST))} {esc(place.name)}")
        if sample:
            lines.append(f"  {esc(_(SAMPLE_PLACE))}")
        where = [*place.address_lines, f"{place.postal_code} {place.commune}".strip()]
        lines.append(f"  📍 {esc(', '.join(where))}")
        lines += [
            f"  📞 {esc(phone.number)}"
            + (f" ({esc(phone.description)})" if phone.description else "")
            for phone in place.phones
        ]
        lines += [f"  {line}" for line in hours_lines(place, t, today)]
    lines += [f"• {esc(_(c.title))}{sep}{esc(c.reach)}" for c in content.remote_channels]
    return lines


def hours_lines(place: Permanence, t: Translator, today: date) -> list[str]:
    """Every opening day of the permanence, today's in bold (or "closed today"), then each
    published remark once (`bot.opening.remarks`), the appointment's last."""
    _ = t.gettext
    days = by_day(place.hours)
    said = remarks(place)
    lines = [f"🕘 {esc(_(HOURS))}"] if days or place.hours_notes else []
    lines += day_lines(t, place.hours, today.weekday(), said.marks)
    if days and today.weekday() not in days:
        lines.append(esc(_(CLOSED_TODAY)))
    lines += [esc(prefix + note) for prefix, note in said.items()]
    return lines


@dataclass(frozen=True)
class Copy:
    """One language's copy of the summary, as sent (Telegram HTML)."""

    text: str
    t: Translator


_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em}"
    "section+section{border-top:2px solid #888;margin-top:2em;padding-top:1em}"
    "p{margin:.15em 0}p.gap{margin:.8em 0}footer{margin-top:2em;color:#555;font-size:.9em}"
    "a{color:inherit}@media print{body{margin:0;max-width:none}a{text-decoration:none}}"
)


def summary_document(copies: list[Copy], today: date) -> tuple[str, bytes]:
    """The summary as one self-contained HTML page (file name, UTF-8 bytes), each copy in
    its own language and direction; made in memory, never written anywhere."""
    first = copies[0].t
    sections = []
    for copy in copies:
        lang = copy.t.language.split("@", maxsplit=1)[0]
        direction = "rtl" if copy.t.rtl else "ltr"
        text = rtl_pass(copy.text) if copy.t.rtl else copy.text
        paragraphs = "\n".join(
            f"<p>{line}</p>" if line.strip() else '<p class="gap"></p>' for line in text.split("\n")
        )
        note = esc(copy.t.gettext(DOCUMENT_NOTE))
        note = rtl_pass(note) if copy.t.rtl else note
        sections.append(
            f'<section lang="{lang}" dir="{direction}">\n{paragraphs}\n'
            f"<footer>{note}</footer>\n</section>"
        )
    lang = first.language.split("@", maxsplit=1)[0]
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{"rtl" if first.rtl else "ltr"}">\n'
        '<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(first.gettext(TITLE))}</title>\n<style>{_STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )
    return f"resume-{today.isoformat()}.html", page.encode("utf-8")


CHAT_LIMIT = 690  # visible characters per chat message (a screen fits 700)


def chat_parts(summary: str, limit: int = CHAT_LIMIT) -> list[str]:
    """The summary cut at its blank lines into messages that each fit a phone's screen
    (the document keeps it whole). A paragraph is never cut: tags never span paragraphs."""
    parts: list[str] = []
    for paragraph in summary.split("\n\n"):
        if parts and visible_length(parts[-1]) + 2 + visible_length(paragraph) <= limit:
            parts[-1] += "\n\n" + paragraph
        else:
            parts.append(paragraph)
    return parts
