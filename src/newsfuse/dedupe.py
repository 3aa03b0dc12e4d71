"""Copies of one report: near-duplicates (MinHash LSH) and rewrites.

A wire story reprinted by ten outlets is one source, not ten. This stage
finds those copy chains so a story can report its *independent* sources.

Two kinds of copy:
- "near-duplicate": the same text give or take a header, a footer or an
  edit; word 5-shingle Jaccard, estimated with MinHash signatures and found
  with datasketch's LSH index, at or above `near_threshold`.
- "rewrite": one report reworded; a large share of the shorter article's
  sentences have a close match (content-word containment) in the other,
  *in the same order*. Candidate pairs share several of their rarest
  content words (an inverted index), so nothing is compared all-pairs.

Both searches only look back `window_days` (articles are visited in
publication order), which keeps time and memory linear in the corpus.
"""

from __future__ import annotations

import bisect
import heapq
import re
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsfuse.models import Article, CopyChain
from newsfuse.text import words


@dataclass(frozen=True, slots=True)
class DedupeConfig:
    shingle: int = 5  # words per shingle; 5 keeps chance matches of stock phrases rare
    num_perm: int = 128
    near_threshold: float = 0.5  # estimated Jaccard of shingle sets for a near-duplicate
    window_days: int = 30  # copies appear within weeks of their original
    rewrites: bool = True
    # A sentence "matches" when this share of its content words occur in one
    # sentence of the other article (containment: a shortened sentence counts).
    # Chosen on the seeds: rewrites of one report align 0.5-0.58 of their
    # sentences at 0.5; independent reports of the same event 0.15 at most.
    sentence_match: float = 0.5
    rewrite_coverage: float = 0.35  # share of the shorter article's sentences aligned
    rewrite_min_sentences: int = 3  # two shared sentences can be one quoted statement
    rare_terms: int = 24  # content words sampled per article to find candidates
    min_shared_terms: int = 3  # candidates share at least this many of them
    # Words in more articles than max(rare_df_floor, rare_df_share * N) are
    # too common to say two texts are related.
    rare_df_floor: int = 20
    rare_df_share: float = 0.01
    min_words: int = 30  # shorter texts are too small to call copies of anything
    max_sentences: int = 40  # sentences of a long article used for alignment


_STOP_WORDS = """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we you i his her their our your not no so than
    then there here has have had do does did will would can could should may might must
    said says say also about after before over under into out up down more most such
    which who whom whose what when where why how all any each other some only just very"""
_STOP = frozenset(_STOP_WORDS.split())
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _content(tokens: Iterable[str]) -> list[str]:
    return [t for t in tokens if t not in _STOP and (len(t) > 2 or t.isdigit())]


class _WordHashes(dict[str, int]):
    """Word -> 32-bit hash, computed once per distinct word of a run."""

    def __missing__(self, word: str) -> int:
        value = zlib.crc32(word.encode())
        self[word] = value
        return value


