"""IPython's own verdict on a notebook cell, for tests and benchmarks/notebooks.py.

A cell is accepted when IPython would get as far as running it: the shell transforms it
(``InteractiveShell.transform_cell``: the static transforms of ``inputtransformer2`` plus
automagic for a cell of one line), parses it with top-level ``await`` allowed and compiles each
top-level statement, as ``run_cell`` does. The body of a cell magic that IPython compiles when
it runs (``%%time``, ``%%timeit``, ``%%capture``, ``%%prun``, ``%%debug``) is judged as a cell
of its own; any other cell magic is accepted whatever its body. Nothing is executed.

IPython is a test dependency only: tdlint never imports it.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

# The cell magics of IPython itself whose body is Python compiled when the magic runs.
IPYTHON_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})


@dataclass(frozen=True)
class Verdict:
    ok: bool
    error: str | None = None


@cache
def shell() -> Any:
    """One IPython shell (its magics decide automagic), with its profile in a scratch folder."""
    os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="tdlint-ipython-"))
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


@cache
def _manager() -> Any:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager()


def line_magics() -> set[str]:
    return set(shell().magics_manager.lsmagic()["line"])


def verdict(cell: str, automagic: bool = True) -> Verdict:
    """``automagic=False`` judges with the static transforms alone (what
    ``TransformerManager().transform_cell`` does, as /work/corpus's oracle.jsonl)."""
    lines = cell.splitlines(keepends=True)
    for cleanup in _manager().cleanup_transforms:
        lines = cleanup(lines)
    if lines and lines[0].startswith("%%") and not re.match(r"%%\w+\?", lines[0]):
        name = lines[0][2:].rstrip().partition(" ")[0]
        if name in IPYTHON_PYTHON_CELL_MAGICS:
            return verdict("".join(lines[1:]), automagic)
        return Verdict(True)  # IPython hands the body to the magic as a string
    try:
        python = shell().transform_cell(cell) if automagic else _manager().transform_cell(cell)
    except (SyntaxError, ValueError, RuntimeError, IndexError) as exc:
        return Verdict(False, f"transform: {type(exc).__name__}: {exc}")
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(python, "<cell>", "exec", flags | ast.PyCF_ONLY_AST, dont_inherit=True)
            for node in tree.body:
                compile(ast.Module([node], []), "<cell>", "exec", flags, dont_inherit=True)
    except SyntaxError as exc:
        return Verdict(False, f"{type(exc).__name__}: {exc.msg} (line {exc.lineno})")
    except (ValueError, OverflowError) as exc:
        return Verdict(False, f"{type(exc).__name__}: {exc}")
    except (RecursionError, MemoryError):
        return Verdict(True)
    return Verdict(True)
