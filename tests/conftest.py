"""Shared fixtures: paths to the shared seeds and benchmark data (skipped when
absent), the --slow switch, and small builders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfuse.models import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSFUSE_SHARED", REPO.parent / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="run slow tests too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"shared seeds not present at {path}")
    return path


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"shared benchmark data not present at {path}")
    return path


def make_article(text: str, id: str = "a1", **fields: object) -> Article:
    """One-line builder: a readable string becomes an Article."""
    return Article(id=id, text=text, key=fields.pop("key", id), **fields)  # type: ignore[arg-type]


@pytest.fixture
def article_builder() -> Iterator[object]:
    yield make_article
