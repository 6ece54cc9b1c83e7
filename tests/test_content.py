"""Checks on the shipped content files: sources, lengths, ids and cross-references.

These tests read `bot/content/*.toml` through `load_content()`, the same way the bot does.
They guard the rules every content edit must keep: each legal statement cites a source,
each message fits on a phone screen, ids are stable and every filter names a real answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.content import STARTS, Answers, Contact, Content, Option, Passage, load_content

# One field of a passage; the whole screen (title, header, delay note, source line) must fit
# 700 characters in every language, which tests/test_screens.py checks.
MAX_TEXT = 520
MAX_LINE = 100  # a delay's line in the summary, after its length
MAX_LABEL = 32
MAX_HINT = 120
MAX_TITLE = 60
ID_PATTERN = re.compile(r"^[a-z0-9_]{1,16}$")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# "25 critères" is only allowed as "plus de 25 critères": the count changes with the law.
HARD_COUNT = re.compile(r"(?<!plus de )\b25 critères", re.IGNORECASE)
TRAILING_PUNCTUATION = (".", ",", ";", ":", "!", "?", "…")

SPEAKER_IDS = ("self", "witness", "helper")
EMPLOYER_IDS = ("public", "private", "unsure")
DOMAIN_IDS = ("work", "housing", "shops", "public", "school", "health", "police", "other")
SITUATION_IDS = {
    "work": ("hiring", "career", "sanction", "internship"),
    "housing": ("private_rental", "social_housing", "buying"),
    "shops": ("shop", "nightlife", "bank", "insurance", "leisure"),
    "public": ("town_hall", "caf", "france_travail", "prefecture", "other_public"),
    "school": ("registration", "school_life", "training"),
    "health": ("refused_care", "care_quality"),
    "police": ("id_check", "complaint", "words_violence"),
    "other": (),
}
CRITERION_GROUP_IDS = (
    "origin",
    "religion",
    "name_address",
    "sex_family",
    "orientation",
    "health",
    "age",
    "appearance",
    "poverty",
    "language",
    "opinions",
)
TIMING_IDS = ("ongoing", "lt6m", "6to12m", "1to5y", "gt5y")
EVIDENCE_IDS = ("writings", "witnesses", "recordings", "medical", "none")
EMERGENCY_IDS = ("e17", "e112", "e114", "e3919", "e119")
REMOTE_CHANNEL_IDS = ("ddd_3928", "ddd_form", "ddd_post", "point_justice")
NO_ANSWER = Answers()


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def _passage_lists(content: Content) -> dict[str, tuple[Passage, ...]]:
    return {
        "what_is": content.what_is,
        "law": content.laws,
        "not_discrimination": content.not_discrimination,
        "route": content.routes,
        "deadline": content.deadlines,
        "evidence_advice": content.evidence_advice,
    }


def _contact_lists(content: Content) -> dict[str, tuple[Contact, ...]]:
    return {"emergency": content.emergency, "remote_channel": content.remote_channels}


def _options(content: Content) -> Iterator[Option]:
    yield from content.speakers
    yield from content.employers
    for domain in content.domains:
        yield domain
        yield from domain.situations
    yield from content.criterion_groups
    yield from content.timings
    yield from content.evidence_kinds


def _texts(content: Content) -> Iterator[tuple[str, str]]:
    """Every string a person may read, with a label saying where it comes from."""
    for option in _options(content):
        yield f"option {option.id} label", option.label
        yield f"option {option.id} hint", option.hint
    for group in content.criterion_groups:
        for criterion in group.criteria:
            yield f"criterion group {group.id}", criterion
    for passage in content.all_passages():
        for field in ("title", "text", "text_other", "text_witness", "more", "line"):
            yield f"passage {passage.id} {field}", getattr(passage, field)
    for contact in content.emergency + content.remote_channels:
        for field in ("title", "text"):
            yield f"contact {contact.id} {field}", getattr(contact, field)


# --- sources -----------------------------------------------------------------------------


def test_every_passage_cites_a_source(content: Content) -> None:
    for passage in content.all_passages():
        assert passage.sources, f"passage {passage.id} has no source"
        for source in passage.sources:
            assert source.title.strip(), f"passage {passage.id}: source without title"
            assert source.url.startswith(("https://", "http://")), (
                f"passage {passage.id}: {source.url!r} is not an http(s) URL"
            )


def test_every_contact_cites_a_source(content: Content) -> None:
    for contact in content.emergency + content.remote_channels:
        assert contact.sources, f"contact {contact.id} has no source"
        for source in contact.sources:
            assert source.title.strip(), f"contact {contact.id}: source without title"
            assert source.url.startswith(("https://", "http://")), (
                f"contact {contact.id}: {source.url!r} is not an http(s) URL"
            )


def test_contact_urls_are_http(content: Content) -> None:
    for contact in content.emergency + content.remote_channels:
        if contact.url:
            assert contact.url.startswith(("https://", "http://")), contact.id


# --- lengths and form --------------------------------------------------------------------


def test_passage_texts_fit_a_message(content: Content) -> None:
    for passage in content.all_passages():
        assert passage.text.strip(), f"passage {passage.id} has no text"
        for field in ("text", "text_other", "text_witness", "more"):
            value: str = getattr(passage, field)
            assert len(value) <= MAX_TEXT, f"{passage.id}.{field}: {len(value)} characters"
        assert len(passage.line) <= MAX_LINE, f"{passage.id}.line: {len(passage.line)}"


def test_contact_texts_fit_a_message(content: Content) -> None:
    for contact in content.emergency + content.remote_channels:
        assert contact.text.strip(), f"contact {contact.id} has no text"
        assert len(contact.text) <= MAX_TEXT, f"{contact.id}: {len(contact.text)} characters"


def test_titles_are_short(content: Content) -> None:
    for passage in content.all_passages():
        assert passage.title.strip(), f"passage {passage.id} has no title"
        assert len(passage.title) <= MAX_TITLE, passage.id
    for contact in content.emergency + content.remote_channels:
        assert len(contact.title) <= MAX_TITLE, contact.id


def test_labels_fit_a_button(content: Content) -> None:
    for option in _options(content):
        assert option.label.strip(), f"option {option.id} has no label"
        assert len(option.label) <= MAX_LABEL, f"{option.id}: {option.label!r}"
        assert not option.label.endswith(TRAILING_PUNCTUATION), f"{option.id}: {option.label!r}"


def test_hints_are_one_short_line(content: Content) -> None:
    for option in _options(content):
        assert len(option.hint) <= MAX_HINT, f"{option.id}: {len(option.hint)} characters"
        assert "\n" not in option.hint, option.id


def test_no_html_or_placeholders(content: Content) -> None:
    for where, text in _texts(content):
        assert not HTML_TAG.search(text), f"{where}: HTML tag in {text!r}"
        assert "{" not in text, f"{where}: placeholder in {text!r}"
        assert "}" not in text, f"{where}: placeholder in {text!r}"


def test_no_hard_coded_criteria_count(content: Content) -> None:
    for where, text in _texts(content):
        assert not HARD_COUNT.search(text), f"{where}: say « plus de 25 critères »"


def test_no_outdated_postal_address(content: Content) -> None:
    for where, text in _texts(content):
        assert "saint-florentin" not in text.lower(), f"{where}: outdated DDD address"


# --- ids ---------------------------------------------------------------------------------


def _assert_ids(ids: list[str], where: str) -> None:
    for item_id in ids:
        assert ID_PATTERN.match(item_id), f"{where}: bad id {item_id!r}"
    duplicates = {item_id for item_id in ids if ids.count(item_id) > 1}
    assert not duplicates, f"{where}: duplicate ids {sorted(duplicates)}"


def test_option_ids_are_valid_and_unique(content: Content) -> None:
    _assert_ids([s.id for s in content.speakers], "speaker")
    _assert_ids([e.id for e in content.employers], "employer")
    _assert_ids([d.id for d in content.domains], "domain")
    # Situation ids are unique across domains, so a `situations` filter is unambiguous.
    _assert_ids([s.id for d in content.domains for s in d.situations], "situation")
    _assert_ids([c.id for c in content.criterion_groups], "criterion_group")
    _assert_ids([t.id for t in content.timings], "timing")
    _assert_ids([e.id for e in content.evidence_kinds], "evidence")


def test_passage_and_contact_ids_are_valid_and_unique(content: Content) -> None:
    for name, passages in _passage_lists(content).items():
        _assert_ids([p.id for p in passages], name)
    # Passage ids are also unique across arrays: they name messages in counters and logs.
    _assert_ids([p.id for p in content.all_passages()], "all passages")
    for name, contacts in _contact_lists(content).items():
        _assert_ids([c.id for c in contacts], name)


def test_fixed_ids_exist_in_order(content: Content) -> None:
    assert tuple(s.id for s in content.speakers) == SPEAKER_IDS
    assert tuple(e.id for e in content.employers) == EMPLOYER_IDS
    assert tuple(d.id for d in content.domains) == DOMAIN_IDS
    for domain in content.domains:
        assert tuple(s.id for s in domain.situations) == SITUATION_IDS[domain.id], domain.id
    group_ids = tuple(c.id for c in content.criterion_groups)
    assert tuple(i for i in group_ids if i in CRITERION_GROUP_IDS) == CRITERION_GROUP_IDS
    assert group_ids[-1] == "unknown"
    assert tuple(t.id for t in content.timings) == TIMING_IDS
    assert tuple(e.id for e in content.evidence_kinds) == EVIDENCE_IDS
    assert tuple(c.id for c in content.emergency) == EMERGENCY_IDS
    assert tuple(c.id for c in content.remote_channels) == REMOTE_CHANNEL_IDS


# --- journey answers ---------------------------------------------------------------------


def test_only_unknown_is_not_a_legal_criterion(content: Content) -> None:
    not_legal = [c.id for c in content.criterion_groups if not c.legal]
    assert not_legal == ["unknown"]


def test_legal_groups_list_their_criteria(content: Content) -> None:
    for group in content.criterion_groups:
        if group.legal:
            assert group.criteria, f"criterion group {group.id} lists no legal criterion"


def test_timings_are_contiguous_ranges(content: Content) -> None:
    ongoing, *past = content.timings
    assert (ongoing.min_months, ongoing.max_months) == (0, 0)
    previous_max = 0
    for timing in past:
        assert timing.min_months == previous_max, timing.id
        if timing.max_months is None:
            assert timing is past[-1], f"{timing.id}: only the last range may be open"
            break
        assert timing.max_months > timing.min_months, timing.id
        previous_max = timing.max_months
    assert past[-1].max_months is None


def test_emergency_contacts_have_a_phone(content: Content) -> None:
    for contact in content.emergency:
        assert contact.phone.isdigit(), contact.id


# --- passage filters ---------------------------------------------------------------------


def test_passage_filters_name_existing_ids(content: Content) -> None:
    known = {
        "domains": {d.id for d in content.domains},
        "situations": {s.id for d in content.domains for s in d.situations},
        "exclude_situations": {s.id for d in content.domains for s in d.situations},
        "employers": {e.id for e in content.employers},
        "criteria": {c.id for c in content.criterion_groups},
        "speakers": {s.id for s in content.speakers},
        "evidence": {e.id for e in content.evidence_kinds},
    }
    for passage in content.all_passages():
        for field, ids in known.items():
            unknown = set(getattr(passage, field)) - ids
            assert not unknown, f"passage {passage.id}: unknown {field} {sorted(unknown)}"


def test_situation_filters_match_their_domains(content: Content) -> None:
    owner = {s.id: d.id for d in content.domains for s in d.situations}
    for passage in content.all_passages():
        if passage.situations and passage.domains:
            for situation in passage.situations:
                assert owner[situation] in passage.domains, (
                    f"passage {passage.id}: situation {situation} is outside its domains"
                )


def _answers(content: Content) -> Iterator[tuple[str, str | None]]:
    """Every (domain, situation) pair a person can reach; None when a domain has none."""
    for domain in content.domains:
        if domain.situations:
            for situation in domain.situations:
                yield domain.id, situation.id
        else:
            yield domain.id, None


@pytest.mark.parametrize("array", ["law", "route"])
def test_every_answer_gets_a_law_and_a_route(content: Content, array: str) -> None:
    passages = _passage_lists(content)[array]
    for domain, situation in _answers(content):
        answers = Answers(domain=domain, situation=situation, speaker="self", legal=True)
        assert any(p.applies(answers) for p in passages), f"no {array} for {domain}/{situation}"


def test_every_answer_without_a_reason_gets_something_that_fits(content: Content) -> None:
    # Without a reason of the law: a kind explanation and, somewhere, something to do.
    for domain, situation in _answers(content):
        answers = Answers(domain=domain, situation=situation, speaker="self", legal=False)
        assert any(p.applies(answers) for p in content.not_discrimination), domain
        assert any(p.applies(answers) for p in content.routes + content.not_discrimination)


def test_every_evidence_kind_gets_advice(content: Content) -> None:
    for kind in content.evidence_kinds:
        for legal in (True, False):
            answers = Answers(evidence=frozenset({kind.id}), legal=legal, domain="housing")
            assert any(p.evidence and p.applies(answers) for p in content.evidence_advice), (
                f"no advice for evidence {kind.id} (legal={legal})"
            )


def test_some_passages_apply_to_everyone(content: Content) -> None:
    # The "what is" screen is general; a dated account is advised whatever the answers, and a
    # note on delays is shown with a reason of the law and without one.
    assert all(p.applies(NO_ANSWER) for p in content.what_is)
    assert any(p.applies(NO_ANSWER) for p in content.evidence_advice)
    notes = [p for p in content.deadlines if p.months is None]
    for legal in (True, False):
        assert any(p.applies(Answers(legal=legal)) for p in notes), legal


def test_not_discrimination_has_a_general_passage(content: Content) -> None:
    assert any(p.applies(NO_ANSWER) for p in content.not_discrimination)


def test_delays_are_data(content: Content) -> None:
    # Each delay says how long (months), from when (starts) and, for the summary, what
    # (line); a passage without months is a note and says none of this.
    months = {p.id: p.months for p in content.deadlines}
    assert months["dl_criminal"] == 72, "the 6-year criminal delay (CPP art. 8)"
    assert months["dl_work"] == 60, "the 5-year employment delay (L1134-5)"
    assert months["dl_civil"] == 60, "the 5-year civil delay (Code civil art. 2224)"
    assert months["dl_admin"] == 2, "the 2-month delay against an administrative decision"
    assert months["dl_press"] == 3, "the 3-month press-law delay"
    assert months["dl_public"] == 48, "the 4-year rule of loi 68-1250"
    for passage in content.deadlines:
        if passage.months is None:
            assert not passage.starts, passage.id
            assert not passage.line, passage.id
            continue
        assert passage.months > 0, passage.id
        assert passage.starts in STARTS, f"{passage.id}: starts {passage.starts!r}"
        assert passage.line.strip(), f"{passage.id} has no summary line"
        assert not passage.line[0].isupper(), f"{passage.id}: the line follows its length"
    for passage in content.all_passages():
        if passage not in content.deadlines:
            assert passage.months is None, passage.id
            assert not passage.line, passage.id


def test_uncertain_delays_stay_hedged(content: Content) -> None:
    # CJA R421-1 was not read and the prior appeal is UNCONFIRMED in detail (legal-facts §0).
    admin = next(p for p in content.deadlines if p.id == "dl_admin")
    assert "en général" in admin.text
    assert "recours" in admin.line
    assert "d'abord" in admin.line
    civil = next(p for p in content.deadlines if p.id == "dl_civil")
    assert "en général" in civil.text


def test_other_speakers_have_their_wording(content: Content) -> None:
    # Passages that speak to "vous" about what happened also say it about "la personne".
    for passage in content.all_passages():
        if passage.speakers and "self" not in passage.speakers:
            continue
        if re.search(r"\bvous (avez|êtes|pouvez)\b", passage.text):
            assert passage.text_other, f"passage {passage.id} needs a text_other"
