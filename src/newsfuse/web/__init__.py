"""The newsfuse website and JSON API (FastAPI + Jinja2)."""

from newsfuse.web.app import create_app
from newsfuse.web.state import WebConfig

__all__ = ["WebConfig", "create_app"]
