"""End to end: the seeds become one cited story; bad input is skipped, not fatal."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsfuse import pipeline
from newsfuse.cli import app
from newsfuse.cluster import assign_stories
from newsfuse.models import Article, Story
from newsfuse.pipeline import add_articles, digest
from newsfuse.store import Store, open_store
from newsfuse.text import split_sentences, words

BOILERPLATE = [
    "HOT 100",
    "Exit mobile version",
    "See also",
    "Nikki Haley",
    "Besigye",
    "Leave a Comment",
    "Latest News",
    "Also read",
    "Share.",
    "Â",
]

# The first body sentence of each seed, as a prefix that must survive cleaning.
FIRST_BODY_SENTENCE = {
    "000": "Russian President Vladimir Putin is planning to visit North Korea and Vietnam "
    "in the coming weeks, according to reports from Russia's Vedomosti newspaper.",
    "001": "President Vladimir Putin is set to embark on visits to North Korea and Vietnam "
    "in the coming weeks",
    "002": "Russian President Vladimir Putin is planning to visit North Korea and Vietnam "
    "in the coming weeks, according to reports from Russian diplomats familiar with the matter.",
    "003": "Vladimir Putin is scheduled to travel North Korea For a two-day visit starting on Tuesday",
    "004": "Russian President Vladimir Putin will visit North Korea and Vietnam in the coming weeks",
}


@pytest.fixture(scope="module")
def seeded(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[Story]]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('seeds') / 's.db'}")
    digest([str(seeds_dir)], store)
    return store, store.stories()


def _words_in_order(needle: str, haystack: str) -> bool:
    remaining = iter(words(haystack))
    return all(word in remaining for word in words(needle))


def test_seeds_form_exactly_one_story_of_five(seeded: tuple[Store, list[Story]]) -> None:
    store, stories = seeded
    assert len(stories) == 1
    assert len(stories[0].article_ids) == 5
    assert store.count_articles() == 5


def test_seed_texts_are_clean_and_keep_their_first_sentence(seeded: tuple[Store, list[Story]]) -> None:
    store, _ = seeded
    articles = store.articles()
    for article in articles:
        for junk in BOILERPLATE:
            assert junk not in article.text, f"{article.id} still holds {junk!r}"
        prefix = FIRST_BODY_SENTENCE[article.id[:3]]
        assert prefix in article.text, f"{article.id} lost its first body sentence"


def test_every_summary_sentence_is_cited_and_supported(seeded: tuple[Store, list[Story]]) -> None:
    store, stories = seeded
    articles: dict[str, Article] = {a.id: a for a in store.articles()}
    writeup = stories[0].writeup
    assert writeup.headline
    assert 1 <= len(writeup.summary) <= 5
    for line in (*writeup.summary, *writeup.account):
        assert line.citations, f"uncited: {line.text}"
        for citation in line.citations:
            source = articles[citation.article_id]
            sentence = split_sentences(source)[citation.sentence.index]
            assert sentence.text == citation.sentence.text
        assert any(_words_in_order(line.text, c.sentence.text) for c in line.citations), line.text
    assert sum(len(words(s.text)) for s in writeup.account) <= 400


def test_redigesting_adds_nothing_and_keeps_the_story_id(seeds_dir: Path, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'again.db'}")
    first = digest([str(seeds_dir)], store)
    story_ids = [s.id for s in store.stories()]
    second = digest([str(seeds_dir)], store)
    assert len(first.added) == 5
    assert second.added == () and second.already_stored == 5
    assert second.stories == ()
    assert [s.id for s in store.stories()] == story_ids


def _write_bad_and_good_inputs(folder: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    latin = (
        "Crédit Municipal de Montréal annonce une hausse de capital\n\n"
        "MONTRÉAL - The café owners' association said on Tuesday that the régie would review "
        "the façade rules next month. The association represents 1,200 cafés across the city, "
        "and its président said the review was overdue."
    )
    (folder / "latin1.txt").write_bytes(latin.encode("latin-1"))
    (folder / "nothing.html").write_text(
        "<html><head><title>x</title></head><body><nav>Home</nav></body></html>"
    )
    (folder / "broken.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item><title>Cut'
    )
    (folder / "good.jsonl").write_text(
        json.dumps(
            {
                "id": "harbour-1",
                "url": "https://example-news.test/harbour-strike",
                "title": "Dockworkers strike at Port Elling",
                "text": "Dockworkers at Port Elling walked out on Monday over pay, halting cargo traffic. "
                "The union said 3,400 members joined the strike. Port officials said talks would resume.",
                "published": "2025-03-03",
                "outlet": "Harbour Times",
            }
        )
        + "\n"
    )


def test_bad_input_is_skipped_with_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _write_bad_and_good_inputs(folder)
    db = f"sqlite:///{tmp_path / 'bad.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["digest", str(folder), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    skipped_lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    for name in ("empty.txt", "binary.txt", "nothing.html", "broken.xml"):
        assert sum(name in line for line in skipped_lines) == 1, (name, skipped_lines)
    assert not any("latin1.txt" in line or "good.jsonl" in line for line in skipped_lines)
    report = json.loads(result.stdout)
    assert report["added"] == 2
    store = open_store(db)
    assert "café" in " ".join(a.text for a in store.articles())
    again = runner.invoke(app, ["digest", str(folder), "--db", db, "--json"])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["added"] == 0
    assert store.count_articles() == 2


def _commands(runner: CliRunner, *prefix: str) -> list[str]:
    listing = runner.invoke(app, [*prefix, "--help"])
    assert listing.exit_code == 0
    return re.findall(r"^│ (\w[\w-]*)\s{2,}\S", listing.stdout, flags=re.MULTILINE)


def test_every_command_has_help_and_json() -> None:
    runner = CliRunner()
    top = _commands(runner)
    assert {"digest", "stories", "show", "summarize", "cluster", "extract", "serve", "eval", "spark"} <= set(
        top
    )
    leaves: list[tuple[str, ...]] = [(name,) for name in top if name not in ("eval", "spark")]
    leaves += [(group, sub) for group in ("eval", "spark") for sub in _commands(runner, group)]
    assert ("eval", "summaries") in leaves and ("spark", "digest") in leaves
    for leaf in leaves:
        result = runner.invoke(app, [*leaf, "--help"])
        assert result.exit_code == 0, leaf
        assert "--json" in result.stdout, leaf


def test_summarize_cluster_extract_json_shapes(seeds_dir: Path) -> None:
    runner = CliRunner()
    summary = runner.invoke(app, ["summarize", str(seeds_dir), "--words", "60", "--json"])
    assert summary.exit_code == 0, summary.output
    data = json.loads(summary.stdout)
    assert set(data) == {"headline", "summary", "account"}
    assert sum(len(words(s["text"])) for s in data["summary"]) <= 60
    for line in data["summary"] + data["account"]:
        assert line["citations"]
        assert all(set(c) == {"article", "sentence"} for c in line["citations"])

    clusters = json.loads(runner.invoke(app, ["cluster", str(seeds_dir), "--json"]).stdout)
    assert sorted(row["article"][:3] for row in clusters) == ["000", "001", "002", "003", "004"]
    assert len({row["story"] for row in clusters}) == 1

    extracted = runner.invoke(app, ["extract", str(seeds_dir), "--json"]).stdout.splitlines()
    records = [json.loads(line) for line in extracted]
    assert len(records) == 5
    by_file = {Path(r["file"]).name[:3]: r for r in records}
    assert by_file["000"]["published"] == "2024-06-11"
    assert by_file["001"]["published"] == "2024-06-10"
    assert all({"file", "title", "published", "outlet", "text"} <= set(r) for r in records)


def test_show_formats(seeded: tuple[Store, list[Story]]) -> None:
    store, stories = seeded
    db = str(store.engine.url)
    runner = CliRunner()
    story_id = stories[0].id
    listed = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    assert [s["id"] for s in listed] == [story_id]
    assert {"id", "headline", "articles"} <= set(listed[0])
    shown = json.loads(runner.invoke(app, ["show", story_id, "--db", db, "--format", "json"]).stdout)
    assert shown["id"] == story_id and shown["summary"]
    markdown = runner.invoke(app, ["show", story_id, "--db", db, "--format", "md"]).stdout
    assert markdown.startswith("# ")
    missing = runner.invoke(app, ["show", "nope", "--db", db])
    assert missing.exit_code == 1


def _strike_report(id: str, day: int, outlet: str) -> Article:
    """One report of a long-running strike, published on `day` of March 2025."""
    text = (
        f"Dockworkers at Port Elling stayed on strike on day {day} of the walkout over pay, the union said. "
        "Cargo traffic at Port Elling remains halted while the dockworkers union and port officials talk. "
        "The union said 3,400 members joined the Port Elling strike."
    )
    return Article(
        id=id,
        text=text,
        title="Port Elling dockworkers strike over pay",
        published=date(2025, 3, day),
        outlet=outlet,
        key=f"https://{outlet.lower().replace(' ', '-')}.test/{id}",
    )


def _far_away_report() -> Article:
    return Article(
        id="orchard",
        text="Apple growers in the Lanvale valley expect a record harvest after a mild spring. "
        "Orchard owners said prices would fall.",
        title="Record apple harvest expected in Lanvale",
        published=date(2024, 9, 2),
        outlet="Valley Post",
        key="https://valley-post.test/orchard",
    )


def test_a_digest_reads_only_the_clustering_window_and_keeps_story_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'window.db'}")
    add_articles([_far_away_report(), _strike_report("day1", 1, "Harbour Times")], store)
    add_articles([_strike_report("day6", 6, "Coast Daily")], store)
    (story,) = [s for s in store.stories() if "day1" in s.article_ids]
    assert story.article_ids == ("day1", "day6")

    clustered: list[list[str]] = []
    real = assign_stories

    def spy(articles: Sequence[Article], *args: Any) -> dict[str, str]:
        clustered.append([a.id for a in articles])
        return real(articles, *args)

    monkeypatch.setattr(pipeline, "assign_stories", spy)
    # Day 12 lies more than the 7-day window after day 1 and the orchard
    # report: it is compared with day 6 only, yet the strike story is read
    # whole (day 1 too) so it is judged and written up from all its reports.
    result = add_articles([_strike_report("day12", 12, "Port Wire")], store)
    assert [sorted(ids) for ids in clustered] == [["day1", "day12", "day6"]]
    assert [s.id for s in result.stories] == [story.id]
    assert result.stories[0].article_ids == ("day1", "day6", "day12")
    assert store.story(story.id) == result.stories[0]
    assert store.assignments()["day12"] == story.id

    again = add_articles([_strike_report("day12", 12, "Port Wire")], store)
    assert again.already_stored == 1 and again.stories == ()


def test_articles_stored_by_a_killed_run_get_their_story_on_the_next(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'killed.db'}")
    # A run killed after storing but before saving stories leaves this behind.
    assert store.add_article(_strike_report("day1", 1, "Harbour Times"))
    result = add_articles([_strike_report("day2", 2, "Coast Daily")], store)
    assert [s.article_ids for s in result.stories] == [("day1", "day2")]
    assert store.unassigned_ids() == set()


def test_story_write_ups_in_a_process_pool_equal_the_serial_ones() -> None:
    corpus = Path(__file__).parent.parent / "examples" / "corpus"
    articles = [a for a in pipeline.load([str(corpus)]) if isinstance(a, Article)]
    # One story per article: enough stories for the pool to be used.
    groups = [(f"s{i:02d}", [a]) for i, a in enumerate(articles)]
    assert len(groups) >= 2 * pipeline.STORIES_PER_WORKER
    seen: list[int] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        seen.append(done)

    serial = list(pipeline._write_ups(groups, pipeline.DigestConfig(workers=1), progress))
    pooled = list(pipeline._write_ups(groups, pipeline.DigestConfig(workers=2), progress))
    assert pooled == serial
    assert [s.id for s in pooled] == [g[0] for g in groups]
    assert seen == [*range(1, len(groups) + 1)] * 2
