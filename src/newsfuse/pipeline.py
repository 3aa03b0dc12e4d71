"""The main job as a short loop over the stages.

ingest -> clean -> store -> cluster -> (dedupe, summarize, compare) per story -> store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

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
        chains=tuple(find_copies(ordered, cfg.dedupe)),
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
    """Cluster the articles and write up every story whose membership changed."""
    existing = existing or {}
    assignment = assign_stories(articles, cfg.cluster, existing)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[assignment[article.id]].append(article)
    before: dict[str, set[str]] = defaultdict(set)
    for article_id, story_id in existing.items():
        before[story_id].add(article_id)
    changed = [sid for sid, group in members.items() if {a.id for a in group} != before.get(sid)]
    stories = []
    for done, story_id in enumerate(sorted(changed), start=1):
        stories.append(make_story(story_id, members[story_id], cfg))
        progress("stories", done, len(changed))
    return stories


def add_articles(
    items: Iterable[Article | Skipped],
    store: Store,
    cfg: DigestConfig = DigestConfig(),
    progress: Progress = _no_progress,
    on_skip: Callable[[Skipped], None] | None = None,
) -> DigestResult:
    """Store cleaned articles and rebuild the stories they join or start."""
    added: list[Article] = []
    skipped: list[Skipped] = []
    already = 0
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
            if on_skip:
                on_skip(item)
        elif store.add_article(item):
            added.append(item)
        else:
            already += 1
    stories = build_stories(store.articles(), cfg, store.assignments(), progress)
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
