"""The command line's surface: every option (its spelling, kind, choices, default and help) as
a written-out table, each one documented in docs/cli.md, and each one reaching the run it
configures. Renaming an option or changing its default is a change users feel: this test
makes it a deliberate one."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from pathlib import Path

import pytest
from helpers import tdlint, write

from tdlint import cli

ROOT = Path(__file__).resolve().parents[1]
FIXABLE = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"
UNFIXABLE = (
    "from keras.models import Sequential\n"
    "from keras.layers import LSTM, Dense, TimeDistributed\n"
    "model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])\n"
)

# (option strings, dest, action, default, choices, metavar, help), per argument group.
CHECK = {
    "positional arguments": [
        ((), "paths", "store", None, None, "PATH", "files or folders (default: .)"),
    ],
    "rule selection (codes, prefixes or rule names)": [
        (("--select",), "select", "append", None, None, None, "the rules to enable (replaces)"),
        (("--extend-select",), "extend_select", "append", None, None, None, "more rules to enable"),
        (("--ignore",), "ignore", "append", None, None, None, "rules to disable"),
        (
            ("--per-file-ignores",),
            "per_file_ignores",
            "append",
            None,
            None,
            "GLOB:CODES",
            "disable rules for matching files, e.g. 'tests/**:TDL001,TDL003'",
        ),
    ],
    "fixing": [
        (("--fix",), "fix", "store_true", False, None, None, "apply fixes"),
        (
            ("--unsafe-fixes",),
            "unsafe_fixes",
            "store_true",
            None,
            None,
            None,
            "include unsafe fixes",
        ),
        (("--no-unsafe-fixes",), "unsafe_fixes", "store_false", True, None, None, None),
        (
            ("--diff",),
            "diff",
            "store_true",
            False,
            None,
            None,
            "show fixes as a diff; write nothing",
        ),
        (
            ("--fix-only",),
            "fix_only",
            "store_true",
            False,
            None,
            None,
            "fix, and report nothing else",
        ),
        (
            ("--show-fixes",),
            "show_fixes",
            "store_true",
            False,
            None,
            None,
            "list the fixes applied",
        ),
        (
            ("--add-noqa",),
            "add_noqa",
            "store_true",
            False,
            None,
            None,
            "add `# noqa` comments for what is reported",
        ),
    ],
    "files": [
        (
            ("--exclude",),
            "exclude",
            "append",
            None,
            None,
            None,
            "globs to exclude (replaces defaults)",
        ),
        (
            ("--extend-exclude",),
            "extend_exclude",
            "append",
            None,
            None,
            None,
            "more globs to exclude",
        ),
        (
            ("--respect-gitignore",),
            "respect_gitignore",
            "store_true",
            None,
            None,
            None,
            "skip what git ignores",
        ),
        (("--no-respect-gitignore",), "respect_gitignore", "store_false", True, None, None, None),
        (
            ("--force-exclude",),
            "force_exclude",
            "store_true",
            None,
            None,
            None,
            "apply excludes to files named on the command line too (for pre-commit)",
        ),
        (
            ("--stdin-filename",),
            "stdin_filename",
            "store",
            None,
            None,
            None,
            "the name of the file read from `-`",
        ),
    ],
    "output": [
        (
            ("--output-format",),
            "output_format",
            "store",
            None,
            ("full", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab"),
            None,
            "how to print diagnostics (also env TDLINT_OUTPUT_FORMAT)",
        ),
        (
            ("-o", "--output-file"),
            "output_file",
            "store",
            None,
            None,
            None,
            "write the report to this file",
        ),
        (
            ("--statistics",),
            "statistics",
            "store_true",
            False,
            None,
            None,
            "count findings per rule",
        ),
        (("-q", "--quiet"), "quiet", "store_true", False, None, None, "print diagnostics only"),
        (("--color",), "color", "store", "auto", ("auto", "always", "never"), None, None),
    ],
    "exit status": [
        (
            ("--exit-zero",),
            "exit_zero",
            "store_true",
            False,
            None,
            None,
            "exit 0 even with findings",
        ),
        (
            ("--exit-non-zero-on-fix",),
            "exit_non_zero_on_fix",
            "store_true",
            False,
            None,
            None,
            "exit 1 when anything was fixed",
        ),
    ],
    "settings": [
        (("--config",), "config", "store", None, None, None, "use this configuration file"),
        (
            ("--isolated",),
            "isolated",
            "store_true",
            False,
            None,
            None,
            "ignore all configuration files",
        ),
        (
            ("--keras-version",),
            "keras_version",
            "store",
            None,
            ("1", "1.0", "1.1", "1.2", "2", *(f"2.{minor}" for minor in range(16)), "3"),
            "VERSION",
            None,
        ),
        (
            ("--target-keras-version",),
            "target_keras_version",
            "store",
            None,
            ("1", "1.0", "1.1", "1.2", "2", *(f"2.{minor}" for minor in range(16)), "3"),
            "VERSION",
            "the Keras the version rules (TDL3xx) upgrade to (default: the pinned one, else 3)",
        ),
        (
            ("--max-file-size",),
            "max_file_size",
            "store",
            None,
            None,
            None,
            "skip larger files (default 10MB)",
        ),
        (
            ("--file-timeout",),
            "file_timeout",
            "store",
            None,
            None,
            None,
            "abandon a file after this many seconds (default 30)",
        ),
        (("-n", "--no-cache"), "no_cache", "store_true", False, None, None, "do not use the cache"),
        (
            ("--cache-dir",),
            "cache_dir",
            "store",
            None,
            None,
            None,
            "where the cache lives (default .tdlint_cache)",
        ),
    ],
}
RULE = {
    "positional arguments": [
        ((), "selector", "store", None, None, None, "a rule code or name, e.g. TDL001"),
    ],
    "options": [(("--all",), "all", "store_true", False, None, None, "every rule's documentation")],
}
ACTIONS = {
    argparse._StoreAction: "store",
    argparse._StoreTrueAction: "store_true",
    argparse._StoreFalseAction: "store_false",
    argparse._AppendAction: "append",
}


def subparsers() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = cli.build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, sub


def table(parser: argparse.ArgumentParser) -> dict[str, list[tuple[object, ...]]]:
    groups: dict[str, list[tuple[object, ...]]] = {}
    for group in parser._action_groups:
        rows = [
            (
                tuple(a.option_strings),
                a.dest,
                ACTIONS[type(a)],
                a.default,
                a.choices,
                a.metavar,
                a.help,
            )
            for a in group._group_actions
            if not isinstance(a, argparse._HelpAction)
        ]
        if rows:
            groups[group.title] = rows  # type: ignore[index]
    return groups


def test_the_commands() -> None:
    parser, sub = subparsers()
    assert (parser.prog, parser.description) == (
        "tdlint",
        "A static shape checker and linter for Keras model code.",
    )
    assert (sub.dest, sub.metavar) == ("command", "COMMAND")
    assert {a.dest: a.help for a in sub._choices_actions} == {
        "check": "check files for shape errors (the default command)",
        "shapes": "print a static model.summary() of every model",
        "rule": "print a rule's documentation (Markdown)",
        "server": "run the language server (LSP) over stdio",
    }


def test_every_check_option() -> None:
    _, sub = subparsers()
    assert table(sub.choices["check"]) == CHECK
    assert sub.choices["check"].get_default("paths") is None  # `tdlint check` alone means "."


def test_every_rule_option() -> None:
    _, sub = subparsers()
    assert table(sub.choices["rule"]) == RULE
    assert sub.choices["rule"]._actions[1].nargs == "?"


def test_shapes_options_that_exist_today() -> None:
    _, sub = subparsers()
    shapes = {a.dest: a for a in sub.choices["shapes"]._actions}
    assert shapes["paths"].default == ["."] and shapes["paths"].metavar == "PATH"
    # No default: a table (full) unless `-o`'s suffix names a format.
    assert shapes["output_format"].default is None
    assert shapes["output_format"].choices == ("full", "json", "mermaid", "dot", "markdown")
    assert shapes["output_file"].option_strings == ["-o", "--output-file"]
    assert shapes["params"].default is False and shapes["findings"].default is False
    assert shapes["color"].default == "auto"
    assert shapes["color"].choices == ("auto", "always", "never")
    assert "2.3" in shapes["keras_version"].choices and shapes["keras_version"].default is None


def test_every_option_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    _, sub = subparsers()
    for name in ("check", "rule", "shapes"):
        for action in sub.choices[name]._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", docs), option


def test_choices_are_enforced(tmp_path: Path) -> None:
    for option, value in (
        ("--color", "sometimes"),
        ("--keras-version", "4"),
        ("--target-keras-version", "2.16"),
        ("--output-format", "xml"),
    ):
        result = tdlint(".", option, value, cwd=tmp_path)
        assert result.returncode == 2, option
        assert f"argument {option}: invalid choice: '{value}'" in result.stderr.splitlines()[-1]


# ---------------------------------------------------------------- main()


def run_main(argv: list[str] | None, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        os.chdir(saved)
    return code, out.getvalue(), err.getvalue()


def test_main_reads_sys_argv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["tdlint", "rule", "TDL002"])
    code, out, _ = run_main(None, tmp_path)
    assert code == 0 and out.startswith("# time-distributed-dense (TDL002)\n")


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_top_level_help_lists_the_commands(tmp_path: Path, flag: str) -> None:
    code, out, _ = run_main([flag], tmp_path)
    assert code == 0
    assert out.startswith("usage: tdlint [-h] [--version] COMMAND ...")
    assert "check files for shape errors (the default command)" in out
    check_code, check_help, _ = run_main(["check", flag], tmp_path)
    assert check_code == 0 and check_help.startswith("usage: tdlint check ") and check_help != out


@pytest.mark.parametrize("exc", [KeyboardInterrupt, BrokenPipeError])
def test_interrupts_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type) -> None:
    def stop(args: argparse.Namespace) -> int:
        raise exc

    monkeypatch.setattr(cli, "run_check", stop)
    code, out, err = run_main(["."], tmp_path)
    assert (code, out) == (2, "")
    assert err == ("tdlint: interrupted\n" if exc is KeyboardInterrupt else "")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("color", "escapes"), [("never", False), ("auto", True), ("always", True)])
def test_colour_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, color: str, escapes: bool
) -> None:
    write(tmp_path / "m.py", UNFIXABLE)
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    saved = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert cli.main(["m.py", "--no-cache", "--color", color]) == 1
    finally:
        os.chdir(saved)
    assert ("\x1b[" in screen.getvalue()) is escapes
    assert "TDL003" in screen.getvalue()


# ---------------------------------------------------------------- options reach the run


def test_configuration_is_found_from_the_first_path_not_the_current_folder(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "pyproject.toml", '[tool.tdlint]\nignore = ["TDL002"]\n')
    write(tmp_path / "proj" / "m.py", FIXABLE)
    (tmp_path / "elsewhere").mkdir()
    result = tdlint(str(tmp_path / "proj" / "m.py"), "--no-cache", cwd=tmp_path / "elsewhere")
    assert result.returncode == 0, result.stdout
    # Standard input has no path: the current folder's configuration applies.
    piped = tdlint("-", "--stdin-filename", "m.py", stdin=FIXABLE, cwd=tmp_path / "proj")
    assert piped.returncode == 0
    unconfigured = tdlint(
        "-", "--stdin-filename", "m.py", stdin=FIXABLE, cwd=tmp_path / "elsewhere"
    )
    assert unconfigured.returncode == 1


def test_file_options_reach_discovery(tmp_path: Path) -> None:
    write(tmp_path / "a.py", FIXABLE)
    write(tmp_path / "b.py", FIXABLE)

    def checked(*options: str) -> list[str]:
        result = tdlint(
            ".", "--no-cache", "--output-format", "concise", "-q", *options, cwd=tmp_path
        )
        return sorted(line.split(":")[0] for line in result.stdout.splitlines())

    assert checked() == ["a.py", "b.py"]
    assert checked("--exclude", "a.py") == ["b.py"]
    assert checked("--extend-exclude", "b.py") == ["a.py"]
    assert checked("--extend-exclude", "a.py,b.py") == []
    assert checked("--select", "TDL003", "--extend-select", "TDL002") == ["a.py", "b.py"]


def test_settings_options_reach_the_checker(tmp_path: Path) -> None:
    write(tmp_path / "m.py", FIXABLE)
    small = tdlint("m.py", "--no-cache", "--max-file-size", "10B", cwd=tmp_path)
    assert small.returncode == 0 and "m.py: skipped: larger than" in small.stderr
    slow = tdlint("m.py", "--no-cache", "--file-timeout", "0.000001", cwd=tmp_path)
    assert slow.returncode == 0 and "m.py: skipped: took longer than 1e-06 s" in slow.stderr
    cached = tdlint("m.py", "--cache-dir", "my-cache", cwd=tmp_path)
    assert cached.returncode == 1 and (tmp_path / "my-cache" / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / ".tdlint_cache").exists()
    write(tmp_path / "u.py", UNFIXABLE)
    write(tmp_path / "pyproject.toml", "[tool.tdlint]\nunsafe-fixes = true\n")
    kept = tdlint("u.py", "--fix", "--no-unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert kept.returncode == 1 and (tmp_path / "u.py").read_text() == UNFIXABLE
    fixed = tdlint("u.py", "--fix", "--no-cache", cwd=tmp_path)
    assert fixed.returncode == 0 and "return_sequences=True" in (tmp_path / "u.py").read_text()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--max-file-size", "abc"), "--max-file-size needs a size like 10MB, got `abc`"),
        (("--per-file-ignores", "m.py"), "--per-file-ignores needs GLOB:CODES, got `m.py`"),
        (("--per-file-ignores", ":TDL002"), "--per-file-ignores needs GLOB:CODES, got `:TDL002`"),
        (("--config", "missing.toml"), "configuration file missing.toml not found"),
    ],
)
def test_bad_option_values(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    result = tdlint(".", *options, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"tdlint: error: {message}\n"


def test_per_file_ignores_split_at_the_last_colon(tmp_path: Path) -> None:
    write(tmp_path / "a:b" / "m.py", FIXABLE + UNFIXABLE)
    ok = tdlint(".", "--per-file-ignores", "a:b/*.py: TDL002 , TDL003", "--no-cache", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    one = tdlint(".", "--per-file-ignores", "a:b/*.py:TDL002", "--no-cache", "-q",
                 "--output-format", "concise", cwd=tmp_path)  # fmt: skip
    assert [line.split(": ")[1].split()[0] for line in one.stdout.splitlines()] == ["TDL003"]


# ---------------------------------------------------------------- what the report adds


def test_old_noqa_codes_get_one_warning(tmp_path: Path) -> None:
    write(tmp_path / "one.py", "from keras.layers import TimeDistributedDense  # noqa: TD002\n")
    one = tdlint("one.py", "--no-cache", cwd=tmp_path)
    assert one.stderr == (
        "tdlint: warning: 1 `# noqa` comment uses the old TD codes; "
        "`tdlint --extend-select TDL901 --fix` rewrites them to TDL\n"
    )
    write(tmp_path / "two.py", "from keras.layers import TimeDistributedDense  # noqa: TD002\n")
    two = tdlint("one.py", "two.py", "--no-cache", cwd=tmp_path)
    assert two.stderr.startswith("tdlint: warning: 2 `# noqa` comments use the old TD codes; ")
    assert tdlint("one.py", "--no-cache", "-q", cwd=tmp_path).stderr == ""
    selected = tdlint("one.py", "--no-cache", "--extend-select", "TDL901", cwd=tmp_path)
    assert selected.stderr == "" and "TDL901" in selected.stdout


def test_show_fixes_and_the_summary_after_fixing(tmp_path: Path) -> None:
    write(tmp_path / "m.py", FIXABLE)
    write(tmp_path / "u.py", UNFIXABLE)
    result = tdlint(
        ".", "--fix", "--show-fixes", "--no-cache", "--output-format", "concise", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2:] == [
        "Fixed 1 in m.py",
        "Found 2 errors (1 fixed, 1 remaining).",  # no fix hints after fixing
    ]
    write(tmp_path / "m.py", FIXABLE)
    only = tdlint(".", "--fix-only", "--no-cache", cwd=tmp_path)
    assert (only.returncode, only.stdout) == (
        0,
        "Fixed 1 finding (1 remaining).\n",
    )  # u.py's is left
