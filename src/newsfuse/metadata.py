"""Metadata of text captures: title, publication date, dateline, author, outlet.

Dates are only read where a publication date is written (the lines above the
body and the opening of the first paragraph), never guessed from dates of
events deeper in the text. An all-numeric date such as `10-6-2024` is read
day-first or month-first only on evidence (a month name with that day or the
weekday of that date in the text, the dateline's country, a dotted European
form); with no evidence either way it is left unknown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_MDY = re.compile(rf"\b{_MONTH_RE}\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})\b", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH_RE},?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?![\d/.-])")

# Datelines: "(MOSCOW)", "MOSCOW/HANOI:", "WASHINGTON (Reuters) -", "PARIS, France —".
_CITY = r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}"
_DATELINE_PAREN = re.compile(rf"^\(({_CITY}(?:/{_CITY})*)\)")
_DATELINE_CAPS = re.compile(
    rf"^({_CITY}(?:\s*/\s*{_CITY})*)(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)*)?"
    rf"(?:,\s*(?i:{_MONTH_RE})\s+\d{{1,2}})?"  # "DUNMERE, Korvalia, March 14 (Meridian) -"
    r"\s*(?:\([^)]{1,30}\))?\s*(?:[:—–]|-\s)"
)
# Cities and states that mark a US dateline, where numeric dates are month-first.
_US_WORDS = frozenset(
    [
        "WASHINGTON",
        "NEW_YORK",
        "LOS_ANGELES",
        "CHICAGO",
        "HOUSTON",
        "PHOENIX",
        "PHILADELPHIA",
        "SAN_DIEGO",
        "DALLAS",
        "SAN_FRANCISCO",
        "SEATTLE",
        "BOSTON",
        "MIAMI",
        "ATLANTA",
        "DENVER",
        "DETROIT",
        "LAS_VEGAS",
        "AUSTIN",
        "NASHVILLE",
        "BALTIMORE",
        "ORLANDO",
        "SACRAMENTO",
        "HONOLULU",
        "ANCHORAGE",
        "CALIFORNIA",
        "TEXAS",
        "FLORIDA",
    ]
)

_BYLINE = re.compile(r"^(?:by|written by|words by|author|posted by|reporter)\s*[:\-]?\s+(.+)$", re.I)
_AUTHOR_JUNK = re.compile(
    r"\s*(?:\||•|·|—|–| - |email the author|e-mail the author|email|follow\b|twitter|"
    r"@\w+|updated\b|published\b|posted\b|view (?:all )?(?:posts|articles)|more articles|"
    r"staff (?:writer|reporter)|correspondent|contributor|\bon\s+\w+ \d|\d+ (?:min|minutes?) read|"
    r"\d{1,2}[:/.-]\d{1,2}|" + _MONTH_RE + r"\s+\d).*$",
    re.I,
)
# ", Chief Reporter", ", Economics Editor": a job title after the name.
_ROLE = re.compile(
    r",\s*(?:[A-Z]\w*\s+){0,3}(?:reporter|correspondent|editor|writer|columnist|journalist)s?\b.*$", re.I
)
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|di|al|bin|and|&))*$")
_POSTED_ON = re.compile(r"appeared first on\s+(.+?)\.?\s*$", re.I)
_COPYRIGHT = re.compile(
    r"^(?:©|copyright)\s*(?:©\s*)?(?:\d{4}\s*)?(?:-\s*\d{4}\s*)?(.+?)[.,]?\s*(?:all rights reserved.*)?$",
    re.I,
)


def outlet_from_url(url: str | None) -> str | None:
    """The host of a URL without `www.`, or None."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return host or None


_COPYRIGHT_AFTER = re.compile(
    r"^([A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*){0,4})\s*(?:©|\(c\)|copyright)\s*\d{4}", re.I
)
_TAGLINE = re.compile(r"\s+[|–—-]\s+.*$")


def outlet_name(name: str | None) -> str | None:
    """An outlet name without a section or tagline ("KRT News - Economy",
    "Marrow Valley Gazette – Your local paper"), title-cased when shouted."""
    if not name:
        return None
    name = _TAGLINE.sub("", name.strip()).strip(" .,")
    if name.isupper() and len(name) > 5:  # "THE DAILY LANTERN"; keep short acronyms ("BBC")
        name = " ".join(w.capitalize() for w in name.split())
    return name or None


