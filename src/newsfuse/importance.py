"""Learned importance: how likely a human summary is to say each bigram, and each sentence's words.

The coverage summarizer weighs a bigram concept by how many independent
sources say it. In a story of many articles more signals tell what a human
writer keeps (Hong & Nenkova 2014; Li et al. 2013): how early outlets say it,
how central its sentences are, how widely its words spread, whether it names
someone. `ConceptModel` is a logistic regression over those signals;
`SentenceModel` a ridge regression that predicts the share of a sentence's
words a human summary uses, which ranks sentences that pack the story's facts
above quotes and colour. Both are fitted on the dev halves of DUC 2004 and DUC
2006 by `newsfuse eval concepts` (`newsfuse.eval.concept_model`, also run by
`make bench`), which prints the coefficients below and their cross-validated ROUGE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from newsfuse.sentences import STOPWORDS, Corpus

FEATURES = (
    "log_sources",  # log(1 + independent sources saying it)
    "source_share",  # ... as a share of the story's sources
    "log_articles",  # log(1 + articles saying it, rewrites included)
    "article_share",
    "log_sentences",  # log(1 + sentences saying it)
    "earliest",  # 1 - relative position of its earliest sentence
    "first_sentences",  # exp(-index / 5) of its earliest sentence
    "centrality",  # highest cosine to the story centroid among its sentences
    "mean_position",  # mean of 1 - relative position over its sentences
    "two_content_words",  # 1 when neither word is a stop word
    "word_spread_max",  # share of articles using its more widespread content word
    "word_spread_min",  # ... its less widespread one (0 without a content word)
    "word_frequency",  # log(1 + sentences using its commonest content word)
    "log_story_size",  # log(articles in the story)
    "numeric",  # 1 when one of its sentences holds a digit
    "capitalised",  # share of its occurrences written as a name
    "quoted",  # share of its sentences that hold a quotation mark
    "shortest_sentence",  # log(words of its shortest sentence)
)


def _sources(corpus: Corpus) -> int:
    """Independent sources in the story (rewrites of one report count once), at least 1."""
    source = corpus.source
    return int(source.max()) + 1 if source is not None and len(source) else max(1, len(corpus.articles))


def longbench_words(text: str) -> list[str]:
    """Words as LongBench's ROUGE-L (the `rouge` package) splits them: at full stops and spaces."""
    return text.replace(".", " ").split()


def best_per_concept(corpus: Corpus, per_unit: np.ndarray) -> np.ndarray:
    """Per concept, the highest `per_unit` value among the units that hold it."""
    concepts = corpus.concepts
    best = np.zeros(concepts.shape[1])
    np.maximum.at(best, concepts.indices, per_unit[concepts.rows])
    return best


def _word_spread(corpus: Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per concept, over its content keywords: widest and narrowest article share, log frequency."""
    n_concepts = corpus.concepts.shape[1]
    keywords, concept_keywords = corpus.keywords, corpus.concept_keywords
    if keywords is None or concept_keywords is None or keywords.shape[1] == 0:
        zeros = np.zeros(n_concepts)
        return zeros, zeros.copy(), zeros.copy()
    n_keywords = keywords.shape[1]
    said = np.unique(corpus.unit_articles[keywords.rows] * n_keywords + keywords.indices) % n_keywords
    share = np.bincount(said, minlength=n_keywords) / max(1, len(corpus.articles))
    frequency = np.log1p(np.bincount(keywords.indices, minlength=n_keywords).astype(float))
    rows, cols = concept_keywords.rows, concept_keywords.indices
    widest, narrowest, commonest = np.zeros(n_concepts), np.full(n_concepts, np.inf), np.zeros(n_concepts)
    np.maximum.at(widest, rows, share[cols])
    np.minimum.at(narrowest, rows, share[cols])
    np.maximum.at(commonest, rows, frequency[cols])
    narrowest[np.isinf(narrowest)] = 0.0
    return widest, narrowest, commonest


def concept_features(corpus: Corpus) -> np.ndarray:
    """Concepts x FEATURES."""
    concepts = corpus.concepts
    n_concepts = concepts.shape[1]
    n_articles = max(1, len(corpus.articles))
    n_sources = _sources(corpus)
    sentences = np.bincount(concepts.indices, minlength=n_concepts).astype(float)
    earliness = 1.0 - corpus.rel_pos
    mean_position = np.bincount(concepts.indices, weights=earliness[concepts.rows], minlength=n_concepts)
    concept_keywords = corpus.concept_keywords
    content_words = np.diff(concept_keywords.indptr) if concept_keywords is not None else np.zeros(n_concepts)
    numeric = corpus.numeric if corpus.numeric is not None else np.zeros(len(corpus.units), dtype=bool)
    return np.column_stack(
        [
            np.log1p(corpus.concept_df),
            corpus.concept_df / n_sources,
            np.log1p(corpus.concept_articles),
            corpus.concept_articles / n_articles,
            np.log1p(sentences),
            best_per_concept(corpus, earliness),
            best_per_concept(corpus, np.exp(-corpus.sentence_indices / 5.0)),
            best_per_concept(corpus, corpus.centrality),
            mean_position / np.maximum(sentences, 1.0),
            content_words == 2,
            *_word_spread(corpus),
            np.full(n_concepts, np.log(n_articles)),
            best_per_concept(corpus, numeric.astype(float)),
            *_how_written(corpus, sentences),
        ]
    ).astype(float)


def _how_written(corpus: Corpus, sentences: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per concept: share written as a name, share of its sentences quoted, log shortest sentence."""
    concepts = corpus.concepts
    n_concepts = concepts.shape[1]
    capitals = corpus.concept_capitals
    quoted = np.bincount(concepts.indices, weights=corpus.quoted[concepts.rows], minlength=n_concepts)
    shortest = np.full(n_concepts, np.inf)
    np.minimum.at(shortest, concepts.indices, corpus.lengths[concepts.rows])
    shortest[np.isinf(shortest)] = 1.0
    return capitals, quoted / np.maximum(sentences, 1.0), np.log(np.maximum(shortest, 1.0))


@dataclass(frozen=True, slots=True)
class ConceptModel:
    """Logistic regression over `FEATURES`: the chance that a human summary says a concept."""

    coef: tuple[float, ...]
    intercept: float

    def weights(self, corpus: Corpus) -> np.ndarray:
        if corpus.concepts.shape[1] == 0:
            return np.zeros(0)
        logits = concept_features(corpus) @ np.asarray(self.coef) + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))


