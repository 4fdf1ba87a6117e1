"""The abstract interpreter: code shapes, constants, control flow, and unknowns that stay
unknown. Layer arithmetic itself is checked against Keras in test_layer_oracle.py; here the
question is only whether values flow where they should."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from tdlint.analysis import analyze
from tdlint.analysis.interpreter import Interpreter
from tdlint.analysis.summary import ModelSummary
from tdlint.api import check_source, infer_shapes
from tdlint.keras.shapes import is_unknown, shape_to_json

HEADER = "import keras\nfrom keras import layers\n"


def models(body: str) -> dict[str, ModelSummary]:
    return {m.model: m for m in infer_shapes(HEADER + textwrap.dedent(body))}


def output(body: str, name: str = "model") -> object:
    return models(body)[name].outputs


@pytest.mark.parametrize(
    "expr",
    [
        "32",
        "2 * 16",
        "64 // 2",
        "len('abcdefghijklmnopqrstuvwxyzabcdef')",
        "int(32.0)",
        "max(8, 32)",
        "N",
    ],
)
def test_constants_propagate(expr: str) -> None:
    body = f"""
        N = 4 * 8
        units = {expr}
        model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(units)])
    """
    assert output(body) == ((None, 32),)


def test_function_level_constants_and_tuples() -> None:
    body = """
        def build():
            shape = (10, 4)
            timesteps, features = shape
            model = keras.Sequential()
            model.add(layers.LSTM(8, input_shape=(timesteps, features), return_sequences=True))
            return model
    """
    (summary,) = models(body).values()
    assert summary.outputs == ((None, 10, 8),)


def test_unknown_values_stay_unknown() -> None:
    body = """
        import numpy as np
        X = np.load("data.npy")
        model = keras.Sequential([keras.Input(shape=X.shape[1:]), layers.Dense(len(X))])
    """
    assert output(body) == (None,)


def test_for_loop_with_constant_count_is_unrolled() -> None:
    body = """
        model = keras.Sequential([keras.Input(shape=(16,))])
        for units in [64, 32, 8]:
            model.add(layers.Dense(units))
        for _ in range(2):
            model.add(layers.Dropout(0.1))
    """
    summary = models(body)["model"]
    assert [row.layer for row in summary.layers] == [
        "Dense",
        "Dense",
        "Dense",
        "Dropout",
        "Dropout",
    ]
    assert summary.outputs == ((None, 8),)


def test_loop_of_unknown_length_makes_the_model_unknown() -> None:
    body = """
        def build(n):
            model = keras.Sequential([keras.Input(shape=(10, 4))])
            for _ in range(n):
                model.add(layers.LSTM(8, return_sequences=True))
            model.add(layers.TimeDistributed(layers.Dense(1)))
            return model
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


