"""IPython syntax in a notebook cell, found where IPython finds it.

tdlint must read as Python exactly what IPython runs as Python, no more (a magic reported as a
syntax error) and no less (a real syntax error hidden as a magic). IPython turns a cell into
Python in these steps (``IPython.core.inputtransformer2`` and ``InteractiveShell.transform_cell``),
which this module follows without importing IPython:

1. Cleanup: leading blank lines are dropped and the indentation common to all lines is removed
   (a cell whose lines are all indented runs). A cell pasted from a console (``>>>``,
   ``In [1]:``) has its prompts stripped; tdlint does not check such cells.
2. A cell magic: ``%%name`` on the first line takes the whole cell. The body of ``%%time``,
   ``%%timeit``, ``%%capture``... is a cell again, read by the same rules.
3. Token rules, on *logical* lines (brackets, strings and backslashes join physical lines, as
   for Python's tokenizer), one construct at a time from the top:
   - help: a logical line whose last token is ``?`` (``obj?``, ``obj.attr??``, ``%magic?``);
   - escapes: a logical line whose first token is ``%`` (magic), ``!`` / ``!!`` (shell), ``?`` /
     ``??`` (help) or ``/``, ``,``, ``;`` (autocall), with the lines its trailing backslashes
     continue. A line starting with ``%`` *inside* brackets (black's ``"..." % args``) is Python;
   - assignments: ``x = %magic args`` and ``x = !cmd`` (the first ``=`` outside brackets).
4. Automagic, done by the shell and only for a cell of a single line: ``pip install keras``,
   ``cd data`` or ``ls -l`` run the magic of that name when the line is not Python. In a cell
   of several lines IPython does not do this, and the cell fails with a SyntaxError.

What tdlint reads in place of a construct keeps the line count and the meaning for the
analysis: ``pass`` for a magic, a shell command or a help query, ``x = ...`` for an assignment
from one (``x`` stays bound), the call IPython makes for an autocall (``/f a b`` is
``f(a, b)``). Whether the result is valid is then Python's own verdict (``compile``), as it is
for IPython.
"""

from __future__ import annotations

import ast
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

from tdlint.syntax import python_problem


def _words(text: str) -> list[str]:
    return text.split()


# Cell magics whose body is Python that IPython compiles when the cell runs: the body is read
# as a cell of its own. The body of any other cell magic (%%bash, %%writefile, %%html...) is
# not Python tdlint should check.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "tensorflow_version"}
)

# Line magics a Jupyter kernel runs when typed without ``%`` (automagic): IPython's own, its
# shell aliases on POSIX (ls, cp, mkdir...), ipykernel's (clear, less, more, man) and the
# package managers'. tests/test_notebook_oracle.py checks this covers IPython's list.
AUTOMAGICS = frozenset(
    _words(
        """
        alias alias_magic autoawait autocall automagic autosave bookmark cat cd clear code_wrap
        colors conda config connect_info cp debug dhist dirs doctest_mode ed edit env gui hist
        history killbgscripts ldir less lf lk ll load load_ext loadpy logoff logon logstart
        logstate logstop ls lsmagic lx macro magic mamba man matplotlib micromamba mkdir more
        mv notebook page pastebin pdb pdef pdoc pfile pinfo pinfo2 pip popd pprint precision
        prun psearch psource pushd pwd pycat pylab qtconsole quickref recall rehashx reload_ext
        rep rerun reset reset_selective rm rmdir run save sc set_env store sx system tb time
        timeit unalias unload_ext uv who who_ls whos xdel xmode
        """
    )
)

