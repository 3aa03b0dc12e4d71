"""Exact blocking: cut a corpus into blocks the clusterer can run on one at a time
and still give the stories of one run over the whole corpus.

The single-machine clusterer (`newsfuse.cluster.online`) takes articles in time
order; an article joins the story with the best link score, and only a story
holding a member whose (calibrated) similarity reaches `threshold` can be
joined. Similarities use TF-IDF weights with the document frequencies of every
article seen so far (prefix statistics) over an inverted index of the last
`window_days`. So:

1. Similarities are computed *exactly* in time slices: task `k` replays the
   clusterer's own index over the articles of week-buckets `k-1` and `k`,
   starting from the corpus-wide state just before bucket `k-1` (prefix term
   counts, article count, the undated articles),
   and reports, for every article of bucket `k`, its candidate similarities.
   Every article within the window of a bucket-`k` article lies in `k-1` or `k`.
2. Strong edges (similarity >= threshold) are the only way two articles end up
   in one story, so every story lies inside one connected component of them:
   components are the blocks.
3. Each block is clustered with `online(..., scores=...)`: the block's own
   articles with the corpus-wide similarities. Every member of a story that
   could be joined is in the block, with the same similarity and the same story
   size, so each decision (and each story id) is the one the global run makes.

Everything here is plain Python over plain data, so Spark calls it inside its
partitions and tests call it directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from newsfuse.cluster import ClusterConfig, Index, IndexEntry, article_day, index_entry, online, time_key
from newsfuse.eval.clustering import bcubed
from newsfuse.features import TermCache, article_terms
from newsfuse.models import Article

UNDATED = -(2**31)  # the bucket of undated articles: before every dated one, like the clusterer's order

Scores = dict[str, dict[str, float]]  # article id -> {earlier article id: calibrated similarity}


@dataclass(frozen=True, slots=True)
class BlockingConfig:
    # An edge joins two articles whose similarity reaches threshold x link_ratio.
    # 1.0 is exact; lower values only make blocks larger (never changes stories).
    link_ratio: float = 1.0


@dataclass(frozen=True, slots=True)
class StartState:
    """The clusterer's index state just before a task's first article."""

    n: int = 0  # articles seen before
    df: Mapping[str, int] = field(default_factory=dict)  # their term counts (the task's terms)
    undated: tuple[IndexEntry, ...] = ()  # undated articles (they fit every window), in order


def bucket_of(article: Article, cluster: ClusterConfig) -> int:
    day = article_day(article)
    return UNDATED if day is None else day // max(1, cluster.window_days)


def task_ids(bucket: int) -> tuple[int, ...]:
    """The tasks an article of `bucket` takes part in: its own (as a query) and the next (as context)."""
    return (UNDATED,) if bucket == UNDATED else (bucket, bucket + 1)


def term_set(article: Article, cluster: ClusterConfig, memo: TermCache | None = None) -> list[str]:
    """The article's clustering terms; `memo` shares word lookups across a batch."""
    return list(article_terms(article, cluster.features, memo))