def test_loop_that_breaks_is_not_unrolled() -> None:
    body = """
        x = keras.Input(shape=(10, 4))
        for units in (8, 16):
            if units > 8:
                break
            x = layers.LSTM(units)(x)
        out = layers.TimeDistributed(layers.Dense(1))(x)
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


def test_branch_with_known_condition_is_taken() -> None:
    body = """
        BIDIRECTIONAL = False
        model = keras.Sequential([keras.Input(shape=(10, 4))])
        if BIDIRECTIONAL:
            model.add(layers.Bidirectional(layers.LSTM(8)))
        else:
            model.add(layers.LSTM(8))
    """
    assert output(body) == ((None, 8),)


def test_branch_with_unknown_condition_joins_conservatively() -> None:
    body = """
        import sys
        model = keras.Sequential([keras.Input(shape=(10, 4))])
        if sys.argv[1] == "seq":
            model.add(layers.LSTM(8, return_sequences=True))
        else:
            model.add(layers.LSTM(8))
        model.add(layers.TimeDistributed(layers.Dense(1)))
    """
    source = HEADER + textwrap.dedent(body)
    assert check_source(source, "m.py", ignore=["TDL3"]) == []
    assert output(body) == (None,)


MAIN_GUARDED = """
    import numpy as np

    def main():
        x = np.zeros((100, 10, 8))
        y = np.zeros((100,))
        model = keras.Sequential()
        model.add(layers.LSTM(32, input_shape=(10, 8)))
        model.add(layers.Dense(3, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(x, y)

    if __name__ {op} "__main__":
        main()
"""


def test_a_script_guarded_by_dunder_main_runs_as_a_script() -> None:
    """The file is checked as the script it is: ``__name__`` is ``"__main__"``, so the guarded
    ``main()`` runs, its model is certain (params known) and its fit is checked."""
    source = HEADER + textwrap.dedent(MAIN_GUARDED.format(op="=="))
    (model,) = infer_shapes(source)
    assert (model.uncertain, model.params) == (False, 5347)
    assert [d.code for d in check_source(source, "m.py")] == ["TDL202"]


def test_layers_added_under_dunder_main_are_certain() -> None:
    """A model built at the top and completed under the guard: the guard is taken, so the
    model is not "layers added conditionally"."""
    body = """
        model = keras.Sequential([keras.Input(shape=(10, 4))])
        if __name__ == "__main__":
            model.add(layers.Dense(8))
    """
    found = models(body)["model"]
    assert (found.uncertain, found.params, found.outputs) == (False, 40, ((None, 10, 8),))


def test_a_guarded_script_with_matching_labels_is_clean() -> None:
    fixed = MAIN_GUARDED.replace("np.zeros((100,))", "np.zeros((100, 3))")
    source = HEADER + textwrap.dedent(fixed.format(op="=="))
    assert check_source(source, "m.py", ignore=["TDL3"]) == []


def test_a_model_created_in_an_unknown_branch_is_not_uncertain() -> None:
    """Only a model that existed before the branches and gained layers in one of them is
    uncertain; one built whole inside a branch is known in that branch."""
    body = """
        import sys
        if sys.argv[1] == "big":
            model = keras.Sequential([keras.Input(shape=(10, 4)), layers.Dense(8)])
        else:
            small = keras.Sequential([keras.Input(shape=(10, 4))])
            small.add(layers.Dense(2))
    """
    found = models(body)
    assert (found["model"].uncertain, found["model"].params) == (False, 40)
    assert found["model"].outputs == ((None, 10, 8),)
    assert (found["small"].uncertain, found["small"].params) == (False, 10)


def test_sequential_layers_keyword_and_name_argument() -> None:
    body = """
        clf = keras.Sequential(layers=[keras.Input(shape=(3,)), layers.Dense(2)], name="clf")
    """
    assert output(body, "clf") == ((None, 2),)


@pytest.mark.parametrize(
    "call",
    [
        "keras.Model(inp, out)",
        "keras.Model(inputs=inp, outputs=out)",
        "keras.Model(input=inp, output=out)",
        "keras.models.Model([inp], [out])",
        "keras.Model(inputs={'a': inp}, outputs={'b': out})",
    ],
)
def test_functional_model_spellings(call: str) -> None:
    body = f"""
        inp = keras.Input(shape=(5,))
        out = layers.Dense(3)(inp)
        model = {call}
    """
    summary = models(body)["model"]
    assert summary.inputs == ((None, 5),) and summary.outputs == ((None, 3),)


def test_a_model_input_and_output_start_another_model() -> None:
    body = """
        inp = keras.Input(shape=(6,))
        encoder = keras.Model(inp, layers.Dense(4)(inp))
        model = keras.Model(encoder.input, layers.Dense(2)(encoder.output))
        both = keras.Model(encoder.inputs, encoder.outputs)
    """
    found = models(body)
    assert found["model"].inputs == ((None, 6),) and found["model"].params == 28 + 10
    assert found["both"].inputs == ((None, 6),) and found["both"].outputs == ((None, 4),)


def test_layer_variables_shared_layers_and_several_outputs() -> None:
    body = """
        shared = layers.Dense(4)
        a = keras.Input(shape=(6,))
        b = keras.Input(shape=(6,))
        out_a, out_b = shared(a), shared(b)
        merged = layers.Concatenate()([out_a, out_b])
        model = keras.Model(inputs=[a, b], outputs=[merged, out_b])
    """
    summary = models(body)["model"]
    assert summary.outputs == ((None, 8), (None, 4))
    assert [row.layer for row in summary.layers] == ["Dense", "Concatenate"]


def test_return_state_unpacking() -> None:
    body = """
        inp = keras.Input(shape=(10, 3))
        seq, h, c = layers.LSTM(7, return_sequences=True, return_state=True)(inp)
        model = keras.Model(inp, [seq, h, c])
    """
    assert models(body)["model"].outputs == ((None, 10, 7), (None, 7), (None, 7))


def test_subclassed_model_layers_are_checked() -> None:
    body = """
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.rnn = layers.GRU(8)
                self.head = layers.TimeDistributed(layers.Dense(2))
            def call(self, inputs):
                return self.head(self.rnn(inputs))
    """
    assert [d.code for d in check_source(HEADER + textwrap.dedent(body), "m.py")] == ["TDL003"]


def test_helper_function_parameters_are_unknown() -> None:
    body = """
        def block(x, units, sequences):
            x = layers.LSTM(units, return_sequences=sequences)(x)
            return layers.TimeDistributed(layers.Dense(units))(x)
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


def test_pathological_code_does_not_crash() -> None:
    nested = "(" * 150 + "1" + ")" * 150
    body = f"""
        x = {nested}
        big = [0] * 10**9
        y = 10 ** 10 ** 10
        for i in range(10**12):
            pass
        while True:
            model = keras.Sequential()
        z = "abc" * -1
        w = 1 / 0
    """
    source = HEADER + textwrap.dedent(body)
    assert check_source(source, "m.py") == []  # nothing wrong with the Keras in it
    (summary,) = infer_shapes(source)
    assert (summary.model, summary.kind, summary.layers) == ("model", "sequential", ())
    values = module_values(source)
    assert values["x"] == 1 and values["z"] == ""  # what is cheap to know is known...
    assert all(is_unknown(values[name]) for name in ("big", "y", "i", "w"))  # ...the rest not


def module_values(source: str) -> dict[str, object]:
    """The interpreter's values for the module's names after running ``source``."""
    interpreter = Interpreter(cst.parse_module(source), source)
    interpreter.run()
    return interpreter.globals.vars


def test_branches_keep_the_rank_of_a_shape_tuple() -> None:
    body = """
        import sys
        channels_first = sys.argv[1] == "th"
        shape = (16, 1, 1) if channels_first else (1, 1, 16)
        if channels_first:
            target = (16, 1, 1)
        else:
            target = (1, 1, 16)
        inp = keras.Input(shape=(16,))
        a = layers.Reshape(shape)(inp)
        b = layers.Reshape(target)(inp)
        model = keras.Model(inp, [a, b])
    """
    (summary,) = models(body).values()
    assert [len(s) for s in summary.outputs] == [4, 4]


def test_reshape_to_an_unknown_target_has_an_unknown_rank() -> None:
    body = """
        def build(target):
            inp = keras.Input(shape=(16,))
            x = layers.Reshape(target)(inp)
            return layers.Conv2D(4, 1)(x)
    """
    graph = analyze(cst.parse_module(HEADER + textwrap.dedent(body)))
    assert [app.error for app in graph.applications] == [None, None]


def test_code_expected_to_raise_is_not_analysed() -> None:
    body = """
        import pytest
        def test_bad_crop():
            with pytest.raises(ValueError):
                layers.Cropping1D((2, 3))(keras.Input(batch_shape=(3, 5, 7)))
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


@pytest.mark.parametrize(
    "setup",
    [
        "keras.backend.set_image_data_format('channels_first')",
        "from keras import backend as K\nif K.image_dim_ordering() == 'th': pass",
    ],
)
def test_a_file_that_sets_the_data_format_gets_no_default(setup: str) -> None:
    body = f"""
{setup}
model = keras.Sequential([keras.Input(shape=(1, 28, 28)), layers.Conv2D(8, 3), layers.MaxPooling2D()])
"""
    source = HEADER + body
    assert check_source(source, "m.py", ignore=["TDL3"]) == []
    (output,) = models(body)["model"].outputs
    # The rank is known, not the dims: JSON keeps the rank and marks each unknown dim "?".
    assert output is not None and len(output) == 4 and shape_to_json(output) == ["?"] * 4


def test_keras1_layers_get_no_default_data_format() -> None:
    source = textwrap.dedent(
        """
        from keras.models import Sequential
        from keras.layers import Convolution2D, MaxPooling2D
        model = Sequential()
        model.add(Convolution2D(64, 3, 3, border_mode='same', input_shape=(1, 28, 28)))
        model.add(MaxPooling2D())
        """
    )
    assert check_source(source, "m.py", ignore=["TDL3"]) == []


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("merge([a, b], mode='concat')", (None, 10, 24)),
        ("merge([a, b], mode='concat', concat_axis=1)", None),
        ("merge([a, a], mode='sum')", (None, 10, 16)),
        ("merge([a, a], mode='mul')", (None, 10, 16)),
        ("merge([a, b], mode='cos')", None),
    ],
)
def test_keras1_merge_function(call: str, expected: object) -> None:
    source = textwrap.dedent(
        f"""
        from keras.layers import Input, merge
        from keras.models import Model
        a = Input(shape=(10, 16))
        b = Input(shape=(10, 8))
        out = {call}
        model = Model(input=[a, b], output=out)
        """
    )
    (summary,) = infer_shapes(source)
    assert summary.outputs == (expected,)


def test_user_function_called_with_literals_and_its_generic_twin() -> None:
    body = """
        def build(steps, units=8):
            model = keras.Sequential([keras.Input(shape=(steps, 4)), layers.LSTM(units)])
            return model
        small = build(5)
        large = build(50, units=64)
    """
    found = models(body)
    assert found["small"].outputs == ((None, 8),)
    assert found["large"].outputs == ((None, 64),)
    assert set(found) == {"small", "large"}  # the unknown-parameter analysis is left out


def test_recursive_user_function_terminates() -> None:
    body = """
        def deep(x, n):
            return deep(layers.Dense(4)(x), n - 1)
        out = deep(keras.Input(shape=(3,)), 10**6)
    """
    source = HEADER + textwrap.dedent(body)
    assert check_source(source, "m.py", ignore=["TDL3"]) == []
    out = module_values(source)["out"]
    # Given up on, not guessed: no shape (a tensor of an unresolved call, kept for `shapes`).
    assert is_unknown(out) or out.shape is None


def test_lists_grown_in_loops_have_an_unknown_length_and_known_rows() -> None:
    body = """
        import numpy as np
        xs, ys = [], []
        for line in open("data.txt"):
            xs.append([1.0, 2.0])
            ys.append(1)
        X = np.array(xs)
        y = np.array(ys)
        model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(X, y)
    """
    source = HEADER + textwrap.dedent(body)
    # X is (?, 2), as the model wants; y is (?,) integer labels for a one-hot loss.
    (found,) = check_source(source, "m.py")
    assert found.code == "TDL202" and "integer class labels (?,)" in found.message


def test_lists_grown_with_rows_of_different_shapes_stay_unknown() -> None:
    body = """
        import numpy as np
        ys = []
        for line in open("data.txt"):
            if line:
                ys.append(1)
            else:
                ys.append([0, 1, 0])
            ys.extend(more)
        y = np.array(ys)
        model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(np.zeros((5, 2)), y)
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


def test_an_unknown_shape_argument_is_not_a_vector() -> None:
    body = """
        import numpy as np
        model = keras.Sequential([keras.Input(shape=(4, 4, 1)), layers.Conv2D(2, 3)])
        pixels = np.zeros(shape=(2,) + model.input_shape[1:])
        model.predict(pixels)
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


def test_a_list_grown_in_a_loop_does_not_make_later_lists_unknown() -> None:
    # Lists appended to in a loop of unknown length are marked by id; once freed, their id
    # can be reused by a new list, which must not inherit the mark (this made results vary
    # from run to run).
    body = """
        model = keras.Sequential([keras.Input(shape=(8,))])
        for i in range(20):
            items = []
            for _ in range(N):
                items.append(1)
            items = None
            units = [16, 32]
            for u in units:
                model.add(layers.Dense(u))
    """
    assert output(body) == ((None, 32),)


def test_consumers_of_a_tensor() -> None:
    source = HEADER + textwrap.dedent(
        """
        x = keras.Input(shape=(4,))
        a = layers.Dense(3)(x)
        b = layers.Dense(3)(x)
        c = layers.Add()([a, a])
        """
    )
    graph = analyze(cst.parse_module(source), source)
    dense_a, dense_b, add = graph.applications
    assert graph.consumers(dense_a.input) == [dense_a, dense_b]
    assert graph.consumers(dense_a.output) == [add]  # once, though it reads `a` twice
    assert graph.consumers(add.output) == []


@pytest.mark.parametrize(
    ("inside", "unrolled"),
    [
        (["if i == 5:", "    break"], False),
        (["if i == 5:", "    pass", "elif i == 6:", "    break"], False),
        (["try:", "    pass", "except ValueError:", "    continue"], False),
        (["if i == 5:", "    pass", "elif i == 6:", "    pass", "else:", "    x = 1"], True),
        (["for j in range(2):", "    break"], True),  # the inner loop's break
    ],
)
def test_loops_that_may_leave_early_are_not_unrolled(inside: list[str], unrolled: bool) -> None:
    """A loop body that may `break`/`continue` (in any branch of an if/elif/else, a handler...)
    runs an unknown number of times: the layers it adds make the model uncertain."""
    lines = [
        "model = keras.Sequential([keras.Input(shape=(4,))])",
        "for i in range(3):",
        "    model.add(layers.Dense(8))",
        *("    " + line for line in inside),
        "model.add(layers.Dense(2))",
    ]
    (summary,) = infer_shapes(HEADER + "\n".join(lines) + "\n")
    known = summary.params is not None and summary.outputs == ((None, 2),)
    assert known is unrolled, summary


def _units_of_last_layer(source: str) -> object:
    (summary,) = infer_shapes(HEADER + textwrap.dedent(source))
    return summary.outputs[0]


@pytest.mark.parametrize(
    ("change", "known"),
    [
        ('sizes["head"] = 5', (None, 5)),  # a known key: the new value
        ("sizes[name] = 5", None),  # an unknown key: any value may have changed
        ('if flag:\n    sizes["head"] = 5', None),  # may or may not run
        ('sizes["head"] += 2', (None, 5)),  # followed: 3 + 2
        ('sizes["head"] += extra', None),  # unknown, never the stale 3
    ],
)
def test_item_assignment_changes_the_container(change: str, known: object) -> None:
    source = f"""
sizes = {{"head": 3}}
{change}
model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(sizes["head"])])
"""
    output = _units_of_last_layer(source)
    if known is None:
        assert output is None or output[-1] != 3, output
    else:
        assert output == known


def test_lists_in_a_dict_appended_to_through_an_unknown_key_are_not_empty() -> None:
    """Found on keras-io's BERT text extraction notebook: the lists of a dict were filled
    with `d[key].append(...)` in a loop over its keys, and tdlint kept them empty, then
    reported 3 samples of features against 2 of labels."""
    body = """
        import numpy as np
        data = {"ids": [], "mask": [], "start": [], "end": []}
        for item in examples:
            for key in data:
                data[key].append(getattr(item, key))
        x = [np.array(data["ids"]), np.array(data["mask"])]
        y = [np.array(data["start"]), np.array(data["end"])]
        a, b = keras.Input(shape=(8,)), keras.Input(shape=(8,))
        merged = layers.Concatenate()([a, b])
        model = keras.Model([a, b], [layers.Dense(8)(merged), layers.Dense(8)(merged)])
        model.compile(loss="sparse_categorical_crossentropy")
        model.fit(x, y)
    """
    assert check_source(HEADER + textwrap.dedent(body), "m.py") == []


def test_python_math_on_known_numbers() -> None:
    from tdlint.analysis.constants import call_math
    from tdlint.keras.shapes import UNKNOWN, UnknownInt

    assert call_math("ceil", [10 / 3], {}) == 4
    assert call_math("log", [100, 10], {}) == 2.0
    assert isinstance(call_math("floor", [UNKNOWN], {}), UnknownInt)
    assert is_unknown(call_math("sqrt", [-1], {}))  # Python raises: unknown, never a crash
    assert is_unknown(call_math("system", [1], {}))  # only the listed functions run
