"""``tdlint shapes`` drawing models, run as a user runs it: the formats, ``-o FILE`` (images
through Graphviz's ``dot``), errors as one line with exit 2, byte-identical output."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from diagram_checks import dot_read, read_mermaid
from helpers import tdlint, write

SNAPSHOTS = Path(__file__).parent / "snapshots" / "diagrams"
NO_DOT = "Graphviz's `dot` is not on PATH (.ci/run installs it)"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason=NO_DOT)


def models(folder: Path) -> Path:
    """Two files with three models between them."""
    for name in ("branches", "nested_sequential"):
        shutil.copy(SNAPSHOTS / f"{name}.py", folder / f"{name}.py")
    return folder


def test_mermaid_on_standard_output(tmp_path: Path) -> None:
    done = tdlint("shapes", "--output-format", "mermaid", "--params", "branches.py",
                  cwd=models(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == (SNAPSHOTS / "branches.mmd").read_text(encoding="utf-8")


def test_several_files_make_one_chart_with_unique_ids(tmp_path: Path) -> None:
    done = tdlint("shapes", "--output-format", "mermaid", ".", cwd=models(tmp_path))
    assert done.returncode == 0, done.stderr
    chart = read_mermaid(done.stdout)  # an id used twice fails here
    titles = [chart.labels[g][0] for g in ("m1", "m2", "m3")]
    assert titles == [
        "model (branches.py:10, functional)",
        "encoder (nested_sequential.py:4, sequential)",
        "model (nested_sequential.py:9, functional)",
    ]
    dot = tdlint("shapes", "--output-format", "dot", ".", cwd=tmp_path)
    if shutil.which("dot"):
        graph = dot_read(dot.stdout)
        assert sorted(graph.clusters) == [
            "cluster_m1", "cluster_m2", "cluster_m3", "cluster_m3_n1",
        ]  # fmt: skip


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    models(tmp_path)
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        import subprocess

        runs.append(
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tdlint",
                    "shapes",
                    "--output-format",
                    "markdown",
                    "--params",
                    "--findings",
                    ".",
                ],
                capture_output=True,
                cwd=tmp_path,
                env=env,
                timeout=120,
            ).stdout  # fmt: skip
        )
    assert runs[0] == runs[1] and runs[0]


@pytest.mark.parametrize(
    ("suffix", "fmt"), [(".dot", "dot"), (".gv", "dot"), (".mmd", "mermaid"), (".md", "markdown")]
)
def test_text_files_hold_what_standard_output_shows(tmp_path: Path, suffix: str, fmt: str) -> None:
    models(tmp_path)
    written = tdlint("shapes", "-o", f"out{suffix}", ".", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    printed = tdlint("shapes", "--output-format", fmt, ".", cwd=tmp_path)
    assert (tmp_path / f"out{suffix}").read_bytes() == printed.stdout.encode("utf-8")


@needs_dot
def test_svg_and_png_are_drawn_by_graphviz(tmp_path: Path) -> None:
    models(tmp_path)
    done = tdlint("shapes", "-o", "models.svg", "--params", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "models.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Concatenate (line 8)" in svg and "2,112 params" in svg
    done = tdlint("shapes", "-o", "models.png", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "models.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_graphviz_is_one_clear_line(tmp_path: Path) -> None:
    import subprocess

    models(tmp_path)
    empty = tmp_path / "empty-path"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "tdlint", "shapes", "-o", "m.svg", "."],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PATH": str(empty)},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("tdlint: error: Graphviz's `dot` is not on PATH")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "m.svg").exists()
    # Said before any file is read: a missing path is not what the user hears first.
    done = subprocess.run(
        [sys.executable, "-m", "tdlint", "shapes", "-o", "m.png", "no-such-folder"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PATH": str(empty)},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("tdlint: error: Graphviz's `dot` is not on PATH")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "m.xyz"], "m.xyz: unknown file type `.xyz`"),
        (["-o", "m"], "m: unknown file type `m`"),
        (["-o", "m.dot", "--output-format", "mermaid"], "a `.dot` file holds dot"),
        (["--findings"], "--findings marks the nodes of a diagram"),
        (["--findings", "--output-format", "json"], "--findings marks the nodes of a diagram"),
    ],
)
def test_bad_output_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    models(tmp_path)
    done = tdlint("shapes", *args, ".", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("tdlint: error: ") and message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_unwritable_output_file_exits_2(tmp_path: Path) -> None:
    models(tmp_path)
    done = tdlint("shapes", "-o", str(tmp_path / "no" / "such" / "m.mmd"), ".", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("tdlint: error: cannot write")


def test_findings_follow_the_configuration(tmp_path: Path) -> None:
    write(
        tmp_path / "bad.py",
        "import keras\nfrom keras import layers\n"
        "model = keras.Sequential([layers.Input(shape=(10, 8)), layers.LSTM(4),"
        " layers.TimeDistributed(layers.Dense(2))])\n",
    )
    done = tdlint("shapes", "--output-format", "mermaid", "--findings", ".", cwd=tmp_path)
    assert done.returncode == 0  # drawing is not checking: findings do not change the status
    chart = read_mermaid(done.stdout)
    assert chart.labels["m1_n2"][-1] == "finding: TDL003"
    assert chart.classes["m1_n2"] == "finding"
    write(tmp_path / "pyproject.toml", '[tool.tdlint]\nignore = ["TDL003"]\n')
    done = tdlint("shapes", "--output-format", "mermaid", "--findings", ".", cwd=tmp_path)
    assert "finding" not in done.stdout
    write(tmp_path / "pyproject.toml", "[tool.tdlint]\nbogus = 1\n")
    done = tdlint("shapes", "--output-format", "mermaid", "--findings", ".", cwd=tmp_path)
    assert done.returncode == 2 and "unknown key `bogus`" in done.stderr


def test_notebook_diagram(tmp_path: Path) -> None:
    import json

    cells = [
        "import keras\nfrom keras import layers\n",
        "inp = keras.Input(shape=(4,))\nout = layers.Dense(2)(inp)\nm = keras.Model(inp, out)\n",
    ]
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write(tmp_path / "nb.ipynb", json.dumps(notebook))
    done = tdlint("shapes", "--output-format", "mermaid", "nb.ipynb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    chart = read_mermaid(done.stdout)
    assert chart.labels["m1_n1"] == ["Dense (cell 2:2)", "(None, 2)"]


def test_a_file_without_models_draws_an_empty_chart(tmp_path: Path) -> None:
    write(tmp_path / "empty.py", "x = 1\n")
    done = tdlint("shapes", "--output-format", "mermaid", ".", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == "flowchart TB\n"
    done = tdlint("shapes", "--output-format", "markdown", ".", cwd=tmp_path)
    assert done.stdout == "No Keras models found.\n"


def test_the_docs_show_todays_chart() -> None:
    """docs/diagrams.md's chart is what the command it names prints today."""
    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "diagrams.md").read_text(encoding="utf-8")
    shown = page.split("```mermaid\n")[1].split("```\n")[0]
    done = tdlint("shapes", "docs/diagrams/model.py", "--output-format", "mermaid", "--params",
                  cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert shown == done.stdout
    read_mermaid(shown)
    svg = (root / "docs" / "diagrams" / "model.svg").read_text(encoding="utf-8")
    for lines in read_mermaid(shown).labels.values():
        assert lines[0].replace("&", "&amp;") in svg  # the image shows the same nodes


def test_a_bug_in_one_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """An internal error while drawing one file: a line naming it, exit 2, and the other
    files are still drawn."""
    from tdlint import cli
    from tdlint.diagrams import build

    models(tmp_path)
    real = build.build_diagrams

    def broken(sources, positions, place=str, findings=()):  # noqa: ANN001, ANN202
        found = list(sources)
        if found and found[0][1].filename.endswith("branches.py"):
            raise KeyError("planted")
        return real(found, positions, place, findings)

    monkeypatch.setattr(build, "build_diagrams", broken)
    monkeypatch.chdir(tmp_path)
    status = cli.main(["shapes", "--output-format", "mermaid", "."])
    out, err = capsys.readouterr()
    assert status == 2
    assert err == "tdlint: error: branches.py: internal error: KeyError: 'planted'\n"
    chart = read_mermaid(out)
    assert chart.labels["m1"] == ["encoder (nested_sequential.py:4, sequential)"]
