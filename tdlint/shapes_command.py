"""``tdlint shapes``: a static ``model.summary()`` of every model in the files given."""

from __future__ import annotations

import argparse
import json
import sys

from tdlint.cli import EXIT_CLEAN, EXIT_ERROR, _console


def run_shapes(args: argparse.Namespace) -> int:
    """Exit 0 when every file was summarised (models or not), 2 when a path is missing or a
    file could not be read or parsed: its models, if any, are then missing from the output."""
    from tdlint.api import infer_notebook_shapes, infer_shapes
    from tdlint.discovery import MissingPath, discover
    from tdlint.keras.pins import pinned_setting
    from tdlint.sourcefile import SourceFile

    summaries = []
    status = EXIT_CLEAN
    version = args.keras_version or pinned_setting(args.paths)
    try:
        for path in discover(args.paths):
            if path.suffix == ".ipynb":
                try:
                    summaries.extend(
                        infer_notebook_shapes(path.read_text("utf-8"), str(path), version)
                    )
                except (OSError, UnicodeDecodeError, ValueError) as exc:
                    print(f"tdlint: error: {path}: cannot read: {exc}", file=sys.stderr)
                    status = EXIT_ERROR
                continue
            try:
                source = SourceFile.read(path)
            except (OSError, UnicodeDecodeError, SyntaxError, LookupError) as exc:
                print(f"tdlint: error: {path}: cannot read: {exc}", file=sys.stderr)
                status = EXIT_ERROR
                continue
            found = infer_shapes(source.text, str(path), version)
            problem = None if found else _unsummarised(source.text, str(path))
            if problem is not None:
                print(f"tdlint: error: {problem}", file=sys.stderr)
                status = EXIT_ERROR
            summaries.extend(found)
    except MissingPath as exc:
        print(f"tdlint: error: {exc}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    if args.output_format == "json":
        print(json.dumps([s.to_json() for s in summaries], indent=2))
    else:
        print_summaries(summaries, _console(args.color))
    return status


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

    if not summaries:
        console.print("No Keras models found.")
        return
    # On a terminal, long names and shapes wrap within their column; in a file or a pipe,
    # where nothing wraps them back, every table gets the width it needs.
    isatty = getattr(console.file, "isatty", None)
    if not (isatty and isatty()):
        console.width = 100_000
    for s in summaries:
        title = f"{s.model} ({s.filename}:{s.where}, {s.kind}"
        if s.call is not None:
            title += f"; built by `{s.call.code}` at line {s.call.line}"
            title += f", #{s.call.occurrence}" if s.call.occurrence else ""
        title += ")"
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
