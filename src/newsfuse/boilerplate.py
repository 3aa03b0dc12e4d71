"""Boilerplate removal for plain-text web captures (copy-paste, scrapers).

A line classifier in the spirit of jusText, but for text without markup:
each non-empty line is BAD (a known widget or link-list shape), GOOD (a
paragraph of prose) or SHORT (undecided), then context decides the SHORT
lines: everything before the first and after the last paragraph goes (that is
where menus, titles, bylines, comment widgets and "latest news" lists live),
and runs between paragraphs go when they hold a widget or look like a caption
or a link list. Only generic shapes are used, never per-site rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from itertools import islice

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_BULLET = re.compile(r"^[•·▪►»*‣◦●○■□–—-]\s*")
_TABS = re.compile(r"[ \t]+")
# Runs of spaces: a literal prefix, which `re` finds far faster than a class.
_SPACE_RUN = re.compile("  +")
# ASCII white space other than the space (`str.isspace` and `\s` agree on it).
_ASCII_SPACING = ("\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_CLOSERS = "\"'”’)]"


def single_spaced(text: str) -> str:
    r"""`re.sub(r"\s+", " ", text)`; regex scans cost ~50 ns a character, so
    text with nothing to change (the common case) is returned as it is."""
    if text.isascii() and not any(s in text for s in _ASCII_SPACING):
        return _SPACE_RUN.sub(" ", text) if "  " in text else text
    core = " ".join(text.split())  # str.split splits on exactly what `\s` matches
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def _tabs_to_space(raw: str) -> str:
    """`re.sub(r"[ \t]+", " ", raw)`, skipped when there is nothing to change."""
    if "\t" in raw:
        return _TABS.sub(" ", raw)
    return _SPACE_RUN.sub(" ", raw) if "  " in raw else raw


def words_at_most(text: str, limit: int) -> bool:
    """`len(_WORD.findall(text)) <= limit`, without reading a long line to its end."""
    return next(islice(_WORD.finditer(text), limit, None), None) is None


def _word_count(text: str, cap: int) -> int:
    """The number of words, counted up to `cap`."""
    return len(list(islice(_WORD.finditer(text), cap)))


def ends_sentence(text: str, enders: str = ".!?…", alone: str = "") -> bool:
    r"""`re.search(r"[<enders>]["'”’)\]]*$|[<alone>]$", text)`, read from the
    end of the line instead of tried at every position. `$` also matches
    before a final newline."""
    tails = (text, text[:-1]) if text.endswith("\n") else (text,)
    for tail in tails:
        if tail[-1:] and tail[-1:] in alone:
            return True
        last = tail.rstrip(_CLOSERS)[-1:]
        if last and last in enders:
            return True
    return False


# Whole-line widgets and section labels. Matched against a line with its
# bullets and trailing punctuation removed, so "• HOME" and "Share." match.
_WIDGET_WORDS = r"""
home|news|menu|search|sections?|subscribe|log ?in|login|sign ?in|sign ?up|register
|share|share (this|on|via)\b.*|tweet|email|e-mail|print|save|copy link|comments?
|reply|like|follow|follow us\b.*|advertisement|advertising|sponsored( content)?|ad
|skip to( main)? content|back to top|read more|load more|show more|continue reading
|click here\b.*|related|related (articles?|stories|posts|news|content|topics|coverage)
|recommended( for you| stories| articles)?|more (stories|news|articles?|from\b.*)
|most (read|popular|viewed|shared)|trending( now| stories)?|popular( posts| stories)?
|you (may|might) (also )?like\b.*|also read|read also|see also|read next|up next
|latest|latest (news|articles?|stories|posts|updates|headlines)|in other news|other news
|top (news|stories|headlines)|today'?s (hot|top|trending) stories|hot stories|breaking news
|exit mobile version|exclusive content|more articles?|latest articles?|next article
|previous article|next post|previous post|leave a (comment|reply)\b.*|write a comment\b.*
|post a comment|add a comment|join the (discussion|conversation)|\d+ comments?
|no comments( yet)?|view comments|show comments|profile photo|×|x|close|open
|photo|image|video|watch|listen|listen to\b.*|audio|gallery|photos|videos
|getty images|file photo|ap photo|reuters|afp|afp via getty images
|all rights reserved\b.*|terms (of (use|service))|privacy( policy)?|cookies?( policy| settings)?
|newsletter|get the app|download (our|the) app\b.*|advertise with us
|whatsapp|facebook|twitter|x \(twitter\)|linkedin|telegram|pinterest|reddit|instagram
|youtube|flipboard|rss|tags?|topics?|categories|filed under\b.*|previous|next|tags:.*
|edited by\b.*|reporting by\b.*|(additional )?reporting by\b.*|writing by\b.*
"""
_WIDGET = re.compile(rf"^(?:{_WIDGET_WORDS.replace(chr(10), '')})$", re.I)

# Line openings that announce a list of other articles or a promo teaser,
# even when the teaser text is glued on ("Top NewsRussia's Putin ...").
_TEASER = re.compile(
    r"^(?:(?:see also|also read|read also|read more|more from|recommended|related)\s*[:|–—-]"
    r"|see also\b|also read\b|read also\b|top news|top stories|latest news\b"
    r"|(?:(?:photo|image|picture|video)s?(?:\s*(?:caption|credit)s?)?|(?:caption|credit)s?)\s*[:|]"
    r"|source: getty|file photo\b|©|copyright\b"
    # subscription promos and syndication credits ("This story was provided by
    # Meridian Wire. ...", "This article first appeared on ...")
    r"|subscribe (?:to|now|today|for)\b|support (?:local|independent|our) journalism"
    r"|this (?:story|article|report|content) (?:was |is |has been )?(?:originally )?"
    r"(?:provided|supplied|distributed|syndicated|produced|published|appeared)\b)",
    re.I,
)
# Sections after which the article is over: comments, more-stories blocks.
_TERMINAL = re.compile(
    r"^(?:leave a (?:comment|reply)|write a comment|post a comment|add a comment|"
    r"join the (?:discussion|conversation)|\d+ comments?|comments|in other news|"
    r"latest (?:news|articles?|stories|posts)|more (?:stories|news|articles?)|"
    r"today'?s (?:hot|top|trending) stories|most (?:read|popular|viewed)|"
    r"you (?:may|might) (?:also )?like|related (?:articles|stories|posts|news)|"
    r"exit mobile version|exclusive content|recommended for you|trending now|"
    r"more from\b|read next|up next)",
    re.I,
)
# "27 days ago", "usercover Guest · 4 hours ago on Site": relative time stamps
# only appear in listings, comments and date lines.
_TIME_AGO = re.compile(
    r"\b(?:\d+|an?|one|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|"
    r"months?|years?)\s+ago\b",
    re.I,
)
# "Published March 3, 2025 | Updated 4:12 p.m.", "5 mins read".
_STAMP = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified)(?: on| at)?\b|\d+ mins? read\b)", re.I
)
_LIST_HEADERS = re.compile(
    r"^(?:also read|read also|see also|related|read more|more on this|more from|"
    r"recommended|you (?:may|might) (?:also )?like|further reading)\b[:.]?",
    re.I,
)


class Kind(Enum):
    GOOD = "good"
    SHORT = "short"
    BAD = "bad"


@dataclass(frozen=True, slots=True)
class BoilerplateConfig:
    """Thresholds of the line classifier (tuned on the seeds and the
    hand-written captures in tests/fixtures/captures)."""

    min_paragraph_words: int = 8  # a shorter line is a label, a title or a caption
    long_paragraph_words: int = 30  # this long, prose even without end punctuation
    after_terminal_words: int = 20  # after "Leave a comment", only long prose counts
    subhead_max_words: int = 12


@dataclass(frozen=True, slots=True)
class Split:
    """Result of boilerplate removal over the lines of one capture."""

    head: tuple[str, ...]  # lines before the body: title, date, byline, menus
    body: tuple[str, ...]  # kept paragraphs, in order
    removed: tuple[str, ...]  # every removed line, in order (head included)
    menus: tuple[str, ...] = ()  # lines laid out as a menu (spaced items), for metadata


def _bare(line: str) -> str:
    """A line without bullets, trailing punctuation and doubled spaces."""
    line = _BULLET.sub("", line).strip()
    if line.startswith("(") and line.endswith(")"):  # "(Reporting by ...; Editing by ...)"
        line = line[1:-1]
    return single_spaced(line).strip(" .:!…|>›»-–—")


_NAV_SEPARATOR = re.compile(r"\s*[|/•·]\s*")


def _is_nav_bar(bare: str) -> bool:
    """`HOME | POLITICS | SPORTS` or `Facebook Twitter WhatsApp`."""
    # Three items need two separators; the checks stop at the first long item.
    if bare.count("|") + bare.count("/") + bare.count("•") + bare.count("·") >= 2:
        parts = [p.strip() for p in _NAV_SEPARATOR.split(bare) if p.strip()]
        if len(parts) >= 3 and all(words_at_most(p, 3) for p in parts):
            return True
    first = bare.split(None, 1)
    if len(first) < 2 or not _WIDGET.match(first[0]):
        return False
    return all(_WIDGET.match(w) for w in bare.split())


def is_widget(line: str) -> bool:
    """A whole line that is a known widget, menu item or section label."""
    return _is_widget(line, _bare(line))


def _is_widget(line: str, bare: str) -> bool:
    if not bare:
        return True
    menu_shaped = not line.lstrip().startswith("|") and "://" not in bare  # not a table row or URL
    if _WIDGET.match(bare) or (menu_shaped and _is_nav_bar(bare)):
        return True
    # The anchored patterns first; words are counted only for a line they fit.
    if _STAMP.match(bare) and words_at_most(bare, 20):
        return True
    if _TEASER.match(bare) and words_at_most(bare, 25):
        return True
    return "ago" in bare.lower() and words_at_most(bare, 14) and _TIME_AGO.search(bare) is not None


# "Click here to download the full report." inside an article points at the
# article's own material; "Click here to subscribe" is a promo anywhere.
_CALL_TO_ACTION = re.compile(r"^click\b(?:\s+\w+){4,}", re.I)
_PROMO_TARGET = re.compile(
    r"\b(?:subscri\w*|newsletter|sign ?up|log ?in|comment\w*|share|app|follow)\b", re.I
)


def is_inline_pointer(line: str) -> bool:
    """A "click here for ..." line that belongs to the article when it stands
    between two of its paragraphs."""
    bare = _bare(line)
    return _CALL_TO_ACTION.match(bare) is not None and _PROMO_TARGET.search(bare) is None


def starts_other_content(line: str) -> bool:
    """A header after which a page holds other articles or comments."""
    bare = _bare(line)
    return _TERMINAL.match(bare) is not None or _LIST_HEADERS.fullmatch(bare) is not None


def _is_good(line: str, cfg: BoilerplateConfig, after_terminal: bool) -> bool:
    first = _BULLET.sub("", line)[:1]
    if not first or first.islower():
        return False
    cap = max(cfg.after_terminal_words, cfg.long_paragraph_words, cfg.min_paragraph_words)
    words = _word_count(line, cap)  # compared only with limits up to `cap`
    ends = ends_sentence(line)
    if after_terminal:
        return ends and words >= cfg.after_terminal_words
    return words >= cfg.long_paragraph_words or (ends and words >= cfg.min_paragraph_words)


def classify(
    lines: list[str], cfg: BoilerplateConfig = BoilerplateConfig(), widgets: list[bool] | None = None
) -> list[Kind]:
    """A first, context-free kind for each (non-empty, stripped) line;
    `widgets` passes `is_widget` of each line when the caller has it."""
    bares = [_bare(line) for line in lines]
    if widgets is None:
        widgets = [_is_widget(line, bare) for line, bare in zip(lines, bares, strict=True)]
    kinds: list[Kind] = []
    after_terminal = False
    in_list = False  # inside an "Also read" list of links
    folded = [bare.casefold() for bare in bares]
    for i, line in enumerate(lines):
        if in_list and _list_item(line):
            kinds.append(Kind.BAD)
            continue
        in_list = _LIST_HEADERS.match(bares[i]) is not None and words_at_most(line, 6)
        repeated = (i > 0 and folded[i] == folded[i - 1]) or (
            i + 1 < len(lines) and folded[i] == folded[i + 1]
        )
        # A short line that opens the next one is a thumbnail label ("Jane Doe"
        # above "Jane Doe's comeback ...").
        prefix = (
            i + 1 < len(lines)
            and len(folded[i]) >= 3
            and folded[i + 1].startswith(folded[i])
            and len(folded[i]) < len(folded[i + 1])
            and words_at_most(line, 5)
        )
        if repeated or prefix or widgets[i]:
            kinds.append(Kind.BAD)
        elif _is_good(line, cfg, after_terminal):
            kinds.append(Kind.GOOD)
        else:
            kinds.append(Kind.SHORT)
        if _TERMINAL.match(bares[i]):
            after_terminal = True
        elif after_terminal and kinds[-1] is Kind.GOOD:
            after_terminal = False  # a long paragraph: the article went on
    return kinds


# Words a sentence cannot end on: a paragraph ending on one was cut off.
_OPEN_ENDED = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "that",
        "which",
        "who",
        "would",
        "will",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "be",
        "been",
        "their",
        "its",
        "his",
        "her",
        "our",
    ]
)


def _cut_off(line: str) -> bool:
    """A prose line cut off mid-sentence (a paywall or a truncated capture)."""
    words = _WORD.findall(line)
    return (
        len(words) >= 6 and line[:1].isupper() and words[-1] in _OPEN_ENDED and not _mostly_capitalised(line)
    )


def _list_item(line: str) -> bool:
    """A line that continues a list of links: a bullet, or a short headline."""
    if _BULLET.match(line):
        return True
    return words_at_most(line, 20) and (not ends_sentence(line) or _mostly_capitalised(line))


def _mostly_capitalised(line: str) -> bool:
    words = _WORD.findall(line)
    return len(words) > 2 and sum(1 for w in words if w[:1].isupper()) / len(words) > 0.6


def _is_subhead(line: str, cfg: BoilerplateConfig) -> bool:
    """A short line between paragraphs that reads as a section heading."""
    return (
        not words_at_most(line, 0)
        and words_at_most(line, cfg.subhead_max_words)
        and line[:1].isupper()
        and _BULLET.match(line) is None
        and not line.endswith(",")
    )


def _keep_run(run: list[str], kinds: list[Kind], cfg: BoilerplateConfig) -> list[bool]:
    """Decide a run of non-paragraph lines between two paragraphs."""
    if any(k is Kind.BAD for k in kinds) or any(_LIST_HEADERS.match(_bare(x)) for x in run):
        return [False] * len(run)
    if len(run) == 1:
        return [_is_subhead(run[0], cfg) or ends_sentence(run[0])]
    # Several short lines in a row: captions or a list of links, unless they
    # are sentences (a list of facts keeps its end punctuation).
    return [ends_sentence(x) and x[:1].isupper() for x in run]


_GAP = re.compile(r"[ \t]{2,}|\t")


def _spaced_menu(raw: str) -> bool:
    """`Home   News   Sport   Weather`: menu items that a copy-paste left
    separated by runs of spaces instead of markup."""
    stripped = raw.strip()
    gaps = [i for i in (stripped.find("  "), stripped.find("\t")) if i >= 0]
    if not gaps or not words_at_most(stripped[: min(gaps) + 1], 3):
        return False  # one part, or a first part too long for a menu item
    parts = [part for part in _GAP.split(raw.strip()) if part]
    return len(parts) >= 3 and all(words_at_most(part, 3) for part in parts)


def split_boilerplate(text: str, cfg: BoilerplateConfig = BoilerplateConfig()) -> Split:
    """Separate the body paragraphs of a capture from its boilerplate."""
    raws = [raw for raw in text.splitlines() if raw.strip()]
    lines = [_tabs_to_space(raw.strip()) for raw in raws]
    menus = tuple(line for line, raw in zip(lines, raws, strict=True) if _spaced_menu(raw))
    kinds = classify(lines, cfg, [line in menus or is_widget(line) for line in lines])
    good = [i for i, k in enumerate(kinds) if k is Kind.GOOD]
    if not good:
        # No prose paragraph at all (a short note): drop only the widgets.
        body = tuple(line for line, k in zip(lines, kinds, strict=True) if k is not Kind.BAD)
        removed = tuple(line for line, k in zip(lines, kinds, strict=True) if k is Kind.BAD)
        return Split((), body, removed)
    first, last = good[0], good[-1]
    if last + 1 < len(lines) and kinds[last + 1] is Kind.SHORT and _cut_off(lines[last + 1]):
        last += 1
    keep = [False] * len(lines)
    i = first
    while i <= last:
        if kinds[i] is Kind.GOOD or i == last:
            keep[i] = True
            i += 1
            continue
        j = i
        while kinds[j] is not Kind.GOOD:
            j += 1
        keep[i:j] = _keep_run(lines[i:j], kinds[i:j], cfg)
        i = j
    return Split(
        head=tuple(lines[:first]),
        body=tuple(line for line, k in zip(lines, keep, strict=True) if k),
        removed=tuple(line for line, k in zip(lines, keep, strict=True) if not k),
        menus=menus,
    )


def split_widgets(text: str, cfg: BoilerplateConfig = BoilerplateConfig()) -> Split:
    """Light cleaning for text an extractor already cut to the article (HTML,
    feeds): drop widget lines anywhere and whatever follows a "Related" or
    comments header below the last paragraph; keep every other line."""
    lines = [_tabs_to_space(raw.strip()) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    widgets = [is_widget(line) for line in lines]
    kinds = classify(lines, cfg, widgets)
    good = [i for i, k in enumerate(kinds) if k is Kind.GOOD]
    end = len(lines)
    for i in range(good[-1] + 1 if good else len(lines), len(lines)):
        if starts_other_content(lines[i]):
            end = i
            break
    # An extractor already cut the text to the article: a "click here for
    # the full results" line it kept is the article's own pointer.
    keep = [i < end and (not widgets[i] or is_inline_pointer(lines[i])) for i in range(len(lines))]
    return Split(
        head=(),
        body=tuple(line for line, k in zip(lines, keep, strict=True) if k),
        removed=tuple(line for line, k in zip(lines, keep, strict=True) if not k),
    )
