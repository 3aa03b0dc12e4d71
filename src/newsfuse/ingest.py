"""Ingest stage: files, folders and URLs in, raw `Article`s (or `Skipped`) out.

The kind of each input is recognised by its content, not its extension: an
RSS file named `.txt` is a feed, an HTML page named `.dat` is a page. Kinds:
plain-text web captures, HTML pages (main text through
`newsfuse.clean.extract_html`), RSS/Atom feeds (one article per item), JSON
Lines, a JSON object or a JSON array of objects. Text is yielded as found:
cleaning is the next stage's job.

Bad input never stops a run: it becomes one `Skipped(source, reason)` and the
run goes on with the next input.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from newsfuse.fetch import FetchError, Resolver, fetch_url, human_size
from newsfuse.models import Article, Skipped

Item = Article | Skipped


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """`client` and `resolve` are the network seams: None means a fresh
    `httpx.Client` and the system DNS resolver."""

    allow_private: bool = False
    client: httpx.Client | None = None
    max_bytes: int = 10_000_000
    timeout: float = 20.0
    resolve: Resolver | None = None
    max_redirects: int = 5
    # Fewer words than this from an HTML page is a shell ("Please enable
    # JavaScript."), not an article.
    min_html_words: int = 10


def ingest(sources: Sequence[str], cfg: IngestConfig = IngestConfig()) -> Iterator[Item]:
    """Yield the articles of every source (file, folder or http(s) URL), in a
    deterministic order, and one `Skipped` per input that cannot be used.

    Ids are unique within one call: a file name met twice (`a/C1`, `b/C1`) is
    qualified by its folder the second time."""
    seen: set[str] = set()
    for item in _ingest_sources(sources, cfg):
        if isinstance(item, Article):
            item = _unique_id(item, seen)
            seen.add(item.id)
        yield item


def _unique_id(article: Article, seen: set[str]) -> Article:
    if article.id not in seen:
        return article
    folder = Path(article.source_path).parent.name if article.source_path else ""
    candidate = f"{folder}/{article.id}" if folder else article.id
    number = 2
    while candidate in seen:
        candidate = f"{article.id}#{number}"
        number += 1
    return replace(article, id=candidate)


def _ingest_sources(sources: Sequence[str], cfg: IngestConfig) -> Iterator[Item]:
    for source in sources:
        if _URL.match(source):
            yield from _ingest_url(source, cfg)
            continue
        path = Path(source)
        if path.is_dir():
            for file in _walk(path):
                yield from _ingest_file(file, cfg)
        elif path.exists():
            yield from _ingest_file(path, cfg)
        else:
            yield Skipped(source, "no such file or directory")


_URL = re.compile(r"^https?://", re.I)


def _walk(root: Path) -> Iterator[Path]:
    """Files under `root`, recursively, sorted, without hidden files or folders."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder, name)


# ---------------------------------------------------------------- files


