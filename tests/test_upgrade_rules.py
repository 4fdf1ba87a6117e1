"""The version rules (TDL3xx) as a whole: the target version decides what fires and how it is
fixed, the file's own version decides how old code reads, and the fixes compose."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from helpers import tdlint

from tdlint.config import Selection, Settings
from tdlint.engine import check_source
from tdlint.fixes import fix_source

UPGRADE = Selection.from_options(["TDL3"])


def codes(source: str, target: str | None = None, keras_version: str | None = None) -> list[str]:
    result = check_source(
        textwrap.dedent(source), "old.py", UPGRADE, keras_version, target_version=target
    )
    assert result.error is None, result.error
    return [d.code for d in result.diagnostics]


KERAS1 = """
from keras.models import Sequential, Model
from keras.layers import Dense, Input, merge
from keras.layers.core import Dropout
from keras.optimizers import SGD
from keras import backend as K
a, b = Input(shape=(4,)), Input(shape=(4,))
c = merge([a, b], mode="concat")
model = Model(input=[a, b], output=Dense(output_dim=1)(c))
def loss(t, p):
    return K.mean(K.square(p - t))
model.compile(SGD(lr=0.1), loss=loss)
model.fit_generator(batches(), samples_per_epoch=100, nb_epoch=2)
"""


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        # Keras 3: everything.
        (None, ["TDL301", "TDL302", "TDL302", "TDL303", "TDL305", "TDL306", "TDL307", "TDL307"]),
        ("3", ["TDL301", "TDL302", "TDL302", "TDL303", "TDL305", "TDL306", "TDL307", "TDL307"]),
        # tf.keras 2.15 kept the module paths, lr, the backend and fit_generator; the Keras 1
        # names and merge() were gone.
        ("2.15", ["TDL301", "TDL302", "TDL302", "TDL306"]),
        # Keras 2.2-2.3 still translated the Keras 1 names, but merge() was removed in 2.2.
        ("2.3", ["TDL306"]),
        ("2.1", []),
        ("1.2", []),
    ],
)
def test_the_target_decides_what_is_broken(target: str | None, expected: list[str]) -> None:
    assert sorted(codes(KERAS1, target)) == expected


def test_a_tf_keras_target_keeps_the_generator_methods_and_workers() -> None:
    source = textwrap.dedent(
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense
        model = Sequential([Dense(1, input_shape=(4,))])
        model.compile("sgd", "mse")
        model.fit_generator(gen, steps_per_epoch=10, nb_epoch=2, nb_worker=2)
        """
    )
    to_tf = fix_source(source, "old.py", UPGRADE, True, target_version="2.15")
    assert "model.fit_generator(gen, steps_per_epoch=10, epochs=2, workers=2)" in to_tf.source
    to_3 = fix_source(source, "old.py", UPGRADE, True, target_version="3")
    assert "model.fit(gen, steps_per_epoch=10, epochs=2)" in to_3.source


@pytest.mark.parametrize(
    ("keras_version", "expected"),
    [("1.2", ["TDL301"]), ("2.3", ["TDL301"]), ("2.15", []), ("3", [])],
)
def test_a_positional_kernel_is_old_only_in_old_code(
    keras_version: str, expected: list[str]
) -> None:
    """`Conv2D(32, 3, 3)` is a 3x3 kernel in Keras 1-2.3 code, and kernel 3 with strides 3
    (as written) in tf.keras 2 and Keras 3 code."""
    source = """
    from keras.layers import Convolution2D
    c = Convolution2D(32, 3, 3)
    """
    assert codes(source, keras_version=keras_version) == expected


def test_settings_target_the_pin_unless_set() -> None:
    assert Settings().target == "3"
    assert Settings(keras_version="1.2").target == "3"  # what the code is, not where it goes
    assert Settings(keras_version="2.15", keras_version_from="requirements.txt").target == "2.15"
    pinned_but_set = Settings(
        keras_version="2.15", keras_version_from="requirements.txt", target_keras_version="3"
    )
    assert pinned_but_set.target == "3"


