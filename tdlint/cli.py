"""The command line: arguments -> selection -> run -> report -> exit code.

Exit codes follow ruff: 0 clean (or everything fixed), 1 findings remain, 2 bad usage or an
internal error.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence

from tdlint import __version__

SUBCOMMANDS = ("check", "shapes", "rule", "server")
KERAS_VERSIONS = ("1", "1.0", "1.1", "1.2", "2", *(f"2.{minor}" for minor in range(16)), "3")
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
NO_FILES = "No Python files found under the given path(s)"  # ruff's words


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
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    rules = check.add_argument_group("rule selection (codes, prefixes or rule names)")
    rules.add_argument("--select", action="append", help="the rules to enable (replaces)")
    rules.add_argument("--extend-select", action="append", help="more rules to enable")
    rules.add_argument("--ignore", action="append", help="rules to disable")
    rules.add_argument(
        "--per-file-ignores",
        action="append",
        metavar="GLOB:CODES",
        help="disable rules for matching files, e.g. 'tests/**:TDL001,TDL003'",
    )
    fixing = check.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply fixes")
    fixing.add_argument(
        "--unsafe-fixes", action="store_true", default=None, help="include unsafe fixes"
    )
    fixing.add_argument("--no-unsafe-fixes", dest="unsafe_fixes", action="store_false")
    fixing.add_argument("--diff", action="store_true", help="show fixes as a diff; write nothing")
    fixing.add_argument("--fix-only", action="store_true", help="fix, and report nothing else")
    fixing.add_argument("--show-fixes", action="store_true", help="list the fixes applied")
    fixing.add_argument(
        "--add-noqa", action="store_true", help="add `# noqa` comments for what is reported"
    )
    files = check.add_argument_group("files")
    files.add_argument("--exclude", action="append", help="globs to exclude (replaces defaults)")
    files.add_argument("--extend-exclude", action="append", help="more globs to exclude")
    files.add_argument(
        "--respect-gitignore", action="store_true", default=None, help="skip what git ignores"
    )
    files.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false")
    files.add_argument(
        "--force-exclude",
        action="store_true",
        default=None,
        help="apply excludes to files named on the command line too (for pre-commit)",
    )
    files.add_argument("--stdin-filename", help="the name of the file read from `-`")
    output = check.add_argument_group("output")
    output.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help="how to print diagnostics (also env TDLINT_OUTPUT_FORMAT)",
    )
    output.add_argument("-o", "--output-file", help="write the report to this file")
    output.add_argument("--statistics", action="store_true", help="count findings per rule")
    output.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only")
    output.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    status = check.add_argument_group("exit status")
    status.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    status.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="exit 1 when anything was fixed"
    )
    settings = check.add_argument_group("settings")
    settings.add_argument("--config", help="use this configuration file")
    settings.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    settings.add_argument("--keras-version", choices=KERAS_VERSIONS, metavar="VERSION")
    settings.add_argument(
        "--target-keras-version",
        choices=KERAS_VERSIONS,
        metavar="VERSION",
        help="the Keras the version rules (TDL3xx) upgrade to (default: the pinned one, else 3)",
    )
    settings.add_argument("--max-file-size", help="skip larger files (default 10MB)")
    settings.add_argument(
        "--file-timeout", type=float, help="abandon a file after this many seconds (default 30)"
    )
    settings.add_argument("-n", "--no-cache", action="store_true", help="do not use the cache")
    settings.add_argument("--cache-dir", help="where the cache lives (default .tdlint_cache)")

    shapes = sub.add_parser("shapes", help="print a static model.summary() of every model")
    shapes.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    shapes.add_argument(
        "--output-format",
        choices=("full", "json", "mermaid", "dot", "markdown"),
        help="a table (full, the default), JSON, or a diagram: mermaid, dot, markdown",
    )
    shapes.add_argument(
        "-o",
        "--output-file",
        help="write to this file; .svg, .png and .pdf are drawn by Graphviz's dot",
    )
    shapes.add_argument("--params", action="store_true", help="parameter counts in diagrams")
    shapes.add_argument(
        "--findings", action="store_true", help="mark the nodes `tdlint check` reports on"
    )
    shapes.add_argument("--keras-version", choices=KERAS_VERSIONS, metavar="VERSION")
    shapes.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    rule = sub.add_parser("rule", help="print a rule's documentation (Markdown)")
    rule.add_argument("selector", nargs="?", help="a rule code or name, e.g. TDL001")
    rule.add_argument("--all", action="store_true", help="every rule's documentation")

    server = sub.add_parser(
        "server",
        help="run the language server (LSP) over stdio",
        description="A Language Server Protocol server over stdio, for editors: findings as "
        "you type, quick fixes, shapes on hover (docs/editors.md). Needs tdlint[server].",
    )
    # Editors' LSP clients (vscode-languageclient) add --stdio: stdio is the only transport.
    server.add_argument("--stdio", action="store_true", help=argparse.SUPPRESS)
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
            from tdlint.shapes_command import run_shapes

            return run_shapes(args)
        if args.command == "rule":
            return run_rule(args)
        if args.command == "server":
            from tdlint.server import main as run_server  # pygls is imported only here

            return run_server()
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


def resolve_settings(args: argparse.Namespace):  # noqa: ANN201 - lazy import of Settings
    """The configuration file's settings with the command line on top."""
    from pathlib import Path

    from tdlint import config
    from tdlint.config import ConfigError, find_config, load_settings, with_overrides

    if args.isolated:
        config_file = None
    elif args.config:
        config_file = Path(args.config)
        if not config_file.is_file():
            raise ConfigError(f"configuration file {args.config} not found")
    else:
        first = Path(args.paths[0]) if args.paths and args.paths[0] != "-" else Path.cwd()
        config_file = find_config(first if first.exists() else Path.cwd())
    settings = load_settings(config_file)
    select = _flatten(args.select)
    per_file = _per_file_ignores(args.per_file_ignores)
    settings = with_overrides(
        settings,
        select=tuple(select) if select else None,
        extend_select=(*settings.extend_select, *_flatten(args.extend_select)),
        ignore=(*settings.ignore, *_flatten(args.ignore)),
        per_file_ignores=(*settings.per_file_ignores, *per_file),
        exclude=tuple(_flatten(args.exclude)) or None,
        extend_exclude=(*settings.extend_exclude, *_flatten(args.extend_exclude)),
        respect_gitignore=args.respect_gitignore,
        force_exclude=args.force_exclude,
        unsafe_fixes=args.unsafe_fixes,
        output_format=args.output_format or os.environ.get("TDLINT_OUTPUT_FORMAT") or None,
        cache_dir=args.cache_dir,
        keras_version=args.keras_version,
        target_keras_version=args.target_keras_version,
        max_file_size=_size_option(args.max_file_size),
        file_timeout=args.file_timeout,
    )
    if settings.output_format not in OUTPUT_FORMATS:
        raise ConfigError(f"unknown output format `{settings.output_format}`")
    start = Path(args.paths[0]) if args.paths and args.paths[0] != "-" else Path.cwd()
    settings = config.with_pinned_version(settings, start)
    settings.selection()  # validates every selector now, as a usage error
    return settings


def _warn_redirected(settings) -> None:  # noqa: ANN001
    from tdlint.codes import redirect_note

    for old, new in settings.redirected_selectors():
        print(f"tdlint: warning: {redirect_note(old, new)}", file=sys.stderr)


def _size_option(value: str | None) -> int | None:
    from tdlint.config import ConfigError
    from tdlint.guard import parse_size

    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError:
        raise ConfigError(f"--max-file-size needs a size like 10MB, got `{value}`") from None


def _flatten(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _per_file_ignores(values: list[str] | None) -> list[tuple[str, tuple[str, ...]]]:
    from tdlint.config import ConfigError

    pairs = []
    for value in values or []:
        pattern, sep, codes = value.rpartition(":")
        if not sep or not pattern:
            raise ConfigError(f"--per-file-ignores needs GLOB:CODES, got `{value}`")
        pairs.append((pattern, tuple(c.strip() for c in codes.split(",") if c.strip())))
    return pairs


def run_check(args: argparse.Namespace) -> int:
    from tdlint.config import ConfigError

    try:
        settings = resolve_settings(args)
    except ConfigError as exc:
        print(f"tdlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    _warn_redirected(settings)
    if args.paths == ["-"]:
        return _check_stdin(args, settings)
    return _report(args, settings, _run(args, settings))


def _run(args: argparse.Namespace, settings):  # noqa: ANN001, ANN202
    from tdlint.diagnostics import FixMode
    from tdlint.runner import run

    mode = FixMode.DIFF if args.diff else FixMode.FIX if args.fix or args.fix_only else FixMode.NONE
    paths = args.paths or ["."]
    if args.add_noqa:
        from tdlint.api import add_noqa  # LibCST: re-parses what it writes

        results = run(paths, settings, FixMode.NONE, use_cache=False)
        added = add_noqa(results)
        if not args.quiet:
            print(f"Added {added} noqa directive{'s' if added != 1 else ''}.", file=sys.stderr)
        return []
    return run(paths, settings, mode, use_cache=not args.no_cache)


def _report(args: argparse.Namespace, settings, results) -> int:  # noqa: ANN001
    from tdlint.report import MACHINE_FORMATS, render_machine, text

    errors = [r for r in results if r.error]
    for result in errors:
        print(f"tdlint: error: {result.filename}: {result.error}", file=sys.stderr)
    for result in results:
        if result.skipped:
            print(f"tdlint: warning: {result.filename}: skipped: {result.skipped}", file=sys.stderr)
    redirected = sum(r.redirected_noqa for r in results)
    if redirected and not args.quiet and "TDL901" not in settings.selection():
        comments = "comment uses" if redirected == 1 else "comments use"
        print(
            f"tdlint: warning: {redirected} `# noqa` {comments} the old TD codes; "
            "`tdlint --extend-select TDL901 --fix` rewrites them to TDL",
            file=sys.stderr,
        )
    # No file to check (an empty folder, everything excluded): say so, as ruff does, rather
    # than "All checks passed!". Not an error: exit 0.
    nothing_found = not results and not args.add_noqa
    if nothing_found:
        print(f"tdlint: warning: {NO_FILES}", file=sys.stderr)
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
    fixed = sum(r.fixes_applied for r in results)
    fixed_warnings = sum(r.fixed_warnings for r in results)
    remaining = diagnostics
    if args.fix_only or args.diff:
        _warn_unreadable(diagnostics)  # these modes print no diagnostics: say it on stderr
    if args.fix_only:
        diagnostics = []  # reported in the summary's count only, as ruff does

    if args.diff:
        changed = [r for r in results if r.fixed_source is not None]
        for result in changed:
            sys.stdout.write(_unified_diff(result))
        count = sum(r.fixes_applied for r in changed)
        _would_fix(args, count, sum(r.fixed_warnings for r in changed))
        return _exit_status(args, errors=bool(errors), remaining=0, fixed=0, would_fix=count)

    fmt = settings.output_format
    if args.statistics:
        _emit(args, _statistics(diagnostics))
    elif fmt in MACHINE_FORMATS:
        _emit(args, render_machine(fmt, diagnostics))
    else:
        console = _console(args.color, output_file=args.output_file)
        for d in diagnostics:
            console.print(text.concise_line(d) if fmt == "concise" else text.full_block(d))
        if args.show_fixes:
            for result in results:
                if result.fixes_applied:
                    console.print(f"Fixed {result.fixes_applied} in {result.filename}")
        if not args.quiet and not nothing_found:
            text.summary(
                console,
                remaining,
                fixed,
                settings.unsafe_fixes,
                fix_mode=args.fix or args.fix_only,
                fixed_warnings=fixed_warnings,
                fix_only=args.fix_only,
            )

    return _exit_status(args, errors=bool(errors), remaining=len(diagnostics), fixed=fixed)


def _warn_unreadable(diagnostics) -> None:  # noqa: ANN001
    """A path that cannot be read (TDL902), as a skipped one is announced."""
    from tdlint.io_error import IO_ERROR

    for d in diagnostics:
        if d.code == IO_ERROR[0]:
            print(
                f"tdlint: warning: {d.filename}: skipped: cannot read: {d.message}", file=sys.stderr
            )


def _exit_status(
    args: argparse.Namespace, errors: bool, remaining: int, fixed: int, would_fix: int = 0
) -> int:
    """Ruff's exit status: 2 for an error whatever else; then ``--exit-zero`` wins; ``--diff``
    fails when something would change; ``--fix-only`` fails only with
    ``--exit-non-zero-on-fix`` and a fix; otherwise findings that remain fail."""
    if errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if args.diff:
        return EXIT_FINDINGS if would_fix else EXIT_CLEAN
    if args.exit_non_zero_on_fix and fixed:
        return EXIT_FINDINGS
    if args.fix_only:
        return EXIT_CLEAN
    return EXIT_FINDINGS if remaining else EXIT_CLEAN


def _would_fix(args: argparse.Namespace, count: int, warnings: int) -> None:
    """``--diff``'s summary: the fixes it would apply, named by the findings' severity."""
    if args.quiet:
        return
    from tdlint.report import text

    would = f"Would fix {text.counted(count - warnings, warnings)}." if count else None
    print(f"\n{would or 'No fixes would be applied.'}", file=sys.stderr)


def _statistics(diagnostics) -> str:  # noqa: ANN001
    from collections import Counter

    from tdlint.diagnostics import Applicability

    counts = Counter((d.code, d.name) for d in diagnostics)
    fixable = {d.code for d in diagnostics if d.fix and d.fix.applicability is Applicability.SAFE}
    lines = [
        f"{count:>5}\t{code}\t{'[*]' if code in fixable else '   '}\t{name}"
        for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(lines)


def _check_stdin(args: argparse.Namespace, settings) -> int:  # noqa: ANN001
    """``tdlint check -``: the source from standard input; fixes go to standard output."""
    from pathlib import Path

    from tdlint.engine import check_source
    from tdlint.fixes import FixError, fix_source

    source = sys.stdin.read()
    filename = args.stdin_filename or "-"
    selection = settings.selection_for(Path(filename))
    if filename.endswith(".ipynb"):
        return _check_stdin_notebook(args, settings, source, filename)
    if args.fix or args.fix_only or args.diff:
        try:
            outcome = fix_source(
                source,
                filename,
                selection,
                settings.unsafe_fixes,
                settings.keras_version,
                target_version=settings.target,
            )
        except FixError as exc:
            print(f"tdlint: error: {filename}: fix not applied: {exc}", file=sys.stderr)
            if not args.diff:
                sys.stdout.write(source)  # the fixed text was to go here: give the input back
            return EXIT_ERROR
        if args.diff:  # the diff goes to standard output, nothing else
            sys.stdout.write(_diff_text(filename, source, outcome.source))
            _would_fix(args, outcome.applied, outcome.fixed_warnings)
            return _exit_status(args, errors=False, remaining=0, fixed=0, would_fix=outcome.applied)
        sys.stdout.write(outcome.source)
        remaining = len(outcome.result.diagnostics)
        return _exit_status(args, errors=False, remaining=remaining, fixed=outcome.applied)
    result = check_source(
        source, filename, selection, settings.keras_version, target_version=settings.target
    )
    return _report(args, settings, [result])


def _check_stdin_notebook(args: argparse.Namespace, settings, source: str, filename: str) -> int:  # noqa: ANN001
    """A notebook on standard input (``--stdin-filename x.ipynb``), as the .py case above."""
    from tdlint.api import check_notebook_text
    from tdlint.diagnostics import FixMode

    fixing = args.fix or args.fix_only or args.diff
    mode = FixMode.DIFF if fixing else FixMode.NONE
    result = check_notebook_text(source, filename, settings, mode)
    if not fixing:
        return _report(args, settings, [result])
    if result.error:
        print(f"tdlint: error: {filename}: {result.error}", file=sys.stderr)
    fixed = result.fixed_source or source
    if args.diff:
        sys.stdout.write(_diff_text(filename, source, fixed))
        _would_fix(args, result.fixes_applied, result.fixed_warnings)
        applied = result.fixes_applied
        return _exit_status(args, bool(result.error), remaining=0, fixed=0, would_fix=applied)
    sys.stdout.write(fixed)
    remaining = len(result.diagnostics)
    return _exit_status(args, bool(result.error), remaining, fixed=result.fixes_applied)


def run_rule(args: argparse.Namespace) -> int:
    from tdlint.config import ConfigError, expand
    from tdlint.docs import rule_doc
    from tdlint.rules import rule_names

    if args.all:
        codes = list(rule_names())
    elif args.selector:
        from tdlint.codes import redirect, redirect_note

        new = redirect(args.selector)
        if new is not None:
            print(f"tdlint: warning: {redirect_note(args.selector, new)}", file=sys.stderr)
        try:
            codes = sorted(expand([args.selector]))
        except ConfigError as exc:
            print(f"tdlint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
    else:
        print(
            "tdlint: error: name a rule (e.g. `tdlint rule TDL001`) or use --all", file=sys.stderr
        )
        return EXIT_ERROR
    print("\n\n".join(rule_doc(code) for code in codes))
    return EXIT_CLEAN


def _unified_diff(result) -> str:  # noqa: ANN001
    return _diff_text(result.filename, result.original_source or "", result.fixed_source or "")


def _diff_text(filename: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), filename, filename
    )
    return "".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
