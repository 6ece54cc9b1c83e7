"""Outreach sources: the codes in deep links (`t.me/<bot>?start=CODE`) printed on posters
or given to partners. A known code is counted as itself; anything else as "unknown",
never verbatim. The file lists only codes and labels: no person, no place beyond a name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Self

from pydantic import AfterValidator, model_validator

from bot.datafiles import DataFileError, FilledLine, YamlModel, read_yaml, unique, validate

CODE = re.compile(r"^[a-z0-9_]{1,32}$")
PRACTICE = "entrainement"  # the deep-link payload of the staff practice mode
DIRECT, UNKNOWN = "direct", "unknown"


class SourcesError(DataFileError):
    """The sources file cannot be used; one line for the operator."""


def _code(code: str) -> str:
    if not CODE.match(code) or code in {DIRECT, UNKNOWN, PRACTICE}:
        reserved = f"{DIRECT}, {UNKNOWN} or {PRACTICE}"
        raise ValueError(f"{code!r} is not a code: a-z, 0-9 or _ (1 to 32), not {reserved}")
    return code


class Source(YamlModel):
    """One outreach source."""

    code: Annotated[str, AfterValidator(_code)]
    label: FilledLine


class Sources(YamlModel):
    """The known outreach sources."""

    sources: tuple[Source, ...]  # required: a file without the list is a mistake

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        unique(((s.code, ("sources", i, "code")) for i, s in enumerate(self.sources)), "code")
        return self

    def get(self, code: str) -> Source | None:
        """The source with this code."""
        return next((s for s in self.sources if s.code == code), None)

    @property
    def codes(self) -> frozenset[str]:
        """Every known code (bot/metrics.py counts any other payload as "unknown")."""
        return frozenset(s.code for s in self.sources)

    def label(self, code: str) -> str:
        """The label of a code (the code itself for direct/unknown)."""
        found = self.get(code)
        return found.label if found else code


def load_sources(path: Path) -> Sources:
    """Read the file (missing: no sources); SourcesError names the entry and the key."""
    if not path.exists():
        return Sources(sources=())
    return validate(Sources, read_yaml(path, SourcesError) or {}, path, SourcesError)
