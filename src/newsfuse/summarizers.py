"""Sentence selection: the coverage summarizer and the classic baselines.

Every selector takes a `Corpus`, a word budget and an optional query, and
returns unit indices in the order it picked them. With `overflow=True` the
last pick may run past the budget (benchmarks cut summaries to the word
limit, as DUC does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newsfuse.sentences import Corpus, query_vector


@dataclass(frozen=True, slots=True)
class Selection:
    budget: int
    query: str | None = None
    overflow: bool = False
    redundancy: float = 0.5  # max cosine to an already chosen sentence
    max_sentences: int | None = None


Selector = Callable[[Corpus, Selection], list[int]]


def _fits(corpus: Corpus, chosen: list[int], used: float, sel: Selection) -> np.ndarray:
    """Mask of units that may still be picked."""
    mask = corpus.eligible.copy()
    if sel.max_sentences is not None and len(chosen) >= sel.max_sentences:
        mask[:] = False
        return mask
    mask[chosen] = False
    if not sel.overflow or used >= sel.budget:
        mask &= corpus.lengths <= sel.budget - used
    if chosen:
        mask &= corpus.sims[:, chosen].max(axis=1) < sel.redundancy
    chosen_set = set(chosen)
    for i in np.flatnonzero(mask & corpus.dangling):
        prev = corpus.predecessor(int(i))
        mask[i] = prev is not None and prev in chosen_set
    return mask


def _greedy(corpus: Corpus, sel: Selection, score: np.ndarray) -> list[int]:
    """Pick the best-scoring unit that fits, until none fits (modular scores)."""
    chosen: list[int] = []
    used = 0.0
    while used < sel.budget:
        mask = _fits(corpus, chosen, used, sel)
        if not mask.any():
            break
        best = int(np.argmax(np.where(mask, score, -np.inf)))
        chosen.append(best)
        used += corpus.lengths[best]
    return chosen


def _query_sims(corpus: Corpus, query: str | None) -> np.ndarray:
    if not query:
        return np.zeros(len(corpus.units))
    return np.asarray(corpus.tfidf @ query_vector(corpus, query)).ravel()


def lead(corpus: Corpus, sel: Selection) -> list[int]:
    """Leading sentences of each article, round robin (first of each, then second...)."""
    rank = np.zeros(len(corpus.units))
    seen: dict[int, int] = {}
    for i, unit in enumerate(corpus.units):
        if corpus.eligible[i]:
            seen[unit.article] = seen.get(unit.article, -1) + 1
            rank[i] = seen[unit.article] * 1000 + unit.article
    return _greedy(corpus, sel, -rank)


def centroid(corpus: Corpus, sel: Selection) -> list[int]:
    """Radev's centroid: TF-IDF similarity to the cluster centroid, plus a lead bonus."""
    if not corpus.units:
        return []
    center = np.asarray(corpus.tfidf.sum(axis=0)).ravel()
    center /= np.linalg.norm(center) or 1.0
    score = np.asarray(corpus.tfidf @ center).ravel()
    rel = corpus.rel_pos
    score = score + 0.1 * (1.0 - rel) + _query_sims(corpus, sel.query)
    return _greedy(corpus, sel, score)


def _pagerank(weights: sparse.csr_matrix, damping: float = 0.85, iters: int = 50) -> np.ndarray:
    n = weights.shape[0]
    out = np.asarray(weights.sum(axis=1)).ravel()
    out[out == 0] = 1.0
    transition = sparse.csr_matrix(sparse.diags(1.0 / out) @ weights).T.tocsr()
    rank = np.full(n, 1.0 / n)
    for _ in range(iters):
        new = (1 - damping) / n + damping * (transition @ rank)
        if np.abs(new - rank).sum() < 1e-8:
            return np.asarray(new)
        rank = new
    return rank


def lexrank(corpus: Corpus, sel: Selection) -> list[int]:
    """LexRank (Erkan & Radev 2004): PageRank over the TF-IDF cosine graph (threshold 0.1)."""
    if not corpus.units:
        return []
    sims = (corpus.tfidf @ corpus.tfidf.T).tocsr()
    sims.data[sims.data < 0.1] = 0.0
    sims.setdiag(0.0)
    sims.eliminate_zeros()
    sims.data[:] = 1.0
    return _greedy(corpus, sel, _pagerank(sims) + _query_sims(corpus, sel.query))


def textrank(corpus: Corpus, sel: Selection) -> list[int]:
    """TextRank (Mihalcea & Tarau 2004): shared words over log lengths, weighted PageRank."""
    if not corpus.units:
        return []
    binary = (corpus.terms > 0).astype(float)
    overlap = (binary @ binary.T).tocoo()
    n_terms = np.asarray(binary.sum(axis=1)).ravel()
    logs = np.log(np.maximum(n_terms, 2.0))
    data = overlap.data / (logs[overlap.row] + logs[overlap.col])
    keep = overlap.row != overlap.col
    weights = sparse.csr_matrix((data[keep], (overlap.row[keep], overlap.col[keep])), shape=overlap.shape)
    return _greedy(corpus, sel, _pagerank(weights) + _query_sims(corpus, sel.query))