def masthead(head: Sequence[str], title: str | None, is_widget: Callable[[str], bool]) -> str | None:
    """The outlet's name at the top of a capture: the first line above the
    title that is not a menu item, short, without digits or sentence marks."""
    for line in head:
        if line == title:
            return None
        if is_widget(line):
            continue
        name = _TAGLINE.sub("", line).strip()
        words = _HEADLINE_WORDS.findall(name)
        if len(words) < 2 or not name[:1].isalnum():
            continue  # a one-word or bulleted menu item ("World", "• SPORT")
        if 2 <= len(words) <= 5 and not re.search(r"[\d.!?:,]", name) and name[:1].isupper():
            return outlet_name(name)
        return None
    return None


def outlet_from_lines(lines: tuple[str, ...] | list[str]) -> str | None:
    """An outlet named by a feed footer or a copyright line."""
    for line in lines:
        match = _POSTED_ON.search(line)
        if match:
            return match.group(1).strip()
    for line in lines:
        match = _COPYRIGHT.match(line.strip()) or _COPYRIGHT_AFTER.match(line.strip())
        if match and 0 < len(match.group(1)) <= 50:
            return outlet_name(match.group(1))
    return None


def clean_author(raw: str | None) -> str | None:
    """A byline without labels, links, dates and widget text; None if no name is left."""
    if not raw:
        return None
    match = _BYLINE.match(raw.strip())
    text = match.group(1) if match else raw.strip()
    text = _ROLE.sub("", text).strip(" ,")
    text = _AUTHOR_JUNK.sub("", text).strip(" ,;:.-")
    text = re.sub(r",\s*(?:reuters|ap|afp|bloomberg|staff)$", "", text, flags=re.I).strip(" ,")
    words = text.split()
    if not 1 <= len(words) <= 8 or _NAME.match(text) is None:
        return None
    return text


def find_author(head: Sequence[str], title: str | None = None) -> str | None:
    """The first byline among the lines above the body: "By ...", or a bare
    line of names right below the title ("Henrik Dahl and Ada Ruud")."""
    for line in head:
        if _BYLINE.match(line):
            author = clean_author(line)
            if author:
                return author
    if title and title in head:
        after = head[head.index(title) + 1 : head.index(title) + 2]
        if after and _is_name_line(after[0]):
            return after[0].strip()
    return None


_CREDIT = re.compile(r"^\(?(?:additional )?reporting by\s+(.+?)(?:;|\)|$)", re.I)


def author_from_credit(lines: Sequence[str]) -> str | None:
    """Reporters named in a wire credit: "(Reporting by A in X and B; Editing by C)"."""
    for line in lines:
        match = _CREDIT.match(line.strip())
        if match:
            names = re.sub(r"\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", "", match.group(1))
            author = clean_author(names)
            if author:
                return author
    return None


