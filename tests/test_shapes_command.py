"""``tdlint shapes``: what it knows, and what it says about what it does not.

Rows around a layer tdlint cannot resolve, partial shapes in JSON, notes that name where an
unknown comes from, tables told apart when a builder runs twice, the closing summary line,
tables that keep their width in a pipe, and the exit status."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from helpers import tdlint, write

from tdlint.analysis import analyze
from tdlint.analysis.summary import KNOWN, PARTIAL, UNKNOWN_LAYERS, ModelSummary
from tdlint.analysis.unresolved import is_unresolved
from tdlint.api import check_source, infer_shapes
from tdlint.keras.shapes import UNKNOWN, Unknown, shape_to_json
from tdlint.parsing import parse_for_analysis

HEADER = "import keras\nimport tensorflow as tf\nfrom keras import layers\n"

# A custom layer tdlint cannot see into (tdlint.analysis.classes follows those defined in the
# file): four lines, as the line numbers below expect.
CUSTOM_LAYER = """
# MyLayer: defined in another module
from mylib import MyLayer

"""


def source(body: str) -> str:
    return HEADER + textwrap.dedent(body)


def models(body: str) -> dict[str, ModelSummary]:
    return {m.model: m for m in infer_shapes(source(body))}


def rows(summary: ModelSummary) -> list[tuple[str, Any, int | None, bool]]:
    return [(r.layer, r.output_shape, r.params, r.unknown) for r in summary.layers]


def render(summaries: list[ModelSummary]) -> str:
    """The text ``tdlint shapes`` prints, as a pipe would receive it."""
    import io

    from rich.console import Console

    from tdlint.shapes_command import print_summaries

    out = io.StringIO()
    print_summaries(summaries, Console(file=out, no_color=True, highlight=False, soft_wrap=True))
    return out.getvalue()


def shapes_json(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    result = tdlint(
        "shapes", str(write(tmp_path / "m.py", source(body))), "--output-format", "json"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------- rows around unknown layers


def test_a_custom_layer_in_a_sequential_keeps_the_rows_around_it() -> None:
    summary = models(
        CUSTOM_LAYER
        + """
model = keras.Sequential([
    layers.Dense(32, input_shape=(16,)),
    MyLayer(),
    layers.Dense(10),
])
"""
    )["model"]
    assert rows(summary) == [
        ("Dense", (None, 32), 544, False),
        ("MyLayer", None, None, True),
        ("Dense", None, None, False),
    ]
    assert [r.line for r in summary.layers] == [10, 11, 12]
    assert summary.layers[1].unknown_kind == "layer"
    assert summary.layers[2].note == "`MyLayer`, an unknown layer"
    assert summary.params is None and summary.status == UNKNOWN_LAYERS


@pytest.mark.parametrize(
    ("call", "label", "kind"),
    [
        ("MyLayer()(x)", "MyLayer", "layer"),
        ("MyLayer(4, name='scale')(x)", "MyLayer", "layer"),
        ("tf.signal.frame(x, 4, 2)", "tf.signal.frame", "call"),
        ("some_helper(x)", "some_helper", "call"),
        ("layers.EinsumDense('ab,bc->ac', output_shape=8)(x)", "EinsumDense", "layer"),
        ("hub.KerasLayer(url)(x)", "hub.KerasLayer", "layer"),
        ("keras.ops.no_such_op([x, x])", "keras.ops.no_such_op", "call"),
    ],
)
def test_an_unknown_call_in_a_functional_model_keeps_the_rows_before_it(
    call: str, label: str, kind: str
) -> None:
    summary = models(
        CUSTOM_LAYER
        + f"""
inp = keras.Input(shape=(16,))
x = layers.Dense(32)(inp)
x = {call}
model = keras.Model(inp, layers.Dense(10)(x))
"""
    )["model"]
    assert rows(summary) == [
        ("Dense", (None, 32), 544, False),
        (label, None, None, True),
        ("Dense", None, None, False),
    ]
    assert summary.layers[1].unknown_kind == kind
    assert summary.inputs == ((None, 16),)


def test_a_function_tdlint_can_follow_is_not_an_unknown_layer() -> None:
    summary = models(
        """
def helper(x):
    return layers.Dense(8)(x)

inp = keras.Input(shape=(16,))
model = keras.Model(inp, helper(layers.Dense(32)(inp)))
"""
    )["model"]
    assert rows(summary) == [("Dense", (None, 32), 544, False), ("Dense", (None, 8), 264, False)]
    assert summary.status == KNOWN


def test_python_builtins_on_tensors_are_not_layers() -> None:
    body = """
