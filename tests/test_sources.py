"""Sources shown to people: official sites only, each with a readable name.

Every source of `bot/content/*.toml` can be shown (inline, behind "📚 Sources", or on the
emergency and remote-channel screens). Mirrors of Légifrance data, copies of Service-Public
pages, staging servers, document dumps and secondary pages belong in the TOML comments,
for developers, never in a `sources` list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.content import OFFICIAL_SITES, Content, Source, load_content, official_site

CONTENT = Path(__file__).resolve().parent.parent / "bot" / "content"
MAX_NAME = 80  # a source's title fits one line of a phone
NOT_A_NAME = re.compile(
    r"https?:|www\.|github|\.com\b|\.md\b|copie|dépôt|miroir|mirror|export", re.IGNORECASE
)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def shown_sources(content: Content) -> Iterator[tuple[str, Source]]:
    """Every source a person may see, with where it is shown."""
    for passage in content.all_passages():
        for source in passage.sources:
            yield f"passage {passage.id}", source
    for contact in content.emergency + content.remote_channels:
        for source in contact.sources:
            yield f"contact {contact.id}", source


def test_official_sites_have_readable_names() -> None:
    for host, name in OFFICIAL_SITES.items():
        assert "." in host, host
        assert host == host.lower(), host
        assert name.strip(), host
        assert len(name) <= 50, host


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006417828", "Légifrance"),
        ("https://www.cours-appel.justice.fr/reims/x", "Justice.fr"),
        ("https://moncommissariat.interieur.gouv.fr/fr/x", "Ministère de l'Intérieur"),
        ("https://github.com/francois76/legifrance/blob/x/code_pénal.md", None),
        ("https://legifrance.gouv.fr.example.org/", None),
        ("https://model.ville-chamalieres.fr.dev04.stratis.fr/service-public/x", None),
        ("https://argences.com/guide-des-droits-et-demarches/particulier/F13158/x", None),
        ("https://www.service-public.fr/particuliers/actualites/A14586", None),  # old domain
    ],
)
def test_official_site_recognises_hosts(url: str, site: str | None) -> None:
    assert official_site(url) == site


def test_every_shown_source_is_an_official_site(content: Content) -> None:
    for where, source in shown_sources(content):
        host = urlsplit(source.url).hostname
        assert official_site(source.url), (
            f"{where}: {host} is not an official site; cite the text on Légifrance or "
            "Service-Public.gouv.fr and move this address to a comment for developers"
        )
        assert source.url.startswith(("https://", "http://")), f"{where}: {source.url}"


def test_every_shown_source_has_a_readable_name(content: Content) -> None:
    for where, source in shown_sources(content):
        title = source.title.strip()
        assert title, f"{where}: a source without a name"
        assert len(title) <= MAX_NAME, f"{where}: {title!r} is too long to read"
        assert not NOT_A_NAME.search(title), f"{where}: {title!r} is not a readable name"
        assert not title.isdigit(), f"{where}: a number is not a name"


def test_contact_links_are_official(content: Content) -> None:
    for contact in content.emergency + content.remote_channels:
        if contact.url:
            assert official_site(contact.url), f"{contact.id}: {contact.url}"


def test_mirrors_stay_in_comments_for_developers() -> None:
    # The addresses legal-facts was checked against may stay in the files, as comments only.
    for path in sorted(CONTENT.glob("*.toml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", maxsplit=1)[0] if line.lstrip().startswith("#") else line
            if "url =" in code or "url=" in code:
                match = re.search(r'url\s*=\s*"([^"]+)"', code)
                assert match, f"{path.name}:{number}"
                assert official_site(match.group(1)), f"{path.name}:{number}"
