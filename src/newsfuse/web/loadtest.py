"""A bounded load run of the story page on loopback (`make bench`: web).

`serve_in_thread` runs an app under uvicorn on a free loopback port in a
background thread; the browser test uses it too. `bench` serves the seeds'
story (or a built-in sample story when the seeds are absent), fires rounds of
200 concurrent requests at its page with httpx.AsyncClient, and writes
latency percentiles and the error count to `results_dir/web.json`.
Client and server share one process (and its GIL), so latencies are an upper
bound of what a separate server would give.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from newsfuse.models import (
    Article,
    Citation,
    CitedSentence,
    Claim,
    Comparison,
    CopyChain,
    Entity,
    Quote,
    Story,
    TimelineEvent,
    WriteUp,
)
from newsfuse.store import Store, open_store
from newsfuse.text import split_sentences

CONCURRENCY = 200
ROUNDS = 5


@contextmanager
def serve_in_thread(app: FastAPI, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `app` on a free port of `host` in a daemon thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", backlog=2048)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


_SAMPLE_TEXTS = {
    "harbor-wire": (
        "Port Elsby, June 3 (Wire) - The harbor bridge in Port Elsby will close for repairs on June 10, "
        "the city's transport office said on Monday.\n"
        "The closure is expected to last six weeks. Engineers found corrosion in two support cables "
        "during an inspection in May.\n"
        '"Safety comes first," said transport chief Mara Quint. Ferries will run every 15 minutes '
        "while the bridge is shut."
    ),
    "coast-daily": (
        "The harbor bridge in Port Elsby will close for repairs on June 10, the city's transport office "
        "said on Monday.\n"
        "The closure is expected to last six weeks, officials said.\n"
        '"Safety comes first," said transport chief Mara Quint.'
    ),
    "elsby-times": (
        "Port Elsby's harbor bridge shuts from June 10 for about two months of cable repairs.\n"
        "Inspectors found corroded support cables in May, according to the transport office.\n"
        "Local shop owners fear the closure will cut trade. Extra ferries will run every 15 minutes."
    ),
}
_OUTLETS = {"harbor-wire": "Harbor Wire", "coast-daily": "Coast Daily", "elsby-times": "Elsby Times"}


def sample_articles() -> list[Article]:
    return [
        Article(
            id=article_id,
            text=text,
            outlet=_OUTLETS[article_id],
            title="Port Elsby harbor bridge to close",
            published=date(2024, 6, 3 + n),
            url=f"https://{article_id}.example/bridge",
            key=f"sample:{article_id}",
        )
        for n, (article_id, text) in enumerate(_SAMPLE_TEXTS.items())
    ]


def _cite(articles: dict[str, Article], *refs: tuple[str, int]) -> tuple[Citation, ...]:
    return tuple(Citation(split_sentences(articles[a])[i]) for a, i in refs)


def _line(articles: dict[str, Article], ref: tuple[str, int], *more: tuple[str, int]) -> CitedSentence:
    first = split_sentences(articles[ref[0]])[ref[1]]
    return CitedSentence(first.text, _cite(articles, ref, *more))


def sample_story(articles: list[Article]) -> Story:
    """A hand-built story over `sample_articles()`, every section filled."""
    by_id = {a.id: a for a in articles}
    summary = (
        _line(by_id, ("harbor-wire", 0), ("coast-daily", 0), ("elsby-times", 0)),
        _line(by_id, ("harbor-wire", 1), ("coast-daily", 1)),
    )
    account = (
        *summary,
        _line(by_id, ("harbor-wire", 2), ("elsby-times", 1)),
        _line(by_id, ("elsby-times", 2)),
    )
    outlets = tuple(_OUTLETS.values())
    claim = Claim(
        subject="harbor bridge closure",
        relation="lasts",
        value="P6W",
        kind="duration",
        surface="six weeks",
        evidence=_cite(by_id, ("harbor-wire", 1)),
        asserted_by=("Harbor Wire", "Coast Daily"),
        contradicted_by=("Elsby Times",),
    )
    comparison = Comparison(
        claims=(claim,),
        quotes=(
            Quote(
                "Mara Quint",
                "Safety comes first",
                True,
                ("Harbor Wire", "Coast Daily"),
                _cite(by_id, ("harbor-wire", 3)),
            ),
        ),
        entities=(
            Entity("Port Elsby", "place", 5, outlets=outlets),
            Entity("Mara Quint", "person", 2, "transport chief"),
        ),
        timeline=(
            TimelineEvent(
                "2024-06-10", "The harbor bridge closes for repairs.", _cite(by_id, ("harbor-wire", 0))
            ),
        ),
        outlets=outlets,
    )
    return Story(
        id="s0sample0000",
        article_ids=tuple(by_id),
        outlets=outlets,
        writeup=WriteUp("Port Elsby harbor bridge to close for repairs", summary, account),
        chains=(CopyChain("harbor-wire", ("coast-daily",), "near-duplicate", 0.82),),
        comparison=comparison,
        first_published=date(2024, 6, 3),
        last_published=date(2024, 6, 5),
    )


def sample_store(url: str) -> tuple[Store, str]:
    """A store holding the sample story; returns it and the story id."""
    store = open_store(url)
    articles = sample_articles()
    for article in articles:
        store.add_article(article)
    story = sample_story(articles)
    store.save_stories([story])
    return store, story.id


def seeds_store(url: str, seeds: Path) -> tuple[Store, str]:
    """A store with the seeds digested; returns it and the biggest story's id."""
    from newsfuse.pipeline import digest

    store = open_store(url)
    digest([str(seeds)], store)
    stories = store.stories()
    if not stories:
        raise RuntimeError(f"no story came out of {seeds}")
    return store, max(stories, key=lambda s: len(s.article_ids)).id


