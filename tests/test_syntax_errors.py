"""TDL000: a file that does not parse gets Python's own message, at Python's position."""

from __future__ import annotations

import ast
import json
import random
import sys
import warnings
from pathlib import Path

import libcst as cst
import pytest
from helpers import tdlint
from test_notebooks import cell, write_notebook

import tdlint as api
from tdlint import syntax
from tdlint.diagnostics import Diagnostic, Location

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


def python_error(source: str) -> SyntaxError:
    """What Python itself says about ``source`` (it must be a syntax error)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<test>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return error
    raise AssertionError(f"Python accepts {source!r}")


def syntax_error(source: str) -> Diagnostic:
    """The one TDL000 for ``source``."""
    found = [d for d in api.check_source(source, "x.py") if d.code == "TDL000"]
    assert len(found) == 1, found
    return found[0]


def where(d: Diagnostic) -> tuple[int, int, int, int]:
    return (d.location.row, d.location.column, d.end_location.row, d.end_location.column)


# ------------------------------------------------------------------ the cases


def test_python2_print_is_reported_on_its_own_line_with_python_message() -> None:
    source = 'import keras\n\nprint "hello"\nx = 1\n'
    d = syntax_error(source)
    # LibCST said "parser error: error at 3:13: expected one of !=, %, ..." at 4:6.
    assert d.message.startswith("SyntaxError: Missing parentheses in call to 'print'")
    assert d.message == f"SyntaxError: {python_error(source).msg}"
    assert where(d) == (3, 1, 3, 14)  # the whole statement, end exclusive
    assert d.source_lines == ('print "hello"',)
    assert d.noqa_row is None
    assert d.help is not None and d.help.startswith("This looks like Python 2 code")


def test_non_breaking_space_is_named_not_escaped() -> None:
    d = syntax_error("import keras\nx = 1\u00a0+ 2\n")
    assert d.message == "SyntaxError: invalid non-printable character U+00A0"
    assert where(d) == (2, 6, 2, 7)
    assert d.help is None


def test_unclosed_bracket_is_reported_where_it_opens() -> None:
    source = "import keras\nmodel = keras.Sequential([\n    keras.layers.Dense(3),\n\nx = 1\n"
    d = syntax_error(source)
    assert d.message == "SyntaxError: '[' was never closed"
    assert where(d) == (2, 26, 2, 27)  # the bracket itself
    assert d.source_lines == ("model = keras.Sequential([",)


@pytest.mark.parametrize(
    ("source", "message", "position"),
    [
        (  # LibCST: "tokenizer error: unterminated triple-quoted string literal" at 1:1
            'import keras\nx = 1\ns = """abc\n\ny = 2\n',
            "unterminated triple-quoted string literal (detected at line 5)",
            (3, 5),
        ),
        ('import keras\nx = "abc\n', "unterminated string literal (detected at line 2)", (2, 5)),
        ("import keras\nx = (1 +\n", "'(' was never closed", (2, 5)),  # EOF in a statement
        ("import keras\nx = 1 \\", "unexpected EOF while parsing", (2, 8)),
        ("import keras\nx = ]\n", "unmatched ']'", (2, 5)),
    ],
)
def test_tokenizer_errors_are_placed_where_python_places_them(
    source: str, message: str, position: tuple[int, int]
) -> None:
    d = syntax_error(source)
    assert d.message == f"SyntaxError: {message}"
    assert (d.location.row, d.location.column) == position


def test_indentation_errors_keep_their_kind() -> None:
    d = syntax_error("import keras\nif x:\n    y = 1\n  z = 2\n")
    assert d.message == "IndentationError: unindent does not match any outer indentation level"
    assert d.location.row == 4
    tab = syntax_error("import keras\nif x:\n\ty = 1\n        z = 2\n")
    assert tab.message == "TabError: inconsistent use of tabs and spaces in indentation"
    assert tab.location == Location(4, 1)


