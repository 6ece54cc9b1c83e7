"""Look-up speed over a national-size directory: `./dev bench lookups` (or
`python -m bench lookups`).

Builds a synthetic directory of 1,000 permanences spread over metropolitan France, each
serving about 35 communes, and reference points for all ~35,000 communes of the real
table, then times what one person's referral costs: a postal code, a name, a misspelt
name, a shared location, and the ranking of permanences. Prints medians and 95th
percentiles in milliseconds; compare ratios within one run (the machine is shared).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from bot.communes import Communes
from bot.directory.model import Directory, DirectoryInfo, Permanence

SEED = 20261129
PERMANENCES = 1_000
RUNS = 2_000


def synthetic_directory(communes: Communes, rng: random.Random) -> Directory:
    """1,000 permanences and one point per commune, at random places in France."""
    codes = [c.insee for dep in range(1, 96) for c in communes.in_departement(f"{dep:02d}")]
    points = {code: (rng.uniform(42.5, 51.0), rng.uniform(-4.5, 7.8)) for code in codes}
    places = []
    for number in range(PERMANENCES):
        home = rng.choice(codes)
        lat, lon = points[home]
        served = frozenset(rng.sample(codes, 35)) | {home}
        places.append(
            Permanence(
                id=f"p{number}",
                kind="defenseur_droits",
                name=f"Permanence {number}",
                address_lines=("1 rue de l'Exemple",),
                postal_code="00000",
                commune="Exemple",
                insee=home,
                latitude=lat,
                longitude=lon,
                served=served,
            )
        )
    info = DirectoryInfo("bench", "synthetic", "2026-11-29", "https://example.invalid", sample=True)
    return Directory(tuple(places), info, points)


def timed(name: str, call: Callable[[], object], runs: int = RUNS) -> None:
    """Print the median and 95th percentile of one call, in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95)]
    print(f"{name:<48} median {statistics.median(samples):7.3f} ms   p95 {p95:7.3f} ms")  # noqa: T201


def main() -> None:
    """Run every measurement once."""
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    start = time.perf_counter()
    communes = Communes.load()
    print(f"communes table loaded: {len(communes)} rows in {time.perf_counter() - start:.2f} s")  # noqa: T201
    start = time.perf_counter()
    directory = synthetic_directory(communes, rng)
    built = time.perf_counter() - start
    print(  # noqa: T201
        f"directory: {len(directory.permanences)} permanences, {len(directory.points)} "
        f"commune points, indexed in {built:.2f} s"
    )
    codes = list(directory.points)
    names = [communes.by_insee(code).name for code in rng.sample(codes, 200)]  # type: ignore[union-attr]
    typos = [name[:-2] + name[-1:] if len(name) > 4 else name for name in names]
    postal = [
        c.postal_codes[0]
        for code in rng.sample(codes, 200)
        if (c := communes.by_insee(code)) and c.postal_codes
    ]
    spots = [(rng.uniform(43.0, 50.5), rng.uniform(-1.0, 7.0)) for _ in range(200)]

    def each(items: list[object]) -> Callable[[], object]:
        iterator = iter(items * (RUNS // len(items) + 1))
        return lambda: next(iterator)

    next_code, next_name, next_typo = each(list(codes)), each(list(names)), each(list(typos))
    next_postal, next_spot = each(list(postal)), each(list(spots))
    timed("postal code -> communes", lambda: communes.parse_query(str(next_postal())))
    timed("exact name -> communes", lambda: communes.parse_query(str(next_name())))
    timed("misspelt name -> close communes", lambda: communes.parse_query(str(next_typo())), 500)
    timed("commune -> 3 best permanences", lambda: directory.best(insee=str(next_code())))

    def by_location() -> object:
        spot = next_spot()
        assert isinstance(spot, tuple)  # noqa: S101 - narrows the type for mypy
        lat, lon = float(spot[0]), float(spot[1])
        code = directory.commune_at(lat, lon)
        return directory.best(insee=code, latitude=lat, longitude=lon)

    timed("location -> commune -> 3 best permanences", by_location)
