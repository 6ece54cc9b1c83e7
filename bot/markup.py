"""Telegram HTML, built one way everywhere: escaping, bold, italics, links, and the isolate
that keeps a left-to-right fragment (a number, an address, a link, a French name) in order
inside right-to-left text. Handlers and the summary use only these.
"""

from __future__ import annotations

import html
import re

FSI, PDI = "\u2068", "\u2069"  # Unicode first-strong isolate and its end
_TAG = re.compile(r"<[^>]+>")
_CONTROLS = frozenset("\u2066\u2067\u2068\u2069\u200e\u200f")  # isolates and marks


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (content and anything typed)."""
    return html.escape(text, quote=False)


def bold(text: str) -> str:
    """Text in bold, escaped."""
    return f"<b>{esc(text)}</b>"


def italic(text: str) -> str:
    """Text in italics, escaped."""
    return f"<i>{esc(text)}</i>"


def link(url: str, text: str, *, strong: bool = False) -> str:
    """A link with escaped text (in bold when `strong`) and a quoted address."""
    shown = bold(text) if strong else esc(text)
    return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'


def isolate(text: str, rtl: bool) -> str:
    """One left-to-right fragment isolated inside right-to-left text (unchanged otherwise)."""
    return f"{FSI}{text}{PDI}" if text and rtl else text


def visible_length(text: str) -> int:
    """What a person reads of Telegram HTML: no tags, entities decoded, no bidi controls."""
    plain = html.unescape(_TAG.sub("", text))
    return sum(1 for c in plain if c not in _CONTROLS)