def test_no_libcst_jargon_reaches_the_user() -> None:
    sources = [
        'import keras\n\nprint "hello"\n',
        "import keras\nx = 1\u00a0+ 2\n",
        "import keras\nmodel.fit(x, y epochs=3)\n",
        "import keras\nx = 1\x0b+ 2\n",
    ]
    for source in sources:
        message = syntax_error(source).message
        assert "parser error" not in message and "error at" not in message
        assert "\\u{" not in message and "expected one of" not in message


def test_null_bytes_are_located() -> None:
    d = syntax_error("import keras\nx = 1\0\n")
    assert d.message == "SyntaxError: source code cannot contain null bytes"
    assert d.location == Location(2, 6)


def test_errors_python_finds_after_parsing_are_still_located() -> None:
    # LibCST parses this and rejects it only while building the tree; the compiler proper
    # (not the AST parser) rejects it.
    source = "import keras\ntry:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n"
    d = syntax_error(source)
    assert d.message == "SyntaxError: default 'except:' must be last"
    assert where(d) == (4, 1, 5, 9)  # the whole handler, as Python gives it
    assert d.source_lines == ("except:", "    pass")


# ------------------------------------------------------------------ Python 2


@pytest.mark.parametrize(
    ("line", "construct"),
    [
        ('print "hello"', "a `print` statement"),
        ("print x,", "a `print` statement"),
        ('exec "x = 1"', "an `exec` statement"),
        ("x = `model`", "backticks for `repr`"),
        ("if 1 <> 2: pass", "the `<>` operator"),
        ("os.chmod(path, 0755)", "an octal literal like `0755`"),
        ('x = ur"abc"', 'a `ur""` string'),
        ('raise ValueError, "bad shape"', '`raise E, "message"`'),
        ("x = 10L", "a long integer literal like `10L`"),
        ("def f((a, b)):\n    pass", "a tuple parameter like `def f((a, b))`"),
        ("f = lambda (a, b): a", "a tuple parameter in a `lambda`"),
        # LibCST reads this one; Python reports it first in a file that fails later.
        ('try:\n    pass\nexcept ValueError, e:\n    pass\nprint "x"', "`except X, e:`"),
    ],
)
def test_python2_code_gets_a_hint(line: str, construct: str) -> None:
    source = f"import keras\n{line}\n"
    d = syntax_error(source)
    assert d.message.endswith(python_error(source).msg)
    assert d.help == (
        f"This looks like Python 2 code ({construct}): tdlint checks Python 3. Port the file "
        "first, e.g. with `2to3` (shipped with Python 3.12 and earlier)."
    )


@pytest.mark.parametrize(
    "line",
    [
        "x = (1 +",
        "x = 09",  # never valid, in Python 2 either
        "d = date(2020, 01, 05)",  # leading zeros, but a date more likely than Python 2
        'try:\n    pass\nexcept ValueError, TypeError:\n    pass\nprint "x"',  # two types
        "x = [1 2]",
        "model.fit(x, y epochs=3)",
        'x = b"a" <= 2 <',
    ],
)
def test_python3_mistakes_get_no_python2_hint(line: str) -> None:
    d = syntax_error(f"import keras\n{line}\n")
    assert d.help is None or "Python 2" not in d.help


# ------------------------------------------------------------------ what a file looks like


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_rows_follow_python_line_ends(newline: str) -> None:
    source = newline.join(["import keras", "x = 1", 'print "a"', "y = 2", ""])
    d = syntax_error(source)
    assert (d.location.row, d.location.column) == (3, 1)
    assert d.source_lines == ('print "a"',)


def test_columns_count_a_tab_and_a_non_ascii_letter_as_one_character() -> None:
    d = syntax_error('import keras\nif x:\n\tnom = "é" + (\n')
    assert d.message == "SyntaxError: '(' was never closed"
    assert d.location == Location(3, 14)


