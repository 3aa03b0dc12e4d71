"""Large synthetic news corpora for the scale bench and the equivalence tests.

Real articles grouped by real event (DUC 2004 clusters, Multi-News clusters,
MMDS 2025 gold events, read from the shared data folder) are replayed as many
times as needed, each replay in its own three-week period so replays of one
event never fall in one clustering window. Every replayed article drops one
sentence (so no two replays are identical text) and a share of them get a
planted wire copy: another outlet, the same day, one sentence dropped and an
agency line added. Each record carries its true event (`event`) so a run can
be scored.
"""

from __future__ import annotations

import ast
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_OUTLETS = (
    "Daily Lantern", "Northgate Post", "Meridian Wire", "Coastline Today", "Korvala Herald",
    "The Ledger", "Brennick Courier", "Evening Standard-Bearer", "Harbour Times", "Valley Gazette",
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


@dataclass(frozen=True, slots=True)
class SourceArticle:
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    articles: int = 10_000
    duplicate_rate: float = 0.05  # share of articles that get a planted wire copy
    period_days: int = 21  # replays of one event are this far apart: three clustering windows
    start: date = date(2001, 1, 1)
    seed: int = 13


def _duc2004(data_dir: Path) -> Iterator[list[SourceArticle]]:
    for folder in sorted((data_dir / "duc2004" / "docs").glob("*")):
        docs = [SourceArticle(None, p.read_text(errors="replace").strip()) for p in sorted(folder.iterdir())]
        yield [d for d in docs if d.text]


def _multinews(data_dir: Path) -> Iterator[list[SourceArticle]]:
    path = data_dir / "multinews" / "multi_news.jsonl"
    for line in path.read_text().splitlines():
        context = json.loads(line)["context"].replace("NEWLINE_CHAR", "\n")
        passages = re.split(r"(?m)^Passage \d+:\s*$", context)
        yield [SourceArticle(None, p.strip()) for p in passages if len(p.split()) > 40]


def _mmds(data_dir: Path) -> Iterator[list[SourceArticle]]:
    data = json.loads((data_dir / "mmds2025" / "mds_ac_dev_final.json").read_text())
    groups: dict[str, list[SourceArticle]] = defaultdict(list)
    for n, (article, gold) in enumerate(zip(data["articles"], data["clusters"], strict=True)):
        sentences = article["sentences"]
        if isinstance(sentences, str):
            sentences = ast.literal_eval(sentences)
        text = " ".join(s["content"] for s in sentences)
        # Gold id 166 is a bucket of unrelated articles: each is its own event.
        groups[f"solo{n}" if str(gold) == "166" else str(gold)].append(
            SourceArticle(article.get("title"), text)
        )
    yield from groups.values()


def source_events(data_dir: Path) -> list[list[SourceArticle]]:
    """Real events, each a list of articles about it (raises FileNotFoundError without the data)."""
    events = [*_duc2004(data_dir), *_multinews(data_dir), *_mmds(data_dir)]
    return [e for e in events if e]


def _drop_one_sentence(text: str, rng: random.Random) -> str:
    sentences = _SENTENCE_END.split(text)
    if len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences))]  # keep the lead: it carries the event
    return " ".join(sentences)


def synthesize(
    events: list[list[SourceArticle]], cfg: CorpusConfig | None = None
) -> Iterator[dict[str, Any]]:
    """`cfg.articles` JSONL records (id, url, title, text, published, outlet, event)."""
    cfg = cfg or CorpusConfig()
    rng = random.Random(cfg.seed)
    made = 0
    replay = 0
    while made < cfg.articles:
        base = cfg.start + timedelta(days=replay * cfg.period_days)
        for e, event in enumerate(events):
            day = base + timedelta(days=rng.randrange(0, 7))
            for a, source in enumerate(event):
                if made >= cfg.articles:
                    return
                ident = f"r{replay}-e{e}-a{a}"
                outlet = _OUTLETS[(e + a) % len(_OUTLETS)]
                published = day + timedelta(days=rng.randrange(0, 2))
                text = _drop_one_sentence(source.text, rng)
                yield _record(ident, outlet, source.title, text, published, f"{replay}-{e}")
                made += 1
                if made < cfg.articles and rng.random() < cfg.duplicate_rate:
                    copy_outlet = _OUTLETS[(e + a + 5) % len(_OUTLETS)]
                    copy = f"{_drop_one_sentence(text, rng)}\n\n(Reporting by {outlet}; distributed by wire)"
                    yield _record(
                        ident + "-copy", copy_outlet, source.title, copy, published, f"{replay}-{e}"
                    )
                    made += 1
        replay += 1


def _record(
    ident: str, outlet: str, title: str | None, text: str, published: date, event: str
) -> dict[str, Any]:
    slug = outlet.lower().replace(" ", "-")
    return {
        "id": ident,
        "url": f"https://{slug}.example/{ident}",
        "title": title,
        "text": text,
        "published": published.isoformat(),
        "outlet": outlet,
        "event": event,
    }


def write_corpus(data_dir: Path, folder: Path, cfg: CorpusConfig | None = None, per_file: int = 1000) -> int:
    """Write a synthetic corpus as JSONL part files (small enough for the
    single-machine ingest's per-file cap) under `folder`; returns the record count."""
    folder.mkdir(parents=True, exist_ok=True)
    records = list(synthesize(source_events(data_dir), cfg))
    for start in range(0, len(records), per_file):
        lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records[start : start + per_file])
        (folder / f"part-{start // per_file:05d}.jsonl").write_text("".join(lines))
    return len(records)