MANY = """
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation
from keras.layers.convolutional import Convolution2D, MaxPooling2D
from keras.layers import Flatten, TimeDistributedDense
from keras.optimizers import SGD
from keras.utils import np_utils

x = np.random.rand(32, 28, 28, 1)
y = np_utils.to_categorical(np.random.randint(0, 10, 32), 10)
model = Sequential()
model.add(Convolution2D(8, 3, 3, border_mode="same", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering="tf"))
model.add(Flatten())
model.add(Dense(output_dim=10, init="glorot_uniform"))
model.add(Dropout(p=0.1))
model.add(Activation("softmax"))
model.compile(SGD(lr=0.01, decay=1e-6), "categorical_crossentropy")
model.fit(x, y, nb_epoch=1, batch_size=8)
classes = model.predict_classes(x)
"""


def test_many_hazards_are_fixed_in_one_run_and_stay_fixed() -> None:
    selection = Selection.from_options(["TDL3", "TDL002"])
    first = fix_source(MANY, "old.py", selection, True)
    cst.parse_module(first.source)
    assert [d.code for d in first.result.diagnostics] == []
    assert first.applied == 11
    again = fix_source(first.source, "old.py", selection, True)
    assert again.source == first.source and again.applied == 0
    for old in ("nb_epoch", "output_dim", "border_mode", "lr=", "np_utils import", "layers.core"):
        assert old not in first.source


def test_cli_target_option_and_configuration(tmp_path: Path) -> None:
    path = tmp_path / "old.py"
    path.write_text("from keras.layers.core import Dense\n")
    default = tdlint("check", "--isolated", "--output-format", "json", str(path))
    assert [d["code"] for d in json.loads(default.stdout)] == ["TDL303"]
    older = tdlint(
        "check",
        "--isolated",
        "--target-keras-version",
        "2.15",
        "--output-format",
        "json",
        str(path),
    )
    assert older.returncode == 0 and json.loads(older.stdout) == []
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\ntarget-keras-version = "2.15"\n')
    configured = tdlint("check", "--output-format", "json", str(path), cwd=tmp_path)
    assert configured.returncode == 0 and json.loads(configured.stdout) == []
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\ntarget-keras-version = "4"\n')
    bad = tdlint("check", str(path), cwd=tmp_path)
    assert bad.returncode == 2 and "`target-keras-version`" in bad.stderr


