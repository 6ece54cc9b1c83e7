"""A SYNTHETIC national-size bulk file of the real shape, to measure the importer.

Every record is a copy of the real bulk record in `fixtures/dila/real_bulk_record.json`
(MTES-MCT/acceslibre, see its `_source`) with its id, name, pivot, commune, address,
coordinates and hours changed: the 47 fields, their types and the JSON layout are the
real ones, the values are invented. The mix follows the national file's orders of
magnitude (legal-facts §6: about 63,000 local counters, one town hall per commune).

    python -m tests.dila_national OUT.json [--records 100000] [--tar]

writes `{"service": [...]}` (about 270 MB for 100,000 records); `--tar` also wraps it as
`all_latest.tar.bz2` holding `<date>-data.gouv_local.json`, like the real download.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "dila" / "real_bulk_record.json"
MEMBER = "2026-11-02_031500-data.gouv_local.json"

# Kinds per 100,000 records: town halls of every commune, a few hundred delegates'
# permanences, the partners the bot keeps, and every other local service it ignores.
MIX = (
    ("mairie", 35_000),
    ("defenseur_droits", 900),
    ("mjd", 150),
    ("cidf", 100),
    ("adil", 80),
)
OTHERS = ("ccas", "centre_social", "gendarmerie", "commissariat_police", "caf", "cpam")
DAYS = ("Lundi", "Mercredi", "Jeudi")
REMARKS = (
    "",
    "Accueil sans rendez-vous uniquement pour l'inscription de 13h30 à 15h30.",
    "Accueil ouvert uniquement hors vacances scolaires l'après-midi.",
    "Permanence sur rendez-vous.",
)


def records(count: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """`count` records of the real shape, deterministic for a seed."""
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))["service"][0]
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    scale = count / 100_000
    kinds = [kind for kind, n in MIX for _ in range(round(n * scale))]
    kinds += [OTHERS[i % len(OTHERS)] for i in range(max(0, count - len(kinds)))]
    rng.shuffle(kinds)
    for index, kind in enumerate(kinds[:count]):
        yield _record(template, rng, index, kind)


def _record(template: dict[str, Any], rng: random.Random, index: int, kind: str) -> dict[str, Any]:
    record = copy.deepcopy(template)
    departement = rng.choice(("59", "62", "75", "13", "69", "33", "2A", "971", "01", "88"))
    width = 5 - len(departement)
    insee = f"{departement}{rng.randrange(1, 10**width - 1):0{width}d}"
    served = sorted({f"{departement}{rng.randrange(1, 10**width - 1):0{width}d}" for _ in range(8)})
    record["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # as random as real ids
    record["nom"] = f"{kind} - Commune synthétique {index}"
    record["code_insee_commune"] = insee
    record["ancien_code_pivot"] = f"{kind}-{insee}-01"
    record["pivot"] = [{"type_service_local": kind, "code_insee_commune": [insee, *served]}]
    address = record["adresse"][0]
    address["numero_voie"] = f"{rng.randrange(1, 300)} rue de l'Exemple"
    address["code_postal"] = insee if departement != "2A" else "20000"
    address["nom_commune"] = f"Commune synthétique {index}"
    address["latitude"] = f"{rng.uniform(42.3, 51.0):.10f}"
    address["longitude"] = f"{rng.uniform(-4.7, 8.2):.10f}"
    address["note_accessibilite"] = rng.choice(("", "Rampe d'accès à l'entrée principale."))
    remark = rng.choice(REMARKS)
    record["plage_ouverture"] = [
        {
            "nom_jour_debut": day,
            "nom_jour_fin": day,
            "valeur_heure_debut_1": "09:00:00",
            "valeur_heure_fin_1": "12:00:00",
            "valeur_heure_debut_2": "13:30:00" if day != "Mercredi" else "",
            "valeur_heure_fin_2": "17:00:00" if day != "Mercredi" else "",
            "commentaire": remark,
        }
        for day in DAYS
    ]
    record["url_service_public"] = (
        f"https://lannuaire.service-public.gouv.fr/synthetique/{record['id']}"
    )
    return record


def write(path: Path, count: int) -> int:
    """Write the bulk object to `path`; returns its size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"service": [')
        for index, record in enumerate(records(count)):
            out.write(", " if index else "")
            out.write(json.dumps(record, ensure_ascii=False))
        out.write("]}")
    return path.stat().st_size


def main() -> None:
    """Command line: write the synthetic file (and the archive with --tar)."""
    parser = argparse.ArgumentParser(prog="python -m tests.dila_national")
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--tar", action="store_true", help="also write all_latest.tar.bz2")
    args = parser.parse_args()
    size = write(args.out, args.records)
    print(f"{args.out}: {args.records} records, {size / 1e6:.0f} MB")  # noqa: T201
    if args.tar:
        archive = args.out.with_name("all_latest.tar.bz2")
        with tarfile.open(archive, "w:bz2") as tar:
            tar.add(args.out, arcname=MEMBER)
        print(f"{archive}: {archive.stat().st_size / 1e6:.0f} MB")  # noqa: T201


if __name__ == "__main__":
    main()
