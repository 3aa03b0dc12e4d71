"""Sentence selection: the coverage summarizer and the classic baselines.

Every selector takes a `Corpus`, a word budget and an optional query, and
returns unit indices in the order it picked them. With `overflow=True` the
last pick may run past the budget (benchmarks cut summaries to the word
limit, as DUC does).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from newsfuse.importance import (
    DEFAULT_CONCEPT_MODEL,
    DEFAULT_SENTENCE_MODEL,
    DEFAULT_WORD_SHARE_MODEL,
    ConceptModel,
    SentenceModel,
    best_per_concept,
)
from newsfuse.sentences import Corpus, query_vector
from newsfuse.sparse_rows import SparseRows


@dataclass(frozen=True, slots=True)
class Selection:
    budget: int
    query: str | None = None
    overflow: bool = False
    redundancy: float = 0.5  # max cosine to an already chosen sentence
    max_sentences: int | None = None


Selector = Callable[[Corpus, Selection], list[int]]


class _Picks:
    """The units picked so far, and what they rule out.

    Kept up to date pick by pick, so a selection step reads one new row of
    `sims` instead of every picked column of a dense units x units matrix,
    and tests only the word budget on top of the mask kept here.
    """

    def __init__(self, corpus: Corpus, sel: Selection) -> None:
        self.corpus = corpus
        self.sel = sel
        self.chosen: list[int] = []
        self.used = 0.0
        # Eligible, not picked, below the redundancy cosine to every pick, and not
        # pronoun-led unless right after its picked predecessor.
        self.open = corpus.eligible & ~corpus.dangling
        self.calm = np.ones(len(corpus.units), dtype=bool)  # below the redundancy cosine to every pick

    def add(self, i: int) -> None:
        corpus = self.corpus
        self.chosen.append(i)
        self.used += corpus.lengths[i]
        calm = corpus.sim_row(i) < self.sel.redundancy
        self.calm &= calm
        self.open &= calm
        self.open[i] = False
        after = i + 1
        if after < len(corpus.units) and corpus.predecessors[after] == i:
            # A pronoun-led unit may follow its picked predecessor.
            self.open[after] = corpus.eligible[after] and self.calm[after] and after not in self.chosen

    def fits(self) -> np.ndarray:
        """Mask of units that may still be picked."""
        sel = self.sel
        if sel.max_sentences is not None and len(self.chosen) >= sel.max_sentences:
            return np.zeros(len(self.open), dtype=bool)
        mask: np.ndarray = self.open.copy()
        if not sel.overflow or self.used >= sel.budget:
            mask &= self.corpus.lengths <= sel.budget - self.used
        return mask


def _greedy(corpus: Corpus, sel: Selection, score: np.ndarray) -> list[int]:
    """Pick the best-scoring unit that fits, until none fits (modular scores)."""
    picks = _Picks(corpus, sel)
    while picks.used < sel.budget:
        mask = picks.fits()
        if not mask.any():
            break
        picks.add(int(np.argmax(np.where(mask, score, -np.inf))))
    return picks.chosen


def _query_sims(corpus: Corpus, query: str | None) -> np.ndarray:
    if not query:
        return np.zeros(len(corpus.units))
    return corpus.tfidf.dot(query_vector(corpus, query))


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
    score = corpus.centrality
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
    tfidf = corpus.tfidf.matrix()
    sims = (tfidf @ tfidf.T).tocsr()
    sims.data[sims.data < 0.1] = 0.0
    sims.setdiag(0.0)
    sims.eliminate_zeros()
    sims.data[:] = 1.0
    return _greedy(corpus, sel, _pagerank(sims) + _query_sims(corpus, sel.query))


def textrank(corpus: Corpus, sel: Selection) -> list[int]:
    """TextRank (Mihalcea & Tarau 2004): shared words over log lengths, weighted PageRank."""
    if not corpus.units:
        return []
    binary = (corpus.terms.matrix() > 0).astype(float)
    overlap = (binary @ binary.T).tocoo()
    n_terms = np.asarray(binary.sum(axis=1)).ravel()
    logs = np.log(np.maximum(n_terms, 2.0))
    data = overlap.data / (logs[overlap.row] + logs[overlap.col])
    keep = overlap.row != overlap.col
    weights = sparse.csr_matrix((data[keep], (overlap.row[keep], overlap.col[keep])), shape=overlap.shape)
    return _greedy(corpus, sel, _pagerank(weights) + _query_sims(corpus, sel.query))


@dataclass(frozen=True, slots=True)
class CoverageWeights:
    """Tuned on the dev halves of DUC 2004 and Multi-News, query terms on DUC 2006 (see eval.summaries)."""

    min_df: int = 2  # a concept counts when this many articles mention it
    # Stories with fewer articles count every concept: in three articles, one that two
    # of them share is too rare a test (Multi-News R1 F1 +0.1 on dev, 3 -> 4; DUC unchanged).
    min_df_articles: int = 4
    position: float = 1.0  # extra weight for concepts that sources put early
    # Extra weight for concepts in an article's first sentences, fading as
    # exp(-index / first_decay): leads state the story (on dev: Multi-News R1 F1 +0.2,
    # LongBench ROUGE-L +0.24; DUC 2004 R1 +0.07, R2 +0.12).
    first: float = 0.3
    first_decay: float = 5.0
    cost_exponent: float = 1.0  # Lin & Bilmes' r: gain / cost**r
    centroid: float = 1.0  # modular bonus: similarity to the centroid
    query: float = 3.0  # modular bonus and concept boost for query terms
    # df_power with a query: relevance to the question decides, corroboration less
    # (DUC 2006 R2 10.04 -> 10.94 on dev, with query 8 -> 3 and this).
    query_df_power: float = 0.5
    # A short summary with a question answers it: one outlet's answer ("built in
    # 1962") must beat the fact every outlet leads with.
    short_query: float = 8.0
    lead: float = 0.5  # modular bonus for sentences early in their article
    # Modular bonus for a sentence with a digit: dates, counts and sums are the concrete
    # details references keep (on dev with min_df_articles: DUC 2004 R1 +0.05, R2 +0.09).
    number: float = 0.03
    query_floor: float = 0.4  # with a query, a sentence's score scales from this (unrelated) to 1 (closest)
    densest: bool = True  # swap each pick for the paraphrase that adds most (see _densest)
    df_power: float = 1.0  # concept weight = sources ** df_power
    status: float = 0.5  # score factor of a status sentence (see unit_kinds.STATUS) in a short summary
    # Short-summary ("in summary") terms; the fixed-budget path (ROUGE) ignores them.
    # Fact coverage: facility location over the keyword cosine between sentences of
    # different independent sources, so a fact outlets tell in their own words
    # ("concern in Western capitals" / "a source of concern to the West") scores by
    # how widely it is corroborated, with diminishing returns once a pick covers it.
    facts: float = 1.0  # its weight, relative to the best first-pick concept gain
    fact_cos: float = 0.2  # keyword cosine below this is not an echo of the same fact
    # A bigram counts by the share of its content keywords the summary has not said
    # yet: "could visit Vietnam as early as June" adds little after "Vietnam ... June 19-20".
    new_words: bool = True
    background: float = 0.6  # score factor of old news / second-hand quotes (unit_kinds.BACKGROUND)
    # What a rewrite of a report adds to a concept's source count. In five sentences a
    # fact every rewrite kept stands out (the seeds' Western concern); in a fixed budget
    # only independent sources count (0.1 there: DUC 2004 R2 -0.15 on dev).
    copy_weight: float = 0.0
    short_copy_weight: float = 0.1
    # In a story of this many articles, without a question, a concept weighs the learned
    # chance that a human summary says it (newsfuse.importance), and a sentence's score
    # is scaled by 1 + sentence_rank x (its percentile by the learned share of its words
    # a human summary uses - 1/2). DUC 2004 dev, 5-fold cross-validated (`newsfuse eval
    # concepts`): R1 / R2 38.56 / 10.16 -> 39.87 / 10.91 (concepts) -> 40.24 / 11.18 (both).
    # Smaller stories keep source counts: on Multi-News (mostly 2-3 articles) the concept
    # model lost 0.3 R1 F1 from 4 articles on, a DUC-fitted sentence rank 0.1-0.6.
    model: ConceptModel | None = DEFAULT_CONCEPT_MODEL
    model_min_articles: int = 6
    sentence_model: SentenceModel | None = DEFAULT_SENTENCE_MODEL
    sentence_rank: float = 1.5
    # In a smaller story, without a question, the modular score adds word_share x the
    # predicted share of the sentence's distinct words that a human summary uses, per
    # word (fitted on Multi-News dev). 5-fold cross-validated there: R1 F1 46.04 -> 46.32,
    # LongBench ROUGE-L 30.43 -> 31.16; weights 1.5-3.0 gave about the same. It was
    # fitted on stories of two articles or more; a lone article keeps the plain scores.
    word_share_model: SentenceModel | None = DEFAULT_WORD_SHARE_MODEL
    word_share: float = 2.0
    word_share_min_articles: int = 2


_DEFAULT_WEIGHTS = CoverageWeights()


@functools.lru_cache(maxsize=64)
def _short_weights(w: CoverageWeights) -> CoverageWeights:
    # The "in summary" draws its five facts from every outlet's whole report, not
    # the leads (the seeds' in-summary loses a fact with the lead boost).
    return replace(
        w,
        query=w.short_query,
        first=0.0,
        copy_weight=w.short_copy_weight,
        model=None,
        sentence_model=None,
        word_share_model=None,
    )


@functools.lru_cache(maxsize=64)
def _query_weights(w: CoverageWeights) -> CoverageWeights:
    return replace(w, df_power=w.query_df_power)


def concept_weights(corpus: Corpus, w: CoverageWeights, query: str | None) -> np.ndarray:
    """Weight of each bigram concept: how many sources say it, earlier mentions count more."""
    n_docs = len(corpus.articles)
    if w.model is not None and not query and n_docs >= w.model_min_articles:
        return w.model.weights(corpus)
    copies = corpus.concept_articles - corpus.concept_df
    df = np.asarray(corpus.concept_df + w.copy_weight * copies, dtype=float)
    if corpus.concepts.shape[1] == 0:
        return df
    min_df = w.min_df if n_docs >= w.min_df_articles else 1
    # A concept needs `min_df` articles, even copies of one report; its weight then
    # counts independent sources (and `copy_weight` per rewrite).
    weights = np.where(corpus.concept_articles >= min_df, df**w.df_power, 0.0)
    if w.position:
        # Best (earliest) relative position at which each concept appears.
        weights = weights * (1.0 + w.position * best_per_concept(corpus, 1.0 - corpus.rel_pos))
    if w.first and not query:  # with a question, relevance decides (DUC 2006 R2 -0.35 with it)
        index = corpus.sentence_indices.astype(float)
        lead = best_per_concept(corpus, np.exp(-index / w.first_decay))
        weights = weights * (1.0 + w.first * lead)
    if query:
        qsim = _query_sims(corpus, query)
        # Binary columns: their sums are whole numbers, exact in any order.
        held = np.bincount(corpus.concepts.indices, minlength=corpus.concepts.shape[1])
        boost = corpus.concepts.tdot(qsim) / np.maximum(held, 1.0)
        weights = weights * (1.0 + w.query * boost)
    return np.asarray(weights * (weights > 0))


def coverage(corpus: Corpus, sel: Selection, w: CoverageWeights | None = None) -> list[int]:
    """Budgeted concept coverage, cost-scaled greedy (Lin & Bilmes 2011; Gillick & Favre concepts).

    A concept said by several outlets is covered once: picking one sentence
    zeroes the gain of every other sentence that repeats it (redundancy
    removal across outlets), and near-copies are blocked outright. With a
    sentence cap (the "in summary") the gain also counts fact coverage across
    sources and discounts bigrams whose words the summary already holds.
    """
    w = w or _DEFAULT_WEIGHTS
    if not corpus.units:
        return []
    if sel.max_sentences:
        w = _short_weights(w)
    cw = concept_weights(corpus, _query_weights(w) if sel.query else w, sel.query)
    scale = float(cw.max()) if cw.size and cw.max() > 0 else 1.0
    modular = _modular(corpus, w, sel.query)
    quality = _quality(corpus, w, sel)
    # With a sentence cap, a short sentence still uses up one of the few slots.
    floor = sel.budget / sel.max_sentences if sel.max_sentences else 1.0
    cost = np.maximum(corpus.lengths, floor) ** w.cost_exponent
    short = _ShortSummary(corpus, w, cw, sel.query) if sel.max_sentences else None
    scaled_modular = scale * modular
    free = cw.copy()  # concept weights not yet covered
    picks = _Picks(corpus, sel)
    while picks.used < sel.budget:
        mask = picks.fits()
        if not np.count_nonzero(mask):  # cheaper than mask.any() on short arrays
            break
        gain = concept_gain = (
            corpus.concepts.dot(free if short is None else short.free_concepts(free))
            if cw.size
            else np.zeros(len(mask))
        )
        if short is not None and short.graph is not None:
            gain = concept_gain + short.fact_gain()
        score = quality * (gain + scaled_modular) / cost
        score[~mask] = -np.inf
        best = int(score.argmax())
        if w.densest and short is not None and not corpus.dangling[best]:
            # Among paraphrases, concepts decide: they carry the concrete details.
            best = _densest(corpus, best, concept_gain * quality, sel.budget - picks.used, picks.chosen)
        picks.add(best)
        free[_concepts_of(corpus, best)] = 0.0
        if short is not None:
            short.pick(best)
    return picks.chosen


def _modular(corpus: Corpus, w: CoverageWeights, query: str | None) -> np.ndarray:
    modular = (
        w.centroid * corpus.centrality
        + w.query * _query_sims(corpus, query)
        + w.lead * (1.0 - corpus.rel_pos)
    )
    if w.number and corpus.numeric is not None:
        modular = modular + w.number * corpus.numeric
    shared, n_articles = w.word_share_model, len(corpus.articles)
    if (
        shared is not None
        and w.word_share
        and not query
        and w.word_share_min_articles <= n_articles < w.model_min_articles
    ):
        modular = modular + w.word_share * shared.scores(corpus) * corpus.lengths
    return np.asarray(modular)


def _quality(corpus: Corpus, w: CoverageWeights, sel: Selection) -> np.ndarray:
    """Per-unit score factor: source flags, status and background lines in a short summary, the
    question with one, and the learned sentence rank in a story of many articles."""
    quality = corpus.quality
    if sel.max_sentences:
        quality = np.where(corpus.status, quality * w.status, quality)
        if corpus.background is not None:
            quality = np.where(corpus.background, quality * w.background, quality)
    if sel.query:
        qsim = _query_sims(corpus, sel.query)
        top = float(qsim.max()) or 1.0
        quality = quality * (w.query_floor + (1.0 - w.query_floor) * qsim / top)
    elif w.sentence_model is not None and len(corpus.articles) >= w.model_min_articles:
        quality = quality * w.sentence_model.rank_factor(corpus, w.sentence_rank)
    return quality


class _ShortSummary:
    """The extra state of an "in summary" selection: keywords said, facts reached."""

    def __init__(self, corpus: Corpus, w: CoverageWeights, cw: np.ndarray, query: str | None) -> None:
        self.corpus = corpus
        self.w = w
        n_keywords = corpus.keywords.shape[1] if corpus.keywords is not None else 0
        self.unsaid = np.ones(n_keywords)  # 1.0 for a keyword the summary has not said yet, else 0.0
        self.said_any = False
        ck = corpus.concept_keywords
        self.ck_total = (
            np.maximum((ck.indptr[1:] - ck.indptr[:-1]).astype(float), 1.0) if ck is not None else None
        )
        # With a question, relevance to it decides, not how widely a fact is told.
        graph = fact_graph(corpus, w.fact_cos) if w.facts and not query else None
        # A graph with no edge adds nothing (a lone article's, say): skip its zeros.
        self.graph = graph if graph is not None and graph[0].nnz else None
        self.fscale = 0.0
        if self.graph is not None:
            self.reached = np.zeros(len(self.graph[1]))
            first = self._facility_gain()
            best_concepts = float(corpus.concepts.dot(cw).max()) if cw.size else 1.0
            self.fscale = w.facts * best_concepts / max(float(first.max(initial=0.0)), 1e-9)

    def free_concepts(self, free: np.ndarray) -> np.ndarray:
        ck = self.corpus.concept_keywords
        if not self.w.new_words or ck is None or self.ck_total is None or not self.said_any:
            return free
        return np.asarray(free * ck.dot(self.unsaid) / self.ck_total)

    def _facility_gain(self) -> np.ndarray:
        """Per unit: sum over other units j of max(cos(i, j) - reached_j, 0) x weight_j."""
        assert self.graph is not None
        sims, weight = self.graph
        # Only the graph's edges count: where the cosine is 0 the term is 0 too.
        columns = sims.indices
        gain = np.maximum(sims.data - self.reached[columns], 0.0) * weight[columns]
        return np.bincount(sims.rows, weights=gain, minlength=sims.shape[0])

    def fact_gain(self) -> np.ndarray:
        if self.graph is None:
            return np.zeros(len(self.corpus.units))
        return np.asarray(self.fscale * self._facility_gain())

    def pick(self, i: int) -> None:
        k = self.corpus.keywords
        if k is not None:
            said = k.row_indices(i)
            self.unsaid[said] = 0.0
            self.said_any = self.said_any or len(said) > 0
        if self.graph is not None:
            sims = self.graph[0]
            row = slice(sims.indptr[i], sims.indptr[i + 1])
            cols = sims.indices[row]
            self.reached[cols] = np.maximum(self.reached[cols], sims.data[row])


def fact_graph(corpus: Corpus, min_cos: float) -> tuple[SparseRows, np.ndarray] | None:
    """Keyword cosine between units of different articles (below `min_cos` left out), and unit weights.

    A unit's weight is its source quality over the number of articles in its copy
    group: rewrites of one report together weigh as one outlet. A rewrite that keeps
    a fact echoes it too, so a fact that only one report carries but its rewrites
    kept is worth about one outlet, not nothing. Sparse: a story can hold
    thousands of sentences, and most pairs share no keyword.
    """
    if corpus.keywords is None or corpus.source is None:
        return None
    k = corpus.keywords  # binary
    n = k.shape[0]
    src = corpus.source[corpus.unit_articles]
    group_size = np.bincount(corpus.source).astype(float)
    weight = corpus.quality / group_size[src]
    # A status line reports on the reporting ("the visit is being prepared"): echoing
    # it is not telling a fact, so it weighs nothing as a fact to reach.
    weight = np.where(corpus.status, 0.0, weight)
    if len(corpus.articles) < 2:  # a lone article: nothing corroborates
        nothing = np.zeros(0, dtype=np.int64)
        return SparseRows.of(np.zeros(0), nothing, np.zeros(n + 1, dtype=np.int64), (n, n)), weight
    units_of = k.rows
    idf = np.log((n + 1) / (np.bincount(k.indices, minlength=k.shape[1]) + 1.0)) + 1.0
    entry_idf = idf[k.indices]
    norms = np.sqrt(np.bincount(units_of, weights=entry_idf * entry_idf, minlength=n))
    norms[norms == 0] = 1.0
    v = sparse.csr_matrix(((1.0 / norms)[units_of] * entry_idf, k.indices, k.indptr), shape=k.shape)
    cos = (v @ v.T).tocsr()
    # Few pairs reach min_cos (about 1 in 50 in a large story): filter on it first.
    near = np.flatnonzero(cos.data >= min_cos)
    rows = np.searchsorted(cos.indptr, near, side="right") - 1
    cols = cos.indices[near]
    # Only other articles corroborate: a sentence does not echo itself or its own article.
    art = corpus.unit_articles
    other = art[rows] != art[cols]
    rows, cols, data = rows[other], cols[other], cos.data[near][other]
    # Each row's columns in ascending order (scipy's product leaves them unsorted):
    # the facility gain adds a row's terms in this order.
    ordered = np.argsort(rows * n + cols)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return SparseRows(data[ordered], cols[ordered], indptr, (n, n), rows[ordered]), weight


def _concepts_of(corpus: Corpus, i: int) -> np.ndarray:
    return corpus.concepts.row_indices(i)


def _densest(corpus: Corpus, i: int, gains: np.ndarray, spare: float, chosen: list[int]) -> int:
    """The version of unit i's fact that covers most of the still free weight (`gains`, quality-scaled).

    Outlets tell one fact at different lengths ("Putin will visit North Korea and
    Vietnam" / "... with the Vietnam visit planned for June 19-20"): a short
    summary should show the version that packs the most supported concepts.
    """
    best, best_gain = i, float(gains[i])
    for j in np.flatnonzero(corpus.sim_row(i) >= 0.5).tolist():
        if j in chosen or not corpus.eligible[j] or corpus.dangling[j] or corpus.lengths[j] > spare:
            continue
        gain = float(gains[j])
        if gain > best_gain:
            best, best_gain = j, gain
    return best


SUMMARIZERS: dict[str, Selector] = {
    "coverage": coverage,
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
    "centroid": centroid,
}
