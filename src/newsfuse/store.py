"""Articles and stories in a SQL database, through SQLAlchemy Core.

SQLite is the embedded default; the same schema and migrations run on
PostgreSQL (`--db postgresql://...`). An article's identity is its `key`
(normalised URL or text hash): adding it again is a no-op. Articles are
written in batches, one transaction each (all of a batch or none), so a run
killed at any point and started again ends with every article stored exactly
once; those it stored without a story yet are `unassigned_ids`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfuse.models import Article, Story
from newsfuse.serialize import from_data, to_data

DEFAULT_DB = "sqlite:///newsfuse.db"

metadata = sa.MetaData()

articles_table = sa.Table(
    "articles",
    metadata,
    sa.Column("key", sa.String(512), primary_key=True),
    sa.Column("id", sa.String(512), nullable=False, unique=True),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.String(256)),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("added_at", sa.String(32), nullable=False),
)

stories_table = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("first_published", sa.String(10)),
    sa.Column("last_published", sa.String(10)),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

assignments_table = sa.Table(
    "story_articles",
    metadata,
    sa.Column("article_id", sa.String(512), primary_key=True),
    sa.Column("story_id", sa.String(64), nullable=False, index=True),
)

schema_table = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String(32), nullable=False),
)


def _create_base_tables(connection: Connection) -> None:
    metadata.create_all(connection, tables=[articles_table, stories_table, assignments_table])


def _unbounded_text_on_postgresql(connection: Connection) -> None:
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): a feed item's
    link used as its id can exceed 512 characters, so ids, keys and outlets
    become TEXT there. A no-op on SQLite, whose columns already hold any length."""
    if connection.dialect.name != "postgresql":
        return
    for table, column in (
        ("articles", "key"),
        ("articles", "id"),
        ("articles", "outlet"),
        ("stories", "id"),
        ("story_articles", "article_id"),
        ("story_articles", "story_id"),
    ):
        connection.execute(sa.text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT"))


def _index_published(connection: Connection) -> None:
    """A digest reads back the articles inside its clustering window by date."""
    connection.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_articles_published ON articles (published)"))


# Each migration runs once, in its own transaction, in order. Append only.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _create_base_tables,
    _unbounded_text_on_postgresql,
    _index_published,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def resolve_url(url: str | None) -> str:
    """The database URL: the argument, else $NEWSFUSE_DB, else ./newsfuse.db.

    A value without a scheme is a SQLite file path (`news.db`, `/data/news.db`).
    """
    chosen = url or os.environ.get("NEWSFUSE_DB") or DEFAULT_DB
    return chosen if "://" in chosen else f"sqlite:///{chosen}"


class StoreError(Exception):
    """The database cannot be opened: a one-line reason that names it."""


class Store:
    """A newsfuse database. The engine is injected; `open_store` builds one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._migrate()

    def _migrate(self) -> None:
        with self.engine.begin() as connection:
            schema_table.create(connection, checkfirst=True)
            done = {row[0] for row in connection.execute(sa.select(schema_table.c.version))}
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version in done:
                continue
            with self.engine.begin() as connection:
                migration(connection)
                connection.execute(sa.insert(schema_table).values(version=version, applied_at=_now()))

    # -- articles --------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store the article unless its key is known; True when it was added."""
        return self.add_articles([article])[0] is not None

    def add_articles(self, articles: Sequence[Article]) -> list[Article | None]:
        """Store the articles whose keys are new, in one transaction.

        Per input, the article as stored (its id suffixed when another article
        holds it), or None when its key was known (also a repeat in the batch)."""
        stored: list[Article | None] = []
        with self.engine.begin() as connection:
            known = _existing(connection, articles_table.c.key, [a.key or a.id for a in articles])
            taken = _existing(connection, articles_table.c.id, [a.id for a in articles])
            rows = []
            for article in articles:
                key = article.key or article.id
                if key in known:
                    stored.append(None)
                    continue
                article_id = _free_id(article.id, key, taken)
                if article_id != article.id or key != article.key:
                    article = replace(article, id=article_id, key=key)
                known.add(key)
                taken.add(article_id)
                rows.append(_article_row(article))
                stored.append(article)
            if rows:
                connection.execute(sa.insert(articles_table), rows)
        return stored

    def articles(self) -> list[Article]:
        return self._articles_where(sa.true())

    def _articles_where(self, condition: Any, skip: Collection[str] = ()) -> list[Article]:
        """Matching articles, undated first then by date and id; those whose id
        is in `skip` are not decoded (the caller holds them already)."""
        query = (
            sa.select(articles_table.c.id, articles_table.c.data)
            .where(condition)
            .order_by(articles_table.c.published.asc().nulls_first(), articles_table.c.id)
        )
        with self.engine.connect() as connection:
            return [_article_from_row(data) for id_, data in connection.execute(query) if id_ not in skip]

    def articles_published(self, start: date, end: date, skip: Collection[str] = ()) -> list[Article]:
        """Articles published from `start` to `end` (inclusive), and the undated."""
        published = articles_table.c.published
        in_range = published.between(start.isoformat(), end.isoformat())
        return self._articles_where(sa.or_(published.is_(None), in_range), skip)

    def undated_articles(self, skip: Collection[str] = ()) -> list[Article]:
        return self._articles_where(articles_table.c.published.is_(None), skip)

    def articles_by_id(self, ids: Collection[str]) -> list[Article]:
        found: list[Article] = []
        for chunk in _chunks(sorted(ids)):
            found += self._articles_where(articles_table.c.id.in_(chunk))
        return found

    def unassigned_ids(self) -> set[str]:
        """Ids of stored articles in no story: this run's, or a killed run's."""
        assigned = sa.select(assignments_table.c.article_id)
        query = sa.select(articles_table.c.id).where(articles_table.c.id.not_in(assigned))
        with self.engine.connect() as connection:
            return {row[0] for row in connection.execute(query)}

    def article(self, id_or_key: str) -> Article | None:
        condition = sa.or_(articles_table.c.id == id_or_key, articles_table.c.key == id_or_key)
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(articles_table.c.data).where(condition)).first()
        return _article_from_row(row[0]) if row else None

    def count_articles(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(articles_table)).scalar_one()
            )

    # -- stories ---------------------------------------------------------

    def assignments(self, article_ids: Collection[str] | None = None) -> dict[str, str]:
        """Article id -> story id: of every article, or of those in `article_ids`."""
        if article_ids is None:
            return self._assignments_where(sa.true())
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(article_ids)):
            found.update(self._assignments_where(assignments_table.c.article_id.in_(chunk)))
        return found

    def story_members(self, story_ids: Collection[str]) -> dict[str, str]:
        """Article id -> story id for every article of the given stories."""
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(story_ids)):
            found.update(self._assignments_where(assignments_table.c.story_id.in_(chunk)))
        return found

    def _assignments_where(self, condition: Any) -> dict[str, str]:
        query = sa.select(assignments_table.c.article_id, assignments_table.c.story_id).where(condition)
        with self.engine.connect() as connection:
            return {article_id: story_id for article_id, story_id in connection.execute(query)}

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Replace the given stories (and their article assignments) atomically."""
        stories = list(stories)
        ids = [s.id for s in stories]
        article_ids = [a for s in stories for a in s.article_ids]
        rows = [_story_row(s) for s in stories]  # serialised before the write lock is taken
        with self.engine.begin() as connection:
            # Stories that lose articles here may be left empty: checked below.
            losing: set[str] = set()
            for chunk in _chunks(article_ids):
                moved = assignments_table.c.article_id.in_(chunk)
                previous = connection.execute(sa.select(assignments_table.c.story_id).where(moved))
                losing.update(row[0] for row in previous)
                connection.execute(sa.delete(assignments_table).where(moved))
            for chunk in _chunks(ids):
                connection.execute(sa.delete(stories_table).where(stories_table.c.id.in_(chunk)))
                connection.execute(
                    sa.delete(assignments_table).where(assignments_table.c.story_id.in_(chunk))
                )
            if stories:
                connection.execute(sa.insert(stories_table), rows)
                connection.execute(
                    sa.insert(assignments_table),
                    [{"article_id": a, "story_id": s.id} for s in stories for a in s.article_ids],
                )
            # Stories left without articles (all moved elsewhere) are gone.
            for chunk in _chunks(sorted(losing - set(ids))):
                kept = sa.select(assignments_table.c.story_id).where(assignments_table.c.story_id.in_(chunk))
                empty = sa.and_(stories_table.c.id.in_(chunk), stories_table.c.id.not_in(kept))
                connection.execute(sa.delete(stories_table).where(empty))

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        query = (
            sa.select(stories_table.c.data)
            .order_by(stories_table.c.last_published.desc().nulls_last(), stories_table.c.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [from_data(Story, json.loads(row[0])) for row in connection.execute(query)]

    def story(self, story_id: str) -> Story | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(stories_table.c.data).where(stories_table.c.id == story_id)
            ).first()
        return from_data(Story, json.loads(row[0])) if row else None

    def story_of_article(self, article_id: str) -> str | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(assignments_table.c.story_id).where(assignments_table.c.article_id == article_id)
            ).first()
        return str(row[0]) if row else None

    def search(self, text: str, limit: int = 50) -> list[Story]:
        """Stories whose headline, summary, outlets or entities mention every word of `text`."""
        query = sa.select(stories_table.c.data)
        for word in text.lower().split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(stories_table.c.search_text.like(f"%{escaped}%", escape="\\"))
        query = query.order_by(stories_table.c.last_published.desc().nulls_last(), stories_table.c.id).limit(
            limit
        )
        with self.engine.connect() as connection:
            return [from_data(Story, json.loads(row[0])) for row in connection.execute(query)]

    def close(self) -> None:
        self.engine.dispose()


# Values per IN (...) list: well under SQLite's bound on query parameters.
_CHUNK = 500


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _existing(connection: Connection, column: Any, values: Sequence[str]) -> set[str]:
    """Which of `values` the column already holds."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(values))):
        found.update(row[0] for row in connection.execute(sa.select(column).where(column.in_(chunk))))
    return found


