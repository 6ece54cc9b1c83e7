"""Babel extractor for the TOML content files (`babel.cfg` names it).

Yields every person-facing string: labels, hints, titles, texts and the plain names of
legal criteria, with the item's path as a comment so translators know where it shows.
Source titles are not extracted: a reference stays as published (French law, French pages).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

TRANSLATABLE = frozenset(
    {"label", "hint", "title", "text", "text_other", "text_witness", "more", "line"}
)
Extracted = tuple[int, str | None, str, list[str]]


def extract_toml(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[Extracted]:
    """Babel extraction method: (line, function, message, comments) tuples."""
    raw = fileobj.read()
    text = raw.decode("utf-8")
    data = tomllib.loads(text)
    for path, message in _walk(data, ""):
        yield _line(text, message), None, message, [path]


def _walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        where = f"{path}.{node['id']}" if "id" in node else path
        for key, value in node.items():
            if key == "sources":
                continue  # references stay as published (French law, French pages)
            if key in TRANSLATABLE and isinstance(value, str) and value:
                yield f"{where}.{key}", value
            elif (
                key == "criteria"
                and where.startswith("criterion_group")
                and isinstance(value, list)
            ):
                yield from ((f"{where}.criteria", v) for v in value if isinstance(v, str))
            else:
                yield from _walk(value, f"{where}.{key}".lstrip(".") if key != "id" else where)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, path)


def _line(text: str, message: str) -> int:
    """The line where the message starts (its first line found in the file), else 1."""
    first = message.strip().splitlines()[0][:60] if message.strip() else ""
    index = text.find(first) if first else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
