"""Whole-digest throughput: every DUC 2004 document through `pipeline.digest`.

The figure is the real job, not a re-enactment: `digest` runs into a fresh
SQLite store (ingest, clean, store, cluster, dedupe, summarize, compare,
save), and articles/s counts the articles it stored. The machine is shared,
so the headline is CPU time (`time.process_time`); wall-clock is given next
to it. To show which stage to work on, the stage functions the pipeline
calls are wrapped with timers for the run (and restored after): the
seconds per stage add up to the total, the rest is "other" (loops,
sorting, the progress callback).

A second set of runs writes stories up in a process pool over every usable
CPU (what `newsfuse digest` does): wall-clock articles/s, with the CPU time
of the workers counted in.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsfuse import pipeline
from newsfuse.pipeline import DigestConfig
from newsfuse.runtime import usable_cpus
from newsfuse.store import Store, open_store

GOAL_ARTICLES_PER_SECOND = 200

_Clock = dict[str, list[float]]  # stage -> [CPU seconds, wall seconds]
_DONE = object()  # end of a timed iterator


def _timed(clock: _Clock, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            clock[stage][0] += time.process_time() - cpu
            clock[stage][1] += time.perf_counter() - wall

    return run


def _timed_iterator(clock: _Clock, stage: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
    """Ingest is a generator: time each step of it, not its creation."""

    def run(*args: Any, **kwargs: Any) -> Iterator[Any]:
        items = function(*args, **kwargs)
        step = _timed(clock, stage, lambda: next(items, _DONE))
        while (item := step()) is not _DONE:
            yield item

    return run


# The stage functions `pipeline` calls by name; wrapped while the bench runs.
_STAGES = {
    "clean": "clean",
    "assign_stories": "cluster",
    "find_copies": "dedupe",
    "summarize": "summarize",
    "compare": "compare",
}
_STORE_STAGES = {
    "add_articles": "store",
    "unassigned_ids": "store",
    "articles_by_id": "store",
    "articles_published": "store",
    "undated_articles": "store",
    "assignments": "store",
    "story_members": "store",
    "save_stories": "save",
}


@contextmanager
def _stage_clocks(store: Store) -> Iterator[_Clock]:
    clock: _Clock = defaultdict(lambda: [0.0, 0.0])
    saved = {name: getattr(pipeline, name) for name in ["ingest", *_STAGES]}
    try:
        setattr(pipeline, "ingest", _timed_iterator(clock, "ingest", saved["ingest"]))  # noqa: B010
        for name, stage in _STAGES.items():
            setattr(pipeline, name, _timed(clock, stage, saved[name]))
        for name, stage in _STORE_STAGES.items():
            if hasattr(store, name):
                setattr(store, name, _timed(clock, stage, getattr(store, name)))
        yield clock
    finally:
        for name, function in saved.items():
            setattr(pipeline, name, function)


def _run(docs: Path, cfg: DigestConfig) -> dict[str, Any]:
    """One digest of `docs` into a fresh SQLite store, timed per stage."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        with _stage_clocks(store) as clock:
            cpu, wall = time.process_time(), time.perf_counter()
            result = pipeline.digest([str(docs)], store, cfg)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        store.close()
    stored = len(result.added)
    staged_cpu = sum(c for c, _ in clock.values())
    staged_wall = sum(w for _, w in clock.values())
    clock["other"] = [max(cpu - staged_cpu, 0.0), max(wall - staged_wall, 0.0)]
    return {
        "articles": stored,
        "duplicates_not_stored": result.already_stored,
        "skipped": len(result.skipped),
        "stories": len(result.stories),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "articles_per_cpu_second": round(stored / cpu, 1) if cpu else None,
        "articles_per_second": round(stored / wall, 1) if wall else None,
        "stage_cpu_seconds": {stage: round(c, 3) for stage, (c, _) in clock.items()},
        "stage_wall_seconds": {stage: round(w, 3) for stage, (_, w) in clock.items()},
    }


def _cpu_with_children() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run_pooled(docs: Path, cfg: DigestConfig) -> dict[str, Any]:
    """One digest with story write-ups in `cfg.workers` processes: wall time."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        cpu, wall = _cpu_with_children(), time.perf_counter()
        result = pipeline.digest([str(docs)], store, cfg)
        cpu, wall = _cpu_with_children() - cpu, time.perf_counter() - wall
        store.close()
    stored = len(result.added)
    return {
        "workers": cfg.workers,
        "wall_seconds": round(wall, 3),
        "cpu_seconds_all_processes": round(cpu, 3),
        "articles_per_second": round(stored / wall, 1) if wall else None,
    }


def evaluate(data: Path, cfg: DigestConfig | None = None, repeats: int = 3) -> dict[str, Any]:
    """`pipeline.digest` over the DUC 2004 documents into a fresh SQLite store,
    `repeats` times (the machine is shared): the run of median CPU time."""
    cfg = cfg or DigestConfig()
    docs = data / "duc2004" / "docs"
    if not docs.is_dir():
        raise FileNotFoundError(f"{docs}: DUC 2004 documents not found")
    runs = sorted((_run(docs, cfg) for _ in range(max(1, repeats))), key=lambda r: r["cpu_seconds"])
    median = runs[len(runs) // 2]
    workers = usable_cpus()
    pooled = sorted(
        (_run_pooled(docs, replace(cfg, workers=workers)) for _ in range(max(1, repeats))),
        key=lambda r: r["wall_seconds"],
    )
    return {
        "dataset": "duc2004 dev (docs), every file through pipeline.digest",
        **median,
        "runs_cpu_seconds": [r["cpu_seconds"] for r in runs],
        "pooled": {**pooled[len(pooled) // 2], "runs_wall_seconds": [r["wall_seconds"] for r in pooled]},
        "goal_articles_per_second": GOAL_ARTICLES_PER_SECOND,
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['articles']} articles stored, {result['stories']} stories (median of "
        f"{len(result['runs_cpu_seconds'])} runs): "
        f"{result['articles_per_cpu_second']} articles/CPU-s ({result['cpu_seconds']} s), "
        f"{result['articles_per_second']} articles/s wall ({result['wall_seconds']} s); "
        f"goal {result['goal_articles_per_second']}",
        f"  with {result['pooled']['workers']} workers: {result['pooled']['articles_per_second']} "
        f"articles/s wall ({result['pooled']['wall_seconds']} s)",
        f"  {'stage':<10} {'CPU s':>8} {'wall s':>8}",
    ]
    for stage, seconds in result["stage_cpu_seconds"].items():
        lines.append(f"  {stage:<10} {seconds:8.3f} {result['stage_wall_seconds'][stage]:8.3f}")
    return "\n".join(lines)


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    result = evaluate(data_dir)
    (results_dir / "digest.json").write_text(json.dumps(result, indent=2) + "\n")
    return result
