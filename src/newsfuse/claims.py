"""Facts each outlet states, as (subject, relation, typed value).

A `Fact` is one outlet's statement read off one sentence: an event's date
("Putin's visit to Vietnam is planned for June 19-20"), a count or an amount
("about 6,700 containers"), a place visited, an ordinal ("his second visit").
Values are intervals; `newsfuse.claim_groups` groups facts about the same
subject into claims, with who agrees and who conflicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from newsfuse.entities import Mention
from newsfuse.gazetteer import country_of, fold, word_alternation, wordset
from newsfuse.models import Sentence
from newsfuse.temporal import DateMention, When, before

# Event words -> event class. The class, its actor and its place make the key
# that lets two outlets' sentences about one event meet.
_TRIGGERS: dict[str, str] = {}
for _cls, _words in {
    "visit": "visit visits visited visiting trip trips travel travels traveled travelled traveling "
    "travelling tour toured embark arrive arrives arrived arrival",
    "meeting": "meet meets met meeting summit talks",
    "accusation": "accuse accused accuses accusing accusation accusations",
    "report": "report reported reports",
    "statement": "said told says announced stated stating saying quoted",
    "signing": "signed signing",
    "shipment": "sent send sends shipped delivered",
    "attack": "attack attacked attacks struck fired bombing bombed",
    "election": "election elected vote voted",
    "hosting": "hosted hosts host",
    "death": "died killed",
}.items():
    for _w in _words.split():
        _TRIGGERS[_w] = _cls
# Case-insensitive patterns are matched case-sensitively against `fold(text)`
# (same offsets), several times faster than `re.IGNORECASE`.
_TRIGGER_RE = re.compile(r"\b(" + word_alternation(_TRIGGERS) + r")\b")
# Triggers are whole words: the visit words alone match where `_TRIGGER_RE`
# matches a visit word. Every visit word holds one of `_VISIT_STEMS`.
_VISIT_RE = re.compile(r"\b(" + word_alternation(w for w, c in _TRIGGERS.items() if c == "visit") + r")\b")
_VISIT_STEMS = ("visit", "trip", "trav", "tour", "embark", "arriv")
# matched at a position (`match(text, pos)`: no "^")
_SPEECH_AFTER = re.compile(r"\s*(?:said|says|told|stressed|added|confirmed|noted)\b")
_ORDINAL = re.compile(
    r"\b(?P<ord>second|third|fourth|fifth|sixth|only previous)\s+(?:\w+\s+){0,2}?(?P<trig>visit"
    r"|trip|visits|trips)\b"
    r"|\b(?P<trig2>visit|trip)\s+(?:[\w\s]{0,40}?)\bwill be his\s+(?P<ord2>second|third|fourth|fifth)\b",
)  # matched against fold(text)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "only previous": 2}
_GAP = re.compile(
    r"\bfirst\s+(?:\w+\s+){0,6}?in\s+(?P<more>more than |over |nearly |almost )?(?P<n>two|three"
    r"|four|five|\d+)\s+(?P<unit>decades?|years?)\b"
)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5}

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUALIFIERS = (
    "about|around|nearly|almost|roughly|approximately|some|more than|over|less than|fewer than"
    "|under|up to|at least|at most"
)
# No qualifier is a prefix of another, so the prefix tree (tried at every
# position of a sentence with a digit) matches exactly what the list did.
_QUALIFIER = r"(?P<q>" + word_alternation(_QUALIFIERS.split("|")) + r")?\s*"
_NUMBER = re.compile(
    _QUALIFIER + r"(?P<cur>[$€£])?(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion))?"
    r"(?P<pct>\s*%|\s+percent\b)?"
    r"(?:\s+(?:\d+\s*mm\s+)?(?P<unit>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2}))?"
)
_VAGUE = re.compile(
    r"\b(?:many\s+)?(?P<v>hundreds of thousands|tens of thousands|thousands|hundreds|dozens"
    r"|millions)\s+of\s+(?P<unit>[a-z][a-z-]+)"
)
_VAGUE_RANGE = {
    "hundreds of thousands": (1e5, 999_999),
    "tens of thousands": (1e4, 99_999),
    "thousands": (1e3, 9_999),
    "hundreds": (100, 999),
    "dozens": (24, 99),
    "millions": (1e6, 9.99e6),
}
_UNIT_STOP = wordset(
    """
    of to in for which that and or have has had were was are is could would from at on with as
    by the a an who this these those than more
    """
)
_MEASURES = frozenset(
    {"mm", "km", "kg", "tons", "tonnes", "percent", "miles", "meters", "metres", "years", "days"}
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One outlet's statement of one value, read off one sentence."""

    key: tuple[str, ...]  # what the value is about; facts meet on it
    subject: str
    relation: str
    value: str
    kind: str
    surface: str
    low: float  # the value as an interval, for agreement
    high: float
    single: bool  # single-valued relation: different values conflict
    sentence: Sentence
    outlet: str


