"""``tdlint shapes``: a static ``model.summary()`` of every model in the files given."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tdlint.cli import EXIT_CLEAN, EXIT_ERROR, _console


def run_shapes(args: argparse.Namespace) -> int:
    """Exit 0 when every file was summarised (models or not), 2 when a path is missing or a
    file could not be read or parsed: its models, if any, are then missing from the output.
    A diagram that cannot be written (an unknown suffix, no Graphviz for an image) is 2."""
    from tdlint.diagrams.render import DIAGRAM_FORMATS, OutputError, plan

    try:
        out = plan(args.output_format, args.output_file)
        if args.findings and out.format not in DIAGRAM_FORMATS:
            raise OutputError("--findings marks the nodes of a diagram: use --output-format "
                              "mermaid, dot or markdown")  # fmt: skip
        settings = _settings(args) if args.findings else None
    except (OutputError, ValueError) as exc:  # ConfigError is a ValueError
        print(f"tdlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    found, status = _collect(args, out.format in DIAGRAM_FORMATS, settings)
    if status is None:
        return EXIT_ERROR
    text = _rendered(out.format, found, args)
    if text is None:
        print_summaries(found, _console(args.color))
        return status
    if out.path is None:
        sys.stdout.write(text)
        return status
    from tdlint.diagrams.render import write

    try:
        write(out, text)
    except OutputError as exc:
        print(f"tdlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return status


def _settings(args: argparse.Namespace):  # noqa: ANN202 - lazy import of Settings
    """The configuration ``tdlint check`` would use here: found from the first path."""
    from pathlib import Path

    from tdlint.config import find_config, load_settings

    first = Path(args.paths[0]) if args.paths else Path.cwd()
    settings = load_settings(find_config(first if first.exists() else Path.cwd()))
    settings.selection()  # validates every selector now
    return settings


def _collect(
    args: argparse.Namespace, diagrams: bool, settings: Any
) -> tuple[list[Any], int | None]:
    """Every model's summary (or diagram) under the paths, and the exit status so far (None:
    a path does not exist)."""
    from tdlint.discovery import MissingPath, discover
    from tdlint.keras.pins import pinned_setting

    found: list[Any] = []
    status = EXIT_CLEAN
    version = args.keras_version or pinned_setting(args.paths)
    try:
        for path in discover(args.paths):
            selection = settings.selection_for(path) if settings is not None else None
            try:
                models, problem = _models_of(path, diagrams, version, selection)
            except Exception as exc:  # a bug in tdlint: one line, and the other files go on
                models, problem = [], f"{path}: internal error: {type(exc).__name__}: {exc}"
            if problem is not None:
                print(f"tdlint: error: {problem}", file=sys.stderr)
                status = EXIT_ERROR
            found += models
    except MissingPath as exc:
        print(f"tdlint: error: {exc}: no such file or directory", file=sys.stderr)
        return found, None
    return found, status


def _models_of(
    path: Path, diagrams: bool, version: str | None, selection: Any
) -> tuple[list[Any], str | None]:
    """One file's summaries (or diagrams), and why some may be missing (None: none are)."""
    from tdlint.api import (
        infer_diagrams,
        infer_notebook_diagrams,
        infer_notebook_shapes,
        infer_shapes,
    )
    from tdlint.sourcefile import SourceFile

    if path.suffix == ".ipynb":
        try:
            text = path.read_text("utf-8")
            if diagrams:
                return infer_notebook_diagrams(text, str(path), version, selection), None
            return infer_notebook_shapes(text, str(path), version), None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return [], f"{path}: cannot read: {exc}"
    try:
        source = SourceFile.read(path)
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return [], f"{path}: cannot read: {exc}"
    if diagrams:
        models: list[Any] = infer_diagrams(source.text, str(path), version, selection)
    else:
        models = infer_shapes(source.text, str(path), version)
    return models, None if models else _unsummarised(source.text, str(path))


def _rendered(output_format: str, found: list[Any], args: argparse.Namespace) -> str | None:
    """The output as text; None for the table printed on the console."""
    if output_format == "json":
        return json.dumps([s.to_json() for s in found], indent=2) + "\n"
    if output_format == "mermaid":
        from tdlint.diagrams.mermaid import render_mermaid

        return render_mermaid(found, args.params)
    if output_format == "dot":
        from tdlint.diagrams.dot import render_dot

        return render_dot(found, args.params)
    if output_format == "markdown":
        from tdlint.diagrams.markdown import render_markdown

        return render_markdown(found, args.params)
    return None


def _unsummarised(text: str, filename: str) -> str | None:
    """Why a file with no models could not be summarised (it does not parse...), or None
    when it simply has none. Asked only of files without models."""
    import ast
    import warnings

    from tdlint.config import Selection
    from tdlint.engine import check_source, might_use_keras
    from tdlint.guard import too_deep_to_parse

    if not might_use_keras(text):
        return None
    if too_deep_to_parse(text) is None:
        # Python's compiler (it runs nothing) is far quicker than a second LibCST parse,
        # and most files without models do parse.
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(text, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            return None
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass  # say why as `tdlint check` does (TDL000)
    result = check_source(text, filename, Selection.from_options(["TDL000"], None))
    for d in result.diagnostics:
        return f"{filename}:{d.location.row}:{d.location.column}: {d.message}"
    problem = result.error or result.skipped
    return f"{filename}: {problem}" if problem else None


def print_summaries(summaries, console) -> None:  # noqa: ANN001
    from rich.table import Table

    from tdlint.analysis.summary import count_statuses, format_row_shape
    from tdlint.diagrams.graph import summary_title

    if not summaries:
        console.print("No Keras models found.")
        return
    # On a terminal, long names and shapes wrap within their column; in a file or a pipe,
    # where nothing wraps them back, every table gets the width it needs.
    isatty = getattr(console.file, "isatty", None)
    if not (isatty and isatty()):
        console.width = 100_000
    for s in summaries:
        title = summary_title(s)
        if not s.layers:
            console.print(title)
            console.print(f"No layers known ({s.empty_reason}).\n")
            continue
        table = Table(title=title, title_justify="left")
        table.add_column("Layer", overflow="fold")
        table.add_column("Line" if s.cell is None else "Cell:line", justify="right", no_wrap=True)
        table.add_column("Output shape", overflow="fold")
        table.add_column("Params", justify="right", no_wrap=True)
        for row in s.layers:
            layer = f"{row.layer} (unknown {row.unknown_kind})" if row.unknown else row.layer
            shape = format_row_shape(row.output_shape)
            if row.note:
                shape += f"  (from {row.note})"
            table.add_row(layer, row.where, shape, _params(row.params))
        console.print(table)
        console.print(f"Total params: {_params(s.params)}\n")
    counts = count_statuses(summaries)
    total = len(summaries)
    console.print(
        f"{total} model{'s' if total != 1 else ''}: {counts['known']} fully known, "
        f"{counts['partial']} partly known, {counts['unknown-layers']} with unknown layers"
    )


def _params(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"
