"""IPython syntax in notebook cells: read as IPython reads it, never lost by a fix.

Every notebook here has the imports in cell 1, the cell under test in cell 2, and a model with a
TDL001 finding in cell 3, whose unsafe fix edits cells 1 and 3. So each case checks three
things: cell 2 gives no TDL000 (or exactly the expected one), the model after it is still
analysed, and fixing the notebook leaves cell 2 byte for byte as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tdlint.api import check_file
from tdlint.config import Settings
from tdlint.diagnostics import FileResult, FixMode
from tdlint.notebook import Notebook, NotebookError

IMPORTS = "from keras.models import Sequential\nfrom keras.layers import LSTM, Dense"
MODEL = (
    "model = Sequential()\n"
    "model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))\n"
    "model.add(Dense(1))"
)
FIXED_MODEL_LINE = "model.add(TimeDistributed(Dense(1)))"


def code_cell(source: str | list[str], count: int = 1) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {"tags": ["t"]},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": ["out\n"]}],
        "source": source,
    }


def as_list(source: str) -> list[str]:
    return source.splitlines(keepends=True)


def notebook(*sources: str) -> dict[str, Any]:
    return {
        "cells": [code_cell(as_list(s), i) for i, s in enumerate(sources, start=1)],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(tmp_path: Path, data: dict[str, Any], name: str = "nb.ipynb") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def check(path: Path, fix: FixMode = FixMode.NONE) -> FileResult:
    """Check, or fix with the TimeDistributed wrap (TDL004): a fix that edits the model's cell
    and must leave the IPython cells as they were."""
    strict = ("TDL004",) if fix is not FixMode.NONE else ()
    return check_file(path, Settings(extend_select=strict, unsafe_fixes=True), fix)


def found(result: FileResult) -> list[tuple[str, int | None, int, int]]:
    return [(d.code, d.cell, d.location.row, d.location.column) for d in result.diagnostics]


# Cells IPython runs. Each is also a case where a naive reader goes wrong.
VALID = {
    "line magic": "%matplotlib inline\n%load_ext autoreload",
    "shell escape": "!pip install keras",
    "shell with continuation lines": "!pip install keras \\\n    tensorflow \\\n    numpy\nx = 1",
    "magic with continuation line": "%config InlineBackend.figure_format = \\\n    'retina'",
    "captured shell output": "!!ls",
    "shell assignment": "files = !ls -l\nprint(files)",
    "shell assignment, annotated": "files: list = !ls",
    "magic assignment": "home = %env HOME\nprint(home)",
    "magic assignment after a backslash": "home = \\\n%env HOME",
    "magic inside a block": "for i in range(3):\n    !echo $i\n    %time sum(range(i))",
    "help before": "?Sequential",
    "help after": "Sequential?",
    "detailed help": "??Sequential\nSequential.add??",
    "help on an item": "Sequential.__mro__[0]?",
    "help on a magic": "%time?\n%%time?",
    "help with a wildcard": "Seq*?",
    "help on the last name of a line": "x = 1 if True else Sequential?",
    "pinfo": "%pinfo Sequential",
    "black's % continuation line": 'name = (\n    "lstm_%d_%s"\n    % (1, "a")\n)',
    "a % line in a string": 'text = """\n%not a magic\n!not a shell\nwhy?\n"""',
    "? in comments": "# what is this?\nx = 1  # really?",
    "! and ? in strings": "s = 'hi!'\nt = \"what?\"\nu = '%d' % 3",
    "!= and %= at a line start inside brackets": "x = (1\n     != 2)\ny = 7\ny %= 3",
    "cell magic": "%%bash\necho this is (not python",
    "writefile": "%%writefile model.py\nimport (\n",
    "html": "%%html\n<b>bold</b>",
    "javascript": "%%javascript\nvar x = (;",
    "time with arguments": "%%time -q\nx = [i for i in range(3)]",
    "timeit with options": "%%timeit -n 3 -r 1\nsum(range(10))",
    "capture with IPython syntax in the body": "%%capture out\n!pip install keras\nx = 1",
    "time around an indented body": "%%time\n    x = 1\n    y = x + 1",
    "automagic": "pip install keras",
    "automagic after blank lines": "\n\ncd ..",
    "automagic with options": "ls -la ~/.ipython",
    "automagic of a timer": "timeit sum(range(3))",
    "a magic's name used as Python": "ls = 3\nprint(ls)",
    "indented first line": "    import numpy as np\n    x = np.zeros(3)\n\n    y = x + 1",
    "indented with a whitespace-only line": "  a = 1\n    \n  b = 2",
    "autocall": "/print 1 2",
    "quote autocall": ",print a b",
    "top-level await": "import asyncio\nawait asyncio.sleep(0)",
    "a late __future__ import": "x = 1\nfrom __future__ import annotations",
    "console paste": ">>> x = 1\n>>> print(x)",
    "IPython console paste": "In [1]: x = 1\n   ...: y = 2",
    "%% in the middle of a cell": "x = 1\n%%time\ny = 2",
    "CRLF line ends": "%matplotlib inline\r\nx = 1\r\n!ls\r\n",
}


@pytest.mark.parametrize("source", VALID.values(), ids=VALID.keys())
def test_ipython_syntax_is_read_as_ipython_reads_it(tmp_path: Path, source: str) -> None:
    path = write(tmp_path, notebook(IMPORTS, source, MODEL))
    before = json.loads(path.read_text(encoding="utf-8"))
    # No TDL000, and the model after the cell is analysed.
    assert found(check(path)) == [("TDL001", 3, 3, 11)]
    result = check(path, FixMode.FIX)
    assert result.fixes_applied == 1 and result.error is None, result.error
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["cells"][1] == before["cells"][1]  # the IPython cell, byte for byte
    assert after["cells"][2]["source"][-1] == FIXED_MODEL_LINE
    assert check(path).diagnostics == ()


# Cells IPython cannot run: (cell, row and column of the error, start of Python's message).
INVALID = {
    "help followed by a comment": ("x = 1\nx?  # c", 2, 2, "SyntaxError: invalid syntax"),
    "help on a call": ("print(1)?", 1, 9, "SyntaxError: invalid syntax"),
    "space before ?": ("x = 1\nx ?", 2, 3, "SyntaxError: invalid syntax"),
    "two assignment targets": ("a = b = %env HOME", 1, 9, "SyntaxError: invalid syntax"),
    "cell magic assigned": ("x = %%time", 1, 5, "SyntaxError: invalid syntax"),
    "magic as an argument": ("f(a=%env)", 1, 5, "SyntaxError: invalid syntax"),
    "%= at a line start": ("%=3", 1, 1, "SyntaxError: invalid syntax"),
    "Python 2 print": ("x = 1\nprint 'x'", 2, 1, "SyntaxError: Missing parentheses"),
    "automagic in a cell of two lines": (
        "pip install keras\nimport os",
        1,
        5,
        "SyntaxError: invalid syntax",
    ),
    "not a magic's name": ("foo bar", 1, 5, "SyntaxError: invalid syntax"),
    "unexpected indent after dedenting": ("  a = 1\nb = 2", 1, 2, "IndentationError"),
    "return outside a function": ("return 1", 1, 1, "SyntaxError: 'return' outside function"),
    "an indented cell's error keeps its column": ("    x = (1,\n    ]", 2, 5, "SyntaxError"),
    "empty autocall": ("/ x", 1, 1, "SyntaxError: invalid syntax"),
}


@pytest.mark.parametrize(
    ("source", "row", "column", "message"), INVALID.values(), ids=INVALID.keys()
)
def test_cells_ipython_cannot_run_are_one_syntax_error_each(
    tmp_path: Path, source: str, row: int, column: int, message: str
) -> None:
    path = write(tmp_path, notebook(IMPORTS, source, MODEL))
    before = json.loads(path.read_text(encoding="utf-8"))
    result = check(path)
    # The broken cell is reported where it breaks; the model after it is still analysed.
    assert found(result) == [("TDL000", 2, row, column), ("TDL001", 3, 3, 11)]
    assert result.diagnostics[0].message.startswith(message)
    check(path, FixMode.FIX)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["cells"][1] == before["cells"][1]
    assert after["cells"][2]["source"][-1] == FIXED_MODEL_LINE


def test_automagic_in_a_longer_cell_says_how_to_write_it(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(IMPORTS, "pip install keras\nimport os", MODEL))
    (error, _) = check(path).diagnostics
    assert error.help is not None and "`%pip`" in error.help
    alone = write(tmp_path, notebook(IMPORTS, "import os\nfoo bar", MODEL), "other.ipynb")
    assert "%pip" not in (check(alone).diagnostics[0].help or "")  # not an automagic name


def test_indented_cell_is_fixed_with_its_indentation(tmp_path: Path) -> None:
    indented = "\n".join("    " + line for line in MODEL.splitlines())
    path = write(tmp_path, notebook(IMPORTS, indented))
    (d,) = check(path).diagnostics
    assert (d.code, d.cell, d.location.row, d.location.column) == ("TDL001", 2, 3, 15)
    assert d.source_lines == ("    model.add(Dense(1))",)
    check(path, FixMode.FIX)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["cells"][1]["source"] == [
        "    model = Sequential()\n",
        "    model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))\n",
        "    " + FIXED_MODEL_LINE,
    ]


def test_cell_magic_body_is_checked_and_fixed(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(IMPORTS, "%%time -q\n" + MODEL))
    assert found(check(path)) == [("TDL001", 2, 4, 11)]
    check(path, FixMode.FIX)
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][1]["source"]
    assert source[0] == "%%time -q\n" and source[-1] == FIXED_MODEL_LINE


def test_code_that_looks_like_a_marker_is_kept(tmp_path: Path) -> None:
    lookalike = "x = 1  # tdlint-magic-0\n# tdlint-cell\ny = 2"
    path = write(tmp_path, notebook(IMPORTS, "!ls\n" + lookalike, MODEL))
    before = json.loads(path.read_text(encoding="utf-8"))
    assert found(check(path)) == [("TDL001", 3, 3, 11)]
    check(path, FixMode.FIX)
    assert json.loads(path.read_text(encoding="utf-8"))["cells"][1] == before["cells"][1]


def test_a_fix_that_would_lose_ipython_syntax_is_refused() -> None:
    text = json.dumps(notebook(IMPORTS, "!ls\nx = 1", MODEL), indent=1) + "\n"
    nb = Notebook.parse(text)
    marker = next(line for line in nb.source.splitlines(keepends=True) if "-magic-" in line)
    with pytest.raises(NotebookError, match="removed a line of IPython syntax"):
        nb.with_source(nb.source.replace(marker, ""))
    with pytest.raises(NotebookError, match="changed a line of IPython syntax"):
        nb.with_source(nb.source.replace(marker, "x = 2  " + marker.lstrip("pas ")))
    assert nb.with_source(nb.source) == text


def test_broken_cells_are_reported_only_in_notebooks_about_keras(tmp_path: Path) -> None:
    path = write(tmp_path, notebook("import numpy", "print 'x'"))
    assert check(path).diagnostics == ()


def test_notebooks_in_other_languages_are_not_checked(tmp_path: Path) -> None:
    data = notebook(IMPORTS, "using Keras; x = [1 2 3]", MODEL)
    data["metadata"] = {"language_info": {"name": "julia"}, "kernelspec": {"language": "julia"}}
    assert check(write(tmp_path, data)).diagnostics == ()
    data["metadata"] = {"kernelspec": {"language": "R"}}
    assert check(write(tmp_path, data)).diagnostics == ()
    data["metadata"] = {"kernelspec": {"language": "python"}}
    assert [d.code for d in check(write(tmp_path, data)).diagnostics] == ["TDL000", "TDL001"]


def test_cells_in_another_language_are_skipped(tmp_path: Path) -> None:
    data = notebook(IMPORTS, "SELECT * FROM t;", MODEL)
    data["cells"][1]["metadata"]["vscode"] = {"languageId": "sql"}
    assert found(check(write(tmp_path, data))) == [("TDL001", 3, 3, 11)]
