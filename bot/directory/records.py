"""One DILA record → a permanence, a town hall's reference point, or nothing.

Two shapes reach us (legal-facts §0 and §6): the bulk export, whose fields are JSON
values, and the Opendatasoft API, where `adresse`, `pivot`, `plage_ouverture`,
`telephone`, `site_internet` and more are JSON-encoded strings. `parse_record` reads both.
A malformed record raises `RecordError` (its message is the skip reason): one bad record
among 63,000 must not keep every delegate out of service.

Fields that help a person are kept (the Service-Public page, the accessible phone line,
the accessibility note); the others (`tchat`, `application_mobile`, `reseau_social`,
`organigramme`, `texte_reference`, and `affectation_personne`, which names people) are
never decoded, so a malformed one cannot fail the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.directory.fields import (
    ADDRESS_LINES,
    RecordError,
    address_of,
    coordinates,
    email,
    insee_codes,
    json_list,
    optional_list,
    phones,
    record_date,
    web_url,
    website,
)
from bot.directory.hours import appointment_remarks, opening_ranges
from bot.directory.html_text import fold, paragraphs, text
from bot.directory.model import DEFENSEUR, Permanence

MAIRIE = "mairie"

# Skip reasons, as counted in DirectoryInfo.skipped. NO_KEPT_PIVOT is not an error: the
# bulk file holds every local service of France, and we keep only a few kinds.
NOT_OBJECT = "not a JSON object"
NO_KEPT_PIVOT = "no kept pivot"
NO_ID = "no id"
DUPLICATE_ID = "duplicate id"
NO_NAME = "no name"
NO_ADDRESS = "no address"
NO_INSEE = "no INSEE code"
NO_COORDINATES = "mairie without coordinates"
OUTSIDE = "serves none of the départements"

# The rules that make a record a delegate's permanence, in the order they are tried. The
# pivot code is the documented one but UNCONFIRMED in today's data (legal-facts §0): the
# two others catch a record whose pivot was recoded, and the import reports each count.
RULE_PIVOT = f"pivot {DEFENSEUR}"
RULE_OLD_PIVOT = f"ancien_code_pivot {DEFENSEUR}-…"
RULE_NAME = 'nom "Défenseur des droits"'
RULES = (RULE_PIVOT, RULE_OLD_PIVOT, RULE_NAME)
_NAME_MARK = "defenseur des droits"
_OLD_MARK = f"{DEFENSEUR}-"


@dataclass(frozen=True)
class Parsed:
    """What a record gave: a permanence, a town hall's point, or neither."""

    rules: tuple[str, ...] = ()  # the delegate rules it matched
    permanence: Permanence | None = None
    point: tuple[str, float, float] | None = None  # (insee, latitude, longitude)


def kept_kinds(partner_types: Iterable[str]) -> tuple[str, ...]:
    """`defenseur_droits` first, then the configured partners (never `mairie`)."""
    return tuple(dict.fromkeys(k for k in (DEFENSEUR, *partner_types) if k != MAIRIE))


def _pivot_kinds(pivots: list[Any]) -> list[str]:
    kinds = []
    for pivot in pivots:
        if isinstance(pivot, dict):
            kind = pivot.get("type_service_local")
            # Plain codes are the rule: `text` (HTML clean-up) only for anything else.
            kinds.append(kind.strip() if isinstance(kind, str) and kind.isascii() else text(kind))
    return kinds


def served_codes(pivots: list[Any], kind: str) -> frozenset[str]:
    """The INSEE codes of the communes that the record's `kind` pivots serve."""
    codes: set[str] = set()
    for pivot in pivots:
        if isinstance(pivot, dict) and text(pivot.get("type_service_local")) == kind:
            codes.update(insee_codes(pivot.get("code_insee_commune")))
    return frozenset(codes)