def _ordinal_interval(when: When) -> tuple[float, float]:
    return float(when.start.toordinal()), float(when.end.toordinal())


_PRONOUN = re.compile(r"\b(?:he|his|she|her)\b")  # matched against fold(text)
_DIGIT = re.compile(r"\d")
_VAGUE_WORDS = ("hundreds", "thousands", "dozens", "millions")
_BY = re.compile(r"\s+by\s+(?:the\s+)?")  # matched at a position
_TO_THE_COUNTRY = re.compile(r"\s*to the country\b")  # matched at a position
_MONEY_OF = re.compile(r"\s+(?:in|of|for)\s+([a-z][a-z-]+)")


def _actor(
    mentions: Sequence[Mention], text: str, trigger: tuple[int, int], cls: str, previous_subject: str
) -> list[Mention] | str:
    """Who does it: entities between the clause start and the event word
    (speakers left out), the agent of "a report by X", or who "he" refers to:
    the last person earlier in the sentence, else the previous sentence's first."""
    trigger_start, trigger_end = trigger
    by = _BY.match(text, trigger_end)
    if by:
        agents = [m for m in mentions if m.start == by.end() and m.kind != "place"]
        if agents:
            return agents
    clause_start = max(text.rfind(",", 0, trigger_start), text.rfind(";", 0, trigger_start), 0)
    persons_only = cls == "visit"
    window = [
        m
        for m in mentions
        if clause_start <= m.start < trigger_start
        and (cls == "statement" or not _SPEECH_AFTER.match(text, m.end))
    ]
    people = [m for m in window if m.kind == "person"]
    if not people and _PRONOUN.search(fold(text[clause_start:trigger_start])):
        earlier = [m for m in mentions if m.kind == "person" and m.end <= clause_start]
        return earlier[-1:] if earlier else previous_subject
    if people or persons_only:
        return people[-1:] if persons_only else people
    return [m for m in window if m.kind != "place"] or window[-2:]


def _targets(mentions: Sequence[Mention], text: str, trigger_end: int, trigger_start: int) -> list[Mention]:
    """Places the event goes to: "visit North Korea and Vietnam", else "the Vietnam visit"."""
    after = [m for m in mentions if m.kind == "place" and m.start >= trigger_end]
    found: list[Mention] = []
    cursor = trigger_end
    for m in after:
        gap = text[cursor : m.start].strip().lower()
        allowed = ("", "to", "to the", "in", "for", "of") if not found else (",", "and", ", and", "or")
        if gap not in allowed:
            break
        found.append(m)
        cursor = m.end
    if found:
        return found
    before_trigger = [m for m in mentions if m.kind == "place" and m.end <= trigger_start]
    if before_trigger and text[before_trigger[-1].end : trigger_start].strip() == "":
        return before_trigger[-1:]  # "the Vietnam visit"
    if before_trigger and _TO_THE_COUNTRY.match(text, trigger_end):
        return before_trigger[-1:]
    return []