def signature(tokens: Sequence[str], cfg: DedupeConfig, table: _WordHashes | None = None) -> np.ndarray:
    """MinHash signature of the word shingles, by one-permutation hashing.

    Each shingle is hashed once and falls into one of `num_perm` bins; a bin
    keeps its minimum, and empty bins borrow from the next full bin (with an
    offset), the densification of Shrivastava & Li (2014). This estimates
    Jaccard like `num_perm` separate permutations at the cost of one: about
    0.2 ms per article instead of 1.3 ms with datasketch's own hashing.
    """
    n, k = cfg.shingle, cfg.num_perm
    table = _WordHashes() if table is None else table
    hashes = np.fromiter(map(table.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    count = max(1, len(hashes) - n + 1)
    combined = np.zeros(count, dtype=np.uint64)
    for i in range(min(n, len(hashes))):
        combined = combined * _MIX + hashes[i : i + count]
    combined ^= combined >> np.uint64(29)
    combined *= _MIX
    combined ^= combined >> np.uint64(32)
    empty = np.iinfo(np.uint64).max
    out = np.full(k, empty, dtype=np.uint64)
    np.minimum.at(out, (combined % np.uint64(k)).astype(np.intp), combined >> np.uint64(32))
    missing = np.flatnonzero(out == empty)
    if len(missing):
        full = np.flatnonzero(out != empty)
        source = full[np.searchsorted(full, missing) % len(full)]
        out[missing] = out[source] + (((source - missing) % k).astype(np.uint64) << np.uint64(32))
    return out


def _order_key(article: Article) -> tuple[date, int, str]:
    """Earliest first; on a tie (or no date) the longest, most complete first."""
    return (article.published or date.max, -len(article.text), article.id)


def _day(article: Article) -> int:
    return article.published.toordinal() if article.published else 0


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _near_duplicate_pairs(
    ordered: Sequence[Article], profiles: dict[str, _Profile], cfg: DedupeConfig
) -> dict[tuple[str, str], float]:
    lsh = MinHashLSH(threshold=cfg.near_threshold, num_perm=cfg.num_perm)
    permutations = MinHash(num_perm=cfg.num_perm, seed=7, scheme="affine64").permutations
    live: deque[tuple[int, str]] = deque()
    table = _WordHashes()
    hashes: dict[str, MinHash] = {}
    pairs: dict[tuple[str, str], float] = {}
    for article in ordered:
        toks = profiles[article.id].tokens
        if len(toks) < cfg.min_words:
            continue
        day = _day(article)
        while live and live[0][0] < day - cfg.window_days:
            _expire(lsh, hashes, live)
        mh = MinHash(
            num_perm=cfg.num_perm,
            hashvalues=signature(toks, cfg, table),
            permutations=permutations,
            scheme="affine64",
        )
        for other in lsh.query(mh):
            sim = float(mh.jaccard(hashes[other]))
            if sim >= cfg.near_threshold:
                pairs[_pair(other, article.id)] = sim
        if article.id not in hashes:
            lsh.insert(article.id, mh)
            hashes[article.id] = mh
            live.append((day, article.id))
    return pairs


def _expire(lsh: MinHashLSH, hashes: dict[str, MinHash], live: deque[tuple[int, str]]) -> None:
    _, key = live.popleft()
    lsh.remove(key)
    del hashes[key]


@dataclass(frozen=True, slots=True)
class _Profile:
    tokens: list[str]  # every word, lower-cased, in order
    sentences: tuple[frozenset[str], ...]  # content words of each non-trivial sentence
    content: frozenset[str]


# Sentence ends for alignment only: a rough split is enough to compare two
# texts, and is several times faster than the full splitter in `text`.
_ROUGH_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n\s*")


def _profile(article: Article, cfg: DedupeConfig) -> _Profile:
    tokens: list[str] = []
    sents: list[frozenset[str]] = []
    for sentence in _ROUGH_SENTENCE.split(article.text):
        sentence_words = words(sentence)
        tokens.extend(sentence_words)
        content = frozenset(_content(sentence_words))
        # Headings and bylines say nothing about copying; a rewrite shows in
        # its first sentences, so very long texts are compared on those.
        if len(content) >= 4 and len(sents) < cfg.max_sentences:
            sents.append(content)
    return _Profile(tokens, tuple(sents), frozenset().union(*sents))


def _aligned_matches(small: _Profile, large: _Profile, cfg: DedupeConfig) -> int:
    """Sentences of `small` with a close match in `large`, counted along a
    monotone alignment (longest increasing chain of matched positions): a
    rewrite keeps the report's order, not only its vocabulary."""
    positions: list[int] = []
    for sent in small.sentences:
        need = cfg.sentence_match * len(sent)
        best, best_j = 0, -1
        for j, other in enumerate(large.sentences):
            overlap = len(sent & other)
            if overlap > best:
                best, best_j = overlap, j
        if best >= need:
            positions.append(best_j)
    return _longest_increasing(positions)


def _longest_increasing(values: Sequence[int]) -> int:
    tails: list[int] = []
    for v in values:
        i = bisect.bisect_left(tails, v)
        if i == len(tails):
            tails.append(v)
        else:
            tails[i] = v
    return len(tails)


def _rewrite_candidates(
    ordered: Sequence[Article], profiles: dict[str, _Profile], cfg: DedupeConfig
) -> Iterable[tuple[str, str]]:
    """Earlier articles in the window sharing >= min_shared_terms sampled terms.

    Each article contributes a bottom-k sample of its content words (the k
    with the smallest hash, among words in 2..max_df articles): the same
    words are sampled wherever they occur, so two texts with much vocabulary
    in common share many sampled words, and unrelated texts almost none.
    """
    df: Counter[str] = Counter()
    for article in ordered:
        df.update(profiles[article.id].content)
    cap = max(cfg.rare_df_floor, int(cfg.rare_df_share * len(ordered)))
    order = {t: zlib.crc32(t.encode()) for t, n in df.items() if 1 < n <= cap}
    postings: dict[str, deque[tuple[int, str]]] = defaultdict(deque)
    for article in ordered:
        day = _day(article)
        usable = order.keys() & profiles[article.id].content
        sample = heapq.nsmallest(cfg.rare_terms, usable, key=order.__getitem__)
        shared: Counter[str] = Counter()
        for term in sample:
            plist = postings[term]
            while plist and plist[0][0] < day - cfg.window_days:
                plist.popleft()
            shared.update(aid for _, aid in plist)
        for other, count in shared.items():
            if count >= cfg.min_shared_terms and other != article.id:
                yield other, article.id
        for term in sample:
            postings[term].append((day, article.id))


def _rewrite_pairs(
    ordered: Sequence[Article],
    profiles: dict[str, _Profile],
    done: set[tuple[str, str]],
    cfg: DedupeConfig,
) -> dict[tuple[str, str], float]:
    eligible = [a for a in ordered if len(profiles[a.id].tokens) >= cfg.min_words]
    pairs: dict[tuple[str, str], float] = {}
    for a, b in _rewrite_candidates(eligible, profiles, cfg):
        if _pair(a, b) in done:
            continue
        pa, pb = profiles[a], profiles[b]
        small, large = (pa, pb) if len(pa.sentences) <= len(pb.sentences) else (pb, pa)
        if not small.sentences:
            continue
        matched = _aligned_matches(small, large, cfg)
        coverage = matched / len(small.sentences)
        if matched >= cfg.rewrite_min_sentences and coverage >= cfg.rewrite_coverage:
            pairs[_pair(a, b)] = coverage
    return pairs


def find_copies(articles: Sequence[Article], cfg: DedupeConfig = DedupeConfig()) -> list[CopyChain]:
    """Copy chains among `articles`: each names its original (the earliest
    published; ties, or no dates, broken by the longest text) and its copies.
    A chain is a "rewrite" when any link in it is a rewrite."""
    ordered = sorted({a.id: a for a in articles}.values(), key=_order_key)
    profiles = {a.id: _profile(a, cfg) for a in ordered}
    near = _near_duplicate_pairs(ordered, profiles, cfg)
    rewrites = _rewrite_pairs(ordered, profiles, set(near), cfg) if cfg.rewrites else {}
    return _chains(ordered, near, rewrites)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _chains(
    ordered: Sequence[Article],
    near: dict[tuple[str, str], float],
    rewrites: dict[tuple[str, str], float],
) -> list[CopyChain]:
    uf = _UnionFind()
    for a, b in [*near, *rewrites]:
        uf.union(a, b)
    members: dict[str, set[str]] = defaultdict(set)
    sims: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"near": [], "rewrite": []})
    for kind, pairs in (("near", near), ("rewrite", rewrites)):
        for (a, b), sim in pairs.items():
            root = uf.find(a)
            members[root].update((a, b))
            sims[root][kind].append(sim)
    rank = {a.id: i for i, a in enumerate(ordered)}
    chains = []
    for root, group in members.items():
        ids = sorted(group, key=rank.__getitem__)
        kind = "rewrite" if sims[root]["rewrite"] else "near-duplicate"
        values = sims[root]["rewrite"] or sims[root]["near"]
        chains.append(CopyChain(ids[0], tuple(ids[1:]), kind, round(min(values), 3)))
    chains.sort(key=lambda c: rank[c.original])
    return chains