inp = keras.Input(shape=(16,))
x = layers.Dense(32)(inp)
print(x)
isinstance(x, object)
model = keras.Model(inp, layers.Dense(10)(x))
"""
    graph = analyze(parse_for_analysis(source(body)), source(body))
    assert not [a for a in graph.applications if is_unresolved(a.layer.spec)]
    assert models(body)["model"].status == KNOWN


def test_a_custom_layer_applied_twice_is_one_row() -> None:
    summary = models(
        """
class MyLayer(MixinFromElsewhere, layers.Layer):
    pass  # its call() comes from the mixin: tdlint cannot see it

"""
        + """
shared = MyLayer()
a = keras.Input(shape=(4,))
b = keras.Input(shape=(4,))
model = keras.Model([a, b], layers.Concatenate()([shared(a), shared(b)]))
"""
    )["model"]
    assert [(r.layer, r.line, r.unknown) for r in summary.layers] == [
        ("MyLayer", 9, True),
        ("Concatenate", 12, False),
    ]


def test_a_ready_made_keras_model_is_an_unknown_model() -> None:
    summary = models(
        """
base = keras.applications.RegNetX002(include_top=False, input_shape=(64, 64, 3))
model = keras.Sequential([base, layers.Flatten(), layers.Dense(10)])
"""
    )["model"]
    assert [(r.layer, r.unknown, r.unknown_kind) for r in summary.layers] == [
        ("RegNetX002", True, "model"),
        ("Flatten", False, ""),
        ("Dense", False, ""),
    ]
    # Dense's last axis is certain whatever comes in; nothing else is.
    assert shape_to_json(summary.layers[2].output_shape) == ["?", 10]


def test_layers_that_are_not_known_at_all_say_so() -> None:
    summary = models("model = keras.Sequential(make_layers())\n")["model"]
    assert summary.layers == () and summary.status == UNKNOWN_LAYERS
    assert summary.empty_reason == "layers not known statically"
    assert "No layers known (layers not known statically)." in render([summary])


def test_a_subclassed_model_is_listed_not_left_out(tmp_path: Path) -> None:
    body = """
class Tagger(keras.Model):
    def __init__(self):
        super().__init__()
        self.head = layers.Dense(3)

    def call(self, x):
        return self.head(x)
"""
    (summary,) = infer_shapes(source(body))
    assert (summary.model, summary.line, summary.kind) == ("Tagger", 5, "subclassed")
    assert summary.layers == () and summary.status == UNKNOWN_LAYERS
    result = tdlint("shapes", str(write(tmp_path / "m.py", source(body))), "--color", "never")
    assert "Tagger" in result.stdout and "No layers known (a subclassed model" in result.stdout
    assert infer_shapes(source(body.replace("keras.Model", "object"))) == []


def test_no_rule_reads_a_shape_through_an_unknown_layer() -> None:
    # The LSTM's sequence output reaches Dense only through MyLayer: TDL001 cannot know.
    body = """
model = keras.Sequential([
    keras.Input(shape=(10, 3)),
    layers.LSTM(8, return_sequences=True),
    {middle}
    layers.Dense(1),
])
model.compile(loss="mse")
"""
    without = source(body.format(middle=""))
    assert [d.code for d in check_source(without)] == ["TDL001"]
    assert check_source(source(CUSTOM_LAYER + body.format(middle="MyLayer(),"))) == []


def test_a_per_timestep_dense_read_by_a_custom_layer_is_meant() -> None:
    # A CRF after a per-timestep Dense is the usual sequence tagger: the Dense output is
    # consumed by a layer tdlint cannot see, not returned as the model's output.
    body = """
class CRF(layers.Layer):
    pass

inp = keras.Input(shape=(20, 8))
x = layers.LSTM(16, return_sequences=True)(inp)
x = layers.Dense(4)(x)
{head}
model = keras.Model(inp, x)
"""
    assert [d.code for d in check_source(source(body.format(head="")))] == ["TDL001"]
    assert check_source(source(body.format(head="x = CRF()(x)"))) == []


# ---------------------------------------------------------------- partial shapes in JSON


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((None, None, UNKNOWN), [None, None, "?"]),
        ((None, 10, 64), [None, 10, 64]),
        ((Unknown("parameter `n` of `f`"), 3), ["?", 3]),
        ((), []),
        (None, None),
    ],
)
def test_shape_to_json_keeps_what_is_known(shape: Any, expected: Any) -> None:
    assert shape_to_json(shape) == expected


def test_json_keeps_partial_shapes_and_says_what_is_unknown(tmp_path: Path) -> None:
    (model,) = shapes_json(
        tmp_path,
        """
