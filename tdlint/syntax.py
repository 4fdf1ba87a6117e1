"""What TDL000 says about a file that does not parse: Python's own diagnosis.

LibCST's errors are written for its parser, not for the person who wrote the file: "expected
one of !=, %, &, ..." for a Python 2 ``print``, tokenizer errors placed at 1:1, a position
past the token that failed. Python's compiler says "Missing parentheses in call to 'print'"
or "'(' was never closed" where a person must look. So when LibCST fails, the file is
compiled to an AST (never run) and Python's message and range are reported.

If Python accepts the file, the fault is LibCST's (its grammar lags behind Python's, or has a
bug): TDL000 then says so plainly, at LibCST's position, with LibCST's message cleaned up.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import tokenize
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace

import libcst as cst

from tdlint.diagnostics import Location
from tdlint.positions import LINE_END, line_starts

_BOM = "\ufeff"
_PYTHON = f"Python {sys.version_info[0]}.{sys.version_info[1]}"


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a file cannot be read, where, and what to do about it."""

    message: str
    location: Location
    end_location: Location
    help: str | None = None


def from_parser_error(
    source: str, error: cst.ParserSyntaxError, row_label: Callable[[int], str] | None = None
) -> SyntaxProblem:
    """The problem to report for a file LibCST's parser rejected. ``row_label`` names a row
    of the source in messages that mention one ("cell 4, line 2" in a notebook)."""
    problem = _diagnose(source, error.message, _libcst_location(error), whole_compiler=False)
    return _relabelled(problem, row_label)


def from_invalid_tree(
    source: str, libcst_message: str, row_label: Callable[[int], str] | None = None
) -> SyntaxProblem:
    """The problem to report for code LibCST parsed but refused to build (``"a" b"b"``, a
    bare ``except:`` before another handler). LibCST's error has no position; the second of
    these is found by Python's compiler proper, not its parser, hence ``whole_compiler``."""
    problem = _diagnose(source, libcst_message, None, whole_compiler=True)
    return _relabelled(problem, row_label)


# "(detected at line 12)", "after 'if' statement on line 3": rows of the checked source.
_ROW_MENTION = re.compile(r"\b(at|on) line (\d+)\b")


def _relabelled(problem: SyntaxProblem, row_label: Callable[[int], str] | None) -> SyntaxProblem:
    if row_label is None:
        return problem
    return replace(problem, message=relabel_rows(problem.message, row_label))


def relabel_rows(message: str, row_label: Callable[[int], str]) -> str:
    """Python's message with the rows it mentions named by ``row_label``."""
    return _ROW_MENTION.sub(lambda m: f"{m.group(1)} {row_label(int(m.group(2)))}", message)


def _diagnose(
    source: str, libcst_message: str, libcst_at: Location | None, whole_compiler: bool
) -> SyntaxProblem:
    # A byte-order mark is not part of the text (editors count no column for it); Python's
    # compiler would call it an invalid character.
    text = source[1:] if source.startswith(_BOM) else source
    null = text.find("\0")
    if null >= 0:
        # Python 3.11 reports null bytes without a position, 3.12 with one: be the same on all.
        at = _location_of(text, null)
        return SyntaxProblem(
            "SyntaxError: source code cannot contain null bytes",
            at,
            Location(at.row, at.column + 1),
        )
    try:
        error = python_syntax_error(text, whole_compiler=whole_compiler)
    except NoVerdict:
        return _libcst_problem(text, libcst_message, libcst_at, python_accepts=False)
    if error is None:
        return _libcst_problem(text, libcst_message, libcst_at, python_accepts=True)
    return python_problem(text, error)


class NoVerdict(Exception):
    """Python's compiler could not decide (it ran out of stack or memory)."""


