"""The newsfuse website and API: `create_app(store)` builds a FastAPI app.

Pages: `/` (stories, newest first, with search), `/stories/{id}`,
`/articles/{id}`, `/feed.xml`, `/api/docs`. The JSON API lives in `api.py`.
Every response carries security headers: a CSP that allows scripts and
styles only from this site (no inline script), no framing, no sniffing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any

import sqlalchemy as sa
from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfuse.models import Story
from newsfuse.serialize import from_data
from newsfuse.store import Store, stories_table
from newsfuse.web.api import api_router
from newsfuse.web.conditional import ConditionalMiddleware
from newsfuse.web.feed import atom_feed
from newsfuse.web.pages import (
    TITLE_CHARS,
    article_view,
    date_range,
    evidence_numbers,
    make_env,
    shorten,
    story_view,
)
from newsfuse.web.state import WebConfig, WebState

if TYPE_CHECKING:
    from newsfuse.pipeline import DigestConfig

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class GuardMiddleware:
    """Adds the security headers to every response and refuses request
    bodies without a Content-Length (411) or above the size limit (413)
    before any of the body is read."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> Response | None:
        if scope["method"] not in _BODY_METHODS:
            return None
        length = dict(scope["headers"]).get(b"content-length")
        if length is None:
            return JSONResponse({"detail": "send a Content-Length header (no chunked bodies)"}, 411)
        if not length.isdigit():
            return JSONResponse({"detail": "bad Content-Length header"}, 400)
        if int(length) > self.max_body_bytes:
            return JSONResponse({"detail": f"body too large: at most {self.max_body_bytes} bytes"}, 413)
        return None


@dataclass(frozen=True, slots=True)
class ListItem:
    story: Story
    headline: str
    dates: str
    lead: str
    outlets: tuple[str, ...]


def _list_item(story: Story) -> ListItem:
    outlets = tuple(shorten(o, 60) for o in story.outlets[:8])
    if len(story.outlets) > 8:
        outlets += (f"and {len(story.outlets) - 8} more",)
    lead = story.writeup.summary[0].text if story.writeup.summary else ""
    return ListItem(
        story=story,
        headline=shorten(story.headline, TITLE_CHARS) or "Untitled story",
        dates=date_range(story.first_published, story.last_published),
        lead=shorten(lead, 400),
        outlets=outlets,
    )


def _html(state: WebState, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(state.env.get_template(template).render(**context), status_code=status)


def _not_found(state: WebState, what: str) -> HTMLResponse:
    return _html(state, "error.html", 404, title="Not found", message=f"There is no {what} here.")


def _stored_story(store: Store, story_id: str) -> str | None:
    """The story's stored JSON, read without rebuilding the dataclasses."""
    query = sa.select(stories_table.c.data).where(stories_table.c.id == story_id)
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    return str(row[0]) if row else None


def _add_pages(app: FastAPI, state: WebState) -> None:
    @app.get(
        "/",
        summary="Stories, newest first; ?q= searches text, entities and outlets",
        response_class=HTMLResponse,
        tags=["pages"],
    )
    def index(
        q: Annotated[str | None, Query(max_length=200)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        size = state.config.page_size
        query = (q or "").strip()
        if query:
            found = state.store.search(query, limit=page * size + 1)[(page - 1) * size :]
        else:
            found = state.store.stories(limit=size + 1, offset=(page - 1) * size)
        items = [_list_item(s) for s in found[:size]]
        return _html(state, "index.html", stories=items, q=query, page=page, has_next=len(found) > size)

    @app.get(
        "/stories/{story_id}",
        summary="A story: write-up with citations, sources, comparison",
        response_class=HTMLResponse,
        tags=["pages"],
    )
    def story_page(story_id: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
        stored = _stored_story(state.store, story_id)
        if stored is None:
            return _not_found(state, "story with this id")
        # Rebuilding a big story from JSON costs more than rendering it, so
        # pages are cached by the exact stored JSON (stored articles never change).
        key = ("story", story_id, hash(stored))
        page = state.pages.get(key)
        if page is None:
            story = from_data(Story, json.loads(stored))
            articles = [a for a in (state.store.article(i) for i in story.article_ids) if a is not None]
            page = state.env.get_template("story.html").render(
                view=story_view(story, articles), standalone=False, evidence_numbers=evidence_numbers, q=""
            )
            state.pages.put(key, page)
        return HTMLResponse(page)

    @app.get(
        "/articles/{article_id:path}",
        summary="An article: cleaned text, removed lines, flags",
        response_class=HTMLResponse,
        tags=["pages"],
    )
    def article_page(article_id: Annotated[str, Path(max_length=2048)]) -> HTMLResponse:
        article = state.store.article(article_id)
        if article is None:
            return _not_found(state, "article with this id")
        view = article_view(article, state.store.story_of_article(article.id))
        return _html(state, "article.html", view=view, q="")

    @app.get(
        "/feed.xml",
        summary="Atom feed of the latest stories",
        tags=["pages"],
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}}},
    )
    def feed(request: Request) -> Response:
        body = atom_feed(state.store.stories(limit=50), str(request.base_url))
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @app.get(
        "/api/docs",
        summary="This API, described from its OpenAPI document",
        response_class=HTMLResponse,
        tags=["pages"],
    )
    def api_docs() -> HTMLResponse:
        return _html(state, "api_docs.html", spec=app.openapi(), q="")


def create_app(
    store: Store,
    token: str | None = None,
    *,
    config: WebConfig | None = None,
    digest: DigestConfig | None = None,
) -> FastAPI:
    """The web app over `store`. `token` guards writes (default:
    $NEWSFUSE_TOKEN; none configured means writes are refused); `config`
    holds limits and the injectable HTTP client for fetching URLs."""
    config = config or WebConfig()
    state = WebState(
        store=store,
        env=make_env(),
        config=config,
        token=token or os.environ.get("NEWSFUSE_TOKEN") or None,
        digest=digest,
    )
    app = FastAPI(
        title="newsfuse",
        version="0.1.0",
        description="Stories built from many news articles: cited write-ups compared across outlets.",
        openapi_url="/api/openapi.json",
        # The stock docs pages load scripts from a CDN; /api/docs is our own.
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = state
    app.include_router(api_router(state))
    _add_pages(app, state)
    static = FilePath(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.add_middleware(ConditionalMiddleware)
    app.add_middleware(GuardMiddleware, max_body_bytes=config.max_body_bytes)
    return app