def build(timesteps):
    model = keras.Sequential([keras.Input(shape=(timesteps, 8)), layers.LSTM(4, return_sequences=True)])
    return model
""",
    )
    assert model["model"] == "model" and model["kind"] == "sequential"
    assert model["status"] == PARTIAL and model["call"] is None
    assert model["inputs"] == [[None, "?", 8]]
    assert model["outputs"] == [[None, "?", 4]]
    assert model["layers"] == [
        {
            "line": 6,
            "layer": "LSTM",
            "output_shape": [None, "?", 4],
            "params": 208,
            "unknown_layer": False,
            "note": "parameter `timesteps` of `build`",
        }
    ]
    assert model["params"] == 208


def test_json_marks_unknown_layers(tmp_path: Path) -> None:
    (model,) = shapes_json(
        tmp_path,
        CUSTOM_LAYER
        + """
inp = keras.Input(shape=(16,))
model = keras.Model(inp, layers.Dense(3)(MyLayer()(layers.Dense(8)(inp))))
""",
    )
    assert model["status"] == UNKNOWN_LAYERS
    assert [
        (row["layer"], row["output_shape"], row["params"], row["unknown_layer"])
        for row in model["layers"]
    ] == [
        ("Dense", [None, 8], 136, False),
        ("MyLayer", None, None, True),
        ("Dense", None, None, False),
    ]
    assert model["outputs"] == [None] and model["params"] is None


# ---------------------------------------------------------------- notes: where unknowns come from


def test_an_input_shape_read_from_data_is_named_by_its_expression() -> None:
    summary = models(
        """
import numpy as np
X_train = np.load("x.npy")
model = keras.Sequential()
model.add(layers.Dense(32, input_shape=X_train.shape[1:]))
model.add(layers.Dense(1))
"""
    )["model"]
    assert [(r.output_shape, r.note) for r in summary.layers] == [
        (None, "`X_train.shape[1:]`, not known statically"),
        (None, "`X_train.shape[1:]`, not known statically"),
    ]


def test_a_partly_unknown_input_shape_is_named_too() -> None:
    found = models(
        """
import numpy as np
X = np.load("x.npy")
model = keras.Sequential([layers.Conv1D(8, 3, input_shape=(X.shape[1], 4)), layers.Flatten()])
inp = keras.Input(shape=X.shape[1:])
functional = keras.Model(inp, layers.Dense(2)(inp))
"""
    )
    conv, flatten = found["model"].layers
    assert shape_to_json(conv.output_shape) == [None, "?", 8]
    assert conv.note == flatten.note == "`X.shape[1]`, not known statically"
    (dense,) = found["functional"].layers
    assert dense.note == "`X.shape[1:]`, not known statically"


def test_no_input_shape_at_all_is_built_when_first_called() -> None:
    summary = models("model = keras.Sequential([layers.Dense(3)])\n")["model"]
    assert summary.layers[0].note == "no input shape: built when first called"


def test_known_shapes_have_no_note() -> None:
    summary = models(
        "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)])\n"
    )["model"]
    assert [r.note for r in summary.layers] == ["", ""] and summary.status == KNOWN


def test_an_unknown_argument_is_the_reason() -> None:
    summary = models(
        """
model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(compute_units()), layers.Dense(2)])
"""
    )["model"]
    first, second = summary.layers
    assert first.note == "an argument of this layer not known statically"
    assert (second.output_shape, second.note) == ((None, 2), "")
    assert second.params is None and summary.status == PARTIAL


def test_an_unknown_value_with_a_name_is_a_symbol() -> None:
    # Named where it is assigned, or by its code (len(...), .shape[i]); arithmetic on a
    # symbol is unknown again. Symbols need no note: the name says what is not known.
    summary = models(
        """
import numpy as np
X = np.load("x.npy")
units = compute_units()
model = keras.Sequential([
    keras.Input(shape=(4,)),
    layers.Dense(units),
    layers.Dense(len(X)),
    layers.Dense(X.shape[1]),
    layers.Dense(units * 2),
])
"""
    )["model"]
    assert [shape_to_json(r.output_shape) for r in summary.layers] == [
        [None, "units"],
        [None, "len(X)"],
        [None, "X.shape[1]"],
        [None, "?"],
    ]
    assert [r.note for r in summary.layers][:3] == ["", "", ""]
    assert summary.status == PARTIAL and summary.params is None


def test_a_symbol_passes_where_keras_passes_the_dim_on() -> None:
    # `same` convolutions at stride 1 keep it; a valid one computes with it (unknown); the
    # same symbol on both sides of an add stays; two different ones are not assumed equal.
    summary = models(
        """
