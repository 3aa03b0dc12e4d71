"""What kind of line a source sentence is, for the summarizers.

Site furniture, padding, captions and headlines are never summary material;
status lines ("X confirmed...") and background ("last month...") are poor
uses of one of the summary's few slots. Cheap tests, run once per sentence.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True, slots=True)
class WordSearch:
    """A case-insensitive search for `\\b(?:pattern)`, the pattern written in lower case.

    Searching lower-cased text case-sensitively (`folded`) is several times
    faster than re.IGNORECASE, and gives the same answer when every letter is ASCII.
    """

    anycase: re.Pattern[str]
    lowercase: re.Pattern[str]
    # Lower-case texts a match must contain one of (empty: no such hint); a few
    # substring tests are cheaper than the search they save.
    hints: tuple[str, ...] = ()

    @classmethod
    def of(cls, pattern: str, hints: str = "") -> WordSearch:
        """`hints`: the lower-case texts, `|`-separated."""
        pair = re.compile(rf"\b(?:{pattern})", re.IGNORECASE), re.compile(rf"\b(?:{pattern})")
        return cls(*pair, tuple(hints.split("|")) if hints else ())

    def found(self, text: str, folded: str | None) -> bool:
        """Whether `text` matches; `folded` is `case_folded(text)`."""
        if folded is None:
            return self.anycase.search(text) is not None
        if self.hints and not _holds_any(folded, self.hints):
            return False
        return self.lowercase.search(folded) is not None


def _holds_any(text: str, parts: tuple[str, ...]) -> bool:
    # A plain loop: any() over a generator costs more than the tests it skips.
    for part in parts:  # noqa: SIM110
        if part in text:
            return True
    return False


# Non-ASCII characters common in news that have no case: text whose only
# non-ASCII characters are these lower-cases exactly as re.IGNORECASE folds it.
_UNCASED = str.maketrans("", "", "‘’“”—–…\xa0")


def case_folded(text: str) -> str | None:
    """`text.lower()` when matching it equals a case-insensitive match of `text`, else None."""
    if text.isascii() or text.translate(_UNCASED).isascii():
        return text.lower()
    return None


# Site furniture that can survive cleaning; never summary material.
BOILERPLATE = WordSearch.of(
    r"click|subscribe|sign up|newsletter|follow us|share this|leave a comment|comments?\b.{0,20}below|"
    r"all rights reserved|copyright|cookies?|advertisement|read more|see also|also read|related:|"
    r"exit mobile version|latest news|photo:|image:|file photo|getty images|terms of use|"
    # Widgets addressing the reader: embedded posts' location notices, follow buttons, players.
    r"location information|location history|as an interest\b|stay up to date|to your inbox|"
    r"your browser|the video (?:above|below)",
    hints="click|subscribe|sign up|newsletter|follow us|share this|comment|all rights|copyright|cookie|"
    "advertisement|read more|also|related:|exit mobile|latest news|photo|image:|getty images|terms of use|"
    "location|as an interest|stay up to date|to your inbox|your browser|the video",
)
# Padding that restates rather than reports.
_FILLER = re.compile(
    r"^(?:In conclusion|In summary|To sum up|To conclude|In short|Overall|All in all|Ultimately)\b", re.I
)
# A sentence about whether something is confirmed, denied, commented on or being
# prepared reports on the reporting; unless it carries a concrete detail (a number,
# a date) it is a poor use of one of the summary's few sentences.
STATUS = WordSearch.of(
    r"(?:confirm\w*|den(?:y|ies|ied)|comment\w*|prepar\w*|underway|disclos\w*)\b"
    # A stated wish ("X has said it hopes to build ties in all areas") reports an
    # intention, not something that happened or was decided.
    r"|(?:hopes?|wants?|wish(?:es)?|desires?|intends?)\s+to\b|expressed\s+(?:its|his|her|their)\s+(?:desire|wish|hope)",
    hints="confirm|deny|deni|comment|prepar|underway|disclos|hope|want|wish|desire|intend|expressed",
)
# Old news or a second-hand quote: "last month", "quoted X as saying". Background,
# not what happened now; it may fill an account but is a poor use of a summary slot.
BACKGROUND = WordSearch.of(
    r"last (?:month|week|year|spring|summer|autumn|fall|winter|january|february|march|april|may|june|"
    r"july|august|september|october|november|december)\b|quoted\b.{1,80}\bas (?:saying|stating)\b",
    hints="last |quoted",
)
# A photo caption that survived cleaning: names, then straight into a preposition
# ("Vladimir Putin and Kim Jong Un during a visit to ... in September 2023."),
# with no finite verb anywhere (checked by _has_verb).
_CAPTION_OPENING = re.compile(
    r"^(?:[A-Z][\w.'’-]*,?\s+(?:(?:and|&)\s+)?){2,8}(?:during|at|in|on|with|after|before|as|near|outside|inside)\s"
)
_AUXILIARIES_TEXT = """
is are was were be been being am has have had will would can could may might must shall should do
does did said says told met took went came made gave saw got left held found became began brought
built bought ran won lost fell rose hit cut put set led sent spent kept struck spoke wrote broke
chose drove flew grew knew threw sold paid stood sat fought caught thought sought heard fled
"""
_AUXILIARIES = frozenset(_AUXILIARIES_TEXT.split())
# First letters of a word in running text (a-z, à-ÿ), not of a name or a headline word.
_LOWER_INITIALS = frozenset(map(chr, range(ord("a"), ord("z") + 1))) | frozenset(map(chr, range(0xE0, 0x100)))
_FIRST = operator.itemgetter(0)
_DIGIT = re.compile(r"\d")


def _has_verb(text: str) -> bool:
    for token in TOKEN.findall(text)[1:]:
        if not token[0].islower():
            continue
        if (
            token in _AUXILIARIES
            or token.endswith("ed")
            or (token.endswith("s") and not token.endswith(("ss", "us", "is")))
        ):
            return True
    return False


def is_caption(text: str) -> bool:
    """A verbless line that opens on names and a preposition: a photo caption, not a sentence."""
    return _CAPTION_OPENING.match(text) is not None and not _has_verb(text)


def has_digit(text: str) -> bool:
    # \d is the decimal digits; str.isdigit also takes superscripts and the like.
    return _DIGIT.search(text) is not None or (not text.isascii() and any(ch.isdigit() for ch in text))


def eligible(raw: str, text: str, words: list[str], folded: str | None) -> bool:
    """`folded`: `case_folded(text)`."""
    n_words = len(words)
    if n_words < 6 or n_words > 70:
        return False
    stripped = raw.rstrip("\"'”’)] ")
    if stripped.endswith(("...", "…")):
        return False  # a teaser cut short
    if not stripped or stripped[-1] not in ".!;":
        return False  # headlines, list items, truncated fragments, questions
    if (
        _FILLER.match(text)
        or is_caption(text)
        or BOILERPLATE.found(raw, folded if raw is text else case_folded(raw))
    ):
        return False
    lowered = sum(map(_LOWER_INITIALS.__contains__, map(_FIRST, words)))
    return lowered >= n_words * 0.3  # a title-cased line is a headline, not a sentence
