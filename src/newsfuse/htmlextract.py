"""Main text of HTML pages: trafilatura plus generic post-cleaning.

trafilatura (fast mode, comments off) finds the main content well but keeps
the headline as the first line and, at the edges of the article, promotions
and lists of links ("You may also like...", "CLICK HERE TO GET THE APP",
"Related: ..."). `postclean` removes those with the same generic widget
shapes the text-capture cleaner uses, plus a few that only HTML output shows.
Measured on the scrapinghub dev pages by `newsfuse.eval.extraction`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsfuse.boilerplate import (
    BoilerplateConfig,
    Kind,
    classify,
    ends_sentence,
    is_inline_pointer,
    is_widget,
    starts_other_content,
)
from newsfuse.metadata import page_metadata

_TOKEN = re.compile(r"\w+")
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
# "China furious at Macron [INSIGHT]", "Lakers vs Nets ... [VIDEO]": cross-links.
_TAGGED_TEASER = re.compile(r"\[(?:[A-Z]{3,}|video|pics|photos|watch|poll)\]\s*\|?\s*$")
_PROMO = re.compile(
    r"\b(?:sign up for (?:our|the) \w*\s*newsletter|subscribe to our|download (?:our|the) app|"
    r"get the app|follow us on|get \w+(?: \w+)? on the go|get access to)\b",
    re.I,
)
# The lines of a newsletter sign-up box.
_SIGNUP = re.compile(
    r"\b(?:thanks for signing up|keep an eye on your inbox|error processing your subscription|"
    r"sign up for (?:our|the)\b.*\bnewsletter|enter your email|by signing up,? you agree|"
    r"you(?:'|’)re (?:all )?(?:set|subscribed))",
    re.I,
)
_LOUD_MIN_WORDS = 6  # an all-caps line this long is a cross-link, not a subhead


_LINES = BoilerplateConfig()


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    fast: bool = True  # skip trafilatura's fallback extractors: faster and, measured, better
    include_comments: bool = False
    include_tables: bool = True
    postclean: bool = True
    link_block_share: float = 0.6  # a block this much linked text is a teaser list
    link_block_min_links: int = 2
    whole_link_share: float = 0.9  # a paragraph this linked is one link
    prose_min_words: int = 15  # a paragraph this long is article prose


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _is_loud(line: str) -> bool:
    # Every letter a capital: tested first, it stops at the first small letter.
    if any(c.isalpha() and not c.isupper() for c in line):
        return False
    words = [w for w in _TOKEN.findall(line) if len(w) > 1 and w.isalpha()]
    return (
        len(words) >= _LOUD_MIN_WORDS  # (so the line has letters)
        and not line.lstrip().startswith("|")  # a table row
        and not line.rstrip().endswith("?")  # AP's all-caps question subheads
    )


def _is_junk(line: str, widget: bool) -> bool:
    """Widget shapes that are junk wherever they stand (`widget`: `is_widget(line)`)."""
    return (
        widget
        or _is_loud(line)
        or _TAGGED_TEASER.search(line) is not None
        or (len(_TOKEN.findall(line)) <= 20 and _SIGNUP.search(line) is not None)
    )


def _is_edge_junk(line: str) -> bool:
    """Shapes that are junk above or below the article, not inside it."""
    words = len(_TOKEN.findall(line))
    return words <= 30 and _PROMO.search(line) is not None


def postclean(text: str, titles: Sequence[str | None] = (), cfg: BoilerplateConfig = _LINES) -> str:
    """Drop the headline line, widget lines anywhere, and promo lines and bare
    URLs above the first or below the last prose paragraph."""
    lines = [line for line in text.split("\n") if line.strip()]
    heads = [_tokens(title) for title in titles if title]
    if lines and _tokens(lines[0]) in heads:
        lines = lines[1:]
    widgets = [is_widget(line) for line in lines]  # computed once: classify and the junk test
    kinds = classify(lines, cfg, widgets)
    good = [i for i, kind in enumerate(kinds) if kind is Kind.GOOD]
    first, last = (good[0], good[-1]) if good else (len(lines), -1)
    # Below the article, a "You may also like" or comments header starts
    # what is no longer the article: cut there.
    for i in range(last + 1, len(lines)):
        if starts_other_content(lines[i]):
            lines = lines[:i]
            break
    kept = [
        line
        for i, line in enumerate(lines)
        if (not _is_junk(line, widgets[i]) or is_inline_pointer(line))
        and not (i < min(first, 2) and _URL_ONLY.match(line))
        and not (i > last and _is_edge_junk(line))
    ]
    return "\n".join(kept)


# Pop-up cards inside a paragraph (a person's photo and latest headlines
# behind a name): an inline element made of several links and little else.
_CARD_MIN_LINKS = 2
_CARD_MIN_WORDS = 12
_CARD_MAX_OWN_SHARE = 0.15  # text outside the card's links, as a share of its text


def drop_hover_cards(tree: Any) -> None:
    """Remove link-only inline blocks nested inside paragraphs, innermost
    first, keeping the text that follows them."""
    for paragraph in tree.iter("p"):
        for element in reversed(list(paragraph.iterdescendants("span", "div"))):
            if element.getparent() is None:
                continue
            links = list(element.iter("a"))
            if len(links) < _CARD_MIN_LINKS:
                continue
            text = " ".join("".join(element.itertext()).split())
            if len(_TOKEN.findall(text)) < _CARD_MIN_WORDS:
                continue
            linked = sum(len(" ".join("".join(a.itertext()).split())) for a in links)
            if len(text) - linked > _CARD_MAX_OWN_SHARE * len(text):
                continue
            element.drop_tree()  # lxml.html: keeps the tail


def _link_share(element: Any, text: str | None = None) -> float:
    """Share of an output block's characters that sit inside links (`text`:
    the block's text when the caller has it)."""
    total = len(("".join(element.itertext()) if text is None else text).strip())
    if not total:
        return 0.0
    linked = sum(len("".join(ref.itertext()).strip()) for ref in element.iter("ref"))
    return linked / total


