"""Records, one at a time, → the directory and the counts its report shows.

The builder never holds the records themselves: a 270 MB national file goes through it
in bounded memory, keeping only the permanences and the town halls' points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.directory.fields import RecordError
from bot.directory.model import Directory, DirectoryInfo, Permanence
from bot.directory.records import (
    DUPLICATE_ID,
    NO_KEPT_PIVOT,
    OUTSIDE,
    RULES,
    kept_kinds,
    parse_record,
)

ATTRIBUTION = "Service-Public.gouv.fr / DILA"
BULK_URL = "https://lecomarquage.service-public.gouv.fr/donnees_locales_v4/all_latest.tar.bz2"
API_NAME = "API Annuaire de l'administration"


def in_departements(codes: Iterable[str], departements: tuple[str, ...]) -> bool:
    """True when one INSEE code lies in one of the départements ("59", "2A", "971")."""
    return any(code.startswith(departements) for code in codes if code)


class DirectoryBuilder:
    """Collects records one at a time and counts what it kept, skipped and why.

    With `departements`, a permanence is kept only when it serves (or stands in) one of
    their communes, wherever it is based; town halls' points are always kept.
    """

    def __init__(self, kinds: Iterable[str], departements: tuple[str, ...] = ()) -> None:
        self.kinds = kept_kinds(kinds)
        self.departements = departements
        self.permanences: dict[str, Permanence] = {}
        self.points: dict[str, tuple[float, float]] = {}
        self.skipped: Counter[str] = Counter()
        self.rules: Counter[str] = Counter(dict.fromkeys(RULES, 0))
        self.records = 0
        self.api_shaped = False  # saw a JSON-encoded pivot: the records came from the API

    def add(self, record: object) -> None:
        """Parse one record; keep it, or count why not."""
        self.records += 1
        if isinstance(record, dict) and isinstance(record.get("pivot"), str):
            self.api_shaped = True
        try:
            parsed = parse_record(record, self.kinds)
        except RecordError as error:
            self.rules.update(error.rules)
            self.skipped[str(error)] += 1
            return
        self.rules.update(parsed.rules)
        permanence = parsed.permanence
        if parsed.point is not None:
            # Several town halls may share a commune (annexes): the first one stays.
            insee, lat, lon = parsed.point
            self.points.setdefault(insee, (lat, lon))
        elif permanence is None:
            self.skipped[NO_KEPT_PIVOT] += 1
        elif self.departements and not in_departements(
            (*permanence.served, permanence.insee), self.departements
        ):
            self.skipped[OUTSIDE] += 1
        elif permanence.id in self.permanences:
            self.skipped[DUPLICATE_ID] += 1
        else:
            self.permanences[permanence.id] = permanence

    def add_all(self, records: Iterable[object]) -> None:
        """Parse every record of an iterable."""
        for record in records:
            self.add(record)

    def loaded(self) -> dict[str, int]:
        """Permanences kept, per kind."""
        return dict(Counter(p.kind for p in self.permanences.values()))

    def build(
        self, *, file_name: str, file_date: str, download_url: str, sample: bool = False
    ) -> Directory:
        """The directory, with what the Licence Ouverte asks to show about its source."""
        info = DirectoryInfo(
            attribution=ATTRIBUTION,
            file_name=file_name,
            file_date=file_date,
            download_url=download_url,
            sample=sample,
            loaded=self.loaded(),
            skipped=dict(sorted(self.skipped.items())),
            records=self.records,
            rules={rule: self.rules[rule] for rule in RULES},
        )
        ordered = sorted(self.permanences.values(), key=lambda p: (p.kind, p.insee, p.name, p.id))
        return Directory(tuple(ordered), info, dict(sorted(self.points.items())))