_ESCAPES = frozenset("%!?/,;")
_BRACKETS_OPEN = frozenset("([{")
_BRACKETS_CLOSE = frozenset(")]}")
# Python's operators, longest first so that ``!=`` and ``%=`` are one token (neither is an
# escape: ``%=3`` at the start of a line is not a magic, for IPython either).
_OPERATORS = sorted(
    _words(
        """!= % %= & &= ( ) * ** **= *= + += , - -= -> . ... / // //= /= : := ; < << <<= <= = ==
        > >= >> >>= @ @= [ ] ^ ^= { | |= } ~"""
    ),
    key=len,
    reverse=True,
)
_OPERATOR = re.compile("|".join(re.escape(op) for op in _OPERATORS))
_NAME = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"\.?\d[\w.]*")
# What a help query asks about, right before the final ``?``: a name, dotted names, literal
# integer subscripts, ``*`` wildcards, with ``%`` or ``%%`` for a magic. IPython replaces the
# whole logical line by the query when the end of the line is this; otherwise it leaves the line
# alone (``print(x)?`` and ``x ?`` are syntax errors).
_HELP_TARGET = re.compile(
    r"""
    %{0,2} (?!\d)[\w*]+                       # a name, maybe a magic's
    (?: \.(?!\d)[\w*]+ | \[-?[0-9]+\] )*      # .attribute or [0]
    \?\?? $                                   # ? or ??, ending the line
    """,
    re.VERBOSE,
)
# The start of a console prompt: ``>>>`` (Python, doctest) anywhere outside a string, or an
# IPython ``In [1]:`` / ``...:`` prompt on one of the first two lines.
_CLASSIC_PROMPT = re.compile(r"^[ \t]*>>>")
_IPYTHON_PROMPT = re.compile(r"^(?:(?:\[(?:nav|ins)\])? ?In \[\d+\]: |\s*\.{3,}: ?)")
_INDENT = re.compile(r"[ \t]*")
# A physical line that could be part of a construct: one starting with an escape character,
# ending with ``?``, or with ``=`` then ``%`` or ``!`` (a backslash may come between them).
_CANDIDATE = re.compile(r"^[ \t]*[%!?/,;]|\?[ \t]*\r?$|=[ \t]*(?:\\\r?$|[%!])")
# ``ifun`` and the rest, as the shell splits a line to look for an automagic.
_AUTOMAGIC_SPLIT = re.compile(r"^\s*(%{0,2}[\w.*]*)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Hidden:
    """Physical lines ``first..last`` (0-based, inclusive) of IPython syntax. ``head`` is the
    Python read on the first of them in their place ("" for none: a comment line); the others
    read as comment lines."""

    first: int
    last: int
    head: str
    kind: str  # what it is, for tests and messages: "magic", "shell", "help", ...


@dataclass
class CellSyntax:
    """A code cell as IPython reads it, line for line.

    ``lines`` are the cell's physical lines as stored. Line ``i`` reads as Python as
    ``lines[i]`` without the ``margin`` indentation unless it is in one of ``hidden``; a
    whitespace-only line is left as it is. ``not_python`` says why a cell is not Python at all
    (a ``%%bash`` cell).
    """

    lines: list[str]
    margin: str = ""
    hidden: list[Hidden] = field(default_factory=list)
    not_python: str | None = None

    def python_lines(self) -> list[tuple[str, Hidden | None]]:
        """Each physical line as Python, without its line ending, and the construct it is part
        of (None for a line of Python)."""
        owner: dict[int, Hidden] = {}
        for block in self.hidden:
            for row in range(block.first, block.last + 1):
                owner[row] = block
        out: list[tuple[str, Hidden | None]] = []
        for row, line in enumerate(self.lines):
            block = owner.get(row)
            if self.not_python is not None:
                out.append(("", None))
            elif block is not None:
                out.append((block.head if row == block.first else "", block))
            else:
                out.append((_strip_ending(self.strip_margin(line)), None))
        return out

    def strip_margin(self, line: str) -> str:
        return line if _is_blank(line) else line[len(self.margin) :]

    def python_source(self) -> str:
        """The cell as the Python that IPython would compile, line for line."""
        if self.not_python is not None:
            return ""
        return "".join(text + "\n" for text, _ in self.python_lines())


class CellError(NamedTuple):
    """A cell IPython cannot compile: Python's message and where (0-based rows of the cell,
    1-based columns, end exclusive), with the hint ``tdlint.syntax`` gives any file."""

    message: str
    row: int
    column: int
    end_row: int
    end_column: int
    help: str | None = None


def read_cell(lines: list[str]) -> CellSyntax:
    """The cell's lines (each with its line ending, the last one maybe without) as IPython
    reads them."""
    cell = CellSyntax(list(lines))
    if not lines:
        return cell
    first = _first_code_row(lines)
    if first is None:
        return cell
    cell.margin = _common_indent(lines, first)
    python = [cell.strip_margin(line) for line in lines] if cell.margin else list(lines)
    python[-1] = _with_newline(python[-1])
    if _has_prompts(python, first):
        cell.not_python = "console prompts (>>>, In [1]:)"
        return cell
    header = python[first]
    if header.startswith("%%") and not re.match(r"%%\w+\?", header):
        name = header[2:].rstrip().partition(" ")[0]
        if name not in PYTHON_CELL_MAGICS:
            cell.not_python = f"cell magic %%{name}"
            return cell
        # The body is a cell of its own: IPython transforms and compiles it when the magic runs.
        body = read_cell(lines[first + 1 :])
        if body.not_python is not None:
            cell.not_python = f"cell magic %%{name} around {body.not_python}"
            return cell
        offset = first + 1
        cell.hidden.append(Hidden(first, first, "", "python cell magic"))
        cell.hidden.extend(
            Hidden(h.first + offset, h.last + offset, h.head, h.kind) for h in body.hidden
        )
        # The body's own common indentation, counted on the stored lines, includes the cell's.
        cell.margin = body.margin
        return cell
    cell.hidden = _token_constructs(python, first, _last_candidate_row(python))
    if not cell.hidden:
        automagic = _automagic(python, first)
        if automagic is not None:
            cell.hidden = [automagic]
    return cell


def compile_error(source: str) -> CellError | None:
    """Python's verdict on a cell's source, as IPython's ``run_cell`` reaches it: parsed with
    top-level ``await`` allowed, then each top-level statement compiled on its own (so
    ``return`` outside a function is an error, a late ``from __future__`` import is not).
    Nothing is run. Rows are 0-based; a too deeply nested cell counts as valid (the engine's
    own guards deal with it)."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "invalid escape sequence" and the like
            tree = compile(source, "<cell>", "exec", flags | ast.PyCF_ONLY_AST, dont_inherit=True)
            for statement in tree.body:
                module = ast.Module(body=[statement], type_ignores=[])
                compile(module, "<cell>", "exec", flags, dont_inherit=True)
    except SyntaxError as exc:
        if exc.lineno is None:
            return CellError(f"{type(exc).__name__}: {exc.msg}", 0, 1, 0, 2)
        problem = python_problem(source, exc)
        start, end = problem.location, problem.end_location
        return CellError(
            problem.message, start.row - 1, start.column, end.row - 1, end.column, problem.help
        )
    except ValueError as exc:  # a NUL character
        return CellError(f"SyntaxError: {exc}", 0, 1, 0, 2)
    except (RecursionError, MemoryError, OverflowError):
        return None
    return None


# ---------------------------------------------------------------------------------- cleanup


def _is_blank(line: str) -> bool:
    """Blank as ``textwrap.dedent`` sees it: nothing but spaces and tabs."""
    return not line.rstrip("\r\n").strip(" \t")


def _strip_ending(line: str) -> str:
    return line.rstrip("\r\n")


def _with_newline(line: str) -> str:
    return line if line.endswith(("\n", "\r")) else line + "\n"


def _first_code_row(lines: list[str]) -> int | None:
    """The first line IPython keeps: leading empty and whitespace-only lines are dropped."""
    for row, line in enumerate(lines):
        if line and not line.isspace():
            return row
    return None


def _common_indent(lines: list[str], first: int) -> str:
    """The indentation common to every non-blank line, which IPython removes (``dedent``)."""
    if lines[first][:1] not in (" ", "\t"):
        return ""  # the usual case, decided by the first line of code
    indents = [_INDENT.match(line).group() for line in lines if not _is_blank(line)]  # type: ignore[union-attr]
    return os.path.commonprefix(indents) if indents else ""


def _has_prompts(lines: list[str], first: int) -> bool:
    if any(_IPYTHON_PROMPT.match(line) for line in lines[first : first + 2]):
        return True
    if not any(_CLASSIC_PROMPT.match(line) for line in lines):
        return False
    in_string = _rows_starting_in_strings(lines)
    return any(
        _CLASSIC_PROMPT.match(line) and row not in in_string for row, line in enumerate(lines)
    )


def _rows_starting_in_strings(lines: list[str]) -> set[int]:
    rows: set[int] = set()
    row = 0
    while row < len(lines):
        group = _scan_group(lines, row)
        rows.update(group.string_rows)
        row = group.last + 1
    return rows


# ---------------------------------------------------------------------------------- tokens


class _Token(NamedTuple):
    kind: str  # NAME NUMBER STRING OP COMMENT ERROR NEWLINE NL
    text: str
    row: int
    column: int


@dataclass
class _Group:
    """One logical line, as IPython groups tokens: up to a NEWLINE, or up to a line end outside
    brackets (a blank or comment line is a group of its own)."""

    tokens: list[_Token]
    first: int
    last: int
    # Rows (after the first) that begin inside a string that an earlier row opened.
    string_rows: list[int] = field(default_factory=list)


def _string_end(text: str, start: int, quote: str) -> int | str:
    """Where the string whose body starts at ``start`` ends in ``text`` (one line without its
    line ending), or "continues" (a triple-quoted string, or an escaped line end) or
    "unterminated"."""
    pos = start
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            if pos == len(text) - 1:
                return "continues"
            pos += 2
            continue
        if text.startswith(quote, pos):
            return pos + len(quote)
        pos += 1
    return "continues" if len(quote) == 3 else "unterminated"


def _scan_group(lines: list[str], start: int) -> _Group:
    """Tokenize from physical line ``start`` (outside any string or bracket) to the end of its
    logical line. Like Python's tokenizer, an unterminated one-line string is an error token
    for its quote and scanning goes on after it; a string still open at the end of the cell
    gives no token."""
    tokens: list[_Token] = []
    string_rows: list[int] = []
    depth = 0
    quote: str | None = None
    quote_start = (0, 0)
    row = start
    while row < len(lines):
        text = _strip_ending(lines[row])
        column = 0
        if quote is not None:
            string_rows.append(row)
            end = _string_end(text, 0, quote)
            if isinstance(end, str):
                row += 1
                continue
            tokens.append(_Token("STRING", quote, *quote_start))
            quote = None
            column = end
        continued = False
        while column < len(text):
            char = text[column]
            if char in " \t\f":
                column += 1
            elif char == "#":
                tokens.append(_Token("COMMENT", text[column:], row, column))
                column = len(text)
            elif char == "\\":
                if column == len(text) - 1:
                    continued = True
                else:
                    tokens.append(_Token("ERROR", char, row, column))
                column += 1
            elif char in "'\"":
                opener = char * 3 if text.startswith(char * 3, column) else char
                end = _string_end(text, column + len(opener), opener)
                if end == "unterminated":
                    tokens.append(_Token("ERROR", char, row, column))
                    column += 1
                elif end == "continues":
                    quote, quote_start = opener, (row, column)
                    column = len(text)
                else:
                    assert isinstance(end, int)
                    tokens.append(_Token("STRING", text[column:end], row, column))
                    column = end
            else:
                column = _scan_word(text, column, row, tokens)
                last = tokens[-1].text
                if last in _BRACKETS_OPEN:
                    depth += 1
                elif last in _BRACKETS_CLOSE and depth > 0:
                    depth -= 1
        if quote is not None or continued:
            row += 1
            continue
        if depth > 0:
            tokens.append(_Token("NL", "", row, len(text)))
            row += 1
            continue
        has_code = any(t.kind not in ("COMMENT", "NL") for t in tokens)
        tokens.append(_Token("NEWLINE" if has_code else "NL", "", row, len(text)))
        return _Group(tokens, start, row, string_rows)
    return _Group(tokens, start, len(lines) - 1, string_rows)


def _scan_word(text: str, column: int, row: int, tokens: list[_Token]) -> int:
    """One name, number, operator or stray character at ``column``; returns the next column."""
    for kind, pattern in (("NUMBER", _NUMBER), ("NAME", _NAME), ("OP", _OPERATOR)):
        match = pattern.match(text, column)
        if match:
            tokens.append(_Token(kind, match.group(), row, column))
            return match.end()
    tokens.append(_Token("ERROR", text[column], row, column))
    return column + 1


# ---------------------------------------------------------------------------------- rules


def _continued_end(lines: list[str], row: int) -> int:
    """The last physical line of a magic or shell command: its backslashes continue it."""
    while lines[row].endswith("\\\n") and row + 1 < len(lines):
        row += 1
    return row


def _last_candidate_row(lines: list[str]) -> int:
    """The last row where a construct could be: tokenizing costs, and most cells have no IPython
    syntax, or only at the top. -1 when there is none."""
    for row in range(len(lines) - 1, -1, -1):
        if _CANDIDATE.search(lines[row]):
            return row
    return -1


def _token_constructs(lines: list[str], first: int, last_candidate: int) -> list[Hidden]:
    """The help queries, escapes and magic assignments of a (cleaned) cell, in order. Logical
    lines are read from the top, since strings and brackets decide where each one starts, but
    only as far as the last row that could hold a construct."""
    found: list[Hidden] = []
    row = first
    while row <= last_candidate:
        group = _scan_group(lines, row)
        construct = _construct(lines, group)
        if construct is None:
            row = group.last + 1
        else:
            found.append(construct)
            row = construct.last + 1
    return found


def _construct(lines: list[str], group: _Group) -> Hidden | None:
    """The IPython construct that starts in this logical line, if any, in IPython's order of
    preference: a help query, then an escape, then an assignment."""
    code = [t for t in group.tokens if t.kind not in ("NEWLINE", "NL")]
    if not code:
        return None
    head = code[0]
    indent = lines[head.row][: head.column]
    if code[-1].text == "?" and group.tokens[-1].kind in ("NEWLINE", "NL"):
        last = code[-1].row
        query = "".join(lines[head.row : last + 1])[head.column :]
        if _HELP_TARGET.search(query):
            return Hidden(head.row, last, indent + "pass", "help")
    if head.kind in ("OP", "ERROR") and head.text in _ESCAPES:
        return _escape(lines, head, indent)
    return _assignment(lines, group.tokens)


def _escape(lines: list[str], head: _Token, indent: str) -> Hidden | None:
    last = _continued_end(lines, head.row)
    command = _joined_command(lines, head.row, head.column, last)
    escape = command[:2] if command[:2] in ("!!", "??") else command[:1]
    kind = {"%": "magic", "!": "shell", "!!": "shell", "?": "help", "??": "help"}.get(escape)
    if kind is not None:
        return Hidden(head.row, last, indent + "pass", kind)
    # Autocall: IPython calls the first word with the rest as arguments.
    name, _, args = command[1:].partition(" ")
    if escape == "/":
        if not name:
            return None  # IPython refuses "/ x" and leaves the line as it is
        call = f"{name}({', '.join(args.split())})"
    elif escape == ",":
        call = '{}("{}")'.format(name, '", "'.join(args.split()))
    else:
        call = f'{name}("{args}")'
    return Hidden(head.row, last, indent + call, "autocall")


def _joined_command(lines: list[str], row: int, column: int, last: int) -> str:
    """A command and its backslash-continued lines as one line, the way IPython joins them."""
    parts = [lines[row][column:], *lines[row + 1 : last + 1]]
    return " ".join([p.rstrip()[:-1] for p in parts[:-1]] + [parts[-1].rstrip()])


def _assignment(lines: list[str], tokens: list[_Token]) -> Hidden | None:
    """``x = %magic ...`` or ``x = !cmd``: the first ``=`` outside brackets followed by ``%``
    and a name, or by ``!``."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.text in _BRACKETS_OPEN:
            depth += 1
        elif token.text in _BRACKETS_CLOSE:
            depth = max(depth - 1, 0)
        elif token.text == "=" and token.kind == "OP" and depth == 0:
            after = tokens[index + 1 : index + 3]
            magic = (
                len(after) == 2
                and after[0].text == "%"
                and after[0].kind == "OP"
                and after[1].kind == "NAME"
            )
            shell = (
                bool(after)
                and after[0].text == "!"
                and not lines[token.row].strip().startswith("=")
            )
            if not (magic or shell):
                return None
            start = after[0]
            last = _continued_end(lines, start.row)
            value = lines[start.row][: start.column] + "..."
            return Hidden(start.row, last, value, "magic" if magic else "shell")
    return None


def _automagic(lines: list[str], first: int) -> Hidden | None:
    """A cell of one line that is not Python but starts with a line magic's name (``pip
    install keras``, ``cd ..``): the shell runs the magic. Only for a cell of one line, as in
    IPython; a line of Python stays Python even when it starts with a magic's name."""
    if len(lines) - first != 1:
        return None
    line = lines[first]
    match = _AUTOMAGIC_SPLIT.match(_strip_ending(line))
    assert match is not None
    name, rest = match.group(1), match.group(2).lstrip()
    if name not in AUTOMAGICS or rest[:1] in ("=", ","):
        return None
    if compile_error(line) is None:
        return None
    return Hidden(first, first, "pass", "automagic")
