"""`newsfuse spark ...`: the digest on Apache Spark (extra `scale`)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

app = typer.Typer(help="Run newsfuse on Apache Spark (needs the `scale` extra).", no_args_is_help=True)


@app.callback()
def spark() -> None:
    """Run newsfuse on Apache Spark (needs the `scale` extra)."""
    # A callback keeps `digest` a named sub-command even while it is the only one.


@app.command()
def digest(
    input: Annotated[str, typer.Argument(help="Input path, glob or folder (file://, hdfs://, s3a://, ...).")],
    output: Annotated[
        str | None, typer.Argument(help="Output folder for the stories (must not exist); omit with --db.")
    ] = None,
    master: Annotated[
        str, typer.Option("--master", help="Spark master; ignored under spark-submit, whose --master wins.")
    ] = "local[2]",
    output_format: Annotated[str, typer.Option("--format", help="Story output: jsonl or parquet.")] = "jsonl",
    input_format: Annotated[
        str,
        typer.Option("--input-format", help="jsonl (splittable lines) or files (whole files of any kind)."),
    ] = "jsonl",
    db: Annotated[
        str | None, typer.Option("--db", help="Also store articles and stories in this database URL.")
    ] = None,
    partitions: Annotated[
        int, typer.Option("--partitions", help="Partitions for the story stage (0: 4 per core).")
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run report as JSON.")] = False,
) -> None:
    """Digest INPUT on Spark: dedupe, block, cluster, summarize and compare; write stories to OUTPUT."""
    if output is None and db is None:
        raise typer.BadParameter("give an OUTPUT folder, --db, or both")
    try:
        from newsfuse.scale.spark import SparkDigestConfig, run
    except ImportError as error:  # pragma: no cover - depends on the install
        sys.stderr.write(f"newsfuse spark needs the scale extra: pip install 'newsfuse[scale]' ({error})\n")
        raise typer.Exit(2) from error
    cfg = SparkDigestConfig(input_format=input_format, partitions=partitions)
    result = run(input, output, cfg, output_format=output_format, db=db, master=master)
    for item in result.skipped:
        sys.stderr.write(f"{item}\n")
    report = {
        "articles": result.articles,
        "duplicates": result.duplicates,
        "skipped": result.skipped_count,
        "blocks": result.blocks,
        "largest_block": result.largest_block,
        "stories": result.stories,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
        "output": output,
        "db": db,
    }
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(
            f"{result.articles} articles ({result.duplicates} duplicates, {result.skipped_count} skipped) -> "
            f"{result.stories} stories in {result.blocks} blocks (largest {result.largest_block})\n"
        )
