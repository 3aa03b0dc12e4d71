from __future__ import annotations

from conftest import make_article
from newsfuse.text import split_sentences, word_count, words


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(make_article(text))]


def test_offsets_point_at_the_sentence_text() -> None:
    article = make_article("  First one here.  Second one follows!\nThird line without stop\n\nFourth? Yes.")
    sentences = split_sentences(article)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert s.text == article.text[s.start : s.end]
        assert s.text == s.text.strip()
    assert [s.text for s in sentences] == [
        "First one here.",
        "Second one follows!",
        "Third line without stop",
        "Fourth?",
        "Yes.",
    ]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    assert texts("Mr. Smith met Dr. Jones in the U.S. capital on Nov. 2. They talked.") == [
        "Mr. Smith met Dr. Jones in the U.S. capital on Nov. 2.",
        "They talked.",
    ]
    assert texts("George W. Bush spoke. Then he left.") == ["George W. Bush spoke.", "Then he left."]


def test_quotes_open_and_close_sentences() -> None:
    # AP style ``...'' quotes as in DUC 2004, and typographic quotes.
    assert texts("The trial opens Nov. 20. ``We feel it is our duty,'' he said. It ended.") == [
        "The trial opens Nov. 20.",
        "``We feel it is our duty,'' he said.",
        "It ended.",
    ]
    assert texts("He said “we will go.” Then he went.") == ["He said “we will go.”", "Then he went."]


def test_lower_case_after_period_is_not_a_boundary() -> None:
    assert texts("Prices rose 3.5 percent, i.e. more than expected. Stocks fell.") == [
        "Prices rose 3.5 percent, i.e. more than expected.",
        "Stocks fell.",
    ]


def test_words_are_lower_cased_tokens() -> None:
    assert words("Kim Jong-un's visit, in 2000!") == ["kim", "jong-un's", "visit", "in", "2000"]
    assert word_count("Kim Jong-un's visit, in 2000!") == 5


def test_boundary_scan_finds_what_a_plain_regex_scan_finds() -> None:
    # sentence_spans jumps between candidate characters instead of trying the
    # boundary pattern everywhere; the boundaries must be the same.
    from newsfuse.text import _BOUNDARY, _boundaries

    for text in [
        "",
        "No boundary at all",
        "Wait... what?! Yes.\n\nNext “quoted.” (Aside.) End",
        "Dots...x and ...  spaced . out .\n  \n",
        "U.S. troops left at 3 p.m. on Jan. 5. They returned.",
        "…trailing ellipsis… then text!!  \t\n",
    ]:
        assert [m.span() for m in _boundaries(text)] == [m.span() for m in _BOUNDARY.finditer(text)]