# Fitted by `newsfuse eval concepts --data ../shared/data` on all dev clusters of
# DUC 2004 and DUC 2006 (bench/results/concept_model.json holds the run).
# fmt: off
DEFAULT_CONCEPT_MODEL = ConceptModel(
    coef=(
        1.303507, -0.405286, -0.523745, -0.782694, 0.793739, 0.459659, 0.934021,
        3.195971, -0.393742, 0.186759, -0.450204, 1.263756, 0.080292, -0.08212,
        0.069029, -0.004752, -0.665289, -0.077988,
    ),
    intercept=-6.538123,
)
# fmt: on


SENTENCE_FEATURES = (
    "centrality",  # cosine to the story centroid
    "earliness",  # 1 - relative position in its article
    "first_sentences",  # exp(-index / 5)
    "opening",  # 1 for its article's first sentence
    "numeric",  # holds a digit
    "log_words",
    "words_30",  # words / 30
    "quality",  # its source's quality factor
    "dangling",  # opens on a pronoun or connective
    "status",  # reports on the reporting
    "sources_per_word",  # sum over its concepts of their share of sources, per word
    "sources_per_concept",  # ... per concept
    "widest_concept",  # highest share of sources among its concepts
    "shared_per_concept",  # share of its concepts that two or more articles say
    "shared_per_word",  # ... per word
    "term_spread",  # mean share of articles using each of its terms
    "terms_per_word",  # distinct content terms per word
    "names_per_word",  # capitalised words inside the sentence, per word
    "quoted",  # holds a quotation mark
    "log_article_sentences",  # log(1 + sentences in its article)
    "log_story_size",  # log(articles in the story)
    "lead_sentence",  # exp(-index)
    "background",  # old news or a second-hand quote
    "opens_quoted",  # opens on a quotation mark
    # Over its words split at spaces and full stops, as LongBench's ROUGE-L splits them:
    "attached_punctuation",  # share ending on a punctuation mark
    "stop_words",  # share of stop words
    "distinct_words",  # distinct words / words
    "source_density",  # sources_per_word over the story's highest
)

_OPENING_QUOTES = frozenset("\"“`'‘")
# A capitalised word that does not open the sentence: a name, mostly.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


