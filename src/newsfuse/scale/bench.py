"""Spark bench: a synthetic corpus digested in local[2]; throughput and the
projected time and cost per million articles, into `results_dir/spark.json`.

`NEWSFUSE_SPARK_BENCH_N` sets the corpus size (default 100,000).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

# Assumption stated in the output: an on-demand general-purpose cloud vCPU-hour
# (memory included) costs about this much in USD.
VCPU_HOUR_USD = 0.05
LOCAL_CORES = 2


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    from newsfuse.scale.corpus import CorpusConfig, write_corpus
    from newsfuse.scale.spark import SparkDigestConfig, spark_digest, spark_session, write_jsonl

    n = int(os.environ.get("NEWSFUSE_SPARK_BENCH_N", "100000"))
    work = Path(tempfile.mkdtemp(prefix="newsfuse-spark-bench-"))
    try:
        written = write_corpus(data_dir, work / "corpus", CorpusConfig(articles=n))
        session = spark_session(f"local[{LOCAL_CORES}]", "newsfuse-bench")
        session.sparkContext.setLogLevel("ERROR")
        started = time.perf_counter()
        stories, _, result = spark_digest(session, str(work / "corpus"), SparkDigestConfig())
        write_jsonl(stories, str(work / "stories"))
        wall = time.perf_counter() - started
        session.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per_second = result.articles / wall if wall else 0.0
    core_hours_per_million = LOCAL_CORES * wall / max(1, result.articles) * 1e6 / 3600
    figures: dict[str, Any] = {
        "requested_articles": n,  # NEWSFUSE_SPARK_BENCH_N; the target is 100,000
        "records": written,
        "articles": result.articles,
        "duplicates_dropped": result.duplicates,
        "stories": result.stories,
        "blocks": result.blocks,
        "largest_block": result.largest_block,
        "master": f"local[{LOCAL_CORES}]",
        "wall_seconds": round(wall, 1),
        "stage_seconds": {k: round(v, 1) for k, v in result.seconds.items()},
        "articles_per_second": round(per_second, 2),
        "projected": {
            "core_hours_per_million": round(core_hours_per_million, 1),
            "hours_per_million_on_2_cores": round(core_hours_per_million / LOCAL_CORES, 1),
            "hours_per_million_on_64_cores": round(core_hours_per_million / 64, 2),
            "usd_per_million": round(core_hours_per_million * VCPU_HOUR_USD, 2),
        },
        "assumptions": (
            f"cost = core-hours x {VCPU_HOUR_USD} USD per vCPU-hour (on-demand general-purpose cloud); "
            "time scales linearly with cores because every stage but the driver's union-find runs in "
            "partitions; Spark start-up and the driver's share are counted in the measured wall time"
        ),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "spark.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures
