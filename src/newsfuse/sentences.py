"""Sentence units for summarizing: split, compressed, filtered and vectorised once.

Every summarizer works on a `Corpus`: the story's sentences, each with its
compressed text, stemmed content terms and stemmed bigram "concepts" (Gillick &
Favre 2009), as sparse matrices so that selection is a few mat-vec products.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newsfuse.compress import compress, opens_dangling
from newsfuse.models import Article, Sentence
from newsfuse.text import split_sentences

_STOPWORDS_TEXT = """
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves said says say told
according mr mrs ms would could may might must shall one two new also s t
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
# Site furniture that can survive cleaning; never summary material.
_BOILERPLATE = re.compile(
    r"\b(?:click|subscribe|sign up|newsletter|follow us|share this|leave a comment|comments?\b.{0,20}below|"
    r"all rights reserved|copyright|cookies?|advertisement|read more|see also|also read|related:|"
    r"exit mobile version|latest news|photo:|image:|file photo|getty images|terms of use)",
    re.IGNORECASE,
)
# Padding that restates rather than reports.
_FILLER = re.compile(
    r"^(?:In conclusion|In summary|To sum up|To conclude|In short|Overall|All in all|Ultimately)\b", re.I
)
# A sentence about whether something is confirmed, denied, commented on or being
# prepared reports on the reporting; unless it carries a concrete detail (a number,
# a date) it is a poor use of one of the summary's few sentences.
_STATUS = re.compile(
    r"\b(?:confirm\w*|den(?:y|ies|ied)|comment\w*|prepar\w*|underway|disclos\w*)\b"
    # A stated wish ("X has said it hopes to build ties in all areas") reports an
    # intention, not something that happened or was decided.
    r"|\b(?:hopes?|wants?|wish(?:es)?|desires?|intends?)\s+to\b|\bexpressed\s+(?:its|his|her|their)\s+(?:desire|wish|hope)",
    re.I,
)
# Old news or a second-hand quote: "last month", "quoted X as saying". Background,
# not what happened now; it may fill an account but is a poor use of a summary slot.
_BACKGROUND = re.compile(
    r"\blast (?:month|week|year|spring|summer|autumn|fall|winter|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\b|\bquoted\b.{1,80}\bas (?:saying|stating)\b",
    re.I,
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
_LOWER_START = re.compile(r"(?<!\S)[a-zà-ÿ]")
_QUALITY_PENALTY = {"garbled": 0.5, "filler": 0.7, "boilerplate": 0.8, "truncated": 0.9}


_OUR_WORDS = frozenset({"devour", "detour", "contour", "paramour"})


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light Porter-style suffix stripper: enough to match plural and tense variants."""
    w = word
    if len(w) <= 3:
        return w
    if w.endswith("'s") or w.endswith("’s"):
        w = w[:-2]
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ingly", "edly", "ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and re.search("[aeiouy]", w[: -len(suffix)]):
            w = w[: -len(suffix)]
            if w.endswith(("at", "bl", "iz")):
                w += "e"
            elif len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    for suffix, repl in (
        ("ational", "ate"),
        ("ization", "ize"),
        ("iveness", "ive"),
        ("fulness", "ful"),
        ("ation", "ate"),
        ("ement", ""),
        ("ment", ""),
        ("ness", ""),
        ("ly", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)] + repl
            break
    # British "-our" spellings meet American ones: labour/labor, harbour/harbor.
    if len(w) >= 6 and w.endswith("our") and w[-4] in "bdlmnrv" and w not in _OUR_WORDS:
        w = w[:-2] + "r"
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class Unit:
    """One source sentence as the summarizers see it."""

    sentence: Sentence
    article: int  # index into the corpus's articles
    text: str  # compressed text
    words: int
    rel_pos: float  # 0 = lead, 1 = last sentence
    quality: float  # 1 for clean sources, lower for flagged ones
    dangling: bool  # opens on a pronoun that needs its predecessor
    eligible: bool  # may be selected (not a fragment, question, boilerplate...)
    status: bool = False  # about the state of the reporting, with no concrete detail


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    units: tuple[Unit, ...]
    terms: sparse.csr_matrix  # units x vocabulary: stemmed content-term counts
    tfidf: sparse.csr_matrix  # rows L2-normalised
    concepts: sparse.csr_matrix  # units x bigram concepts, binary
    concept_df: np.ndarray  # independent sources that say each concept (copies count a little)
    concept_articles: np.ndarray  # articles in which each concept occurs
    vocab: dict[str, int]
    lengths: np.ndarray  # words per unit (float)
    eligible: np.ndarray  # bool
    sims: np.ndarray  # dense units x units TF-IDF cosine (stories are small)
    shared: np.ndarray  # dense units x units count of shared concepts
    dangling: np.ndarray  # bool
    rel_pos: np.ndarray
    status: np.ndarray  # bool
    # units x keywords, binary: content stems with derived forms merged
    # ("west"/"western", "korea"/"korean"), so paraphrases of one fact match.
    keywords: sparse.csr_matrix | None = None
    background: np.ndarray | None = None  # bool: old news or a second-hand quote (see _BACKGROUND)
    source: np.ndarray | None = None  # per article: its independent source (copies share one)
    concept_keywords: sparse.csr_matrix | None = None  # concepts x keywords: the content words of each bigram

    def predecessor(self, i: int) -> int | None:
        """Index of the unit just before unit i in the same article, if any."""
        if i == 0:
            return None
        prev, unit = self.units[i - 1], self.units[i]
        if prev.article == unit.article and prev.sentence.index == unit.sentence.index - 1:
            return i - 1
        return None


def _has_verb(text: str) -> bool:
    for token in _TOKEN.findall(text)[1:]:
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


def _eligible(raw: str, text: str, n_words: int) -> bool:
    if n_words < 6 or n_words > 70:
        return False
    stripped = raw.rstrip("\"'”’)] ")
    if stripped.endswith(("...", "…")):
        return False  # a teaser cut short
    if not stripped or stripped[-1] not in ".!;":
        return False  # headlines, list items, truncated fragments, questions
    if _BOILERPLATE.search(raw) or _FILLER.match(text) or is_caption(text):
        return False
    lowered = len(_LOWER_START.findall(text))
    return lowered >= n_words * 0.3  # a title-cased line is a headline, not a sentence


def _flag_evidence(article: Article) -> tuple[float, tuple[str, ...]]:
    quality = 1.0
    evidence = []
    for flag in article.flags:
        quality *= 1.0 - (1.0 - _QUALITY_PENALTY.get(flag.kind, 0.9)) * max(0.3, min(1.0, flag.score))
        if flag.kind in ("filler", "boilerplate") and flag.evidence:
            evidence.append(flag.evidence[:60])
    return quality, tuple(evidence)


def build_units(articles: Sequence[Article]) -> list[Unit]:
    units: list[Unit] = []
    for a_index, article in enumerate(articles):
        quality, evidence = _flag_evidence(article)
        sentences = split_sentences(article)
        n = max(1, len(sentences) - 1)
        for sentence in sentences:
            text = compress(sentence.text)
            n_words = len(text.split())
            if n_words < 3:
                continue
            ok = _eligible(sentence.text, text, n_words) and not any(e in sentence.text for e in evidence)
            units.append(
                Unit(
                    sentence,
                    a_index,
                    text,
                    n_words,
                    sentence.index / n,
                    quality,
                    opens_dangling(text),
                    ok,
                    _STATUS.search(text) is not None and not any(ch.isdigit() for ch in text),
                )
            )
    return units


def _rows(units: Sequence[Unit]) -> tuple[list[list[str]], list[list[str]]]:
    """Stemmed content terms and bigram concepts per unit, stemming each word once."""
    cache: dict[str, str] = {}
    term_rows: list[list[str]] = []
    concept_rows: list[list[str]] = []
    for unit in units:
        tokens = [t.lower() for t in _TOKEN.findall(unit.text)]
        stems = []
        for t in tokens:
            s = cache.get(t)
            if s is None:
                s = cache[t] = stem(t)
            stems.append(s)
        stop = [t in STOPWORDS for t in tokens]
        term_rows.append([s for s, st in zip(stems, stop, strict=True) if not st])
        concept_rows.append(
            [f"{stems[i]} {stems[i + 1]}" for i in range(len(stems) - 1) if not (stop[i] and stop[i + 1])]
        )
    return term_rows, concept_rows


def _matrix(rows: list[list[str]], binary: bool) -> tuple[sparse.csr_matrix, dict[str, int]]:
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for row in rows:
        seen = dict.fromkeys(row) if binary else row
        for item in seen:
            indices.append(vocab.setdefault(item, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices))
    m = sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(rows), len(vocab))
    )
    m.sum_duplicates()
    return m, vocab


# Two articles whose concepts overlap this much (share of the smaller article's
# bigrams) rewrite one report: measured 0.46 between the seeds' Reuters rewrites,
# at most 0.25 between independent DUC 2004 articles on one event.
COPY_CONTAINMENT = 0.4
COPY_WEIGHT = 0.1  # what a copy adds to a concept's source count


def _presence(matrix: sparse.csr_matrix, doc_of: np.ndarray, n_articles: int) -> sparse.csr_matrix:
    """Articles x columns: 1 where any sentence of the article has the column."""
    owner = sparse.csr_matrix(
        (np.ones(len(doc_of)), (doc_of, np.arange(len(doc_of)))), shape=(n_articles, len(doc_of))
    )
    return ((owner @ matrix) > 0).astype(float).tocsr()


def _source_counts(present: sparse.csr_matrix, source_of: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    sources = np.asarray(((source_of @ present) > 0).sum(axis=0)).ravel().astype(float)
    articles = np.asarray(present.sum(axis=0)).ravel()
    return np.asarray(sources + COPY_WEIGHT * (articles - sources)), articles


def _independent_df(
    concepts: sparse.csr_matrix, doc_of: np.ndarray, n_articles: int
) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
    """Per concept: independent sources that mention it (rewrites of one report count once),
    and plain article counts; and the sources x articles membership matrix."""
    present = _presence(concepts, doc_of, n_articles)
    inter = (present @ present.T).toarray()
    sizes = np.maximum(np.diag(inter), 1.0)
    copies = inter / np.minimum.outer(sizes, sizes) >= COPY_CONTAINMENT
    group = list(range(n_articles))  # union-find over copy pairs

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(copies, 1)), strict=True):
        group[root(int(i))] = root(int(j))
    roots = np.array([root(i) for i in range(n_articles)])
    _, source = np.unique(roots, return_inverse=True)
    source_of = sparse.csr_matrix((np.ones(n_articles), (source, np.arange(n_articles))))
    return (*_source_counts(present, source_of), source_of)


# Derivational endings that turn a name into its adjective or demonym: a stem
# that is another stem plus one of these is merged into it (west/western,
# korea/korean, vietnam/vietnamese, nation/national).
_DERIVED = ("n", "an", "ian", "ern", "es", "ese", "ish", "i", "ic", "al")


def _keyword_map(vocab: dict[str, int]) -> sparse.csr_matrix:
    """Vocabulary x keywords: each stem to the shortest stem it derives from."""
    root = {}
    for term in vocab:
        base = term
        for ending in _DERIVED:
            stem_ = term[: -len(ending)]
            if term.endswith(ending) and len(stem_) >= 4 and stem_ in vocab:
                base = stem_
                break
        root[term] = base
    ids: dict[str, int] = {}
    cols = [ids.setdefault(root[term], len(ids)) for term in vocab]
    rows = [vocab[term] for term in vocab]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(vocab), len(ids)))


def _concept_keywords(
    concept_vocab: dict[str, int], vocab: dict[str, int], keyword_map: sparse.csr_matrix
) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for concept, c in concept_vocab.items():
        for part in concept.split(" "):
            t = vocab.get(part)
            if t is not None:
                rows.append(c)
                cols.append(t)
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(concept_vocab), len(vocab)))
    return ((m @ keyword_map) > 0).astype(float).tocsr()


def build_corpus(articles: Sequence[Article]) -> Corpus:
    units = build_units(articles)
    term_rows, concept_rows = _rows(units)
    terms, vocab = _matrix(term_rows, binary=False)
    concepts, concept_vocab = _matrix(concept_rows, binary=True)
    n = max(1, len(units))
    sent_df = np.asarray((terms > 0).sum(axis=0)).ravel()
    idf = np.log((n + 1) / (sent_df + 1)) + 1.0
    tfidf = terms.multiply(idf).tocsr() if terms.shape[1] else terms
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    tfidf = sparse.csr_matrix(sparse.diags(1.0 / norms) @ tfidf)
    doc_of = np.array([u.article for u in units], dtype=np.int64)
    if concepts.shape[1]:
        concept_df, concept_articles, source_of = _independent_df(concepts, doc_of, len(articles))
    else:
        concept_df, concept_articles = np.zeros(0), np.zeros(0)
        source_of = sparse.identity(len(articles), format="csr")
    keyword_map = _keyword_map(vocab)
    keywords = ((terms > 0).astype(float) @ keyword_map > 0).astype(float).tocsr()
    return Corpus(
        articles=tuple(articles),
        units=tuple(units),
        terms=terms,
        tfidf=tfidf,
        concepts=concepts,
        concept_df=concept_df,
        concept_articles=concept_articles,
        vocab=vocab,
        lengths=np.array([u.words for u in units], dtype=float),
        eligible=np.array([u.eligible for u in units], dtype=bool),
        sims=(tfidf @ tfidf.T).toarray(),
        shared=(concepts @ concepts.T).toarray(),
        dangling=np.array([u.dangling for u in units], dtype=bool),
        rel_pos=np.array([u.rel_pos for u in units], dtype=float),
        status=np.array([u.status for u in units], dtype=bool),
        keywords=keywords,
        background=np.array([_BACKGROUND.search(u.text) is not None for u in units], dtype=bool),
        source=np.asarray(source_of.argmax(axis=0)).ravel() if articles else np.zeros(0, dtype=np.int64),
        concept_keywords=_concept_keywords(concept_vocab, vocab, keyword_map),
    )


def query_vector(corpus: Corpus, query: str) -> np.ndarray:
    """The query as a normalised vector over the corpus's term vocabulary."""
    vec = np.zeros(len(corpus.vocab))
    for token in _TOKEN.findall(query):
        t = token.lower()
        if t in STOPWORDS:
            continue
        j = corpus.vocab.get(stem(t))
        if j is not None:
            vec[j] += 1.0
    norm = math.sqrt(float(vec @ vec))
    return vec / norm if norm else vec
