from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from conftest import make_article
from newsfuse.eval.concept_model import Examples, evaluate, examples, fit, render
from newsfuse.eval.summaries import Cluster
from newsfuse.importance import (
    DEFAULT_CONCEPT_MODEL,
    DEFAULT_SENTENCE_MODEL,
    FEATURES,
    SENTENCE_FEATURES,
    concept_features,
    sentence_features,
)
from newsfuse.models import Article
from newsfuse.sentences import Corpus, build_corpus
from newsfuse.summarizers import CoverageWeights, Selection, _quality, concept_weights

LEADS = (
    "The Harbor Bridge in Portville closed on Tuesday after inspectors found cracks in its steel cables.",
    "Portville shut the Harbor Bridge on Tuesday when inspectors found cracked steel cables.",
    "Inspectors found cracks in steel cables, and the Harbor Bridge closed on Tuesday.",
    "Cracks in two steel cables closed the Harbor Bridge in Portville on Tuesday.",
    "The Harbor Bridge is closed: inspectors found cracks in the steel cables on Tuesday.",
    "Commuters face delays after the Harbor Bridge closed over cracks in steel cables.",
)
FILLER = (
    "Repairs will take at least six weeks, the city said.",
    "Ferries will run every ten minutes during the closure.",
    "About 40,000 vehicles cross the bridge every day.",
)


def bridge_story(n_articles: int) -> list[Article]:
    articles = []
    for n in range(n_articles):
        text = " ".join([LEADS[n], *FILLER[: 1 + n % 3]])
        if n == 0:
            text += " The mayor's cousin owns a small bakery on Elm Street near the old mill."
        articles.append(make_article(text, id=f"a{n}.txt", outlet=f"Outlet {n}", published=date(2024, 3, 5)))
    return articles


def concept_index(corpus: Corpus, first: str, second: str) -> int:
    assert corpus.concept_stems is not None
    names = [(corpus.stems[a], corpus.stems[b]) for a, b in corpus.concept_stems.tolist()]
    return names.index((first, second))


def test_concept_stems_name_each_concept_in_its_sentences() -> None:
    corpus = build_corpus(bridge_story(3))
    assert corpus.concept_stems is not None and len(corpus.concept_stems) == corpus.concepts.shape[1]
    harbor_bridge = concept_index(corpus, "harbor", "bridg")
    holders = corpus.concepts.rows[corpus.concepts.indices == harbor_bridge]
    assert {corpus.units[i].article for i in holders} == {0, 1, 2}
    assert all("Harbor Bridge" in corpus.units[i].text for i in holders)


def test_a_widely_told_lead_fact_outweighs_a_lone_late_detail() -> None:
    corpus = build_corpus(bridge_story(6))
    features = concept_features(corpus)
    assert features.shape == (corpus.concepts.shape[1], len(FEATURES))
    assert np.isfinite(features).all()
    weights = DEFAULT_CONCEPT_MODEL.weights(corpus)
    assert ((weights > 0) & (weights < 1)).all()
    told = weights[concept_index(corpus, "harbor", "bridg")]
    lone = weights[concept_index(corpus, "small", "bakeri")]
    assert told > 3 * lone


def test_the_model_weighs_concepts_only_in_big_stories_without_a_question() -> None:
    plain = replace(CoverageWeights(), model=None)
    default = CoverageWeights()
    small, big = build_corpus(bridge_story(3)), build_corpus(bridge_story(6))
    assert default.model_min_articles == 6
    np.testing.assert_array_equal(concept_weights(small, default, None), concept_weights(small, plain, None))
    np.testing.assert_array_equal(concept_weights(big, default, None), DEFAULT_CONCEPT_MODEL.weights(big))
    query = "How long will repairs take?"
    np.testing.assert_array_equal(concept_weights(big, default, query), concept_weights(big, plain, query))
    assert not np.array_equal(concept_weights(big, default, None), concept_weights(big, plain, None))


def test_labels_are_the_share_of_references_that_say_a_concept() -> None:
    cluster = Cluster(
        "d1",
        tuple(bridge_story(6)),
        ("The Harbor Bridge closed after cracks were found.", "Cracked cables shut the Harbor Bridge."),
    )
    rows = examples(cluster)
    corpus = build_corpus(cluster.articles)
    assert rows.labels[concept_index(corpus, "harbor", "bridg")] == 1.0
    assert rows.labels[concept_index(corpus, "steel", "cabl")] == 0.0
    assert rows.labels[concept_index(corpus, "bridg", "clos")] == 0.5


def test_fit_learns_to_rank_what_references_say_first() -> None:
    rows = []
    for n in range(4):  # four clusters whose references keep the lead fact, never the bakery
        story = bridge_story(6)
        cluster = Cluster(f"d{n}", tuple(story), ("Cracks in steel cables closed the Harbor Bridge.",))
        rows.append(examples(cluster))
    model = fit(rows)
    assert len(model.coef) == len(FEATURES)
    corpus = build_corpus(bridge_story(6))
    weights = model.weights(corpus)
    assert weights[concept_index(corpus, "steel", "cabl")] > weights[concept_index(corpus, "small", "bakeri")]
    assert isinstance(rows[0], Examples)


