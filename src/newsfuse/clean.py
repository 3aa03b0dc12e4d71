"""Cleaning stage: mojibake repair, boilerplate removal, metadata, quality flags.

`clean` works on plain text only (fast: precompiled regexes, no trafilatura);
HTML goes through `extract_html` at ingest time first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import ftfy

from newsfuse.boilerplate import BoilerplateConfig, is_widget, split_boilerplate, split_widgets
from newsfuse.metadata import (
    author_from_credit,
    clean_author,
    find_author,
    find_dateline,
    find_title,
    masthead,
    outlet_from_lines,
    outlet_from_url,
    outlet_name,
    publication_date,
)
from newsfuse.models import Article
from newsfuse.quality import QualityConfig, quality_flags

__all__ = [
    "CleanConfig",
    "ExtractedPage",
    "article_key",
    "clean",
    "extract_html",
    "normalise_url",
    "repair_text",
]


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """Main text and metadata pulled out of one HTML page."""

    text: str
    title: str | None
    published: date | None
    outlet: str | None
    author: str | None


@dataclass(frozen=True, slots=True)
class CleanConfig:
    remove_boilerplate: bool = True
    flags: bool = True
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)


# ftfy, but keeping the typography (curly quotes, full-width CJK punctuation)
# that a reader of the article would see.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)
# An NBSP read as latin-1 leaves `Â` (or `Ã‚` when encoded twice) before a
# space; ftfy keeps it when nothing else in the text is broken.
_LONE_A_CIRCUMFLEX = re.compile("(?:Ã‚|Â)(?=[ \u00a0\t\n])")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def repair_text(text: str) -> str:
    """Whole-document mojibake repair, then the `Â` case ftfy leaves alone."""
    # Mojibake needs non-ASCII characters, entities an `&`, escapes an ESC:
    # plain ASCII text has nothing for ftfy to fix (and it is the slow part).
    if not text.isascii() or "&" in text or "\x1b" in text:
        text = ftfy.fix_text(text, _FTFY)
        text = _LONE_A_CIRCUMFLEX.sub("", text)
    if text.isascii():
        return text  # no invisible characters, no NBSP
    return _INVISIBLE.sub("", text).replace("\u00a0", " ")


def _parse_iso_date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_html(html: str, url: str | None = None) -> ExtractedPage:
    """Main text and metadata of an HTML page with trafilatura (no network)."""
    from newsfuse.htmlextract import extract_main_text

    data: dict[str, Any] = extract_main_text(html, url)
    return ExtractedPage(
        text=str(data.get("text") or ""),
        title=data.get("title") or None,
        published=_parse_iso_date(data.get("date")),
        outlet=data.get("sitename") or outlet_from_url(url),
        author=clean_author(data.get("author")),
    )


_TRACKING = re.compile(r"^(?:utm_\w*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|ref_src)$", re.I)


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no `www.`, fragment, tracking parameters or
    trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, v) for k, v in pairs if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), query, ""))


def article_key(article: Article) -> str:
    """Storage identity: the normalised URL, else a hash of the cleaned text."""
    if article.url and urlsplit(article.url.strip()).hostname:
        return normalise_url(article.url)
    # `\s+` -> " " and strip: str.split splits on exactly the characters `\s` matches
    text = " ".join(article.text.split())
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def clean(article: Article, cfg: CleanConfig = CleanConfig()) -> Article:
    """Repair, strip boilerplate, fill in metadata and flag quality problems."""
    text = repair_text(article.text)
    title = repair_text(article.title).strip() if article.title else None
    split = None
    if cfg.remove_boilerplate:
        # A source that gave a title (HTML, feed, JSONL) was already cut to the
        # article by its extractor: only widgets go. A bare text capture gets
        # the positional rules (menus above, link lists below the article).
        splitter = split_widgets if title else split_boilerplate
        split = splitter(text, cfg.boilerplate)
        head, body, removed = split.head, split.body, split.removed
    else:
        head, removed = (), ()
        body = tuple(line.strip() for line in text.splitlines() if line.strip())
    # The title given by the source (HTML, feed) is often repeated as the
    # capture's first line: it is metadata, not body.
    if title and body and body[0].casefold() == title.casefold():
        head, body, removed = (*head, body[0]), body[1:], (*removed, body[0])
    first = body[0] if body else ""
    cleaned_text = "\n\n".join(body)
    menus = frozenset(split.menus) if split else frozenset()

    def widget(line: str) -> bool:
        return line in menus or is_widget(line)

    dateline = article.dateline or find_dateline(first)
    published = article.published or publication_date(head, first, cleaned_text, dateline)
    found_title = title or find_title(head, widget)
    # The outlet is the publisher, never the wire named in a dateline
    # ("(Reuters)", "(Meridian)"): a copyright line, else the masthead.
    outlet = outlet_name(article.outlet) or outlet_from_url(article.url) or outlet_from_lines(removed)
    result = replace(
        article,
        text=cleaned_text,
        title=found_title,
        published=published,
        outlet=outlet or masthead(head, found_title, widget),
        author=clean_author(article.author) or find_author(head, found_title) or author_from_credit(removed),
        dateline=dateline,
        removed=(*article.removed, *removed),
        flags=quality_flags(body, removed, cfg.quality) if cfg.flags else article.flags,
    )
    return replace(result, key=article_key(result))
