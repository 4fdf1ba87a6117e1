"""Jupyter notebooks, checked and fixed through the real command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import tdlint


def cell(source: list[str], kind: str = "code") -> dict[str, Any]:
    base: dict[str, Any] = {"cell_type": kind, "metadata": {"tags": ["keep"]}, "source": source}
    if kind == "code":
        base |= {
            "execution_count": 3,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}],
        }
    return base


NOTEBOOK = {
    "cells": [
        cell(["# Sentiment model\n", "Ünïcode stays as it is."], "markdown"),
        cell(
            [
                "%matplotlib inline\n",
                "!pip install keras\n",
                "from keras.models import Sequential\n",
                "from keras.layers import LSTM, Dense",
            ]
        ),
        cell(["%%bash\n", "echo this is not python (\n"]),
        cell(
            [
                "%%time\n",
                "model = Sequential()\n",
                "model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))\n",
                "model?\n",
                "model.add(Dense(1))",
            ]
        ),
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def write_notebook(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_notebooks_are_discovered_and_reported_by_cell(tmp_path: Path) -> None:
    write_notebook(tmp_path / "model.ipynb", NOTEBOOK)
    result = tdlint(".", "--output-format", "concise", "-q", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    # Shapes flow from cell 2's imports to cell 4's model; magics are no syntax errors.
    assert result.stdout.strip() == (
        "model.ipynb:cell 4:5:11: TDL001 `Dense(1)` is applied to the sequence output of "
        "`LSTM` (cell 4, line 3): (None, 10, 32) -> (None, 10, 1), one output per timestep, "
        "but nothing in the file says one output per timestep is meant"
    )
    (item,) = json.loads(tdlint(".", "--output-format", "json", cwd=tmp_path).stdout)
    assert item["cell"] == 4 and item["location"] == {"row": 5, "column": 11}


def test_fix_rewrites_only_the_fixed_cells(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "model.ipynb", NOTEBOOK)
    before = path.read_text(encoding="utf-8")
    result = tdlint("model.ipynb", "--select", "TDL004", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = json.loads(path.read_text(encoding="utf-8"))
    expected = json.loads(before)
    assert (
        after["cells"][1]["source"][-1] == "from keras.layers import LSTM, Dense, TimeDistributed"
    )
    assert after["cells"][3]["source"][-1] == "model.add(TimeDistributed(Dense(1)))"
    expected["cells"][1]["source"] = after["cells"][1]["source"]
    expected["cells"][3]["source"] = after["cells"][3]["source"]
    assert after == expected  # outputs, metadata, magics and other cells untouched
    assert after["cells"][3]["source"][:2] == ["%%time\n", "model = Sequential()\n"]
    assert path.read_text(encoding="utf-8").startswith('{\n "cells"')  # Jupyter's indent kept
    assert tdlint("model.ipynb", cwd=tmp_path).returncode == 0


def test_broken_notebook_is_one_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text('{"cells": [ keras')
    result = tdlint("broken.ipynb", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "TDL000" in result.stdout and "Traceback" not in result.stderr


def test_notebook_without_keras_is_clean(tmp_path: Path) -> None:
    write_notebook(
        tmp_path / "plain.ipynb",
        {"cells": [cell(["print(1)"])], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
    )
    assert tdlint("plain.ipynb", cwd=tmp_path).returncode == 0
