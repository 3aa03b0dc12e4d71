"""Metadata of text captures: title, publication date, dateline, author, outlet.

Dates are only read where a publication date is written (the lines above the
body and the opening of the first paragraph), never guessed from dates of
events deeper in the text. An all-numeric date such as `10-6-2024` is read
day-first or month-first only on evidence (a month name with that day or the
weekday of that date in the text, the dateline's country, a dotted European
form); with no evidence either way it is left unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
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


def outlet_from_lines(lines: tuple[str, ...] | list[str]) -> str | None:
    """An outlet named by a feed footer or a copyright line."""
    for line in lines:
        match = _POSTED_ON.search(line)
        if match:
            return match.group(1).strip()
    for line in lines:
        match = _COPYRIGHT.match(line.strip())
        if match and 0 < len(match.group(1)) <= 50:
            return match.group(1).strip(" .,")
    return None


def clean_author(raw: str | None) -> str | None:
    """A byline without labels, links, dates and widget text; None if no name is left."""
    if not raw:
        return None
    match = _BYLINE.match(raw.strip())
    text = match.group(1) if match else raw.strip()
    text = _AUTHOR_JUNK.sub("", text).strip(" ,;:.-")
    text = re.sub(r",\s*(?:reuters|ap|afp|bloomberg|staff)$", "", text, flags=re.I).strip(" ,")
    words = text.split()
    if not 1 <= len(words) <= 8 or _NAME.match(text) is None:
        return None
    return text


def find_author(head: tuple[str, ...]) -> str | None:
    """The first byline among the lines above the body."""
    for line in head:
        if _BYLINE.match(line):
            author = clean_author(line)
            if author:
                return author
    return None


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


def find_title(head: tuple[str, ...], is_widget: Callable[[str], bool] | None = None) -> str | None:
    """The first headline-like line above the body."""
    for line in head:
        words = _HEADLINE_WORDS.findall(line)
        if not 3 <= len(words) <= 30 or not line[:1].isupper():
            continue
        if _BYLINE.match(line) or find_date(line, "", None) or line.endswith(("...", "…")):
            continue
        if is_widget is not None and is_widget(line):
            continue
        return line.strip()
    return None
