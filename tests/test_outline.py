"""``tdlint.api.analyse_source`` and ``tdlint.outline``: what is at a position, with its shapes
(what `tdlint server` shows on hover), from the same analysis as the diagnostics."""

from __future__ import annotations

from pathlib import Path

from tdlint.api import analyse_source, check_source, infer_shapes
from tdlint.outline import LayerInfo, ModelInfo, TensorInfo

ROOT = Path(__file__).resolve().parents[1]

FUNCTIONAL = """\
import keras
from keras import layers

def build(n_classes, width=64):
    inputs = keras.Input(shape=(100,))
    x = layers.Embedding(1000, width)(inputs)
    dense = layers.Dense(n_classes)
    x = layers.LSTM(32)(x)
    out = dense(x)
    return keras.Model(inputs, out)

m = build(3)
g = build(n)
seq = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(4)])
seq.add(layers.Dense(2))
x = 1
"""


def column(line: str, text: str) -> int:
    """The 1-based column of ``text`` on a line."""
    return line.index(text) + 1


def at(source: str, row: int, text: str, word: str = ""):  # noqa: ANN201
    _, outline = analyse_source(source, "m.py")
    assert outline is not None
    line = source.splitlines()[row - 1]
    return outline.at(row, column(line, text), word)


def test_same_diagnostics_as_check_source() -> None:
    for path in sorted((ROOT / "examples").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        result, _ = analyse_source(source, str(path))
        assert list(result.diagnostics) == check_source(source, str(path)), path.name


def test_same_models_as_infer_shapes_after_the_rules_ran() -> None:
    """The outline reads the graph the rules have read: its summaries are infer_shapes's."""
    for path in sorted((ROOT / "examples").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        _, outline = analyse_source(source, str(path))
        expected = infer_shapes(source, str(path))
        found = {
            id(summary): summary
            for bindings in (outline.bindings.values() if outline else ())
            for binding in bindings
            for info in binding.infos
            if isinstance(info, ModelInfo)
            for summary in info.summaries
        }
        assert all(summary in expected for summary in found.values()), path.name
        if expected and any(s.model != "<model>" for s in expected):
            assert found, path.name


def test_a_layer_at_its_construction_and_its_application() -> None:
    hit = at(FUNCTIONAL, 6, "Embedding")
    assert hit is not None and isinstance(hit.infos[0], LayerInfo)
    (run,) = hit.infos[0].runs  # two builds, the same shapes: one run, no build named
    assert (run.outputs, run.inputs, run.params, run.context) == (
        ("(None, 100, 64)",),
        ("(None, 100)",),
        64000,
        "",
    )
    applied = at(FUNCTIONAL, 9, "dense(x)")  # the application of a layer made on line 7
    assert applied is not None and applied.infos[0].row == 7


def test_an_input_call_is_its_tensor() -> None:
    hit = at(FUNCTIONAL, 5, "keras.Input")
    assert hit is not None and hit.infos == (TensorInfo(("(None, 100)",)),)
    assert at(FUNCTIONAL, 14, "keras.Input").infos == (TensorInfo(("(None, 10)",)),)


def test_a_shape_that_depends_on_the_build_names_each_build_and_why() -> None:
    hit = at(FUNCTIONAL, 7, "layers.Dense")
    assert hit is not None
    runs = hit.infos[0].runs
    assert [(r.outputs, r.params) for r in runs] == [
        (("(None, 3)",), 99),
        (("(None, ?)",), None),
    ]
    assert runs[0].context == "`build(3)` (line 12)" and runs[0].note == ""
    assert runs[1].context == "`build(n)` (line 13)"
    assert runs[1].note == "an argument of this layer not known statically"


def test_a_variable_is_its_latest_assignment_in_its_function() -> None:
    # `x` on line 8 is the Embedding's output (the argument), then the LSTM's (the target).
    argument = at(FUNCTIONAL, 8, "(x)", "x")
    target = at(FUNCTIONAL, 8, "x =", "x")
    assert argument is not None and target is not None
    assert isinstance(argument.infos[0], TensorInfo)
    assert argument.infos[0].shapes == ("(None, 100, 64)",)
    assert target.infos[0].shapes == ("(None, 32)",)
    assert target.span.row == 8 and argument.span.row == 6  # where each was assigned
    # The module-level `x = 1` is no tensor, and the function's `x` is not seen outside it.
    _, outline = analyse_source(FUNCTIONAL, "m.py")
    assert outline is not None and outline.binding("x", 16, 1) is None


def test_a_model_variable_is_its_summary() -> None:
    hit = at(FUNCTIONAL, 12, "m", "m")
    assert hit is not None and isinstance(hit.infos[0], ModelInfo)
    (summary,) = hit.infos[0].summaries
    assert summary.params == 64000 + 12416 + 99 and summary.call.code == "build(3)"
    sequential = at(FUNCTIONAL, 15, "seq", "seq")  # a later use of the variable
    assert sequential is not None
    assert [r.layer for r in sequential.infos[0].summaries[0].layers] == ["Dense", "Dense"]


def test_nothing_at_plain_code_and_no_outline_without_a_parse() -> None:
    assert at(FUNCTIONAL, 1, "import") is None
    result, outline = analyse_source("import keras\nx = (\n", "m.py")
    assert outline is None and [d.code for d in result.diagnostics] == ["TDL000"]
    result, outline = analyse_source("print(1)\n", "m.py")
    assert outline is None and result.diagnostics == ()


def test_inlay_hint_rows_are_the_lines_that_apply_a_layer() -> None:
    _, outline = analyse_source(FUNCTIONAL, "m.py")
    assert outline is not None
    rows = {hint.row: hint.shapes for hint in outline.hints}
    assert rows[6] == ("(None, 100, 64)",)
    assert rows[9] == ("(None, 3)", "(None, ?)")  # two builds, two shapes
    assert rows[14] == ("(None, 4)",) and rows[15] == ("(None, 2)",)
    assert 7 not in rows  # a construction applies nothing


def test_on_result_comes_first_and_can_skip_the_outline() -> None:
    seen = []
    result, outline = analyse_source(FUNCTIONAL, "m.py", on_result=lambda r: seen.append(r))
    assert seen == [result] and outline is not None
    result, outline = analyse_source(FUNCTIONAL, "m.py", on_result=lambda r: False)
    assert outline is None
    seen.clear()
    analyse_source("print(1)\n", "m.py", on_result=seen.append)  # not analysed: still told
    assert len(seen) == 1
