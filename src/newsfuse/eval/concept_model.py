"""`newsfuse eval concepts`: fit the concept-importance model and measure it honestly.

Each bigram concept of a dev cluster is one example: its features
(`newsfuse.importance.FEATURES`) and, as its label, the share of the cluster's
human summaries that contain it (same tokens, same stemmer). A logistic
regression fitted on DUC 2004 and DUC 2006 gives `DEFAULT_CONCEPT_MODEL`.

Its ROUGE is reported two ways that never score a cluster with a model fitted
on it: 5-fold cross-validation over DUC 2004's clusters (DUC 2006 always in
training), and a model fitted on DUC 2006 alone, scored on DUC 2004. The
in-sample figure of `newsfuse eval summaries` is the optimistic one.
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
from newsfuse.importance import FEATURES, ConceptModel, concept_features
from newsfuse.sentences import build_corpus, stem
from newsfuse.summarizers import CoverageWeights, coverage
from newsfuse.unit_kinds import TOKEN

TRAINING = ("duc2004", "duc2006")
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Examples:
    cluster: Cluster
    features: np.ndarray  # concepts x FEATURES
    labels: np.ndarray  # per concept: share of the references that say it


def _reference_bigrams(reference: str) -> set[tuple[str, str]]:
    words = [stem(token.lower()) for token in TOKEN.findall(reference)]
    return set(itertools.pairwise(words))


def examples(cluster: Cluster) -> Examples:
    corpus = build_corpus(cluster.articles)
    stems, pairs = corpus.stems, corpus.concept_stems
    names = [(stems[a], stems[b]) for a, b in pairs.tolist()] if pairs is not None else []
    said = [_reference_bigrams(r) for r in cluster.references]
    labels = np.array([sum(name in s for s in said) / max(1, len(said)) for name in names])
    return Examples(cluster, concept_features(corpus), labels)


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


def _rouge(
    clusters: Sequence[Cluster], models: Sequence[ConceptModel | None], limit: int
) -> dict[str, float]:
    score = rouge.scorer()
    rows = []
    for cluster, model in zip(clusters, models, strict=True):
        weights = replace(CoverageWeights(), model=model)
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
    model = fit([*duc2004, *duc2006])
    clusters = [r.cluster for r in duc2004]
    folds = [fit([*(r for i, r in enumerate(duc2004) if i % FOLDS != k), *duc2006]) for k in range(FOLDS)]
    words = DATASETS["duc2004"][2]
    return {
        "features": list(FEATURES),
        "model": {"coef": list(model.coef), "intercept": model.intercept},
        "trained_on": {name: len(rows) for name, rows in zip(TRAINING, (duc2004, duc2006), strict=True)},
        "duc2004": {
            "source counts (no model)": _rouge(clusters, [None] * len(clusters), words),
            f"{FOLDS}-fold cross-validated": _rouge(
                clusters, [folds[i % FOLDS] for i in range(len(clusters))], words
            ),
            "fitted on DUC 2006 only": _rouge(clusters, [fit(duc2006)] * len(clusters), words),
            "in-sample (all dev)": _rouge(clusters, [model] * len(clusters), words),
        },
    }


def render(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"concepts: skipped ({result['skipped']})"
    lines = ["DUC 2004 dev (100 words, ROUGE recall x100)", f"  {'weights':<28}{'R1':>8}{'R2':>8}"]
    for name, row in result["duc2004"].items():
        lines.append(f"  {name:<28}{row['rouge1_r']:>8.2f}{row['rouge2_r']:>8.2f}")
    model = result["model"]
    lines.append("")
    coefficients = ", ".join(f"{c}" for c in model["coef"])
    lines.append(f"ConceptModel(coef=({coefficients}), intercept={model['intercept']})")
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
