"""`newsfuse eval summaries`: DUC 2004, Multi-News and DUC 2006, newsfuse beside baselines.

Each system ranks sentences under the word limit; its last pick may run over
and is cut, as DUC cut submissions to the limit. newsfuse is the default
(coverage) summarizer; Lead, LexRank, TextRank and Centroid are this
package's own implementations (`newsfuse.summarizers`), run on the same
sentence units in the same command.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsfuse.eval import rouge
from newsfuse.models import Article
from newsfuse.sentences import build_corpus
from newsfuse.summarize import SummaryConfig, order, select, summarize
from newsfuse.summarizers import Selection, Selector

SYSTEMS = {
    "newsfuse": "default",
    "lead": "lead",
    "lexrank": "lexrank",
    "textrank": "textrank",
    "centroid": "centroid",
}


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]
    query: str | None = None


# ---- loaders ---------------------------------------------------------------------------------


def load_duc2004(root: Path) -> Iterator[Cluster]:
    for folder in sorted((root / "docs").iterdir()):
        articles = tuple(
            Article(id=p.name, text=p.read_text(errors="replace").strip(), key=f"{folder.name}/{p.name}")
            for p in sorted(folder.iterdir())
            if p.is_file() and p.stat().st_size > 0
        )
        refs = tuple(
            p.read_text(errors="replace") for p in sorted((root / "references" / folder.name).iterdir())
        )
        yield Cluster(folder.name, articles, refs)


def _tag(doc: str, name: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", doc, re.S)
    return match.group(1).strip() if match else ""


def _duc2006_article(path: Path) -> Article:
    doc = path.read_text(errors="replace")
    body = _tag(doc, "TEXT")
    paragraphs = re.split(r"\s*</?P>\s*", body) if "<P>" in body else re.split(r"\n\s*\n", body)
    # Lines are wrapped inside paragraphs: join them, keep paragraph breaks.
    text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    stamp = re.search(
        r"((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])", f"{path.name} {_tag(doc, 'DATE_TIME')}"
    )
    published = date(int(stamp[1]), int(stamp[2]), int(stamp[3])) if stamp else None
    title = " ".join(_tag(doc, "HEADLINE").split()) or None
    return Article(id=path.name, text=text, title=title, published=published, key=path.name)


def load_duc2006(root: Path) -> Iterator[Cluster]:
    topics = (root / "topics.sgml").read_text(errors="replace")
    queries = {
        _tag(t, "num"): f"{_tag(t, 'title')}. {' '.join(_tag(t, 'narr').split())}"
        for t in re.findall(r"<topic>(.*?)</topic>", topics, re.S)
    }
    models = sorted((root / "models").iterdir())
    for folder in sorted((root / "docs").iterdir()):
        prefix = f"{folder.name[:-1]}.M.250.{folder.name[-1]}."
        refs = tuple(p.read_text(errors="replace") for p in models if p.name.startswith(prefix))
        articles = tuple(_duc2006_article(p) for p in sorted(folder.iterdir()) if p.is_file())
        yield Cluster(folder.name, articles, refs, queries.get(folder.name))


def load_multinews(root: Path) -> Iterator[Cluster]:
    with (root / "multi_news.jsonl").open() as lines:
        for n, line in enumerate(lines):
            row = json.loads(line)
            passages = re.split(r"(?m)^Passage \d+:\n", row["context"])
            articles = tuple(
                Article(id=f"p{i}", text=p.replace("NEWLINE_CHAR", "\n").strip(), key=f"{n}/{i}")
                for i, p in enumerate(passages)
                if p.strip()
            )
            yield Cluster(str(row.get("_id", n)), articles, tuple(row["answers"][:1]))


# ---- running systems -------------------------------------------------------------------------


def system_summary(
    articles: Sequence[Article], method: str, limit: int, query: str | None, selector: Selector | None = None
) -> str:
    """A summary of exactly `limit` words at most: picks in summary order, the last one cut.

    `selector`, when given, picks instead of the `method` summarizer (a variant under test).
    """
    corpus = build_corpus(articles)
    if selector is not None:
        picked = selector(corpus, Selection(limit, query, overflow=True))
    else:
        picked = select(corpus, SummaryConfig(method=method, query=query), limit, overflow=True)
    if not picked:
        return ""
    texts = {i: corpus.units[i].text for i in picked}
    last = picked[-1]
    spare = limit - sum(len(texts[i].split()) for i in picked[:-1])
    if spare >= len(texts[last].split()):
        return rouge.cut(" ".join(texts[i] for i in order(corpus, picked)), limit)
    # The pick that runs over is cut, and goes last, as a truncated submission ends.
    texts[last] = rouge.cut(texts[last], spare)
    return " ".join(texts[i] for i in [*order(corpus, picked[:-1]), last] if texts[i])


def _run(
    clusters: list[Cluster],
    limit: int,
    systems: Sequence[str],
    score: Any,
    tokenize: rouge.Tokenize | None,
    longbench: bool,
    use_query: bool,
) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for system in systems:
        rows = []
        for cluster in clusters:
            query = cluster.query if use_query else None
            summary = system_summary(cluster.articles, SYSTEMS[system], limit, query)
            row = rouge.multi_ref(summary, cluster.references, score, tokenize)
            if longbench:
                row["longbench_rougeL"] = rouge.longbench_rouge_l(summary, cluster.references[0])
            rows.append(row)
        table[system] = {k: round(100 * statistics.mean(r[k] for r in rows), 2) for k in rows[0]}
    return table


DATASETS = {
    # name: (folder, loader, word limit, headline metrics)
    "duc2004": ("duc2004", load_duc2004, 100, ("rouge1_r", "rouge2_r", "rougeL_r")),
    "multinews": ("multinews", load_multinews, 223, ("rouge1_f", "rouge2_f", "rougeL_f", "longbench_rougeL")),
    "duc2006": ("duc2006", load_duc2006, 250, ("rouge1_r", "rouge2_r", "rougeSU4_r")),
}


def evaluate(data: Path, **options: Any) -> dict[str, Any]:
    """Score newsfuse and the baselines on every dataset found under `data`.

    Options: `datasets` (names), `systems` (names from SYSTEMS), `limit` (clusters per dataset).
    """
    names = options.get("datasets") or list(DATASETS)
    systems = options.get("systems") or list(SYSTEMS)
    score = rouge.scorer()
    result: dict[str, Any] = {}
    for name in names:
        folder, loader, limit, shown = DATASETS[name]
        root = Path(data) / folder
        if not root.exists():
            result[name] = {"skipped": f"{root} not found"}
            continue
        clusters = list(loader(root))[: options.get("limit")]
        table = _run(
            clusters,
            limit,
            systems,
            score,
            rouge.stemmed_tokenizer() if name == "duc2006" else None,
            longbench=name == "multinews",
            use_query=name == "duc2006",
        )
        result[name] = {
            "clusters": len(clusters),
            "words": limit,
            "metrics": list(shown),
            "systems": {s: {m: v for m, v in row.items() if m in shown} for s, row in table.items()},
        }
    return result


def render(result: dict[str, Any]) -> str:
    lines: list[str] = []
    for name, block in result.items():
        if not isinstance(block, dict) or "systems" not in block:
            if isinstance(block, dict) and "skipped" in block:
                lines.append(f"{name}: skipped ({block['skipped']})")
            continue
        metrics = block["metrics"]
        lines.append(f"{name}  ({block['clusters']} clusters, {block['words']} words, ROUGE x100)")
        lines.append("  " + f"{'system':<10}" + "".join(f"{m:>18}" for m in metrics))
        for system, row in block["systems"].items():
            lines.append(
                "  " + f"{system:<10}" + "".join(f"{row.get(m, float('nan')):>18.2f}" for m in metrics)
            )
        lines.append("")
    if "speed" in result:
        lines.append(
            f"speed: {result['speed']['median_ms']:.1f} ms CPU median per 10-article DUC 2004 cluster"
        )
    return "\n".join(lines)


def speed(data: Path, repeats: int = 3) -> dict[str, float]:
    """Median time of `summarize` (splitting included) on the DUC 2004 clusters, after loading.

    `median_ms` and `p95_ms` are CPU time (time.process_time): the bench machine is
    shared, and wall-clock time there measures the neighbours; `wall_median_ms` is
    wall-clock time.
    """
    clusters = list(load_duc2004(Path(data) / "duc2004"))
    cfg = SummaryConfig(summary_words=100)
    summarize(clusters[0].articles, cfg)  # warm imports and caches once
    times, walls = [], []
    for _ in range(repeats):
        for cluster in clusters:
            started, cpu = time.perf_counter(), time.process_time()
            summarize(cluster.articles, cfg)
            times.append(1000 * (time.process_time() - cpu))
            walls.append(1000 * (time.perf_counter() - started))
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(sorted(times)[int(0.95 * len(times))], 2),
        "wall_median_ms": round(statistics.median(walls), 2),
        "clusters": len(clusters),
        "articles_per_cluster": round(statistics.mean(len(c.articles) for c in clusters), 1),
    }


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    if not (Path(data_dir) / "duc2004").exists():
        raise FileNotFoundError(f"{data_dir}/duc2004 not found")
    result = evaluate(data_dir)
    result["speed"] = speed(data_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "summaries.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:  # python -m newsfuse.eval.summaries [DATA] [dataset...]
    import sys

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    result = evaluate(data, datasets=sys.argv[2:] or None)
    print(render(result))


if __name__ == "__main__":
    main()


__all__ = ["DATASETS", "SYSTEMS", "bench", "evaluate", "render", "speed"]
