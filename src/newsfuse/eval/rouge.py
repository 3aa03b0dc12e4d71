"""ROUGE as the summary benchmarks use it.

Google's `rouge-score` (Porter stemming) for R-1/R-2/R-L, the `rouge` package
for LongBench's ROUGE-L, and ROUGE-SU4 (skip-bigrams with at most 4 words in
between, plus unigrams), which `rouge-score` lacks, on the same tokens.
Both packages come with the `dev` extra; they are imported on first use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from statistics import mean
from typing import Any

Tokenize = Callable[[str], list[str]]


def cut(text: str, limit: int) -> str:
    """The first `limit` white-space words of text, as DUC truncates submissions."""
    return " ".join(text.split()[:limit])


def scorer(metrics: Sequence[str] = ("rouge1", "rouge2", "rougeL")) -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(metrics), use_stemmer=True)


def stemmed_tokenizer() -> Tokenize:
    from rouge_score import tokenizers

    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    return tokenizer.tokenize  # type: ignore[no-any-return]


def _su_grams(tokens: list[str], max_gap: int) -> Counter[tuple[str, ...]]:
    grams: Counter[tuple[str, ...]] = Counter((t,) for t in tokens)
    for i, first in enumerate(tokens):
        for j in range(i + 1, min(len(tokens), i + max_gap + 2)):
            grams[(first, tokens[j])] += 1
    return grams


def su4_recall(prediction: str, reference: str, tokenize: Tokenize, max_gap: int = 4) -> float:
    """ROUGE-SU4 recall: skip-bigrams (gap <= max_gap) and unigrams, counts clipped."""
    ref = _su_grams(tokenize(reference), max_gap)
    if not ref:
        return 0.0
    pred = _su_grams(tokenize(prediction), max_gap)
    hits = sum(min(count, pred[g]) for g, count in ref.items())
    return hits / sum(ref.values())


def multi_ref(
    prediction: str, references: Sequence[str], score: Any, tokenize: Tokenize | None = None
) -> dict[str, float]:
    """Recall and F1 of R-1, R-2, R-L (and SU4 recall when `tokenize` is given), mean over references."""
    rows: list[dict[str, float]] = []
    for ref in references:
        result = score.score(ref, prediction)
        row = {}
        for name, value in result.items():
            row[f"{name}_r"] = value.recall
            row[f"{name}_f"] = value.fmeasure
        if tokenize is not None:
            row["rougeSU4_r"] = su4_recall(prediction, ref, tokenize)
        rows.append(row)
    return {k: mean(r[k] for r in rows) for k in rows[0]} if rows else {}


def longbench_rouge_l(prediction: str, reference: str) -> float:
    """LongBench's Multi-News metric: the `rouge` package's ROUGE-L F (0..1)."""
    from rouge import Rouge

    try:
        scores = Rouge().get_scores([prediction], [reference], avg=True)
    except (ValueError, RecursionError):  # empty hypothesis; LongBench scores these 0
        return 0.0
    return float(scores["rouge-l"]["f"])
