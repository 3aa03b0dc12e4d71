"""Speed and groundedness of `compare` on DUC 2004 clusters (10 articles each).

Goal: a 10-article story compared in <= 1 s without extras. Besides time, the
bench counts what compare found and re-checks that every claim, quote and
timeline date cites sentences holding its surface form (groundedness must be 1.0).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from newsfuse.compare import CompareConfig, compare
from newsfuse.models import Article, Comparison
from newsfuse.quotes import normalise_quote


def load_duc2004(data: Path) -> list[list[Article]]:
    """DUC 2004 clusters as lists of Articles (empty files skipped)."""
    root = data / "duc2004" / "docs"
    if not root.is_dir():
        raise FileNotFoundError(f"DUC 2004 documents not found under {root}")
    clusters = []
    for cluster in sorted(p for p in root.iterdir() if p.is_dir()):
        articles = []
        for path in sorted(cluster.iterdir()):
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                doc_id = f"{cluster.name}/{path.name}"
                articles.append(Article(id=doc_id, text=text, key=doc_id))
        clusters.append(articles)
    return clusters


def grounded(c: Comparison) -> tuple[int, int]:
    """(grounded items, items): claims' versions, quotes and timeline dates."""
    total = ok = 0
    for claim in c.claims:
        for (_, _, surface), cite in zip(claim.versions, claim.evidence, strict=False):
            total += 1
            ok += surface in cite.sentence.text
    for q in c.quotes:
        total += 1
        joined = normalise_quote(" ".join(e.sentence.text for e in q.evidence))
        ok += normalise_quote(q.text) in joined
    for event in c.timeline:
        for surface, cite in zip(event.surfaces, event.evidence, strict=False):
            total += 1
            ok += surface in cite.sentence.text
    return ok, total


def evaluate(data: Path, repeats: int = 3, nlp: bool = False) -> dict[str, object]:
    """Time `compare` on every DUC 2004 cluster (best of `repeats` per cluster)."""
    cfg = CompareConfig()
    if nlp:
        from newsfuse.entities import load_spacy

        cfg = CompareConfig(nlp=load_spacy())
    clusters = load_duc2004(data)
    compare(clusters[0], cfg)  # warm-up: regex compilation, imports
    seconds: list[float] = []
    cpu_seconds: list[float] = []  # the machine is shared: CPU time is the steadier figure
    counts = {"claims": 0, "conflicts": 0, "quotes": 0, "paraphrases": 0, "entities": 0, "timeline": 0}
    ok = total = articles = 0
    for cluster in clusters:
        best = best_cpu = float("inf")
        for _ in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            result = compare(cluster, cfg)
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        seconds.append(best)
        cpu_seconds.append(best_cpu)
        articles += len(cluster)
        counts["claims"] += len(result.claims)
        counts["conflicts"] += sum(1 for c in result.claims if c.contradicted_by)
        counts["quotes"] += sum(1 for q in result.quotes if q.verbatim)
        counts["paraphrases"] += sum(1 for q in result.quotes if not q.verbatim)
        counts["entities"] += len(result.entities)
        counts["timeline"] += len(result.timeline)
        g_ok, g_total = grounded(result)
        ok += g_ok
        total += g_total
    ordered = sorted(seconds)
    return {
        "dataset": "duc2004 dev",
        "clusters": len(clusters),
        "articles": articles,
        "spacy": nlp,
        "seconds_per_cluster": {
            "median": round(statistics.median(seconds), 4),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 4),
            "max": round(max(seconds), 4),
        },
        "articles_per_second": round(articles / sum(seconds), 1),
        "cpu_seconds_per_cluster_median": round(statistics.median(cpu_seconds), 4),
        "articles_per_cpu_second": round(articles / sum(cpu_seconds), 1),
        "goal_seconds_per_10_articles": 1.0,
        "per_cluster_mean": {k: round(v / len(clusters), 1) for k, v in counts.items()},
        "grounded": round(ok / total, 4) if total else 1.0,
        "grounded_items": total,
    }


def render(result: dict[str, object]) -> str:
    secs = result["seconds_per_cluster"]
    assert isinstance(secs, dict)
    lines = [
        f"compare on {result['dataset']}: {result['clusters']} clusters, {result['articles']} articles",
        f"  seconds per cluster  median {secs['median']}  p95 {secs['p95']}  max {secs['max']}"
        "  (goal <= 1.0)",
        f"  articles per second  {result['articles_per_second']} wall, "
        f"{result['articles_per_cpu_second']} CPU",
        f"  grounded             {result['grounded']} of {result['grounded_items']} items",
        f"  per cluster (mean)   {result['per_cluster_mean']}",
    ]
    return "\n".join(lines)


def bench(results_dir: Path, data_dir: Path) -> dict[str, object]:
    """`make bench` entry: writes results_dir/compare.json."""
    result = evaluate(data_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "compare.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":  # pragma: no cover - manual run
    import sys

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    print(render(evaluate(data, nlp="--nlp" in sys.argv)))
