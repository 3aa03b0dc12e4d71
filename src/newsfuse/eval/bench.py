"""`make bench`: run every benchmark and write its JSON under bench/results/.

Each entry names a `module:function` taking the results folder and the shared
data folder and returning the figures it wrote; modules are imported lazily so
one stage's missing optional dependency does not stop the others.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCHES: dict[str, str] = {
    "extraction": "newsfuse.eval.extraction:bench",
    "clustering": "newsfuse.eval.clustering:bench",
    "summaries": "newsfuse.eval.summaries:bench",
    "concept_model": "newsfuse.eval.concept_model:bench",
    "compare": "newsfuse.eval.compare_bench:bench",
    "digest": "newsfuse.eval.digest_bench:bench",
    "web": "newsfuse.web.loadtest:bench",
    "spark": "newsfuse.scale.bench:bench",
}


def _load(spec: str) -> Callable[[Path, Path], dict[str, object]]:
    module_name, function_name = spec.split(":")
    function: Callable[[Path, Path], dict[str, object]] = getattr(
        importlib.import_module(module_name), function_name
    )
    return function


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(BENCHES)
    results_dir = Path(os.environ.get("NEWSFUSE_BENCH_OUT", "bench/results"))
    data_dir = Path(os.environ.get("NEWSFUSE_DATA", "../shared/data"))
    results_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name in names:
        started = time.perf_counter()
        try:
            figures = _load(BENCHES[name])(results_dir, data_dir)
        except (ImportError, FileNotFoundError) as error:
            print(f"bench {name}: skipped ({error})")
            continue
        except Exception as error:  # one failing bench must not hide the others
            failures += 1
            print(f"bench {name}: FAILED ({type(error).__name__}: {error})")
            continue
        seconds = time.perf_counter() - started
        print(f"bench {name}: done in {seconds:.1f}s")
        print(json.dumps(figures, indent=2, default=str)[:2000])
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
