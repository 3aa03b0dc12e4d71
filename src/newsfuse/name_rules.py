"""Entity mentions by rules: names read off runs of capitalised words.

The rule-based finder behind `newsfuse.entities` when no spaCy model is
injected: capitalised word runs split by a gazetteer of countries and
capitals, title words ("President", "Ambassador") and organisation keywords.
Roles come from appositions either side of a name ("Russian Ambassador to
North Korea Alexander Matsegora", "Nguyen Phu Trong, General Secretary of
..."). A story repeats its names: what a run's words make is read once per
story (`RuleMemo`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from newsfuse.gazetteer import (
    DEMONYMS,
    MAX_PLACE_WORDS,
    PLACE_FIRST_WORDS,
    demonym_country,
    fold,
    lookup_place,
    word_alternation,
    wordset,
)
from newsfuse.temporal import MONTHS, WEEKDAYS

__all__ = ["Mention", "RuleMemo", "place_name", "role_at", "rule_mentions", "strip_possessive"]

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
_TITLE_AT_END = re.compile(rf"(?:{_TITLE_RE}),*(?= |$)")
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
_ROLE_AFTER = re.compile(  # matched where a name ends (`match(text, pos)`: no "^")
    rf"\s*,\s*((?:the\s+)?(?:(?:[A-Z][\w’'-]*|{_ROLE_MODIFIERS})\s+)*(?i:{_TITLE_RE})"
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


class Mention(NamedTuple):
    """One mention of an entity in a sentence (offsets into the sentence text).

    A named tuple, not a frozen dataclass: a story makes tens of thousands of
    them (found, then linked), and a tuple is built several times faster."""

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


def strip_possessive(word: str) -> str:
    if not word.endswith(_POSSESSIVES):
        return word
    for suffix in _POSSESSIVES:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_Token = tuple[int, int, str]
# Where a `_TOKEN` token can start with a capital: a word character that is no
# digit, "_" or a-z, not inside a word and not glued on by a hyphen or an
# apostrophe ("well-Known" is one token). A plain range comes first so that
# `re` skips fast to the next candidate (A-Z or non-ASCII); the look-behinds
# then test the character itself and what precedes it.
_RUN_START = r"[A-Z\x80-\U0010ffff](?<=[^\W\d_a-z])(?<!\w.)(?<!\w[-’'].)"
# A chain: a token that may open a run (`_RUN_START`, then the rest of a
# `_TOKEN`: an abbreviation when the start is [A-Z] and ".[A-Z]." follows,
# else a word), then tokens that may continue one (a capital-like start, or a
# whole connector word), each after white space or glued onto an abbreviation
# ("U.S.Army"). The run finder reads only inside chains: a run ends at the
# end of a chain (a lower-case word, punctuation, the end of the text).
_CHAIN = re.compile(
    rf"({_RUN_START}(?:(?<=[A-Z])\.(?:[A-Z]\.)+|\w*(?:[-’']\w+)*))"
    r"(?:(?:\s+|(?<=\.))(?:(?=[^\W\d_a-z])(?:(?:[A-Z]\.){2,}|\w+(?:[-’']\w+)*)"
    r"|(?:of|the|for|de|al|bin|van|von|da)(?![-’']?\w)))*"
)


def _chain_tokens(text: str, chain: re.Match[str]) -> list[_Token]:
    """The `_TOKEN` tokens of a chain. Without a dot it holds no abbreviation,
    so its tokens are its white-space separated pieces (found from the left)."""
    words = chain.group()
    if "." in words:
        return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, chain.start(), chain.end())]
    tokens = []
    pos = chain.start()
    for word in words.split():
        start = text.index(word, pos)
        pos = start + len(word)
        tokens.append((start, pos, word))
    return tokens


def _chain_runs(text: str, chain: re.Match[str]) -> list[list[_Token]]:
    """The runs in one chain of several tokens.

    A connector inside a run ("of") is decided when the next token is read:
    it stays only when a capitalised word follows at once. A possessive
    ("Putin's") ends its run.
    """
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    connector: _Token | None = None
    for token in _chain_tokens(text, chain):
        word = token[2]
        cap = _is_cap(word)
        if connector is not None:
            if cap:
                current.append(connector)
            else:
                runs.append(current)
                current = []
            connector = None
        if cap:
            current.append(token)
        elif current and word in _CONNECTORS:
            connector = token
        elif current:
            runs.append(current)
            current = []
        if current and word.endswith(_POSSESSIVES):
            runs.append(current)
            current = []
            connector = None
    if current:
        runs.append(current)
    return runs


def _trim(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while run and (run[0][2].lower() in _STOP or run[0][2] in _CONNECTORS):
        run = run[1:]
    while run and (run[-1][2].lower() in _STOP or run[-1][2] in _CONNECTORS):
        run = run[:-1]
    return run


def _may_start_place(word: str) -> bool:
    return word in PLACE_FIRST_WORDS or ("." in word and word.replace(".", "") in PLACE_FIRST_WORDS)


def _place_at(words: Sequence[str], lowered: Sequence[str], i: int) -> int:
    """How many words from i form a gazetteer place (longest match), 0 if none."""
    first = lowered[i]
    if (
        first != "the"
        and first not in PLACE_FIRST_WORDS
        # only a dot or a possessive can still make it a first word
        and not (
            ("." in first or first.endswith(_POSSESSIVES))
            and (_may_start_place(first) or _may_start_place(strip_possessive(first)))
        )
    ):
        return 0  # no gazetteer name starts with this word ("the" is dropped by lookup_place)
    for n in range(min(MAX_PLACE_WORDS, len(words) - i), 0, -1):
        name = list(words[i : i + n])
        name[-1] = strip_possessive(name[-1])
        if lookup_place(" ".join(name)) is not None:
            return n
    return 0


def _modifier_at(lowered: Sequence[str], i: int) -> int:
    """Words from i that are demonyms or title words ("North Korean", "Defense Secretary")."""
    word = lowered[i]
    # `demonym_country`, inlined: this runs at every word of every new name
    if i + 1 < len(lowered) and DEMONYMS.get(f"{word} {lowered[i + 1]}".lower()):
        return 2
    if DEMONYMS.get(word.lower()) or word in _ADJECTIVES or word in _TITLES:
        return 1
    if i + 1 < len(lowered) and lowered[i + 1] in _TITLES:
        return 1  # "Defense" in "Defense Secretary"
    return 0


_Segment = tuple[str, int, int, bool]  # "place"|"name", first word, end (exclusive), title before


def _segments(words: Sequence[str]) -> Iterable[_Segment]:
    """Split a run's words into ("place"|"name", i, j, title_before) pieces."""
    lowered = [w.lower() for w in words]
    i, titled, chunk = 0, False, -1  # chunk: where the pending name starts
    if not _ORG_WORDS.isdisjoint(lowered):
        # an organisation's name may hold a place: "Communist Party of Vietnam"
        while i < len(words) and (step := _modifier_at(lowered, i)) and lowered[i] not in _ORG_OR_ADJECTIVE:
            i += step
        if i < len(words):
            yield "name", i, len(words), i > 0
        return
    while i < len(words):
        places = _place_at(words, lowered, i)
        modifier = 0 if places else _modifier_at(lowered, i)  # read only when no place starts here
        if places or modifier:
            if chunk >= 0:
                yield "name", chunk, i, titled
                chunk = -1
            if places:
                yield "place", i, i + places, False
                titled = False
            else:
                titled = any(w in _TITLES for w in lowered[i : i + modifier]) or titled
            i += places or modifier
            continue
        if chunk < 0:
            chunk = i
        i += 1
    if chunk >= 0:
        yield "name", chunk, len(words), titled


