"""Text that reads right in a right-to-left language (Arabic), in Telegram and in browsers.

Telegram lays out each paragraph (line) from its first strong letter, and the Unicode
bidirectional algorithm reorders numbers and Latin words met inside Arabic: "225-1" after
an Arabic word shows as "1-225", "45 000 €" as "000 45 €". Translations cannot be trusted
to avoid that, nor can data (addresses, names of places), so `rtl_pass` goes over a whole
message just before it is sent, in a right-to-left language only:

- every run of Latin letters and digits (with the spaces and punctuation inside it, and a
  "/command" with its slash) is
  isolated as one left-to-right unit (FSI … PDI), outside HTML tags and entities, and
  never twice (fragments already isolated are left as they are);
- French and Latin punctuation between Arabic words follows the language (" : " → ": ",
  "," → "،", ";" → "؛");
- arrows point the other way (⬅️ ↔ ➡️, ▶️ ↔ ◀️, ◀ ↔ ▶), since "next" is on the left;
- a line with no Arabic letter at all (an address, a remark as published, a text not
  translated yet) is isolated whole, so that its own punctuation stays in place;
- a line whose first strong letter is not right-to-left (it starts with a Latin word, a
  number, an emoji or an isolate) starts with a right-to-left mark, so that it is laid
  out right-to-left whether the app skips isolates or not.

The pass is pure and knows nothing of Telegram. It is applied once, as a message leaves
(arrows mirrored twice would point back); isolating and punctuation alone are idempotent.
"""

from __future__ import annotations

import html
import re
import unicodedata

FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"
RLM = "\u200f"
OPENERS = frozenset({FSI, LRI, RLI})
CONTROLS = frozenset({FSI, LRI, RLI, PDI, RLM, "\u200e"})

MIRRORED = str.maketrans(
    {
        "\u2b05": "\u27a1",  # ⬅ ↔ ➡
        "\u27a1": "\u2b05",
        "\u25b6": "\u25c0",  # ▶ ↔ ◀
        "\u25c0": "\u25b6",
        "\u2192": "\u2190",  # → ↔ ←
        "\u2190": "\u2192",
    }
)
PUNCTUATION = {",": "\u060c", ";": "\u061b"}  # Arabic comma and semicolon
ARABIC_PUNCTUATION = frozenset(PUNCTUATION.values())

_PIECES = re.compile(r"(<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);)")
_KEYCAP = "\ufe0f\u20e3"
# Inside a left-to-right run: letters, digits and what joins them ("art. 225-1", "9:00",
# "45 000 €", "https://…", "Paris CEDEX 07", "(numéro fictif)").
_BODY_CLASSES = frozenset({"L", "EN", "ES", "ET", "CS", "NSM", "BN", "WS"})
_BODY_SIGNS = frozenset("'’()[]&@_#*+?=%~–-/")
_END_CLASSES = frozenset({"L", "EN", "ET", "NSM"})
_STRONG_RTL = frozenset({"R", "AL"})


def _bidi(char: str) -> str:
    return unicodedata.bidirectional(char) if len(char) == 1 else "ON"


def _units(text: str) -> list[tuple[str, str]]:
    """(raw, visible) pieces of HTML: tags are ("<b>", ""), entities ("&amp;", "&")."""
    units: list[tuple[str, str]] = []
    for piece in _PIECES.split(text):
        if not piece:
            continue
        if piece.startswith("<") and piece.endswith(">"):
            units.append((piece, ""))
        elif piece.startswith("&") and piece.endswith(";"):
            units.append((piece, html.unescape(piece)))
        else:
            units.extend((char, char) for char in piece)
    return units


def _in_body(units: list[tuple[str, str]], index: int) -> bool:
    char = units[index][1]
    if not char or char == "\n" or char in CONTROLS or len(char) != 1:
        return False
    if char in ARABIC_PUNCTUATION:  # "CAF، France Travail": two items, in Arabic order
        return False
    if char == ":":  # "9:00" and "https://" stay together; "Label : value" does not
        following = units[index + 1][1] if index + 1 < len(units) else ""
        return bool(following) and _bidi(following[0]) in {"L", "EN", "CS"}
    return _bidi(char) in _BODY_CLASSES or char in _BODY_SIGNS