def python_syntax_error(source: str, whole_compiler: bool = False) -> SyntaxError | None:
    """Python's ``SyntaxError`` for ``source``, or None if Python accepts it. Only compiled
    (to an AST, unless ``whole_compiler``), never run; warnings about the code are silenced.
    Top-level ``await`` is allowed: notebooks have it. Raises ``NoVerdict``."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT | (0 if whole_compiler else ast.PyCF_ONLY_AST)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "invalid escape sequence" and the like
            compile(source, "<tdlint>", "exec", flags=flags, dont_inherit=True)
    except SyntaxError as error:  # IndentationError and TabError too
        if error.lineno is None:
            raise NoVerdict from None
        return error
    except (ValueError, RecursionError, MemoryError):
        raise NoVerdict from None
    return None


# ------------------------------------------------------------------ Python's diagnosis


def python_problem(text: str, error: SyntaxError) -> SyntaxProblem:
    """What to report for Python's ``error`` on ``text``: its message, its range (one
    character when Python gives none) and a hint for Python 2 code or a newer Python."""
    lines = LINE_END.split(text)
    row = error.lineno or 1
    column = max(error.offset or 1, 1)
    start = Location(row, column)
    end_row, end_column = error.end_lineno, error.end_offset
    # Python gives no end, or one at or before the start (0 and -1 both occur): one character.
    if end_row is None or end_column is None or (end_row, end_column) <= (row, column):
        end = Location(row, column + 1)
    else:
        end = Location(end_row, end_column)
    line = lines[row - 1] if row <= len(lines) else ""
    message = f"{type(error).__name__}: {error.msg}"
    return SyntaxProblem(message, start, end, _python2_help(error, line) or _version_help(error))


# Python's messages that only Python 2 code gets, and the construct each one means.
_PYTHON2_MESSAGES = (
    ("Missing parentheses in call to 'print'", "a `print` statement"),
    ("Missing parentheses in call to 'exec'", "an `exec` statement"),
    ("Function parameters cannot be parenthesized", "a tuple parameter like `def f((a, b))`"),
    ("Lambda expression parameters cannot be parenthesized", "a tuple parameter in a `lambda`"),
)
# ``except ValueError, e:``: a lower-case name after the comma is Python 2's ``as`` target
# (``except ValueError, TypeError:`` is a Python 3 slip as likely as Python 2).
_EXCEPT_COMMA = re.compile(r"^\s*except\s+[\w.]+\s*,\s*[a-z_]\w*\s*:")
_RAISE_COMMA = re.compile(r"^\s*raise\s+[\w.]+\s*,")
_LONG_LITERAL = re.compile(r"\b(?:0[xX][0-9a-fA-F]+|[0-9]+)[lL]\b")
_OCTAL_LITERAL = re.compile(r"0[0-7]{2,}[lL]?\b")
_UR_PREFIX = re.compile(r"\b[uU][rR]$")


def _python2_construct(error: SyntaxError, line: str) -> str | None:
    """The Python 2 construct Python's error points at, if it is certainly one."""
    message = error.msg
    for start, construct in _PYTHON2_MESSAGES:
        if message.startswith(start):
            return construct
    column = max((error.offset or 1) - 1, 0)
    if message.startswith("leading zeros in decimal integer literals are not permitted"):
        # ``0755`` is a Python 2 file mode; ``09`` was never valid, ``01`` may be a date.
        octal = _OCTAL_LITERAL.match(line, column)
        return "an octal literal like `0755`" if octal else None
    if message.startswith("multiple exception types must be parenthesized"):
        return "`except X, e:`" if _EXCEPT_COMMA.match(line) else None
    if message.startswith(("invalid decimal literal", "invalid hexadecimal literal")):
        for match in _LONG_LITERAL.finditer(line):
            if match.start() <= column < match.end():
                return "a long integer literal like `10L`"
        return None
    if not message.startswith("invalid syntax"):
        return None
    here = line[column:]
    if here.startswith("`"):
        return "backticks for `repr`"
    if here.startswith("<>"):
        return "the `<>` operator"
    if here[:1] in ("'", '"') and _UR_PREFIX.search(line[:column]):
        return 'a `ur""` string'
    if here.startswith(",") and _RAISE_COMMA.match(line[: column + 1]):
        return '`raise E, "message"`'
    return None