def _ingest_file(path: Path, cfg: IngestConfig) -> Iterator[Item]:
    source = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield Skipped(source, "not a regular file")
            return
        if info.st_size > cfg.max_bytes:
            yield Skipped(source, f"too large: {human_size(info.st_size)} > {human_size(cfg.max_bytes)}")
            return
        # Read one byte past the cap: the file may have grown since stat().
        with path.open("rb") as handle:
            data = handle.read(cfg.max_bytes + 1)
    except OSError as exc:
        yield Skipped(source, f"unreadable: {exc.strerror or exc}")
        return
    if len(data) > cfg.max_bytes:
        yield Skipped(source, f"too large: more than {human_size(cfg.max_bytes)}")
        return
    yield from ingest_bytes(data, Origin(source=source, name=path.name, url=None), cfg.min_html_words)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where some bytes came from: `source` names it in Skipped and
    `source_path`; `name` is the default article id."""

    source: str
    name: str
    url: str | None
    charset: str | None = None  # declared by HTTP
    content_type: str = ""


def ingest_bytes(data: bytes, origin: Origin, min_words: int) -> Iterator[Item]:
    if not data.strip():
        yield Skipped(origin.source, "empty response" if origin.url else "empty file")
        return
    decoded = decode_bytes(data, origin.charset)
    if isinstance(decoded, Skipped):
        yield Skipped(origin.source, decoded.reason)
        return
    text = decoded.replace("\r\n", "\n").replace("\r", "\n")
    kind = sniff_kind(text, origin.content_type)
    if kind == "feed":
        yield from _feed_articles(data, origin)
    elif kind == "html":
        yield from _html_article(text, origin, min_words)
    elif kind == "json":
        yield from _json_articles(text, origin)
    else:
        yield _text_article(text, origin)


# ---------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Magic numbers of binary formats people drop into news folders by mistake;
# some (PDF) hold no NUL byte in their first kilobytes.
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "executable"),
)
_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Alphabets for which the web's real default, windows-1252, is the right
# reading: charset_normalizer often guesses cp1250 for short Western text
# and turns "è" into "č".
_LATIN_ALPHABETS = re.compile(r"Latin|Punctuation|Currency|Letterlike|Number|Arrows|Symbols")


def decode_bytes(data: bytes, declared: str | None = None) -> str | Skipped:
    """Text of a file: BOM, else UTF-8, else the declared charset (HTTP header,
    meta tag or XML declaration), else a detected one, else windows-1252.
    Binary content gives a Skipped (its source is filled in by the caller)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return Skipped("", f"binary file ({kind})")
    if b"\x00" in data:
        return Skipped("", "binary file (NUL bytes)")
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data, declared)
    if text is None:
        return Skipped("", "binary file (undecodable)")
    if _control_ratio(text) > 0.01:
        return Skipped("", "binary file (control characters)")
    return text


def _decode_legacy(data: bytes, declared: str | None) -> str | None:
    match = _DECLARED_CHARSET.search(data[:2048])
    for name in (declared, match.group(1).decode("ascii") if match else None):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    import charset_normalizer  # a trafilatura dependency; imported only when needed

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    if all(_LATIN_ALPHABETS.search(alphabet) for alphabet in best.alphabets):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")  # cp1252 leaves five bytes undefined
    return str(best)


# C0 controls but white space. Not C1 (U+0080-U+009F): doubly encoded UTF-8
# ("â\x80\x99") is full of them, and that is mojibake for clean.py to repair.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _control_ratio(text: str) -> float:
    sample = text[:20_000]
    return len(_CONTROL.findall(sample)) / max(len(sample), 1)


# ---------------------------------------------------------------- kinds

_FEED_ROOT = re.compile(r"<(?:rss|rdf:RDF|feed)\b", re.I)
_HTML_MARK = re.compile(r"<!doctype\s+html|<html\b|<head\b|<body\b", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|h[1-6]|li|ul|ol|table|article|section|main|meta|script|title)\b", re.I
)
_JSON_START = re.compile(r"^\s*(?:\{|\[\s*[{\]])")


def sniff_kind(text: str, content_type: str = "") -> str:
    """'feed', 'html', 'json' (JSON, JSON array or JSON Lines) or 'text'."""
    head = text[:4096].lstrip()
    if _JSON_START.match(head):
        return "json"
    if head.startswith("<"):
        # Skip the XML declaration, comments and doctype before the root.
        root = re.sub(
            r"^(?:<\?.*?\?>|<!--.*?-->|<!(?!doctype\s+html)[^>]*>|\s)+", "", head, flags=re.S | re.I
        )
        if _FEED_ROOT.match(root):
            return "feed"
    if _HTML_MARK.search(head) or len(_HTML_TAG.findall(head)) >= 3:
        return "html"
    if "xml" in content_type and _FEED_ROOT.search(head):
        return "feed"
    return "text"


# ---------------------------------------------------------------- text and HTML


def _text_article(text: str, origin: Origin) -> Article:
    return Article(id=origin.url or origin.name, text=text, url=origin.url, source_path=origin.source)


_WORD = re.compile(r"\w+")


