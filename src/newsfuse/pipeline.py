"""The main job as a short loop over the stages.

ingest -> clean -> store -> cluster -> (dedupe, summarize, compare) per story -> store.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import timedelta

from newsfuse.clean import CleanConfig, clean
from newsfuse.cluster import ClusterConfig, assign_stories
from newsfuse.compare import CompareConfig, compare
from newsfuse.dedupe import DedupeConfig, find_copies
from newsfuse.ingest import IngestConfig, ingest
from newsfuse.models import Article, Skipped, Story
from newsfuse.store import Store
from newsfuse.summarize import SummaryConfig, summarize

# Called as progress(stage, done, total); total is None while unknown.
Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    del stage, done, total


@dataclass(frozen=True, slots=True)
class DigestConfig:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    summary: SummaryConfig = field(default_factory=SummaryConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    # Processes that write up stories side by side. The CLI uses every core;
    # the default stays 1 because forking inside a threaded server is unsafe.
    workers: int = 1


# Below this many stories per worker a process pool costs more than it saves.
STORIES_PER_WORKER = 8


@dataclass(frozen=True, slots=True)
class DigestResult:
    added: tuple[Article, ...]
    already_stored: int
    skipped: tuple[Skipped, ...]
    stories: tuple[Story, ...]  # the stories this run created or changed


def load(
    sources: Sequence[str], cfg: DigestConfig = DigestConfig(), progress: Progress = _no_progress
) -> Iterator[Article | Skipped]:
    """Ingest and clean: cleaned articles, or why an input was skipped."""
    for done, item in enumerate(ingest(sources, cfg.ingest), start=1):
        progress("ingest", done, None)
        if isinstance(item, Skipped):
            yield item
            continue
        article = clean(item, cfg.clean)
        if article.text.strip():
            yield article
        else:
            yield Skipped(item.source_path or item.id, "no article text left after cleaning")


def make_story(story_id: str, articles: Sequence[Article], cfg: DigestConfig = DigestConfig()) -> Story:
    """Dedupe, summarize and compare one story's articles."""
    ordered = sorted(articles, key=lambda a: (a.published is None, a.published, a.id))
    dates = [a.published for a in ordered if a.published]
    return Story(
        id=story_id,
        article_ids=tuple(a.id for a in ordered),
        writeup=summarize(ordered, cfg.summary),
        outlets=tuple(dict.fromkeys(a.outlet or a.id for a in ordered)),
        # One article copies nothing: skip the copy finder's set-up (shingles,
        # LSH), which costs as much as a real search on a one-article story.
        chains=tuple(find_copies(ordered, cfg.dedupe)) if len(ordered) > 1 else (),
        comparison=compare(ordered, cfg.compare),
        first_published=min(dates) if dates else None,
        last_published=max(dates) if dates else None,
    )


def build_stories(
    articles: Sequence[Article],
    cfg: DigestConfig = DigestConfig(),
    existing: Mapping[str, str] | None = None,
    progress: Progress = _no_progress,
) -> list[Story]:
    """Cluster the articles and write up every story whose membership changed.

    `articles` may be part of a larger store, as long as it holds every
    member of each story it touches (see `add_articles`): `existing` then
    holds those articles' assignments."""
    existing = existing or {}
    assignment = assign_stories(articles, cfg.cluster, existing)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[assignment[article.id]].append(article)
    before: dict[str, set[str]] = defaultdict(set)
    for article_id, story_id in existing.items():
        before[story_id].add(article_id)
    changed = sorted(sid for sid, group in members.items() if {a.id for a in group} != before.get(sid))
    return list(_write_ups([(sid, members[sid]) for sid in changed], cfg, progress))


def _make_story_job(job: tuple[str, Sequence[Article], DigestConfig]) -> Story:
    return make_story(*job)


