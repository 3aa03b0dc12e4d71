"""The JSON API under /api/: stories, articles, search, and adding articles.

Reads are open. `POST /api/articles` needs `Authorization: Bearer <token>`;
with no token configured, writes are refused outright. Bad input gets a 4xx
with a message saying what to fix, never a 500.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from newsfuse.models import Article, Skipped
from newsfuse.serialize import article_json, story_json
from newsfuse.web.state import WebState

MAX_ARTICLES_PER_POST = 50  # a posted feed URL may hold many items
# Module level so the route's annotation can name it (a stateless scheme object).
_BEARER = HTTPBearer(auto_error=False, description="The server's NEWSFUSE_TOKEN.")


class ArticleIn(BaseModel):
    """An article to add: its text (and any metadata), or only a `url` to fetch."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        None, min_length=1, max_length=512, description="Default: the URL, else a text hash."
    )
    url: str | None = Field(None, min_length=1, max_length=2048, description="Fetched when no text is given.")
    title: str | None = None
    text: str | None = Field(None, description="The article's plain text.")
    published: date | None = Field(None, description="ISO date, YYYY-MM-DD.")
    outlet: str | None = Field(None, max_length=256)

    @model_validator(mode="after")
    def _text_or_url(self) -> ArticleIn:
        if not (self.text and self.text.strip()) and not self.url:
            raise ValueError("give the article's `text`, or a `url` to fetch it from")
        return self