def _python2_help(error: SyntaxError, line: str) -> str | None:
    construct = _python2_construct(error, line)
    if construct is None:
        return None
    return (
        f"This looks like Python 2 code ({construct}): tdlint checks Python 3. Port the file "
        "first, e.g. with `2to3` (shipped with Python 3.12 and earlier)."
    )


def _version_help(error: SyntaxError) -> str | None:
    """A word about syntax newer than the Python tdlint runs on, where that may be the cause."""
    if error.msg.startswith("f-string") and sys.version_info < (3, 12):
        return (
            f"{_PYTHON} checked this file. Python 3.12 accepts more inside f-strings (the "
            "same quotes, backslashes, comments): if the file is for Python 3.12 or later, "
            "run tdlint with that Python."
        )
    if error.msg == "invalid syntax":
        return (
            f"{_PYTHON} checked this file: if it is written for a newer Python, "
            "run tdlint with that Python."
        )
    return None


# ------------------------------------------------------------------ LibCST's diagnosis


def _libcst_problem(
    text: str, libcst_message: str, at: Location | None, python_accepts: bool
) -> SyntaxProblem:
    reason = clean_libcst_message(libcst_message)
    if not python_accepts:
        # Python's compiler gave up too (far too deeply nested code, say).
        where = at or Location(1, 1)
        return SyntaxProblem(f"SyntaxError: {reason}", where, Location(where.row, where.column + 1))
    start, end = _token_at(text, at) if at is not None else (Location(1, 1), Location(1, 2))
    return SyntaxProblem(
        f"tdlint's parser (LibCST) cannot read this code, which {_PYTHON} accepts: {reason}",
        start,
        end,
        "Python accepts this code: it is a gap in LibCST, not an error in the file. tdlint "
        "cannot check the file until LibCST reads it (a newer LibCST may); exclude it meanwhile.",
    )


_ERROR_AT = re.compile(r"^error at (\d+):(\d+): ")
_KIND = re.compile(r"^(?:parser|tokenizer) error: ")
_RUST_ESCAPE = re.compile(r"""(["']?)\\u\{([0-9a-fA-F]{1,6})\}\1""")


def clean_libcst_message(message: str) -> str:
    """LibCST's message without its "parser error: error at L:C:" prefix (the position is
    reported on its own) and with Rust escapes (``"\\u{a0}"``) as ``U+00A0 (NO-BREAK SPACE)``."""
    first = message.strip().splitlines()[0] if message.strip() else "cannot parse"
    first = _ERROR_AT.sub("", _KIND.sub("", first))
    return _RUST_ESCAPE.sub(lambda m: _character_name(int(m.group(2), 16)), first)


def _character_name(code: int) -> str:
    name = unicodedata.name(chr(code), "") if code <= sys.maxunicode else ""
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _libcst_location(error: cst.ParserSyntaxError) -> Location:
    """Where LibCST's parser stopped: the "error at L:C" in its message (line 1-based, column
    0-based, just past the token it could not take and the blanks after it) is right where its
    other positions are not (they say 1:1 for every tokenizer error)."""
    first = _KIND.sub("", error.message.strip())
    match = _ERROR_AT.match(first)
    if match is not None:
        return Location(int(match.group(1)), int(match.group(2)))
    return Location(error.editor_line, max(error.editor_column - 1, 0))


# Tokens that are no text a parser can choke on.
_LAYOUT_TOKENS = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.COMMENT,
    tokenize.ENDMARKER,
}


def _token_at(text: str, at: Location) -> tuple[Location, Location]:
    """The 1-based range of the token LibCST stopped after: the last one that starts before
    ``at``. Python tokenizes the file, since it accepts it."""
    found = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
                if token.start >= (at.row, at.column):
                    break
                if token.type not in _LAYOUT_TOKENS:
                    found = token
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        found = None
    if found is not None:
        (row, column), (end_row, end_column) = found.start, found.end
        return Location(row, column + 1), Location(end_row, end_column + 1)
    return Location(at.row, at.column + 1), Location(at.row, at.column + 2)


def _location_of(text: str, offset: int) -> Location:
    starts = line_starts(text)
    row = bisect.bisect_right(starts, offset)
    return Location(row, offset - starts[row - 1] + 1)
