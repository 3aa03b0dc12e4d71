"""Options and output helpers shared by the CLI commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from newsfuse.models import Skipped
from newsfuse.store import Store, StoreError, open_store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL or SQLite file path (default: $NEWSFUSE_DB, else sqlite:///newsfuse.db).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
PathsArgument = Annotated[list[str], typer.Argument(help="Files, folders (recursive) or http(s) URLs.")]
AllowPrivateOption = Annotated[
    bool, typer.Option("--allow-private", help="Allow fetching URLs on private or loopback addresses.")
]

err_console = Console(stderr=True)


def store_or_exit(db: str | None) -> Store:
    """The store at `db`, or a one-line error and exit status 2."""
    try:
        return open_store(db)
    except StoreError as error:
        sys.stderr.write(f"newsfuse: {error}\n")
        raise typer.Exit(2) from error


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def report_skip(item: Skipped) -> None:
    # One plain line per skipped input, on stderr, so --json output stays clean.
    sys.stderr.write(f"{item}\n")


@contextmanager
def progress_bar() -> Iterator[Any]:
    """A callable progress(stage, done, total) drawing rich bars on a terminal."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield update
