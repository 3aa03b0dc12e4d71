"""`newsfuse eval ...`: quality benchmarks on the shared data."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from newsfuse.cli.common import JsonOption, print_json

app = typer.Typer(
    help="Measure extraction, clustering and summary quality on benchmark data.", no_args_is_help=True
)

DataOption = Annotated[Path, typer.Option("--data", help="The benchmark data folder.")]
LimitOption = Annotated[int | None, typer.Option("--limit", help="Only the first N clusters per dataset.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Also write the result JSON here (e.g. bench/results/x.json).")
]


def _run(module_name: str, data: Path, out: Path | None, as_json: bool, **options: Any) -> None:
    if not data.exists():
        sys.stderr.write(f"{data}: no such folder (the benchmark data is not here)\n")
        raise typer.Exit(1)
    module = importlib.import_module(f"newsfuse.eval.{module_name}")
    result = module.evaluate(data, **options)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if as_json:
        print_json(result)
    else:
        sys.stdout.write(module.render(result) + "\n")


@app.command("extraction")
def extraction(
    data: DataOption = Path("../shared/data/scrapinghub"),
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """HTML main-text extraction: newsfuse beside trafilatura and published extractors."""
    _run("extraction", data, out, as_json)


@app.command("clustering")
def clustering(
    data: DataOption = Path("../shared/data/mmds2025"),
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Story clustering: B-cubed, NMI and ARI beside a TF-IDF agglomerative baseline."""
    _run("clustering", data, out, as_json)


@app.command("summaries")
def summaries(
    data: DataOption = Path("../shared/data"),
    out: OutOption = None,
    as_json: JsonOption = False,
    limit: LimitOption = None,
) -> None:
    """Summary quality (ROUGE) on DUC 2004, Multi-News and DUC 2006 beside baselines."""
    _run("summaries", data, out, as_json, limit=limit)


@app.command("concepts")
def concepts(
    data: DataOption = Path("../shared/data"),
    out: OutOption = None,
    as_json: JsonOption = False,
    limit: LimitOption = None,
) -> None:
    """Fit the importance models on DUC 2004 + 2006 dev; print their cross-validated ROUGE."""
    _run("concept_model", data, out, as_json, limit=limit)
