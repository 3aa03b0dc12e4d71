"""Sentence units for summarizing: split, compressed, filtered and vectorised once.

Every summarizer works on a `Corpus`: the story's sentences, each with its
compressed text, stemmed content terms and stemmed bigram "concepts" (Gillick &
Favre 2009), as sparse matrices so that selection is a few mat-vec products.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsfuse.compress import compress, inside_quotes, opens_dangling
from newsfuse.models import Article, Sentence
from newsfuse.sparse_rows import SparseRows, first_seen, pairs, ranges
from newsfuse.text import split_sentences
from newsfuse.unit_kinds import BACKGROUND, STATUS, TOKEN, case_folded, eligible, has_digit

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


_VOWEL = re.compile("[aeiouy]")
_QUALITY_PENALTY = {"garbled": 0.5, "filler": 0.7, "boilerplate": 0.8, "truncated": 0.9}


_OUR_WORDS = frozenset({"devour", "detour", "contour", "paramour"})
_TENSES = ("ingly", "edly", "ing", "ed")
_DERIVATIONS = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ation", "ate"),
    ("ement", ""),
    ("ment", ""),
    ("ness", ""),
    ("ly", ""),
)
_DERIVATION_ENDINGS = tuple(suffix for suffix, _ in _DERIVATIONS)


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light Porter-style suffix stripper: enough to match plural and tense variants."""
    w = word
    if len(w) <= 3:
        return w
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if w.endswith("s"):
        if w.endswith("sses"):
            w = w[:-2]
        elif w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "i"
        elif not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    # One test against all the endings first: most words have none of them.
    if w.endswith(_TENSES):
        for suffix in _TENSES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and _VOWEL.search(w[: -len(suffix)]):
                w = w[: -len(suffix)]
                if w.endswith(("at", "bl", "iz")):
                    w += "e"
                elif len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]
                break
    if w.endswith(_DERIVATION_ENDINGS):
        for suffix, repl in _DERIVATIONS:
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
    background: bool = False  # old news or a second-hand quote (see BACKGROUND)
    numeric: bool = False  # holds a digit: a date, a count, a sum


_QUOTE_MARK = re.compile("[\"“”]|''|``")

# Up to this many units x tfidf entries, `Corpus.sim_row` makes every row at once
# (a one-article story: ~40 x 300); above, row by row as selection asks.
_ALL_SIMS_AT_ONCE = 1 << 15


