"""Whole-digest throughput: every DUC 2004 cluster through the full pipeline.

Reports articles/s end to end and the seconds spent in each stage, so the
slowest stage is visible next to the goal (a digest at >= 200 articles/s).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsfuse.clean import clean
from newsfuse.cluster import assign_stories
from newsfuse.compare import compare
from newsfuse.dedupe import find_copies
from newsfuse.ingest import ingest
from newsfuse.models import Article
from newsfuse.pipeline import DigestConfig
from newsfuse.summarize import summarize


@contextmanager
def _timed(totals: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    totals[stage] += time.perf_counter() - started


def _story_stage(
    groups: Sequence[Sequence[Article]],
    totals: dict[str, float],
    name: str,
    run: Callable[[Sequence[Article]], Any],
) -> None:
    with _timed(totals, name):
        for group in groups:
            run(group)


def evaluate(data: Path, cfg: DigestConfig | None = None) -> dict[str, Any]:
    """Run ingest, clean, cluster, dedupe, summarize and compare over DUC 2004."""
    cfg = cfg or DigestConfig()
    docs = data / "duc2004" / "docs"
    if not docs.is_dir():
        raise FileNotFoundError(f"{docs}: DUC 2004 documents not found")
    totals: dict[str, float] = defaultdict(float)
    with _timed(totals, "ingest"):
        raw = [a for a in ingest([str(docs)], cfg.ingest) if isinstance(a, Article)]
    with _timed(totals, "clean"):
        articles = [clean(a, cfg.clean) for a in raw]
    with _timed(totals, "cluster"):
        assignment = assign_stories(articles, cfg.cluster)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[assignment[article.id]].append(article)
    groups = list(members.values())
    _story_stage(groups, totals, "dedupe", lambda g: find_copies(g, cfg.dedupe))
    _story_stage(groups, totals, "summarize", lambda g: summarize(g, cfg.summary))
    _story_stage(groups, totals, "compare", lambda g: compare(g, cfg.compare))
    seconds = sum(totals.values())
    return {
        "articles": len(articles),
        "stories": len(groups),
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(articles) / seconds, 1) if seconds else None,
        "stage_seconds": {stage: round(value, 3) for stage, value in totals.items()},
        "goal_articles_per_second": 200,
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['articles']} articles, {result['stories']} stories, {result['seconds']} s: "
        f"{result['articles_per_second']} articles/s (goal {result['goal_articles_per_second']})"
    ]
    lines += [f"  {stage:<10} {seconds:8.3f} s" for stage, seconds in result["stage_seconds"].items()]
    return "\n".join(lines)


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    result = evaluate(data_dir)
    (results_dir / "digest.json").write_text(json.dumps(result, indent=2) + "\n")
    return result