def _is_name_line(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 8 and _NAME.match(line.strip()) is not None and not line.isupper()


def find_dateline(first_body: str) -> str | None:
    """The dateline city that opens the first paragraph, e.g. "MOSCOW/HANOI"."""
    opening = _NUMERIC.sub("", first_body[:120], count=1).lstrip(" -–—•|")
    for pattern in (_DATELINE_PAREN, _DATELINE_CAPS):
        match = pattern.match(opening)
        if match:
            city = re.sub(r"\s*/\s*", "/", match.group(1)).strip(" .")
            if len(city) >= 3 and not city.isdigit():
                return city
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _evidence(candidate: date, text: str) -> int:
    """How much the text supports reading a numeric date as `candidate`."""
    month = _MONTH_NAMES[candidate.month - 1]
    short = month[:3]
    day = candidate.day
    score = 0
    names = rf"(?:{month}|{short}\.?)"
    pattern = rf"\b{names}\s+{day}(?:st|nd|rd|th)?\b|\b{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{names}\b"
    if re.search(pattern, text, re.I):
        score += 3
    if re.search(rf"\b{_WEEKDAYS[candidate.weekday()]}\b", text[:3000], re.I):
        score += 2
    return score


_US_STATE = re.compile(
    r"^\(?[A-Z][A-Z .'’-]+,\s*(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|"
    r"Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|N\.[HJMYCD]|Okla|Ore|Pa|R\.I|S\.[CD]|Tenn|Tex|Vt|Va|"
    r"Wash|W\.Va|Wis|Wyo|Maine|Ohio|Iowa|Utah|Idaho|Alaska|Hawaii|Texas|California|Florida)\b"
)


def _us_dateline(dateline: str | None, opening: str = "") -> bool | None:
    """True for a US dateline, False for another one, None without one."""
    if not dateline:
        return None
    if _US_STATE.match(opening.lstrip("0123456789-/. ")):
        return True
    places = [p.strip().replace(" ", "_") for p in dateline.split("/")]
    return any(p in _US_WORDS for p in places)


def resolve_numeric(a: int, b: int, year: int, sep: str, text: str, dateline: str | None) -> date | None:
    """Read `a-b-year` as a date, day-first or month-first, only on evidence."""
    day_first = _valid(year, b, a)
    month_first = _valid(year, a, b)
    if day_first is None or month_first is None or day_first == month_first:
        return day_first or month_first
    score_day = _evidence(day_first, text)
    score_month = _evidence(month_first, text)
    # A US dateline is strong evidence (month-first is the US convention); a
    # dateline we do not know to be American is weak evidence for day-first.
    us = _us_dateline(dateline, text[:80])
    if us is True:
        score_month += 2
    elif us is False:
        score_day += 1
    if sep == ".":  # 10.6.2024 is a European way of writing
        score_day += 1
    if score_day == score_month:
        return None
    return day_first if score_day > score_month else month_first


def find_date(line: str, text: str, dateline: str | None) -> date | None:
    """The first written publication date in `line` (text gives evidence)."""
    found: list[tuple[int, date | None]] = []
    for match in _MDY.finditer(line):
        month = _MONTHS[match.group(1).lower().rstrip(".")]
        found.append((match.start(), _valid(int(match.group(3)), month, int(match.group(2)))))
    for match in _DMY.finditer(line):
        month = _MONTHS[match.group(2).lower().rstrip(".")]
        found.append((match.start(), _valid(int(match.group(3)), month, int(match.group(1)))))
    for match in _ISO.finditer(line):
        found.append((match.start(), _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))))
    for match in _NUMERIC.finditer(line):
        a, sep, b, year = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
        found.append((match.start(), resolve_numeric(a, b, year, sep, text, dateline)))
    for _, value in sorted(found, key=lambda pair: pair[0]):
        if value is not None and 1990 <= value.year <= 2100:
            return value
    return None


def publication_date(head: tuple[str, ...], first_body: str, text: str, dateline: str | None) -> date | None:
    """The publication date from the lines above the body, else the lead's opening."""
    for line in head:
        if len(line) <= 200:
            found = find_date(line, text, dateline)
            if found:
                return found
    return find_date(first_body[:60], text, dateline)


_HEADLINE_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")


_TICKER = re.compile(r"[▲▼%]|\d[\d,.]*\s*[▲▼]")


def find_title(head: Sequence[str], is_widget: Callable[[str], bool] | None = None) -> str | None:
    """The headline above the body: the last headline-like line (a title sits
    right above the byline, date and body; mastheads and menus sit above it).
    A line followed by a menu is the masthead; None when nothing fits."""
    widget = is_widget or (lambda line: False)
    found = None
    for i, line in enumerate(head):
        words = _HEADLINE_WORDS.findall(line)
        if not 3 <= len(words) <= 30 or not line[:1].isupper() or widget(line):
            continue
        if _BYLINE.match(line) or find_date(line, "", None) or line.endswith(("...", "…")):
            continue
        if _is_name_line(line) or _TICKER.search(line) or re.search(r"\bstaff\b", line, re.I):
            continue
        if i + 1 < len(head) and widget(head[i + 1]) and not re.search(r"\d", head[i + 1]):
            continue  # a masthead above the menu (a date line below a title is no menu)
        found = line.strip()
    return found


# --- HTML pages: metadata read from one pass over the parsed tree -----------