def _html_article(html: str, origin: Origin, min_words: int) -> Iterator[Item]:
    from newsfuse.clean import extract_html  # imported late: plain text never loads trafilatura

    url = origin.url or _canonical_url(html)
    page = extract_html(html, url)
    words = len(_WORD.findall(page.text))
    if words < min_words:
        found = f" (only {words} words)" if words else ""
        yield Skipped(origin.source, f"HTML page with no extractable text{found}")
        return
    yield Article(
        id=origin.url or origin.name,
        text=page.text,
        url=url,
        outlet=page.outlet,
        title=page.title,
        published=page.published,
        author=page.author,
        source_path=origin.source,
    )


class _HeadLinks(HTMLParser):
    """Collects `<link rel=canonical>` and `og:url` from a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.found.append(values.get("href", ""))
        elif tag == "meta" and values.get("property", "").lower() == "og:url":
            self.found.append(values.get("content", ""))


def _canonical_url(html: str) -> str | None:
    """The page's own absolute URL when it declares one: a saved page keeps
    its identity, so the same article fetched later is recognised."""
    head_end = html.lower().find("</head>")
    parser = _HeadLinks()
    parser.feed(html[: head_end if head_end > 0 else 65_536])
    return next((u.strip() for u in parser.found if _URL.match(u.strip())), None)


_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
    | {"table", "tr", "section", "article", "figure", "figcaption", "hr"}
)


class _TextOfHTML(HTMLParser):
    """Text of an HTML fragment (a feed item's body): block elements become
    line breaks; scripts and styles are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one paragraph per line."""
    parser = _TextOfHTML()
    parser.feed(fragment)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


# ---------------------------------------------------------------- feeds

_ITEM_END = re.compile(rb"</(?:\w+:)?(?:item|entry)\s*>", re.I)


def _feed_articles(data: bytes, origin: Origin) -> Iterator[Item]:
    import feedparser  # imported late: only feeds need it

    headers = {"content-location": origin.url} if origin.url else {}
    if origin.charset:
        headers["content-type"] = f"application/xml; charset={origin.charset}"
    # A file object, never a string: feedparser would fetch a string that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = list(parsed.entries)
    if parsed.bozo:
        # A truncated feed: feedparser still returns the item it was cut in,
        # without its body. Keep only the items whose closing tag is present.
        complete = len(_ITEM_END.findall(data))
        if complete == 0:
            yield Skipped(origin.source, f"malformed feed: {_bozo_reason(parsed)} (no complete item)")
            return
        for n in range(complete + 1, len(entries) + 1):
            yield Skipped(f"{origin.source}#{n}", f"malformed feed: {_bozo_reason(parsed)} (item cut off)")
        entries = entries[:complete]
    if not entries:
        yield Skipped(origin.source, "feed with no items")
        return
    channel = parsed.feed.get("title") or None
    for n, entry in enumerate(entries, start=1):
        yield _feed_item(entry, n, channel, origin)


def _bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    message = str(getattr(exc, "getMessage", lambda: exc)()) if exc is not None else "parse error"
    return message.splitlines()[0] if message else "parse error"


def _entry_body(entry: Any) -> str:
    """The fullest text of an item: `content:encoded` / Atom content when
    present, else the summary or description. HTML becomes text."""
    candidates = [(c.get("value", ""), c.get("type", "")) for c in entry.get("content", [])]
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary", ""), detail.get("type", "text/html")))
    for value, media in sorted(candidates, key=lambda c: -len(c[0])):
        text = html_to_text(value) if "html" in media else value.strip()
        if text:
            return text
    return ""


def _feed_item(entry: Any, n: int, channel: str | None, origin: Origin) -> Item:
    link = entry.get("link") or None
    source = f"{origin.source}#{n}"
    text = _entry_body(entry)
    if not text:
        return Skipped(source, "feed item with no text")
    published = parse_date(entry.get("published") or entry.get("updated"))
    if published is None:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    # An aggregator feed names each item's own outlet in <source>.
    outlet = (entry.get("source") or {}).get("title") or channel
    return Article(
        id=link or f"{origin.name}#{n}",
        text=text,
        url=link,
        outlet=outlet,
        title=entry.get("title") or None,
        published=published,
        author=entry.get("author") or None,
        source_path=origin.source,
    )


# ---------------------------------------------------------------- JSON

_STRING_FIELDS = ("url", "title", "outlet", "author", "language")


def _json_articles(text: str, origin: Origin) -> Iterator[Item]:
    """A JSON object, a JSON array of objects, or JSON Lines."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        yield json_article(whole, origin.source, origin.name, origin)
        return
    if isinstance(whole, list):
        if not whole:
            yield Skipped(origin.source, "empty JSON array")
        for n, obj in enumerate(whole, start=1):
            yield json_article(obj, f"{origin.source}#{n}", f"{origin.name}#{n}", origin)
        return
    yield from _jsonl_articles(text.split("\n"), origin)


def _jsonl_articles(lines: Iterable[str], origin: Origin) -> Iterator[Item]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin.source}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield json_article(obj, where, f"{origin.name}#{n}", origin)


