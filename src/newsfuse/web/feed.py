"""The Atom feed of stories (RFC 4287), built with ElementTree so every
value is XML-escaped, and stripped of characters XML 1.0 cannot carry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, date, datetime

from newsfuse.models import Story
from newsfuse.web.pages import TITLE_CHARS, shorten

ATOM = "http://www.w3.org/2005/Atom"
# Control characters (other than tab and line breaks), lone surrogates and
# the two non-characters are not allowed in XML 1.0: a hostile article could
# otherwise make the whole feed unparseable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(day: date | None, fallback: datetime) -> str:
    if day is None:
        return fallback.isoformat(timespec="seconds")
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat(timespec="seconds")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _entry(feed: ET.Element, story: Story, base_url: str, now: datetime) -> None:
    entry = _sub(feed, "entry")
    link = f"{base_url}/stories/{story.id}"
    _sub(entry, "id", link)
    _sub(entry, "title", shorten(story.headline, TITLE_CHARS) or "Untitled story")
    _sub(entry, "link", href=link, rel="alternate", type="text/html")
    _sub(entry, "updated", _stamp(story.last_published, now))
    if story.first_published:
        _sub(entry, "published", _stamp(story.first_published, now))
    for outlet in story.outlets[:20]:
        _sub(_sub(entry, "author"), "name", shorten(outlet, 120))
    summary = " ".join(s.text for s in story.writeup.summary)
    counts = (
        f" ({len(story.article_ids)} articles, {len(story.outlets)} outlets, "
        f"{story.independent_sources} independent sources)"
    )
    _sub(entry, "summary", shorten(summary, 2_000) + counts, type="text")


def atom_feed(stories: Sequence[Story], base_url: str, now: datetime | None = None) -> bytes:
    """An Atom document listing `stories`; links are absolute under `base_url`."""
    now = now or datetime.now(UTC)
    base_url = base_url.rstrip("/")
    # A plain xmlns attribute rather than ET.register_namespace, which
    # changes a process-wide table.
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", f"{base_url}/feed.xml")
    _sub(feed, "title", "newsfuse stories")
    _sub(feed, "subtitle", "Cited write-ups of news stories, compared across outlets")
    _sub(feed, "link", href=f"{base_url}/feed.xml", rel="self", type="application/atom+xml")
    _sub(feed, "link", href=f"{base_url}/", rel="alternate", type="text/html")
    updated = max((s.last_published for s in stories if s.last_published), default=None)
    _sub(feed, "updated", _stamp(updated, now))
    for story in stories:
        _entry(feed, story, base_url, now)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