def test_a_byte_order_mark_takes_no_column(tmp_path: Path) -> None:
    # Through the API (the text still has its mark) ...
    d = syntax_error("\ufeffx = keras + (1\n")
    assert d.message == "SyntaxError: '(' was never closed" and d.location == Location(1, 13)
    assert d.source_lines == ("x = keras + (1",)
    # ... and through the command line (the mark is dropped when the file is read).
    (tmp_path / "bom.py").write_bytes("\ufeffx = keras + (1\n".encode())
    result = tdlint("bom.py", "--output-format", "concise", "-n", cwd=tmp_path)
    assert "bom.py:1:13: TDL000 SyntaxError: '(' was never closed" in result.stdout


def test_a_file_in_another_encoding_is_located_by_characters(tmp_path: Path) -> None:
    text = '# -*- coding: latin-1 -*-\nimport keras\nname = "café"; x = 1\u00a0+ 2\n'
    (tmp_path / "latin.py").write_bytes(text.encode("latin-1"))
    result = tdlint("latin.py", "--output-format", "json", "-n", cwd=tmp_path)
    (d,) = json.loads(result.stdout)
    assert d["message"] == "SyntaxError: invalid non-printable character U+00A0"
    assert d["location"] == {"row": 3, "column": 21}
    assert d["end_location"] == {"row": 3, "column": 22}


def test_full_format_shows_the_line_carets_and_hint(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text('import keras\n\nprint "hello"\n')
    result = tdlint("old.py", "-n", "--color", "never", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "TDL000 SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n"
        " --> old.py:3:1\n"
        "  |\n"
        '3 | print "hello"\n'
        "  | ^^^^^^^^^^^^^\n"
        "  |\n"
        "  = help: This looks like Python 2 code (a `print` statement)"
    )


# ------------------------------------------------------------------ notebooks


def test_syntax_errors_are_mapped_into_their_notebook_cell(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            cell(["# A model\n"], "markdown"),
            cell(["import keras\n", "x = 1\n"]),
            cell(["%matplotlib inline\n", "y = 2\n"]),
            cell(["z = 3\n", "s = '''never\n", "closed\n"]),  # the third code cell
            cell(["w = 4\n"]),
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write_notebook(tmp_path / "nb.ipynb", notebook)
    result = tdlint("nb.ipynb", "--output-format", "json", "-n", cwd=tmp_path)
    (d,) = json.loads(result.stdout)
    assert (d["cell"], d["location"], d["end_location"]) == (
        4,  # the notebook's 4th cell: its 3rd code cell
        {"row": 2, "column": 5},
        {"row": 2, "column": 6},
    )
    # Each cell is compiled on its own, as IPython runs it; the message names the cell.
    assert d["message"] == (
        "SyntaxError: unterminated triple-quoted string literal (detected at cell 4, line 3)"
    )
    notebook["cells"][3]["source"] = ["z = 3\n", 'print "x"\n']
    write_notebook(tmp_path / "nb.ipynb", notebook)
    result = tdlint("nb.ipynb", "--output-format", "concise", "-n", cwd=tmp_path)
    assert "nb.ipynb:cell 4:2:1: TDL000 SyntaxError: Missing parentheses" in result.stdout


# ------------------------------------------------------------------ LibCST's own gaps

# A backslash line opening a block: Python joins it to the next line, LibCST 1.9 wants an
# indent first ("expected INDENT").
LIBCST_GAP = "import keras\n\n\ndef build():\n\\\n    return keras.Sequential()\n"


def test_code_python_accepts_but_libcst_cannot_read_is_not_called_an_error() -> None:
    try:
        cst.parse_module(LIBCST_GAP)
    except cst.ParserSyntaxError:
        pass
    else:  # pragma: no cover - the gap is closed: the file is simply checked now
        assert api.check_source(LIBCST_GAP, "x.py") == []
        pytest.skip("this LibCST reads the construct")
    compile(LIBCST_GAP, "<test>", "exec")  # Python accepts it
    d = syntax_error(LIBCST_GAP)
    python = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert d.message == (
        f"tdlint's parser (LibCST) cannot read this code, which {python} accepts: expected INDENT"
    )
    assert where(d) == (6, 5, 6, 11)  # `return`, the token LibCST could not take
    assert d.help is not None and "gap in LibCST" in d.help


def test_a_libcst_failure_on_valid_code_is_reported_at_libcst_position(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Simulated: whatever LibCST's version, its parser rejects valid code with its own words.
    def reject(source: str) -> cst.Module:
        raise cst.ParserSyntaxError(
            'parser error: error at 2:13: "\\u{a0}" unexpected here',
            lines=source.splitlines(),
            raw_line=1,
            raw_column=0,
        )

    monkeypatch.setattr("tdlint.engine.parse_for_analysis", reject)
    d = syntax_error("import keras\nmodel = keras.Sequential()\n")
    assert d.message.endswith("accepts: U+00A0 (NO-BREAK SPACE) unexpected here")
    assert where(d) == (2, 9, 2, 14)  # `keras`, the last token before 2:13
    assert d.source_lines == ("model = keras.Sequential()",)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "parser error: error at 3:13: expected one of !=, %, NEWLINE",
            "expected one of !=, %, NEWLINE",
        ),
        (
            'tokenizer error: "\\u{a0}" is not a valid identifier',
            "U+00A0 (NO-BREAK SPACE) is not a valid identifier",
        ),
        (
            "tokenizer error: '\\u{b}' is not a valid character in this position",
            "U+000B is not a valid character in this position",
        ),
        ("tokenizer error: unterminated string literal", "unterminated string literal"),
        ("", "cannot parse"),
    ],
)
def test_libcst_messages_are_cleaned(raw: str, clean: str) -> None:
    assert syntax.clean_libcst_message(raw) == clean


