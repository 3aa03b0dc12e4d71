"""`newsfuse eval concepts`: fit the importance models and measure them honestly.

Each bigram concept of a dev cluster is one example for `ConceptModel`: its
features (`newsfuse.importance.FEATURES`) and, as its label, the share of the
cluster's human summaries that contain it (same tokens, same stemmer). Each
eligible sentence is one for `SentenceModel`: its `SENTENCE_FEATURES` and the
share of its words (rouge-score's stemmed tokens) that the human summaries use,
averaged over them. Both are fitted on DUC 2004 and DUC 2006.

Their ROUGE is reported two ways that never score a cluster with a model
fitted on it: 5-fold cross-validation over DUC 2004's clusters (DUC 2006
always in training), and models fitted on DUC 2006 alone, scored on DUC 2004.
The in-sample figure of `newsfuse eval summaries` is the optimistic one.
"""

from __future__ import annotations

import functools
import itertools
import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.eval import rouge
from newsfuse.eval.summaries import DATASETS, Cluster, system_summary
from newsfuse.importance import (
    FEATURES,
    SENTENCE_FEATURES,
    ConceptModel,
    SentenceModel,
    concept_features,
    sentence_features,
)
from newsfuse.sentences import Corpus, build_corpus, stem
from newsfuse.summarizers import CoverageWeights, coverage
from newsfuse.unit_kinds import TOKEN

TRAINING = ("duc2004", "duc2006")
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Examples:
    cluster: Cluster
    features: np.ndarray  # concepts x FEATURES
    labels: np.ndarray  # per concept: share of the references that say it
    sentences: np.ndarray  # eligible units x SENTENCE_FEATURES
    used: np.ndarray  # per eligible unit: share of its words the references use


@dataclass(frozen=True, slots=True)
class Models:
    concepts: ConceptModel | None
    sentences: SentenceModel | None = None


def _reference_bigrams(reference: str) -> set[tuple[str, str]]:
    words = [stem(token.lower()) for token in TOKEN.findall(reference)]
    return set(itertools.pairwise(words))


def _words_used(corpus: Corpus, references: Sequence[str]) -> np.ndarray:
    tokenize = rouge.stemmed_tokenizer()
    said = [set(tokenize(r)) for r in references]
    used = np.zeros(len(corpus.units))
    for i, unit in enumerate(corpus.units):
        tokens = tokenize(unit.text)
        if tokens and said:
            used[i] = statistics.mean(sum(t in s for t in tokens) / len(tokens) for s in said)
    return used


def examples(cluster: Cluster) -> Examples:
    corpus = build_corpus(cluster.articles)
    stems, pairs = corpus.stems, corpus.concept_stems
    names = [(stems[a], stems[b]) for a, b in pairs.tolist()] if pairs is not None else []
    said = [_reference_bigrams(r) for r in cluster.references]
    labels = np.array([sum(name in s for s in said) / max(1, len(said)) for name in names])
    eligible = corpus.eligible
    return Examples(
        cluster,
        concept_features(corpus),
        labels,
        sentence_features(corpus)[eligible],
        _words_used(corpus, cluster.references)[eligible],
    )


def fit(rows: Sequence[Examples], strength: float = 1.0) -> ConceptModel:
    """Logistic regression on fractional labels (each example once as 1, once as 0, weighted)."""
    from sklearn.linear_model import LogisticRegression

    features = np.vstack([r.features for r in rows])
    labels = np.concatenate([r.labels for r in rows])
    doubled = np.vstack([features, features])
    targets = np.concatenate([np.ones(len(labels)), np.zeros(len(labels))])
    weights = np.concatenate([labels, 1.0 - labels]) + 1e-9
    model = LogisticRegression(C=strength, max_iter=5000)
    model.fit(doubled, targets, sample_weight=weights)
    return ConceptModel(
        coef=tuple(round(float(c), 6) for c in model.coef_[0]), intercept=round(float(model.intercept_[0]), 6)
    )


