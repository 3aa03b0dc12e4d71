"""The one data model every stage speaks: frozen, slotted dataclasses.

Provenance is structural: a summary line holds `Citation`s that point at
`Sentence`s of real articles, never bare strings, so any output can be traced
back to the exact source text it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class QualityFlag:
    """A quality problem found in an article, with the text that shows it."""

    kind: str  # "garbled", "filler", "truncated", "boilerplate", ...
    score: float  # 0..1, higher is worse
    evidence: str


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned news article.

    `id` is what users and citations see: the JSONL `id` when given, else the
    file name (or feed item link). `key` is the storage identity: the
    normalised URL, or a hash of the cleaned text when there is no URL.
    """

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    language: str = "en"
    source_path: str | None = None
    author: str | None = None
    dateline: str | None = None
    removed: tuple[str, ...] = ()  # boilerplate lines taken out by cleaning
    flags: tuple[QualityFlag, ...] = ()
    key: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article: `text == article.text[start:end]`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """Points at one source sentence."""

    sentence: Sentence

    @property
    def article_id(self) -> str:
        return self.sentence.article_id

    def as_json(self) -> dict[str, object]:
        return {"article": self.sentence.article_id, "sentence": self.sentence.index}


@dataclass(frozen=True, slots=True)
class CitedSentence:
    """A sentence of a write-up and every source sentence that supports it."""

    text: str
    citations: tuple[Citation, ...]

    def as_json(self) -> dict[str, object]:
        return {"text": self.text, "citations": [c.as_json() for c in self.citations]}


@dataclass(frozen=True, slots=True)
class WriteUp:
    """What the summarizer produces for one story."""

    headline: str
    summary: tuple[CitedSentence, ...]
    account: tuple[CitedSentence, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "headline": self.headline,
            "summary": [s.as_json() for s in self.summary],
            "account": [s.as_json() for s in self.account],
        }


@dataclass(frozen=True, slots=True)
class CopyChain:
    """Articles that are copies or rewrites of one report.

    `original` is the earliest (or most complete) member; `copies` the rest.
    """

    original: str
    copies: tuple[str, ...]
    kind: str  # "near-duplicate" or "rewrite"
    similarity: float = 0.0

    @property
    def members(self) -> tuple[str, ...]:
        return (self.original, *self.copies)


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact: subject, relation and a typed, normalised value.

    `asserted_by` / `contradicted_by` / `silent` hold outlet names.
    """

    subject: str
    relation: str
    value: str  # normalised: ISO date, number with unit, ...
    kind: str  # "date", "number", "count", "money", "place", "attribution", ...
    surface: str  # as written in the first source
    evidence: tuple[Citation, ...]
    asserted_by: tuple[str, ...] = ()
    contradicted_by: tuple[str, ...] = ()
    silent: tuple[str, ...] = ()
    # One (outlet, normalised value, surface as written) per evidence citation,
    # in the same order, so conflicts show each version with its source.
    versions: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str
    text: str
    verbatim: bool  # False: a paraphrase, labelled as such
    outlets: tuple[str, ...]
    evidence: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: str  # "person", "organization", "place"
    mentions: int
    role: str = ""
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    when: str  # ISO "YYYY-MM-DD", "YYYY-MM", or "YYYY-MM-DD/YYYY-MM-DD"
    text: str
    evidence: tuple[Citation, ...]
    surfaces: tuple[str, ...] = ()  # the date as written in each cited sentence, same order


@dataclass(frozen=True, slots=True)
class Comparison:
    """How the outlets of one story compare, fact by fact."""

    claims: tuple[Claim, ...] = ()
    quotes: tuple[Quote, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """One event, its articles and its write-up."""

    id: str
    article_ids: tuple[str, ...]
    writeup: WriteUp
    outlets: tuple[str, ...] = ()
    chains: tuple[CopyChain, ...] = ()
    comparison: Comparison = field(default_factory=Comparison)
    first_published: date | None = None
    last_published: date | None = None

    @property
    def headline(self) -> str:
        return self.writeup.headline

    @property
    def independent_sources(self) -> int:
        """Articles, with each copy chain counted once."""
        copied = {c for chain in self.chains for c in chain.copies}
        return len([a for a in self.article_ids if a not in copied])


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used, and why (one line)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.source}: {self.reason}"