class SubmitError(Exception):
    """A submitted article cannot be added: the HTTP status and why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _error(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _check_token(state: WebState, credentials: HTTPAuthorizationCredentials | None) -> JSONResponse | None:
    if not state.token:
        return _error(403, "writes are disabled: the server has no token configured (set NEWSFUSE_TOKEN)")
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        return _error(401, "missing `Authorization: Bearer <token>` header", challenge)
    if not hmac.compare_digest(credentials.credentials.encode(), state.token.encode()):
        return _error(401, "invalid token", challenge)
    return None


def _parse(body: bytes, max_bytes: int) -> ArticleIn:
    if len(body) > max_bytes:
        raise SubmitError(413, f"body too large: at most {max_bytes} bytes")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise SubmitError(400, f"body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SubmitError(422, 'body must be a JSON object: an article, or {"url": ...}')
    try:
        return ArticleIn.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        raise SubmitError(422, errors) from exc  # type: ignore[arg-type]


def _raw_article(item: ArticleIn) -> Article:
    text = item.text or ""
    article_id = (
        item.id or item.url or "post-" + hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]
    )
    return Article(
        id=article_id, text=text, url=item.url, outlet=item.outlet, title=item.title, published=item.published
    )


def _fetched(state: WebState, url: str) -> Iterator[Article]:
    """The raw articles found at `url`, fetched through newsfuse.ingest."""
    from newsfuse.fetch import FetchError, UnsafeURLError, check_url_allowed
    from newsfuse.ingest import IngestConfig, ingest

    cfg = state.config
    try:
        check_url_allowed(url, cfg.allow_private, cfg.resolve)
    except UnsafeURLError as exc:
        raise SubmitError(400, str(exc)) from exc
    except FetchError as exc:
        raise SubmitError(422, str(exc)) from exc
    ingest_cfg = IngestConfig(
        allow_private=cfg.allow_private,
        client=cfg.client,
        max_bytes=cfg.max_fetch_bytes,
        timeout=cfg.fetch_timeout,
        resolve=cfg.resolve,
    )
    found = 0
    for item in ingest([url], ingest_cfg):
        if isinstance(item, Skipped):
            raise SubmitError(422, f"cannot use {url}: {item.reason}")
        found += 1
        if found > MAX_ARTICLES_PER_POST:
            break
        yield item
    if not found:
        raise SubmitError(422, f"no article found at {url}")


def _cleaned(state: WebState, item: ArticleIn) -> list[Article]:
    from newsfuse.clean import clean

    if item.text and item.text.strip():
        raws = [_raw_article(item)]
    else:
        assert item.url is not None  # the model's validator guarantees it
        raws = list(_fetched(state, item.url))
        if item.id and len(raws) == 1:
            raws = [replace(raws[0], id=item.id)]
    try:
        cfg = state.digest_config().clean
        cleaned = [clean(raw, cfg) for raw in raws]
    except ValueError as exc:  # e.g. a malformed URL that cannot be normalised
        raise SubmitError(422, f"cannot clean the article: {exc}") from exc
    kept = [a for a in cleaned if a.text.strip()]
    if not kept:
        raise SubmitError(422, "no article text left after cleaning (was it only boilerplate?)")
    return kept


def submit(state: WebState, item: ArticleIn) -> tuple[int, dict[str, Any]]:
    """Clean the article(s), store them and rebuild their stories at once."""
    from newsfuse.pipeline import add_articles

    articles = _cleaned(state, item)
    with state.write_lock:  # one story rebuild at a time
        result = add_articles(articles, state.store, state.digest_config())
        added_keys = {a.key for a in result.added}
        rows, story_ids = [], []
        for article in articles:
            stored = state.store.article(article.key) or article
            story_id = state.store.story_of_article(stored.id)
            rows.append({"id": stored.id, "added": article.key in added_keys, "story": story_id})
            if story_id and story_id not in story_ids:
                story_ids.append(story_id)
        stories = [s for s in (state.store.story(i) for i in story_ids) if s is not None]
    body = {
        "added": len(result.added),
        "articles": rows,
        "stories": [story_json(s, full=False) for s in stories],
    }
    return (201 if result.added else 200), body


def api_router(state: WebState) -> APIRouter:
    """The /api routes, bound to one app's state (no globals)."""
    router = APIRouter(prefix="/api", tags=["api"])
    not_found: dict[int | str, dict[str, Any]] = {404: {"description": "No such item"}}

    @router.get("/stories", summary="Stories, newest first")
    def list_stories(
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    ) -> list[dict[str, Any]]:
        return [story_json(s, full=False) for s in state.store.stories(limit=limit, offset=offset)]

    @router.get(
        "/stories/{story_id}",
        summary="One story: write-up with citations, sources, comparison",
        responses=not_found,
    )
    def get_story(story_id: Annotated[str, Path(max_length=200)]) -> Any:
        story = state.store.story(story_id)
        if story is None:
            return _error(404, f"no story {story_id!r}")
        return story_json(story)

    @router.get(
        "/articles/{article_id:path}",
        summary="One cleaned article, with removed lines and flags",
        responses=not_found,
    )
    def get_article(article_id: Annotated[str, Path(max_length=2048)]) -> Any:
        article = state.store.article(article_id)
        if article is None:
            return _error(404, f"no article {article_id!r}")
        data = article_json(article)
        data["story"] = state.store.story_of_article(article.id)
        return data

    @router.get("/search", summary="Stories mentioning every word of q (text, entity or outlet)")
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> list[dict[str, Any]]:
        return [story_json(s, full=False) for s in state.store.search(q, limit=limit)]

    @router.post(
        "/articles",
        summary="Add an article (or fetch one from a URL); it joins or starts a story at once",
        status_code=201,
        responses={
            200: {"description": "Already stored"},
            400: {"description": "Bad JSON or a refused URL"},
            401: {"description": "Missing or wrong token"},
            403: {"description": "Writes disabled: no token configured"},
            411: {"description": "Content-Length required"},
            413: {"description": "Body too large"},
            415: {"description": "Not JSON"},
            422: {"description": "Invalid article, or nothing usable at the URL"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
            }
        },
    )
    async def post_article(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]
    ) -> JSONResponse:
        refused = _check_token(state, credentials)
        if refused is not None:
            return refused
        media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media != "application/json":
            return _error(415, "send the article as application/json")
        try:
            item = _parse(await request.body(), state.config.max_body_bytes)
            status, body = await run_in_threadpool(submit, state, item)
        except SubmitError as exc:
            return _error(exc.status, exc.detail)
        return JSONResponse(body, status_code=status)

    return router
