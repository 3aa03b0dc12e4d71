"""Input records to cleaned articles, the way the single-machine path does it.

Spark hands executors either whole files (path, bytes) or JSONL lines; both go
through the same ingest and clean code as `newsfuse digest`, so an article gets
the same id, text, metadata and key on either path. No Spark here.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterable, Iterator

from newsfuse import ingest as ingest_stage
from newsfuse.clean import CleanConfig, clean
from newsfuse.ingest import IngestConfig
from newsfuse.models import Article, Skipped

Item = Article | Skipped


def _origin(path: str) -> ingest_stage.Origin:
    # ingest keeps its byte-level entry private; this is its one caller outside ingest.
    # A local file keeps the plain path `newsfuse digest` would record.
    local = path.removeprefix("file://") if path.startswith("file:///") else path.removeprefix("file:")
    return ingest_stage.Origin(source=local, name=posixpath.basename(path.rstrip("/")), url=None)


def file_articles(path: str, data: bytes, cfg: IngestConfig | None = None) -> Iterator[Item]:
    """The raw articles in one file (text capture, HTML, feed, JSON or JSONL), sniffed by content."""
    cfg = cfg or IngestConfig()
    if len(data) > cfg.max_bytes:
        yield Skipped(path, f"too large: more than {cfg.max_bytes} bytes")
        return
    yield from ingest_stage.ingest_bytes(data, _origin(path), cfg.min_html_words)


def jsonl_article(line: str, path: str = "") -> Item | None:
    """The raw article of one JSONL line (None for a blank line).

    Without an `id`, a line read by Spark cannot know its line number, so its
    id is the file name and a hash of the line (the single-machine path uses the
    line number): give JSONL records ids.
    """
    if not line.strip():
        return None
    name = posixpath.basename(path) or "jsonl"
    default_id = f"{name}#{hashlib.sha1(line.encode()).hexdigest()[:12]}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(f"{path}:{default_id}", f"invalid JSON: {exc.msg} (column {exc.colno})")
    return ingest_stage.json_article(obj, f"{path}#{default_id}", default_id, _origin(path))


def cleaned(items: Iterable[Item | None], cfg: CleanConfig | None = None) -> Iterator[Item]:
    """Clean raw articles as `pipeline.load` does; an article left without text is skipped."""
    cfg = cfg or CleanConfig()
    for item in items:
        if item is None or isinstance(item, Skipped):
            if item is not None:
                yield item
            continue
        article = clean(item, cfg)
        if article.text.strip():
            yield article
        else:
            yield Skipped(item.source_path or item.id, "no article text left after cleaning")


def storage_key(article: Article) -> str:
    """The store's identity of an article (its key, else its id)."""
    return article.key or article.id


def first_of(a: Article, b: Article) -> Article:
    """Of two articles with one key, the one kept: deterministic whatever the read order."""
    return min(a, b, key=lambda x: (x.source_path or "", x.id))


def resolve_ids(articles: Iterable[Article]) -> Iterator[Article]:
    """Articles sharing one id but not one key, named as `ingest` names them
    within one run: the first in input order keeps the id, the next is
    qualified by its folder, later ones are numbered. Input order is the file
    path, then (Spark gives a line no line number) the storage key."""
    seen: set[str] = set()
    for article in sorted(articles, key=lambda a: (a.source_path or "", storage_key(a))):
        named = ingest_stage._unique_id(article, seen)
        seen.add(named.id)
        yield named