import numpy as np
X = np.load("x.npy")
Y = np.load("y.npy")
steps = X.shape[1]
inp = keras.Input(shape=(steps, 3))
a = layers.Conv1D(4, 5, padding="same")(inp)
b = layers.Conv1D(4, 5)(inp)
c = layers.Add()([a, layers.Conv1D(4, 1)(inp)])
d = layers.Add()([a, layers.Reshape((Y.shape[1], 4))(a)])
model = keras.Model(inp, [b, c, d])
"""
    )["model"]
    assert [shape_to_json(r.output_shape) for r in summary.layers] == [
        [None, "X.shape[1]", 4],
        [None, "?", 4],
        [None, "X.shape[1]", 4],
        [None, "X.shape[1]", 4],
        [None, "Y.shape[1]", 4],
        [None, "?", 4],
    ]


def test_dims_computed_from_tensors_are_not_named() -> None:
    # ``n`` is unknown because a layer upstream is: that is the reason to show, not ``n``.
    summary = models(
        """
inp = keras.Input(shape=(8,))
h = layers.Dense(compute_units())(inp)
n = h.shape[-1]
model = keras.Model(inp, layers.Reshape((n, 1))(h))
"""
    )["model"]
    assert shape_to_json(summary.layers[-1].output_shape) == [None, "?", 1]


# ---------------------------------------------------------------- a builder called several times

BUILDER = """
def build(n):
    m = keras.Sequential()
    m.add(layers.Dense(n, input_shape=(4,)))
    return m
"""


def test_each_call_of_a_builder_is_named() -> None:
    found = infer_shapes(source(BUILDER + "a = build(10)\nb = build(20)\na = build(30)\n"))
    assert [(s.model, s.line, s.call.code, s.call.line) for s in found] == [  # type: ignore[union-attr]
        ("a", 6, "build(10)", 9),
        ("b", 6, "build(20)", 10),
        ("a", 6, "build(30)", 11),
    ]
    assert [s.call.occurrence for s in found] == [0, 0, 0]  # type: ignore[union-attr]


def test_a_call_that_runs_twice_is_numbered(tmp_path: Path) -> None:
    text = source(BUILDER + "for n in (2, 3):\n    m = build(n)\n")
    found = infer_shapes(text)
    assert [(s.call.code, s.call.occurrence, s.outputs) for s in found] == [  # type: ignore[union-attr]
        ("build(n)", 1, ((None, 2),)),
        ("build(n)", 2, ((None, 3),)),
    ]
    result = tdlint("shapes", str(write(tmp_path / "m.py", text)), "--color", "never")
    assert "built by `build(n)` at line 10, #1)" in result.stdout
    assert "built by `build(n)` at line 10, #2)" in result.stdout


def test_the_call_is_in_the_title_and_in_json(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", source(BUILDER + "a = build(10)\nb = build(20)\n"))
    text = tdlint("shapes", str(path), "--color", "never").stdout
    assert f"a ({path}:6, sequential; built by `build(10)` at line 9)" in text
    assert f"b ({path}:6, sequential; built by `build(20)` at line 10)" in text
    found = json.loads(tdlint("shapes", str(path), "--output-format", "json").stdout)
    assert [m["call"] for m in found] == [
        {"code": "build(10)", "line": 9},
        {"code": "build(20)", "line": 10},
    ]


def test_a_variable_reused_at_module_level_gives_two_tables() -> None:
    found = infer_shapes(
        source(
            "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\n"
            "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(5)])\n"
        )
    )
    assert [(s.model, s.line, s.outputs) for s in found] == [
        ("model", 4, ((None, 3),)),
        ("model", 5, ((None, 5),)),
    ]


def test_a_model_built_at_module_level_has_no_call() -> None:
    (summary,) = infer_shapes(source("model = keras.Sequential([layers.Dense(3)])\n"))
    assert summary.call is None


# ---------------------------------------------------------------- the summary line


def test_the_output_ends_with_how_much_is_known(tmp_path: Path) -> None:
    path = write(
        tmp_path / "m.py",
        source(
            CUSTOM_LAYER
            + """
known = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])
partial = keras.Sequential([layers.Dense(3)])
custom = keras.Sequential([keras.Input(shape=(4,)), MyLayer()])
also_known = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
"""
        ),
    )
    result = tdlint("shapes", str(path), "--color", "never")
    assert result.returncode == 0
    last = result.stdout.strip().splitlines()[-1]
    assert last == "4 models: 2 fully known, 1 partly known, 1 with unknown layers"
    found = json.loads(tdlint("shapes", str(path), "--output-format", "json").stdout)
    assert [m["status"] for m in found] == [KNOWN, PARTIAL, UNKNOWN_LAYERS, KNOWN]


def test_one_model_is_singular(tmp_path: Path) -> None:
    path = write(
        tmp_path / "m.py",
        source("m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\n"),
    )
    last = tdlint("shapes", str(path)).stdout.strip().splitlines()[-1]
    assert last == "1 model: 1 fully known, 0 partly known, 0 with unknown layers"


# ---------------------------------------------------------------- width in a pipe

LONG = """
inp = keras.Input(shape=(100000, 300000, 12345))
x = layers.TimeDistributed(layers.Dense(98765, name="a_rather_long_layer_name"))(inp)
wide_model_with_a_long_name = keras.Model(inp, x)
"""


@pytest.mark.parametrize("columns", [None, "40"])
def test_tables_keep_their_width_in_a_pipe(tmp_path: Path, columns: str | None) -> None:
    import os
    import subprocess
    import sys

    path = write(tmp_path / "m.py", source(LONG))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns:
        env["COLUMNS"] = columns
    result = subprocess.run(
        [sys.executable, "-m", "tdlint", "shapes", str(path), "--color", "never"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0
    assert "…" not in result.stdout
    table_lines = [line for line in result.stdout.splitlines() if "│" in line]
    row = next(line for line in table_lines if "TimeDistributed(Dense)" in line)
    assert "(None, 100000, 300000, 98765)" in row and f"{98765 * 12346:,}" in row
    assert f"wide_model_with_a_long_name ({path}:7, functional)" in result.stdout


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
def test_on_a_narrow_terminal_names_fold_instead_of_being_cut(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = write(tmp_path / "m.py", source(LONG))
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "50"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tdlint", "shapes", str(path), "--color", "never"],
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=120) == 0
    os.close(master)
    lines = b"".join(chunks).decode().replace("\r", "").splitlines()
    body = [line.split("│") for line in lines if line.startswith("│")]
    assert len(body) > 1 and all(len(line) <= 50 for line in lines if "│" in line)
    assert "".join(cells[1].strip() for cells in body) == "TimeDistributed(Dense)"
    assert "".join(cells[3].strip() for cells in body) == "(None,100000,300000,98765)"


# ---------------------------------------------------------------- exit status


def test_a_file_that_does_not_parse_is_an_error_and_the_others_are_summarised(
    tmp_path: Path,
) -> None:
    write(tmp_path / "bad.py", "import keras\nmodel = keras.Sequential(\n")
    write(
        tmp_path / "good.py",
        source("m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\n"),
    )
    result = tdlint("shapes", str(tmp_path), "--color", "never")
    assert result.returncode == 2
    assert f"tdlint: error: {tmp_path / 'bad.py'}:" in result.stderr
    assert "SyntaxError" in result.stderr
    assert "1 model: 1 fully known" in result.stdout


def test_a_file_that_cannot_be_decoded_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"import keras\nname = '\xff\xfe'\n")
    result = tdlint("shapes", str(path))
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    result = tdlint("shapes", str(tmp_path / "nowhere.py"))
    assert result.returncode == 2 and "no such file or directory" in result.stderr


def test_files_without_models_are_not_errors(tmp_path: Path) -> None:
    write(tmp_path / "plain.py", "print('no keras here')\n")
    write(tmp_path / "broken_but_not_keras.py", "def f(:\n")
    write(tmp_path / "keras_but_no_model.py", "import keras\nx = 1\n")
    result = tdlint("shapes", str(tmp_path))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.strip() == "No Keras models found."


def _notebook(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": c, "outputs": [],
                 "execution_count": None}
                for c in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )  # fmt: skip


def test_notebooks_are_summarised_cell_by_cell(tmp_path: Path) -> None:
    write(
        tmp_path / "n.ipynb",
        _notebook(
            "%matplotlib inline\nimport keras\nfrom keras import layers",
            "model = keras.Sequential([\n    keras.Input(shape=(4,)),\n    layers.Dense(3),\n])",
        ),
    )
    result = tdlint("shapes", str(tmp_path / "n.ipynb"), "--color", "never")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"model ({tmp_path / 'n.ipynb'}:cell 2:1, sequential)")
    lines = result.stdout.splitlines()
    cells = [[c.strip() for c in line.strip("│").split("│")] for line in lines if "│" in line]
    assert cells == [["Dense", "2:3", "(None, 3)", "15"]]
    assert "Cell:line" in result.stdout
    (model,) = json.loads(tdlint("shapes", str(tmp_path), "--output-format", "json").stdout)
    assert (model["cell"], model["line"]) == (2, 1)
    assert [(r["cell"], r["line"], r["params"]) for r in model["layers"]] == [(2, 3, 15)]


def test_a_file_that_is_no_notebook_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "bad.ipynb", "{not json")
    result = tdlint("shapes", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"tdlint: error: {tmp_path / 'bad.ipynb'}: cannot read:")


# ---------------------------------------------------------------- what is known agrees with Keras

# Custom layers defined in the file: tdlint runs their __init__, build and call
# (tdlint.analysis.classes); every row's shape and parameter count must be Keras's.
ORACLE_CASES = {
    "functional_chain": """
