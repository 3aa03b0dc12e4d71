"""Terms that describe an article's event, for clustering.

Title and lead carry the event (who, what, where); the rest of an article is
background that many stories share. Terms are lower-cased content words,
numbers, and capitalised names; text in CJK scripts is handled by
`newsfuse.crosslingual` so Chinese articles meet English ones on the same
terms.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsfuse.models import Article
from newsfuse.stem import stem

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
_WORD = re.compile(r"[^\W_]+(?:[-.'’][^\W_]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    lead_words: int = 120  # the lead: where a news report states its event
    title_weight: float = 2.0  # the title names the event; count its terms twice
    crosslingual: bool = True  # map Chinese text to English terms when the dictionary is there
    # Names and numbers (capitalised words inside a sentence, digits) are the
    # terms that survive translation and tell events on one topic apart.
    name_weight: float = 1.0


def _latin_terms(text: str) -> list[str]:
    out = []
    for token in _WORD.findall(text):
        if _CJK.search(token):
            continue
        low = token.lower().replace("’", "'")
        if low in _STOP or (len(low) < 3 and not low.isdigit()):
            continue
        out.append(stem(low))
    return out


_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


def _lead(text: str, limit: int) -> str:
    """The first `limit` words; a CJK character counts as half a word (two
    characters make a typical Chinese word)."""
    count = 0.0
    for match in _TOKEN.finditer(text):
        count += 0.5 if _CJK.match(match.group()) else 1.0
        if count >= limit:
            return text[: match.end()]
    return text


def text_terms(text: str, cfg: FeatureConfig) -> list[str]:
    terms = _latin_terms(text)
    if _CJK.search(text):
        from newsfuse.crosslingual import cjk_terms

        terms.extend(cjk_terms(text, translate=cfg.crosslingual))
    return terms


# A capitalised word not at the start of a sentence or line, or a number.
_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b(?:[A-Z][^\W_]+(?:['’-][^\W_]+)*|\d+(?:[.,]\d+)*)", re.MULTILINE)


def _names(text: str) -> list[str]:
    return [stem(m.group().lower().replace("’", "'")) for m in _NAME.finditer(text)]


def article_terms(article: Article, cfg: FeatureConfig = FeatureConfig()) -> dict[str, float]:
    """Term -> weight (counts; title terms, names and numbers weighted up)."""
    lead = _lead(article.text, cfg.lead_words)
    counts: Counter[str] = Counter(text_terms(lead, cfg))
    weights: dict[str, float] = {t: float(c) for t, c in counts.items()}
    for term in set(text_terms(article.title or "", cfg)):
        weights[term] = weights.get(term, 0.0) + cfg.title_weight
    if cfg.name_weight:
        for name in _names(f"{article.title or ''}\n{lead}"):
            if name in weights:  # stop words stay out even when capitalised
                weights[name] += cfg.name_weight
    return weights


_EN_FUNCTION_WORDS = "the of and to in a is that for on with was as by at from his has have are"
_EN_FUNCTION = frozenset(_EN_FUNCTION_WORDS.split())


def guess_language(article: Article) -> str:
    """Guess "zh" (Chinese script), "en" (English) or "xx" (other Latin-script text).

    Only used to calibrate similarities: articles in two languages share
    fewer terms for the same event than two in one language."""
    sample = f"{article.title or ''} {article.text[:600]}"
    cjk = len(_CJK.findall(sample))
    tokens = [t.lower() for t in _WORD.findall(sample)]
    if cjk > max(20, len(tokens)):
        return "zh"
    function = sum(1 for t in tokens if t in _EN_FUNCTION)
    return "en" if tokens and function / len(tokens) >= 0.08 else "xx"


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None