_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title", "headline"),
    "date": (
        "article:published_time", "og:article:published_time", "datepublished", "date",
        "pubdate", "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued",
        "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date", "article.published",
    ),
    "sitename": ("og:site_name", "application-name", "twitter:site"),
    "author": (
        "author", "article:author", "dc.creator", "dcterms.creator", "byl", "parsely-author",
        "sailthru.author",
    ),
    "description": ("og:description", "description", "twitter:description"),
}  # fmt: skip
_KEY_FIELD = {key: name for name, keys in _META_KEYS.items() for key in keys}
_JSONLD_TYPES = re.compile(
    r"(?:News|Blog|Report|Scholarly|Tech)?Article|BlogPosting|WebPage|LiveBlogPosting", re.I
)
_ISO_START = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)")  # "2025-03-25T16:20:00+01:00"
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_]|$)")
_TITLE_SUFFIX = re.compile(r"\s+[|–—•·:-]\s+[^|–—•·]{2,40}$")


def _meta_tags(tree: Any) -> dict[str, str]:
    """The first value of each known <meta> key, by field name."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        field = _KEY_FIELD.get(key)
        content = (meta.get("content") or "").strip()
        if field and content and field not in found:
            found[field] = content
    return found


def _jsonld_items(tree: Any) -> list[dict[str, Any]]:
    """Article-like objects of the page's JSON-LD blocks (graphs flattened)."""
    items: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if not isinstance(obj, dict):
                continue
            stack.extend(obj.get("@graph") or [])
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _JSONLD_TYPES.fullmatch(k) for k in kinds):
                items.append(obj)
    return items


def _name_of(value: object) -> str | None:
    """A name out of a JSON-LD person/organisation, a list of them, or a string."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name_of(value.get("name"))
    if isinstance(value, list):
        names = [name for name in (_name_of(v) for v in value) if name]
        return " and ".join(names) if names else None
    return None


def _from_jsonld(items: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for obj in items:
        pairs = {
            "date": obj.get("datePublished") or obj.get("dateCreated"),
            "title": obj.get("headline"),
            "author": _name_of(obj.get("author")),
            "sitename": _name_of(obj.get("publisher")),
        }
        for field, value in pairs.items():
            if isinstance(value, str) and value.strip() and field not in found:
                found[field] = value.strip()
    return found


def _text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _page_date(meta: dict[str, str], tree: Any, url: str | None) -> str | None:
    """An ISO date from metadata, a <time datetime>, or the URL path."""
    candidates = [meta.get("date")]
    candidates += [t.get("datetime") for t in tree.iter("time") if t.get("datetime")][:1]
    for value in candidates:
        if not value:
            continue
        iso = _ISO_START.search(value)
        if iso and _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))):
            return iso.group(0)
        found = find_date(value, "", None)
        if found:
            return found.isoformat()
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if match:
        found = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return found.isoformat() if found else None
    return None


_BYLINE_CLASS = re.compile(r"byline|author|dateline|credit", re.I)


def _byline_element(tree: Any) -> str | None:
    """A "By ..." line in an element whose class names a byline."""
    for element in tree.iter("div", "span", "p", "address"):
        if not _BYLINE_CLASS.search(element.get("class") or ""):
            continue
        text = _text_of(element)
        if len(text) <= 160 and _BYLINE.match(text):
            return clean_author(text)
    return None


def page_metadata(tree: Any, url: str | None = None) -> dict[str, Any]:
    """Title, first <h1>, date (ISO), site name, author and description of a
    parsed HTML page, from <meta>, JSON-LD, <time>, <title> and <h1>."""
    meta = {**_from_jsonld(_jsonld_items(tree)), **_meta_tags(tree)}
    h1 = next((_text_of(h) for h in tree.iter("h1") if _text_of(h)), None)
    title_tag = next((_text_of(t) for t in tree.iter("title")), None)
    title = meta.get("title") or h1 or (_TITLE_SUFFIX.sub("", title_tag) if title_tag else None)
    sitename = meta.get("sitename")
    if sitename and sitename.startswith("@"):  # a twitter handle is not a name
        sitename = None
    author = meta.get("author")
    if author and "://" in author:  # article:author is often a profile URL
        author = None
    author = author or _byline_element(tree)
    return {
        "title": title,
        "headline": h1,
        "date": _page_date(meta, tree, url),
        "sitename": sitename,
        "author": author,
        "description": meta.get("description"),
    }
