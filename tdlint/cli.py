"""The command line: arguments -> selection -> run -> report -> exit code.

Exit codes follow ruff: 0 clean (or everything fixed), 1 findings remain, 2 bad usage or an
internal error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Sequence

from tdlint import __version__

SUBCOMMANDS = ("check", "shapes")
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"tdlint: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tdlint",
        description="A static shape checker and linter for Keras model code.",
    )
    parser.add_argument("--version", action="version", version=f"tdlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check files for shape errors (the default command)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--select", action="append", help="rule codes, prefixes or names to enable")
    check.add_argument("--ignore", action="append", help="rule codes, prefixes or names to disable")
    check.add_argument("--fix", action="store_true", help="apply fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="include unsafe fixes")
    check.add_argument(
        "--diff", action="store_true", help="show the fixes as a diff; write nothing"
    )
    check.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        default=os.environ.get("TDLINT_OUTPUT_FORMAT", "full"),
        help="how to print diagnostics (env TDLINT_OUTPUT_FORMAT)",
    )
    check.add_argument("-o", "--output-file", help="write the report to this file")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    shapes = sub.add_parser("shapes", help="print a static model.summary() of every model")
    shapes.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    shapes.add_argument("--output-format", choices=("full", "json"), default="full")
    shapes.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0] not in SUBCOMMANDS and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "check")
    args = build_parser().parse_args(args_list)
    try:
        if args.command == "shapes":
            return run_shapes(args)
        return run_check(args)
    except KeyboardInterrupt:
        print("tdlint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


def _emit(args: argparse.Namespace, report: str) -> None:
    """Print a machine report, or write it to ``--output-file``."""
    if not report:
        return
    if args.output_file:
        with open(args.output_file, "w", encoding="utf-8") as handle:
            handle.write(report + "\n")
    else:
        print(report)


def _console(color: str, stderr: bool = False, output_file: str | None = None):  # noqa: ANN202
    from rich.console import Console

    force = {"always": True, "never": False}.get(color)
    return Console(
        file=open(output_file, "w", encoding="utf-8") if output_file else None,  # noqa: SIM115
        stderr=stderr,
        force_terminal=force,
        no_color=color == "never",
        highlight=False,
        soft_wrap=True,
    )


def run_check(args: argparse.Namespace) -> int:
    from tdlint.api import FixMode, check_paths
    from tdlint.config import ConfigError, Selection
    from tdlint.discovery import MissingPath
    from tdlint.report import MACHINE_FORMATS, render_machine, text

    try:
        selection = Selection.from_options(args.select, args.ignore)
    except ConfigError as exc:
        print(f"tdlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    mode = FixMode.DIFF if args.diff else FixMode.FIX if args.fix else FixMode.NONE
    try:
        results = list(check_paths(args.paths, selection, mode, args.unsafe_fixes))
    except MissingPath as exc:
        print(f"tdlint: error: {exc}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR

    errors = [r for r in results if r.error]
    for result in errors:
        print(f"tdlint: error: {result.filename}: {result.error}", file=sys.stderr)
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
    fixed = sum(r.fixes_applied for r in results)

    if args.diff:
        changed = [r for r in results if r.fixed_source is not None]
        for result in changed:
            sys.stdout.write(_unified_diff(result))
        if not args.quiet:
            count = sum(r.fixes_applied for r in changed)
            print(f"\nWould fix {count} error{'s' if count != 1 else ''}.", file=sys.stderr)
        return EXIT_ERROR if errors else (EXIT_FINDINGS if changed else EXIT_CLEAN)

    if args.output_format in MACHINE_FORMATS:
        _emit(args, render_machine(args.output_format, diagnostics))
    else:
        console = _console(args.color, output_file=args.output_file)
        for d in diagnostics:
            if args.output_format == "concise":
                console.print(text.concise_line(d))
            else:
                console.print(text.full_block(d))
        if not args.quiet:
            text.summary(console, diagnostics, fixed, args.unsafe_fixes, args.fix)

    if errors:
        return EXIT_ERROR
    if diagnostics and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _unified_diff(result) -> str:  # noqa: ANN001
    before = (result.original_source or "").splitlines(keepends=True)
    after = (result.fixed_source or "").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, result.filename, result.filename))


def run_shapes(args: argparse.Namespace) -> int:
    from tdlint.api import infer_shapes
    from tdlint.discovery import MissingPath, discover
    from tdlint.sourcefile import SourceFile

    summaries = []
    status = EXIT_CLEAN
    try:
        for path in discover(args.paths):
            try:
                source = SourceFile.read(path)
            except (OSError, UnicodeDecodeError, SyntaxError, LookupError) as exc:
                print(f"tdlint: error: {path}: cannot read: {exc}", file=sys.stderr)
                status = EXIT_ERROR
                continue
            summaries.extend(infer_shapes(source.text, str(path)))
    except MissingPath as exc:
        print(f"tdlint: error: {exc}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    if args.output_format == "json":
        print(json.dumps([s.to_json() for s in summaries], indent=2))
    else:
        _print_summaries(summaries, _console(args.color))
    return status


def _print_summaries(summaries, console) -> None:  # noqa: ANN001
    from rich.table import Table

    from tdlint.keras.shapes import format_shape

    if not summaries:
        console.print("No Keras models found.")
    for s in summaries:
        table = Table(title=f"{s.model} ({s.filename}:{s.line}, {s.kind})", title_justify="left")
        table.add_column("Layer")
        table.add_column("Line", justify="right")
        table.add_column("Output shape")
        table.add_column("Params", justify="right")
        for row in s.layers:
            shape = format_shape(row.output_shape)
            if row.note:
                shape += f"  (from {row.note})"
            table.add_row(row.layer, str(row.line), shape, _params(row.params))
        console.print(table)
        console.print(f"Total params: {_params(s.params)}\n")


def _params(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


if __name__ == "__main__":
    raise SystemExit(main())