def test_a_pinned_tf_keras_project_is_not_rewritten_for_keras_3(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("tensorflow==2.15.0\n")
    path = tmp_path / "model.py"
    path.write_text("from tensorflow.keras.layers.experimental.preprocessing import Rescaling\n")
    pinned = tdlint("check", "--output-format", "json", str(path), cwd=tmp_path)
    assert pinned.returncode == 0 and json.loads(pinned.stdout) == []
    upgrading = tdlint(
        "check", "--target-keras-version", "3", "--output-format", "json", str(path), cwd=tmp_path
    )
    assert [d["code"] for d in json.loads(upgrading.stdout)] == ["TDL303"]


def fixes(source: str, code: str) -> list[object]:
    """The fixes of ``code``'s findings on ``source`` (None where a finding has none)."""
    result = check_source(textwrap.dedent(source), "old.py", Selection.from_options([code]))
    return [d.fix for d in result.diagnostics]


def fixed(source: str, code: str) -> str:
    selection = Selection.from_options([code])
    return fix_source(textwrap.dedent(source), "old.py", selection, True).source


def test_predict_classes_follows_the_output_units_as_keras_2_did() -> None:
    """Keras 2: arg-max for more than one unit, threshold for one, whatever the activation."""
    model = """
    import numpy as np
    from keras.models import Sequential
    from keras.layers import Dense
    model = Sequential([Dense({units}, activation="{activation}", input_dim=4)])
    c = model.predict_classes(x)
    """
    tags = model.format(units=3, activation="sigmoid")  # multi-label: still the arg-max
    assert "c = np.argmax(model.predict(x), axis=-1)" in fixed(tags, "TDL304")
    one = model.format(units=1, activation="linear")
    assert 'c = (model.predict(x) > 0.5).astype("int32")' in fixed(one, "TDL304")


def test_predict_classes_without_numpy_and_with_np_taken_has_no_fix() -> None:
    source = """
    from keras.models import Sequential
    from keras.layers import Dense
    np = "not numpy"
    model = Sequential([Dense(3, activation="softmax", input_dim=4)])
    c = model.predict_classes(x)
    """
    assert fixes(source, "TDL304") == [None]


def test_forget_bias_init_other_than_one_is_dropped_unsafely() -> None:
    source = """
    from keras.layers import LSTM
    one = LSTM(8, forget_bias_init="one")
    zero = LSTM(8, forget_bias_init="zero")
    """
    one, zero = fixes(source, "TDL301")
    assert one.applicability.value == "safe" and zero.applicability.value == "unsafe"
    out = fixed(source, "TDL301")
    assert "one = LSTM(8, unit_forget_bias=True)" in out and "zero = LSTM(8)" in out


def test_cudnn_gru_is_exact_and_cudnn_lstm_is_not() -> None:
    source = """
    from keras.layers import CuDNNGRU, CuDNNLSTM
    a = CuDNNGRU(8)
    b = CuDNNLSTM(8)
    """
    gru, lstm = fixes(source, "TDL308")
    assert gru.applicability.value == "safe" and lstm.applicability.value == "unsafe"


def test_a_backend_default_is_written_only_when_the_call_omits_it() -> None:
    source = """
    from keras import backend as K
    a = K.concatenate([x, y], axis=1)
    b = K.concatenate([x, y], 0)
    c = K.argmax(x)
    """
    out = fixed(source, "TDL307")
    assert "a = ops.concatenate([x, y], axis=1)" in out
    assert "b = ops.concatenate([x, y], 0)" in out
    assert "c = ops.argmax(x, axis=-1)" in out


def test_a_docstring_mentioning_a_removed_layer_is_no_use_of_it() -> None:
    """TDL002 removes the import of the last use; names in prose do not count."""
    source = '''
    """Once written with TimeDistributedDense; see TimeDistributedDense's docs."""
    from keras.layers import Dense, TimeDistributedDense
    td = TimeDistributedDense(4)  # the old TimeDistributedDense
    '''
    out = fixed(source, "TDL002")
    assert "from keras.layers import Dense, TimeDistributed\n" in out


def test_a_new_import_never_goes_before_a_future_import() -> None:
    from tdlint.analysis import analyze
    from tdlint.engine import parse_for_analysis
    from tdlint.rules.edits import ImportPlan

    source = "from __future__ import annotations\nimport os\n"
    graph = analyze(parse_for_analysis(source), source)
    [edit] = ImportPlan(graph, "keras.layers", add=["Dense"]).edits()
    assert edit.insert_before and edit.node is graph.imports[1].statement


def test_keras_1_recurrent_gates_keep_their_hard_sigmoid() -> None:
    """Only certainly-Keras-1 code gets the hard sigmoid written (2.3 used the sigmoid)."""
    source = textwrap.dedent(
        """
        from keras.layers import LSTM, GRU
        a = LSTM(16, dropout_W=0.2)
        b = GRU(16, inner_activation="sigmoid")
        """
    )
    selection = Selection.from_options(["TDL309"])
    keras1 = fix_source(source, "old.py", selection, True, "1.2").source
    assert 'a = LSTM(16, dropout_W=0.2, recurrent_activation="hard_sigmoid")' in keras1
    assert 'b = GRU(16, inner_activation="sigmoid", reset_after=False)' in keras1
    either = fix_source(source, "old.py", selection, True).source  # Keras 1 or 2.0-2.3
    assert "a = LSTM(16, dropout_W=0.2)\n" in either
    assert 'b = GRU(16, inner_activation="sigmoid", reset_after=False)' in either
    keras3 = check_source(source, "new.py", selection, "3")
    assert keras3.diagnostics == ()  # Keras 3 code means today's defaults


MERGED_TWICE = """
from keras.models import Sequential
from keras.layers import Merge, Dense
a = Sequential()
a.add(Dense(4, input_dim=3))
b = Sequential()
b.add(Dense(4, input_dim=2))
ab = Sequential()
ab.add(Merge([a, b], mode="sum"))
both = Sequential()
both.add(Merge([ab, b], mode="concat", concat_axis=-1))
both.add(Dense(1))
both.fit([x1, x2], y)
"""


def test_a_branch_merged_twice_gives_its_input_once() -> None:
    """Keras 1 took `b`'s input once (`fit` gets two arrays): so does the functional model,
    whose inputs are `ab`'s, which already hold `b`'s."""
    assert fixed(MERGED_TWICE, "TDL306") == textwrap.dedent(
        """
        from keras.models import Sequential, Model
        from keras.layers import Dense, add, concatenate
        a = Sequential()
        a.add(Dense(4, input_dim=3))
        b = Sequential()
        b.add(Dense(4, input_dim=2))
        ab = Model([*a.inputs, *b.inputs], add([a.outputs[0], b.outputs[0]]))
        both = Sequential()
        both.add(Dense(1))
        both = Model([*ab.inputs], both(concatenate([ab.outputs[0], b.outputs[0]], axis=-1)))
        both.fit([x1, x2], y)
        """
    )


@pytest.mark.parametrize(
    "after",
    [
        "model.summary()\nmodel.add(Dense(2))",  # added to after it is used
        "for i in range(2):\n    model.add(Dense(2))",  # added to in a loop
    ],
)
def test_a_merged_sequential_added_to_after_use_is_left_to_the_user(after: str) -> None:
    source = (
        textwrap.dedent(
            """
        from keras.models import Sequential
        from keras.layers import Merge, Dense
        a, b = Sequential([Dense(4, input_dim=3)]), Sequential([Dense(4, input_dim=2)])
        model = Sequential()
        model.add(Merge([a, b], mode="concat"))
        """
        )
        + after
        + "\n"
    )
    assert codes(source, keras_version="1.2") == ["TDL306"]
    assert fixes(source, "TDL306") == [None]


def test_embedding_input_length_is_the_input_shape_only_first_in_a_sequential() -> None:
    source = textwrap.dedent(
        """
        from keras.models import Sequential
        from keras.layers import Embedding, Input
        model = Sequential()
        model.add(Embedding(100, 8, input_length=10))
        e = Embedding(100, 8, input_length=10)(Input((10,)))
        """
    )
    assert fixed(source, "TDL301").splitlines()[4] == (
        "model.add(Embedding(100, 8, input_shape=(10,)))"
    )
    assert codes(source, target="3") == ["TDL301"]
    [finding] = check_source(source, "old.py", Selection.from_options(["TDL301"])).diagnostics
    assert finding.message.startswith("Keras 3 ignores `Embedding(input_length=)`")


RENAMED = """
from keras.constraints import maxnorm
from keras.regularizers import activity_l2, l2
from keras.layers import Dense
d = Dense(4, kernel_constraint=maxnorm(m=2), activity_regularizer=activity_l2(l=0.1))
e = Dense(4, kernel_regularizer=l2(l=0.1))
"""


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        # Keras 3: the constraint alias and the keyword `l` too (and maxnorm's import).
        ("3", ["TDL310", "TDL310", "TDL310"]),
        # tf.keras 2 had maxnorm but not its Keras 1 keyword `m`; activity_l2 went in 2.0.
        ("2.15", ["TDL310", "TDL310"]),
        # Keras 2.0-2.3 translated `m=`; activity_l2 was already gone.
        ("2.3", ["TDL310"]),
        ("1.2", []),
    ],
)
def test_renamed_functions_follow_the_target(target: str, expected: list[str]) -> None:
    assert sorted(c for c in codes(RENAMED, target) if c == "TDL310") == expected