@dataclass(frozen=True, slots=True)
class _Event:
    cls: str
    actor: str
    target: str
    start: int
    end: int

    @property
    def subject(self) -> str:
        where = (
            f" to {self.target}"
            if self.cls == "visit" and self.target
            else (f" ({self.target})" if self.target else "")
        )
        return f"{self.actor} {self.cls}{where}".strip()


def _events(
    text: str, folded: str, mentions: Sequence[Mention], ctx: _Context, visits_only: bool
) -> list[_Event]:
    """The sentence's events; with `visits_only`, its visits alone (the same
    visits: an event's actor and target never depend on other classes)."""
    events: list[_Event] = []
    if visits_only and not any(map(folded.__contains__, _VISIT_STEMS)):
        return events
    for m in (_VISIT_RE if visits_only else _TRIGGER_RE).finditer(folded):
        cls = _TRIGGERS[m.group(1)]
        visit = cls == "visit"
        actors = _actor(mentions, text, (m.start(), m.end()), cls, ctx.previous_subject)
        targets = _targets(mentions, text, m.end(), m.start())
        if isinstance(actors, str):
            actor = actors
        else:
            actor = " and ".join(sorted({a.name for a in actors} - {t.name for t in targets}))
        actor = actor or (ctx.main_person if visit else "")
        target = " and ".join(dict.fromkeys(country_of(t.name) for t in targets))
        earlier = [e for e in events if e.cls == cls and e.target and e.actor == actor]
        if visit and not target and earlier:
            target = earlier[-1].target  # "travel North Korea for a two-day visit"
        if (
            visit
            and not target
            and ctx.last_visit
            and text[max(0, m.start() - 4) : m.start()].lower() == "the "
        ):
            actor, target = ctx.last_visit  # "the visit": the one the article was just talking about
        events.append(_Event(cls, actor, target, m.start(), m.end()))
    return events


def _nearest_event(events: Sequence[_Event], start: int, end: int) -> _Event | None:
    """The event a date belongs to: the nearest event word before it, else after it."""
    before_it = [e for e in events if e.end <= start]
    if before_it:
        return before_it[-1]
    after_it = [e for e in events if e.start >= end]
    return after_it[0] if after_it else None


@dataclass
class _Context:
    """What carries from sentence to sentence in one article."""

    main_person: str
    published: date | None
    last_visit: tuple[str, str] | None = None
    previous_subject: str = ""


def sentence_facts(
    sentence: Sentence,
    outlet: str,
    dates: Sequence[DateMention],
    mentions: Sequence[Mention],
    ctx: _Context,
    folded: str | None = None,
) -> list[Fact]:
    """Every fact one sentence states. `folded`: `fold(sentence.text)` when the caller has it."""
    text = sentence.text
    folded = fold(text) if folded is None else folded
    dated = list(dates) + _gap_dates(text, ctx.published) if ctx.published else dates
    # Numbers need a digit or a vague count ("thousands of"). Without them and
    # without dates, only visits make facts: other events are not looked for.
    numbered = _DIGIT.search(text) is not None or _has_vague(text)
    events = _events(text, folded, mentions, ctx, visits_only=not (dated or numbered))
    facts: list[Fact] = []
    if events:  # a dated fact, a visit or an ordinal needs an event
        _event_facts(sentence, outlet, dated, events, ctx, facts)
        facts.extend(_ordinal_facts(text, folded, events, sentence, outlet))
    if numbered:
        # Numbers meet only with the same named entities around them: "12 people"
        # and "15 people" conflict only when they are about the same thing.
        context = tuple(sorted({country_of(m.name) if m.kind == "place" else m.name for m in mentions}))
        facts.extend(_number_facts(text, dates, events, (sentence, outlet, context)))
    for m in mentions:
        if m.kind == "person":
            ctx.previous_subject = m.name
            break
    return facts


