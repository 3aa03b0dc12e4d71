"""Terms that describe an article's event, for clustering.

Title and lead carry the event (who, what, where); the rest of an article is
background that many stories share. Terms are lower-cased content words,
numbers, and capitalised names; text in CJK scripts is handled by
`newsfuse.crosslingual` so Chinese articles meet English ones on the same
terms.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from newsfuse.models import Article
from newsfuse.stem import stem

# Function words (English, and Malay/Indonesian, common in Asian news feeds)
# and news filler: they carry no event.
_STOP_WORDS = """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we you i his her their our your not no so than
    then there here has have had do does did will would can could should may might must
    said says say also about after before over under into out up down more most such
    which who whom whose what when where why how all any each other some only just very
    new one two year years told since while been who per cent percent last first time
    mr mrs ms people many much well like get got make made take took still even back
    yang dan di ke dari untuk dengan pada ini itu dalam tidak akan telah oleh atau juga
    bagi kepada satu sebagai lebih ada mereka kata katanya"""
_STOP = frozenset(_STOP_WORDS.split())
# Letters and digits but not CJK characters: in "在10分钟内检测COVID-19" the
# number and the Latin name must come out as words of their own.
_L = r"[^\W_\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]"
_WORD = re.compile(rf"{_L}+(?:[-.'’]{_L}+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    lead_words: int = 120  # the lead: where a news report states its event
    title_weight: float = 2.0  # the title names the event; count its terms twice
    crosslingual: bool = True  # map Chinese text to English terms when the dictionary is there
    # Names and numbers (capitalised words inside a sentence, digits) are the
    # terms that survive translation and tell events on one topic apart; each
    # distinct one gets this extra weight once (per occurrence over-weights
    # a place named ten times: "Hong Kong" merged two Hong Kong stories on dev).
    name_weight: float = 1.0
    native_weight: float = 1.0  # weight of Chinese words next to their translations
    weekday_words: int = 60  # words of the lead searched for the weekday of the event


def _term(token: str) -> str:
    """The term of a word ("" for a stop word or a short non-number)."""
    low = token.lower().replace("’", "'")
    if low in _STOP or (len(low) < 3 and not low.isdigit()):
        return ""
    return stem(low)


class TermCache:
    """Word -> term and name -> term lookups remembered for one run (an
    index, a batch): news vocabularies repeat heavily. Plain dicts of
    strings, which the garbage collector does not scan, and no state shared
    between runs."""

    __slots__ = ("names", "words")

    def __init__(self) -> None:
        self.words = _Memo(_term)
        self.names = _Memo(_name_term)


class _Memo(dict[str, str]):
    __slots__ = ("function",)

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> str:
        value = self[key] = self.function(key)
        return value


def _latin_terms(text: str, memo: TermCache) -> Counter[str]:
    """Term -> occurrences."""
    return Counter(filter(None, map(memo.words.__getitem__, _WORD.findall(text))))


_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


@cache
def _first_tokens(limit: int) -> re.Pattern[str]:
    """The first `limit` tokens, where a run of letters may hold CJK: exact
    wherever no CJK comes before its end (possessive: it never backtracks)."""
    return re.compile(rf"(?:[\W_]*+[^\W_]++){{{limit}}}")


def _lead(text: str, limit: int) -> str:
    """The first `limit` words; a CJK character counts as half a word (two
    characters make a typical Chinese word)."""
    if limit >= 1:
        # Fast path, one regex match: the limit-th token ends the lead when
        # no CJK comes before it.
        end = _first_tokens(limit).match(text)
        if end is None and not _CJK.search(text):
            return text
        if end is not None and not _CJK.search(text, 0, end.end()):
            return text[: end.end()]
    count = 0.0
    for match in _TOKEN.finditer(text):
        count += 0.5 if _CJK.match(match.group()) else 1.0
        if count >= limit:
            return text[: match.end()]
    return text


@dataclass(slots=True)
class _Terms:
    words: Counter[str]  # term -> occurrences
    native: list[str]  # CJK words and bigrams
    names: list[str]


# A capitalised word not at the start of a sentence or line, or a number.
# (The leading lookahead lets the scan skip most positions at once.)
_NAME = re.compile(
    rf"(?=[A-Z\d])(?<![.!?:]\s)(?<!^)(?<!{_L})"
    rf"(?:[A-Z]{_L}+(?:['’-]{_L}+)*|\d+(?:[.,]\d+)*)(?!{_L})",
    re.MULTILINE,
)


def _names(text: str, memo: TermCache) -> list[str]:
    return list(map(memo.names.__getitem__, _NAME.findall(text)))


def _name_term(name: str) -> str:
    return stem(name.lower().replace("’", "'"))


def text_terms(text: str, cfg: FeatureConfig, memo: TermCache | None = None) -> _Terms:
    memo = memo or TermCache()
    terms = _Terms(_latin_terms(text, memo), [], _names(text, memo) if cfg.name_weight else [])
    if _CJK.search(text):
        from newsfuse.crosslingual import cjk_terms

        cjk = cjk_terms(text, translate=cfg.crosslingual)
        terms.words.update(cjk.translated)
        terms.native.extend(cjk.native)
        # Translated names (cjk.names) are not boosted like Latin ones:
        # measured on dev, that merged stories on one topic (P 0.93 -> 0.89).
    return terms


def article_terms(
    article: Article, cfg: FeatureConfig = FeatureConfig(), memo: TermCache | None = None
) -> dict[str, float]:
    """Term -> weight: counts in the lead; title terms, names and numbers
    weighted up; Chinese words (kept for Chinese-Chinese links) weighted
    by `native_weight` so they do not swamp the translated terms."""
    memo = memo or TermCache()
    lead = text_terms(_lead(article.text, cfg.lead_words), cfg, memo)
    title = text_terms(article.title or "", cfg, memo)
    weights: dict[str, float] = defaultdict(float)
    for term, count in lead.words.items():
        weights[term] += count
    for term in lead.native:
        weights[term] += cfg.native_weight
    for term in {*title.words, *title.native}:
        weights[term] += cfg.title_weight * (cfg.native_weight if term.startswith("zh:") else 1.0)
    for name in {*lead.names, *title.names}:
        if name in weights:  # stop words stay out even when capitalised
            weights[name] += cfg.name_weight
    return dict(weights)


# Weekday names (English, Malay/Indonesian; Chinese 星期一/周一/礼拜一) -> 0-6.
_WEEKDAY_NAMES = """monday tuesday wednesday thursday friday saturday sunday
    isnin selasa rabu khamis jumaat sabtu ahad"""
_WEEKDAY_INDEX = {name: i % 7 for i, name in enumerate(_WEEKDAY_NAMES.split())}
_WEEKDAY_STARTS = "".join(sorted({name[0] for name in _WEEKDAY_INDEX})) + "星周礼"
_WEEKDAY = re.compile(
    rf"(?=[{_WEEKDAY_STARTS}])(?<!{_L})"
    rf"(?:({'|'.join(_WEEKDAY_INDEX)})(?!{_L})|(?:星期|周|礼拜)([一二三四五六日天]))",
    re.IGNORECASE,
)
_ZH_DAYS = "一二三四五六日"


def event_day(article: Article, cfg: FeatureConfig = FeatureConfig()) -> int | None:
    """When the reported development happened, from the first weekday named
    in the title and the first `weekday_words` words ("... on Wednesday"):
    a date ordinal when the article is dated (the latest such weekday on or
    before publication, as news uses it), else the weekday (0 = Monday).
    None when no weekday is named."""
    text = f"{article.title or ''}\n{_lead(article.text, cfg.weekday_words)}"
    match = _WEEKDAY.search(text)
    if match is None:
        return None
    latin, chinese = match.groups()
    weekday = _WEEKDAY_INDEX[latin.lower()] if latin else _ZH_DAYS.find(chinese) % 7
    if article.published is None:
        return weekday
    published = article.published.toordinal()
    return published - (article.published.weekday() - weekday) % 7


_EN_FUNCTION_WORDS = "the of and to in a is that for on with was as by at from his has have are"
_EN_FUNCTION = frozenset(_EN_FUNCTION_WORDS.split())


def guess_language(article: Article) -> str:
    """Guess "zh" (Chinese script), "en" (English) or "xx" (other Latin-script text).

    Only used to calibrate similarities: articles in two languages share
    fewer terms for the same event than two in one language."""
    sample = f"{article.title or ''} {article.text[:600]}"
    cjk = len(_CJK.findall(sample))
    tokens = _WORD.findall(sample)
    if cjk > max(20, len(tokens)):
        return "zh"
    function = sum(map(_EN_FUNCTION.__contains__, map(str.lower, tokens)))
    return "en" if tokens and function / len(tokens) >= 0.08 else "xx"


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None