def test_renamed_functions_fix_to_what_the_target_accepts() -> None:
    for target, line in [
        ("3", "d = Dense(4, kernel_constraint=max_norm(max_value=2), activity_regularizer=l2(l2=0.1))"),
        ("2.15", "d = Dense(4, kernel_constraint=maxnorm(max_value=2), activity_regularizer=l2(l=0.1))"),
    ]:  # fmt: skip
        selection = Selection.from_options(["TDL310"])
        result = fix_source(
            textwrap.dedent(RENAMED), "old.py", selection, True, target_version=target
        )
        assert line in result.source.splitlines(), result.source


def test_branches_sharing_part_of_their_inputs_are_left_to_the_user() -> None:
    """`m1` takes (i1, i2) and `m2` takes (i2, i3): Keras 1 fed i1, i2, i3; neither branch's
    `.inputs` alone can say that, so no fix is offered."""
    source = """
    from keras.models import Sequential, Model
    from keras.layers import Merge, Dense, Input, merge
    i1, i2, i3 = Input((2,)), Input((2,)), Input((2,))
    m1 = Model(input=[i1, i2], output=Dense(3)(merge([i1, i2], mode="concat")))
    m2 = Model(input=[i2, i3], output=Dense(3)(merge([i2, i3], mode="concat")))
    model = Sequential()
    model.add(Merge([m1, m2], mode="sum"))
    model.add(Dense(1))
    """
    merge_layer = [f for f in check_source(textwrap.dedent(source), "old.py", Selection.from_options(["TDL306"])).diagnostics if "`Merge` layer" in f.message]  # fmt: skip
    assert [f.fix for f in merge_layer] == [None]


