"""The store behaves the same on SQLite and on PostgreSQL.

Every test runs on a fresh SQLite file and, when $NEWSFUSE_TEST_PG holds a
PostgreSQL URL (CI starts a server on loopback), in a fresh schema of that
database; without it the PostgreSQL case skips and says why.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsfuse.models import Article, Citation, CitedSentence, Comparison, Entity, Sentence, Story, WriteUp
from newsfuse.store import MIGRATIONS, Store, StoreError, open_store, resolve_url, schema_table

PG_ENV = "NEWSFUSE_TEST_PG"


def _pg_schema_url(base: str, schema: str) -> str:
    url = sa.make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'news.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL case: set {PG_ENV}=postgresql://user:pw@127.0.0.1/db (CI does)")
    pytest.importorskip("psycopg2", reason="the postgres extra (psycopg2-binary) is not installed")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = open_store(base).engine  # also proves a bare postgresql:// URL opens
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def article(id: str, key: str | None = None, **fields: object) -> Article:
    text = str(fields.pop("text", f"Body of {id}. Officials confirmed the figures on Tuesday."))
    return Article(id=id, text=text, key=key or f"https://news.example/{id}", **fields)  # type: ignore[arg-type]


def story(id: str, article_ids: tuple[str, ...], headline: str = "", when: date | None = None) -> Story:
    sentence = Sentence(article_ids[0], 0, 0, 10, "Body text.")
    writeup = WriteUp(
        headline or f"Headline of {id}",
        (CitedSentence(f"Summary of story {id}.", (Citation(sentence),)),),
        (),
    )
    comparison = Comparison(entities=(Entity("Port Authority", "organization", 3),))
    return Story(
        id,
        article_ids,
        writeup,
        outlets=("Daily Post",),
        comparison=comparison,
        first_published=when,
        last_published=when,
    )


def test_added_article_reads_back_by_id_and_by_key(store: Store) -> None:
    original = article("fire-1", outlet="Daily Post", title="Harbour fire", published=date(2024, 6, 11))
    assert store.add_article(original)
    assert store.article("fire-1") == original
    assert store.article("https://news.example/fire-1") == original
    assert store.article("missing") is None
    assert store.count_articles() == 1


def test_adding_a_known_key_again_adds_nothing(store: Store) -> None:
    assert store.add_article(article("fire-1"))
    assert not store.add_article(article("fire-1"))
    assert not store.add_article(article("other-name", key="https://news.example/fire-1"))
    assert store.count_articles() == 1


def test_id_collision_gets_a_suffix(store: Store) -> None:
    assert store.add_article(article("index.html", key="https://a.example/x"))
    assert store.add_article(article("index.html", key="https://b.example/y"))
    ids = sorted(a.id for a in store.articles())
    assert ids[0] == "index.html"
    assert ids[1].startswith("index.html~") and len(ids[1]) == len("index.html~") + 8
    moved = store.article("https://b.example/y")
    assert moved is not None and moved.id == ids[1]


def test_a_batch_adds_new_keys_once_and_suffixes_taken_ids(store: Store) -> None:
    assert store.add_article(article("known"))
    batch = [
        article("fire-1"),
        article("fire-1-again", key="https://news.example/fire-1"),  # same key, same batch
        article("fire-1", key="https://other.example/fire"),  # same id, new key
        article("late-copy", key="https://news.example/known"),  # key stored before
    ]
    stored = store.add_articles(batch)
    assert stored[0] == batch[0] and stored[1] is None and stored[3] is None
    assert stored[2] is not None and stored[2].id.startswith("fire-1~")
    assert store.article("https://other.example/fire") == stored[2]
    assert sorted(a.id for a in store.articles()) == sorted(["known", "fire-1", stored[2].id])
    assert store.unassigned_ids() == {"known", "fire-1", stored[2].id}


def test_long_ids_and_keys_fit(store: Store) -> None:
    """A feed item's link is its id; PostgreSQL would reject it in VARCHAR(512)."""
    link = "https://news.example/" + "a" * 1500
    assert store.add_article(article(link, key=link, outlet="O" * 400))
    assert store.article(link) is not None


def test_articles_are_listed_undated_first_then_by_date(store: Store) -> None:
    store.add_article(article("late", published=date(2024, 6, 12)))
    store.add_article(article("undated"))
    store.add_article(article("early", published=date(2024, 6, 1)))
    assert [a.id for a in store.articles()] == ["undated", "early", "late"]


def test_window_queries_read_only_what_they_name(store: Store) -> None:
    store.add_article(article("may", published=date(2024, 5, 1)))
    store.add_article(article("june-10", published=date(2024, 6, 10)))
    store.add_article(article("june-12", published=date(2024, 6, 12)))
    store.add_article(article("undated"))
    window = store.articles_published(date(2024, 6, 5), date(2024, 6, 10))
    assert [a.id for a in window] == ["undated", "june-10"]
    skipped = store.articles_published(date(2024, 6, 5), date(2024, 6, 30), skip={"june-12"})
    assert [a.id for a in skipped] == ["undated", "june-10"]
    assert [a.id for a in store.undated_articles()] == ["undated"]
    assert [a.id for a in store.articles_by_id({"may", "missing"})] == ["may"]
    store.save_stories([story("s1", ("may", "june-10")), story("s2", ("june-12",))])
    assert store.assignments(["june-10", "undated"]) == {"june-10": "s1"}
    assert store.story_members({"s1"}) == {"may": "s1", "june-10": "s1"}
    assert store.unassigned_ids() == {"undated"}