@dataclass(frozen=True)
class Corpus:
    """One story's units and their vectors, built once per `summarize` call.

    Derived arrays (similarity rows, centroid, predecessors) are computed on
    first use and kept here, so the summary, the account and the citations share them.
    """

    articles: tuple[Article, ...]
    units: tuple[Unit, ...]
    terms: SparseRows  # units x vocabulary: stemmed content-term counts
    tfidf: SparseRows  # rows L2-normalised
    concepts: SparseRows  # units x bigram concepts, binary
    concept_df: np.ndarray  # independent sources that say each concept (rewrites of one report count once)
    concept_articles: np.ndarray  # articles in which each concept occurs
    vocab: dict[str, int]
    lengths: np.ndarray  # words per unit (float)
    eligible: np.ndarray  # bool
    dangling: np.ndarray  # bool
    rel_pos: np.ndarray
    status: np.ndarray  # bool
    # units x keywords, binary: content stems with derived forms merged
    # ("west"/"western", "korea"/"korean"), so paraphrases of one fact match.
    keywords: SparseRows | None = None
    background: np.ndarray | None = None  # bool: old news or a second-hand quote (see BACKGROUND)
    source: np.ndarray | None = None  # per article: its independent source (copies share one)
    concept_keywords: SparseRows | None = None  # concepts x keywords: the content words of each bigram
    numeric: np.ndarray | None = None  # bool: the unit holds a digit (Unit.numeric)
    # Per concept, its two words' stems: `stems[concept_stems[c, 0]], stems[concept_stems[c, 1]]`.
    concept_stems: np.ndarray | None = None
    stems: tuple[str, ...] = ()
    bigrams: Bigrams | None = None  # where each concept occurs (see `concept_capitals`)
    # Rows of `sims` computed so far. A story can hold thousands of sentences and
    # selection reads a few dozen rows, so rows are made on demand, each once.
    _sim_rows: dict[int, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def sim_row(self, i: int) -> np.ndarray:
        """TF-IDF cosine of unit i to every unit: row i of `sims`."""
        row = self._sim_rows.get(i)
        if row is None:
            if not self._sim_rows and len(self.units) * self.tfidf.nnz <= _ALL_SIMS_AT_ONCE:
                self._sim_rows.update(enumerate(self.tfidf.gram()))
                return self._sim_rows[i]
            # tfidf @ (row i as a dense vector) adds the same products in the same
            # order as tfidf @ tfidf.T, so the row equals that matrix's row exactly.
            row = self._sim_rows[i] = self.tfidf.dot(self.tfidf.row(i))
        return row

    def sim_rows(self, rows: Sequence[int]) -> np.ndarray:
        """TF-IDF cosine of the units `rows` to every unit: those rows of `sims`."""
        return np.array([self.sim_row(i) for i in rows]).reshape(len(rows), len(self.units))

    def shared_rows(self, rows: Sequence[int]) -> np.ndarray:
        """Bigram concepts each of the units `rows` shares with every unit: those rows of `shared`."""
        # Concepts are binary: count, for each of the rows' concepts, the units that hold it.
        concepts = self.concepts
        picked = np.asarray(rows, dtype=np.int64)
        entries, row_of = ranges(concepts.indptr[picked], concepts.indptr[picked + 1])
        held = concepts.indices[entries]
        starts, ends = self._units_by_concept[1][held], self._units_by_concept[1][held + 1]
        holders, pair_of = ranges(starts, ends)
        n = len(self.units)
        keys = row_of[pair_of] * n + self._units_by_concept[0][holders]
        return np.bincount(keys, minlength=len(picked) * n).reshape(len(picked), n).astype(float)

    @functools.cached_property
    def _units_by_concept(self) -> tuple[np.ndarray, np.ndarray]:
        """The units that hold each concept, grouped by concept, and where each group starts."""
        concepts = self.concepts
        order = np.argsort(concepts.indices, kind="stable")
        starts = np.zeros(concepts.shape[1] + 1, dtype=np.int64)
        np.bincount(concepts.indices, minlength=concepts.shape[1]).cumsum(out=starts[1:])
        return concepts.rows[order], starts

    @functools.cached_property
    def sims(self) -> np.ndarray:
        """Dense units x units TF-IDF cosine (quadratic: selection reads `sim_rows` instead)."""
        tfidf = self.tfidf.matrix()
        return np.asarray((tfidf @ tfidf.T).toarray())

    @functools.cached_property
    def shared(self) -> np.ndarray:
        """Dense units x units count of shared concepts (quadratic: see `shared_rows`)."""
        concepts = self.concepts.matrix()
        return np.asarray((concepts @ concepts.T).toarray())

    @functools.cached_property
    def center(self) -> np.ndarray:
        """The TF-IDF centroid of the units, unit length."""
        # The column sums in storage order, as scipy's tfidf.sum(axis=0) adds them.
        tfidf = self.tfidf
        center = np.asarray(
            np.bincount(tfidf.indices, weights=tfidf.data, minlength=tfidf.shape[1]), dtype=float
        )
        center /= np.linalg.norm(center) or 1.0
        return center

    @functools.cached_property
    def centrality(self) -> np.ndarray:
        """Per unit, its cosine to the centroid."""
        return self.tfidf.dot(self.center)

    @functools.cached_property
    def quality(self) -> np.ndarray:
        """Per unit, its source's quality factor."""
        return np.array([u.quality for u in self.units], dtype=float)

    @functools.cached_property
    def concept_counts(self) -> np.ndarray:
        """Bigram concepts per unit (the diagonal of `shared`)."""
        indptr = self.concepts.indptr
        return np.asarray(indptr[1:] - indptr[:-1], dtype=float)

    @functools.cached_property
    def unit_articles(self) -> np.ndarray:
        """Per unit, the index of its article."""
        return np.array([u.article for u in self.units], dtype=np.int64)

    @functools.cached_property
    def sentence_indices(self) -> np.ndarray:
        """Per unit, its sentence's position in its article."""
        return np.array([u.sentence.index for u in self.units], dtype=np.int64)

    @functools.cached_property
    def concept_capitals(self) -> np.ndarray:
        """Per concept: the share of its occurrences written as a name, its first word
        capitalised inside the sentence (not as its opening word) or its second word."""
        n_concepts = self.concepts.shape[1]
        if self.bigrams is None or not n_concepts:
            return np.zeros(n_concepts)
        units, starts, concepts = self.bigrams.token_units, self.bigrams.starts, self.bigrams.concepts
        capital = _capitalised(self.units, units)
        opening = np.ones(len(units), dtype=bool)
        opening[1:] = units[1:] != units[:-1]
        named = (capital[starts] & ~opening[starts]) | capital[starts + 1]
        occurrences = np.maximum(np.bincount(concepts, minlength=n_concepts), 1)
        return np.bincount(concepts, weights=named, minlength=n_concepts) / occurrences

    @functools.cached_property
    def quoted(self) -> np.ndarray:
        """Per unit: it holds a quotation mark (straight, curly or doubled ASCII)."""
        return np.array([_QUOTE_MARK.search(u.text) is not None for u in self.units], dtype=bool)

    @functools.cached_property
    def predecessors(self) -> np.ndarray:
        """Per unit, the index of the unit just before it in the same article, else -1."""
        article, index = self.unit_articles, self.sentence_indices
        pred = np.full(len(self.units), -1, dtype=np.int64)
        follows = (article[1:] == article[:-1]) & (index[1:] == index[:-1] + 1)
        pred[1:][follows] = np.flatnonzero(follows)
        return pred

    def predecessor(self, i: int) -> int | None:
        """Index of the unit just before unit i in the same article, if any."""
        if i == 0:
            return None
        prev, unit = self.units[i - 1], self.units[i]
        if prev.article == unit.article and prev.sentence.index == unit.sentence.index - 1:
            return i - 1
        return None


def _flag_evidence(article: Article) -> tuple[float, tuple[str, ...]]:
    quality = 1.0
    evidence = []
    for flag in article.flags:
        quality *= 1.0 - (1.0 - _QUALITY_PENALTY.get(flag.kind, 0.9)) * max(0.3, min(1.0, flag.score))
        if flag.kind in ("filler", "boilerplate") and flag.evidence:
            evidence.append(flag.evidence[:60])
    return quality, tuple(evidence)


def _unit(
    sentence: Sentence,
    article: int,
    rel_pos: float,
    quality: float,
    evidence: tuple[str, ...],
    in_quotation: bool = False,
) -> Unit | None:
    text = compress(sentence.text)
    words = text.split()
    n_words = len(words)
    if n_words < 3:
        return None
    flagged = bool(evidence) and any(e in sentence.text for e in evidence)
    folded = case_folded(text)
    ok = not flagged and eligible(sentence.text, text, words, folded)
    numeric = has_digit(text)
    status = not numeric and STATUS.found(text, folded)
    background = BACKGROUND.found(text, folded)
    # A piece of a quotation opened in an earlier sentence needs that sentence (and its speaker).
    dangling = in_quotation or opens_dangling(text)
    return Unit(sentence, article, text, n_words, rel_pos, quality, dangling, ok, status, background, numeric)


def build_units(articles: Sequence[Article]) -> list[Unit]:
    units: list[Unit] = []
    for a_index, article in enumerate(articles):
        quality, evidence = _flag_evidence(article)
        sentences = split_sentences(article)
        n = max(1, len(sentences) - 1)
        quoted = inside_quotes(article.text, [sentence.start for sentence in sentences])
        for sentence, in_quotation in zip(sentences, quoted, strict=True):
            unit = _unit(sentence, a_index, sentence.index / n, quality, evidence, in_quotation)
            if unit is not None:
                units.append(unit)
    return units


# Joins the units' lower-cased texts for one tokenizing pass: lower-cased text has
# no "Q", so this token marks exactly where one unit ends and the next begins.
_UNIT_BREAK = " Q "


def _token_ids(units: Sequence[Unit]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """All units' lower-cased tokens as ids into a table of the distinct tokens, and each token's unit."""
    texts = [unit.text for unit in units]
    if case_folded("\n".join(texts)) is None:  # some unit needs the slow path
        return _token_ids_by_unit(texts)
    # With only ASCII letters, lower-casing first gives the same tokens, lower-cased.
    tokens = TOKEN.findall(_UNIT_BREAK.join([text.lower() for text in texts]))
    table = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    ids = np.fromiter(map(table.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    mark = table.pop("Q", None)
    if mark is None:
        return ids, np.zeros(len(ids), dtype=np.int64), list(table)
    breaks = ids == mark
    words = ~breaks
    ids = ids[words]
    ids -= ids > mark  # the table without the mark
    return ids, breaks.cumsum()[words], list(table)


def _token_ids_by_unit(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """`_token_ids`, tokenizing unit by unit (for text that lower-cases to other letters)."""
    tokens: list[str] = []
    counts: list[int] = []
    for text in texts:
        folded = case_folded(text)
        found = TOKEN.findall(folded) if folded is not None else [t.lower() for t in TOKEN.findall(text)]
        tokens += found
        counts.append(len(found))
    table = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    ids = np.fromiter(map(table.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    unit_of = np.repeat(np.arange(len(texts), dtype=np.int64), np.array(counts, dtype=np.int64))
    return ids, unit_of, list(table)


def _capitalised(units: Sequence[Unit], token_units: np.ndarray) -> np.ndarray:
    """Per token of `_token_ids`, whether it was written with a capital.

    Lower-casing never changes where tokens start or end, so the written tokens
    line up with `_token_ids`' once the unit breaks' own tokens are dropped.
    """
    written = TOKEN.findall(_UNIT_BREAK.join([unit.text for unit in units]))
    keep = np.ones(len(written), dtype=bool)
    counts = np.bincount(token_units, minlength=len(units))
    keep[(np.cumsum(counts) + np.arange(len(units)))[:-1]] = False  # one break after each unit but the last
    first_letters = map(operator.itemgetter(0), itertools.compress(written, keep))
    return np.fromiter(map(str.isupper, first_letters), dtype=bool, count=int(keep.sum()))


@dataclass(frozen=True, slots=True)
class Bigrams:
    """Where each bigram concept occurs in the story's token stream (for features read rarely)."""

    token_units: np.ndarray  # per token, its unit
    starts: np.ndarray  # per occurrence, the position of its first token
    concepts: np.ndarray  # per occurrence, its concept


@dataclass(frozen=True, slots=True)
class _Vectors:
    terms: SparseRows  # units x stemmed content terms, counts
    vocab: dict[str, int]  # term -> column, in order of first appearance
    concepts: SparseRows  # units x bigram concepts, binary
    concept_terms: np.ndarray  # concepts x 2: the term column of each word, -1 for a stop word
    concept_stems: np.ndarray  # concepts x 2: the stem of each word, as an index into `stems`
    stems: tuple[str, ...]
    bigrams: Bigrams


def _vectorise(units: Sequence[Unit]) -> _Vectors:
    """Stemmed content terms and bigram concepts (Gillick & Favre) per unit, each word stemmed once.

    Columns are numbered in order of first appearance, as a dict built sentence
    by sentence would number them.
    """
    ids, unit_of, table = _token_ids(units)
    names = list(map(stem, table))
    stem_ids = {name: i for i, name in enumerate(dict.fromkeys(names))}
    is_stop = list(map(STOPWORDS.__contains__, table))
    # The table lists tokens in order of first appearance, so the first content
    # token with a stem numbers it in order of its first appearance as a term.
    content_names = itertools.compress(names, map(operator.not_, is_stop))
    vocab = {name: i for i, name in enumerate(dict.fromkeys(content_names))}
    # Per stem, its term column; -1 for a stem no content word has. A stop word's
    # stem can be a term too ("says" is a stop word, "saying" is not).
    col_of_stem = np.fromiter(
        map(vocab.get, stem_ids, itertools.repeat(-1)), dtype=np.int64, count=len(stem_ids)
    )
    stems = np.fromiter(map(stem_ids.__getitem__, names), dtype=np.int64, count=len(names))[ids]
    stop = np.array(is_stop, dtype=bool)[ids]
    n_stems = len(stem_ids)
    term_of = col_of_stem[stems]
    terms = pairs(unit_of[~stop], term_of[~stop], (len(units), len(vocab)), binary=False)
    # A bigram within one sentence, not made of two stop words.
    pair = (unit_of[1:] == unit_of[:-1]) & ~(stop[1:] & stop[:-1])
    keys, concept_cols = first_seen(stems[:-1][pair] * n_stems + stems[1:][pair])
    concepts = pairs(unit_of[:-1][pair], concept_cols, (len(units), len(keys)), binary=True)
    concept_stems = np.stack([keys // max(n_stems, 1), keys % max(n_stems, 1)], axis=1)
    starts = np.flatnonzero(pair)
    return _Vectors(
        terms,
        vocab,
        concepts,
        col_of_stem[concept_stems],
        concept_stems,
        tuple(stem_ids),
        Bigrams(unit_of, starts, concept_cols),
    )


def _tfidf(terms: SparseRows, idf: np.ndarray) -> SparseRows:
    """Term counts times idf, each row L2-normalised.

    The floats and the storage order of scipy's `diags(1 / norms) @
    terms.multiply(idf)`, which this replaces: its product lists each row's
    columns last first, and every later product adds in that order.
    """
    weighted = terms.data * idf[terms.indices]
    indptr, rows = terms.indptr, terms.rows
    squares = np.zeros(terms.shape[0])
    nonempty = (indptr[1:] > indptr[:-1]).nonzero()[0]
    if len(nonempty):
        # scipy's row sum: one reduceat over the non-empty rows.
        squares[nonempty] = np.add.reduceat(weighted * weighted, indptr[nonempty])
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    reverse = (indptr[:-1] + indptr[1:] - 1)[rows] - np.arange(len(rows))
    data = ((1.0 / norms)[rows] * weighted)[reverse]
    return SparseRows(data, terms.indices[reverse], indptr, terms.shape, rows)


# Two articles whose concepts overlap this much (share of the smaller article's
# bigrams) rewrite one report: measured 0.46 between the seeds' Reuters rewrites,
# at most 0.25 between independent DUC 2004 articles on one event.
COPY_CONTAINMENT = 0.4


def _source_counts(present: SparseRows, source: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per concept: independent sources that say it, and articles that say it."""
    n_concepts = present.shape[1]
    said = np.unique(source[present.rows] * n_concepts + present.indices)
    sources = np.bincount(said % n_concepts, minlength=n_concepts).astype(float)
    articles = np.bincount(present.indices, minlength=n_concepts).astype(float)
    return sources, articles


def _overlaps(present: SparseRows) -> np.ndarray:
    """Articles x articles: the concepts each pair shares (whole numbers, exact either way)."""
    if present.shape[0] * present.shape[1] <= 1 << 16:  # a short story: dense is cheaper than scipy
        dense = np.zeros(present.shape)
        dense[present.rows, present.indices] = 1.0
        return np.asarray(dense @ dense.T)
    matrix = present.matrix()
    return np.asarray((matrix @ matrix.T).toarray())


def _independent_df(
    concepts: SparseRows, doc_of: np.ndarray, n_articles: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per concept: independent sources that mention it (rewrites of one report count once),
    and plain article counts; and per article, its source."""
    if n_articles == 1:  # most stories of a digest: every concept has one source, one article
        ones = np.ones(concepts.shape[1])
        return ones, ones.copy(), np.zeros(1, dtype=np.int64)
    # Articles x concepts: 1 where any sentence of the article has the concept.
    present = pairs(doc_of[concepts.rows], concepts.indices, (n_articles, concepts.shape[1]), binary=True)
    inter = _overlaps(present)
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
    source = source.ravel().astype(np.int64)
    return (*_source_counts(present, source), source)


# Derivational endings that turn a name into its adjective or demonym: a stem
# that is another stem plus one of these is merged into it (west/western,
# korea/korean, vietnam/vietnamese, nation/national).
_DERIVED = ("n", "an", "ian", "ern", "es", "ese", "ish", "i", "ic", "al")
# The endings by last letter, in the order above: only these can end a term.
_DERIVED_BY_LAST = {
    last: tuple(ending for ending in _DERIVED if ending[-1] == last) for last in {e[-1] for e in _DERIVED}
}


@functools.lru_cache(maxsize=1 << 16)
def _derived_roots(term: str) -> tuple[str, ...]:
    """The stems `term` may derive from, in the order `_DERIVED` lists their endings."""
    endings = _DERIVED_BY_LAST.get(term[-1])
    if endings is None:  # most terms
        return ()
    return tuple(
        term[: -len(ending)] for ending in endings if term.endswith(ending) and len(term) - len(ending) >= 4
    )


def _keyword_ids(vocab: dict[str, int]) -> np.ndarray:
    """Per term column, its keyword: the shortest stem it derives from (numbered as first reached)."""
    bases = list(vocab)
    roots = list(map(_derived_roots, bases))
    for k in itertools.compress(range(len(bases)), roots):  # the few terms with a derivable root
        for root in roots[k]:
            if root in vocab:
                bases[k] = root
                break
    ids = {base: i for i, base in enumerate(dict.fromkeys(bases))}
    return np.fromiter(map(ids.__getitem__, bases), dtype=np.int64, count=len(bases))


def _keywords(terms: SparseRows, keyword_of: np.ndarray) -> SparseRows:
    """Units x keywords, binary."""
    n_keywords = int(keyword_of.max()) + 1 if len(keyword_of) else 0
    return pairs(terms.rows, keyword_of[terms.indices], (terms.shape[0], n_keywords), binary=True)


def _concept_keywords(concept_terms: np.ndarray, keyword_of: np.ndarray) -> SparseRows:
    """Concepts x keywords, binary: the keywords of each bigram's content words."""
    n_keywords = int(keyword_of.max()) + 1 if len(keyword_of) else 0
    rows = np.repeat(np.arange(len(concept_terms), dtype=np.int64), 2)
    cols = concept_terms.ravel()
    content = cols >= 0
    return pairs(rows[content], keyword_of[cols[content]], (len(concept_terms), n_keywords), binary=True)


def build_corpus(articles: Sequence[Article]) -> Corpus:
    units = build_units(articles)
    vectors = _vectorise(units)
    terms, vocab, concepts = vectors.terms, vectors.vocab, vectors.concepts
    n = max(1, len(units))
    sent_df = np.bincount(terms.indices, minlength=terms.shape[1])
    idf = np.log((n + 1) / (sent_df + 1)) + 1.0
    tfidf = _tfidf(terms, idf)
    doc_of = np.array([u.article for u in units], dtype=np.int64)
    if concepts.shape[1]:
        concept_df, concept_articles, source = _independent_df(concepts, doc_of, len(articles))
    else:
        concept_df, concept_articles = np.zeros(0), np.zeros(0)
        source = np.arange(len(articles), dtype=np.int64)
    keyword_of = _keyword_ids(vocab)
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
        dangling=np.array([u.dangling for u in units], dtype=bool),
        rel_pos=np.array([u.rel_pos for u in units], dtype=float),
        status=np.array([u.status for u in units], dtype=bool),
        keywords=_keywords(terms, keyword_of),
        background=np.array([u.background for u in units], dtype=bool),
        source=source,
        concept_keywords=_concept_keywords(vectors.concept_terms, keyword_of),
        numeric=np.array([u.numeric for u in units], dtype=bool),
        concept_stems=vectors.concept_stems,
        stems=vectors.stems,
        bigrams=vectors.bigrams,
    )


def query_vector(corpus: Corpus, query: str) -> np.ndarray:
    """The query as a normalised vector over the corpus's term vocabulary."""
    vec = np.zeros(len(corpus.vocab))
    for token in TOKEN.findall(query):
        t = token.lower()
        if t in STOPWORDS:
            continue
        j = corpus.vocab.get(stem(t))
        if j is not None:
            vec[j] += 1.0
    norm = math.sqrt(float(vec @ vec))
    return vec / norm if norm else vec
