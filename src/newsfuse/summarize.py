"""The story write-up: a headline, an "in summary" and a longer account, every line cited.

`summarize` builds the story's sentence units once (`newsfuse.sentences`),
selects with one of `SUMMARIZERS` (concept coverage by default), orders the
picks by time and discourse, and cites, for each picked sentence, every source
sentence that says the same thing, so a reader sees how many outlets back it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from newsfuse.compress import opens_on_the_event, to_headline
from newsfuse.models import Article, Citation, CitedSentence, WriteUp
from newsfuse.sentences import Corpus, build_corpus, query_vector
from newsfuse.summarizers import SUMMARIZERS, Selection


@dataclass(frozen=True, slots=True)
class SummaryConfig:
    # ~130 words: enough for the five or six facts a multi-outlet story carries
    # (the seeds' story needs about that), still a one-glance read.
    summary_words: int = 140
    max_summary_sentences: int = 5
    account_words: int = 400
    query: str | None = None
    method: str = "default"
    # A source sentence backs a picked one when their TF-IDF cosine reaches this,
    # or when it shares at least half of the shorter one's bigram concepts.
    support_cosine: float = 0.5
    support_concepts: float = 0.5


def _selector_name(cfg: SummaryConfig) -> str:
    name = "coverage" if cfg.method == "default" else cfg.method
    if name not in SUMMARIZERS:
        raise ValueError(f"unknown summarizer {cfg.method!r}; choose from {sorted(SUMMARIZERS)}")
    return name


def select(
    corpus: Corpus, cfg: SummaryConfig, budget: int, overflow: bool = False, max_sentences: int | None = None
) -> list[int]:
    """Unit indices picked by the configured summarizer, in the order picked."""
    return SUMMARIZERS[_selector_name(cfg)](
        corpus, Selection(budget, cfg.query, overflow, max_sentences=max_sentences)
    )


def order(
    corpus: Corpus, picked: Sequence[int], support: Mapping[int, Sequence[int]] | None = None
) -> list[int]:
    """Time, then discourse position; a sentence that needs its predecessor follows it.

    A fact is dated by the earliest article that reports it and placed by the
    earliest position any outlet gives it (the lead fact first).
    """
    dates = [a.published for a in corpus.articles if a.published]
    first_day = min(dates) if dates else date.min

    def key(i: int) -> tuple[date, float, int]:
        backers = support.get(i, [i]) if support else [i]
        units = [corpus.units[j] for j in backers]
        published = min((corpus.articles[u.article].published or first_day for u in units), default=first_day)
        return (published, min(u.rel_pos for u in units), corpus.units[i].article)

    ordered = sorted(picked, key=key)
    # "This follows ..." needs the event stated before it.
    if len(ordered) > 1 and opens_on_the_event(corpus.units[ordered[0]].text):
        ordered.insert(1, ordered.pop(0))
    for i in list(ordered):
        prev = corpus.predecessor(i)
        if corpus.units[i].dangling and prev is not None and prev in ordered:
            ordered.remove(i)
            ordered.insert(ordered.index(prev) + 1, i)
    return ordered


def supporters(corpus: Corpus, i: int, cfg: SummaryConfig) -> list[int]:
    """Every unit that says what unit i says: i first, then the others by similarity."""
    return _supporters(corpus, [i], cfg)[i]


def _supporters(corpus: Corpus, picked: Sequence[int], cfg: SummaryConfig) -> dict[int, list[int]]:
    """`supporters` of each picked unit, reading only the picked rows of the similarity matrices."""
    picked = list(dict.fromkeys(picked))
    cos = corpus.sim_rows(picked)
    shared = corpus.shared_rows(picked)
    sizes = corpus.concept_counts
    smaller = np.maximum(np.minimum(sizes[None, :], sizes[picked][:, None]), 1.0)
    ok = (cos >= cfg.support_cosine) | ((shared >= 3) & (shared / smaller >= cfg.support_concepts))
    ok[np.arange(len(picked)), picked] = False
    rows, units = np.nonzero(ok)
    # Per pick, most similar first; ties in unit order.
    ranked = np.lexsort((units, -cos[rows, units], rows))
    counts = np.bincount(rows, minlength=len(picked)).tolist()
    others = units[ranked].tolist()
    support, start = {}, 0
    for i, count in zip(picked, counts, strict=True):
        support[i] = [i, *others[start : start + count]]
        start += count
    return support


def _write(
    corpus: Corpus, picked: Sequence[int], support: Mapping[int, Sequence[int]]
) -> tuple[CitedSentence, ...]:
    return tuple(
        CitedSentence(corpus.units[i].text, tuple(Citation(corpus.units[j].sentence) for j in support[i]))
        for i in order(corpus, picked, support)
    )


def _clean_title(title: str) -> str:
    # Drop a trailing " | Site name" that capture tools leave on titles.
    return re.split(r"\s+\|\s+", title.strip())[0].strip()


def headline(corpus: Corpus, lead_unit: int | None) -> str:
    """The most central real title of the sources, else the lead sentence made a headline."""
    titles = [_clean_title(a.title) for a in corpus.articles if a.title]
    titles = [t for t in titles if 3 <= len(t.split()) <= 25]
    if titles and corpus.units:
        center = corpus.center
        counts = {t: titles.count(t) for t in titles}
        return max(titles, key=lambda t: (float(query_vector(corpus, t) @ center) * counts[t], -len(t)))
    if lead_unit is not None:
        return to_headline(corpus.units[lead_unit].text)
    return ""


def _keep_antecedents(corpus: Corpus, picked: list[int]) -> list[int]:
    """Drop a pronoun-led pick whose antecedent sentence was cut away."""
    kept = set(picked)
    return [i for i in picked if not corpus.units[i].dangling or corpus.predecessor(i) in kept]


def summarize(articles: Sequence[Article], cfg: SummaryConfig = SummaryConfig()) -> WriteUp:
    """Headline, "in summary" and account for one story; every sentence cited."""
    corpus = build_corpus(articles)
    picked = select(corpus, cfg, cfg.summary_words, max_sentences=cfg.max_summary_sentences)
    picked = _keep_antecedents(corpus, picked[: cfg.max_summary_sentences])
    account = select(corpus, cfg, cfg.account_words)
    # The account repeats most of the summary's picks: cite each unit once.
    support = _supporters(corpus, [*picked, *account], cfg)
    return WriteUp(
        headline=headline(corpus, picked[0] if picked else None),
        summary=_write(corpus, picked, support),
        account=_write(corpus, account, support),
    )
