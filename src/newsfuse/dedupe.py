"""Copies of one report: near-duplicates (MinHash LSH) and rewrites.

A wire story reprinted by ten outlets is one source, not ten. This stage
finds those copy chains so a story can report its *independent* sources.

Two kinds of copy:
- "near-duplicate": the same text give or take a header, a footer or an
  edit; word 5-shingle Jaccard, estimated with MinHash signatures and found
  with banded LSH (datasketch's optimal bands and rows for the threshold),
  at or above `near_threshold`.
- "rewrite": one report reworded; a large share of the shorter article's
  sentences have a close match (content-word containment) in the other,
  *in the same order*. Candidate pairs share several of their rarest
  content words (an inverted index), so nothing is compared all-pairs.

Both searches only look back `window_days` (articles are visited in
publication order), which keeps time and memory linear in the corpus. The
window's state is kept in few, flat objects (tuples of strings, numpy
arrays, id lists): the garbage collector walks every container at each full
collection, which otherwise grew with the corpus (quadratic time at 100k).
"""

from __future__ import annotations

import bisect
import itertools
import re
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TypeVar

import numpy as np
from datasketch import MinHashLSH

from newsfuse.models import Article, CopyChain
from newsfuse.runtime import collector_paused


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
    # Share of the *original's* sentences the copy reproduces, in order. A
    # rewrite carries the bulk of its original; independent reports of one
    # press conference share its figures and quotes, i.e. most of the shorter
    # text, but only a part of the longer one. Example corpus: copies 0.71 and
    # 1.0, independent reports 0.14-0.38; seeds: rewrites 0.42-0.58.
    original_coverage: float = 0.4
    rewrite_min_sentences: int = 3  # two shared sentences can be one quoted statement
    min_containment: float = 0.5  # share of the shorter text's content words in the other
    rare_terms: int = 24  # content words sampled per article to find candidates
    min_shared_terms: int = 3  # candidates share at least this many of them
    # Words in more articles than max(rare_df_floor, rare_df_share * N) are
    # too common to say two texts are related.
    rare_df_floor: int = 20
    rare_df_share: float = 0.01
    df_sample: int = 5000  # articles read to estimate which words are common
    min_words: int = 30  # shorter texts are too small to call copies of anything
    max_sentences: int = 40  # sentences of a long article used for alignment