def test_save_replaces_stories_and_assignments(store: Store) -> None:
    for name in ("a", "b", "c"):
        store.add_article(article(name))
    store.save_stories([story("s1", ("a", "b")), story("s2", ("c",))])
    assert store.assignments() == {"a": "s1", "b": "s1", "c": "s2"}
    store.save_stories([story("s1", ("a",), headline="Fire spreads"), story("s3", ("b",))])
    assert store.assignments() == {"a": "s1", "b": "s3", "c": "s2"}
    saved = store.story("s1")
    assert saved is not None and saved.headline == "Fire spreads" and saved.article_ids == ("a",)
    assert saved == story("s1", ("a",), headline="Fire spreads")
    assert store.story_of_article("b") == "s3"


def test_stories_left_without_articles_are_removed(store: Store) -> None:
    store.save_stories([story("s1", ("a",)), story("s2", ("b",))])
    store.save_stories([story("s1", ("a", "b"))])
    assert store.story("s2") is None
    assert [s.id for s in store.stories()] == ["s1"]


def test_stories_newest_first_undated_last(store: Store) -> None:
    store.save_stories(
        [
            story("s-undated", ("a",)),
            story("s-old", ("b",), when=date(2024, 1, 1)),
            story("s-new", ("c",), when=date(2024, 6, 1)),
        ]
    )
    assert [s.id for s in store.stories()] == ["s-new", "s-old", "s-undated"]
    assert [s.id for s in store.stories(limit=1, offset=1)] == ["s-old"]


def test_search_needs_every_word_and_treats_wildcards_literally(store: Store) -> None:
    store.save_stories(
        [
            story("s1", ("a",), headline="Harbour fire: 50% of docks closed"),
            story("s2", ("b",), headline="Election night in the capital"),
        ]
    )
    assert [s.id for s in store.search("harbour FIRE")] == ["s1"]
    assert [s.id for s in store.search("port authority")] == ["s1", "s2"]  # entity names are searchable
    assert [s.id for s in store.search("50%")] == ["s1"]
    assert store.search("5_%") == []
    assert store.search("harbour election") == []


def test_migrations_run_once_and_reopening_changes_nothing(db_url: str) -> None:
    first = open_store(db_url)
    first.add_article(article("kept"))
    first.close()
    again = open_store(db_url)
    Store(again.engine)  # migrating an up-to-date database is a no-op
    with again.engine.connect() as connection:
        versions = [row[0] for row in connection.execute(sa.select(schema_table.c.version))]
    assert sorted(versions) == list(range(1, len(MIGRATIONS) + 1))
    assert [a.id for a in again.articles()] == ["kept"]
    # The window read of a digest is served by an index on the publication date.
    indexes = sa.inspect(again.engine).get_indexes("articles")
    assert any(ix["column_names"] == ["published"] for ix in indexes)
    again.close()


# A writer that adds N articles, one transaction each, as fast as it can.
_WRITER = """
import sys
from newsfuse.models import Article
from newsfuse.store import open_store
store = open_store(sys.argv[1])
for i in range(int(sys.argv[2])):
    text = f"Article {i}. " + "The council met again on the harbour budget. " * 20
    store.add_article(Article(id=f"a{i:05d}", text=text, key=f"https://wire.example/{i}"))
print("done", flush=True)
"""


def _run_writer(url: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, url, str(count)], stdout=subprocess.PIPE, text=True
    )


def test_sigkill_mid_run_then_rerun_stores_every_article_once(db_url: str) -> None:
    count = 1500
    store = open_store(db_url)  # migrate first so the writer starts straight on articles
    writer = _run_writer(db_url, count)
    deadline = time.monotonic() + 60
    while store.count_articles() < 100 and time.monotonic() < deadline and writer.poll() is None:
        time.sleep(0.02)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    stored_at_kill = store.count_articles()
    assert writer.returncode == -signal.SIGKILL, "the writer finished before it could be killed"
    assert 0 < stored_at_kill < count
    rerun = _run_writer(db_url, count)
    out, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0 and "done" in out
    ids = [a.id for a in store.articles()]
    assert len(ids) == count == len(set(ids))
    assert {a.key for a in store.articles()} == {f"https://wire.example/{i}" for i in range(count)}
    store.close()


def test_a_plain_path_is_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "news.db"
    assert resolve_url(str(path)) == f"sqlite:///{path}"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    open_store(str(path)).add_articles([article("a1")])
    assert path.exists() and len(open_store(f"sqlite:///{path}").articles()) == 1


@pytest.mark.parametrize(
    "url, reason",
    [
        ("DIR", "unable to open database file"),
        ("foo://bar", "foo"),
        ("postgresql://reader:hunter2@127.0.0.1:1/news", "127.0.0.1"),
    ],
)
def test_a_database_that_cannot_open_is_one_line_naming_it(tmp_path: Path, url: str, reason: str) -> None:
    url = str(tmp_path) if url == "DIR" else url
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message and reason in message and "hunter2" not in message
