"""Outreach sources: the codes in deep links (`t.me/<bot>?start=CODE`) printed on posters
or given to partners. A known code is counted as itself; anything else as "unknown",
never verbatim. The file lists only codes and labels: no person, no place beyond a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CODE = re.compile(r"^[a-z0-9_]{1,32}$")
PRACTICE = "entrainement"  # the deep-link payload of the staff practice mode
DIRECT, UNKNOWN = "direct", "unknown"


class SourcesError(Exception):
    """The sources file cannot be used; one line for the operator."""


@dataclass(frozen=True)
class Source:
    """One outreach source."""

    code: str
    label: str


@dataclass(frozen=True)
class Sources:
    """The known outreach sources."""

    sources: tuple[Source, ...] = ()

    def get(self, code: str) -> Source | None:
        """The source with this code."""
        return next((s for s in self.sources if s.code == code), None)

    def count_as(self, payload: str | None) -> str:
        """What a /start payload is counted as: a known code, "direct" or "unknown"."""
        if not payload:
            return DIRECT
        return payload if self.get(payload) else UNKNOWN

    def label(self, code: str) -> str:
        """The label of a code (the code itself for direct/unknown)."""
        found = self.get(code)
        return found.label if found else code


def load_sources(path: Path) -> Sources:
    """Read the file (missing: no sources)."""
    if not path.exists():
        return Sources()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SourcesError(f"{path}: cannot be read as YAML ({type(error).__name__})") from None
    items = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise SourcesError(f"{path}: expected a mapping with a 'sources' list")
    sources: list[Source] = []
    for index, item in enumerate(items, start=1):
        code = str(item.get("code", "")) if isinstance(item, dict) else ""
        label = str(item.get("label", "")).strip() if isinstance(item, dict) else ""
        if not CODE.match(code) or code in {DIRECT, UNKNOWN, PRACTICE}:
            raise SourcesError(
                f"{path}: source {index}: code must be a-z, 0-9 or _ (1-32), not reserved"
            )
        if not label:
            raise SourcesError(f"{path}: source {index}: missing label")
        if any(s.code == code for s in sources):
            raise SourcesError(f"{path}: source {index}: duplicate code {code!r}")
        sources.append(Source(code, label))
    return Sources(tuple(sources))