def _is_link_block(element: Any, cfg: HtmlConfig, share: float | None = None) -> bool:
    """A list or paragraph that is mostly links: a cross-link teaser list.
    A short paragraph that is one link can be a sub-head or a source; lists
    and multi-link paragraphs are judged on their share of linked text
    (`share`: `_link_share(element)` when the caller has it)."""
    refs = sum(1 for _ in element.iter("ref"))
    if refs < cfg.link_block_min_links:
        return False
    return (_link_share(element) if share is None else share) >= cfg.link_block_share


def _is_teaser_list(element: Any) -> bool:
    """A list whose every item holds a link (a thumbnail or a headline link)."""
    items = [item for item in element if item.tag == "item"]
    return len(items) >= 2 and all(next(item.iter("ref"), None) is not None for item in items)


def _drop_blocks(body: Any, cfg: HtmlConfig) -> None:
    """Link-dense blocks anywhere; runs of whole-link paragraphs; and below
    the last prose paragraph, headings and teaser lists."""
    blocks = list(body)
    # Each block's text, words and link share, read once (removing a block
    # changes none of the others').
    texts = ["".join(block.itertext()) for block in blocks]
    shares = [_link_share(block, text) for block, text in zip(blocks, texts, strict=True)]
    words = [len(_TOKEN.findall(text)) for text in texts]
    # A citation ("[1] Ruskin KJ ... 2015; 28: 685-690.") ends like a sentence;
    # a cross-link headline does not.
    linked = [
        shares[i] >= cfg.whole_link_share and words[i] > 0 and not ends_sentence(texts[i].rstrip())
        for i in range(len(blocks))
    ]
    prose = [
        i
        for i, block in enumerate(blocks)
        if block.tag == "p" and words[i] >= cfg.prose_min_words and shares[i] < 0.5  # prose
    ]
    last = prose[-1] if prose else len(blocks)
    for i, block in enumerate(blocks):
        in_run = linked[i] and ((i > 0 and linked[i - 1]) or (i + 1 < len(blocks) and linked[i + 1]))
        tail = i > last and (block.tag == "head" or (block.tag == "list" and _is_teaser_list(block)))
        if in_run or tail or _is_link_block(block, cfg, shares[i]):
            body.remove(block)


def _flatten_refs(body: Any) -> None:
    """Replace each <ref> by its text, whitespace normalised, so the body
    renders as it would without link output."""
    from lxml import etree

    for ref in body.iter("ref"):
        raw = "".join(ref.itertext())
        text = " ".join(raw.split())
        if text and raw[:1].isspace():
            text = " " + text
        if text and raw[-1:].isspace():
            text += " "
        for child in list(ref):
            ref.remove(child)
        ref.text = text
    etree.strip_tags(body, "ref")


def _body_text(body: Any, cfg: HtmlConfig) -> str:
    from trafilatura.xml import xmltotxt

    _drop_blocks(body, cfg)
    _flatten_refs(body)
    text: str = xmltotxt(body, include_formatting=False)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def extract_main_text(html: str, url: str | None = None, cfg: HtmlConfig = HtmlConfig()) -> dict[str, Any]:
    """Text and metadata (title, date, sitename, author, description) of one page.

    The page is parsed once: metadata is read from the raw tree (<meta>,
    JSON-LD, <time>, <h1>), hover cards are cut out, then trafilatura gets the
    tree (it copies it) with links kept so that link-dense blocks can be
    judged before the links are flattened back into text."""
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except (TypeError, ValueError):
        tree = None
    if tree is None:
        return {}
    data: dict[str, Any] = page_metadata(tree, url)
    drop_hover_cards(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=None,  # the URL only resolves relative links, which are flattened away
        with_metadata=False,
        fast=cfg.fast,
        include_comments=cfg.include_comments,
        include_tables=cfg.include_tables,
        include_links=True,
    )
    body = getattr(doc, "body", None) if doc else None
    if body is None:
        return {**data, "text": ""}
    text = _body_text(body, cfg)
    if cfg.postclean:
        text = postclean(text, (data.get("title"), data.get("headline")))
    return {**data, "text": text}
