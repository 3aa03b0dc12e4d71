"""What one web app holds: its store, templates, settings and write lock.

Built by `create_app` and handed to the route builders, so two apps in one
process (tests, the load test) never share anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
from jinja2 import Environment

from newsfuse.store import Store

if TYPE_CHECKING:
    from newsfuse.fetch import Resolver
    from newsfuse.pipeline import DigestConfig


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Settings of the web app. `client` and `resolve` are the network seams:
    tests inject an `httpx.MockTransport` client and a fake resolver."""

    allow_private: bool = False  # fetch URLs on private/loopback addresses
    client: httpx.Client | None = None
    resolve: Resolver | None = None
    max_body_bytes: int = 5_000_000  # a POST body; a 1 MB article fits easily
    max_fetch_bytes: int = 10_000_000
    fetch_timeout: float = 20.0
    page_size: int = 30


class PageCache:
    """Rendered pages keyed by what they were rendered from (a bounded LRU).

    Keys are content versions (e.g. the stored story's JSON hash), so an
    entry can never be stale: a changed story has a new key."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._pages: OrderedDict[object, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: object, page: str) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


@dataclass(frozen=True, slots=True)
class WebState:
    store: Store
    env: Environment
    config: WebConfig
    token: str | None
    digest: DigestConfig | None  # None: the pipeline's defaults
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    pages: PageCache = field(default_factory=PageCache)

    def digest_config(self) -> DigestConfig:
        # Imported here: the pipeline pulls in every stage, which reads don't need.
        from newsfuse.pipeline import DigestConfig

        return self.digest or DigestConfig()