# What `_classify_words` says: a label, and whether it is final or gives way to
# "organization" when an organisation word follows the name in the text.
_Label = tuple[str | None, bool]


def _classify_words(tokens: Sequence[str], titled: bool) -> _Label:
    words = [strip_possessive(w) for w in tokens]
    lowered = [w.lower() for w in words]
    phrase = " ".join(lowered)
    if not _EVENT_WORDS.isdisjoint(lowered):
        return None, True  # events ("International Peace Conference") are neither
    if phrase in _KNOWN_ORGS or (len(words) > 1 and not _ORG_WORDS.isdisjoint(lowered)):
        return "organization", True
    if not _PLACE_WORDS.isdisjoint(lowered) or (len(words) > 1 and lowered[-1] in ("east", "west", "asia")):
        return "place", False
    if any(w in _STOP or w in _ADJECTIVES for w in lowered) or any(
        w.isupper() and len(w) > 1 for w in words[1:]
    ):
        return None, False
    if titled:
        return "person", False
    # One word stays unlabelled: an all-capitals one (2-5 letters) is a known
    # organisation at most, and those are labelled above.
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "person", False
    return None, False


# A run's words -> its pieces: (kind, first word, end, title before, label, final).
_Plan = tuple[tuple[str, int, int, bool, str | None, bool], ...]


def _plan(words: tuple[str, ...]) -> _Plan:
    """What a run's words make, read once per story for a name it repeats."""
    if len(words) == 1:
        return _word_plan(words[0])
    pieces = []
    for kind, i, j, titled in _segments(words):
        label, final = (None, True) if kind == "place" else _classify_words(words[i:j], titled)
        pieces.append((kind, i, j, titled, label, final))
    return tuple(pieces)


def _word_plan(word: str) -> _Plan:
    """`_plan` of a one-word run: `_segments` and `_classify_words` unrolled."""
    lowered = word.lower()
    if lowered not in _ORG_WORDS:
        if _place_at((word,), (lowered,), 0):
            return (("place", 0, 1, False, None, True),)
        if demonym_country(lowered) or lowered in _ADJECTIVES or lowered in _TITLES:
            return ()  # a lone modifier names nothing
    bare = strip_possessive(word).lower()
    if bare in _EVENT_WORDS:
        label: _Label = (None, True)
    elif bare in _KNOWN_ORGS:
        label = ("organization", True)
    elif bare in _PLACE_WORDS:
        label = ("place", False)
    else:
        label = (None, False)
    return (("name", 0, 1, False, *label),)


