"""tdlint's reading of notebook cells against IPython's own (tests/ipython_oracle.py).

Cells are generated from fragments with a fixed seed: magics, shell escapes and their
continuation lines, assignments from both, help queries, cell magics, automagic, indented cells,
black-style ``%`` continuation lines, strings and comments holding ``%``, ``!`` and ``?``,
Python 2 prints and other real syntax errors. They all go into one notebook that mentions
Keras, checked through the API: a cell IPython accepts must not be a TDL000 and a cell it
rejects must be exactly one. The notebook is then fixed (TDL004's unsafe wrap of the model at
its end), and every generated cell must come back byte for byte.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("IPython")

import ipython_oracle  # noqa: E402  (tests/ipython_oracle.py)

from tdlint.api import check_file  # noqa: E402
from tdlint.config import Settings  # noqa: E402
from tdlint.diagnostics import FixMode  # noqa: E402
from tdlint.ipython_syntax import AUTOMAGICS  # noqa: E402

SEED = 20240611
CELLS = 1500

PYTHON = [
    "x = 1",
    "import os",
    "def f(a):\n    return a",
    "print(x)",
    's = "100%"',
    "t = 'why?'",
    'u = "wow!"',
    'm = (\n    "a %s b %d"\n    % (x, 2)\n)',
    "if x:\n    y = 2",
    "z = [1,\n     2]",
    'w = """\n%x\n!y\nz?\n"""',
    "# what is this?",
    "x = 1  # really?",
    "await f(1)",
    "v = (1\n     != 2)",
    "x %= 3",
    "q = x \\\n    + 1",
    "class A:\n    pass",
    "from __future__ import annotations",
]
IPYTHON = [
    "%matplotlib inline",
    "%time x = 1",
    "!ls -l",
    "!echo a \\\n  b",
    "files = !ls",
    "home = %env HOME",
    "y: list = !ls",
    "?x",
    "x?",
    "os.path??",
    "%pinfo x",
    "obj[0]?",
    "!!ls",
    "/print 1 2",
    ",print a b",
    ";print a b",
    "%%time",
    "%config A = \\\n  1",
    "r = \\\n%env HOME",
    "x = 1 if x else y?",
]
ERRORS = [
    'print "x"',
    "x ?",
    "x?  # c",
    "print(x)?",
    "a = b = %foo",
    "x = %%time",
    "f(a=%b)",
    "def f(:",
    "foo bar",
    "return 1",
    "x = (",
    ")",
    "%=3",
    "if x:",
    "  y = 1",
    "/ x",
    "exec 'x'",
    "x = 1 +",
]
AUTOMAGIC = ["pip install keras", "cd ..", "ls -la", "timeit f()", "pwd", "mkdir out", "env"]
CELL_MAGICS = ["%%time", "%%timeit -n 3", "%%bash", "%%capture out", "%%writefile f.py", "%%html"]


def generate(rng: random.Random) -> str:
    """One cell: a few fragments, maybe in a loop, a cell magic, indentation, blank lines."""
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(AUTOMAGIC)  # a cell of one line: the shell's automagic
    pools = [PYTHON] * 5 + [IPYTHON] * 3 + [ERRORS] + [AUTOMAGIC]
    fragments = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.15:
        body = "\n".join(fragments).splitlines()
        fragments = ["for i in range(3):", *("    " + line for line in body)]
    lines = "\n".join(fragments).splitlines()
    if rng.random() < 0.12:
        lines = [rng.choice(CELL_MAGICS), *lines]
    if rng.random() < 0.15:
        lines = ["    " + line if line else line for line in lines]
    cell = "\n".join(lines)
    if rng.random() < 0.1:
        cell = "\n\n" + cell
    if rng.random() < 0.1:
        cell += "\n"
    return cell


def code_cell(source: str) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": source.splitlines(keepends=True),
    }


IMPORTS = "from keras.models import Sequential\nfrom keras.layers import LSTM, Dense"
MODEL = (
    "model = Sequential()\n"
    "model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))\n"
    "model.add(Dense(1))"
)


def test_automagic_names_cover_ipythons_line_magics() -> None:
    assert ipython_oracle.line_magics() <= AUTOMAGICS


def test_tdlint_agrees_with_ipython_on_generated_cells(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    cells = [generate(rng) for _ in range(CELLS)]
    verdicts = [ipython_oracle.verdict(cell) for cell in cells]
    rejected = sum(not v.ok for v in verdicts)
    # The generator must exercise both sides, and the IPython syntax it is about.
    assert CELLS // 10 < rejected < CELLS // 2
    sources = [IMPORTS, *cells, MODEL]
    data = {"cells": [code_cell(s) for s in sources], "metadata": {}, "nbformat": 4}
    path = tmp_path / "generated.ipynb"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    result = check_file(path, Settings(unsafe_fixes=True), FixMode.NONE)
    assert result.error is None, result.error
    reported = {d.cell for d in result.diagnostics if d.code == "TDL000"}
    disagreements = [
        (cell, verdict.error)
        for number, (cell, verdict) in enumerate(zip(cells, verdicts, strict=True), start=2)
        if verdict.ok == (number in reported)
    ]
    assert disagreements == []
    assert len(reported) == rejected  # one TDL000 per rejected cell, no more
    last = len(sources)
    assert [(d.code, d.cell) for d in result.diagnostics if d.code != "TDL000"] == [
        ("TDL001", last)
    ]

    # TDL004's fix (the TimeDistributed wrap) edits the model's cell, and only that cell.
    strict = Settings(extend_select=("TDL004",), unsafe_fixes=True)
    fixed = check_file(path, strict, FixMode.FIX)
    assert fixed.fixes_applied == 1 and fixed.error is None, fixed.error
    after = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert [c["source"] for c in after[1:-1]] == [c["source"] for c in data["cells"][1:-1]]
    assert after[-1]["source"][-1] == "model.add(TimeDistributed(Dense(1)))"


def test_the_oracle_itself_tells_ipython_syntax_apart() -> None:
    # Guards the guard: the oracle must accept IPython syntax and reject what IPython rejects.
    assert ipython_oracle.verdict("!ls\nx = 1").ok
    assert ipython_oracle.verdict("pip install keras").ok
    assert not ipython_oracle.verdict("pip install keras\nx = 1").ok
    assert not ipython_oracle.verdict("pip install keras", automagic=False).ok
    assert not ipython_oracle.verdict("%%time\nprint 'x'").ok
    assert ipython_oracle.verdict("%%bash\nprint 'x'").ok


def test_tdlint_never_imports_ipython(tmp_path: Path) -> None:
    notebook = {"cells": [code_cell("!pip install keras\nimport keras\nx?")], "nbformat": 4}
    (tmp_path / "a.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    code = (
        "import sys, tdlint.cli\n"
        "try:\n    tdlint.cli.main(['check', '-q', '--no-cache', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "assert 'IPython' not in sys.modules, 'IPython imported'\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a.ipynb")], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
