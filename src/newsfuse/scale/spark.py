"""`newsfuse spark digest`: the digest on Apache Spark, same stories as one machine.

Stages, each a plain function from `newsfuse.scale.records` /
`newsfuse.scale.blocking` / `newsfuse.pipeline` run inside partitions:

1. read files (any Hadoop path: file://, hdfs://, s3a://) or JSONL lines, then
   ingest and clean them with the single-machine code;
2. keep one article per storage key; give colliding ids the store's suffix;
3. corpus term frequencies (one reduce), then per-article profiles and block
   keys; candidate pairs per key -> edges; connected components -> blocks;
4. per block, `pipeline.build_stories` (the clusterer's `assign_stories`, then
   `make_story`: dedupe, summarize, compare), exactly as `newsfuse digest` does;
5. write stories as JSONL or Parquet (`serialize.story_json`), or into a Store.

pyspark is imported inside functions: the core imports without the `scale` extra.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from newsfuse.cluster import ClusterConfig
from newsfuse.features import TermCache
from newsfuse.models import Article, Skipped, Story
from newsfuse.pipeline import DigestConfig, make_story
from newsfuse.scale import blocking, records
from newsfuse.serialize import story_json

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

INPUT_FORMATS = ("jsonl", "files")
OUTPUT_FORMATS = ("jsonl", "parquet")


@dataclass(frozen=True, slots=True)
class SparkDigestConfig:
    digest: DigestConfig = field(default_factory=DigestConfig)
    blocking: blocking.BlockingConfig = field(default_factory=blocking.BlockingConfig)
    input_format: str = "jsonl"  # "jsonl": splittable lines; "files": whole files of any kind
    partitions: int = 0  # 0: four per core Spark offers
    write_batch: int = 200  # stories per Store transaction


@dataclass(frozen=True, slots=True)
class SparkDigestResult:
    articles: int
    duplicates: int  # inputs whose key was already seen
    skipped: tuple[Skipped, ...]  # the first few skipped inputs
    skipped_count: int
    blocks: int
    largest_block: int
    stories: int
    seconds: dict[str, float]


def _under_spark_submit() -> bool:
    # spark-submit starts the Python driver with a running JVM gateway; its master wins.
    return "PYSPARK_GATEWAY_PORT" in os.environ


def spark_session(master: str | None = "local[2]", app_name: str = "newsfuse") -> SparkSession:
    """A SparkSession: `master` locally; under spark-submit, the one it configured."""
    from pyspark.sql import SparkSession

    # Executors must run this interpreter (the one that has newsfuse installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master and not _under_spark_submit():
        builder = builder.master(master).config("spark.ui.enabled", "false")
    return builder.getOrCreate()


# -- stages (each a function over RDDs; the work inside is plain Python) ------


def read_items(spark: SparkSession, source: str, cfg: SparkDigestConfig) -> RDD[Article | Skipped]:
    """Cleaned articles and skipped inputs of `source` (a path, glob or folder)."""
    digest_cfg = cfg.digest
    # Folders are read recursively, like `newsfuse digest` reads them (Spark skips
    # names starting with "." or "_", as the local walk skips hidden files).
    reader = spark.read.option("recursiveFileLookup", "true")
    if cfg.input_format == "files":
        files = reader.format("binaryFile").load(source).select("path", "content").rdd
        raw: RDD[Article | Skipped | None] = files.flatMap(
            lambda row: records.file_articles(row["path"], bytes(row["content"]), digest_cfg.ingest)
        )
    elif cfg.input_format == "jsonl":
        from pyspark.sql.functions import input_file_name

        lines = reader.text(source).select(input_file_name().alias("path"), "value").rdd
        raw = lines.map(lambda row: records.jsonl_article(row["value"], row["path"]))
    else:
        raise ValueError(f"input format must be one of {INPUT_FORMATS}, not {cfg.input_format!r}")
    return raw.mapPartitions(lambda items: records.cleaned(items, digest_cfg.clean))


def unique_articles(items: RDD[Article | Skipped]) -> RDD[Article]:
    """One article per storage key; ids made unique as the store makes them."""
    articles = cast("RDD[Article]", items.filter(lambda x: isinstance(x, Article)))
    by_key = articles.keyBy(records.storage_key).reduceByKey(records.first_of).values()
    return by_key.groupBy(lambda a: a.id).flatMap(lambda kv: records.resolve_ids(kv[1]))


def _task_offsets(articles: RDD[Article], cluster: ClusterConfig) -> RDD[tuple[int, dict[str, int]]]:
    """Per task, the corpus-wide count of articles holding each of its terms before it starts."""

    def pairs(partition: Iterable[Article]) -> Iterator[tuple[tuple[str, int], int]]:
        memo = TermCache()  # one per partition: word lookups repeat across articles
        for article in partition:
            bucket = blocking.bucket_of(article, cluster)
            for term in blocking.term_set(article, cluster, memo):
                yield (term, bucket), 1

    per_term = (
        articles.mapPartitions(pairs)
        .reduceByKey(lambda x, y: x + y)
        .map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
        .groupByKey()
    )
    offsets = per_term.flatMap(lambda kv: ((task, (kv[0], n)) for task, n in blocking.df_offsets(kv[1])))
    return offsets.groupByKey().mapValues(dict)


def similarities(articles: RDD[Article], cfg: SparkDigestConfig) -> RDD[tuple[str, dict[str, float]]]:
    """(article id, candidate similarities) as the single-machine clusterer computes them.

    One task per week-bucket with articles replays the clusterer's index over
    that bucket and the one before, from the corpus-wide state before them
    (see `blocking`); undated articles (comparable with every article) go first,
    in one task, and their index entries travel to every dated task."""
    cluster = cfg.digest.cluster
    sc = articles.context
    sizes = articles.map(lambda a: (blocking.bucket_of(a, cluster), 1)).reduceByKey(lambda x, y: x + y)
    bucket_sizes = dict(sizes.collect())
    offsets = _task_offsets(articles, cluster)
    members = articles.flatMap(
        lambda a: ((t, a) for t in blocking.task_ids(blocking.bucket_of(a, cluster)) if t in bucket_sizes)
    ).groupByKey()
    tasks = members.leftOuterJoin(offsets)

    def run_task(undated: list[Any]) -> Any:
        def scan(kv: tuple[int, tuple[Iterable[Article], dict[str, int] | None]]) -> Iterator[Any]:
            task, (group, df) = kv
            group = list(group)
            start = blocking.start_state(task, df or {}, bucket_sizes, undated, cluster)
            queries = {a.id for a in group if blocking.bucket_of(a, cluster) == task}
            yield from blocking.scan(group, queries, cluster, start)

        return scan

    undated_out = tasks.filter(lambda kv: kv[0] == blocking.UNDATED).flatMap(run_task([])).collect()
    undated = [entry for entry, _ in undated_out]
    dated = tasks.filter(lambda kv: kv[0] != blocking.UNDATED).flatMap(run_task(undated))
    first = sc.parallelize([(e.article_id, found) for e, found in undated_out], 1)
    return first.union(dated.map(lambda ef: (ef[0].article_id, ef[1])))


def assign_blocks(
    articles: RDD[Article], cfg: SparkDigestConfig
) -> RDD[tuple[str, tuple[Article, dict[str, float]]]]:
    """(block id, (article, its similarities within the block)) for every article:
    a block holds every story it touches (components of the strong edges)."""
    from pyspark import StorageLevel

    cluster, block_cfg = cfg.digest.cluster, cfg.blocking
    scores = similarities(articles, cfg).persist(StorageLevel.MEMORY_AND_DISK)
    found = scores.flatMap(lambda kv: blocking.edges(kv[0], kv[1], cluster, block_cfg)).collect()
    sc = articles.context
    block_b = sc.broadcast(blocking.components(found))

    def keyed(
        kv: tuple[str, tuple[dict[str, float], Article]],
    ) -> tuple[str, tuple[Article, dict[str, float]]]:
        article_id, (found, article) = kv
        block_of = block_b.value
        within = blocking.within_block(article_id, found, block_of)
        return block_of.get(article_id, article_id), (article, within)

    blocked = scores.join(articles.keyBy(lambda a: a.id)).map(keyed).persist(StorageLevel.MEMORY_AND_DISK)
    blocked.count()  # materialise, so the full similarity lists can go
    scores.unpersist()
    return blocked


def block_stories(members: Iterable[tuple[Article, dict[str, float]]], cfg: DigestConfig) -> list[Story]:
    """The single-machine story builder for one block, with corpus-wide similarities."""
    pairs = list(members)
    articles = [a for a, _ in pairs]
    assignment = blocking.cluster_block(articles, {a.id: s for a, s in pairs}, cfg.cluster)
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[assignment[article.id]].append(article)
    return [make_story(story, grouped[story], cfg) for story in sorted(grouped)]


def stories_of_blocks(
    blocked: RDD[tuple[str, tuple[Article, dict[str, float]]]], cfg: SparkDigestConfig, partitions: int
) -> RDD[Story]:
    """Clustering, then dedupe, summary and comparison per story, once per block."""
    digest_cfg = cfg.digest
    grouped = blocked.groupByKey(numPartitions=partitions)
    return grouped.flatMap(lambda kv: block_stories(kv[1], digest_cfg))


def spark_digest(
    spark: SparkSession, source: str, cfg: SparkDigestConfig = SparkDigestConfig()
) -> tuple[RDD[Story], RDD[Article], SparkDigestResult]:
    """Stories (cached) of the articles at `source`, the articles, and what happened."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    partitions = cfg.partitions or 4 * sc.defaultParallelism
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    items = read_items(spark, source, cfg).persist(StorageLevel.MEMORY_AND_DISK)
    skipped = cast("RDD[Skipped]", items.filter(lambda x: isinstance(x, Skipped)))
    skipped_count, skipped_first = skipped.count(), tuple(skipped.take(20))
    read_count = items.count() - skipped_count
    articles = unique_articles(items).repartition(partitions).persist(StorageLevel.MEMORY_AND_DISK)
    article_count = articles.count()
    items.unpersist()
    seconds["read_clean"] = time.perf_counter() - started

    started = time.perf_counter()
    blocked = assign_blocks(articles, cfg)
    sizes = blocked.map(lambda kv: (kv[0], 1)).reduceByKey(lambda x, y: x + y).values()
    block_count, largest = sizes.count(), sizes.max() if article_count else 0
    seconds["blocking"] = time.perf_counter() - started

    started = time.perf_counter()
    stories = stories_of_blocks(blocked, cfg, partitions).persist(StorageLevel.MEMORY_AND_DISK)
    story_count = stories.count()
    blocked.unpersist()
    seconds["stories"] = time.perf_counter() - started
    result = SparkDigestResult(
        articles=article_count,
        duplicates=read_count - article_count,
        skipped=skipped_first,
        skipped_count=skipped_count,
        blocks=block_count,
        largest_block=largest,
        stories=story_count,
        seconds=seconds,
    )
    return stories, articles, result