class Scale(layers.Layer):
    def call(self, x):
        return x * 2.0

inp = keras.Input(shape=(8, 4))
x = layers.Conv1D(16, 3)(inp)
x = Scale()(x)
x = layers.LSTM(5)(x)
model = keras.Model(inp, layers.Dense(3)(x))
""",
    "sequential_middle": """
class Scale(layers.Layer):
    def call(self, x):
        return x * 2.0

model = keras.Sequential([
    keras.Input(shape=(12,)),
    layers.Dense(32),
    Scale(),
    layers.Dense(10),
    layers.Dropout(0.1),
])
""",
    "reshaping_custom_layer": """
class Pairs(layers.Layer):
    def call(self, x):
        return keras.ops.reshape(x, (-1, 4, 2))

inp = keras.Input(shape=(8,))
x = layers.Dense(8)(inp)
x = Pairs()(x)
x = layers.Flatten()(x)
model = keras.Model(inp, layers.Dense(5, activation="softmax")(x))
""",
    "shared_custom_layer": """
class Scale(layers.Layer):
    def call(self, x):
        return x * 2.0

scale = Scale()
a = keras.Input(shape=(6,))
b = keras.Input(shape=(6,))
da, db = layers.Dense(4)(a), layers.Dense(4)(b)
merged = layers.Concatenate()([scale(da), scale(db)])
model = keras.Model([a, b], layers.Dense(2)(merged))
""",
    "patches_and_positions": """
class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        batch_size = keras.ops.shape(images)[0]
        patches = keras.ops.image.extract_patches(images, size=self.patch_size)
        return keras.ops.reshape(patches, (batch_size, -1, patches.shape[-1]))


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim):
        super().__init__()
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(num_patches, projection_dim)

    def call(self, patch):
        positions = keras.ops.expand_dims(keras.ops.arange(0, self.num_patches), axis=0)
        return self.projection(patch) + self.position_embedding(positions)


inp = keras.Input(shape=(24, 24, 3))
x = PatchEncoder(36, 8)(Patches(4)(inp))
x = layers.GlobalAveragePooling1D()(x)
model = keras.Model(inp, layers.Dense(3)(x))
""",
    "weights_in_build": """
class Linear(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="zeros")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b


model = keras.Sequential([keras.Input(shape=(7,)), Linear(5), Linear(), layers.Dense(2)])
""",
    "blocks_of_blocks": """
class ConvBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.convs = [layers.Conv2D(filters, 3, padding="same") for _ in range(2)]
        self.norm = layers.BatchNormalization()

    def call(self, x, training=False):
        for conv in self.convs:
            x = conv(x)
        return keras.ops.relu(self.norm(x, training=training))


class Tower(layers.Layer):
    def __init__(self, widths):
        super().__init__()
        self.blocks = [ConvBlock(w) for w in widths]
        self.first = self.blocks[0]  # one layer held twice: its weights count once
        self.pool = layers.MaxPooling2D()

    def call(self, x):
        for block in self.blocks:
            x = self.pool(block(x))
        return x


inp = keras.Input(shape=(16, 16, 3))
x = Tower([4, 8])(inp)
model = keras.Model(inp, layers.Dense(2)(layers.Flatten()(x)))
""",
    "augmented_assignment": """

class Antirectifier(layers.Layer):
    def build(self, input_shape):
        output_dim = input_shape[-1]
        self.kernel = self.add_weight(shape=(output_dim * 2, output_dim), initializer="zeros")

    def call(self, inputs):
        inputs -= keras.ops.mean(inputs, axis=-1, keepdims=True)
        pos = keras.ops.relu(inputs)
        neg = keras.ops.relu(-inputs)
        concatenated = keras.ops.concatenate([pos, neg], axis=-1)
        return keras.ops.matmul(concatenated, self.kernel)