# What one capitalised word alone makes: (kind, surface, name, label, final);
# None for a word that makes nothing (a stop word, a lone modifier).
_WordMention = tuple[str, str, str, str | None, bool] | None


def _word_mention(word: str) -> _WordMention:
    if not _is_cap(word) or word.lower() in _STOP:
        return None  # opens no run, or `_trim` drops it
    plan = _word_plan(word)
    if not plan:
        return None
    kind, _, _, _, label, final = plan[0]
    surface = strip_possessive(word)
    return kind, surface, place_name(surface) if kind == "place" else surface, label, final


@dataclass(slots=True)
class RuleMemo:
    """What run words make, kept across the sentences of one story (which
    repeats its names): plans of runs, and one-word runs in full."""

    plans: dict[tuple[str, ...], _Plan] = field(default_factory=dict)
    words: dict[str, _WordMention] = field(default_factory=dict)


def rule_mentions(text: str, memo: RuleMemo | None = None) -> list[Mention]:
    """Entity mentions in one sentence, by rules (names not yet linked across the story).

    Names are read off runs of capitalised tokens separated only by spaces (and
    inner "of the"), stop words trimmed off their ends, found chain by chain
    (`_CHAIN`); most chains are one word."""
    found: list[Mention] = []
    memo = RuleMemo() if memo is None else memo
    for chain in _CHAIN.finditer(text):
        if chain.end(1) != chain.end():
            for run in _chain_runs(text, chain):
                run = _trim(run)
                if run:
                    _run_mentions(text, run, memo.plans, found)
            continue
        word = chain.group()
        if word in memo.words:
            known = memo.words[word]
        else:
            known = memo.words[word] = _word_mention(word)
        if known is not None:
            _word_mentions(text, chain.start(), chain.end(), known, found)
    return found


def _word_mentions(text: str, start: int, end: int, known: _WordMention, found: list[Mention]) -> None:
    """`_run_mentions` of a one-word run, from what the word makes."""
    assert known is not None
    kind, surface, name, label, final = known
    stop = start + len(surface)
    if kind == "place":
        found.append(Mention(start, stop, surface, name, "place"))
        return
    if not final and _ORG_NEXT.match(text, end):
        label = "organization"
    if label is None:
        found.append(Mention(start, stop, surface, surface, "candidate"))
    else:
        role = role_at(text, start, stop) if label == "person" else ""
        found.append(Mention(start, stop, surface, surface, label, role))


def _run_mentions(
    text: str, run: list[_Token], plans: dict[tuple[str, ...], _Plan], found: list[Mention]
) -> None:
    """The mentions one run makes, added to `found`."""
    words = tuple([w for _, _, w in run])
    plan = plans.get(words)
    if plan is None:
        plan = plans[words] = _plan(words)
    for kind, i, j, _, label, final in plan:
        start, end = run[i][0], run[j - 1][1]
        surface = strip_possessive(text[start:end])
        end = start + len(surface)
        if kind == "place":
            found.append(Mention(start, end, surface, place_name(surface), "place"))
            continue
        if not final and _ORG_NEXT.match(text, run[j - 1][1]):
            label = "organization"
        if label is None and j - i == 1:
            # a single unknown word: kept as a candidate, linked or dropped later
            found.append(Mention(start, end, surface, surface, "candidate"))
        elif label is not None:
            role = role_at(text, start, end) if label == "person" else ""
            found.append(Mention(start, end, surface, surface, label, role))


def place_name(surface: str) -> str:
    place = lookup_place(surface)
    return place.name if place else surface


def _may_hold_role(window: str) -> bool:
    """False when `_ROLE_BEFORE` cannot match `window`: its title word ends one
    of the last eight white-space tokens (a title, "to the", four names, ",")."""
    # one scan of the eight tokens joined: a title, commas, then a space or the end
    return _TITLE_AT_END.search(" ".join(fold(window).split()[-8:])) is not None


def _role_search_start(window: str) -> int:
    """Where `_ROLE_BEFORE` can first match in `window`. Its match runs to the
    end of the window, and every white-space token after the first it touches
    is a whole item: a capitalised word, a title, a modifier, "to the" or ",".
    So the match starts no earlier than the last token that is none of these."""
    for token in reversed(list(_NON_SPACE.finditer(window))):  # the last one counts
        word = token.group().rstrip(",")
        if word and word[0] not in _UPPER_ASCII and word not in _ROLE_WORDS and fold(word) not in _TITLES:
            return token.start()
    return 0


def role_at(text: str, start: int, end: int) -> str:
    window = text[max(0, start - 90) : start]
    before = _ROLE_BEFORE.search(window, _role_search_start(window)) if _may_hold_role(window) else None
    if before:
        role = before.group(1).strip()
        return _LEADING_ARTICLE.sub("", role)
    after = _ROLE_AFTER.match(text, end)
    return after.group(1).strip() if after else ""