# -- sinks -------------------------------------------------------------------


def write_jsonl(stories: RDD[Story], output: str) -> None:
    """One JSON story per line, in part files under the `output` folder (Hadoop style)."""
    stories.map(lambda s: json.dumps(story_json(s), ensure_ascii=False, sort_keys=True)).saveAsTextFile(
        output
    )


def write_parquet(spark: SparkSession, stories: RDD[Story], output: str) -> None:
    """Parquet: the columns people filter on, plus the full story JSON."""
    from pyspark.sql import Row

    def row(story: Story) -> Row:
        return Row(
            id=story.id,
            headline=story.headline,
            articles=list(story.article_ids),
            outlets=list(story.outlets),
            independent_sources=story.independent_sources,
            first_published=story.first_published.isoformat() if story.first_published else None,
            last_published=story.last_published.isoformat() if story.last_published else None,
            json=json.dumps(story_json(story), ensure_ascii=False, sort_keys=True),
        )

    spark.createDataFrame(stories.map(row), schema=_PARQUET_SCHEMA).write.mode("error").parquet(output)


_PARQUET_SCHEMA = (
    "id string, headline string, articles array<string>, outlets array<string>, "
    "independent_sources int, first_published string, last_published string, json string"
)


def _store_partition(url: str, batch: int, stories: Iterable[Story], articles: Iterable[Article]) -> None:
    from newsfuse.store import open_store

    store = open_store(url)
    try:
        for article in articles:
            store.add_article(article)
        pending: list[Story] = []
        for story in stories:
            pending.append(story)
            if len(pending) >= batch:
                store.save_stories(pending)
                pending = []
        if pending:
            store.save_stories(pending)
    finally:
        store.close()