@cache
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's optimal (bands, rows) for a threshold. Cached: it integrates
    the S-curve numerically (~40 ms), which dominated dedupe on small stories."""
    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(index.b), int(index.r)


_STOP_WORDS = """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we you i his her their our your not no so than
    then there here has have had do does did will would can could should may might must
    said says say also about after before over under into out up down more most such
    which who whom whose what when where why how all any each other some only just very"""
_STOP = frozenset(_STOP_WORDS.split())
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _content(tokens: Iterable[str]) -> list[str]:
    return [t for t in tokens if t not in _STOP and (len(t) > 2 or t.isdigit())]


class _Words(dict[str, int]):
    """Word -> consecutive id for one run, with each word's 32-bit hash in
    `hashes` (by id): signatures, alignment and sampling all look a word up
    once, and only a new word costs a hash."""

    def __init__(self) -> None:
        super().__init__()
        self.hashes: np.ndarray = np.zeros(4096, dtype=np.uint64)

    def __missing__(self, word: str) -> int:
        value = self[word] = len(self)
        if value == len(self.hashes):
            self.hashes = np.concatenate([self.hashes, np.zeros_like(self.hashes)])
        self.hashes[value] = zlib.crc32(word.encode())
        return value

    def ids(self, words: Iterable[str], count: int) -> np.ndarray:
        return np.fromiter(map(self.__getitem__, words), dtype=np.int64, count=count)


def signature(tokens: Sequence[str], cfg: DedupeConfig, table: _Words | None = None) -> np.ndarray:
    """MinHash signature of the word shingles, by one-permutation hashing.

    Each shingle is hashed once and falls into one of `num_perm` bins; a bin
    keeps its minimum, and empty bins borrow from the next full bin (with an
    offset), the densification of Shrivastava & Li (2014). This estimates
    Jaccard like `num_perm` separate permutations at the cost of one: about
    0.2 ms per article instead of 1.3 ms with datasketch's own hashing.
    """
    n, k = cfg.shingle, cfg.num_perm
    table = _Words() if table is None else table
    ids = table.ids(tokens, len(tokens))  # first: new words may grow `hashes`
    hashes = table.hashes[ids]
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


Key = TypeVar("Key", str, bytes)


def _put(buckets: dict[Key, str | list[str]], key: Key, article_id: str) -> None:
    """Add an id to a bucket that holds one id, or a list once a second arrives.

    Most buckets never get a second id, and a list per bucket would be work
    for the garbage collector.
    """
    bucket = buckets.get(key)
    if bucket is None:
        buckets[key] = article_id
    elif isinstance(bucket, str):
        buckets[key] = [bucket, article_id]
    else:
        bucket.append(article_id)


class _BandIndex:
    """Banded LSH over signatures: articles that agree on all rows of some
    band are candidates. datasketch's optimum picks the bands and rows for
    the threshold (`_lsh_bands`); the tables are plain dicts keyed by the
    band's bytes, which skips datasketch's per-band objects and copies (a
    tenth of dedupe's time) and finds exactly the same candidates. Buckets
    are filled by `_put`."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.bands, self.rows = _lsh_bands(threshold, num_perm)
        self.tables: list[dict[bytes, str | list[str]]] = [{} for _ in range(self.bands)]
        self.keys: dict[str, tuple[bytes, ...]] = {}

    def band_keys(self, sig: np.ndarray) -> tuple[bytes, ...]:
        data = sig[: self.bands * self.rows].tobytes()
        width = self.rows * sig.itemsize
        return tuple([data[i : i + width] for i in range(0, len(data), width)])

    def query(self, keys: Sequence[bytes]) -> set[str]:
        found: set[str] = set()
        for table, key in zip(self.tables, keys, strict=True):
            bucket = table.get(key)
            if bucket is None:
                continue
            if isinstance(bucket, str):
                found.add(bucket)
            else:
                found.update(bucket)
        return found

    def insert(self, article_id: str, keys: tuple[bytes, ...]) -> None:
        self.keys[article_id] = keys
        for table, key in zip(self.tables, keys, strict=True):
            _put(table, key, article_id)

    def remove(self, article_id: str) -> None:
        for table, key in zip(self.tables, self.keys.pop(article_id), strict=True):
            bucket = table[key]
            if isinstance(bucket, str):
                del table[key]
            else:
                bucket.remove(article_id)
                if len(bucket) == 1:
                    table[key] = bucket[0]


def _order_key(article: Article) -> tuple[date, int, str]:
    """Earliest first; on a tie (or no date) the longest, most complete first."""
    return (article.published or date.max, -len(article.text), article.id)


def _day(article: Article) -> int:
    return article.published.toordinal() if article.published else 0


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class _Incidence:
    """A profile's sentences as arrays: word ids with their sentence index, as
    listed and sorted by word (for lookups), and each sentence's size."""

    words: np.ndarray
    sentence: np.ndarray
    sorted_words: np.ndarray
    sorted_sentence: np.ndarray
    sizes: np.ndarray


@dataclass(slots=True)
class _Profile:
    tokens: Sequence[str]  # every word, lower-cased, in order
    # Distinct content words of each non-trivial sentence. Tuples, not sets:
    # a window holds tens of thousands, and the garbage collector stops
    # scanning tuples of strings (sets it scans at every full collection).
    sentences: tuple[tuple[str, ...], ...]
    content: frozenset[str]
    incidence: _Incidence | None = None  # built when the profile is first aligned


def _incidence(profile: _Profile, vocabulary: _Words) -> _Incidence:
    if profile.incidence is None:
        sizes = [len(s) for s in profile.sentences]
        words = vocabulary.ids(itertools.chain.from_iterable(profile.sentences), sum(sizes))
        sentence = np.repeat(np.arange(len(sizes)), sizes)
        order = np.argsort(words, kind="stable")
        profile.incidence = _Incidence(words, sentence, words[order], sentence[order], np.array(sizes))
    return profile.incidence


# Sentence ends for alignment only: a rough split is enough to compare two
# texts, and is several times faster than the full splitter in `text`. (The
# end mark goes with the split: pieces are only read for their words.)
_ROUGH_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*")


# `newsfuse.text.words`'s pattern, run over text lower-cased once: the same
# tokens without a lower() call per word (tokenising is most of dedupe's time).
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


def _profile(article: Article, cfg: DedupeConfig) -> _Profile:
    tokens: list[str] = []
    sents: list[tuple[str, ...]] = []
    for sentence in _ROUGH_SENTENCE.split(article.text.lower()):
        sentence_words = _TOKEN.findall(sentence)
        tokens.extend(sentence_words)
        # Headings and bylines say nothing about copying; a rewrite shows in
        # its first sentences, so very long texts are compared on those.
        if len(sents) < cfg.max_sentences:
            content = tuple(dict.fromkeys(_content(sentence_words)))
            if len(content) >= 4:
                sents.append(content)
    return _Profile(tokens, tuple(sents), frozenset().union(*sents))


def _overlaps(small: _Incidence, large: _Incidence) -> np.ndarray:
    """Words shared by each sentence of `small` (rows) and of `large` (columns)."""
    rows, columns = len(small.sizes), len(large.sizes)
    left = np.searchsorted(large.sorted_words, small.words, side="left")
    count = np.searchsorted(large.sorted_words, small.words, side="right") - left
    total = int(count.sum())
    # Every (small sentence, large sentence) pair of each shared word.
    row = np.repeat(small.sentence, count)
    start = np.repeat(left - (np.cumsum(count) - count), count) + np.arange(total)
    pairs = row * columns + large.sorted_sentence[start]
    return np.bincount(pairs, minlength=rows * columns).reshape(rows, columns)


def _aligned_matches(small: _Profile, large: _Profile, cfg: DedupeConfig, vocabulary: _Words) -> int:
    """Sentences of `small` with a close match in `large`, counted along a
    monotone alignment (longest increasing chain of matched positions): a
    rewrite keeps the report's order, not only its vocabulary."""
    if not small.sentences or not large.sentences:
        return 0
    a = _incidence(small, vocabulary)
    overlaps = _overlaps(a, _incidence(large, vocabulary))
    best = overlaps.max(axis=1)
    # The earliest of the best matches; none when nothing is shared.
    matched = (best > 0) & (best >= cfg.sentence_match * a.sizes)
    return _longest_increasing(overlaps.argmax(axis=1)[matched].tolist())


def _longest_increasing(values: Sequence[int]) -> int:
    tails: list[int] = []
    for v in values:
        i = bisect.bisect_left(tails, v)
        if i == len(tails):
            tails.append(v)
        else:
            tails[i] = v
    return len(tails)


def _common_terms(ordered: Sequence[Article], cfg: DedupeConfig) -> frozenset[str]:
    """Words too common to say two texts are related: in more than
    max(rare_df_floor, rare_df_share * N) articles, estimated on an evenly
    spaced sample of at most `df_sample` articles (a full count would mean
    tokenizing everything twice)."""
    step = max(1, len(ordered) // cfg.df_sample)
    sample = ordered[::step]
    df: Counter[str] = Counter()
    for article in sample:
        df.update(set(_content(_TOKEN.findall(article.text.lower()))))
    cap = max(cfg.rare_df_floor, cfg.rare_df_share * len(ordered)) / step
    return frozenset(t for t, n in df.items() if n > cap)


class _CopyFinder:
    """One pass in publication order; only the last `window_days` are held.

    Near-duplicates: MinHash signatures in a datasketch LSH index.
    Rewrites: each article posts a bottom-k sample of its content words (the
    k with the smallest hash, common words excluded): the same words are
    sampled wherever they occur, so texts with much vocabulary in common
    share sampled words and unrelated ones almost none; candidates sharing
    >= min_shared_terms are then aligned sentence by sentence.
    """

    def __init__(self, cfg: DedupeConfig, common: frozenset[str]) -> None:
        self.cfg = cfg
        self.common = common
        self.lsh = _BandIndex(cfg.near_threshold, cfg.num_perm)
        self.words = _Words()
        self.live: deque[tuple[int, str]] = deque()
        self.hashes: dict[str, np.ndarray] = {}
        self.profiles: dict[str, _Profile] = {}
        # Sampled word -> ids of the articles holding it, in publication
        # order: one id, or a list once a second article comes (most words
        # stay at one, and a list per word is garbage-collector work).
        self.postings: dict[str, str | list[str]] = {}
        self.swept = 0
        self.near: dict[tuple[str, str], float] = {}
        self.rewrites: dict[tuple[str, str], float] = {}
        # Chains found so far, and the roots of those holding a rewrite link:
        # a pair already inside one such chain needs no alignment (its chain,
        # kind and members are settled), which saves most alignments when a
        # report is rewritten many times.
        self.groups = _UnionFind()
        self.rewritten: set[str] = set()

    def add(self, article: Article) -> None:
        day = _day(article)
        self._expire(day)
        profile = _profile(article, self.cfg)
        if len(profile.tokens) < self.cfg.min_words or article.id in self.hashes:
            return
        sig = signature(profile.tokens, self.cfg, self.words)
        keys = self.lsh.band_keys(sig)
        for other in self.lsh.query(keys):
            # The share of equal signature values estimates the Jaccard index.
            sim = float(np.count_nonzero(sig == self.hashes[other]) / len(sig))
            if sim >= self.cfg.near_threshold:
                self.near[_pair(other, article.id)] = sim
                self._link(other, article.id, rewrite=False)
        sample = self._sample(profile.content - self.common)
        if self.cfg.rewrites:
            self._find_rewrites(article.id, profile, sample, day)
        self.lsh.insert(article.id, keys)
        self.hashes[article.id] = sig
        profile.tokens = ()  # not needed once signed
        self.profiles[article.id] = profile
        for term in sample:
            _put(self.postings, term, article.id)
        self.live.append((day, article.id))

    def _sample(self, words: frozenset[str]) -> list[str]:
        """The `rare_terms` words with the smallest hashes (ties in set order)."""
        listed = list(words)
        ids = self.words.ids(listed, len(listed))
        hashes = self.words.hashes[ids]
        order = np.argsort(hashes, kind="stable")[: self.cfg.rare_terms]
        return [listed[i] for i in order.tolist()]

    def _find_rewrites(self, article_id: str, profile: _Profile, sample: list[str], day: int) -> None:
        shared: Counter[str] = Counter()
        for term in sample:
            plist = self.postings.get(term)
            if plist is None:
                continue
            if isinstance(plist, str):
                if plist in self.profiles:
                    shared[plist] += 1
                continue
            self._drop_expired(plist)
            shared.update(plist)
        least = self.cfg.min_shared_terms
        for other in [other for other, count in shared.items() if count >= least]:
            pair = _pair(other, article_id)
            if pair in self.near or other not in self.profiles:
                continue
            if self._settled(other, article_id):
                continue
            if not _contained(profile.content, self.profiles[other].content, self.cfg.min_containment):
                continue
            # Articles come in publication order: `other` is the original.
            coverage = _rewrite_coverage(self.profiles[other], profile, self.cfg, self.words)
            if coverage is not None:
                self.rewrites[pair] = coverage
                self._link(other, article_id, rewrite=True)

    def _drop_expired(self, plist: list[str]) -> None:
        """Drop the ids that left the window: postings are in publication
        order, so they are a prefix, and exactly the ids without a profile."""
        k = 0
        while k < len(plist) and plist[k] not in self.profiles:
            k += 1
        if k:
            del plist[:k]

    def _settled(self, a: str, b: str) -> bool:
        """Both in one chain that already holds a rewrite link."""
        root = self.groups.find(a)
        return root in self.rewritten and root == self.groups.find(b)

    def _link(self, a: str, b: str, rewrite: bool) -> None:
        roots = {self.groups.find(a), self.groups.find(b)}
        self.groups.union(a, b)
        if rewrite or roots & self.rewritten:
            self.rewritten -= roots
            self.rewritten.add(self.groups.find(a))

    def _expire(self, day: int) -> None:
        horizon = day - self.cfg.window_days
        while self.live and self.live[0][0] < horizon:
            _, key = self.live.popleft()
            self.lsh.remove(key)
            del self.hashes[key]
            del self.profiles[key]
        # Postings of words never seen again would stay for good: sweep them
        # once per window, which keeps memory bounded by the window.
        if day - self.swept >= self.cfg.window_days:
            for term, plist in list(self.postings.items()):
                if isinstance(plist, str):
                    if plist not in self.profiles:
                        del self.postings[term]
                    continue
                self._drop_expired(plist)
                if not plist:
                    del self.postings[term]
            self.swept = day


def _contained(a: frozenset[str], b: frozenset[str], share: float) -> bool:
    """Cheap test before alignment: most words of the shorter text occur in
    the other (seeds: rewrites 0.64-0.68, independent reports 0.30-0.43)."""
    smaller = min(len(a), len(b))
    return smaller > 0 and len(a & b) >= share * smaller


def _rewrite_coverage(
    original: _Profile, copy: _Profile, cfg: DedupeConfig, vocabulary: _Words
) -> float | None:
    """Share of the shorter text's sentences aligned, when that makes `copy`
    a rewrite of `original`: enough of the shorter text aligns, and enough of
    the original is reproduced (sharing a press conference's quotes and
    figures covers a short report, never most of a longer one)."""
    small, large = (original, copy) if len(original.sentences) <= len(copy.sentences) else (copy, original)
    if not small.sentences:
        return None
    matched = _aligned_matches(small, large, cfg, vocabulary)
    coverage = matched / len(small.sentences)
    if matched < cfg.rewrite_min_sentences or coverage < cfg.rewrite_coverage:
        return None
    reproduced = matched if small is original else _aligned_matches(original, copy, cfg, vocabulary)
    if reproduced < cfg.original_coverage * len(original.sentences):
        return None
    return coverage


def find_copies(articles: Sequence[Article], cfg: DedupeConfig = DedupeConfig()) -> list[CopyChain]:
    """Copy chains among `articles`: each names its original (the earliest
    published; ties, or no dates, broken by the longest text) and its copies.
    A chain is a "rewrite" when any link in it is a rewrite."""
    ordered = sorted({a.id: a for a in articles}.values(), key=_order_key)
    with collector_paused():
        finder = _CopyFinder(cfg, _common_terms(ordered, cfg))
        for article in ordered:
            finder.add(article)
        return _chains(ordered, finder.near, finder.rewrites)


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


def chains_within(chains: Sequence[CopyChain], article_ids: Iterable[str]) -> tuple[CopyChain, ...]:
    """The chains restricted to one story's articles (for `Story.chains`).

    A chain can reach beyond a story (a wire report reused for two events);
    inside the story it keeps its members there, in their original order,
    and is dropped when fewer than two remain."""
    inside = set(article_ids)
    out = []
    for chain in chains:
        members = [m for m in chain.members if m in inside]
        if len(members) >= 2:
            out.append(CopyChain(members[0], tuple(members[1:]), chain.kind, chain.similarity))
    return tuple(out)
