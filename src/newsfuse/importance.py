"""Learned concept importance: how likely a human summary is to say each bigram.

The coverage summarizer weighs a bigram concept by how many independent
sources say it. In a story of many articles more signals tell what a human
writer keeps (Hong & Nenkova 2014; Li et al. 2013): how early outlets say it,
how central its sentences are, how widely its words spread. `ConceptModel` is
a logistic regression over those signals, fitted on the dev halves of DUC 2004
and DUC 2006 by `newsfuse eval concepts` (`newsfuse.eval.concept_model`, also run by `make bench`), which
prints the coefficients below and their cross-validated ROUGE.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsfuse.sentences import Corpus

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
)


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
    source = corpus.source
    n_sources = int(source.max()) + 1 if source is not None and len(source) else n_articles
    sentences = np.bincount(concepts.indices, minlength=n_concepts).astype(float)
    earliness = 1.0 - corpus.rel_pos
    mean_position = np.bincount(concepts.indices, weights=earliness[concepts.rows], minlength=n_concepts)
    concept_keywords = corpus.concept_keywords
    content_words = np.diff(concept_keywords.indptr) if concept_keywords is not None else np.zeros(n_concepts)
    numeric = corpus.numeric if corpus.numeric is not None else np.zeros(len(corpus.units), dtype=bool)
    return np.column_stack(
        [
            np.log1p(corpus.concept_df),
            corpus.concept_df / max(1, n_sources),
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
        ]
    ).astype(float)


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
DEFAULT_CONCEPT_MODEL = ConceptModel(
    coef=(
        0.73053,
        0.702287,
        -0.603385,
        -0.033116,
        0.851838,
        0.286871,
        1.084917,
        4.636555,
        -0.52027,
        0.021549,
        0.192757,
        0.588155,
        0.038773,
        0.317785,
        0.145321,
    ),
    intercept=-7.796307,
)