# ------------------------------------------------------------------ agreement with Python

# Errors Python's parser finds in code that LibCST reads: tdlint checks such files as usual.
LIBCST_READS = ("(unicode error)", "bytes can only contain ASCII")


# The analysis evaluates string literals through LibCST (``ast.literal_eval``), which warns
# about a mutant's bad escapes.
@pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")
def test_tdlint_agrees_with_python_on_mutated_files() -> None:
    rng = random.Random(20240607)
    texts = [path.read_text() for path in EXAMPLES]
    characters = "()[]{}:,=\"'`\\ \t\n#.@*+-<>!0a%;"
    agreed = 0
    for _ in range(400):
        text = rng.choice(texts)
        at = rng.randrange(len(text))
        edit = rng.choice(("delete", "insert", "replace"))
        if edit == "delete":
            mutant = text[:at] + text[at + 1 :]
        else:
            new = rng.choice(characters)
            mutant = text[:at] + new + text[at + (edit == "replace") :]
        expected = syntax.python_syntax_error(mutant)
        found = [d for d in api.check_source(mutant, "m.py") if d.code == "TDL000"]
        if expected is None:
            assert found == [], mutant
        elif found:
            (d,) = found
            assert d.message.endswith(f"Error: {expected.msg}"), mutant
            assert (d.location.row, d.location.column) == (expected.lineno, expected.offset)
            agreed += 1
        else:
            assert expected.msg.startswith(LIBCST_READS), (expected.msg, mutant)
    assert agreed > 100  # most single-character edits break a file


def test_a_syntax_error_cannot_be_suppressed_by_a_comment() -> None:
    for source in (
        'import keras\nprint "hello"  # noqa: TDL000\n',
        '# tdlint: noqa\nimport keras\nprint "hello"\n',
    ):
        assert syntax_error(source).message.startswith("SyntaxError: Missing parentheses")
    assert api.check_source('import keras\nprint "hello"\n', "x.py", ignore=["TDL000"]) == []