def sentence_features(corpus: Corpus) -> np.ndarray:
    """Units x SENTENCE_FEATURES."""
    n = len(corpus.units)
    concepts, terms = corpus.concepts, corpus.terms
    n_articles = max(1, len(corpus.articles))
    n_sources = _sources(corpus)
    words = np.maximum(corpus.lengths, 1.0)
    index = corpus.sentence_indices.astype(float)
    n_concepts = np.maximum(corpus.concept_counts, 1.0)
    share = corpus.concept_df / n_sources
    sources = np.bincount(concepts.rows, weights=share[concepts.indices], minlength=n)
    widest = np.zeros(n)
    np.maximum.at(widest, concepts.rows, share[concepts.indices])
    said_twice = (corpus.concept_articles >= 2).astype(float)
    shared = np.bincount(concepts.rows, weights=said_twice[concepts.indices], minlength=n)
    n_terms = terms.shape[1]
    articles = corpus.unit_articles
    term_articles = np.unique(articles[terms.rows] * n_terms + terms.indices) % n_terms
    term_share = np.bincount(term_articles, minlength=n_terms) / n_articles
    distinct = np.maximum(np.bincount(terms.rows, minlength=n), 1)
    spread = np.bincount(terms.rows, weights=term_share[terms.indices], minlength=n) / distinct
    names = np.array([len(_NAME.findall(u.text)) for u in corpus.units], dtype=float)
    article_sentences = np.bincount(articles, minlength=n_articles).astype(float)[articles]
    numeric = corpus.numeric if corpus.numeric is not None else np.zeros(n, dtype=bool)
    background = corpus.background if corpus.background is not None else np.zeros(n, dtype=bool)
    density = sources / words
    return np.column_stack(
        [
            corpus.centrality,
            1.0 - corpus.rel_pos,
            np.exp(-index / 5.0),
            index == 0,
            numeric,
            np.log(words),
            corpus.lengths / 30.0,
            corpus.quality,
            corpus.dangling,
            corpus.status,
            sources / words,
            sources / n_concepts,
            widest,
            shared / n_concepts,
            shared / words,
            spread,
            distinct / words,
            names / words,
            corpus.quoted,
            np.log1p(article_sentences),
            np.full(n, np.log(n_articles)),
            np.exp(-index),
            background,
            [u.text[:1] in _OPENING_QUOTES for u in corpus.units],
            *_word_shapes(corpus),
            density / (density.max(initial=0.0) or 1.0),
        ]
    ).astype(float)


def _word_shapes(corpus: Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit, over its words split at spaces and full stops: punctuated, stop-word and distinct shares."""
    punctuated, stop, distinct = (np.zeros(len(corpus.units)) for _ in range(3))
    for i, unit in enumerate(corpus.units):
        words = longbench_words(unit.text)
        if not words:
            continue
        n = len(words)
        punctuated[i] = sum(not w[-1].isalnum() for w in words) / n
        stop[i] = sum(w.lower() in STOPWORDS for w in words) / n
        distinct[i] = len(set(words)) / n
    return punctuated, stop, distinct


@dataclass(frozen=True, slots=True)
class SentenceModel:
    """Linear regression over `SENTENCE_FEATURES`: the share of a sentence's words a human summary uses."""

    coef: tuple[float, ...]
    intercept: float

    def scores(self, corpus: Corpus) -> np.ndarray:
        if not corpus.units:
            return np.zeros(0)
        return np.asarray(sentence_features(corpus) @ np.asarray(self.coef) + self.intercept)

    def rank_factor(self, corpus: Corpus, strength: float) -> np.ndarray:
        """Per unit, 1 + strength x (its percentile among the eligible units - 1/2).

        Ranks, not the predictions: on dev, scaling scores by a power of the
        predictions gained at one exponent and lost at its neighbours; the rank
        factor gained steadily from strength 0.5 to 1.8.
        """
        predicted = np.maximum(self.scores(corpus), 0.02)
        pool = np.sort(predicted[corpus.eligible] if corpus.eligible.any() else predicted)
        percentile = np.searchsorted(pool, predicted, side="right") / max(len(pool), 1)
        return np.asarray(1.0 + strength * (percentile - 0.5))


# Fitted by `newsfuse eval concepts --data ../shared/data` with the concept model.
# fmt: off
DEFAULT_SENTENCE_MODEL = SentenceModel(
    coef=(
        0.52205816, 0.02150691, -0.01597544, 0.00464312, -0.01009639, 0.01077433,
        -0.07232092, 0.0, -0.0086456, -0.00927672, 0.71560459, -0.47613964,
        0.043426, 0.0438057, -0.07879584, 0.16670739, -0.12723542, -0.00268626,
        -0.00853712, -0.02187809, 0.12977569, 0.00356487, -0.03323556, -0.02998919,
        -0.10920124, 0.16090164, -0.39399615, 0.06726016,
    ),
    intercept=0.33179751,
)
# fmt: on


# Fitted by `newsfuse eval concepts --data ../shared/data` on Multi-News dev: the share of a
# sentence's distinct words (split as LongBench's ROUGE-L splits them) in the reference.
# fmt: off
DEFAULT_WORD_SHARE_MODEL = SentenceModel(
    coef=(
        0.44250043, 0.02758163, 0.07186413, 0.04615647, 0.00702714, 0.02001858,
        -0.0681089, 0.0, -0.00998946, -0.02485525, 0.08957057, -0.05126093,
        0.03363271, 0.00392615, 0.0056128, 0.16881419, -0.08906299, -0.02037605,
        0.01213829, -0.01389005, 0.12005513, -0.1124814, 0.0133403, 0.01736067,
        -0.24176676, 0.38319217, 0.13536386, 0.05584751,
    ),
    intercept=-0.19171338,
)
# fmt: on
