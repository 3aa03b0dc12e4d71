"""The main commands: digest, stories, show, and the machine interfaces
summarize, cluster and extract."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsfuse.cli.common import (
    AllowPrivateOption,
    DbOption,
    JsonOption,
    PathsArgument,
    print_json,
    progress_bar,
    report_skip,
    store_or_exit,
)
from newsfuse.cli.serve import serve_command
from newsfuse.cluster import assign_stories
from newsfuse.ingest import IngestConfig
from newsfuse.models import Article, Skipped, Story
from newsfuse.pipeline import DigestConfig, digest, load
from newsfuse.render import story_markdown, story_text
from newsfuse.runtime import usable_cpus
from newsfuse.serialize import story_json
from newsfuse.store import Store
from newsfuse.summarize import SummaryConfig, summarize

console = Console()


def _config(allow_private: bool, workers: int = 1) -> DigestConfig:
    return DigestConfig(ingest=IngestConfig(allow_private=allow_private), workers=workers)


WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Processes writing up stories at once [default: all usable CPUs]."),
]


def _load_articles(paths: list[str], allow_private: bool) -> list[Article]:
    articles = []
    with progress_bar() as progress:
        for item in load(paths, _config(allow_private), progress):
            if isinstance(item, Skipped):
                report_skip(item)
            else:
                articles.append(item)
    return articles


def _stories_table(stories: list[Story]) -> Table:
    table = Table("story", "published", "articles", "outlets", "indep.", "headline")
    for story in stories:
        when = story.last_published.isoformat() if story.last_published else ""
        table.add_row(
            story.id,
            when,
            str(len(story.article_ids)),
            str(len(story.outlets)),
            str(story.independent_sources),
            story.headline,
        )
    return table


def digest_command(
    paths: PathsArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    allow_private: AllowPrivateOption = False,
    workers: WorkersOption = None,
) -> None:
    """The main job: ingest, clean, dedupe, cluster, summarize and store; print the stories."""
    store = store_or_exit(db)
    cfg = _config(allow_private, workers or usable_cpus())
    with progress_bar() as progress:
        result = digest(paths, store, cfg, progress, on_skip=report_skip)
    stories = store.stories()
    if as_json:
        print_json(
            {
                "added": len(result.added),
                "already_stored": result.already_stored,
                "skipped": [{"source": s.source, "reason": s.reason} for s in result.skipped],
                "changed_stories": [s.id for s in result.stories],
                "stories": [story_json(s) for s in stories],
            }
        )
        return
    console.print(
        f"{len(result.added)} new articles, {result.already_stored} already stored, "
        f"{len(result.skipped)} skipped; {len(result.stories)} stories written"
    )
    console.print(_stories_table(stories))
    changed = {s.id for s in result.stories}
    for story in stories:
        if story.id in changed:
            console.print()
            console.print(story_text(story, _story_articles(store, story)), markup=False, highlight=False)


def stories_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the stored stories, newest first."""
    stories = store_or_exit(db).stories()
    if as_json:
        print_json([story_json(s, full=False) for s in stories])
    else:
        console.print(_stories_table(stories))


def _story_articles(store: Store, story: Story) -> list[Article]:
    return [a for a in (store.article(i) for i in story.article_ids) if a is not None]


def _story_or_exit(store: Store, story_id: str) -> Story:
    story = store.story(story_id)
    if story is None:
        sys.stderr.write(f"no story {story_id!r} in {store.engine.url}\n")
        raise typer.Exit(1)
    return story


def show_command(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="A story id from `newsfuse stories`.")],
    db: DbOption = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text, md, json or html.", case_sensitive=False)
    ] = "text",
    as_json: JsonOption = False,
) -> None:
    """Show one story: headline, summary, cited account, sources and comparison."""
    store = store_or_exit(db)
    story = _story_or_exit(store, story_id)
    articles = _story_articles(store, story)
    fmt = "json" if as_json else output_format.lower()
    if fmt == "json":
        print_json(story_json(story))
    elif fmt == "md":
        sys.stdout.write(story_markdown(story, articles))
    elif fmt == "html":
        from newsfuse.web.pages import story_page_html

        sys.stdout.write(story_page_html(story, articles))
    elif fmt == "text":
        console.print(story_text(story, articles), markup=False, highlight=False)
    else:
        sys.stderr.write(f"unknown format {output_format!r}: use text, md, json or html\n")
        raise typer.Exit(2)


def summarize_command(
    paths: PathsArgument,
    words: Annotated[int, typer.Option("--words", help="At most this many words in the summary.")] = 100,
    query: Annotated[str | None, typer.Option("--query", help="Focus the summary on this question.")] = None,
    as_json: JsonOption = False,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Summarize all the input as one story (nothing is stored)."""
    articles = _load_articles(paths, allow_private)
    if not articles:
        sys.stderr.write("no usable articles in the input\n")
        raise typer.Exit(1)
    writeup = summarize(articles, SummaryConfig(summary_words=words, query=query))
    if as_json:
        print_json(writeup.as_json())
        return
    console.print(writeup.headline, style="bold", markup=False)
    for sentence in writeup.summary:
        console.print(f"- {sentence.text}", markup=False, highlight=False)


def cluster_command(
    paths: PathsArgument,
    as_json: JsonOption = False,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Group the input articles into stories (nothing is stored)."""
    articles = _load_articles(paths, allow_private)
    assignment = assign_stories(articles, DigestConfig().cluster)
    rows = [{"article": a.id, "story": assignment[a.id]} for a in articles]
    if as_json:
        print_json(rows)
        return
    table = Table("article", "story")
    for row in rows:
        table.add_row(row["article"], row["story"])
    console.print(table)


def extract_command(
    paths: PathsArgument,
    as_json: JsonOption = False,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Extract and clean each input's article: title, date, outlet and text."""
    for article in _load_articles(paths, allow_private):
        record = {
            "file": article.source_path or article.url or article.id,
            "id": article.id,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "outlet": article.outlet,
            "text": article.text,
        }
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            console.print(f"{record['file']}: {article.title or ''}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("digest")(digest_command)
    app.command("stories")(stories_command)
    app.command("show")(show_command)
    app.command("summarize")(summarize_command)
    app.command("cluster")(cluster_command)
    app.command("extract")(extract_command)
    app.command("serve")(serve_command)
