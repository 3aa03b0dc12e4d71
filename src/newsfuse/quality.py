"""Quality flags of a cleaned article, each with a score (0..1, higher is
worse) and the text that shows the problem.

- garbled: machine-translated word salad. Its mark is a clause that restarts
  mid-sentence with a capitalised function word and no punctuation ("the
  latest sign Deep conditioning This has raised ..."), or two words glued
  together ("SeptemberThe"). Edited prose almost never does either.
- filler: closing paragraphs ("In conclusion, ...") that add no fact: no
  number, date or name that the article has not already given.
- truncated / paywall: text that stops mid-sentence, or a subscription wall.
- boilerplate: widget text that survived cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.boilerplate import ends_sentence, words_at_most
from newsfuse.gazetteer import fold, word_alternation, wordset
from newsfuse.models import QualityFlag

# Function words that start a clause; capitalised inside a sentence they mark
# a new clause pasted in without punctuation.
# As a prefix tree ("Th(?:at|e(?:ir|n|re|se)?|...)"): each is followed by white
# space in every pattern, so at most one can match and the order is moot.
_CLAUSE_STARTERS = word_alternation(
    wordset(
        """
        The This That These Those It Its It's It’s He She They We His Her Their Our For Over
        There From With After Before When While Although But And However Which Who Then
        Since During Because If As
        """
    )
)
_RESTART = re.compile(rf"(?<=[\w%$)])\s+({_CLAUSE_STARTERS})\s+(?=[\w$“\"'‘])")
# Same hits as `[a-z]{3,}(...)\s` (a capital never extends the lowercase run),
# but tried only where a clause word starts: several times faster.
_GLUED = re.compile(rf"(?<=[a-z]{{3}})(?:{_CLAUSE_STARTERS})\s")
# Every place a restart or a glued word could be counted: a clause word with
# white space after it. Used to skip the per-sentence work on clean prose.
_CLAUSE_WORD = re.compile(rf"(?:{_CLAUSE_STARTERS})(?=\s)")
_QUOTE_OR_TITLE = re.compile(r"[“\"‘]|\b[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+\b")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)]*|$)")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]+")
_NUMBER = re.compile(r"\d")
_FILLER_OPENING = re.compile(
    r"^(?:in conclusion|in summary|to sum up|to conclude|overall|all in all|in short|"
    r"ultimately|in the end|as we can see|it remains to be seen|only time will tell|"
    r"as the situation (?:unfolds|develops)|the world (?:will be )?watch)",
    re.I,
)
_FILLER_PHRASES = re.compile(
    r"\b(?:underscores?|highlights? the importance|remains? to be seen|only time will tell|"
    r"significant implications|broader (?:effort|strategy|context)|geopolitical landscape|"
    r"it is (?:important|worth) (?:to note|noting)|plays? a (?:crucial|vital|key) role)\b",
    re.I,
)
_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read|keep reading|unlock)|to continue reading|"
    r"this (?:article|content|story) is (?:only )?(?:available )?(?:for|to) (?:subscribers|members)|"
    r"already a subscriber|subscribers only|sign in to (?:continue|read)|"
    r"create a free account to (?:continue|read)|you have reached (?:your|the) (?:free )?article limit)",
    re.I,
)
_LEFTOVER = re.compile(
    r"(?:https?://|www\.\w|\b(?:click here|follow us|sign up|subscribe|newsletter|"
    r"share this|all rights reserved|cookie)\b)",
    re.I,
)
# Literal words every match of a pattern holds (lower-cased): a text
# without any of them cannot match, so the case-insensitive scan is skipped.
_FILLER_KEYS = (
    "underscore",
    "highlight",
    "to be seen",
    "only time will tell",
    "significant implications",
    "broader ",
    "geopolitical landscape",
    "it is ",
    " role",
)
_PAYWALL_KEYS = (
    "subscri",
    "continue reading",
    "this article is ",
    "this content is ",
    "this story is ",
    "sign in to",
    "free account",
    "article limit",
)
_LEFTOVER_KEYS = (
    "http",
    "www.",
    "click here",
    "follow us",
    "sign up",
    "subscribe",
    "newsletter",
    "share this",
    "all rights reserved",
    "cookie",
)


@dataclass(frozen=True, slots=True)
class QualityConfig:
    garbled_min_hits: int = 3  # restarts needed before text counts as garbled
    garbled_min_rate: float = 0.06  # restarts per sentence
    filler_min_share: float = 0.0  # flag any filler paragraph


def _restarts(sentence: str) -> int:
    hits = 0
    for match in _RESTART.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        # "said The Hague", quoted titles and Title Case headlines are fine.
        if before.endswith(("—", "–", "-", ":", ";", ",")) or (
            _QUOTE_OR_TITLE.search(sentence[max(0, match.start() - 25) : match.end() + 25])
            and match.group(1) in ("The", "And", "Of", "For")
        ):
            continue
        hits += 1
    return hits + len(_GLUED.findall(sentence))


def _mostly_title_case(line: str) -> bool:
    words = _WORD.findall(line)
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) > 0 and capitalised / len(words) > 0.6


def _restart_candidates(text: str) -> int:
    """An upper bound of the restarts and glued words `garbled` can count:
    clause words after a word (and white space) or glued to three lower-case
    letters. Sentence starts follow punctuation, so clean prose has few."""
    count = 0
    for match in _CLAUSE_WORD.finditer(text):
        start = i = match.start()
        while i > 0 and text[i - 1].isspace():
            i -= 1
        if 0 < i < start and (text[i - 1].isalnum() or text[i - 1] in "_%$)"):
            count += 1  # a restart: `(?<=[\w%$)])\s+` before the word
        elif start >= 3 and all("a" <= c <= "z" for c in text[start - 3 : start]):
            count += 1  # a glued word
    return count


def garbled(paragraphs: Sequence[str], cfg: QualityConfig = QualityConfig()) -> QualityFlag | None:
    """Flag machine-garbled text, with its worst sentence as evidence."""
    if _restart_candidates("\n".join(paragraphs)) < cfg.garbled_min_hits:
        return None  # too few places for a restart: the full count cannot reach the floor
    total = 0
    hits = 0
    worst = ("", 0)
    for paragraph in paragraphs:
        if _mostly_title_case(paragraph):
            continue
        for sentence in _SENTENCE.findall(paragraph):
            sentence = sentence.strip()
            if words_at_most(sentence, 3):
                continue
            total += 1
            # both restart patterns need a clause word with white space after it
            count = _restarts(sentence) if _CLAUSE_WORD.search(sentence) else 0
            hits += count
            if count > worst[1]:
                worst = (sentence, count)
    if total == 0 or hits < cfg.garbled_min_hits or hits / total < cfg.garbled_min_rate:
        return None
    score = min(1.0, hits / total * 2)
    return QualityFlag("garbled", round(score, 3), worst[0][:400])


def _facts(text: str) -> set[str]:
    """Names and numbers: capitalised words past a sentence start, and digits."""
    found = {m.group(0).lower() for m in _CAPITALISED.finditer(text)}
    found |= set(re.findall(r"\d[\d,.]*", text))
    return found


def _vague(paragraph: str) -> bool:
    """A filler opening, or two filler phrases (looked for only when the
    paragraph holds a word that each phrase needs)."""
    if _FILLER_OPENING.match(paragraph):
        return True
    folded = fold(paragraph)
    return any(key in folded for key in _FILLER_KEYS) and len(_FILLER_PHRASES.findall(paragraph)) >= 2


def filler(paragraphs: Sequence[str], cfg: QualityConfig = QualityConfig()) -> QualityFlag | None:
    """Flag padding paragraphs that restate without adding a fact."""
    if not any(_vague(p) and not _NUMBER.search(p) for p in paragraphs[1:]):
        return None  # no paragraph after the first can be padding
    seen: set[str] = set()
    padded: list[str] = []
    words_total = 0
    words_padded = 0
    for paragraph in paragraphs:
        words = len(_WORD.findall(paragraph))
        words_total += words
        facts = _facts(paragraph)
        new_facts = facts - seen
        if _vague(paragraph) and seen and len(new_facts) <= 1 and not _NUMBER.search(paragraph):
            padded.append(paragraph)
            words_padded += words
        seen |= {w.lower() for w in _WORD.findall(paragraph)} | facts
    if not padded or words_total == 0 or words_padded / words_total < cfg.filler_min_share:
        return None
    score = min(1.0, 0.5 + words_padded / words_total)
    return QualityFlag("filler", round(score, 3), padded[0][:400])


def truncated(paragraphs: Sequence[str]) -> QualityFlag | None:
    """Flag text that stops mid-sentence or on an ellipsis."""
    if not paragraphs:
        return None
    last = paragraphs[-1].rstrip()
    if last.endswith(("...", "…", "[…]", "[...]")) or not ends_sentence(last, ".!?…:", '"”’'):
        return QualityFlag("truncated", 0.5, last[-200:])
    return None


def paywall(text: str, removed: Sequence[str]) -> QualityFlag | None:
    for source in (text, *removed):
        folded = fold(source)
        if not any(key in folded for key in _PAYWALL_KEYS):
            continue
        match = _PAYWALL.search(source)
        if match:
            start = max(0, match.start() - 80)
            return QualityFlag("paywall", 0.8, source[start : match.end() + 80].strip())
    return None


def _leftover(paragraph: str) -> bool:
    folded = fold(paragraph)
    return (
        any(key in folded for key in _LEFTOVER_KEYS)
        and words_at_most(paragraph, 25)
        and _LEFTOVER.search(paragraph) is not None
    )


def leftover_boilerplate(paragraphs: Sequence[str]) -> QualityFlag | None:
    """Flag kept lines that still read like widgets or links."""
    suspects = [p for p in paragraphs if _leftover(p)]
    if not suspects:
        return None
    return QualityFlag("boilerplate", round(min(1.0, 0.3 * len(suspects)), 3), suspects[0][:200])


def quality_flags(
    paragraphs: Sequence[str], removed: Sequence[str] = (), cfg: QualityConfig = QualityConfig()
) -> tuple[QualityFlag, ...]:
    """Every quality flag that applies to an article's body paragraphs."""
    text = "\n".join(paragraphs)
    found = (
        garbled(paragraphs, cfg),
        filler(paragraphs, cfg),
        paywall(text, removed),
        truncated(paragraphs),
        leftover_boilerplate(paragraphs),
    )
    return tuple(flag for flag in found if flag is not None)
