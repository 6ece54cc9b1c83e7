"""Readable labels for the ids that counters hold, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.communes import Communes
from bot.content import Content
from bot.i18n import N_, Translator, language_name
from bot.outreach import DIRECT, UNKNOWN, Sources
from bot.stats.figures import Breakdown, Kind, Period

FUNNEL = {
    "welcome": N_("Accueil"),
    "nearby": N_("Aide près de chez moi (accès direct)"),
    "speaker": N_("Qui parle"),
    "domain": N_("Où"),
    "situation": N_("Situation"),
    "employer": N_("Employeur"),
    "criteria": N_("Pourquoi"),
    "when": N_("Quand"),
    "evidence": N_("Preuves"),
    "narrative": N_("Texte libre"),
    "rights": N_("Droits"),
    "referral": N_("Adresses"),
    "summary": N_("Résumé"),
    "end": N_("Fin"),
    "erased": N_("Effacé"),
}
USEFUL = {"yes": N_("Utile"), "partly": N_("Un peu utile"), "no": N_("Pas utile")}
SPECIAL = {
    DIRECT: N_("Sans lien (direct)"),
    UNKNOWN: N_("Lien inconnu"),
    "outside": N_("Hors du territoire"),
}


@dataclass(frozen=True)
class Labeller:
    """Turns (breakdown, dimension, id) into words."""

    content: Content
    communes: Communes
    sources: Sources
    t: Translator

    def for_breakdown(self, breakdown: Breakdown) -> Callable[[int, str], str]:
        """The label function of one breakdown (dimension 0, and 1 for criteria)."""
        return lambda index, key: self.label(breakdown, index, key)

    def label(self, breakdown: Breakdown, index: int, key: str) -> str:
        """One id in words."""
        _ = self.t.gettext
        if key in SPECIAL:
            return _(SPECIAL[key])
        options: dict[str, str] = {}
        if breakdown in {Breakdown.DOMAIN, Breakdown.DOMAIN_CRITERION} and index == 0:
            options = {d.id: d.label for d in self.content.domains}
        elif breakdown in {Breakdown.CRITERION, Breakdown.DOMAIN_CRITERION}:
            options = {g.id: g.label for g in self.content.criterion_groups}
        elif breakdown is Breakdown.SPEAKER:
            options = {s.id: s.label for s in self.content.speakers}
        elif breakdown is Breakdown.FUNNEL:
            options = FUNNEL
        elif breakdown is Breakdown.USEFUL:
            options = USEFUL
        elif breakdown is Breakdown.LANGUAGE:
            return language_name(key)
        elif breakdown is Breakdown.SOURCE:
            return self.sources.label(key)
        elif breakdown is Breakdown.TERRITORY:
            commune = self.communes.by_insee(key)
            return commune.name if commune else key
        return _(options[key]) if key in options else key


def period_name(period: Period, language: str) -> str:
    """ "mars 2026", "T1 2026", "2026" in the reader's language (Babel's calendar data)."""
    if period.kind is Kind.YEAR:
        return str(period.year)
    try:
        locale = Locale.parse(language.split("@", maxsplit=1)[0])
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("fr")
    first = date(period.year, period.month_numbers[0], 1)
    pattern = "LLLL y" if period.kind is Kind.MONTH else "QQQ y"
    return format_date(first, pattern, locale=locale)