def _write_ups(
    groups: Sequence[tuple[str, Sequence[Article]]], cfg: DigestConfig, progress: Progress
) -> Iterator[Story]:
    """`make_story` for each group, in order; in a process pool when it pays."""
    workers = min(cfg.workers, len(groups) // STORIES_PER_WORKER)
    # Workers are forked (no start-up imports); a loaded NLP model is not
    # shipped to them, nor is there a fork on every platform.
    if cfg.compare.nlp is not None or "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    if workers < 2:
        for done, (story_id, articles) in enumerate(groups, start=1):
            yield make_story(story_id, articles, cfg)
            progress("stories", done, len(groups))
        return
    # Only the write-up settings travel to the workers (an injected HTTP
    # client cannot be pickled, and they do not fetch anything).
    light = replace(cfg, ingest=IngestConfig())
    jobs = [(story_id, articles, light) for story_id, articles in groups]
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for done, story in enumerate(pool.map(_make_story_job, jobs, chunksize=chunk), start=1):
            yield story
            progress("stories", done, len(groups))


# Articles are stored in batches of this many, one transaction each.
STORE_BATCH = 256


def _store_all(
    items: Iterable[Article | Skipped],
    store: Store,
    on_skip: Callable[[Skipped], None] | None,
) -> tuple[list[Article], int, list[Skipped]]:
    """Store the articles in batches: those added (as stored), how many were
    known already, and what was skipped."""
    added: list[Article] = []
    skipped: list[Skipped] = []
    already = 0
    batch: list[Article] = []

    def flush() -> None:
        nonlocal already
        for stored in store.add_articles(batch):
            if stored is None:
                already += 1
            else:
                added.append(stored)
        batch.clear()

    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
            if on_skip:
                on_skip(item)
            continue
        batch.append(item)
        if len(batch) >= STORE_BATCH:
            flush()
    flush()
    return added, already, skipped


def _clustering_input(
    store: Store, fresh: Sequence[Article], window_days: int
) -> tuple[list[Article], dict[str, str]]:
    """What the clusterer needs to place the new articles, and its assignments.

    The new articles (this run's, and any a killed run stored without a
    story); every article published within `window_days` before them (a new
    article is compared with those only) and the undated (which fit any
    window); and the other articles of the stories those belong to, so a
    story is judged, and written up, with all of its members.

    Term weights then come from the loaded articles rather than the whole
    history, so a digest fed run by run is close to, not identical with, a
    one-shot digest (5,958 of 6,000 synthetic articles got the same story
    when fed a day at a time); storing running document frequencies would
    make them equal."""
    have = {a.id for a in fresh}
    new = [*fresh, *store.articles_by_id(store.unassigned_ids() - have)]
    if not new:
        return [], {}
    skip = {a.id for a in new}
    dates = [a.published for a in new if a.published]
    if dates:
        start = min(dates) - timedelta(days=window_days)
        window = store.articles_published(start, max(dates), skip=skip)
    else:
        window = store.undated_articles(skip=skip)
    existing = store.assignments([a.id for a in window])
    members = store.story_members(set(existing.values()))
    loaded = skip | existing.keys()
    rest = store.articles_by_id(members.keys() - loaded)
    existing.update({a.id: members[a.id] for a in rest})
    return [*window, *rest, *new], existing


def add_articles(
    items: Iterable[Article | Skipped],
    store: Store,
    cfg: DigestConfig = DigestConfig(),
    progress: Progress = _no_progress,
    on_skip: Callable[[Skipped], None] | None = None,
) -> DigestResult:
    """Store cleaned articles and rebuild the stories they join or start.

    Only what the clusterer needs to place the new articles is read back
    (see `_clustering_input`), so a digest's cost follows what it adds and the
    stories it touches, not the size of the store."""
    added, already, skipped = _store_all(items, store, on_skip)
    articles, existing = _clustering_input(store, added, cfg.cluster.window_days)
    stories = build_stories(articles, cfg, existing, progress) if articles else []
    store.save_stories(stories)
    return DigestResult(tuple(added), already, tuple(skipped), tuple(stories))


def digest(
    sources: Sequence[str],
    store: Store,
    cfg: DigestConfig = DigestConfig(),
    progress: Progress = _no_progress,
    on_skip: Callable[[Skipped], None] | None = None,
) -> DigestResult:
    """The main job: new articles from `sources` into the store, their stories rebuilt."""
    return add_articles(load(sources, cfg, progress), store, cfg, progress, on_skip)