def test_evaluate_cross_validates_on_the_dev_data(data_dir: Path) -> None:
    result = evaluate(data_dir, limit=5)
    assert result["trained_on"] == {"duc2004": 5, "duc2006": 5, "multinews": 5}
    rows = result["duc2004"]
    assert set(rows) == {
        "source counts (no model)",
        "concepts, 5-fold cross-validated",
        "both, 5-fold cross-validated",
        "both, fitted on DUC 2006 only",
        "both, in-sample (all dev)",
    }
    assert all(10 < row["rouge1_r"] < 80 and 0 < row["rouge2_r"] < 40 for row in rows.values())
    assert len(result["model"]["coef"]) == len(FEATURES)
    assert len(result["sentence_model"]["coef"]) == len(SENTENCE_FEATURES)
    assert len(result["word_share_model"]["coef"]) == len(SENTENCE_FEATURES)
    assert set(result["multinews"]) == {
        "source counts (no model)",
        "word share, 5-fold cross-validated",
        "word share, in-sample (all dev)",
    }
    assert all(10 < row["longbench_rougeL"] < 80 for row in result["multinews"].values())
    shown = render(result)
    assert "cross-validated" in shown and "ConceptModel(coef=(" in shown and "word_share_model" in shown


def test_names_and_quotes_are_told_apart() -> None:
    articles = [
        make_article(
            "The Harbor Bridge closed on Tuesday. Officials said the harbor bridge would reopen soon. "
            '"We are doing all we can," said the mayor of Portville.',
            id="a.txt",
        )
    ]
    corpus = build_corpus(articles)
    assert corpus.concept_capitals is not None
    # Written as a name inside one sentence, lower-case in another: half its occurrences.
    assert corpus.concept_capitals[concept_index(corpus, "harbor", "bridg")] == 0.5
    # An opening capital is the sentence's, not a name's.
    assert corpus.concept_capitals[concept_index(corpus, "official", "said")] == 0.0
    assert corpus.quoted.tolist() == [False, False, True]


def test_the_sentence_rank_lifts_the_fact_every_outlet_reports() -> None:
    corpus = build_corpus(bridge_story(6))
    features = sentence_features(corpus)
    assert features.shape == (len(corpus.units), len(SENTENCE_FEATURES)) and np.isfinite(features).all()
    factor = DEFAULT_SENTENCE_MODEL.rank_factor(corpus, 1.5)
    assert ((factor >= 0.25) & (factor <= 1.75)).all()
    lead = next(i for i, u in enumerate(corpus.units) if u.text.startswith("The Harbor Bridge in Portville"))
    bakery = next(i for i, u in enumerate(corpus.units) if "bakery" in u.text)
    assert factor[lead] > factor[bakery]
    # Applied only without a question, in stories the learned weights apply to.
    plain = replace(CoverageWeights(), sentence_model=None)
    default = CoverageWeights()
    np.testing.assert_array_equal(_quality(corpus, default, Selection(100)), corpus.quality * factor)
    asked = Selection(100, query="When will the bridge reopen?")
    np.testing.assert_array_equal(_quality(corpus, default, asked), _quality(corpus, plain, asked))
    small = build_corpus(bridge_story(3))
    np.testing.assert_array_equal(_quality(small, default, Selection(100)), small.quality)


def test_capitals_line_up_when_some_sentence_lower_cases_to_other_letters() -> None:
    text = (
        "Crowds gathered in Zürich on Monday. The Harbor Bridge closed on Tuesday. "
        "Officials said the harbor bridge would reopen. Ökonomen warned of costs in Zürich."
    )
    corpus = build_corpus([make_article(text, id="z.txt")])
    assert corpus.concept_capitals[concept_index(corpus, "harbor", "bridg")] == 0.5
    assert corpus.concept_capitals[concept_index(corpus, "official", "said")] == 0.0
    assert corpus.concept_capitals[concept_index(corpus, "crowd", "gather")] == 0.0


def test_the_word_share_model_adds_to_small_stories_only() -> None:
    from newsfuse.importance import DEFAULT_WORD_SHARE_MODEL
    from newsfuse.summarizers import _modular

    plain = replace(CoverageWeights(), word_share_model=None)
    default = CoverageWeights()
    small, big = build_corpus(bridge_story(3)), build_corpus(bridge_story(6))
    added = _modular(small, default, None) - _modular(small, plain, None)
    expected = default.word_share * DEFAULT_WORD_SHARE_MODEL.scores(small) * small.lengths
    np.testing.assert_allclose(added, expected)
    assert np.abs(added).max() > 0
    np.testing.assert_array_equal(_modular(big, default, None), _modular(big, plain, None))
    query = "How long will repairs take?"
    np.testing.assert_array_equal(_modular(small, default, query), _modular(small, plain, query))
    lone = build_corpus(bridge_story(1))
    np.testing.assert_array_equal(_modular(lone, default, None), _modular(lone, plain, None))


def test_word_shapes_split_as_longbench_does() -> None:
    corpus = build_corpus([make_article("The the cat sat on the mat, the end.", id="w.txt")])
    features = dict(zip(SENTENCE_FEATURES, sentence_features(corpus)[0], strict=True))
    # Words: The the cat sat on the mat, the end -> 9 words; "mat," keeps its comma,
    # "The" and "the" differ (case kept), the full stop splits and goes.
    assert features["attached_punctuation"] == 1 / 9
    assert features["stop_words"] == 5 / 9
    assert features["distinct_words"] == 7 / 9