def delegate_rules(record: dict[str, Any], kinds_found: list[str]) -> tuple[str, ...]:
    """The rules of `RULES` this record matches (a record may match several)."""
    rules = []
    if DEFENSEUR in kinds_found:
        rules.append(RULE_PIVOT)
    old_code = record.get("ancien_code_pivot")
    if isinstance(old_code, str) and old_code.strip().startswith(_OLD_MARK):
        rules.append(RULE_OLD_PIVOT)
    name = record.get("nom")
    if isinstance(name, str) and "fenseur" in name.casefold() and _NAME_MARK in fold(text(name)):
        rules.append(RULE_NAME)
    return tuple(rules)


# --- records ----------------------------------------------------------------------------


def parse_record(record: object, kinds: tuple[str, ...]) -> Parsed:
    """What one record gives; raises `RecordError` (the skip reason) when malformed.

    The kind is the first kept pivot (town halls included, for their points); a record
    with none is still a delegate's permanence when another rule of `RULES` matches it.
    """
    if not isinstance(record, dict):
        raise RecordError(NOT_OBJECT)
    pivots = json_list(record, "pivot")
    found = _pivot_kinds(pivots)
    rules = delegate_rules(record, found)
    kind = next((k for k in found if k in kinds or k == MAIRIE), None)
    if kind is None and rules:
        kind = DEFENSEUR
    if kind is None:
        return Parsed(rules)
    try:
        address = address_of(json_list(record, "adresse"))
        own_codes = insee_codes(record.get("code_insee_commune"))
        if kind == MAIRIE:
            place = coordinates(address) if address else None
            if not own_codes:
                raise RecordError(NO_INSEE)
            if place is None:
                raise RecordError(NO_COORDINATES)
            return Parsed(rules, point=(own_codes[0], place[0], place[1]))
        return Parsed(rules, _permanence(record, kind, pivots, address, own_codes))
    except RecordError as error:
        raise RecordError(str(error), rules) from None


def _permanence(
    record: dict[str, Any],
    kind: str,
    pivots: list[Any],
    address: dict[str, Any] | None,
    own_codes: list[str],
) -> Permanence:
    identifier, name = text(record.get("id")), text(record.get("nom"))
    if not identifier:
        raise RecordError(NO_ID)
    if not name:
        raise RecordError(NO_NAME)
    if address is None:
        raise RecordError(NO_ADDRESS)
    # Without its own commune (a record cut down to a few fields), a permanence is still
    # usable through the communes it serves; its own code then stays unknown ("").
    served = served_codes(pivots, kind)
    if not own_codes and not served:
        raise RecordError(NO_INSEE)
    hours, leftover = opening_ranges(json_list(record, "plage_ouverture"))
    notes = [*paragraphs(record.get("commentaire_plage_ouverture")), *leftover]
    remarks = [
        *notes,
        *(r.note for r in hours),
        *paragraphs(record.get("information_complementaire")),
    ]
    place = coordinates(address)
    lines = dict.fromkeys(t for t in (text(address.get(k)) for k in ADDRESS_LINES) if t)
    return Permanence(
        id=identifier,
        kind=kind,
        name=name,
        address_lines=tuple(lines),
        postal_code=text(address.get("code_postal")),
        commune=text(address.get("nom_commune")),
        insee=own_codes[0] if own_codes else "",
        latitude=place[0] if place else None,
        longitude=place[1] if place else None,
        phones=phones(json_list(record, "telephone")),
        email=email(record.get("adresse_courriel")),
        website=website(json_list(record, "site_internet")),
        hours=tuple(hours),
        hours_notes=tuple(dict.fromkeys(notes)),
        appointment=appointment_remarks(remarks),
        served=served or frozenset(own_codes[:1]),
        source_date=record_date(record),
        url=web_url(record.get("url_service_public")),
        accessible_phones=phones(optional_list(record, "telephone_accessible")),
        accessibility=text(address.get("accessibilite")),
        accessibility_note=text(address.get("note_accessibilite")),
    )
