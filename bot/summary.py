"""The summary a person keeps or forwards to a delegate: their answers, their words, the
deadlines and the remote contacts, in one message under Telegram's 4,096 characters."""

from __future__ import annotations

import html
from datetime import date

from babel.dates import format_date

from bot.content import Content
from bot.deadlines import status
from bot.i18n import N_, Translator
from bot.session import Journey

TITLE = N_("Résumé à garder ou à transférer")
WHO = N_("Qui écrit :")
WHERE = N_("Où :")
WHY = N_("Raisons possibles :")
WHEN = N_("Quand :")
EVIDENCE = N_("Traces et preuves :")
WORDS = N_("En quelques mots :")
DEADLINES = N_("Délais à connaître :")
HELP = N_("Pour être aidé(e) gratuitement :")
NEAREST = N_("Permanence proposée :")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def build_summary(content: Content, journey: Journey, t: Translator, today: date) -> str:
    """The summary in the translator's language, as Telegram HTML."""
    _ = t.gettext

    def iso(text: str) -> str:  # left-to-right fragments inside right-to-left text
        return f"\u2068{text}\u2069" if t.rtl and text else text

    def label(options: tuple[object, ...], option_id: str | None) -> str:
        for option in options:
            if getattr(option, "id", None) == option_id:
                return _(str(getattr(option, "label", "")))
        return _(N_("non précisé"))

    domain = content.domain(journey.domain)
    where = label(content.domains, journey.domain)
    if domain and journey.situation:
        situation = label(domain.situations, journey.situation)
        if journey.situation != "unsure":
            where = f"{where} — {situation}"
    reasons = ", ".join(
        _(g.label) for g in content.criterion_groups if g.id in journey.criteria
    ) or _(N_("non précisé"))
    evidence = ", ".join(
        _(e.label) for e in content.evidence_kinds if e.id in journey.evidence
    ) or _(N_("non précisé"))
    lines = [
        f"<b>{_e(_(TITLE))}</b>",
        _e(
            _(N_("Préparé le %(date)s avec le service d'orientation contre les discriminations."))
            % {"date": format_date(today, format="long", locale=t.locale)}
        ),
        "",
        f"<b>{_e(_(WHO))}</b> {_e(label(content.speakers, journey.speaker))}",
        f"<b>{_e(_(WHERE))}</b> {_e(where)}",
        f"<b>{_e(_(WHY))}</b> {_e(reasons)}",
        f"<b>{_e(_(WHEN))}</b> {_e(label(content.timings, journey.timing))}",
        f"<b>{_e(_(EVIDENCE))}</b> {_e(evidence)}",
    ]
    if journey.narrative:
        lines += ["", f"<b>{_e(_(WORDS))}</b>", f"« {_e(journey.narrative)} »"]
    timing = next((x for x in content.timings if x.id == journey.timing), None)
    answers = journey.answers()
    deadlines = [p for p in content.deadlines if p.years and p.applies(answers)]
    if deadlines:
        lines += ["", f"<b>{_e(_(DEADLINES))}</b>"]
        for passage in deadlines:
            mark = {"open": "•", "close": "⚠️", "maybe_past": "⚠️"}[
                status(timing, passage.years or 0)
            ]
            lines.append(f"{mark} {_e(_(passage.title))}")
        lines.append(_e(_(N_("Contacter le Défenseur des droits n'arrête pas ces délais."))))
    lines += ["", f"<b>{_e(_(HELP))}</b>"]
    if journey.nearest:
        lines.append(f"• {_e(_(NEAREST))} {_e(iso(journey.nearest))}")
    lines += [f"• {_e(_(c.title))} : {_e(iso(c.reach))}" for c in content.remote_channels]
    return "\n".join(lines)