def _ends_run(run: list[tuple[str, str]]) -> bool:
    """True when the run may end on its last unit (a closing bracket only if opened)."""
    char = run[-1][1]
    text = "".join(c for _, c in run)
    if char in ")]":
        opening = "(" if char == ")" else "["
        return text.count(opening) >= text.count(char)
    if char == "/":  # "https://exemple.fr/" keeps its slash
        return "://" in text
    return bool(char) and _bidi(char) in _END_CLASSES and char not in {"\u00a0", "\u202f"}


def _command(units: list[tuple[str, str]], index: int) -> bool:
    """A "/command" starts here: its slash belongs to the word, or Telegram cannot link it."""
    if units[index][1] != "/":
        return False
    following = units[index + 1][1] if index + 1 < len(units) else ""
    before = units[index - 1][1] if index else ""
    starts = not before or before.isspace() or before in CONTROLS
    return starts and following[:1].isascii() and following[:1].isalpha()


def _isolate_runs(units: list[tuple[str, str]]) -> list[str]:
    """The raw pieces, with Latin and digit runs wrapped, punctuation following Arabic."""
    out: list[str] = []
    index, depth = 0, 0
    while index < len(units):
        raw, char = units[index]
        if char in OPENERS:
            depth += 1
        elif char == PDI and depth:
            depth -= 1
        if depth or char in OPENERS or char == PDI or not char:
            out.append(raw)
            index += 1
            continue
        keycap = "".join(c for _, c in units[index + 1 : index + 3]) == _KEYCAP
        if keycap:  # 1️⃣: an emoji, not a number
            out.extend(r for r, _ in units[index : index + 3])
            index += 3
            continue
        if _bidi(char) in {"L", "EN"} or _command(units, index):
            end = index + 1
            while end < len(units) and _in_body(units, end):
                end += 1
            run = units[index:end]
            while len(run) > 1 and not _ends_run(run):
                run.pop()
            out.append(FSI + "".join(r for r, _ in run) + PDI)
            index += len(run)
            continue
        if char == ":" and out and out[-1] in {" ", "\u00a0", "\u202f"}:
            out.pop()  # French " : " reads ": " in Arabic
        out.append(PUNCTUATION.get(char, raw))
        index += 1
    return out


def _starts_rtl(line: str) -> bool:
    """True when the first strong letter of a line, isolates or not, is right-to-left."""
    for _, char in _units(line):
        for c in char:
            kind = _bidi(c)
            if kind in _STRONG_RTL:
                return True
            if kind == "L":
                return False
    return False


def _latin_line(units: list[tuple[str, str]]) -> str:
    """A line with no right-to-left letter at all (an address, a remark as published, a
    text not translated yet) as one left-to-right unit, after its emoji or bullet."""
    start = next(
        (i for i, (_, c) in enumerate(units) if c and _bidi(c[0]) in {"L", "EN"} | OPENERS),
        len(units),
    )
    head = "".join(raw for raw, _ in units[:start])
    rest = "".join(raw for raw, _ in units[start:])
    return f"{head}{FSI}{rest}{PDI}" if rest else head


def _has_rtl(units: list[tuple[str, str]]) -> bool:
    return any(_bidi(c) in _STRONG_RTL for _, char in units for c in char if c != RLM)


def rtl_pass(text: str) -> str:
    """A message (Telegram HTML or plain text) made to read right in a right-to-left
    language. Apply it once: arrows mirrored twice point back."""
    if not text:
        return text
    lines = []
    for given in text.split("\n"):
        units = _units(given)
        if not "".join(c for _, c in units).strip():
            lines.append(given)
            continue
        line = given
        if _has_rtl(units):
            line = "".join(_isolate_runs(units))
        elif any(_bidi(c) in {"L", "EN"} for _, char in units for c in char):
            line = _latin_line(units)
        line = line.translate(MIRRORED)
        lines.append(line if _starts_rtl(line) else RLM + line)
    return "\n".join(lines)


def mirror(label: str) -> str:
    """A button label for a right-to-left reader: arrows the other way."""
    return label.translate(MIRRORED)


def colon(language: str) -> str:
    """Between a label and its value: " : " in French, ": " elsewhere."""
    return " : " if language.split("@", maxsplit=1)[0] == "fr" else ": "


def comma(rtl: bool) -> str:
    """Between the items of a list written on one line."""
    return "\u060c " if rtl else ", "
