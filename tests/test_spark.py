"""Spark digest == single-machine digest (same stories up to ids, same write-ups).

Runs only where the `scale` extra (pyspark) is installed; CI installs it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="the scale extra (pyspark) is not installed")

from newsfuse.models import Article, Story
from newsfuse.pipeline import DigestConfig, build_stories, digest, load
from newsfuse.scale import blocking, records
from newsfuse.scale.spark import SparkDigestConfig, run, spark_digest, spark_session
from newsfuse.store import open_store

pytestmark = pytest.mark.spark
FLOOR_5K = 0.93  # measured 0.94 on the 5k sample; the goal is 0.98 (see docs/scale.md)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]", "newsfuse-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def partition(stories: Sequence[Story]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.article_ids}


def single_machine(source: Path, tmp_path: Path) -> list[Story]:
    """What `newsfuse digest SOURCE --db ...` stores."""
    store = open_store(f"sqlite:///{tmp_path / 'single.db'}")
    digest([str(source)], store)
    stories = store.stories()
    store.close()
    return stories


def assert_equivalent(single: Sequence[Story], spark: Sequence[Story], floor: float) -> None:
    assert blocking.bcubed_f1(partition(single), partition(spark)) >= floor
    by_id = {s.id: s for s in single}
    same = [s for s in spark if s.id in by_id and by_id[s.id].article_ids == s.article_ids]
    assert same, "no story came out identical"
    for story in same:
        assert story.writeup == by_id[story.id].writeup, story.id
        assert story.chains == by_id[story.id].chains, story.id


# -- plain-Python parts (no Spark session) -----------------------------------


def test_bcubed_is_one_for_equal_partitions_up_to_labels() -> None:
    assert blocking.bcubed_f1({"a": "x", "b": "x", "c": "y"}, {"a": "1", "b": "1", "c": "2"}) == 1.0
    # {a,b,c,d} vs {a,b},{c,d}: precision 1, recall 1/2 -> F1 2/3
    assert blocking.bcubed_f1(
        {"a": "x", "b": "x", "c": "x", "d": "x"}, {"a": "1", "b": "1", "c": "2", "d": "2"}
    ) == (pytest.approx(2 / 3))


def test_colliding_ids_get_the_stores_suffix() -> None:
    a = Article(id="index.html", text="one", key="https://a.example/x")
    b = Article(id="index.html", text="two", key="https://b.example/y")
    ids = sorted(x.id for x in records.resolve_ids([b, a]))
    assert ids[0] == "index.html" and ids[1].startswith("index.html~")


def test_blocks_never_split_a_single_machine_story(examples_dir: Path) -> None:
    cfg = DigestConfig()
    articles = [a for a in load([str(examples_dir)], cfg) if isinstance(a, Article)]
    block = blocking.blocks(articles, cfg.cluster, cfg.dedupe)
    for story in build_stories(articles, cfg):
        assert len({block[a] for a in story.article_ids}) == 1, story.article_ids


# -- Spark -------------------------------------------------------------------


def test_examples_spark_matches_single_machine(spark: Any, examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories"
    db = f"sqlite:///{tmp_path / 'spark.db'}"
    cfg = SparkDigestConfig(input_format="files", partitions=2)
    result = run(str(examples_dir), str(out), cfg, db=db, spark=spark)
    single = single_machine(examples_dir, tmp_path)
    lines = [
        json.loads(line) for part in sorted(out.glob("part-*")) for line in part.read_text().splitlines()
    ]
    assert len(lines) == result.stories == len(single)
    assert {s["id"] for s in lines} == {s.id for s in single}
    stored = open_store(db)
    assert_equivalent(single, stored.stories(), floor=0.98)
    assert stored.count_articles() == result.articles
    stored.close()


def _jsonl_corpus(examples_dir: Path, folder: Path) -> Path:
    """The example articles as JSONL, plus an exact re-post (same URL) and an id collision."""
    rows = []
    for article in load([str(examples_dir)], DigestConfig()):
        if isinstance(article, Article):
            rows.append({
                "id": article.id, "url": article.url, "title": article.title, "text": article.text,
                "outlet": article.outlet,
                "published": article.published.isoformat() if article.published else None,
            })  # fmt: skip
    rows.append(dict(rows[0]))  # the same article posted twice
    rows.append({**rows[1], "url": "https://elsewhere.example/other", "text": "A different report. " * 20})
    folder.mkdir()
    (folder / "part-0.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[::2]))
    (folder / "part-1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[1::2]))
    return folder


def test_jsonl_input_parquet_output_via_cli(spark: Any, examples_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsfuse.cli.spark import app

    source = _jsonl_corpus(examples_dir, tmp_path / "in")
    out = tmp_path / "stories.parquet"
    invoked = CliRunner().invoke(app, ["digest", str(source), str(out), "--format", "parquet", "--json"])
    assert invoked.exit_code == 0, invoked.output
    report = json.loads(invoked.stdout)
    assert report["duplicates"] == 1
    table = spark.read.parquet(str(out))
    ids = {a for row in table.select("articles").collect() for a in row["articles"]}
    assert len(ids) == report["articles"]
    assert any(a.endswith(tuple("0123456789abcdef")) and "~" in a for a in ids)  # the collision, suffixed
    single = single_machine(source, tmp_path)
    spark_stories, _, _ = spark_digest(spark, str(source), SparkDigestConfig(partitions=2))
    assert_equivalent(single, spark_stories.collect(), floor=0.98)


@pytest.mark.slow
def test_5k_sample_spark_matches_single_machine(spark: Any, data_dir: Path, tmp_path: Path) -> None:
    from newsfuse.scale.corpus import CorpusConfig, write_corpus

    source = tmp_path / "corpus"
    write_corpus(data_dir, source, CorpusConfig(articles=5000))
    single = single_machine(source, tmp_path)
    stories, _, _ = spark_digest(spark, str(source), SparkDigestConfig())
    assert_equivalent(single, stories.collect(), floor=FLOOR_5K)
