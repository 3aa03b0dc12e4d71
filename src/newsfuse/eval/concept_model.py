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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
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
    longbench_words,
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
    sentences: np.ndarray  # units x SENTENCE_FEATURES
    used: np.ndarray  # per unit: share of its (stemmed) words the references use
    types_used: np.ndarray  # per unit: share of its distinct words, split as LongBench does
    eligible: np.ndarray  # per unit: it may be picked


@dataclass(frozen=True, slots=True)
class Models:
    concepts: ConceptModel | None
    sentences: SentenceModel | None = None
    word_share: SentenceModel | None = None


def _reference_bigrams(reference: str) -> set[tuple[str, str]]:
    words = [stem(token.lower()) for token in TOKEN.findall(reference)]
    return set(itertools.pairwise(words))


def _share_used(
    words_of: Callable[[str], Collection[str]], corpus: Corpus, references: Sequence[str]
) -> np.ndarray:
    """Per unit, the mean over references of the share of its words (`words_of`) each one uses."""
    said = [set(words_of(r)) for r in references]
    used = np.zeros(len(corpus.units))
    for i, unit in enumerate(corpus.units):
        words = words_of(unit.text)
        if words and said:
            used[i] = statistics.mean(sum(w in s for w in words) / len(words) for s in said)
    return used


def _distinct_words(text: str) -> set[str]:
    # LongBench's ROUGE-L (the `rouge` package) counts distinct words.
    return set(longbench_words(text))