model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(256), Antirectifier(), layers.Dense(10)])
""",
    "conv_subclass": """
class StandardizedConv2D(layers.Conv2D):
    def convolution_op(self, inputs, kernel):
        mean = keras.ops.mean(kernel, axis=(0, 1, 2), keepdims=True)
        return keras.ops.conv(inputs, kernel - mean, padding="valid", strides=1)


inp = keras.Input(shape=(10, 10, 2))
model = keras.Model(inp, StandardizedConv2D(4, 3)(inp))
""",
    "catalogue_subclass_with_init": """
class Wide(layers.Dense):
    def __init__(self, units, scale=2, **kwargs):
        super().__init__(units * scale, **kwargs)
        self.scale = scale


class Attention(layers.MultiHeadAttention):
    \"\"\"Changes only how scores are computed.\"\"\"

    def __init__(self, heads, **kwargs):
        super().__init__(num_heads=heads, **kwargs)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        return super()._compute_attention(query, key, value, attention_mask, training)


inp = keras.Input(shape=(10, 6))
x = Attention(2, key_dim=4)(inp, inp)
model = keras.Model(inp, Wide(3, activation="relu")(x))
""",
    "several_outputs": """
class Tokens(layers.Layer):
    def __init__(self, dim):
        super().__init__()
        self.project = layers.Dense(dim)

    def call(self, x):
        patches = keras.ops.reshape(x, (-1, 4, 6))
        return self.project(patches), patches


inp = keras.Input(shape=(8, 3))
tokens, patches = Tokens(5)(inp)
sequence, state_h, state_c = layers.LSTM(7, return_sequences=True, return_state=True)(tokens)
merged = layers.Concatenate()([layers.Flatten()(sequence), state_h, state_c, layers.Flatten()(patches)])
model = keras.Model(inp, merged)
""",
}

KERAS_LAYERS_RECORD = """
def _shapes(output):
    if isinstance(output, (list, tuple)):
        return [list(t.shape) for t in output]
    return list(output.shape)


def record(namespace):
    return [
        [type(layer).__name__, _shapes(layer.output), layer.count_params()]
        for layer in namespace["model"].layers
        if not isinstance(layer, keras.layers.InputLayer)
    ]
