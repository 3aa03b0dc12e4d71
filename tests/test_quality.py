"""Quality flags: garbled translation, filler, truncation, paywall, leftovers."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.clean import clean
from newsfuse.models import Article
from newsfuse.quality import filler, garbled, leftover_boilerplate, paywall, truncated


def _kinds(article: Article) -> set[str]:
    return {flag.kind for flag in article.flags}


def _seed(seeds_dir: Path, prefix: str) -> Article:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    return clean(Article(id=path.name, text=path.read_text(encoding="utf-8")))


def test_garbled_seed_is_flagged_with_evidence(seeds_dir: Path) -> None:
    flag = next(f for f in _seed(seeds_dir, "003").flags if f.kind == "garbled")
    assert "Deep conditioning This has raised widespread international concern" in flag.evidence
    assert 0 < flag.score <= 1


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_clean_seeds_are_not_garbled(seeds_dir: Path, prefix: str) -> None:
    assert "garbled" not in _kinds(_seed(seeds_dir, prefix))


def test_filler_seed_is_flagged(seeds_dir: Path) -> None:
    flag = next(f for f in _seed(seeds_dir, "000").flags if f.kind == "filler")
    assert flag.evidence.startswith("In conclusion,")
    assert "filler" not in _kinds(_seed(seeds_dir, "004"))


def test_garbled_needs_repeated_restarts() -> None:
    salad = [
        "The minister said Monday It was a plan For the region. Officials said Tuesday This has support.",
        "Trade grew sharply The exports rose to Asia.",
    ]
    assert garbled(salad) is not None
    prose = ["The minister said on Monday that the plan would help the region, and officials agreed."] * 4
    assert garbled(prose) is None


def test_filler_requires_no_new_fact() -> None:
    body = ["The port of Kestrel handled 4 million tonnes in 2024, officials in Maine said."]
    assert (
        filler([*body, "In conclusion, the port remains important for Maine and its officials."]) is not None
    )
    assert filler([*body, "In conclusion, Governor Ada Li will visit on 3 June to open a terminal."]) is None


def test_truncated_and_paywall() -> None:
    assert truncated(["A full sentence.", "Union leaders said they would"]) is not None
    assert truncated(["A full sentence.", "Another one ends here."]) is None
    assert paywall("Some text.", ["Subscribe to continue reading"]) is not None
    assert paywall("Readers subscribe to many papers.", []) is None


def test_leftover_boilerplate() -> None:
    assert leftover_boilerplate(["Real text here.", "Follow us on Twitter for more"]) is not None
    assert leftover_boilerplate(["Real text here about the follow-up vote."]) is None


def test_paywalled_capture_is_flagged() -> None:
    path = Path(__file__).parent / "fixtures" / "captures" / "paywall_ledger.txt"
    article = clean(Article(id="p", text=path.read_text(encoding="utf-8")))
    assert {"paywall", "truncated"} <= _kinds(article)
