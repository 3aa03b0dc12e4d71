"""Fast sentence splitting and word helpers shared by every stage.

A regex splitter rather than pysbd: pysbd runs at ~8 news documents/s here,
far too slow for a digest that must handle hundreds of articles a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsfuse.models import Article, Sentence

# Abbreviations after which a period does not end a sentence. Lower-cased,
# without the final period.
_ABBREVIATIONS_TEXT = """
mr mrs ms dr prof sr jr st mt gen lt col sgt capt cmdr adm gov sen rep rev hon pres supt insp
det messrs no nos vs etc inc corp ltd co bros approx est dept univ assn fig al ave blvd rd jan
feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m d.c n.y l.a ph.d mass
calif fla wash
"""
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())

# A candidate boundary: terminal punctuation, optional closing quotes or
# brackets, then white space; or a blank line / line break.
_BOUNDARY = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)|(\n\s*)""")
# Where a boundary can start. re tries _BOUNDARY at every character; jumping
# from one of these to the next (a fast scan in C) finds the same matches.
_BOUNDARY_START = re.compile(r"[.!?…\n]")
_NEXT_STARTS_SENTENCE = re.compile(r"""["'“‘(\[`]*[A-Z0-9À-Ý]""")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


# The letters, digits and periods just before a period, read backwards: [^\W_] is
# exactly str.isalnum. A window bounds the reversed copy; a longer run is walked.
_RUN_BACKWARDS = re.compile(r"(?:[^\W_]|\.)*")
_RUN_WINDOW = 48
_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")


def _run_start(text: str, end: int) -> int:
    """Where the run of letters, digits and periods that ends at `end` starts."""
    low = max(0, end - _RUN_WINDOW)
    run = _RUN_BACKWARDS.match(text[low:end][::-1])
    start = end - (run.end() if run else 0)
    while start == low and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
        low = start
    return start


def _is_abbreviation(text: str, dot_pos: int) -> bool:
    """True when the period at dot_pos closes an abbreviation or initial."""
    start = _run_start(text, dot_pos)
    token = text[start:dot_pos].lower()
    if not token:
        return False
    if token in _ABBREVIATIONS:
        return True
    # Single capital initials ("J. Smith") and dotted acronyms ("U.S.").
    if len(token) == 1 and text[start].isupper():
        return True
    return _DOTTED_ACRONYM.fullmatch(token) is not None


def _boundaries(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_BOUNDARY.finditer(text)`, found faster."""
    candidate = _BOUNDARY_START.search(text)
    while candidate is not None:
        match = _BOUNDARY.match(text, candidate.start())
        if match is None:
            candidate = _BOUNDARY_START.search(text, candidate.start() + 1)
        else:
            yield match
            candidate = _BOUNDARY_START.search(text, match.end())


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) character spans of the sentences of `text`."""
    start = 0
    for match in _boundaries(text):
        if match.group(3) is not None:
            end = match.start(3)
        else:
            end = match.end(1)
            after = match.end(2)
            if _NEXT_STARTS_SENTENCE.match(text, after, after + 3) is None:
                continue
            punct = match.group(1)
            single_period = punct[0] == "." and len(punct.rstrip("\"'”’)]")) == 1
            if single_period and _is_abbreviation(text, match.start(1)):
                continue
        span = _trimmed(text, start, end)
        if span:
            yield span
        start = match.end()
    span = _trimmed(text, start, len(text))
    if span:
        yield span


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding white space; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The article's sentences, indexed from 0, with character offsets."""
    return tuple(
        Sentence(article.id, index, start, end, article.text[start:end])
        for index, (start, end) in enumerate(sentence_spans(article.text))
    )


def words(text: str) -> list[str]:
    """Word tokens, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
