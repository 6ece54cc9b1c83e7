"""DILA "Base de données locales" → the directory: one import point for the pieces.

The work is split by concern, each module small enough to read in one sitting:

- `html_text`: published text as plain lines (HTML clean-up);
- `hours`: opening hours and their remarks, copied verbatim;
- `fields`: a record's fields, read the same way from both shapes;
- `records`: one record (bulk or API shape) → a permanence or a town hall's point, and
  the rules that make a record a delegate's permanence;
- `builder`: records one at a time → the directory and its report's counts;
- `files`: plain, gzip and tar files and API answers, streamed with ijson.

Nothing is invented on the way, not even a "sur rendez-vous".
"""

from __future__ import annotations

from bot.directory.builder import (
    API_NAME,
    ATTRIBUTION,
    BULK_URL,
    DirectoryBuilder,
    in_departements,
)
from bot.directory.fields import (
    RecordError,
    coordinates,
    insee_codes,
    json_list,
    record_date,
    source_date,
)
from bot.directory.files import (
    SAMPLE_FILE,
    RecordStream,
    SourceFile,
    iter_list,
    open_source,
    read_file,
)
from bot.directory.hours import appointment_remarks, clock, opening_ranges, weekday
from bot.directory.html_text import fold, paragraphs, text
from bot.directory.records import (
    MAIRIE,
    NO_KEPT_PIVOT,
    OUTSIDE,
    RULES,
    kept_kinds,
    parse_record,
)

__all__ = [
    "API_NAME",
    "ATTRIBUTION",
    "BULK_URL",
    "MAIRIE",
    "NO_KEPT_PIVOT",
    "OUTSIDE",
    "RULES",
    "SAMPLE_FILE",
    "DirectoryBuilder",
    "RecordError",
    "RecordStream",
    "SourceFile",
    "appointment_remarks",
    "clock",
    "coordinates",
    "fold",
    "in_departements",
    "insee_codes",
    "iter_list",
    "json_list",
    "kept_kinds",
    "open_source",
    "opening_ranges",
    "paragraphs",
    "parse_record",
    "read_file",
    "record_date",
    "source_date",
    "text",
    "weekday",
]