def examples(cluster: Cluster) -> Examples:
    corpus = build_corpus(cluster.articles)
    stems, pairs = corpus.stems, corpus.concept_stems
    names = [(stems[a], stems[b]) for a, b in pairs.tolist()] if pairs is not None else []
    said = [_reference_bigrams(r) for r in cluster.references]
    labels = np.array([sum(name in s for s in said) / max(1, len(said)) for name in names])
    refs = cluster.references
    return Examples(
        cluster,
        concept_features(corpus),
        labels,
        sentence_features(corpus),
        _share_used(rouge.stemmed_tokenizer(), corpus, refs),
        _share_used(_distinct_words, corpus, refs),
        corpus.eligible,
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


def fit_sentences(
    rows: Sequence[Examples],
    label: Callable[[Examples], np.ndarray] = attrgetter("used"),
    eligible_only: bool = True,
    alpha: float = 1.0,
) -> SentenceModel:
    """Ridge regression on standardised features, the scaling folded into the coefficients."""
    from sklearn.linear_model import Ridge

    keep = [r.eligible if eligible_only else np.ones(len(r.eligible), dtype=bool) for r in rows]
    features = np.vstack([r.sentences[k] for r, k in zip(rows, keep, strict=True)])
    labels = np.concatenate([label(r)[k] for r, k in zip(rows, keep, strict=True)])
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    ridge = Ridge(alpha=alpha).fit((features - mean) / scale, labels)
    coef = ridge.coef_ / scale
    intercept = float(ridge.intercept_) - float(mean @ coef)
    return SentenceModel(coef=tuple(round(float(c), 8) for c in coef), intercept=round(intercept, 8))


def fit_word_share(rows: Sequence[Examples]) -> SentenceModel:
    # Every sentence, not only those that may be picked: on dev, a model fitted on the
    # eligible ones alone gained less (LongBench ROUGE-L 31.15 against 31.16, cross-validated).
    return fit_sentences(rows, attrgetter("types_used"), eligible_only=False)


def _rouge(clusters: Sequence[Cluster], models: Sequence[Models], name: str) -> dict[str, float]:
    _, _, limit, shown = DATASETS[name]
    score = rouge.scorer()
    rows = []
    for cluster, model in zip(clusters, models, strict=True):
        weights = replace(
            CoverageWeights(),
            model=model.concepts,
            sentence_model=model.sentences,
            word_share_model=model.word_share,
        )
        summary = system_summary(
            cluster.articles, "default", limit, None, functools.partial(coverage, w=weights)
        )
        row = rouge.multi_ref(summary, cluster.references, score)
        if "longbench_rougeL" in shown:
            row["longbench_rougeL"] = rouge.longbench_rouge_l(summary, cluster.references[0])
        rows.append(row)
    metrics = [m for m in shown if m in rows[0] and m != "rougeL_f" and m != "rougeL_r"]
    return {k: round(100 * statistics.mean(r[k] for r in rows), 2) for k in metrics}


def _load(data: Path, name: str, limit: int | None) -> list[Examples]:
    folder, loader, _, _ = DATASETS[name]
    return [examples(c) for c in list(loader(Path(data) / folder))[:limit]]


def _folds(rows: Sequence[Examples], fit_rows: Callable[[list[Examples]], Any]) -> list[Any]:
    """Per cluster, what `fit_rows` makes of the other folds' clusters (cluster i in fold i % FOLDS)."""
    fitted = [fit_rows([r for i, r in enumerate(rows) if i % FOLDS != k]) for k in range(FOLDS)]
    return [fitted[i % FOLDS] for i in range(len(rows))]


def _as_json(model: ConceptModel | SentenceModel | None) -> dict[str, Any]:
    return {"coef": list(model.coef), "intercept": model.intercept} if model is not None else {}


def evaluate(data: Path, **options: Any) -> dict[str, Any]:
    """Fit on the dev sets; score DUC 2004 and Multi-News, no cluster by a model fitted on it."""
    limit = options.get("limit")
    for name in TRAINING:
        if not (Path(data) / DATASETS[name][0]).exists():
            return {"skipped": f"{Path(data) / DATASETS[name][0]} not found"}
    duc2004, duc2006 = (_load(data, name, limit) for name in TRAINING)
    has_multinews = (Path(data) / DATASETS["multinews"][0]).exists()
    multinews = _load(data, "multinews", limit) if has_multinews else []
    word_share = fit_word_share(multinews) if multinews else None
    final = Models(fit([*duc2004, *duc2006]), fit_sentences([*duc2004, *duc2006]), word_share)
    clusters = [r.cluster for r in duc2004]
    held_out = _folds(duc2004, lambda rows: Models(fit([*rows, *duc2006]), fit_sentences([*rows, *duc2006])))
    other = Models(fit(duc2006), fit_sentences(duc2006))
    every = len(clusters)
    result: dict[str, Any] = {
        "features": list(FEATURES),
        "sentence_features": list(SENTENCE_FEATURES),
        "model": _as_json(final.concepts),
        "sentence_model": _as_json(final.sentences),
        "word_share_model": _as_json(final.word_share),
        "trained_on": {"duc2004": len(duc2004), "duc2006": len(duc2006), "multinews": len(multinews)},
        "duc2004": {
            "source counts (no model)": _rouge(clusters, [Models(None)] * every, "duc2004"),
            f"concepts, {FOLDS}-fold cross-validated": _rouge(
                clusters, [Models(m.concepts) for m in held_out], "duc2004"
            ),
            f"both, {FOLDS}-fold cross-validated": _rouge(clusters, held_out, "duc2004"),
            "both, fitted on DUC 2006 only": _rouge(clusters, [other] * every, "duc2004"),
            "both, in-sample (all dev)": _rouge(clusters, [final] * every, "duc2004"),
        },
    }
    if multinews:
        stories = [r.cluster for r in multinews]
        shares = _folds(multinews, fit_word_share)
        result["multinews"] = {
            "source counts (no model)": _rouge(stories, [Models(None)] * len(stories), "multinews"),
            f"word share, {FOLDS}-fold cross-validated": _rouge(
                stories, [replace(final, word_share=m) for m in shares], "multinews"
            ),
            "word share, in-sample (all dev)": _rouge(stories, [final] * len(stories), "multinews"),
        }
    return result


def render(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"concepts: skipped ({result['skipped']})"
    lines = []
    for name, title in (
        ("duc2004", "DUC 2004 dev (100 words, recall)"),
        ("multinews", "Multi-News dev (223 words)"),
    ):
        if name not in result:
            continue
        metrics = list(next(iter(result[name].values())))
        lines.append(f"{title}, ROUGE x100")
        lines.append(f"  {'weights':<40}" + "".join(f"{m:>18}" for m in metrics))
        for label, row in result[name].items():
            lines.append(f"  {label:<40}" + "".join(f"{row[m]:>18.2f}" for m in metrics))
        lines.append("")
    models = (
        ("ConceptModel", "model"),
        ("SentenceModel", "sentence_model"),
        ("SentenceModel", "word_share_model"),
    )
    for kind, key in models:
        if result.get(key):
            coefficients = ", ".join(f"{c}" for c in result[key]["coef"])
            lines.append(f"{key}: {kind}(coef=({coefficients}), intercept={result[key]['intercept']})")
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