def _event_facts(
    sentence: Sentence,
    outlet: str,
    dated: Sequence[DateMention],
    events: Sequence[_Event],
    ctx: _Context,
    facts: list[Fact],
) -> None:
    """Dates of events and places visited, added to `facts`."""
    text = sentence.text
    for d in dated:
        event = _nearest_event(events, d.start, d.end)
        if event is None or not event.actor or (event.cls == "visit" and not event.target):
            continue
        low, high = _ordinal_interval(d.when)
        facts.append(
            Fact(
                ("date", event.cls, event.actor, event.target),
                event.subject,
                "date",
                d.when.iso(),
                "date",
                d.surface,
                low,
                high,
                True,
                sentence,
                outlet,
            )
        )
    for event in events:
        if event.cls == "visit" and event.target:
            ctx.last_visit = (event.actor, event.target)
            for place in event.target.split(" and "):
                facts.append(
                    Fact(
                        ("visits", event.actor, place),
                        event.actor,
                        "visits",
                        place,
                        "place",
                        text[event.start : event.end],
                        0,
                        0,
                        False,
                        sentence,
                        outlet,
                    )
                )


def _gap_dates(text: str, published: date | None) -> list[DateMention]:
    """ "first visit ... in more than two decades": the previous one lies before then."""
    if published is None or "first" not in text:
        return []
    found = []
    for m in _GAP.finditer(text):
        n = int(m.group("n")) if m.group("n").isdigit() else _SMALL[m.group("n")]
        years = n * 10 if m.group("unit").startswith("decade") else n
        start = m.start("more") if m.group("more") else m.start("n")
        start = text.rfind("in", m.start(), start)
        found.append(DateMention(start, m.end(), text[start : m.end()], before(published, years)))
    return found


def _ordinal_facts(
    text: str, folded: str, events: Sequence[_Event], sentence: Sentence, outlet: str
) -> list[Fact]:
    facts: list[Fact] = []
    if "visit" not in folded and "trip" not in folded:
        return facts
    for m in _ORDINAL.finditer(folded):
        word = m.group("ord") or m.group("ord2")
        position = m.start("trig") if m.group("trig") else m.start("trig2")
        event = next((e for e in events if e.start == position), None)
        if event is None or not event.target:
            continue
        n = _ORDINALS[word]
        subject = f"{event.actor} visits to {event.target}"
        facts.append(
            Fact(
                ("visit number", event.actor, event.target),
                subject,
                "visit number",
                str(n),
                "count",
                text[m.start() : m.end()],
                n,
                n,
                True,
                sentence,
                outlet,
            )
        )
    return facts


_Where = tuple[Sentence, str, tuple[str, ...]]  # sentence, outlet, entities around the number
_DURATIONS = frozenset(
    {"year", "years", "day", "days", "month", "months", "week", "weeks", "hours", "minutes"}
)


_LONGEST_QUALIFIER = max(map(len, _QUALIFIERS.split("|")))


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """`_NUMBER.finditer(text)`, without scanning text that holds no digit.

    Every match holds a digit with at most a qualifier, white space and a
    currency sign before it, so the next match starts no earlier than that far
    before the next digit; after the last digit there is none."""
    pos = 0
    while (digit := _DIGIT.search(text, pos)) is not None:
        start = digit.start()
        if start > 0 and text[start - 1] in "$€£":
            start -= 1
        while start > 0 and text[start - 1].isspace():
            start -= 1
        match = _NUMBER.search(text, max(pos, start - _LONGEST_QUALIFIER))
        if match is None:  # cannot happen: the digit itself matches
            return
        yield match
        pos = match.end()


def _has_vague(text: str) -> bool:
    return any(map(text.__contains__, _VAGUE_WORDS))