def fit_sentences(rows: Sequence[Examples], alpha: float = 1.0) -> SentenceModel:
    """Ridge regression on standardised features, the scaling folded into the coefficients."""
    from sklearn.linear_model import Ridge

    features = np.vstack([r.sentences for r in rows])
    labels = np.concatenate([r.used for r in rows])
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    ridge = Ridge(alpha=alpha).fit((features - mean) / scale, labels)
    coef = ridge.coef_ / scale
    intercept = float(ridge.intercept_) - float(mean @ coef)
    return SentenceModel(coef=tuple(round(float(c), 8) for c in coef), intercept=round(intercept, 8))


def fit_both(rows: Sequence[Examples]) -> Models:
    return Models(fit(rows), fit_sentences(rows))


def _rouge(clusters: Sequence[Cluster], models: Sequence[Models], limit: int) -> dict[str, float]:
    score = rouge.scorer()
    rows = []
    for cluster, model in zip(clusters, models, strict=True):
        weights = replace(CoverageWeights(), model=model.concepts, sentence_model=model.sentences)
        summary = system_summary(
            cluster.articles, "default", limit, None, functools.partial(coverage, w=weights)
        )
        rows.append(rouge.multi_ref(summary, cluster.references, score))
    return {k: round(100 * statistics.mean(r[k] for r in rows), 2) for k in ("rouge1_r", "rouge2_r")}


def _load(data: Path, name: str, limit: int | None) -> list[Examples]:
    folder, loader, _, _ = DATASETS[name]
    return [examples(c) for c in list(loader(Path(data) / folder))[:limit]]


def evaluate(data: Path, **options: Any) -> dict[str, Any]:
    """Fit on the dev sets, then score DUC 2004 by cross-validation and across datasets."""
    limit = options.get("limit")
    for name in TRAINING:
        if not (Path(data) / DATASETS[name][0]).exists():
            return {"skipped": f"{Path(data) / DATASETS[name][0]} not found"}
    duc2004, duc2006 = (_load(data, name, limit) for name in TRAINING)
    final = fit_both([*duc2004, *duc2006])
    clusters = [r.cluster for r in duc2004]
    folds = [
        fit_both([*(r for i, r in enumerate(duc2004) if i % FOLDS != k), *duc2006]) for k in range(FOLDS)
    ]
    held_out = [folds[i % FOLDS] for i in range(len(clusters))]
    other = fit_both(duc2006)
    words = DATASETS["duc2004"][2]
    every = len(clusters)
    return {
        "features": list(FEATURES),
        "sentence_features": list(SENTENCE_FEATURES),
        "model": {"coef": list(final.concepts.coef), "intercept": final.concepts.intercept}
        if final.concepts
        else {},
        "sentence_model": {"coef": list(final.sentences.coef), "intercept": final.sentences.intercept}
        if final.sentences
        else {},
        "trained_on": {name: len(rows) for name, rows in zip(TRAINING, (duc2004, duc2006), strict=True)},
        "duc2004": {
            "source counts (no model)": _rouge(clusters, [Models(None)] * every, words),
            f"concepts, {FOLDS}-fold cross-validated": _rouge(
                clusters, [Models(m.concepts) for m in held_out], words
            ),
            f"both, {FOLDS}-fold cross-validated": _rouge(clusters, held_out, words),
            "both, fitted on DUC 2006 only": _rouge(clusters, [other] * every, words),
            "both, in-sample (all dev)": _rouge(clusters, [final] * every, words),
        },
    }


def render(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"concepts: skipped ({result['skipped']})"
    lines = ["DUC 2004 dev (100 words, ROUGE recall x100)", f"  {'weights':<40}{'R1':>8}{'R2':>8}"]
    for name, row in result["duc2004"].items():
        lines.append(f"  {name:<40}{row['rouge1_r']:>8.2f}{row['rouge2_r']:>8.2f}")
    lines.append("")
    for name, key in (("ConceptModel", "model"), ("SentenceModel", "sentence_model")):
        coefficients = ", ".join(f"{c}" for c in result[key]["coef"])
        lines.append(f"{name}(coef=({coefficients}), intercept={result[key]['intercept']})")
    return "\n".join(lines)


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    if not (Path(data_dir) / "duc2004").exists():
        raise FileNotFoundError(f"{data_dir}/duc2004 not found")
    result = evaluate(data_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "concept_model.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:  # python -m newsfuse.eval.concept_model [DATA]
    import sys

    print(render(evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data"))))


if __name__ == "__main__":
    main()