def test_statements_between_the_adds_that_do_not_use_the_model_stay() -> None:
    source = """
    from keras.models import Sequential
    from keras.layers import Merge, Dense
    a, b = Sequential([Dense(4, input_dim=3)]), Sequential([Dense(4, input_dim=2)])
    model = Sequential()
    model.add(Merge([a, b], mode="sum"))
    print("merged")
    model.add(Dense(1))
    """
    assert fixed(source, "TDL306").splitlines()[-3:] == [
        'print("merged")',
        "model.add(Dense(1))",
        "model = Model([*a.inputs, *b.inputs], model(add([a.outputs[0], b.outputs[0]])))",
    ]


@pytest.mark.parametrize(
    ("keywords", "applicability"),
    [
        ("sample_weight_mode='temporal'", "unsafe"),
        ("sample_weight_mode=None", "safe"),
        ("experimental_run_tf_function=False", "safe"),
    ],
)
def test_compile_keywords_keras_3_refuses(keywords: str, applicability: str) -> None:
    source = f"""
    from tensorflow.keras.models import Sequential
    from tensorflow.keras.layers import Dense
    model = Sequential([Dense(1, input_shape=(4,))])
    model.compile("sgd", "mse", {keywords})
    """
    [fix] = fixes(source, "TDL302")
    assert fix is not None and fix.applicability.value == applicability
    assert 'model.compile("sgd", "mse")' in fixed(source, "TDL302")


def test_later_fix_rounds_read_the_file_as_the_original_was_written() -> None:
    """Both compile strings need an import line, so one waits for round two; by then
    `nb_epoch` is `epochs` and nothing in the text says Keras 1 any more.  Round two must
    still read the file as Keras 1 code, as round one did."""
    source = """
    from keras.models import Sequential
    from keras.layers import Dense
    a = Sequential([Dense(2, input_dim=3)])
    a.compile(optimizer="adadelta", loss="mse")
    a.fit(x, y, nb_epoch=2)
    b = Sequential([Dense(2, input_dim=3)])
    b.compile(optimizer="adagrad", loss="mse")
    """
    result = fixed(source, "TDL3")
    assert "a.compile(optimizer=Adadelta(learning_rate=1.0)" in result
    assert "b.compile(optimizer=Adagrad(learning_rate=0.01)" in result


