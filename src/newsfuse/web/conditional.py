"""HEAD and conditional GET for every page and API read.

Browsers, feed readers and link checkers send `HEAD` and `If-None-Match`;
the routes only answer `GET`. This middleware answers `HEAD` as `GET` with the
body dropped, and gives each successful `GET` a strong ETag (a hash of the
body), answering 304 when the client already holds that body, so a feed
reader polling `/feed.xml` costs one small response.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_READS = frozenset({"GET", "HEAD"})
# Headers that describe a body a 304 does not carry.
_BODY_HEADERS = ("content-length", "content-type", "content-encoding")


def body_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


class ConditionalMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _READS:
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        request = Headers(scope=scope)
        held: list[Message] = []  # the response start, while its body is read
        chunks: list[bytes] = []

        async def respond(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                if message["status"] == 200 and "etag" not in Headers(raw=message.get("headers", [])):
                    held.append(message)
                    return
                # Another status, or a route with its own ETag (static files): pass
                # through, dropping only the body of a HEAD.
                await send(message)
                return
            if not held:
                if not (head and kind == "http.response.body"):
                    await send(message)
                elif not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            if kind != "http.response.body":  # e.g. a file sent by path
                await send(held.pop())
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(held.pop(), b"".join(chunks), request, head, send)

        await self.app(scope, receive, respond)

    @staticmethod
    async def _finish(start: Message, body: bytes, request: Headers, head: bool, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        etag = body_etag(body)
        headers["etag"] = etag
        if _matches(request.get("if-none-match", ""), etag):
            for name in _BODY_HEADERS:
                if name in headers:
                    del headers[name]
            await send({**start, "status": 304})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": b"" if head else body})