@dataclass(frozen=True, slots=True)
class CoverageWeights:
    """Tuned on the dev halves of DUC 2004 and Multi-News (see eval.summaries)."""

    min_df: int = 2  # a concept counts when this many articles mention it
    position: float = 1.0  # extra weight for concepts that sources put early
    cost_exponent: float = 1.0  # Lin & Bilmes' r: gain / cost**r
    centroid: float = 1.0  # modular bonus: similarity to the centroid
    query: float = 8.0  # modular bonus and concept boost for query terms
    lead: float = 0.5  # modular bonus for sentences early in their article
    query_floor: float = 0.4  # with a query, a sentence's score scales from this (unrelated) to 1 (closest)
    # With a sentence cap, a pick costs its words plus `slot` x (budget / cap): a short
    # sentence still uses one of the few slots, but less than a long one.
    slot: float = -1.0  # < 0: the old max(words, budget / cap)
    diversity: float = 0.0  # Lin & Bilmes' reward: sqrt of centrality taken from each fact cluster
    cluster_cos: float = 0.3  # sentences this similar to a cluster's leader join it


def concept_weights(corpus: Corpus, w: CoverageWeights, query: str | None) -> np.ndarray:
    """Weight of each bigram concept: how many articles say it, earlier mentions count more."""
    n_docs = len(corpus.articles)
    df = corpus.concept_df
    if corpus.concepts.shape[1] == 0:
        return df
    min_df = w.min_df if n_docs >= 3 else 1
    # A concept needs `min_df` articles, even copies of one report; its weight then
    # counts independent sources.
    weights = np.where(corpus.concept_articles >= min_df, df, 0.0)
    if w.position:
        rel = corpus.rel_pos
        # Best (earliest) relative position at which each concept appears.
        lead_bonus = corpus.concepts.T.multiply(1.0 - rel).tocsr().max(axis=1).toarray().ravel()
        weights = weights * (1.0 + w.position * lead_bonus)
    if query:
        qsim = _query_sims(corpus, query)
        boost = np.asarray(corpus.concepts.T @ qsim).ravel() / np.maximum(
            np.asarray(corpus.concepts.sum(axis=0)).ravel(), 1.0
        )
        weights = weights * (1.0 + w.query * boost)
    return np.asarray(weights * (weights > 0))


def fact_clusters(corpus: Corpus, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Leader clustering of the units by TF-IDF cosine, most central first; and each unit's centrality."""
    n = len(corpus.units)
    centrality = corpus.sims.sum(axis=1) / max(n, 1)
    clusters = np.full(n, -1)
    leaders: list[int] = []
    for i in np.argsort(-centrality):
        if leaders:
            near = corpus.sims[i, leaders]
            j = int(np.argmax(near))
            if near[j] >= threshold:
                clusters[i] = clusters[leaders[j]]
                continue
        clusters[i] = len(leaders)
        leaders.append(int(i))
    return clusters, np.asarray(centrality)


def coverage(corpus: Corpus, sel: Selection, w: CoverageWeights | None = None) -> list[int]:
    """Budgeted concept coverage, cost-scaled greedy (Lin & Bilmes 2011; Gillick & Favre concepts).

    A concept said by several outlets is covered once: picking one sentence
    zeroes the gain of every other sentence that repeats it (redundancy
    removal across outlets), and near-copies are blocked outright.
    """
    w = w or CoverageWeights()
    if not corpus.units:
        return []
    cw = concept_weights(corpus, w, sel.query)
    center = np.asarray(corpus.tfidf.sum(axis=0)).ravel()
    center /= np.linalg.norm(center) or 1.0
    rel = corpus.rel_pos
    modular = (
        w.centroid * np.asarray(corpus.tfidf @ center).ravel()
        + w.query * _query_sims(corpus, sel.query)
        + w.lead * (1.0 - rel)
    )
    quality = np.array([u.quality for u in corpus.units])
    if sel.query:
        qsim = _query_sims(corpus, sel.query)
        top = float(qsim.max()) or 1.0
        quality = quality * (w.query_floor + (1.0 - w.query_floor) * qsim / top)
    scale = float(cw.max()) if cw.size and cw.max() > 0 else 1.0
    # With a sentence cap, a short sentence still uses up one of the few slots.
    floor = sel.budget / sel.max_sentences if sel.max_sentences else 1.0
    if w.slot >= 0 and sel.max_sentences:
        cost = (corpus.lengths + w.slot * floor) ** w.cost_exponent
    else:
        cost = np.maximum(corpus.lengths, floor) ** w.cost_exponent
    if w.diversity:
        clusters, centrality = fact_clusters(corpus, w.cluster_cos)
        taken = np.zeros(int(clusters.max()) + 1)
    covered = np.zeros(len(cw), dtype=bool)
    chosen: list[int] = []
    used = 0.0
    while used < sel.budget:
        mask = _fits(corpus, chosen, used, sel)
        if not mask.any():
            break
        gain = corpus.concepts @ np.where(covered, 0.0, cw) if cw.size else np.zeros(len(mask))
        total = gain + scale * modular
        if w.diversity:
            before = taken[clusters]
            total = total + w.diversity * scale * (np.sqrt(before + centrality) - np.sqrt(before))
        score = quality * total / cost
        best = int(np.argmax(np.where(mask, score, -np.inf)))
        chosen.append(best)
        if w.diversity:
            taken[clusters[best]] += centrality[best]
        used += corpus.lengths[best]
        covered[corpus.concepts.indices[corpus.concepts.indptr[best] : corpus.concepts.indptr[best + 1]]] = (
            True
        )
    return chosen


SUMMARIZERS: dict[str, Selector] = {
    "coverage": coverage,
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
    "centroid": centroid,
}
