"""Telegram's HTML ``parse_mode``, turned into plain text plus message entities.

The double must reject what Telegram rejects (an unescaped ``<`` in user-provided text is a
classic bug that only shows up in production), and must show the person the text without tags.
Offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "parse_html",
    "strip_text",
    "utf16_len",
]

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z]{1,10});")
_NAME_RE = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[a-zA-Z0-9_-]+")
_MAX_CODE_POINT = 0x10FFFF


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is the Bot API description tail."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    entity_type: str
    start: int
    extra: dict[str, str] = field(default_factory=dict)


class _HtmlParser:
    """A single-pass scanner modelled on tdlib's ``parse_html``."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.pieces: list[str] = []
        self.length16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, message: str) -> EntityParseError:
        return EntityParseError(message)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.pieces.append(text)
        self.length16 += utf16_len(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "&":
                self.emit(self.read_entity())
            elif char == "<":
                if source.startswith("</", self.pos):
                    self.read_end_tag()
                else:
                    self.read_start_tag()
            else:
                self.emit(char)
                self.pos += 1
        if self.stack:
            name = self.stack[-1].name
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda item: (item["offset"], -item["length"]))
        return "".join(self.pieces), self.entities

    def read_entity(self) -> str:
        match = _ENTITY_RE.match(self.source, self.pos)
        offset = self.byte_offset(self.pos)
        if match is None:
            raise self.fail(f'Character "&" must be escaped as "&amp;" at byte offset {offset}')
        body = match.group(1)
        if body.startswith("#"):
            digits = body[1:]
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
            if code <= 0 or code > _MAX_CODE_POINT or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f"Invalid HTML entity at byte offset {offset}")
            self.pos = match.end()
            return chr(code)
        named = _NAMED_ENTITIES.get(body.lower())
        if named is None:
            raise self.fail(f'Unsupported HTML entity "&{body};" at byte offset {offset}')
        self.pos = match.end()
        return named

    def read_name(self) -> str:
        match = _NAME_RE.match(self.source, self.pos)
        name = match.group(0) if match else ""
        self.pos += len(name)
        return name.lower()

    def skip_spaces(self) -> None:
        while self.pos < len(self.source) and self.source[self.pos].isspace():
            self.pos += 1

    def read_end_tag(self) -> None:
        tag_start = self.pos
        self.pos += 2
        name = self.read_name()
        self.skip_spaces()
        if not self.source.startswith(">", self.pos):
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(tag_start)}")
        self.pos += 1
        offset = self.byte_offset(tag_start)
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {offset}")
        expected = self.stack[-1].name
        if name != expected:
            raise self.fail(
                f'Unmatched end tag at byte offset {offset}, expected "</{expected}>", '
                f'found "</{name}>"'
            )
        self.close(self.stack.pop())

    def read_attributes(self, tag_start: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        source = self.source
        while True:
            self.skip_spaces()
            if self.pos >= len(source):
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            if source[self.pos] == ">":
                self.pos += 1
                return attributes
            match = _ATTR_NAME_RE.match(source, self.pos)
            if match is None:
                offset = self.byte_offset(self.pos)
                raise self.fail(f"Empty attribute name in the tag at byte offset {offset}")
            name = match.group(0).lower()
            self.pos = match.end()
            self.skip_spaces()
            value = ""
            if source.startswith("=", self.pos):
                self.pos += 1
                self.skip_spaces()
                value = self.read_attribute_value(tag_start)
            attributes[name] = value

    def read_attribute_value(self, tag_start: int) -> str:
        source = self.source
        if self.pos < len(source) and source[self.pos] in "\"'":
            quote = source[self.pos]
            end = source.find(quote, self.pos + 1)
            if end < 0:
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            raw = source[self.pos + 1 : end]
            self.pos = end + 1
        else:
            end = self.pos
            while end < len(source) and not source[end].isspace() and source[end] != ">":
                end += 1
            raw = source[self.pos : end]
            self.pos = end
        return _unescape_attribute(raw)

    def read_start_tag(self) -> None:
        tag_start = self.pos
        self.pos += 1
        name = self.read_name()
        offset = self.byte_offset(tag_start)
        entity_type = _ENTITY_TYPES.get(name)
        if entity_type is None:
            raise self.fail(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes = self.read_attributes(tag_start)
        extra: dict[str, str] = {}
        if name == "a":
            extra["url"] = attributes.get("href", "").strip()
        elif name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        elif name == "tg-emoji":
            if not attributes.get("emoji-id", "").isdigit():
                raise self.fail(f"Invalid custom emoji identifier at byte offset {offset}")
            extra["custom_emoji_id"] = attributes["emoji-id"]
        elif name == "blockquote" and "expandable" in attributes:
            entity_type = "expandable_blockquote"
        elif name == "code" and attributes.get("class", "").startswith("language-"):
            extra["language"] = attributes["class"].removeprefix("language-")
        self.stack.append(_OpenTag(name, entity_type, self.length16, extra))

    def close(self, tag: _OpenTag) -> None:
        length = self.length16 - tag.start
        parent = self.stack[-1] if self.stack else None
        merges_into_pre = (
            tag.name == "code"
            and "language" in tag.extra
            and parent is not None
            and parent.name == "pre"
            and parent.start == tag.start
        )
        if merges_into_pre and parent is not None:
            parent.extra["language"] = tag.extra["language"]
            return
        if length <= 0:
            return
        if tag.name == "a" and not tag.extra.get("url"):
            return
        entity: dict[str, Any] = {"type": tag.entity_type, "offset": tag.start, "length": length}
        entity.update(tag.extra)
        self.entities.append(entity)


def _unescape_attribute(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("#"):
            digits = body[1:]
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
            valid = 0 < code <= _MAX_CODE_POINT and not 0xD800 <= code <= 0xDFFF
            return chr(code) if valid else match.group(0)
        return _NAMED_ENTITIES.get(body.lower(), match.group(0))

    return _ENTITY_RE.sub(replace, raw)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return ``(plain_text, entities)`` or raise :class:`EntityParseError` like Telegram."""
    return _HtmlParser(source).run()


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, keeping entities aligned with the text."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(0, int(entity.get("offset", 0)) - shift)
        end = min(total, int(entity.get("offset", 0)) + int(entity.get("length", 0)) - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