def _number_facts(
    text: str, dates: Sequence[DateMention], events: Sequence[_Event], where: _Where
) -> list[Fact]:
    facts: list[Fact] = []
    taken = [(d.start, d.end) for d in dates]
    for m in _number_matches(text):
        if m.group("n") is None or (taken and any(s <= m.start("n") < e for s, e in taken)):
            continue
        fact = _number_fact(m, text, events, where)
        if fact is not None:
            facts.append(fact)
    # a cheap test first: most sentences hold no "thousands of"
    for m in _VAGUE.finditer(text) if _has_vague(text) else ():
        low, high = _VAGUE_RANGE[m.group("v")]
        unit = m.group("unit")
        event = _nearest_event(events, m.start(), m.end())
        facts.append(
            _count_fact(unit, event, f"{int(low)}-{int(high)} {unit}", "count", m.group(), (low, high), where)
        )
    return facts


def _number_fact(m: re.Match[str], text: str, events: Sequence[_Event], where: _Where) -> Fact | None:
    qualifier, cur, n, scale, pct, unit_words = m.group("q", "cur", "n", "scale", "pct", "unit")
    n_start, n_end = m.span("n")
    previous = text[max(0, n_start - 1) : n_start]
    following = text[n_end : n_end + 1]
    if previous.isalnum() or previous == "-" or following == "-" or (following.isalpha() and not scale):
        return None  # part of a name or code: "G7", "Covid-19", "two-day"
    value = float(n.replace(",", "")) * _SCALE.get(scale or "", 1.0)
    unit, unit_len = _unit(unit_words or "")
    kind = "money" if cur else "number" if pct or unit in _MEASURES else "count"
    what = None
    if cur:
        unit = {"$": "USD", "€": "EUR", "£": "GBP"}[cur]
        what = _MONEY_OF.match(text[m.end("scale") if scale else n_end :])
        unit = f"{unit} {what.group(1)}" if what else unit
    elif pct:
        unit = "percent"
    if not unit or (kind == "count" and value < 2 and not scale):
        return None
    qualifier = qualifier or ""
    low, high = _qualified(value, qualifier.lower())
    shown = f"{qualifier + ' ' if qualifier else ''}{_fmt(value)} {unit}"
    end = m.start("unit") + unit_len if unit_words else m.end()
    if cur:
        end = (m.end("scale") if scale else n_end) + (what.end() if what else 0)
    surface = text[m.start() : end].strip()
    event = _nearest_event(events, m.start(), m.end())
    return _count_fact(unit, event, shown, kind, surface, (low, high), where)


def _count_fact(
    unit: str,
    event: _Event | None,
    shown: str,
    kind: str,
    surface: str,
    interval: tuple[float, float],
    where: _Where,
) -> Fact:
    sentence, outlet, context = where
    cls = event.cls if event else ""
    # durations ("17 years") are ages, terms and spans of all kinds: never a conflict
    # and "said" is no event: it would tie unrelated numbers of one sentence shape
    single = unit not in _DURATIONS and bool(context or cls not in ("", "statement", "report"))
    subject = f"{unit} ({event.subject})" if event else unit
    relation = {"money": "amount", "number": "measure"}.get(kind, "count")
    return Fact(
        (kind, unit.rstrip("s"), cls, *context),
        subject,
        relation,
        shown,
        kind,
        surface,
        interval[0],
        interval[1],
        single,
        sentence,
        outlet,
    )


def _unit(words: str) -> tuple[str, int]:
    """The unit after a number ("containers" in "containers to Russia"), and
    how many characters of `words` it took."""
    kept: list[str] = []
    for word in words.split():
        if word in _UNIT_STOP or (kept and kept[0] in _MEASURES):
            break
        kept.append(word)
    if not kept:
        return "", 0
    return " ".join(kept[-2:]), len(" ".join(kept))


def _qualified(value: float, qualifier: str) -> tuple[float, float]:
    """The interval a qualified number stands for ("about 6,700" is 6,700 ± 10%)."""
    if qualifier in ("more than", "over", "at least"):
        return value, value * 10
    if qualifier in ("less than", "fewer than", "under", "up to", "at most"):
        return 0.0, value
    if qualifier in ("about", "around", "nearly", "almost", "roughly", "approximately", "some"):
        return value * 0.9, value * 1.1
    return value, value


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def new_context(main_person: str, published: date | None) -> _Context:
    return _Context(main_person, published)