"""


def _disagreements(tdlint_rows: list[dict[str, Any]], keras_rows: list[Any]) -> list[str]:
    """Where tdlint claims to know something Keras says otherwise."""
    if len(tdlint_rows) != len(keras_rows):
        return [f"{len(tdlint_rows)} rows, Keras has {len(keras_rows)} layers"]
    problems = []
    for row, (name, shape, params) in zip(tdlint_rows, keras_rows, strict=True):
        if row["layer"] != name:
            problems.append(f"layer {row['layer']} is Keras's {name}")
        ours = row["output_shape"]
        if ours is not None:
            if len(ours) != len(shape):
                problems.append(f"{name}: rank of {ours} vs {shape}")
            problems += [
                f"{name}: {ours} vs {shape}"
                for mine, theirs in zip(ours, shape, strict=False)
                if mine != "?" and mine != theirs
            ]
        if row["params"] is not None and row["params"] != params:
            problems.append(f"{name}: {row['params']} parameters vs {params}")
    return problems


@pytest.mark.oracle
def test_rows_around_custom_layers_agree_with_keras(tmp_path: Path) -> None:
    from oracle.harness import keras_available, run_keras_files, run_tdlint_shapes

    if not keras_available():
        pytest.skip("needs keras and jax")
    header = "import keras\nfrom keras import layers\n"  # runs without TensorFlow
    paths = [write(tmp_path / f"{name}.py", header + body) for name, body in ORACLE_CASES.items()]
    keras_rows = run_keras_files(KERAS_LAYERS_RECORD, paths)
    reports = {Path(r["filename"]).name: r for r in run_tdlint_shapes(paths)}
    problems = []
    for path in paths:
        report = reports[path.name]
        problems += [
            f"{path.stem}: {p}" for p in _disagreements(report["layers"], keras_rows[str(path)])
        ]
        # Not vacuous: every row is known (a "?" would pass the comparison).
        if report["status"] != KNOWN:
            problems.append(f"{path.stem}: {report['status']}")
    assert not problems, "\n".join(problems)


class _Terminal(io.StringIO):
    """What a terminal looks like to rich: a file that is a tty."""

    def isatty(self) -> bool:
        return True


def _printed(file: io.StringIO, width: int) -> list[str]:
    """The shapes table of LONG as `tdlint shapes --color never` prints it (its console
    settings), into ``file`` of ``width`` columns, in this process."""
    from rich.console import Console

    from tdlint.shapes_command import print_summaries

    console = Console(
        file=file, width=width, force_terminal=False, no_color=True, highlight=False, soft_wrap=True
    )
    print_summaries(infer_shapes(source(LONG), "m.py"), console)
    return file.getvalue().splitlines()


def test_in_a_file_the_table_gets_the_width_it_needs_whatever_the_console_width() -> None:
    lines = _printed(io.StringIO(), 40)
    row = next(line for line in lines if "TimeDistributed(Dense)" in line)
    assert "(None, 100000, 300000, 98765)" in row and f"{98765 * 12346:,}" in row
    assert "…" not in "".join(lines)


def test_on_a_terminal_long_cells_fold_within_the_width() -> None:
    lines = _printed(_Terminal(), 42)
    table = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert table and all(len(line) <= 42 for line in table)
    header = [line.split("┃") for line in table if line.startswith("┃")]
    assert "Line" in [cell.strip() for cells in header for cell in cells]  # not wrapped
    body = [line.split("│") for line in table if line.startswith("│")]
    assert "".join(cells[1].strip() for cells in body) == "TimeDistributed(Dense)"
    assert "".join(cells[3].strip() for cells in body) == "(None,100000,300000,98765)"
    assert [cells[4].strip() for cells in body if cells[4].strip()] == [f"{98765 * 12346:,}"]


def test_notebooks_and_the_python_files_after_them_are_summarised(tmp_path: Path) -> None:
    empty = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    write(tmp_path / "a.ipynb", empty)
    write(tmp_path / "b.ipynb", empty)
    write(
        tmp_path / "c.py",
        source("m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])\n"),
    )
    result = tdlint("shapes", ".", "--color", "never", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")  # empty notebooks: no models
    assert "m (c.py:4, sequential)" in result.stdout


def test_a_file_too_deep_to_parse_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.py", "import keras\nx = " + "(" * 3000 + "1" + ")" * 3000 + "\n")
    result = tdlint("shapes", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"tdlint: error: {path}: too deeply nested to parse safely")


def test_the_text_table_names_unknown_layers_and_goes_on_after_an_empty_model() -> None:
    found = models(
        """
        empty = keras.Sequential(make_layers())
        m = keras.Sequential([keras.Input(shape=(4,)), MyLayer(), layers.Dense(2)])
        """
    )
    text = render([found["empty"], found["m"]])
    empty_at = text.index("No layers known (layers not known statically).")
    assert text.index("MyLayer (unknown layer)") > empty_at  # the next model's table follows
    assert "2 models: 0 fully known, 0 partly known, 2 with unknown layers" in text


def test_a_layer_with_several_outputs_lists_their_shapes_as_keras_prints_them() -> None:
    [summary] = infer_shapes(
        source(
            """
            inp = keras.Input(shape=(8, 3))
            seq, h, c = layers.LSTM(7, return_sequences=True, return_state=True)(inp)
            model = keras.Model(inp, [seq, h])
            """
        )
    )
    [row] = summary.layers
    assert row.output_shape == [(None, 8, 7), (None, 7), (None, 7)] and row.known
    assert "[(None, 8, 7), (None, 7), (None, 7)]" in render([summary])
    json_row = summary.to_json()["layers"][0]
    assert json_row["output_shape"] == [[None, 8, 7], [None, 7], [None, 7]]


def test_one_unknown_output_makes_the_row_unknown() -> None:
    [summary] = infer_shapes(
        source(
            """
            n = int(input())
            inp = keras.Input(shape=(8, 3))
            seq, h, c = layers.LSTM(n * 2, return_sequences=True, return_state=True)(inp)
            model = keras.Model(inp, seq)
            """
        )
    )
    [row] = summary.layers
    assert isinstance(row.output_shape, list) and not row.known and not row.shape_known()
    assert "(None, 8, ?)" in render([summary])


def test_a_row_of_several_outputs_is_known_only_when_each_is() -> None:
    from tdlint.analysis.summary import LayerRow

    def row(*shapes: Any) -> LayerRow:
        return LayerRow(line=1, layer="Split", output_shape=list(shapes), params=0)

    assert row((None, 2), (None, 3)).known
    assert not row((None, 2), (None, UNKNOWN)).known
    assert not row((None, UNKNOWN), (None, 2)).shape_known()
    assert not row((None, 2), None).shape_known()