def df_offsets(bucket_counts: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(task, articles with the term before the task's first bucket) for one term,
    from its (bucket, article count) pairs; only tasks whose articles hold the term."""
    before = 0
    previous: tuple[int, int] | None = None
    for bucket, count in sorted(bucket_counts):
        # Task `bucket` starts at bucket-1: leave out that bucket's count if present.
        adjacent = previous is not None and previous[0] == bucket - 1
        yield bucket, before - (previous[1] if adjacent and previous else 0)
        yield bucket + 1, before
        previous = (bucket, count)
        before += count


def start_state(
    task: int,
    df: Mapping[str, int],
    bucket_sizes: Mapping[int, int],
    undated: Sequence[IndexEntry],
    cluster: ClusterConfig,
) -> StartState:
    if task == UNDATED:
        return StartState(0, df)
    first = task - 1  # the task replays buckets task-1 and task
    n = sum(size for bucket, size in bucket_sizes.items() if bucket < first)
    return StartState(n, df, tuple(undated))


def scan(
    articles: Iterable[Article], queries: Container[str], cluster: ClusterConfig, start: StartState
) -> Iterator[tuple[IndexEntry, dict[str, float]]]:
    """Replay the clusterer's index from `start` over `articles`; for each query
    article, its index entry and its candidate similarities, as the global run sees them."""
    index = Index(cluster)
    for entry in start.undated:
        index.add(entry, None)
    index.n = start.n
    index.df.update(start.df)
    for article in sorted(articles, key=time_key):
        entry, day = index_entry(index, article, cluster)
        if article.id in queries:
            yield entry, dict(index.candidates(entry, day))
        index.add(entry, day)


def edges(
    article_id: str, scores: Mapping[str, float], cluster: ClusterConfig, cfg: BlockingConfig
) -> list[tuple[str, str]]:
    """The pairs that could put two articles in one story."""
    limit = cluster.threshold * cfg.link_ratio
    return [(other, article_id) for other, score in scores.items() if score >= limit]


def within_block(
    article_id: str, scores: Mapping[str, float], block_of: Mapping[str, str]
) -> dict[str, float]:
    """The similarities to articles of the same block (order kept: the clusterer sums in it)."""
    block = block_of.get(article_id, article_id)
    return {o: s for o, s in scores.items() if block_of.get(o, o) == block}


def cluster_block(
    articles: Sequence[Article], scores: Mapping[str, Mapping[str, float]], cluster: ClusterConfig
) -> dict[str, str]:
    """Article id -> story id for one block, with corpus-wide similarities."""
    if cluster.method != "online":
        raise ValueError(f"the Spark digest needs the online clusterer, not {cluster.method!r}")
    return online(articles, cluster, None, scores)


class UnionFind:
    """Connected components over string ids (path halving, union by size)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.size: dict[str, int] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size.get(ra, 1) < self.size.get(rb, 1):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] = self.size.get(ra, 1) + self.size.get(rb, 1)


def components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Article id -> block id (the smallest article id of its component), for linked articles."""
    uf = UnionFind()
    for a, b in pairs:
        uf.union(a, b)
    smallest: dict[str, str] = {}
    for x in uf.parent:
        root = uf.find(x)
        smallest[root] = min(smallest.get(root, x), x)
    return {x: smallest[uf.find(x)] for x in uf.parent}


def similarities(articles: Sequence[Article], cluster: ClusterConfig | None = None) -> Scores:
    """Every article's candidate similarities, computed task by task (the
    reference the Spark job distributes; one process, for tests and small runs)."""
    cluster = cluster or ClusterConfig()
    unique = list({a.id: a for a in articles}.values())
    by_bucket: dict[int, list[Article]] = defaultdict(list)
    for a in unique:
        by_bucket[bucket_of(a, cluster)].append(a)
    sizes = {b: len(v) for b, v in by_bucket.items()}
    per_term: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    memo = TermCache()
    for a in unique:
        for t in term_set(a, cluster, memo):
            per_term[t][bucket_of(a, cluster)] += 1
    offsets: dict[int, dict[str, int]] = defaultdict(dict)
    for term, counts in per_term.items():
        for task, before in df_offsets(counts.items()):
            offsets[task][term] = before
    scores: Scores = {}
    undated: list[IndexEntry] = []
    for task in sorted(by_bucket):  # UNDATED first: dated tasks need its entries
        members = [a for b in (task - 1, task) if task != UNDATED for a in by_bucket.get(b, [])]
        members = members if task != UNDATED else by_bucket[task]
        start = start_state(task, offsets[task], sizes, undated, cluster)
        for entry, found in scan(members, {a.id for a in by_bucket[task]}, cluster, start):
            scores[entry.article_id] = found
            if task == UNDATED:
                undated.append(entry)
    return scores


def blocks(
    scores: Mapping[str, Mapping[str, float]],
    cluster: ClusterConfig | None = None,
    cfg: BlockingConfig | None = None,
) -> dict[str, str]:
    """Article id -> block id for every article of `scores`."""
    cluster, cfg = cluster or ClusterConfig(), cfg or BlockingConfig()
    linked = components(e for a, found in scores.items() for e in edges(a, found, cluster, cfg))
    return {a: linked.get(a, a) for a in scores}


def bcubed_f1(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """B-cubed F1 between two partitions (item -> cluster label) of the same items."""
    if set(a) != set(b):
        raise ValueError("the two partitions cover different items")
    return bcubed(a, b)["f1"] if a else 1.0
