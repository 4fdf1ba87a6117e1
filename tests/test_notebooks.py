"""Jupyter notebooks, checked and fixed through the real command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
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


# ---------------------------------------------------------------- every format finds the cell


def file_position(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first line of the .ipynb text holding ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_machine_formats_locate_a_notebook_finding_in_the_file(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "model.ipynb", NOTEBOOK)
    line, column = file_position(path.read_text(encoding="utf-8"), "Dense(1)")
    end_column = column + len("Dense(1)")

    def run(fmt: str) -> str:
        return tdlint("model.ipynb", "--output-format", fmt, "--no-cache", cwd=tmp_path).stdout

    (item,) = json.loads(run("json"))
    assert (item["cell"], item["location"], item["noqa_row"]) == (4, {"row": 5, "column": 11}, 5)

    github = run("github")
    assert f",line={line},col={column},endLine={line},endColumn={end_column}::" in github
    assert "::model.ipynb:cell 4:5:11: TDL001 " in github

    (issue,) = json.loads(run("gitlab"))
    assert issue["location"]["lines"] == {"begin": line, "end": line}
    assert issue["description"].startswith("TDL001: cell 4, line 5: `Dense(1)`")

    (result,) = json.loads(run("sarif"))["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": line,
        "startColumn": column,
        "endLine": line,
        "endColumn": end_column,
    }
    assert result["message"]["text"].startswith("cell 4, line 5: `Dense(1)`")
    assert result["properties"]["cell"] == 4
    assert result["properties"]["cellRegion"]["startLine"] == 5
    assert "fixes" not in result  # its edits are in cell coordinates

    junit = run("junit")
    assert f'line="{line}" column="{column}"' in junit
    assert ">cell 4, line 5, col 11, `Dense(1)`" in junit

    assert run("concise").startswith("model.ipynb:cell 4:5:11: TDL001")
    assert "--> model.ipynb:cell 4:5:11" in run("full")


def test_file_location_counts_json_escapes_and_single_string_sources(tmp_path: Path) -> None:
    """Columns are those of the raw JSON line: ``\\u00e9`` and ``\\t`` take more room there than
    in the cell; a source stored as one string puts every cell line on one file line."""
    source = (
        "from keras.models import Sequential\n"
        "from keras.layers import LSTM, Dense\n"
        "model = Sequential()\n"
        "model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))\n"
        'label = "é\t😀"; model.add(Dense(1))'
    )
    for as_string in (False, True):
        data = {
            "cells": [cell(source if as_string else source.splitlines(keepends=True))],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        path = tmp_path / "escaped.ipynb"
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="ascii")
        line, column = file_position(path.read_text(encoding="ascii"), "Dense(1)")
        result = tdlint("escaped.ipynb", "--output-format", "github", "-n", cwd=tmp_path)
        assert f",line={line},col={column}," in result.stdout, result.stdout
        assert ":cell 1:5:26: TDL001" in result.stdout


# ---------------------------------------------------------------- suppressions


def with_source(source: list[str], index: int = 3) -> dict[str, Any]:
    data = json.loads(json.dumps(NOTEBOOK))
    data["cells"][index]["source"] = source
    return data


def test_noqa_in_a_cell_suppresses_its_line(tmp_path: Path) -> None:
    model = NOTEBOOK["cells"][3]["source"]
    write_notebook(tmp_path / "a.ipynb", with_source([*model[:-1], model[-1] + "  # noqa: TDL001"]))
    assert tdlint("a.ipynb", "-n", cwd=tmp_path).returncode == 0
    # The same comment one line off, or naming another code, suppresses nothing.
    off = [*model[:2], model[2].rstrip("\n") + "  # noqa: TDL001\n", *model[3:]]
    write_notebook(tmp_path / "b.ipynb", with_source(off))
    args = ("b.ipynb", "-n", "--output-format", "concise", "--extend-select", "TDL900")
    result = tdlint(*args, cwd=tmp_path)
    assert "cell 4:5:11: TDL001" in result.stdout
    comment = len(model[2].rstrip()) + 3  # after the code and two spaces
    assert f"cell 4:3:{comment}: TDL900 [*] Unused `noqa` directive" in result.stdout
    # A file-level suppression in any cell covers the whole notebook.
    write_notebook(tmp_path / "c.ipynb", with_source(["# tdlint: noqa: TDL001\n", "x = 1"], 2))
    assert tdlint("c.ipynb", "-n", cwd=tmp_path).returncode == 0
    write_notebook(tmp_path / "d.ipynb", with_source(["# tdlint: noqa: TDL002\n", "x = 1"], 2))
    assert tdlint("d.ipynb", "-n", cwd=tmp_path).returncode == 1


def test_add_noqa_writes_into_the_cells_line(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "model.ipynb", NOTEBOOK)
    before = json.loads(path.read_text(encoding="utf-8"))
    result = tdlint("model.ipynb", "--add-noqa", "-n", cwd=tmp_path)
    assert result.returncode == 0 and "Added 1 noqa directive." in result.stderr
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["cells"][3]["source"][-1] == "model.add(Dense(1))  # noqa: TDL001"
    before["cells"][3]["source"][-1] += "  # noqa: TDL001"
    assert after == before  # magics, other cells, outputs and metadata untouched
    assert path.read_text(encoding="utf-8").startswith('{\n "cells"')
    assert tdlint("model.ipynb", "-n", cwd=tmp_path).returncode == 0


def test_add_noqa_in_an_indented_cell(tmp_path: Path) -> None:
    indented = ["    " + line for line in NOTEBOOK["cells"][3]["source"][1:]]
    path = write_notebook(tmp_path / "model.ipynb", with_source(indented))
    assert "cell 4:4:15: TDL001" in tdlint("-n", "--output-format", "concise", cwd=tmp_path).stdout
    tdlint("model.ipynb", "--add-noqa", "-n", cwd=tmp_path)
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][3]["source"]
    assert source[-1] == "    model.add(Dense(1))  # noqa: TDL001"
    assert source[:-1] == indented[:-1]
    assert tdlint("model.ipynb", "-n", cwd=tmp_path).returncode == 0


# ---------------------------------------------------------------- notebooks that are odd


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty notebook: the file has no content"),
        ("  \n\n", "empty notebook: the file has no content"),
        (
            '{"cells": [ keras',
            "not valid notebook JSON: Expecting value: line 1 column 13 (char 12)",
        ),
        ("[]", "not a notebook: the JSON is not an object"),
        ("{}", "not a notebook: no list of cells"),
        ('{"cells": [1]}', "not a notebook: cell 1 is not an object"),
        (
            '{"cells": [{"cell_type": "code", "source": 7}]}',
            "not a notebook: the source of cell 1 is not text",
        ),
    ],
)
def test_unreadable_notebooks_are_one_clear_diagnostic(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "odd.ipynb").write_text(text, encoding="utf-8")
    result = tdlint("odd.ipynb", "-n", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[0] == f"odd.ipynb:1:1: TDL000 {message}"


def test_notebook_without_code_cells_is_clean(tmp_path: Path) -> None:
    data = {"cells": [cell(["# keras notes"], "markdown")], "metadata": {}, "nbformat": 4}
    write_notebook(tmp_path / "notes.ipynb", data)
    result = tdlint("notes.ipynb", "-n", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "All checks passed!"


def test_source_stored_as_one_string_stays_one_string(tmp_path: Path) -> None:
    data = json.loads(json.dumps(NOTEBOOK))
    for item in data["cells"]:
        item["source"] = "".join(item["source"])
    path = write_notebook(tmp_path / "model.ipynb", data)
    assert "cell 4:5:11: TDL001" in tdlint("-n", "--output-format", "concise", cwd=tmp_path).stdout
    tdlint("model.ipynb", "--select", "TDL004", "--fix", "--unsafe-fixes", "-n", cwd=tmp_path)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["cells"][3]["source"].endswith("\nmodel.add(TimeDistributed(Dense(1)))")
    assert after["cells"][2] == data["cells"][2]


def test_nbformat_3_worksheets_are_checked_and_fixed(tmp_path: Path) -> None:
    def v3(source: list[str]) -> dict[str, Any]:
        return {"cell_type": "code", "input": source, "language": "python", "outputs": []}

    code = NOTEBOOK["cells"]
    data = {
        "metadata": {"name": "old"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "heading", "level": 1, "source": ["Old"]},
                    v3(code[1]["source"]),
                ]
            },
            {"cells": [v3(code[2]["source"]), v3(code[3]["source"])]},
        ],
    }
    path = write_notebook(tmp_path / "old.ipynb", data)
    result = tdlint("old.ipynb", "-n", "--output-format", "concise", cwd=tmp_path)
    assert result.stdout.startswith("old.ipynb:cell 4:5:11: TDL001"), result.stdout
    tdlint("old.ipynb", "--select", "TDL004", "--fix", "--unsafe-fixes", "-n", cwd=tmp_path)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["worksheets"][1]["cells"][1]["input"][-1] == "model.add(TimeDistributed(Dense(1)))"
    assert after["worksheets"][1]["cells"][0] == data["worksheets"][1]["cells"][0]


def test_sarif_of_a_notebook_is_valid_sarif(tmp_path: Path) -> None:
    from test_report_formats import _schema_validator  # skips without the test extra

    validator = _schema_validator()
    write_notebook(tmp_path / "model.ipynb", NOTEBOOK)
    log = json.loads(tdlint("-n", "--output-format", "sarif", cwd=tmp_path).stdout)
    assert log["runs"][0]["results"] and list(validator.iter_errors(log)) == []


def test_a_notebook_on_stdin_is_read_as_a_notebook(tmp_path: Path) -> None:
    text = json.dumps(NOTEBOOK, ensure_ascii=False)  # compact, on one line
    args = ("-", "--stdin-filename", "model.ipynb", "-n")
    result = tdlint(*args, "--output-format", "concise", cwd=tmp_path, stdin=text)
    assert result.returncode == 1
    assert result.stdout.startswith("model.ipynb:cell 4:5:11: TDL001")
    fixed = tdlint(*args, "--select", "TDL004", "--fix", "--unsafe-fixes", cwd=tmp_path, stdin=text)
    assert fixed.returncode == 0, fixed.stderr
    assert "\n" not in fixed.stdout and ', "source": [' in fixed.stdout  # its style kept
    after = json.loads(fixed.stdout)
    assert after["cells"][3]["source"][-1] == "model.add(TimeDistributed(Dense(1)))"
    assert after["cells"][2] == NOTEBOOK["cells"][2]
