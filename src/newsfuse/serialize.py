"""Models to and from JSON-able dicts.

`to_data` / `from_data` are lossless (the store keeps stories this way);
`story_json` and `article_json` are the public shapes printed by the CLI and
served by the API.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from functools import cache
from typing import Any, TypeVar

from newsfuse.models import Article, Story

T = TypeVar("T")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_data(value: object) -> Any:
    """A dataclass tree as plain JSON-able data (dates as ISO strings)."""
    # Scalars first, then field names cached per class: a stored story is a
    # tree of ~100k values, walked once per save.
    cls: type = type(value)
    if cls in _SCALARS:
        return value
    if cls is tuple or cls is list:
        return [to_data(v) for v in value]  # type: ignore[attr-defined]
    names = _field_names(cls)
    if names is not None:
        return {name: to_data(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The dataclass's field names, or None when `cls` is no dataclass."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass tree written by `to_data`."""
    return typing.cast(T, _convert(cls, data))


def _convert(annotation: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _convert(options[0], data)
    if origin is tuple:
        item_type = typing.get_args(annotation)[0]
        return tuple(_convert(item_type, v) for v in data)
    if annotation is date:
        return date.fromisoformat(data)
    if dataclasses.is_dataclass(annotation):
        hints = _hints(annotation)  # type: ignore[arg-type]
        names = {f.name for f in dataclasses.fields(annotation)}
        build: Any = annotation
        return build(**{k: _convert(hints[k], v) for k, v in data.items() if k in names})
    return data


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def article_json(article: Article, *, with_text: bool = True) -> dict[str, Any]:
    """The public JSON of an article."""
    data: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": _iso(article.published),
        "author": article.author,
        "dateline": article.dateline,
        "language": article.language,
        "flags": [to_data(f) for f in article.flags],
    }
    if with_text:
        data["text"] = article.text
        data["removed"] = list(article.removed)
    return data


def story_json(story: Story, *, full: bool = True) -> dict[str, Any]:
    """The public JSON of a story: ids, write-up with citations, comparison."""
    data: dict[str, Any] = {
        "id": story.id,
        "headline": story.headline,
        "articles": list(story.article_ids),
        "outlets": list(story.outlets),
        "independent_sources": story.independent_sources,
        "first_published": _iso(story.first_published),
        "last_published": _iso(story.last_published),
    }
    if not full:
        return data
    data.update(story.writeup.as_json())
    data["chains"] = [to_data(c) for c in story.chains]
    data.update(_comparison_sections(story))
    return data


def _comparison_sections(story: Story) -> dict[str, Any]:
    # Imported here: the compare stage (and its regex tables) is not needed to
    # load and save models, which the store and the CLI do at start-up.
    from newsfuse.compare import comparison_to_json

    return dict(comparison_to_json(story.comparison))
