"""Find date expressions in news text and resolve them against the article's
publication date.

dateparser reads "June 19-20" as 2020-06-19 and "last September" as nothing,
so this is a small resolver of its own. It handles what news writes: full and
partial calendar dates and day ranges ("June 19th-20th"), months ("in
January", "last September", "between August and February"), years and year
lists ("in 1961, 2000 and 2001"), weekdays ("on Tuesday", resolved by tense:
the coming one for future tense, the past one for past tense), and relative
phrases ("last week", "earlier this year", "yesterday"), plus "N-day visit"
durations that stretch a start day into a range.

Every result is a `DateMention` whose `surface` is the exact source text.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse.gazetteer import word_alternation, wordset

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DASH = r"\s*(?:-|–|—|to|and|through)\s*"
# Words before a bare month/year that show it is a date and not a name or a
# quantity ("May" the name, "2000 troops").
_PREP = (
    r"(?:in|since|until|till|by|from|before|after|during|of|early|late|mid-?|between|through"
    r"|to|back to|as early as|as late as|around|last|this|next|,)"
)
_NUM_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>20\d\d|19\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    # June 30-July 2(, 2024)
    (
        "md_md",
        re.compile(
            rf"\b{_MONTH.format('m1')}\s+{_DAY.format('d1')}{_DASH}{_MONTH.format('m2')}\s+{_DAY.format('d2')}(?:,?\s+{_YEAR.format('y')})?\b"
        ),
    ),
    # June 19-20(, 2024) / June 19th-20th
    (
        "md_d",
        re.compile(
            rf"\b{_MONTH.format('m')}\s+{_DAY.format('d1')}{_DASH}{_DAY.format('d2')}(?:,?\s+{_YEAR.format('y')})?\b(?!\s*(?:%|per|million|billion))"
        ),
    ),
    # 19-20 June (2024)
    (
        "d_dm",
        re.compile(
            rf"\b{_DAY.format('d1')}{_DASH}{_DAY.format('d2')}\s+{_MONTH.format('m')}(?:,?\s+{_YEAR.format('y')})?\b"
        ),
    ),
    # June 11(, 2024)
    (
        "md",
        re.compile(rf"\b{_MONTH.format('m')}\s+{_DAY.format('d')}(?![\d:])(?:,?\s+{_YEAR.format('y')})?\b"),
    ),
    # 11 June (2024)
    ("dm", re.compile(rf"\b{_DAY.format('d')}\s+{_MONTH.format('m')}(?:,?\s+{_YEAR.format('y')})?\b")),
    # between August and February / from August to February (2024)
    (
        "m_m",
        re.compile(
            rf"\b(?:[Bb]etween|[Ff]rom)\s+{_MONTH.format('m1')}(?:\s+{_YEAR.format('y1')})?\s+(?:and|to|until|through)\s+{_MONTH.format('m2')}(?:\s+{_YEAR.format('y2')})?\b"
        ),
    ),
    # September 2023
    ("my", re.compile(rf"\b{_MONTH.format('m')},?\s+{_YEAR.format('y')}\b")),
    # last/next/this September
    (
        "rel_month",
        re.compile(
            rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this)\s+{_MONTH.format('m')}\b"
        ),
    ),
    # last/next/this Monday
    ("rel_weekday", re.compile(rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his(?: coming)?)\s+{_WEEKDAY}\b")),
    ("weekday", re.compile(rf"\b{_WEEKDAY}\b")),
    # in January (month without year, needs a preposition to rule out "May" the name)
    ("month", re.compile(rf"(?<![A-Za-z])(?i:{_PREP})\s+{_MONTH.format('m')}\b(?!\s+\d)")),
    (
        "rel_unit",
        re.compile(
            r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this"
            r"|[Pp]ast)\s+(?P<unit>week|month|year|weekend)\b"
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<unit>day|week|month|year)s?\s+ago\b"
        ),
    ),
    ("deictic", re.compile(r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b")),
    ("weekend", re.compile(r"\b(?:[Oo]ver|[Aa]t|[Dd]uring)\s+the\s+weekend\b")),
    ("decade", re.compile(r"\b(?:the\s+)(?P<y>1[89]\d0|20\d0)s\b")),
    # in 1961, 2000 and 2001: each year of the list becomes its own mention
    (
        "years",
        re.compile(
            rf"(?i:\b(?:{_PREP})\s+)(?P<list>(?:1[89]\d\d|20\d\d)(?:\s*,\s*(?:1[89]\d\d|20\d\d))*(?:,?\s+(?:and|or)\s+(?:1[89]\d\d|20\d\d))?)\b(?!\s*(?:-|–)\s*\d)"
        ),
    ),
]

_DURATION = re.compile(r"\b(?P<n>two|three|four|five|six|seven|2|3|4|5|6|7)-day\b", re.IGNORECASE)

_FUTURE = wordset(
    """
    will 'll shall scheduled schedule set due plans plan planned planning expected expects
    upcoming coming next starting start starts begin begins tentatively would
    """
)
_PAST = wordset(
    """
    said says told was were had did last ago earlier previously reported confirmed announced
    visited met held took came went accused hailed asked called agreed signed
    """
)
# Irregular past forms; regular ones are caught by their "-ed" ending.
_PAST_IRREGULAR = wordset(
    """
    sent gave made began held met saw went came took left led won lost fell rose paid spoke
    wrote brought thought found kept struck told said did had was were
    """
)
_WORD = re.compile(r"[A-Za-z']+")
# The `_WORD` tokens (lower-cased) that are tense markers: a listed word, or
# longer than four letters and ending in "-ed".
_MARKER = re.compile(
    r"(?<![a-z'])(?:" + word_alternation(_FUTURE | _PAST | _PAST_IRREGULAR) + r"|[a-z']{3,}ed)(?![a-z'])"
)


@dataclass(frozen=True, slots=True)
class When:
    """A resolved time: an inclusive interval of days and how precise it is."""

    start: date
    end: date
    granularity: str  # "day", "month", "year", "range", "before"

    def iso(self) -> str:
        if self.granularity == "day" or self.start == self.end:
            return self.start.isoformat()
        if self.granularity == "month":
            return self.start.isoformat()[:7]
        if self.granularity == "year":
            return str(self.start.year)
        if self.granularity == "before":
            return f"../{self.end.isoformat()}"
        if self.start.day == 1 and self.end == _month_end(self.end.year, self.end.month):
            return f"{self.start.isoformat()[:7]}/{self.end.isoformat()[:7]}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def overlaps(self, other: When) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets in the text that was searched
    end: int
    surface: str
    when: When


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_span(year: int, month: int) -> When:
    return When(date(year, month, 1), _month_end(year, month), "month")


def _day(year: int, month: int, day: int) -> When | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return When(d, d, "day")


def tense_at(text: str, position: int) -> str | None:
    """ "future", "past" or None: the tense marker nearest to `position`.

    News writes "Putin will travel to Hanoi on Wednesday" and "told a press
    conference on Monday"; the nearest marker word in the sentence decides.
    """
    best: tuple[int, str] | None = None
    # In ASCII text one scan of the lower-cased text finds only the marker
    # words (same offsets); other text goes word by word.
    matches = _MARKER.finditer(text.lower()) if text.isascii() else _WORD.finditer(text)
    for match in matches:
        word = match.group().lower()
        if word in _FUTURE:
            kind = "future"
        elif word in _PAST or word in _PAST_IRREGULAR or (len(word) > 4 and word.endswith("ed")):
            kind = "past"
        else:
            continue
        distance = min(abs(match.start() - position), abs(match.end() - position))
        if best is None or distance < best[0]:
            best = (distance, kind)
    return best[1] if best else None


def _pick(candidates: list[When], published: date, tense: str | None) -> When:
    """Choose among readings of a yearless date: by tense, but a reading
    within 45 days of publication beats a tense-driven one far away, because
    tense detection is a guess and news mostly talks about nearby dates."""

    def distance(w: When) -> int:
        if w.start <= published <= w.end:
            return 0
        return min(abs((w.start - published).days), abs((w.end - published).days))

    nearest = min(candidates, key=distance)
    if tense == "past":
        allowed = [w for w in candidates if w.start <= published]
    elif tense == "future":
        allowed = [w for w in candidates if w.end >= published]
    else:
        allowed = candidates
    if not allowed:
        return nearest
    chosen = min(allowed, key=distance)
    if distance(chosen) > 183 and distance(nearest) <= 45:
        return nearest
    return chosen


def _yearless(build: Callable[[int], When | None], published: date | None, tense: str | None) -> When | None:
    """Resolve a date written without a year by trying the years around publication."""
    if published is None:
        return None
    years = (published.year - 1, published.year, published.year + 1)
    readings = [w for y in years if (w := build(y)) is not None]
    return _pick(readings, published, tense) if readings else None


def _range(a: When | None, b: When | None) -> When | None:
    if a is None or b is None or b.end < a.start:
        return None
    return When(a.start, b.end, "range" if a.start != b.end else "day")


def _weekday(name: str, published: date | None, tense: str | None, rel: str = "") -> When | None:
    if published is None:
        return None
    target = WEEKDAYS[name.lower()]
    ahead = (target - published.weekday()) % 7
    behind = (published.weekday() - target) % 7
    rel = rel.lower()
    if rel == "next" or rel.startswith("this coming"):
        offset = ahead or 7
    elif rel == "last":
        offset = -(behind or 7)
    elif tense == "future":
        offset = ahead
    elif tense == "past":
        offset = -behind
    else:
        offset = ahead if ahead < behind else -behind
    d = published + timedelta(days=offset)
    return When(d, d, "day")


def _week(published: date, weeks: int) -> When:
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=weeks)
    return When(monday, monday + timedelta(days=6), "range")


def _shift_month(published: date, months: int) -> When:
    index = published.year * 12 + published.month - 1 + months
    return month_span(index // 12, index % 12 + 1)


def _rel_month(rel: str, month: int, published: date) -> When:
    rel = rel.lower()
    if rel == "last":
        year = published.year if month < published.month else published.year - 1
    elif rel == "next":
        year = published.year if month > published.month else published.year + 1
    else:
        year = published.year
    return month_span(year, month)


def _rel_unit(rel: str, unit: str, published: date, tense: str | None) -> When | None:
    rel = rel.lower()
    step = {"last": -1, "past": -1, "next": 1}.get(rel, 0)
    if unit == "week":
        return _week(published, step)
    if unit == "month":
        return _shift_month(published, step)
    if unit == "year":
        year = published.year + step
        return When(date(year, 1, 1), date(year, 12, 31), "year")
    # weekend: the Saturday and Sunday before (past) or after (future) publication
    if step < 0 or (step == 0 and tense == "past"):
        back = (published.weekday() - 5) % 7
        saturday = published - timedelta(days=back)
        if step < 0 and published.weekday() >= 5:
            saturday -= timedelta(days=7)
    else:
        saturday = published + timedelta(days=(5 - published.weekday()) % 7)
        if step > 0 and published.weekday() >= 5:
            saturday += timedelta(days=7)
    return When(saturday, saturday + timedelta(days=1), "range")


def _ago(n: int, unit: str, published: date) -> When:
    if unit == "day":
        d = published - timedelta(days=n)
        return When(d, d, "day")
    if unit == "week":
        return _week(published, -n)
    if unit == "month":
        return _shift_month(published, -n)
    return When(date(published.year - n, 1, 1), date(published.year - n, 12, 31), "year")


def _int(text: str | None) -> int:
    return int(text) if text else 0


# Kinds whose readings never depend on tense.
_NO_TENSE = frozenset({"iso", "my", "decade", "years", "rel_month", "ago", "deictic"})
_DAY_KINDS = frozenset({"md", "dm", "md_d", "d_dm", "md_md"})


def _needs_tense(kind: str, g: dict[str, str], published: date | None) -> bool:
    """Whether `_resolve` reads the tense: only to pick among the readings of
    a yearless date or a weekday, and only with a publication date."""
    if published is None or kind in _NO_TENSE:
        return False
    if kind in _DAY_KINDS:
        return not g.get("y")
    if kind == "m_m":
        return not (g.get("y2") or g.get("y1"))
    return True


def _resolve(kind: str, m: re.Match[str], text: str, published: date | None) -> list[When]:
    """The readings of one match (a year list gives several)."""
    g = m.groupdict()
    # Tense only picks among readings of yearless dates and weekdays: the
    # marker scan is skipped where no reading would read it.
    tense = tense_at(text, m.start()) if _needs_tense(kind, g, published) else None
    year = _int(g.get("y"))
    if kind == "iso":
        return [w] if (w := _day(year, int(g["m"]), int(g["d"]))) else []
    if kind in ("md", "dm"):
        mon, day = MONTHS[g["m"].lower().rstrip(".")], int(g["d"])
        w = _day(year, mon, day) if year else _yearless(lambda y: _day(y, mon, day), published, tense)
        return [w] if w else []
    if kind in ("md_d", "d_dm", "md_md"):
        m1 = MONTHS[(g.get("m1") or g["m"]).lower().rstrip(".")]
        m2 = MONTHS[(g.get("m2") or g.get("m1") or g["m"]).lower().rstrip(".")]
        d1, d2 = int(g["d1"]), int(g["d2"])

        def build(y: int) -> When | None:
            # "December 30-January 2": the range crosses into the next year
            return _range(_day(y, m1, d1), _day(y + (m2 < m1), m2, d2))

        w = build(year - (m2 < m1)) if year else _yearless(build, published, tense)
        return [w] if w else []
    if kind == "my":
        return [month_span(year, MONTHS[g["m"].lower().rstrip(".")])]
    if kind == "m_m":
        m1, m2 = MONTHS[g["m1"].lower().rstrip(".")], MONTHS[g["m2"].lower().rstrip(".")]
        y2 = _int(g.get("y2")) or _int(g.get("y1"))
        if not y2:
            if published is None:
                return []
            end_reading = _yearless(lambda y: month_span(y, m2), published, tense)
            if end_reading is None:
                return []
            y2 = end_reading.start.year
        y1 = _int(g.get("y1")) or (y2 if m1 <= m2 else y2 - 1)
        first, last = month_span(y1, m1), month_span(y2, m2)
        return [When(first.start, last.end, "range")] if last.end > first.start else []
    if kind == "month":
        mon = MONTHS[g["m"].lower().rstrip(".")]
        w = _yearless(lambda y: month_span(y, mon), published, tense)
        return [w] if w else []
    if kind == "decade":
        return [When(date(year, 1, 1), date(year + 9, 12, 31), "range")]
    if kind == "years":
        return [
            When(date(int(y), 1, 1), date(int(y), 12, 31), "year") for y in _FOUR_DIGITS.findall(g["list"])
        ]
    if published is None:
        return []
    return _resolve_relative(kind, g, published, tense)


def _resolve_relative(kind: str, g: dict[str, str], published: date, tense: str | None) -> list[When]:
    if kind == "rel_month":
        rel = g["rel"].split()[0]
        return [_rel_month(rel, MONTHS[g["m"].lower().rstrip(".")], published)]
    if kind == "rel_weekday":
        return [w] if (w := _weekday(g["wd"], published, tense, g["rel"])) else []
    if kind == "weekday":
        return [w] if (w := _weekday(g["wd"], published, tense)) else []
    if kind == "rel_unit":
        rel = g["rel"].split()[0] if g["rel"].lower().startswith(("earlier", "later")) else g["rel"]
        rel = "this" if rel.lower() in ("earlier", "later") else rel
        return [w] if (w := _rel_unit(rel, g["unit"], published, tense)) else []
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUM_WORDS[g["n"].lower()]
        return [_ago(n, g["unit"], published)]
    if kind == "deictic":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["word"].lower()]
        d = published + timedelta(days=offset)
        return [When(d, d, "day")]
    if kind == "weekend":
        return [w] if (w := _rel_unit("this", "weekend", published, tense or "past")) else []
    return []


def _surface_span(kind: str, m: re.Match[str]) -> Iterator[tuple[int, int]]:
    """Where the date itself lies inside the match (prepositions left out)."""
    if kind == "years":
        base = m.start("list")
        for y in _FOUR_DIGITS.finditer(m.group("list")):
            yield base + y.start(), base + y.end()
    elif kind == "month":
        yield m.start("m"), m.end()
    else:
        yield m.start(), m.end()


# What each pattern needs to be worth trying: most sentences hold no date, and
# the cues skip most of the patterns. Every match of a pattern passes its cue
# (it holds a month name, a weekday, a year, a relative word). `re` scans a
# literal alternation of capitalised words far faster than a `\b` pattern, so
# those go first.
_MONTH_HINT = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_MONTH_CUE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)
_WEEKDAY_CUE = re.compile("(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_YEAR_CUE = re.compile(r"(?:1[89]|20)\d\d")
_FOUR_DIGITS = re.compile(r"\d{4}")


def _year_cue(text: str) -> bool:
    return ("1" in text or "2" in text) and _YEAR_CUE.search(text) is not None


def _cues(text: str) -> set[str]:
    """The cues `text` holds. Each literal test comes before the regex that
    needs it (every weekday name ends in "day")."""
    cues = set()
    if _MONTH_HINT.search(text) and _MONTH_CUE.search(text):
        cues.add("month")
    has_day = "day" in text
    if has_day and _WEEKDAY_CUE.search(text):
        cues.add("weekday")
    if _year_cue(text):
        cues.add("year")
    # the relative patterns each need one of these words
    if "week" in text:
        cues.add("unit")
        if "weekend" in text:
            cues.add("weekend")
    elif "month" in text or "year" in text:
        cues.add("unit")
    if "ago" in text:
        cues.add("ago")
    if (has_day and ("esterday" in text or "oday" in text)) or "omorrow" in text:
        cues.add("deictic")
    return cues


_NEEDS = {
    "iso": "year",
    "md_md": "month",
    "md_d": "month",
    "d_dm": "month",
    "md": "month",
    "dm": "month",
    "m_m": "month",
    "my": "month",
    "rel_month": "month",
    "rel_weekday": "weekday",
    "weekday": "weekday",
    "month": "month",
    "rel_unit": "unit",
    "ago": "ago",
    "deictic": "deictic",
    "weekend": "weekend",
    "decade": "year",
    "years": "year",
}


# The kinds that resolve without a publication date (all need a written year).
_ABSOLUTE_PATTERNS = [
    (kind, pattern)
    for kind, pattern in _PATTERNS
    if kind in ("iso", "md_md", "md_d", "d_dm", "md", "dm", "m_m", "my", "decade", "years")
]


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in `text` (one sentence) that can be resolved, in text order.

    Earlier patterns win where matches overlap ("June 19-20" before "June 19").
    """
    if published is None:
        # Without a publication date only a date that writes its year
        # resolves; the other matches have no reading and block nothing.
        if not _year_cue(text):
            return []
        patterns = _ABSOLUTE_PATTERNS
    else:
        patterns = _PATTERNS
    cues = _cues(text)
    if not cues:
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in patterns:
        if _NEEDS[kind] not in cues:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            readings = _resolve(kind, m, text, published)
            spans = list(_surface_span(kind, m))
            if not readings or len(spans) != len(readings):
                continue
            taken.append((m.start(), m.end()))
            for (s, e), when in zip(spans, readings, strict=True):
                found.append(DateMention(s, e, text[s:e].rstrip("."), when))
    found.sort(key=lambda d: d.start)
    return [_with_duration(text, d, found) for d in found]


def _with_duration(text: str, mention: DateMention, all_mentions: list[DateMention]) -> DateMention:
    """ "a two-day visit starting on Tuesday" -> Tuesday and Wednesday.

    Applies only to a single day that is the only day-precise date in the
    sentence, so the duration cannot belong to another date.
    """
    if mention.when.granularity != "day":
        return mention
    if sum(1 for d in all_mentions if d.when.granularity == "day") != 1:
        return mention
    match = _DURATION.search(text)
    if match is None:
        return mention
    word = match.group("n").lower()
    n = int(word) if word.isdigit() else _NUM_WORDS[word]
    end = mention.when.start + timedelta(days=n - 1)
    return DateMention(mention.start, mention.end, mention.surface, When(mention.when.start, end, "range"))


def before(published: date, years: int) -> When:
    """ "in more than two decades" written on `published`: before that many years ago."""
    try:
        limit = published.replace(year=published.year - years)
    except ValueError:  # 29 February
        limit = published.replace(year=published.year - years, day=28)
    return When(date(1, 1, 1), limit, "before")
