"""The `newsfuse` command: a thin typer layer over the library."""

from __future__ import annotations

import typer

from newsfuse.cli import eval as eval_commands
from newsfuse.cli import main as main_commands
from newsfuse.cli import spark as spark_commands

app = typer.Typer(
    help="newsfuse: turn piles of news articles into cited, source-compared stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
main_commands.register(app)
app.add_typer(eval_commands.app, name="eval")
app.add_typer(spark_commands.app, name="spark")


def main() -> None:
    app()


__all__ = ["app", "main"]
