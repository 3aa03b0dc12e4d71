"""Ingest + clean every article of the bundled example corpus and check it
against examples/expected.json: boilerplate that must be gone, the first body
sentence that must stay, and the metadata the gold gives (title, date,
outlet, dateline, author). Only generic rules are used, so this is a check on
cleaning, not a fit to the corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfuse.clean import clean
from newsfuse.ingest import ingest
from newsfuse.models import Article

_FIELDS = ("title", "outlet", "dateline", "author")


@pytest.fixture(scope="module")
def expected(examples_dir: Path) -> dict[str, dict[str, Any]]:
    gold: dict[str, dict[str, Any]] = json.loads((examples_dir / "expected.json").read_text("utf-8"))[
        "articles"
    ]
    return gold


@pytest.fixture(scope="module")
def cleaned(examples_dir: Path) -> dict[str, Article]:
    items = ingest([str(examples_dir / "corpus")])
    return {item.id: clean(item) for item in items if isinstance(item, Article)}


def test_every_expected_article_is_ingested(
    expected: dict[str, dict[str, Any]], cleaned: dict[str, Article]
) -> None:
    assert sorted(expected) == sorted(cleaned)


def test_boilerplate_is_gone_and_first_sentence_stays(
    expected: dict[str, dict[str, Any]], cleaned: dict[str, Article]
) -> None:
    problems = []
    for article_id, gold in expected.items():
        text = cleaned[article_id].text
        problems += [f"{article_id}: left {s!r}" for s in gold["boilerplate"] if s in text]
        if gold["first_body_sentence"] not in text:
            problems.append(f"{article_id}: first body sentence lost")
        elif gold["kind"] == "text":
            # the body starts with it (after a dateline at most), not after leftovers
            assert text.find(gold["first_body_sentence"]) < 60, article_id
    assert problems == []


@pytest.mark.parametrize("field", [*_FIELDS, "published"])
def test_metadata_matches_gold(
    field: str, expected: dict[str, dict[str, Any]], cleaned: dict[str, Article]
) -> None:
    wrong = {}
    for article_id, gold in expected.items():
        if field not in gold:
            continue
        value = getattr(cleaned[article_id], field)
        got = value.isoformat() if field == "published" and value else value
        if got != gold[field]:
            wrong[article_id] = (got, gold[field])
    assert wrong == {}


def test_capture_without_headline_gets_no_invented_title(
    expected: dict[str, dict[str, Any]], cleaned: dict[str, Article]
) -> None:
    untitled = [a for a, gold in expected.items() if gold["kind"] == "text" and gold["title"] is None]
    assert untitled, "the corpus has a capture that opens on body text"
    assert all(cleaned[a].title is None for a in untitled)


def test_outlet_is_the_publisher_not_the_wire_in_the_dateline() -> None:
    text = (
        "COASTLINE TODAY\n  Home   News   Sport   Weather\n\n"
        "Harbour dredging to start in May, port says\n\n"
        "KESTREL, Korvalia (Meridian) - The port authority said on Monday that dredging of the "
        "outer harbour would start in May and take about eleven weeks to finish.\n\n"
        "The work will close the northern berth to ferries for most of that time, officials said.\n\n"
        "© 2025 Coastline Today. All rights reserved.\n"
    )
    article = clean(Article(id="c", text=text))
    assert article.outlet == "Coastline Today"
    assert article.title == "Harbour dredging to start in May, port says"
    assert article.dateline == "KESTREL"
    assert "Home" not in article.text and "Coastline Today" not in article.text