def test_a_merged_sequential_built_in_a_function_is_rewritten_there() -> None:
    """Analysed as written and for the call `m = build(4)`: the fix uses the function's
    own names, at the function body's indentation."""
    source = """
    from keras.models import Sequential
    from keras.layers import Dense, Merge
    def build(n):
        left = Sequential()
        left.add(Dense(8, input_dim=n))
        right = Sequential()
        right.add(Dense(8, input_dim=n))
        model = Sequential()
        model.add(Merge([left, right], mode="concat"))
        model.add(Dense(1))
        return model
    m = build(4)
    """
    lines = fixed(source, "TDL306").splitlines()
    assert lines[-4:-2] == [
        "    model.add(Dense(1))",
        "    model = Model([*left.inputs, *right.inputs], model(concatenate([left.outputs[0], right.outputs[0]])))",
    ]  # fmt: skip


def test_samples_become_steps_by_the_batch_size_written_in_the_generator_call() -> None:
    source = """
    from keras.models import Sequential
    from keras.layers import Dense
    model = Sequential([Dense(1, input_dim=4)])
    model.fit_generator(datagen.flow(X, Y, batch_size=batch_size), samples_per_epoch=X.shape[0], nb_epoch=2)
    """
    [fix] = fixes(source, "TDL302")
    assert fix is not None and fix.applicability.value == "safe"
    assert "steps_per_epoch=X.shape[0] // batch_size" in fixed(source, "TDL302")


def test_an_optimizer_given_its_rate_positionally_keeps_it() -> None:
    """Keras 1 code (`W_regularizer`): `Adagrad(0.1)` chose its rate; `Adagrad()` did not."""
    source = """
    from keras.layers import Dense
    from keras.optimizers import Adagrad
    d = Dense(2, W_regularizer=None)
    chosen = Adagrad(0.1)
    default = Adagrad()
    """
    assert [f.message.startswith("`Adagrad` starts") for f in check_source(textwrap.dedent(source), "old.py", Selection.from_options(["TDL305"])).diagnostics] == [True]  # fmt: skip


def test_an_engine_import_of_names_from_two_modules_has_no_fix() -> None:
    source = """
    from keras.engine import Model, Layer
    """
    assert fixes(source, "TDL303") == [None]


def test_backend_random_functions_are_fixed_unsafely() -> None:
    source = """
    from keras import backend as K
    eps = K.random_normal(shape=(2, 3), std=0.5)
    """
    [fix] = fixes(source, "TDL307")
    assert fix is not None and fix.applicability.value == "unsafe"
    assert "eps = keras.random.normal(shape=(2, 3), stddev=0.5)" in fixed(source, "TDL307")


@pytest.mark.parametrize(
    ("code", "source"),
    [
        # The file's own add(): importing Keras's add would replace it.
        ("TDL306", "from keras.layers import Input, merge\ndef add(x, y):\n    return x + y\na, b = Input((4,)), Input((4,))\nc = merge([a, b], mode='sum')\n"),
        ("TDL310", "from keras.regularizers import activity_l2\nl2 = 0.01\nr = activity_l2(l2)\n"),
        ("TDL305", "from keras.models import Sequential\nfrom keras.layers import Dense\nclass Adadelta: pass\nmodel = Sequential([Dense(2, input_dim=3, W_regularizer=None)])\nmodel.compile(optimizer='adadelta', loss='mse')\n"),
    ],
)  # fmt: skip
def test_a_fix_never_imports_a_name_the_file_uses_otherwise(code: str, source: str) -> None:
    assert fixes(source, code) == [None]


def test_backend_ops_go_through_keras_when_the_file_has_its_own_ops() -> None:
    source = """
    from keras import backend as K
    ops = ["train", "eval"]
    m = K.mean(x)
    """
    result = fixed(source, "TDL307")
    assert "m = keras.ops.mean(x)" in result and "import keras\n" in result
