"""Communes look-ups against the committed COG 2026 table, and the table against its source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.communes import DEFAULT_PATH, Commune, Communes, bare, normalize
from scripts.build_communes import COLUMNS, build_table, read_package

# An unpacked `npm pack @etalab/decoupage-administratif@6.0.0`, when there is one.
NPM_PACKAGE = Path(os.environ.get("COMMUNES_NPM_PACKAGE", "/tmp/npmx/package"))  # noqa: S108
VALENCIENNES_METROPOLE = "245901160"


@pytest.fixture(scope="module")
def communes() -> Communes:
    return Communes.load()


def insee_codes(found: list[Commune]) -> list[str]:
    return [commune.insee for commune in found]


# The table


@pytest.mark.skipif(
    not (NPM_PACKAGE / "data" / "communes.json").exists(),
    reason=f"no unpacked @etalab/decoupage-administratif at {NPM_PACKAGE}",
)
def test_generator_reproduces_the_committed_table() -> None:
    assert build_table(read_package(NPM_PACKAGE)) == DEFAULT_PATH.read_text("utf-8")


def test_table_is_compact_sorted_and_names_its_source() -> None:
    text = DEFAULT_PATH.read_text("utf-8")
    source, header, *rows = text.splitlines()
    assert "@etalab/decoupage-administratif 6.0.0" in source
    assert "MIT licence" in source
    assert header.split("\t") == list(COLUMNS)
    assert len(DEFAULT_PATH.read_bytes()) < 2_000_000
    assert all(row.count("\t") == len(COLUMNS) - 1 for row in rows)
    codes = [row.split("\t", 1)[0] for row in rows]
    assert codes == sorted(set(codes))
    assert 34_900 < len(codes) < 35_100  # current communes + 45 arrondissements municipaux


def test_load_is_cached(communes: Communes) -> None:
    assert Communes.load() is communes
    assert Communes.load(DEFAULT_PATH) is communes


# Codes


def test_by_insee(communes: Communes) -> None:
    valenciennes = communes.by_insee("59606")
    assert valenciennes == Commune(
        "59606", "Valenciennes", ("59300",), "59", VALENCIENNES_METROPOLE
    )
    ajaccio = communes.by_insee("2a004")
    assert ajaccio is not None
    assert ajaccio.name == "Ajaccio"
    assert communes.by_insee("99999") is None


@pytest.mark.parametrize("code", ["59300", "59 300", " 59300 ", "59300\n"])
def test_postal_code_shared_by_several_communes(communes: Communes, code: str) -> None:
    found = communes.by_postal_code(code)
    assert [c.name for c in found] == ["Aulnoy-lez-Valenciennes", "Famars", "Valenciennes"]


@pytest.mark.parametrize("code", ["00000", "5930", "593000", "abcde", ""])
def test_unknown_or_malformed_postal_code(communes: Communes, code: str) -> None:
    assert communes.by_postal_code(code) == []


def test_results_are_copies(communes: Communes) -> None:
    communes.by_postal_code("59300").clear()
    communes.in_epci(VALENCIENNES_METROPOLE).clear()
    assert len(communes.by_postal_code("59300")) == 3
    assert len(communes.in_epci(VALENCIENNES_METROPOLE)) == 35


# Names


def test_normalisation() -> None:
    assert normalize("Saint-Amand-les-Eaux") == normalize("  ST. amand LES eaux ")
    assert normalize("Villeneuve-d'Ascq") == normalize("villeneuve d’ascq") == "villeneuvedascq"
    assert normalize("Sainte-Marie") == normalize("ste marie")
    assert normalize("Marcq-en-Barœul") == normalize("MARCQ EN BAROEUL")
    assert normalize("Quesnoy (Le)") == normalize("Le Quesnoy")
    assert bare("Le Quesnoy") == bare("Quesnoy") == "quesnoy"


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("Valenciennes", "59606"),
        ("VALENCIENNES", "59606"),
        ("saint-saulve", "59544"),
        ("St Saulve", "59544"),
        ("st. saulve", "59544"),
        ("Villeneuve d’Ascq", "59009"),
        ("villeneuve dascq", "59009"),
        ("Condé-sur-l'Escaut", "59153"),
        ("conde sur l escaut", "59153"),
        ("Aulnoy les Valenciennes", "59032"),
        ("Le Quesnoy", "59481"),
        ("quesnoy", "59481"),
        ("Quesnoy (Le)", "59481"),
        ("Nimes", "30189"),
        ("Saint Etienne", "42218"),
    ],
)
def test_exact_names_ignore_accents_case_hyphens_apostrophes(
    communes: Communes, text: str, insee: str
) -> None:
    result = communes.search(text)
    assert insee_codes(result.exact) == [insee]
    assert result.close == []


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("Valencienne", "59606"),
        ("valencinnes", "59606"),
        ("valenciene", "59606"),
        ("conde sur escaut", "59153"),
        ("anzain", "59014"),
        ("maubege", "59392"),
        ("montpelier", "34172"),
        ("saint amand les eau", "59526"),
        ("villeneuve dasq", "59009"),
    ],
)
def test_misspellings_propose_the_intended_commune(
    communes: Communes, text: str, insee: str
) -> None:
    result = communes.search(text)
    assert result.exact == []
    assert insee in insee_codes(result.close)[:3]
    assert len(result.close) <= 5


def test_st_amand_les_eaux_is_exact(communes: Communes) -> None:
    assert insee_codes(communes.search("St Amand les eaux").exact) == ["59526"]


def test_close_respects_limit_and_nonsense_finds_nothing(communes: Communes) -> None:
    assert len(communes.search("valencienne", limit=2).close) == 2
    assert communes.search("xqzwk") == communes.search("") == communes.search("  -  ")
    assert communes.search("xqzwk").exact == communes.search("xqzwk").close == []


def test_homonyms_across_departements_are_all_exact(communes: Communes) -> None:
    found = communes.search("Sainte-Marie").exact
    assert len(found) >= 9
    assert len({c.departement for c in found}) == len(found)
    assert {c.name for c in found} == {"Sainte-Marie"}
    assert found[0].departement == "974"  # the most populous first
    assert len(communes.search("Saint-Saulve").exact) == 1


def test_ancienne_commune_finds_its_current_commune(communes: Communes) -> None:
    assert insee_codes(communes.search("Annecy-le-Vieux").exact) == ["74010"]
    assert insee_codes(communes.search("cherbourg octeville").exact) == ["50129"]


# Paris, Lyon, Marseille


def test_arrondissements(communes: Communes) -> None:
    paris_11 = communes.by_insee("75111")
    assert paris_11 is not None
    assert paris_11.name == "Paris 11e Arrondissement"
    assert paris_11.epci == "200054781"  # its city's (Métropole du Grand Paris)
    assert insee_codes(communes.by_postal_code("75011")) == ["75111"]
    assert insee_codes(communes.by_postal_code("75116")) == ["75116"]
    assert insee_codes(communes.by_postal_code("13013")) == ["13213"]
    assert insee_codes(communes.search("Paris").exact) == ["75056"]
    assert insee_codes(communes.search("paris 11").exact) == ["75111"]
    assert insee_codes(communes.search("Lyon 3ème").exact) == ["69383"]
    assert insee_codes(communes.search("Marseille 1er arrondissement").exact) == ["13201"]
    assert insee_codes(communes.in_departement("75")) == ["75056"]


# EPCI and départements


def test_epci_membership(communes: Communes) -> None:
    members = communes.in_epci(VALENCIENNES_METROPOLE)
    assert len(members) == 35
    assert "59606" in insee_codes(members)
    assert all(c.epci == VALENCIENNES_METROPOLE for c in members)
    assert [c.name for c in members] == sorted(c.name for c in members)
    assert communes.in_epci("000000000") == []
    lyon = insee_codes(communes.in_epci("200046977"))
    assert "69123" in lyon
    assert "69383" not in lyon  # arrondissements are not members


def test_departement(communes: Communes) -> None:
    nord = communes.in_departement("59")
    assert len(nord) > 600
    assert {c.departement for c in nord} == {"59"}
    assert "2A004" in insee_codes(communes.in_departement("2a"))
    assert communes.in_departement("00") == []


# What residents type


def test_parse_query_postal_code(communes: Communes) -> None:
    query = communes.parse_query(" 59 300 ")
    assert (query.kind, query.postal_code, query.name) == ("postal_code", "59300", "")
    assert len(query.result.exact) == 3
    unknown = communes.parse_query("00000")
    assert unknown.kind == "postal_code"
    assert unknown.result.exact == unknown.result.close == []


@pytest.mark.parametrize("text", ["Anzin 59410", "59410 Anzin", "anzin (59410)", "Anzin, 59410"])
def test_parse_query_name_with_postal_code(communes: Communes, text: str) -> None:
    query = communes.parse_query(text)
    assert (query.kind, query.postal_code, query.name.lower()) == ("name", "59410", "anzin")
    assert insee_codes(query.result.exact) == ["59014"]


def test_parse_query_narrows_with_the_extra_part(communes: Communes) -> None:
    assert insee_codes(communes.parse_query("Anzain 59410").result.close) == ["59014"]
    # A wrong postal code does not hide the right commune.
    assert insee_codes(communes.parse_query("Anzin 59300").result.exact) == ["59014"]
    assert insee_codes(communes.parse_query("Paris 75011").result.exact) == ["75111"]
    within_nord = communes.parse_query("Saint-Amand (59)")
    assert (within_nord.name, within_nord.departement) == ("Saint-Amand", "59")
    assert within_nord.result.exact == []
    assert insee_codes(within_nord.result.close)[0] == "59526"
    assert insee_codes(communes.parse_query("Sainte-Marie (974)").result.exact) == ["97418"]
    assert insee_codes(communes.parse_query("bastia 2b").result.exact) == ["2B033"]
    # "Marseille 13" names an arrondissement, not Marseille in the Bouches-du-Rhône.
    assert insee_codes(communes.parse_query("Marseille 13").result.exact) == ["13213"]


@pytest.mark.parametrize("text", ["", "   ", "5930", "--"])
def test_parse_query_empty(communes: Communes, text: str) -> None:
    query = communes.parse_query(text)
    assert query.kind == "empty"
    assert query.result.exact == query.result.close == []
