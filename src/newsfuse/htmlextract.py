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
from dataclasses import dataclass
from typing import Any

from newsfuse.boilerplate import BoilerplateConfig, Kind, classify, is_widget, starts_other_content

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


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _is_loud(line: str) -> bool:
    words = [w for w in _TOKEN.findall(line) if len(w) > 1 and w.isalpha()]
    letters = [c for c in line if c.isalpha()]
    return (
        len(words) >= _LOUD_MIN_WORDS
        and not line.lstrip().startswith("|")  # a table row
        and not line.rstrip().endswith("?")  # AP's all-caps question subheads
        and bool(letters)
        and all(c.isupper() for c in letters)
    )


def _is_junk(line: str) -> bool:
    """Widget shapes that are junk wherever they stand."""
    return (
        is_widget(line)
        or _is_loud(line)
        or _TAGGED_TEASER.search(line) is not None
        or (len(_TOKEN.findall(line)) <= 20 and _SIGNUP.search(line) is not None)
    )


def _is_edge_junk(line: str) -> bool:
    """Shapes that are junk above or below the article, not inside it."""
    words = len(_TOKEN.findall(line))
    return words <= 30 and _PROMO.search(line) is not None


def postclean(text: str, title: str | None = None, cfg: BoilerplateConfig = _LINES) -> str:
    """Drop the headline line, widget lines anywhere, and promo lines and bare
    URLs above the first or below the last prose paragraph."""
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and title and _tokens(lines[0]) == _tokens(title):
        lines = lines[1:]
    kinds = classify(lines, cfg)
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
        if not _is_junk(line)
        and not (i < min(first, 2) and _URL_ONLY.match(line))
        and not (i > last and _is_edge_junk(line))
    ]
    return "\n".join(kept)


def extract_main_text(html: str, url: str | None = None, cfg: HtmlConfig = HtmlConfig()) -> dict[str, Any]:
    """Text and metadata (title, date, sitename, author, description) of one page."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        fast=cfg.fast,
        include_comments=cfg.include_comments,
        include_tables=cfg.include_tables,
    )
    if not doc:
        return {}
    data: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    data = {k: v for k, v in data.items() if isinstance(v, (str, int, list)) or v is None}
    if cfg.postclean:
        data["text"] = postclean(str(data.get("text") or ""), data.get("title"))
    return data
