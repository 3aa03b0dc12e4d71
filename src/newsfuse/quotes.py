"""Quotes and paraphrases: who said what, in which outlets.

A quote is text between quotation marks that occurs verbatim (quote marks and
white space aside) in at least one source. Reported speech without quotation
marks ("Ushakov stressed that the agreement ...", "..., the official said") is
kept as a paraphrase, labelled `verbatim=False`, so a reader never mistakes an
outlet's rewording for the speaker's words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsfuse.entities import Mention
from newsfuse.gazetteer import fold, word_alternation
from newsfuse.models import Citation, Quote, Sentence

_QUOTED = re.compile(r"“([^”“\n]{2,600})”|\"([^\"\n]{2,600})\"|``([^'\n]{2,600})''")
_SPEECH = (
    r"said|says|told|tells|stressed|added|adds|confirmed|confirms|stated|stating|noted|warned|insisted|"
    r"wrote|called|calls|revealed|expressed|announced|hailed|according to|quoted|explained|argued|"
    r"claimed|declared|urged|replied|responded|saying|indicated|highlighted|reported"
)
# Between word boundaries at most one of the verbs matches at a position (none
# is another followed by more letters), so a prefix tree of them matches what
# the list does; `re` then follows one branch where a word starts.
_SPEECH_TREE = word_alternation(_SPEECH.split("|"))
# Speech verbs in any case: matched case-sensitively against `fold(text)`, the
# same matches at the same offsets as `re.IGNORECASE`, several times faster.
_SPEECH_FOLDED = re.compile(rf"\b(?:{_SPEECH_TREE})\b")
_DESCRIPTOR = re.compile(
    r"((?:\b[Aa]n?|\b[Tt]he|[A-Z][\w-]*[’']s)\s+(?:[\w’'-]+\s+){0,4}?(?:official|officials|spokesman|spokeswoman|spokesperson|source|"
    r"sources|diplomat|diplomats|minister|representative|envoy|aide|adviser|ministry|newspaper))\b"
)
_QUOTED_AS = re.compile(r"\bquoted\s+(?P<who>.{3,80}?)\s+as\s+(?:saying|stating)\b")
_PRONOUN_SPEAKER = re.compile(  # matched against `fold(text)`: the matches of `re.IGNORECASE`
    r"(?:^|[,“\"]\s*)(?:he|she)\s+(?:said|says|added|told|stressed)\b"
)
_REPORTED = re.compile(
    rf"\b(?P<verb>{_SPEECH_TREE})\b(?:\s+(?:\w+\s+){{0,3}}?)?\s+that\s+(?P<clause>[^“”\"]{{12,}})$"
    r"|\b(?P<verb2>said|says)\s+(?!that\b)(?P<clause2>(?:the|a|an|[A-Z])\b[^“”\"]{12,})$"
)
_TRAILING = re.compile(
    r"^(?P<clause>[^“”\"]{12,}?),\s+(?P<who>[^,]{2,60}?)\s+(?:said|says|added|stressed|told \w+"
    r"|reported)\s*(?:[,.]|$)"
)


@dataclass(frozen=True, slots=True)
class _Found:
    speaker: str
    text: str
    verbatim: bool
    sentences: tuple[Sentence, ...]
    outlet: str


_QUOTE_MARKS = "“”\"`‘’'"


def normalise_quote(text: str) -> str:
    """Quote marks and white space aside, for the verbatim test and for merging."""
    # one `replace` per mark present: what `translate` deleting them gives, faster
    for mark in _QUOTE_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    text = " ".join(text.split()).lower()  # `\s+` -> " ", stripped: str.split splits on `\s`
    return text.strip(" ,.;:!?—–-")


def occurs_verbatim(quote: str, sources: Sequence[str], normalised: bool = False) -> bool:
    """True when `quote` occurs in one of `sources` (already normalised when `normalised`)."""
    needle = normalise_quote(quote)
    texts = sources if normalised else [normalise_quote(text) for text in sources]
    return bool(needle) and any(needle in text for text in texts)


def _speaker(text: str, quote_start: int, quote_end: int, mentions: Sequence[Mention]) -> str:
    """Who speaks: the person or organisation nearest a speech verb outside the quote."""
    outside = [
        m
        for m in mentions
        if m.kind in ("person", "organization") and not (quote_start <= m.start < quote_end)
    ]
    as_saying = _QUOTED_AS.search(text)
    if as_saying:
        return as_saying.group("who").strip()
    verbs = [v for v in _SPEECH_FOLDED.finditer(fold(text)) if not (quote_start <= v.start() < quote_end)]
    best: tuple[int, str, int] | None = None
    for verb in verbs:
        # the source's own letters: `fold` and `str.lower` part on "İ"
        according = text[verb.start() : verb.end()].lower() == "according to"
        for m in outside:
            distance = m.start - verb.end() if m.start >= verb.end() else verb.start() - m.end
            if distance < 0 or distance > 60:
                continue
            rank = distance + (0 if m.kind == "person" else 8) + (6 if according else 0)
            if best is None or rank < best[0]:
                best = (rank, m.name, m.end)
    if best:
        role_noun = _ROLE_NOUN.match(text[best[2] :])
        return f"{best[1]} {role_noun.group(1)}" if role_noun else best[1]
    for verb in verbs:
        window = text[max(0, verb.start() - 60) : verb.start()]
        descriptors = list(_DESCRIPTOR.finditer(window))
        if descriptors:
            return _lower_article(descriptors[-1].group(1))
        following = _DESCRIPTOR.match(text[verb.end() :].lstrip())
        if following:
            return _lower_article(following.group(1))
    ranked = sorted(outside, key=lambda m: m.kind != "person")
    return ranked[0].name if ranked and verbs else ""


def _sentences_over(sentences: Sequence[Sentence], start: int, end: int) -> tuple[Sentence, ...]:
    return tuple(s for s in sentences if s.start < end and start < s.end)


def find_quotes(
    article_text: str,
    sentences: Sequence[Sentence],
    outlet: str,
    mentions_of: Callable[[Sentence], Sequence[Mention]],
    main_person: str,
) -> list[_Found]:
    """Quotes and paraphrases in one article."""
    found: list[_Found] = []
    last_speaker = ""
    quoted_sentences: set[int] = set()
    for m in _QUOTED.finditer(article_text):
        inner = next(g for g in m.groups() if g is not None)
        span = _sentences_over(sentences, m.start(), m.end())
        if not span or not inner.strip():
            continue
        quoted_sentences.update(s.index for s in span)
        host = span[-1] if len(span) > 1 and _SPEECH_FOLDED.search(fold(span[-1].text)) else span[0]
        offset = host.start
        speaker = _speaker(host.text, m.start() - offset, m.end() - offset, mentions_of(host))
        if not speaker and _PRONOUN_SPEAKER.search(fold(host.text[max(0, m.end() - offset) :])):
            speaker = last_speaker or main_person
        last_speaker = speaker or last_speaker
        found.append(_Found(speaker, inner.strip(), True, span, outlet))
    for s in sentences:
        if s.index in quoted_sentences or not _has_any(s.text, _REPORTING_WORDS):
            continue
        paraphrase = _paraphrase(s, mentions_of(s), last_speaker or main_person)
        if paraphrase is not None:
            found.append(_Found(paraphrase[0], paraphrase[1], False, (s,), outlet))
            last_speaker = paraphrase[0]
    return found


_ROLE_NOUN = re.compile(r"\s+(spokesman|spokeswoman|spokesperson|official|source)\b")
_PRONOUN_END = re.compile(r"\b(?:He|She|he|she)\s*$")
_ARTICLE = re.compile(r"^(A|An|The)\b")
_TRAILING_VERBS = ("said", "says", "added", "stressed", "told", "reported")
_CITED_VERBS = ("said", "says", "report", "told", "confirmed", "quoted")
_CITING_WORDS = ("according to", "report", "citing", "told", "telling", "quoted by", "confirmed to")


def _has_any(text: str, words: Sequence[str]) -> bool:
    return any(map(text.__contains__, words))


# `_paraphrase` reads a sentence holding one of these words, and no other:
# the words its two patterns are tried on.
_REPORTING_WORDS = ("that", *_TRAILING_VERBS)


def _paraphrase(s: Sentence, mentions: Sequence[Mention], previous: str) -> tuple[str, str] | None:
    """(speaker, reported clause) for reported speech without quotation marks."""
    text = s.text
    # Literal words each pattern needs, tested before the (slower) regexes.
    trailing = _TRAILING.match(text) if "," in text and _has_any(text, _TRAILING_VERBS) else None
    if trailing:
        who = trailing.group("who")
        speaker = _name_in(who, mentions, trailing.start("who")) or _descriptor(who)
        if speaker:
            return speaker, trailing.group("clause").strip()
    # A match holds no quotation mark and runs to the end: it starts after the last one.
    reported = (
        _REPORTED.search(text, _after_last_quote(text))
        if "that" in text or "said" in text or "says" in text
        else None
    )
    if reported is None:
        return None
    clause = (reported.group("clause") or reported.group("clause2")).strip().rstrip(".")
    quoted_as = _QUOTED_AS.search(text)
    if quoted_as:
        return quoted_as.group("who").strip(), clause
    verb_start = reported.start("verb") if reported.group("verb") else reported.start("verb2")
    head = text[:verb_start]
    if _PRONOUN_END.search(head):
        return (previous, clause) if previous else None
    speaker = _name_in(head, mentions, 0, nearest_end=True) or _descriptor(head)
    return (speaker, clause) if speaker else None


def _after_last_quote(text: str) -> int:
    return max(text.rfind("“"), text.rfind("”"), text.rfind('"')) + 1


def _name_in(fragment: str, mentions: Sequence[Mention], offset: int, nearest_end: bool = False) -> str:
    inside = [
        m
        for m in mentions
        if m.kind in ("person", "organization") and offset <= m.start and m.end <= offset + len(fragment)
    ]
    if not inside:
        return ""
    people = [m for m in inside if m.kind == "person"] or inside
    return people[-1].name if nearest_end else people[0].name


def _descriptor(fragment: str) -> str:
    found = list(_DESCRIPTOR.finditer(fragment))
    return _lower_article(found[-1].group(1)) if found else ""


def _lower_article(phrase: str) -> str:
    """ "The official" at a sentence start and "the official" are one speaker."""
    return _ARTICLE.sub(lambda m: m.group(1).lower(), phrase)


def merge_quotes(found: Sequence[_Found], sources: Sequence[str]) -> list[Quote]:
    """One Quote per distinct text, with every outlet that carries it.

    A verbatim quote is kept only when its text occurs in a source (a guard:
    it was read from one, so this fails only on a bug).
    """
    groups: dict[tuple[str, bool], list[_Found]] = defaultdict(list)
    for f in found:
        groups[(normalise_quote(f.text), f.verbatim)].append(f)
    quotes = []
    normalised: list[str] | None = None  # the sources, normalised when a verbatim quote asks
    for (needle, verbatim), members in groups.items():
        text = members[0].text
        if verbatim:
            if normalised is None:
                normalised = [normalise_quote(source) for source in sources]
            # `occurs_verbatim(text, normalised, normalised=True)`; `needle` is `text` normalised
            if not (needle and any(needle in source for source in normalised)):
                continue
        if len(members) == 1:
            speaker = members[0].speaker
        else:
            speakers = Counter(m.speaker for m in members if m.speaker)
            speaker = speakers.most_common(1)[0][0] if speakers else ""
        # every sentence cited once, in the order first cited
        evidence = tuple(dict.fromkeys(Citation(s) for m in members for s in m.sentences))
        outlets = tuple(sorted({m.outlet for m in members}))
        quotes.append(Quote(speaker, text, verbatim, outlets, evidence))
    quotes.sort(key=lambda q: (not q.verbatim, -len(q.outlets), q.speaker, q.text))
    return quotes


# matched against `fold(text)`: the matches of `re.IGNORECASE`, at the same offsets
_CITING = re.compile(
    r"\b(?:according to|reports? (?:by|from)|citing|told|telling|quoted by"
    r"|confirmed to)\s+(?:reports? (?:by|from)\s+)?"
    r"(?:(?:a|the)\s+(?:report|reports)\s+(?:by|from)\s+)?"
)
# matched where a name ends (`match(text, pos)`: no "^")
_CITED_BEFORE = re.compile(
    r"\s+(?:newspaper\s+|news agency\s+)?(?:said|says|reported|reports|told|confirmed|quoted)\b"
)


def find_sources(text: str, mentions: Sequence[Mention], folded: str | None = None) -> list[str]:
    """Who a sentence cites as its source: "according to X", "X reported",
    "told Reuters", besides the speakers of its quotes. `folded`: `fold(text)`
    when the caller has it."""
    names: list[str] = []
    speakers = [m for m in mentions if m.kind in ("person", "organization")]
    if not speakers:
        return names
    # Literal words each pattern needs, tested before the (slower) regexes.
    if _has_any(text, _CITED_VERBS):
        for m in speakers:
            if _CITED_BEFORE.match(text, m.end):
                names.append(m.name)
    folded = fold(text) if folded is None else folded
    for cite in _CITING.finditer(folded) if _has_any(folded, _CITING_WORDS) else ():
        following = [m for m in speakers if 0 <= m.start - cite.end() <= 25]
        if following:
            names.append(following[0].name)
    return list(dict.fromkeys(names))
