"""`newsfuse serve`: the stories as a website and JSON API."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from newsfuse.cli.common import DbOption, JsonOption, print_json, store_or_exit

HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (default: loopback only).")]
PortOption = Annotated[int, typer.Option("--port", help="TCP port to listen on.", min=1, max=65535)]


def serve_command(
    db: DbOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    as_json: JsonOption = False,
) -> None:
    """Serve the stored stories as a website with a JSON API (/api/docs).

    Adding articles through POST /api/articles needs a bearer token: set
    NEWSFUSE_TOKEN before starting; without it the API is read-only.
    """
    import uvicorn

    from newsfuse.web import create_app

    token = os.environ.get("NEWSFUSE_TOKEN") or None
    app = create_app(store_or_exit(db), token)
    writes = "enabled (bearer token from NEWSFUSE_TOKEN)" if token else "disabled (set NEWSFUSE_TOKEN)"
    url = f"http://{host}:{port}/"
    if as_json:
        print_json({"url": url, "api_docs": f"{url}api/docs", "writes_enabled": bool(token)})
    else:
        sys.stderr.write(f"newsfuse: serving on {url}  API docs at /api/docs; writes {writes}\n")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
