"""Cleaning: mojibake, boilerplate, metadata and keys, on seeds and hand-made captures."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from newsfuse.clean import article_key, clean, extract_html, normalise_url, repair_text
from newsfuse.metadata import clean_author, find_dateline, resolve_numeric
from newsfuse.models import Article

FORBIDDEN = ["HOT 100", "Exit mobile version", "See also", "Nikki Haley", "Besigye", "Leave a Comment",
             "Latest News", "Also read", "Share.", "Â"]  # fmt: skip
FIRST_SENTENCES = {
    "000": "Russian President Vladimir Putin is planning to visit North Korea and Vietnam in the coming",
    "001": "President Vladimir Putin is set to embark on visits to North Korea and Vietnam",
    "002": "Russian President Vladimir Putin is planning to visit North Korea and Vietnam",
    "003": "Vladimir Putin is scheduled to travel North Korea",
    "004": "Russian President Vladimir Putin will visit North Korea and Vietnam in the coming weeks",
}
FIXTURES = Path(__file__).parent / "fixtures" / "captures"


def _seed(seeds_dir: Path, prefix: str) -> Article:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    return clean(Article(id=path.name, text=path.read_text(encoding="utf-8")))


def _capture(name: str) -> Article:
    return clean(Article(id=name, text=(FIXTURES / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("prefix", sorted(FIRST_SENTENCES))
def test_seed_is_clean_and_keeps_its_first_sentence(seeds_dir: Path, prefix: str) -> None:
    article = _seed(seeds_dir, prefix)
    for junk in FORBIDDEN:
        assert junk not in article.text, junk
    assert FIRST_SENTENCES[prefix] in article.text
    assert article.key.startswith("sha1:")


def test_seed_metadata(seeds_dir: Path) -> None:
    first = _seed(seeds_dir, "000")
    assert first.published == date(2024, 6, 11)
    assert first.title == "Putin set to visit North Korea, Vietnam"
    moscow = _seed(seeds_dir, "001")
    assert moscow.published == date(2024, 6, 10)
    assert moscow.dateline == "MOSCOW"
    assert moscow.text.startswith("10-6-2024 (MOSCOW) President")  # text kept, dateline recorded
    assert _seed(seeds_dir, "004").dateline == "MOSCOW/HANOI"
    assert _seed(seeds_dir, "003").published is None  # no date written: unknown, not guessed


def test_removed_lines_are_kept(seeds_dir: Path) -> None:
    article = _seed(seeds_dir, "002")
    assert article.removed == ("Share.", "Exit mobile version")


def test_lone_a_circumflex_is_repaired() -> None:
    assert repair_text("(MOSCOW)Â President Putin said.") == "(MOSCOW) President Putin said."
    assert repair_text("(MOSCOW)Ã‚ President") == "(MOSCOW) President"
    assert repair_text("Vietnamâ€™s ministry") == "Vietnam’s ministry"  # ftfy, quotes stay curly


def test_fixture_metadata() -> None:
    harbor = _capture("harbor_gazette.txt")
    assert harbor.title == "Port authority approves dredging plan for Kestrel Bay"
    assert harbor.author == "Marta Quint"
    assert harbor.published == date(2025, 3, 3)
    assert harbor.outlet == "Harbor Gazette"
    assert harbor.dateline == "KESTREL BAY"
    assert _capture("metro_tribune.txt").published == date(2025, 6, 9)  # US dateline: month first
    assert _capture("valley_courier.txt").published == date(2025, 2, 14)
    assert _capture("sunrise_times.txt").outlet == "Sunrise Times"
    assert _capture("coastline_blog.txt").author == "Jo Pelling"


def test_numeric_dates_need_evidence() -> None:
    text = "on Monday (June 10) the paper said"
    assert resolve_numeric(10, 6, 2024, "-", text, "MOSCOW") == date(2024, 6, 10)
    assert resolve_numeric(10, 6, 2024, "-", "no clue here", None) is None
    assert resolve_numeric(25, 6, 2024, "-", "", None) == date(2024, 6, 25)


@pytest.mark.parametrize(
    ("opening", "city"),
    [
        ("MOSCOW/HANOI: Russian President", "MOSCOW/HANOI"),
        ("10-6-2024 (MOSCOW) President", "MOSCOW"),
        ("WASHINGTON (Reuters) - The U.S. Senate", "WASHINGTON"),
        ("Russian President Vladimir Putin", None),
    ],
)
def test_dateline(opening: str, city: str | None) -> None:
    assert find_dateline(opening) == city


def test_author_junk() -> None:
    assert clean_author("By Jane Roe Email The Author") == "Jane Roe"
    assert clean_author("Written by Jo Pelling | Follow on X") == "Jo Pelling"
    assert clean_author("Share this article on Facebook and Twitter today") is None


def test_article_key() -> None:
    url = "HTTPS://www.Example.com/news/story/?utm_source=x&id=7&fbclid=1#top"
    assert normalise_url(url) == "https://example.com/news/story?id=7"
    assert article_key(Article(id="a", text="x", url=url)) == "https://example.com/news/story?id=7"
    one = article_key(Article(id="a", text="Same  text\nhere."))
    assert one == article_key(Article(id="b", text="Same text here."))
    assert one.startswith("sha1:")


def test_titled_source_keeps_its_short_lines() -> None:
    # Text from an HTML extractor keeps datelines and subheads; widgets still go.
    text = (
        "BAAR, SWITZERLAND\nThe company said on Monday it would hire 40 engineers this year.\n"
        "Share.\nKey facts\nIt was founded in 1955 and employs 1,300 people."
    )
    article = clean(Article(id="h", text=text, title="Company hires"))
    assert article.text.startswith("BAAR, SWITZERLAND")
    assert "Key facts" in article.text and "Share." not in article.text


def test_extract_html_reads_text_and_metadata() -> None:
    body = "".join(
        f"<p>The council met on Tuesday and voted on item {i} of the budget plan.</p>" for i in range(8)
    )
    html = (
        "<html><head><title>Council passes budget</title>"
        '<meta property="article:published_time" content="2024-05-02"></head>'
        "<body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Council passes budget</h1>{body}</article></body></html>"
    )
    page = extract_html(html, "https://www.citynews.example/budget")
    assert "item 3 of the budget plan" in page.text
    assert not page.text.startswith("Council passes budget")
    assert page.title == "Council passes budget"
    assert page.published == date(2024, 5, 2)


def test_html_drops_teaser_links_and_hover_cards_but_keeps_citations() -> None:
    prose = "".join(
        f"<p>The harbour board voted on Monday to fund item {i} of the dredging plan for the bay.</p>"
        for i in range(6)
    )
    card = (
        '<p>The plan was backed by councillor <span class="who"><a href="/p/1">Ada Ruud</a>'
        '<span class="card"><a href="/p/1">Ada Ruud</a> <a href="/a/9">Ferry fares to rise in June as '
        'fuel costs climb</a> <a href="/a/8">Tide tables for the week ahead and more news</a></span></span> '
        "who chairs the finance committee of the board.</p>"
    )
    heads = [
        "Ferry strike ends after talks | Kestrel Bay",
        "Tide tables for the week | Harbour",
        "Lighthouse reopens",
    ]
    teasers = "".join(f'<p><a href="/x/{i}">{head}</a></p>' for i, head in enumerate(heads))
    cite = '<p><a href="/doc">[1] Dredging survey of Kestrel Bay, Harbour Board, 2024.</a></p>'
    html = (
        f"<html><head><title>Dredging plan</title></head><body><article><h1>Dredging plan</h1>"
        f"{prose}{card}{cite}{teasers}</article></body></html>"
    )
    text = extract_html(html, "https://news.example/dredging").text
    assert "councillor Ada Ruud who chairs" in text
    assert "Ferry fares" not in text and "Tide tables for the week ahead" not in text  # the hover card
    assert "Lighthouse reopens" not in text  # cross-links below the article
    assert "[1] Dredging survey" in text


# The fast text helpers stand in for regexes: they must agree with them exactly.
_TRICKY_LINES = [
    "",
    " ",
    "Plain line.",
    "  lead and trail  ",
    "tab\there\x0bvt\x1cfs",
    "nbsp\u00a0and\u3000ideographic space",
    "Ends with a quote.”",
    "Ends with (a bracket.)]",
    "Question?\n",
    "No end\n\n",
    'He said "yes"',
    "…",
    "İstanbul ſtreet ıs here — said The Hague",
]


@pytest.mark.parametrize("line", _TRICKY_LINES)
def test_text_helpers_match_their_regexes(line: str) -> None:
    from newsfuse.boilerplate import ends_sentence, single_spaced, words_at_most

    assert single_spaced(line) == re.sub(r"\s+", " ", line)
    assert ends_sentence(line) == (re.search(r"""[.!?…]["'”’)\]]*$""", line) is not None)
    quality_end = re.search(r"""[.!?…:]["'”’)\]]*$|["”’]$""", line) is not None
    assert ends_sentence(line, ".!?…:", '"”’') == quality_end
    count = len(re.findall(r"\w+(?:[-'’]\w+)*", line))
    assert all(words_at_most(line, n) == (count <= n) for n in range(6))
