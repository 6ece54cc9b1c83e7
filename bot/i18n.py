"""Translations chosen per update, never process-wide.

French is the source language: msgids are French and a missing catalog falls back to
them. A `Translator` is bound to one locale and handed to handlers through the context;
nothing here touches a global locale.
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations

SOURCE_LANGUAGE = "fr"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the conventional name Babel extracts
    """Mark a string for extraction without translating it now."""
    return message


@dataclass(frozen=True)
class Translator:
    """Gettext functions bound to one language."""

    language: str
    catalog: gettext_module.NullTranslations

    def gettext(self, message: str) -> str:
        """Translate one msgid (empty stays empty)."""
        return self.catalog.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate with a plural form chosen for n."""
        return self.catalog.ngettext(singular, plural, n)

    @cached_property
    def locale(self) -> Locale:
        """Babel's locale, for dates, numbers and text direction (parsed once: it is read
        for every isolated fragment of every message)."""
        return Locale.parse(self.language.split("@")[0])

    @cached_property
    def rtl(self) -> bool:
        """True for right-to-left scripts such as Arabic."""
        return self.locale.text_direction == "rtl"


class Catalogs:
    """The compiled catalogs found under `locales/`, loaded once each."""

    def __init__(self, directory: Path, default: str = SOURCE_LANGUAGE) -> None:
        self.directory = directory
        found = {path.parent.parent.name for path in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
        self.languages: tuple[str, ...] = tuple(
            sorted(found | {SOURCE_LANGUAGE}, key=lambda code: (code != SOURCE_LANGUAGE, code))
        )
        self.default = default if default in self.languages else SOURCE_LANGUAGE

    def pick(self, *candidates: str | None) -> str:
        """The first supported language among the candidates (Telegram codes accepted)."""
        for candidate in candidates:
            if not candidate:
                continue
            code = candidate.replace("-", "_")
            if code in self.languages:
                return code
            base = code.split("_")[0].split("@")[0].lower()
            if base in self.languages:
                return base
        return self.default

    def translator(self, language: str) -> Translator:
        """The translator for a supported language (the default otherwise)."""
        return _load(self.directory, language if language in self.languages else self.default)


@cache
def _load(directory: Path, language: str) -> Translator:
    catalog: gettext_module.NullTranslations
    if language == SOURCE_LANGUAGE:
        catalog = gettext_module.NullTranslations()
    else:
        catalog = Translations.load(str(directory), [language], DOMAIN)
        if "@" in language:  # e.g. fr@falc falls back to its base language
            base = language.split("@", maxsplit=1)[0]
            if base != SOURCE_LANGUAGE and isinstance(catalog, Translations):
                catalog.add_fallback(Translations.load(str(directory), [base], DOMAIN))
    return Translator(language=language, catalog=catalog)


# Variants Babel does not name: the easy-to-read French of the catalog fr@falc.
VARIANT_NAMES = {"fr@falc": "Français facile"}


def language_name(code: str) -> str:
    """The language's own name, e.g. "Français", "English", "العربية", "Français facile"."""
    if code in VARIANT_NAMES:
        return VARIANT_NAMES[code]
    try:
        locale = Locale.parse(code.split("@", maxsplit=1)[0])
    except (UnknownLocaleError, ValueError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]