async def _one(client: httpx.AsyncClient, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return time.perf_counter() - started, type(exc).__name__
    elapsed = time.perf_counter() - started
    ok = response.status_code == 200 and 'class="cite"' in response.text
    return elapsed, "ok" if ok else f"HTTP {response.status_code}"


async def _hammer(url: str, concurrency: int, rounds: int) -> tuple[list[float], Counter[str], float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60.0) as client:
        await asyncio.gather(*(_one(client, url) for _ in range(10)))  # warm up
        latencies: list[float] = []
        outcomes: Counter[str] = Counter()
        started = time.perf_counter()
        for _ in range(rounds):
            results = await asyncio.gather(*(_one(client, url) for _ in range(concurrency)))
            latencies += [t for t, _ in results]
            outcomes.update(o for _, o in results)
        return latencies, outcomes, time.perf_counter() - started


def _percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def run_load(
    store: Store, story_id: str, concurrency: int = CONCURRENCY, rounds: int = ROUNDS
) -> dict[str, Any]:
    """Serve `store` on loopback and load its story page; the figures."""
    from newsfuse.web import create_app

    with serve_in_thread(create_app(store)) as base:
        latencies, outcomes, seconds = asyncio.run(_hammer(f"{base}/stories/{story_id}", concurrency, rounds))
    errors = sum(n for outcome, n in outcomes.items() if outcome != "ok")
    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "errors": errors,
        "outcomes": dict(outcomes),
        "p50_ms": round(_percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "requests_per_s": round(len(latencies) / seconds, 1),
    }


def bench(results_dir: Path, data_dir: Path) -> dict[str, Any]:
    """200 concurrent requests (x ROUNDS) to a story page; writes web.json."""
    seeds = data_dir.parent / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        if seeds.is_dir():
            store, story_id = seeds_store(url, seeds)
            source = "seeds"
        else:
            store, story_id = sample_store(url)
            source = "sample story (seeds absent)"
        try:
            figures = run_load(store, story_id)
        finally:
            store.close()
    figures = {
        "page": "/stories/{id}",
        "story_source": source,
        **figures,
        "note": "uvicorn (1 worker, in-process thread) and httpx.AsyncClient share one process on loopback",
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "web.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures
