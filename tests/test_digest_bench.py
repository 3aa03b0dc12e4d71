"""The digest bench times the real `pipeline.digest` and leaves the pipeline as it found it."""

from __future__ import annotations

import shutil
from pathlib import Path

from newsfuse import pipeline
from newsfuse.eval.digest_bench import evaluate, render

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def test_bench_runs_the_whole_digest_and_restores_the_stages(tmp_path: Path) -> None:
    # The bench reads <data>/duc2004/docs: the example corpus stands in for DUC.
    shutil.copytree(EXAMPLES, tmp_path / "duc2004" / "docs")
    stages = {name: getattr(pipeline, name) for name in ("ingest", "clean", "summarize", "compare")}
    result = evaluate(tmp_path, repeats=1)
    assert {name: getattr(pipeline, name) for name in stages} == stages
    assert result["articles"] == 19 and result["stories"] >= 3
    assert set(result["stage_cpu_seconds"]) >= {
        "ingest",
        "clean",
        "store",
        "cluster",
        "summarize",
        "compare",
        "save",
        "other",
    }
    staged = sum(result["stage_cpu_seconds"].values())
    assert abs(staged - result["cpu_seconds"]) <= 0.01 + 0.001 * len(result["stage_cpu_seconds"])
    assert str(result["articles"]) in render(result)
