"""HTML main-text extraction scored on the scrapinghub article-extraction benchmark.

The benchmark's own metric: tokens `\\w+`, 4-gram shingles counted with
multiplicity, per-document precision and recall (each document's counts
normalised to sum to one), averaged over the documents, F1 of the two means.
newsfuse is run beside plain trafilatura (defaults) in the same command, and
every published output under `output/` is scored on the same pages.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from newsfuse.clean import clean, extract_html
from newsfuse.models import Article

_TOKEN = re.compile(r"\w+", re.UNICODE)
Extractor = Callable[[str, str | None], str]


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle counts of one document, normalised to sum to one."""
    expected, predicted = _shingles(true), _shingles(pred)
    tp = float(sum((expected & predicted).values()))
    fp = sum(predicted.values()) - tp
    fn = sum(expected.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(counts: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision and recall over documents, and F1 of the two means."""
    rows = list(counts)
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in rows if tp + fp > 0]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in rows if tp + fn > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def _load(data: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    root = data / "scrapinghub" if (data / "scrapinghub").is_dir() else data
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file():
        raise FileNotFoundError(f"no scrapinghub ground truth under {data}")
    truth: dict[str, dict[str, str]] = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = {}
    for key in truth:
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages[key] = raw.decode("utf-8", errors="replace")
    return truth, pages


def newsfuse_text(html: str, url: str | None) -> str:
    """What newsfuse stores as an HTML page's article text."""
    page = extract_html(html, url)
    article = clean(Article(id=url or "page", text=page.text, url=url, title=page.title))
    return article.text


def trafilatura_default(html: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


EXTRACTORS: dict[str, Extractor] = {
    "newsfuse": newsfuse_text,
    "trafilatura (default)": trafilatura_default,
}


def _run(extractor: Extractor, truth: dict[str, dict[str, str]], pages: dict[str, str]) -> dict[str, str]:
    return {key: extractor(pages[key], truth[key].get("url")) for key in truth}


def evaluate(
    data: Path, systems: tuple[str, ...] = tuple(EXTRACTORS), published: bool = True
) -> dict[str, Any]:
    """Score newsfuse, plain trafilatura and every published output on the pages."""
    truth, pages = _load(Path(data))
    rows: dict[str, dict[str, Any]] = {}
    for name in systems:
        started = time.perf_counter()
        predicted = _run(EXTRACTORS[name], truth, pages)
        seconds = time.perf_counter() - started
        counts = [tp_fp_fn(truth[k].get("articleBody", ""), predicted[k]) for k in truth]
        rows[name] = {**score(counts), "pages_per_s": round(len(truth) / seconds, 1), "run": "here"}
    root = Path(data) / "scrapinghub" if (Path(data) / "scrapinghub").is_dir() else Path(data)
    if published:
        for path in sorted((root / "output").glob("*.json")):
            output = json.loads(path.read_text(encoding="utf-8"))
            counts = [
                tp_fp_fn(truth[k].get("articleBody", ""), (output.get(k) or {}).get("articleBody") or "")
                for k in truth
            ]
            rows[path.stem] = {**score(counts), "run": "published"}
    return {"pages": len(truth), "systems": rows}


def render(result: dict[str, Any]) -> str:
    """A plain-text table, best F1 first."""
    lines = [f"scrapinghub article extraction, {result['pages']} pages", ""]
    lines.append(f"{'system':<24} {'F1':>6} {'prec':>6} {'recall':>6}  source")
    ranked = sorted(result["systems"].items(), key=lambda item: -item[1]["f1"])
    for name, row in ranked:
        lines.append(
            f"{name:<24} {row['f1']:>6.3f} {row['precision']:>6.3f} {row['recall']:>6.3f}  {row['run']}"
        )
    return "\n".join(lines)


def _throughput_chunk(items: list[tuple[str, str | None]]) -> float:
    """Extract and clean `items`; the CPU seconds this process spent."""
    started = time.process_time()
    for html, url in items:
        newsfuse_text(html, url)
    return time.process_time() - started


def throughput(pages: list[tuple[str, str | None]], workers: int) -> dict[str, float]:
    """Pages per second of extraction plus cleaning with `workers` processes:
    by wall clock, and by CPU time (pages per CPU-second, which a shared,
    loaded machine does not distort as much)."""
    started = time.perf_counter()
    if workers <= 1:
        cpu = _throughput_chunk(pages)
    else:
        chunks = [pages[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            cpu = sum(pool.map(_throughput_chunk, chunks))
    wall = time.perf_counter() - started
    return {
        "pages_per_s_wall": round(len(pages) / wall, 1),
        "cpu_ms_per_page": round(1000 * cpu / len(pages), 1),
        "pages_per_cpu_s": round(len(pages) / cpu, 1),
    }


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    """Write extraction.json: the score table and pages/s of extraction + cleaning."""
    result = evaluate(data_dir)
    truth, pages = _load(Path(data_dir))
    items = [(pages[k], truth[k].get("url")) for k in truth]
    cores = min(2, os.cpu_count() or 1)
    one, many = throughput(items, 1), throughput(items, cores)
    result["speed"] = {
        "1_process": one,
        f"{cores}_processes": many,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "note": (
            "trafilatura extraction + newsfuse post-cleaning and clean(), whole dev set; "
            f"ideal {cores}-core rate = {cores} x pages_per_cpu_s; wall rates suffer on a shared machine"
        ),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "extraction.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result
