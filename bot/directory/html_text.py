"""Published text as plain lines: HTML tags dropped, entities decoded, spaces collapsed.

DILA fields (names, remarks, `information_complementaire`) may hold HTML fragments. The
words themselves are never changed: a remark is shown as published, or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)
_SPACES = re.compile(r"[^\S\n]+")


class _TextOnly(HTMLParser):
    """Keeps the text of an HTML fragment; block tags become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def paragraphs(value: object) -> list[str]:
    """The non-empty lines of a published text (string or list), tags stripped."""
    if isinstance(value, list):
        return [line for item in value for line in paragraphs(item)]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return []
    raw = str(value)
    if "<" in raw or "&" in raw:
        parser = _TextOnly()
        parser.feed(raw)
        parser.close()
        raw = "".join(parser.parts)
    lines = (_SPACES.sub(" ", line).strip() for line in raw.replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


def text(value: object) -> str:
    """A published value as one clean line ("" when absent or not text)."""
    if isinstance(value, str) and "<" not in value and "&" not in value and "\n" not in value:
        # The common case, 63,000 times per import: no markup, one line.
        return _SPACES.sub(" ", value).strip()
    return " ".join(paragraphs(value))


def fold(value: str) -> str:
    """Lower case without accents, for comparing names and keywords."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
