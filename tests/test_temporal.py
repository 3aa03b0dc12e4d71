"""The date resolver on hand-written news sentences (publication dates given)."""

from __future__ import annotations

from datetime import date

import pytest

from newsfuse.temporal import find_dates

MON_17 = date(2024, 6, 17)  # a Monday
TUE_11 = date(2024, 6, 11)


def resolved(text: str, published: date | None) -> list[tuple[str, str]]:
    return [(d.surface, d.when.iso()) for d in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Kim toured the cosmodrome last September.", MON_17, [("last September", "2023-09")]),
        ("The minister will arrive on Tuesday.", MON_17, [("Tuesday", "2024-06-18")]),
        ("The minister arrived on Tuesday.", MON_17, [("Tuesday", "2024-06-11")]),
        ("The aide told a press conference on Monday.", MON_17, [("Monday", "2024-06-17")]),
        ("In January, the two governments accused Moscow.", TUE_11, [("January", "2024-01")]),
        (
            "The visit is planned for June 19-20.",
            date(2024, 6, 10),
            [("June 19-20", "2024-06-19/2024-06-20")],
        ),
        (
            "The visit is tentatively planned for June 19th-20th.",
            TUE_11,
            [("June 19th-20th", "2024-06-19/2024-06-20")],
        ),
        (
            "He will travel to Hanoi on Wednesday for a two-day trip.",
            MON_17,
            [("Wednesday", "2024-06-19/2024-06-20")],
        ),
        (
            "Between August and February, the port shipped grain.",
            MON_17,
            [("Between August and February", "2023-08/2024-02")],
        ),
        (
            "It replaces treaties signed in 1961, 2000 and 2001.",
            MON_17,
            [("1961", "1961"), ("2000", "2000"), ("2001", "2001")],
        ),
        ("The ministry said earlier this year.", MON_17, [("earlier this year", "2024")]),
        ("A message went out last week.", MON_17, [("last week", "2024-06-10/2024-06-16")]),
        ("Delegates met over the weekend.", MON_17, [("over the weekend", "2024-06-15/2024-06-16")]),
        ("The summit opened on 3 March 2023.", None, [("3 March 2023", "2023-03-03")]),
        (
            "Talks ran December 30-January 2, 2025.",
            None,
            [("December 30-January 2, 2025", "2024-12-30/2025-01-02")],
        ),
        (
            "It happened three days ago, and again yesterday.",
            MON_17,
            [("three days ago", "2024-06-14"), ("yesterday", "2024-06-16")],
        ),
        (
            "National Day falls on June 12, he said last week.",
            MON_17,
            [("June 12", "2024-06-12"), ("last week", "2024-06-10/2024-06-16")],
        ),
    ],
)
def test_resolves_news_dates(text: str, published: date | None, expected: list[tuple[str, str]]) -> None:
    assert resolved(text, published) == expected


def test_relative_dates_need_a_publication_date() -> None:
    assert resolved("He arrived on Tuesday, last September.", None) == []


def test_dates_with_their_year_resolve_without_a_publication_date() -> None:
    # DUC-style text carries no publication date: only what writes its year
    # resolves, and the weekday and "last week" beside it are dropped, not guessed
    text = "Putin arrived on Tuesday, June 19, 1998, and left last week, as he did in 2001."
    assert resolved(text, None) == [("June 19, 1998", "1998-06-19"), ("2001", "2001")]
    published = resolved(text, date(1998, 6, 21))
    assert ("Tuesday", "1998-06-16") in published and ("last week", "1998-06-08/1998-06-14") in published
    assert resolved("Talks were held on June 19 and in May.", None) == []


def test_names_and_quantities_are_not_dates() -> None:
    assert resolved("May said 2000 troops and 152 mm shells would go.", MON_17) == []


def test_month_in_publication_month_stays_in_that_year() -> None:
    # "as early as June" written in June is this June whatever the tense
    assert resolved("He could visit as early as June.", date(2024, 6, 10)) == [("June", "2024-06")]


def test_surface_is_exact_source_text() -> None:
    text = "Officials met on Friday and again on 4 July 2024."
    for d in find_dates(text, MON_17):
        assert text[d.start : d.end] == d.surface