def _free_id(wanted: str, key: str, taken: Collection[str]) -> str:
    """`wanted`, or a suffixed variant when another article holds it."""
    if wanted not in taken:
        return wanted
    return f"{wanted}~{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "key": article.key,
        "id": article.id,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "data": json.dumps(to_data(article), ensure_ascii=False),
        "added_at": _now(),
    }


def _article_from_row(data: str) -> Article:
    return from_data(Article, json.loads(data))


def _story_row(story: Story) -> dict[str, Any]:
    searchable: Sequence[str] = [
        story.headline,
        *(s.text for s in story.writeup.summary),
        *story.outlets,
        *(e.name for e in story.comparison.entities),
    ]
    return {
        "id": story.id,
        "headline": story.headline,
        "first_published": story.first_published.isoformat() if story.first_published else None,
        "last_published": story.last_published.isoformat() if story.last_published else None,
        "search_text": " ".join(searchable).lower(),
        "data": json.dumps(to_data(story), ensure_ascii=False),
        "updated_at": _now(),
    }


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating when needed) the database at `url`."""
    resolved = resolve_url(url)
    try:
        if resolved.startswith("sqlite:///") and resolved != "sqlite:///:memory:":
            Path(resolved.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(_with_driver(resolved), future=True)
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine)
        return Store(engine)
    except (OSError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError, sa.exc.OperationalError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise StoreError(f"{_redacted(resolved)}: cannot open the database ({reason})") from error


def _redacted(url: str) -> str:
    # Never echo a password from a database URL into a message.
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _with_driver(url: str) -> sa.URL:
    """A bare postgresql:// URL uses psycopg2 (the `postgres` extra); SQLAlchemy 2.1
    would otherwise ask for psycopg 3."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def _tune_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL + synchronous=NORMAL: a crash loses at most the last commit, never corrupts.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
