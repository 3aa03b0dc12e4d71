"""Blocking: cut a corpus into independent blocks that hold whole stories.

The single-machine clusterer links an article to a story through one earlier
article within `window_days` whose title-and-lead TF-IDF cosine reaches the
clustering threshold. So every story lies inside one connected component of
the graph "cosine >= threshold and at most `window_days` apart". Blocking
builds a *generous* version of that graph without comparing all pairs:

- candidate pairs share a block key: one of each article's most weighted terms
  in a time bucket of `window_days` (an article files under its bucket and the
  next, so any two articles within the window meet), or a MinHash LSH band of
  its text (near-duplicates and wire copies meet even when their top terms are
  common words);
- a candidate pair becomes an edge when its cosine, with corpus-wide IDF,
  reaches `link_threshold` (below the clustering threshold: blocks must
  over-cover, because the clusterer sees block-level, not corpus-level, term
  statistics), or, for an LSH pair, when its estimated Jaccard reaches the
  dedupe threshold;
- blocks are the connected components (union-find).

Everything here is plain Python over plain data, so Spark calls it inside its
partitions and tests call it directly.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from datasketch import MinHash

from newsfuse.cluster import ClusterConfig
from newsfuse.dedupe import DedupeConfig
from newsfuse.features import article_terms
from newsfuse.models import Article
from newsfuse.text import words


@dataclass(frozen=True, slots=True)
class BlockingConfig:
    key_terms: int = 12  # an article's most weighted terms used as block keys
    # A key shared by more articles than this in one bucket is a topic word
    # ("minister", "police"), not an event; the clusterer would not index it either.
    max_key_articles: int = 300
    # Cosine (corpus IDF) that makes a candidate pair an edge, as a share of the
    # clustering threshold: well below it, so blocks over-cover what the clusterer
    # links (0.3 was the best of 0.5/0.3/0.2 on a 5k synthetic sample).
    link_ratio: float = 0.3
    lsh: bool = True  # also block near-duplicates by MinHash LSH bands
    lsh_bands: int = 16  # 16 bands x 8 rows of 128 permutations: Jaccard 0.5 meets with p ~ 0.94
    lsh_rows: int = 8


@dataclass(frozen=True, slots=True)
class Profile:
    """What blocking needs of one article (small: it travels through shuffles)."""

    article_id: str
    day: int
    vector: dict[str, float]
    signature: bytes = b""  # MinHash values, packed; empty when LSH is off or the text is short


def term_counts(article: Article, cluster: ClusterConfig) -> dict[str, float]:
    """The clusterer's own features of an article."""
    return article_terms(article, cluster.features)


def idf(df: int, n: int, cluster: ClusterConfig) -> float:
    """The clusterer's IDF formula, with corpus-wide counts."""
    c = cluster.idf_smooth
    return math.log(1.0 + (n + c) / (df + c))


def tfidf_vector(
    counts: Mapping[str, float], df: Mapping[str, int], n: int, cluster: ClusterConfig
) -> dict[str, float]:
    """Unit TF-IDF over the top terms, as the clusterer weighs them (terms seen once default to df 1)."""
    weights = {t: tf * idf(df.get(t, 1), n, cluster) for t, tf in counts.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: cluster.top_terms]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top if w > 0}


def day_of(article: Article) -> int:
    return article.published.toordinal() if article.published else 0


def signature(article: Article, dedupe: DedupeConfig) -> bytes:
    """MinHash of the article's word shingles (the dedupe stage's shingling), packed."""
    tokens = words(article.text)
    if len(tokens) < dedupe.min_words:
        return b""
    n = dedupe.shingle
    shingles = {" ".join(tokens[i : i + n]).encode() for i in range(max(1, len(tokens) - n + 1))}
    mh = MinHash(num_perm=dedupe.num_perm, seed=7)
    mh.update_batch(list(shingles))
    return struct.pack(f"<{dedupe.num_perm}Q", *(int(v) for v in mh.hashvalues))


def profile(
    article: Article,
    df: Mapping[str, int],
    n: int,
    cluster: ClusterConfig,
    dedupe: DedupeConfig,
    cfg: BlockingConfig,
) -> Profile:
    vector = tfidf_vector(term_counts(article, cluster), df, n, cluster)
    packed = signature(article, dedupe) if cfg.lsh else b""
    return Profile(article.id, day_of(article), vector, packed)


