"""The with/without gate for boilerplate removal on text captures.

tests/gold/captures.json lists, per capture, lines that must stay and lines
that must go; precision and recall of removal must stay above the floors in
tests/gold/floors.json, and floors may never drop below their recorded minimum.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfuse.clean import clean
from newsfuse.models import Article

GOLD = Path(__file__).parent / "gold"
FIXTURES = Path(__file__).parent / "fixtures" / "captures"


def _documents() -> list[dict[str, object]]:
    docs: list[dict[str, object]] = json.loads((GOLD / "captures.json").read_text(encoding="utf-8"))[
        "documents"
    ]
    return docs


def _counts(text: str, keep: list[str], remove: list[str]) -> tuple[int, int, int]:
    """(boilerplate removed, body wrongly removed, boilerplate left)."""
    removed = sum(1 for line in remove if line not in text)
    lost = sum(1 for line in keep if line not in text)
    return removed, lost, len(remove) - removed


def _score(seeds: Path | None) -> tuple[float, float, list[str]]:
    tp = fp = fn = 0
    misses: list[str] = []
    for doc in _documents():
        folder = seeds if doc["source"] == "seeds" else FIXTURES
        if folder is None:
            continue
        path = folder / str(doc["file"])
        text = clean(Article(id=path.name, text=path.read_text(encoding="utf-8"))).text
        keep, remove = list(doc["keep"]), list(doc["remove"])  # type: ignore[call-overload]
        a, b, c = _counts(text, keep, remove)
        tp, fp, fn = tp + a, fp + b, fn + c
        misses += [f"{path.name}: lost {k!r}" for k in keep if k not in text]
        misses += [f"{path.name}: left {r!r}" for r in remove if r in text]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, misses


def test_floors_never_go_down() -> None:
    floors = json.loads((GOLD / "floors.json").read_text(encoding="utf-8"))
    for metric in ("precision", "recall"):
        assert floors[metric] >= floors["minimum"][metric], (
            f"{metric} floor lowered below its recorded minimum"
        )


def test_fixture_captures_meet_floors() -> None:
    floors = json.loads((GOLD / "floors.json").read_text(encoding="utf-8"))
    precision, recall, misses = _score(None)
    assert precision >= floors["precision"], misses
    assert recall >= floors["recall"], misses


def test_seed_captures_meet_floors(seeds_dir: Path) -> None:
    floors = json.loads((GOLD / "floors.json").read_text(encoding="utf-8"))
    precision, recall, misses = _score(seeds_dir)
    assert precision >= floors["precision"], misses
    assert recall >= floors["recall"], misses


def test_gold_has_enough_own_captures() -> None:
    own = [d for d in _documents() if d["source"] == "fixtures"]
    assert len(own) >= 6
    for doc in own:
        assert (FIXTURES / str(doc["file"])).is_file()


@pytest.mark.parametrize("metric", ["precision", "recall"])
def test_counts_catch_a_capture_left_dirty(metric: str) -> None:
    # The gate must be able to fail: uncleaned text scores zero recall, and
    # an emptied text scores zero precision.
    keep, remove = ["Body line one."], ["Share."]
    tp, fp, fn = (
        _counts("Body line one.\nShare.", keep, remove) if metric == "recall" else _counts("", keep, remove)
    )
    value = tp / (tp + fn) if metric == "recall" else tp / (tp + fp)
    assert value < 1.0