def json_article(obj: object, where: str, default_id: str, origin: Origin) -> Item:
    """One article from a JSON object with `id, url, title, text, published,
    outlet` (only `text`, or an `html` page, is required)."""
    if not isinstance(obj, dict):
        return Skipped(where, f"expected a JSON object, got {type(obj).__name__}")
    fields: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return Skipped(where, f"field {name!r} must be a string")
        fields[name] = (value.strip() or None) if isinstance(value, str) else None
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or (raw_id is not None and not isinstance(raw_id, str | int)):
        return Skipped(where, "field 'id' must be a string or a number")
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        return Skipped(where, "field 'text' must be a string")
    if not (text or "").strip() and isinstance(obj.get("html"), str):
        from newsfuse.clean import extract_html

        text = extract_html(obj["html"], fields["url"]).text
    if not (text or "").strip():
        return Skipped(where, "empty 'text' field" if "text" in obj else "no 'text' field")
    return Article(
        id=str(raw_id) if raw_id is not None and str(raw_id).strip() else default_id,
        text=str(text),
        url=fields["url"],
        outlet=fields["outlet"],
        title=fields["title"],
        published=parse_date(obj.get("published") or obj.get("date")),
        language=fields["language"] or "en",
        author=fields["author"],
        source_path=origin.source,
    )


# ---------------------------------------------------------------- dates

_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")


def parse_date(value: object) -> date | None:
    """A date from ISO 8601 ("2024-06-11", "2024-06-11T08:00:00Z"), RFC 822
    ("Tue, 11 Jun 2024 08:00:00 GMT"), "2024/06/11" or a Unix time. The day
    is the one in the writer's own time zone, not converted to UTC."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    return _parse_date_text(value.strip())


def _parse_date_text(text: str) -> date | None:
    parsers: tuple[Callable[[str], date | None], ...] = (_iso_date, _rfc822_date, _ymd_date)
    for parser in parsers:
        try:
            found = parser(text)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        if found is not None:
            return found
    return None


def _iso_date(text: str) -> date | None:
    return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)


def _rfc822_date(text: str) -> date | None:
    return parsedate_to_datetime(text).date()


def _ymd_date(text: str) -> date | None:
    match = _YMD.match(text)
    return date(int(match[1]), int(match[2]), int(match[3])) if match else None


# ---------------------------------------------------------------- URLs


def _ingest_url(url: str, cfg: IngestConfig) -> Iterator[Item]:
    try:
        page = fetch_url(
            url,
            cfg.client,
            max_bytes=cfg.max_bytes,
            timeout=cfg.timeout,
            allow_private=cfg.allow_private,
            resolve=cfg.resolve,
            max_redirects=cfg.max_redirects,
        )
    except FetchError as exc:
        yield Skipped(url, str(exc))
        return
    origin = Origin(
        source=url, name=page.url, url=page.url, charset=page.charset, content_type=page.content_type
    )
    yield from ingest_bytes(page.content, origin, cfg.min_html_words)