def block_keys(
    p: Profile, df: Mapping[str, int], cluster: ClusterConfig, cfg: BlockingConfig
) -> list[tuple[Hashable, ...]]:
    """The keys an article files under: (term, bucket) pairs and LSH bands."""
    bucket = p.day // max(1, cluster.window_days)
    # Terms found in one article only cannot link it to anything.
    shared = [t for t in sorted(p.vector, key=lambda t: (-p.vector[t], t)) if df.get(t, 1) > 1]
    keys: list[tuple[Hashable, ...]] = [
        ("t", term, b) for term in shared[: cfg.key_terms] for b in (bucket, bucket + 1)
    ]
    if p.signature:
        rows = cfg.lsh_rows * 8
        for band in range(cfg.lsh_bands):
            chunk = p.signature[band * rows : (band + 1) * rows]
            if len(chunk) == rows:
                keys.append(("b", band, hashlib.blake2b(chunk, digest_size=8).digest()))
    return keys


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def jaccard_estimate(a: bytes, b: bytes) -> float:
    if not a or len(a) != len(b):
        return 0.0
    n = len(a) // 8
    va, vb = struct.unpack(f"<{n}Q", a), struct.unpack(f"<{n}Q", b)
    return sum(1 for x, y in zip(va, vb, strict=True) if x == y) / n


def edges_in_group(
    key: tuple[Hashable, ...],
    members: Sequence[Profile],
    cluster: ClusterConfig,
    dedupe: DedupeConfig,
    cfg: BlockingConfig,
) -> Iterator[tuple[str, str]]:
    """Pairs of one key group that the clusterer could link (or that are copies)."""
    if len(members) < 2 or len(members) > cfg.max_key_articles:
        return
    is_band = key[0] == "b"
    ordered = sorted(members, key=lambda p: (p.day, p.article_id))
    threshold = cluster.threshold * cfg.link_ratio
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.day - a.day > cluster.window_days:
                break  # sorted by day: every later member is further away
            if is_band:
                linked = jaccard_estimate(a.signature, b.signature) >= dedupe.near_threshold
            else:
                linked = cosine(a.vector, b.vector) >= threshold
            if linked:
                yield (a.article_id, b.article_id)


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


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Article id -> block id (the smallest article id of its component), for linked articles."""
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    smallest: dict[str, str] = {}
    for x in uf.parent:
        root = uf.find(x)
        smallest[root] = min(smallest.get(root, x), x)
    return {x: smallest[uf.find(x)] for x in uf.parent}


def blocks(
    articles: Sequence[Article],
    cluster: ClusterConfig | None = None,
    dedupe: DedupeConfig | None = None,
    cfg: BlockingConfig | None = None,
) -> dict[str, str]:
    """Article id -> block id for every article, in one process (the reference Spark follows)."""
    cluster, dedupe, cfg = cluster or ClusterConfig(), dedupe or DedupeConfig(), cfg or BlockingConfig()
    counts = {a.id: term_counts(a, cluster) for a in articles}
    df: dict[str, int] = defaultdict(int)
    for terms in counts.values():
        for t in terms:
            df[t] += 1
    groups: dict[tuple[Hashable, ...], list[Profile]] = defaultdict(list)
    for a in articles:
        vector = tfidf_vector(counts[a.id], df, len(articles), cluster)
        p = Profile(a.id, day_of(a), vector, signature(a, dedupe) if cfg.lsh else b"")
        for key in block_keys(p, df, cluster, cfg):
            groups[key].append(p)
    edges = (e for key, members in groups.items() for e in edges_in_group(key, members, cluster, dedupe, cfg))
    linked = components(edges)
    return {a.id: linked.get(a.id, a.id) for a in articles}


def bcubed_f1(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """B-cubed F1 between two partitions (item -> cluster label) of the same items."""
    items = list(a)
    if set(items) != set(b):
        raise ValueError("the two partitions cover different items")
    if not items:
        return 1.0
    members_a: dict[str, set[str]] = defaultdict(set)
    members_b: dict[str, set[str]] = defaultdict(set)
    for item in items:
        members_a[a[item]].add(item)
        members_b[b[item]].add(item)
    precision = recall = 0.0
    for item in items:
        ca, cb = members_a[a[item]], members_b[b[item]]
        overlap = len(ca & cb)
        precision += overlap / len(ca)
        recall += overlap / len(cb)
    precision /= len(items)
    recall /= len(items)
    return 2 * precision * recall / (precision + recall)