def write_store(stories: RDD[Story], articles: RDD[Article], url: str, batch: int = 200) -> None:
    """Articles and stories into a newsfuse database.

    A server database (PostgreSQL) is written from the partitions in parallel,
    each article and each batch of stories in its own transaction; SQLite, a
    single local file, is written from the driver.
    """
    from newsfuse.store import open_store

    open_store(url).close()  # migrate once, before any partition connects
    if url.startswith("sqlite"):
        _store_partition(url, batch, stories.toLocalIterator(), articles.toLocalIterator())
        return
    articles.foreachPartition(lambda part: _store_partition(url, batch, (), part))
    stories.foreachPartition(lambda part: _store_partition(url, batch, part, ()))


def run(
    source: str,
    output: str | None,
    cfg: SparkDigestConfig = SparkDigestConfig(),
    output_format: str = "jsonl",
    db: str | None = None,
    master: str | None = "local[2]",
    spark: SparkSession | None = None,
) -> SparkDigestResult:
    """The whole job: digest `source`, write to `output` and/or the database `db`."""
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output format must be one of {OUTPUT_FORMATS}, not {output_format!r}")
    session = spark or spark_session(master)
    stories, articles, result = spark_digest(session, source, cfg)
    started = time.perf_counter()
    if output:
        if output_format == "parquet":
            write_parquet(session, stories, output)
        else:
            write_jsonl(stories, output)
    if db:
        write_store(stories, articles, db, cfg.write_batch)
    result.seconds["write"] = time.perf_counter() - started
    stories.unpersist()
    articles.unpersist()
    return result


if __name__ == "__main__":  # spark-submit .../newsfuse/scale/spark.py digest INPUT OUTPUT
    from newsfuse.cli.spark import app

    app()
