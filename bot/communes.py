"""Communes of France from a postal code or a name typed by a resident, however spelt.

People type "59300", "valencienne", "St Amand les eaux" or the name of the village they
grew up in, which may since have merged into another commune. The table behind this module
(bot/data/communes.tsv, built by scripts/build_communes.py from the INSEE Code officiel
géographique) is loaded once; every look-up after that is a dictionary access, and fuzzy
matching only scores the few hundred names that share trigrams with the query.
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from heapq import nlargest
from pathlib import Path
from typing import ClassVar, Literal

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "communes.tsv"

# Below this similarity (difflib ratio of normalised names) a name is not worth proposing.
CLOSE_CUTOFF = 0.6
# A name that starts with what was typed ("Saint-Amand" -> "Saint-Amand-les-Eaux") counts as
# this close, so that among several such names the most populous comes first.
PREFIX_SCORE = 0.9
_PREFIX_MIN = 4
# How many trigram candidates are rescored with difflib; the rest are clearly worse.
_CANDIDATES = 60
DEFAULT_LIMIT = 5

_ARTICLES = frozenset({"le", "la", "les", "l"})
_TOKEN_ALIASES = {"st": "saint", "ste": "sainte", "lez": "les"}
_TRAILING_ARTICLE = re.compile(r"^(.*?)\s*\(\s*(le|la|les|l')\s*\)\s*$", re.IGNORECASE)
# Apostrophes and dashes other than ASCII ones separate words; ligatures are two letters.
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "’": " ", "‘": " ", "ʼ": " ", "´": " ", "`": " ", "–": " ", "—": " "}
)
_TOKENS = re.compile(r"[a-z0-9]+")
_ARRONDISSEMENT = re.compile(r"^(.+) (\d+)(?:er|e) Arrondissement$")
_POSTAL = r"(\d{2}) ?(\d{3})"
_ONLY_POSTAL = re.compile(rf"^{_POSTAL}$")
_TRAILING_POSTAL = re.compile(rf"^(.*?\D)[\s,;-]*\(?{_POSTAL}\)?$")
_LEADING_POSTAL = re.compile(rf"^\(?{_POSTAL}\)?[\s,;-]*(\D.*)$")
_TRAILING_DEP_PARENS = re.compile(r"^(.*?)[\s,;-]*\(\s*(\d{2,3}|2[ab])\s*\)$", re.IGNORECASE)
_TRAILING_DEP = re.compile(r"^(.*?\D)[\s,;-]+(\d{2,3}|2[ab])$", re.IGNORECASE)


@dataclass(frozen=True)
class Commune:
    """A current commune, or an arrondissement municipal of Paris, Lyon or Marseille."""

    insee: str
    name: str
    postal_codes: tuple[str, ...]
    departement: str
    epci: str  # SIREN of its EPCI à fiscalité propre ("" for the few that have none)


@dataclass(frozen=True)
class SearchResult:
    """Names equal to the query once normalised, else close spellings, best first."""

    exact: list[Commune] = field(default_factory=list)
    close: list[Commune] = field(default_factory=list)


@dataclass(frozen=True)
class Query:
    """What a resident typed, understood: a postal code, a name, or both (narrowed)."""

    kind: Literal["postal_code", "name", "empty"]
    name: str  # the name part as typed, "" for a bare postal code
    postal_code: str | None
    departement: str | None
    result: SearchResult


def _fold(text: str) -> list[str]:
    """Lower-case ASCII tokens, without accents, with St/Ste spelt out, "X (Le)" as "le X"."""
    if "(" in text and (moved := _TRAILING_ARTICLE.match(text)):
        text = f"{moved.group(2)} {moved.group(1)}"
    text = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    tokens = _TOKENS.findall(text.encode("ascii", "ignore").decode("ascii"))
    return [_TOKEN_ALIASES.get(token, token) for token in tokens]


def _keys(text: str) -> tuple[str, str]:
    """Both keys at once: `normalize(text)`, `bare(text)`."""
    tokens = _fold(text)
    full = "".join(tokens)
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        return full, full[len(tokens[0]) :]
    return full, full


def normalize(text: str) -> str:
    """The exact-match key: spaces, hyphens and apostrophes all vanish ("saintamandleseaux")."""
    return _keys(text)[0]


def bare(text: str) -> str:
    """The key without a leading article, so that "Quesnoy" finds "Le Quesnoy"."""
    return _keys(text)[1]


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _aliases(name: str) -> list[str]:
    """How people shorten official names: "Paris 11e Arrondissement" is "Paris 11" or
    "Paris 11ème"; "Bors (Canton de Charente-Sud)" is "Bors", like its namesake."""
    if match := _ARRONDISSEMENT.match(name):
        city, number = match.groups()
        return [f"{city} {number}{suffix}" for suffix in ("", "e", "er", "eme")]
    if name.endswith(")") and " (" in name:
        return [name.split(" (", maxsplit=1)[0]]
    return []


def _postal_departements(code: str) -> frozenset[str]:
    """The départements a postal code may belong to (Corsica's 20xxx is 2A or 2B)."""
    if code.startswith("20"):
        return frozenset({"2A", "2B"})
    if code.startswith(("97", "98")):
        return frozenset({code[:3]})
    return frozenset({code[:2]})


def _by_name(commune: Commune) -> tuple[str, str]:
    return (commune.name, commune.insee)


class Communes:
    """Indexes over the communes table; build with `Communes.load()`, shared read-only."""

    _cache: ClassVar[dict[Path, Communes]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, rows: Iterable[list[str]]) -> None:
        self._all: list[Commune] = []
        self._population: list[int] = []
        self._by_insee: dict[str, int] = {}
        self._by_postal: dict[str, list[Commune]] = {}
        self._epci: dict[str, list[Commune]] = defaultdict(list)
        self._departement: dict[str, list[Commune]] = defaultdict(list)
        self._in_dep: dict[str, list[int]] = defaultdict(list)  # arrondissements included
        self._parent: dict[int, int] = {}  # arrondissement -> its city
        self._full: dict[str, list[int]] = defaultdict(list)  # normalize(name) -> communes
        self._bare: dict[str, list[int]] = defaultdict(list)  # bare(name) -> communes
        names = self._index_rows(rows)
        self._index_names(names)
        self._full, self._bare = dict(self._full), dict(self._bare)
        # Fuzzy matching works on bare keys, found through a trigram index.
        self._keys: list[str] = list(self._bare)
        self._sorted_keys = sorted((key, k) for k, key in enumerate(self._keys))
        self._key_grams: list[int] = []
        self._postings: dict[str, list[int]] = {}
        self._keys_of: list[list[int]] = [[] for _ in self._all]
        postings, sizes, keys_of = self._postings, self._key_grams, self._keys_of
        for key_index, (key, indexes) in enumerate(self._bare.items()):
            padded = f"  {key} "
            grams = {padded[i : i + 3] for i in range(len(padded) - 2)}
            sizes.append(len(grams))
            for gram in grams:
                if gram in postings:
                    postings[gram].append(key_index)
                else:
                    postings[gram] = [key_index]
            for index in indexes:
                keys_of[index].append(key_index)

    def _index_rows(self, rows: Iterable[list[str]]) -> list[tuple[int, str, bool]]:
        """Codes, postal codes, EPCI and départements; returns (commune, name, own name?)."""
        postal: dict[str, list[int]] = defaultdict(list)
        parents: dict[int, str] = {}  # arrondissement -> INSEE code of its city
        names: list[tuple[int, str, bool]] = []
        for row in rows:
            insee, name, postal_codes, dep, epci, population, parent, others = row
            index = len(self._all)
            commune = Commune(insee, name, tuple(postal_codes.split()), dep, epci)
            self._all.append(commune)
            self._population.append(int(population) if population else 0)
            self._by_insee[insee] = index
            self._in_dep[dep].append(index)
            for code in commune.postal_codes:
                postal[code].append(index)
            if parent:  # an arrondissement is no member of anything: its city is
                parents[index] = parent
            else:
                self._departement[dep].append(commune)
                if epci:
                    self._epci[epci].append(commune)
            names.append((index, name, True))
            names.extend((index, alias, True) for alias in _aliases(name))
            if others:
                names.extend((index, other, False) for other in others.split("|"))
        # A Paris postal code names both Paris and one arrondissement: keep the arrondissement.
        for code, indexes in postal.items():
            within = {parents[i] for i in indexes if i in parents}
            kept = [self._all[i] for i in indexes if self._all[i].insee not in within]
            self._by_postal[code] = sorted(kept, key=_by_name)
        for members in (*self._epci.values(), *self._departement.values()):
            members.sort(key=_by_name)
        self._parent.update((i, self._by_insee[code]) for i, code in parents.items())
        return names

    def _index_names(self, names: list[tuple[int, str, bool]]) -> None:
        """Exact keys: a commune's own name before a former commune's, then most populous."""
        population = self._population
        names.sort(key=lambda entry: (not entry[2], -population[entry[0]], entry[0]))
        for index, name, _ in names:
            full, without_article = _keys(name)
            for key, table in ((full, self._full), (without_article, self._bare)):
                indexes = table[key]
                if index not in indexes:
                    indexes.append(index)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Communes:
        """The table at `path`, read once per process and then shared."""
        path = path.resolve()
        with cls._lock:
            if path not in cls._cache:
                cls._cache[path] = cls.read(path)
            return cls._cache[path]

    @classmethod
    def read(cls, path: Path = DEFAULT_PATH) -> Communes:
        """A fresh copy of the table, bypassing the cache (tests, benchmarks)."""
        with path.open(encoding="utf-8") as lines:
            rows = [line.rstrip("\n").split("\t") for line in lines if not line.startswith("#")]
        if not rows or rows[0][:2] != ["insee", "name"]:
            raise ValueError(f"{path}: not a communes table")
        # Hundreds of thousands of small containers, none of them garbage: spare the collector.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls(rows[1:])
        finally:
            if collecting:
                gc.enable()

    def __len__(self) -> int:
        return len(self._all)

    def by_insee(self, code: str) -> Commune | None:
        """The commune or arrondissement with this INSEE code (e.g. "59606", "2A004")."""
        index = self._by_insee.get(code.strip().upper())
        return None if index is None else self._all[index]

    def by_postal_code(self, code: str) -> list[Commune]:
        """All communes sharing this postal code, by name; [] when unknown or malformed."""
        return list(self._by_postal.get("".join(code.split()), ()))

    def in_epci(self, epci: str) -> list[Commune]:
        """The member communes of an EPCI (its SIREN), by name; arrondissements excluded."""
        return list(self._epci.get(epci.strip(), ()))

    def in_departement(self, dep: str) -> list[Commune]:
        """The communes of a département ("59", "2A", "974"), by name; no arrondissements."""
        return list(self._departement.get(dep.strip().upper(), ()))

    def search(self, text: str, limit: int = DEFAULT_LIMIT) -> SearchResult:
        """Communes named `text` (accents, case, hyphens, St/Saint, articles aside), else
        up to `limit` close spellings. `close` is only computed when nothing is exact."""
        exact = self._exact(text)
        if exact:
            return SearchResult([self._all[i] for i in exact])
        return SearchResult([], self._fuzzy(bare(text), limit))

    def parse_query(self, text: str, limit: int = DEFAULT_LIMIT) -> Query:
        """Tell "59300" from "Anzin", and use "Anzin 59410" or "Saint-Amand (59)" to narrow."""
        text = " ".join(text.split())
        code: str | None = None
        if match := _ONLY_POSTAL.match(text):
            code, name = match.group(1) + match.group(2), ""
        elif match := _TRAILING_POSTAL.match(text):
            name, code = match.group(1), match.group(2) + match.group(3)
        elif match := _LEADING_POSTAL.match(text):
            code, name = match.group(1) + match.group(2), match.group(3)
        if code is not None:
            name = name.strip(" ,;-")
            if not normalize(name):
                return Query("postal_code", "", code, None, SearchResult(self.by_postal_code(code)))
            here = {self._by_insee[c.insee] for c in self._by_postal.get(code, ())}
            result = self._narrowed(name, limit, here, _postal_departements(code))
            return Query("name", name, code, None, result)
        if not normalize(text) or text.replace(" ", "").isdigit():
            return Query("empty", text, None, None, SearchResult())
        match = _TRAILING_DEP_PARENS.match(text)
        if match is None and not self._exact(text):  # "Marseille 13" is an arrondissement
            match = _TRAILING_DEP.match(text)
        if match and match.group(2).upper() in self._in_dep and normalize(match.group(1)):
            name, dep = match.group(1).strip(" ,;-"), match.group(2).upper()
            return Query("name", name, None, dep, self._narrowed(name, limit, set(), {dep}))
        return Query("name", text, None, None, self.search(text, limit))

    def _narrowed(
        self, name: str, limit: int, here: set[int], deps: Collection[str]
    ) -> SearchResult:
        """Exact names at this postal code, then in these départements; else close names at
        this postal code, then in these départements; else the plain search. A wrong postal
        code thus still finds the right commune, and a misspelt name the nearby one."""
        exact = self._exact(name)
        # "Paris 75011" is the 11th arrondissement, not the whole city.
        exact_here = set(exact).union(i for i in here if self._parent.get(i) in exact)
        if found := [self._all[i] for i in exact_here if i in here]:
            return SearchResult(sorted(found, key=_by_name))
        in_deps = {i for dep in deps for i in self._in_dep.get(dep, ())}
        if found := [self._all[i] for i in exact if i in in_deps]:
            return SearchResult(found)
        key = bare(name)
        for within in (here, in_deps):
            if within and (close := self._fuzzy(key, limit, within)):
                return SearchResult([], close)
        return self.search(name, limit)

    def _exact(self, text: str) -> list[int]:
        """Exact matches: the name with its article first, then without ("Quesnoy")."""
        full, without_article = _keys(text)
        return self._full.get(full) or self._bare.get(without_article) or []

    def _starting_with(self, key: str) -> list[int]:
        """Keys that begin with `key`, when there are few: long names that trigrams miss."""
        if len(key) < _PREFIX_MIN:
            return []
        start = bisect_left(self._sorted_keys, (key, -1))
        found: list[int] = []
        for candidate, key_index in self._sorted_keys[start : start + _CANDIDATES // 2 + 1]:
            if not candidate.startswith(key):
                return found
            found.append(key_index)
        return []  # too many: the trigram candidates will do

    def _fuzzy(self, key: str, limit: int, within: set[int] | None = None) -> list[Commune]:
        """The `limit` best communes (among `within` if given) by similarity of their names,
        scoring only the keys that share most trigrams with `key`; populous first on ties."""
        if not key or limit <= 0:
            return []
        allowed = None if within is None else {k for i in within for k in self._keys_of[i]}
        candidates: Iterable[int]
        if allowed is not None and len(allowed) <= _CANDIDATES:
            candidates = allowed
        else:
            grams = _trigrams(key)
            shared: Counter[int] = Counter()
            for gram in grams:
                postings = self._postings.get(gram)
                if postings:
                    shared.update(postings)
            items: Iterable[tuple[int, int]] = shared.items()
            if allowed is not None:
                items = [(k, n) for k, n in items if k in allowed]
            size, sizes = len(grams), self._key_grams
            best = nlargest(_CANDIDATES, items, key=lambda kn: kn[1] / (size + sizes[kn[0]]))
            candidates = [k for k, _ in best] + self._starting_with(key)
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(key)
        scores: dict[int, float] = {}
        for key_index in candidates:
            candidate = self._keys[key_index]
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if len(key) >= _PREFIX_MIN and candidate.startswith(key):
                score = max(score, PREFIX_SCORE)
            if score < CLOSE_CUTOFF:
                continue
            for index in self._bare[candidate]:
                if within is None or index in within:
                    scores[index] = max(score, scores.get(index, 0.0))
        ranked = sorted(scores, key=lambda i: (-scores[i], -self._population[i], i))
        return [self._all[i] for i in ranked[:limit]]
