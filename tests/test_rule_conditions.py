"""The rules' conditions, branch by branch, beyond their own VALID/INVALID examples: which
finding (line, message) and which help each situation gets, and the neighbouring situations
that must stay silent. The shapes in the messages were worked out by hand for each program.

TDL001, TDL004 and TDL203, and the evidence they share, are tested in test_sequence_intent.py.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from tdlint.analysis.arrays import Array
from tdlint.config import Selection
from tdlint.diagnostics import Applicability
from tdlint.engine import check_source
from tdlint.keras.losses import LossObject
from tdlint.keras.shapes import UNKNOWN
from tdlint.rules import datafit
from tdlint.rules import tdl201_fit_input_shape_mismatch as tdl201

RULES = ["TDL101", "TDL102", "TDL103", "TDL104", "TDL105", "TDL106", "TDL107"]
RULES += ["TDL201", "TDL202", "TDL204"]

HELP_FIT_SHAPE = (
    "Make the data and the model's `input_shape` agree: reshape the data, or fix `input_shape`."
)
HELP_FIT_RANK = (
    "Reshape the data to the model's input (e.g. `X.reshape(n, timesteps, features)` or "
    "`np.expand_dims`), or fix `input_shape`."
)
HELP_LABELS = (
    "Shape the labels like the model's output (or pick the loss that fits the labels you have)."
)
HELP_IMAGES = (
    "Images need a channel axis: (height, width, channels). For grayscale, add it: "
    "`shape=(height, width, 1)` or `np.expand_dims(x, -1)`."
)
HELP_204 = (
    "Binary or multi-label: `Dense(n, activation='sigmoid')` with `binary_crossentropy`. One "
    "class out of many: `Dense(classes, activation='softmax')` with `categorical_crossentropy` "
    "(one-hot labels) or `sparse_categorical_crossentropy` (integer labels). With "
    "`from_logits=True`, leave the last layer linear."
)


def findings(source: str) -> list[tuple[str, int, str, str | None]]:
    result = check_source(textwrap.dedent(source), "m.py", Selection.from_options(RULES))
    assert result.error is None, result.error
    return [(d.code, d.location.row, d.message, d.help) for d in result.diagnostics]


# ---------------------------------------------------------------- TDL101


def test_rank_help_names_the_usual_cause() -> None:
    rnn_after_rnn = """\
        import keras
        from keras import layers
        inp = keras.Input(shape=(10, 4))
        x = layers.LSTM(8, return_sequences=True)(inp)
        x = layers.Dropout(0.1)(x)
        x = layers.LSTM(8)(x)
        x = layers.BatchNormalization()(x)
        y = layers.GRU(3)(x)
    """
    assert findings(rnn_after_rnn) == [
        (
            "TDL101",
            8,
            "`GRU` expects 3D input, got 2D (None, 8) from `LSTM` at line 6",
            "Set `return_sequences=True` on the LSTM at line 6 to pass the whole sequence on; to "
            "turn one vector into a sequence, use `RepeatVector(timesteps)`.",
        )
    ]
    images = """\
        import keras
        from keras import layers
        inp = keras.Input(shape=(28, 28))
        a = layers.SeparableConv2D(4, 3)(inp)
        b = layers.Conv2DTranspose(4, 3)(inp)
        c = layers.DepthwiseConv2D(3)(inp)
        d = layers.Conv2D(4, 3)(inp)
    """
    origin = "got 3D (None, 28, 28) from the input shape at line 3"
    assert findings(images) == [
        ("TDL101", 4, f"`SeparableConv2D` expects 4D input, {origin}", HELP_IMAGES),
        ("TDL101", 5, f"`Conv2DTranspose` expects 4D input, {origin}", HELP_IMAGES),
        ("TDL101", 6, f"`DepthwiseConv2D` expects 4D input, {origin}", HELP_IMAGES),
        ("TDL101", 7, f"`Conv2D` expects 4D input, {origin}", HELP_IMAGES),
    ]
    others = """\
        import keras
        from keras import layers
        seq = keras.Input(shape=(10, 4))
        a = layers.RepeatVector(3)(seq)
        b = layers.GlobalAveragePooling1D()(keras.Input(shape=(32, 32, 3)))
    """
    assert [(code, row, help_text) for code, row, _, help_text in findings(others)] == [
        ("TDL101", 4, "RepeatVector repeats a 2D (batch, features) vector; pool or flatten first."),
        (
            "TDL101",
            5,
            "Use the global pooling layer whose dimension matches the input (1D, 2D or 3D).",
        ),
    ]


@pytest.mark.parametrize(
    ("layer", "shape", "message", "help_text"),
    [
        (
            "layers.LSTM(8)",
            "(10, 4, 2)",
            "`LSTM` expects 3D input, got 4D (None, 10, 4, 2) from the input shape at line 3",
            "Reshape the input to 3D, or use a layer made for (None, 10, 4, 2).",
        ),
        (
            "layers.Conv2D(8, 3)",
            "(10,)",
            "`Conv2D` expects 4D input, got 2D (None, 10) from the input shape at line 3",
            "Reshape the input to 4D, or use a layer made for (None, 10).",
        ),
        (
            "layers.Conv1D(8, 3)",
            "(4, 4, 4)",
            "`Conv1D` expects 3D input, got 4D (None, 4, 4, 4) from the input shape at line 3",
            "Reshape the input to 3D, or use a layer made for (None, 4, 4, 4).",
        ),
        (
            "layers.TimeDistributed(layers.LSTM(4))",
            "(5, 10, 4, 2)",
            "`TimeDistributed(LSTM)` expects 4D input, got 5D (None, 5, 10, 4, 2) from the input "
            "shape at line 3",
            "Reshape the input to 4D, or use a layer made for (None, 5, 10, 4, 2).",
        ),
    ],
)
def test_rank_help_otherwise_describes_the_need(
    layer: str, shape: str, message: str, help_text: str
) -> None:
    source = f"import keras\nfrom keras import layers\ninp = keras.Input(shape={shape})\nx = {layer}(inp)\n"
    assert findings(source) == [("TDL101", 4, message, help_text)]


def test_a_missing_time_axis_under_time_distributed_is_left_to_tdl003() -> None:
    source = """\
        import keras
        from keras import layers
        x = layers.TimeDistributed(layers.Conv2D(4, 3))(keras.Input(shape=(28, 28, 1)))
        ok = layers.LSTM(4)(keras.Input(shape=(3, 2)))
    """
    assert findings(source) == []


# ---------------------------------------------------------------- TDL102..TDL107


def test_merge_mismatch_names_every_input() -> None:
    source = """\
        import keras
        from keras import layers
        a = keras.Input(shape=(4, 3))
        b = keras.Input(shape=(4, 5))
        c = keras.Input(shape=(4, 3))
        out = layers.Add()([a, b, c])
    """
    assert findings(source) == [
        (
            "TDL102",
            6,
            "`Add`: 3 and 5 (input 1 from the input shape at line 3; input 2 from the input "
            "shape at line 4; input 3 from the input shape at line 5)",
            "Make the inputs agree: project them to one size with `Dense`, pool or reshape the "
            "larger one, or concatenate along the axis that differs.",
        )
    ]


def test_reshape_mismatch_names_the_input() -> None:
    source = """\
        import keras
        from keras import layers
        inp = keras.Input(shape=(12,))
        y = layers.Reshape((3, 4))(layers.Dense(10)(inp))
    """
    assert findings(source) == [
        (
            "TDL103",
            4,
            "`Reshape`: the total size must be unchanged: 10 elements into 12; the input is "
            "(None, 10) from `Dense` at line 4",
            "Pick a target whose sizes multiply to the input's size, or let Keras compute one "
            "axis with a single `-1`.",
        )
    ]


HELP_104 = (
    'Use `padding="same"`, smaller kernels, strides or pool sizes, fewer down-sampling '
    "layers, or a larger input."
)


def test_non_positive_dims_list_the_shrinking_layers_since_the_last_other_layer() -> None:
    # Dense breaks the chain: only the Conv2D after it is listed; Dropout keeps the shape
    # and is not listed. Reshape before a single conv: nothing to list.
    chain = """\
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input(shape=(8, 8, 1)),
            layers.Conv2D(4, 3),
            layers.Dropout(0.2),
            layers.MaxPooling2D(2),
            layers.Dense(3),
            layers.Conv2D(4, 3),
            layers.Dropout(0.2),
            layers.Conv2D(4, 3),
        ])
    """
    assert findings(chain) == [
        (
            "TDL104",
            11,
            "`Conv2D` shrinks (None, 1, 1, 4) to (None, -1, -1, 4): an axis of zero or negative "
            "size; the stack so far: Conv2D (line 9) (None, 1, 1, 4)",
            HELP_104,
        )
    ]
    single = """\
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Reshape((2, 2, 1)), layers.Conv2D(2, 3)])
    """
    assert findings(single)[0][2] == (
        "`Conv2D` shrinks (None, 2, 2, 1) to (None, 0, 0, 2): an axis of zero or negative size"
    )


def test_non_positive_dims_list_at_most_twelve_layers() -> None:
    source = """\
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input(shape=(30, 1))])
        for _ in range(16):
            model.add(layers.Conv1D(2, 3))
    """
    ((code, row, message, _),) = findings(source)
    steps = " -> ".join(f"Conv1D (line 5) (None, {n}, 2)" for n in range(24, 0, -2))
    assert (code, row) == ("TDL104", 5)
    assert message == (
        "`Conv1D` shrinks (None, 2, 2) to (None, 0, 2): an axis of zero or negative size; "
        f"the stack so far: {steps}"
    )


def test_input_shape_including_the_samples() -> None:
    source = """\
        import numpy as np
        import keras
        from keras import layers
        X_train = np.zeros((100, 10))
        data = np.zeros((100, 10))
        sample = np.zeros(10)
        m1 = keras.Sequential([layers.Dense(1, input_shape=X_train.shape)])
        m2 = keras.Sequential([keras.Input(data.shape), layers.Dense(1)])
        m3 = keras.Sequential([keras.Input(shape=sample.shape), layers.Dense(1)])
        m4 = keras.Sequential([layers.Dense(1, input_shape=(len(X_train), 10))])
        m5 = keras.Sequential([layers.Dense(1, input_shape=(X_train.shape[0], 10))])
        m6 = keras.Sequential([layers.Dense(1, input_shape=(X_train.shape[1],))])
        m7 = keras.Sequential([layers.Dense(1, input_shape=(len(X_train),))])
        m8 = keras.Sequential([keras.Input(shape=self.X_train.shape), layers.Dense(1)])
        m9 = keras.Sequential([layers.Dense(1, input_shape=(X_train.shape[1], 10))])
    """
    whole = "includes the sample axis; the model will expect one axis more than each sample has"
    count = (
        "the first entry looks like the number of samples; `input_shape` describes one sample, "
        "without the batch axis"
    )
    drop = "Drop the first entry (Keras adds the batch axis itself)."
    assert findings(source) == [
        ("TDL105", 7, f"`X_train.shape` {whole}", "Describe one sample: `X_train.shape[1:]`."),
        ("TDL105", 8, f"`data.shape` {whole}", "Describe one sample: `data.shape[1:]`."),
        ("TDL105", 10, count, drop),
        ("TDL105", 11, count, drop),
        (
            "TDL105",
            14,
            f"`self.X_train.shape` {whole}",
            "Describe one sample: `self.X_train.shape[1:]`.",
        ),
    ]
    result = check_source(textwrap.dedent(source), "m.py", Selection.from_options(["TDL105"]))
    fixes = [d.fix for d in result.diagnostics]
    assert [(f.applicability, f.message) for f in fixes if f] == [
        (Applicability.UNSAFE, "Use `X_train.shape[1:]`"),
        (Applicability.UNSAFE, "Use `data.shape[1:]`"),
        (Applicability.UNSAFE, "Use `self.X_train.shape[1:]`"),
    ]
    assert fixes[2] is None and fixes[3] is None
    assert [e.content for e in fixes[1].edits] == ["data.shape[1:]"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "loss", "expected"),
    [
        (
            "keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.Dropout(0.1), "
            'layers.Dense(10, activation="softmax")',
            "categorical_crossentropy",
            (
                '`layers.Dense(10, activation="softmax")` is applied to the 4D feature map '
                "(None, 6, 6, 4) from `Conv2D` at line 3; the model's output is then "
                "(None, 6, 6, 10), but `categorical_crossentropy` expects one vector per sample",
                "Add `Flatten()` (or `GlobalAveragePooling2D()`) before this `Dense`.",
            ),
        ),
        (
            "keras.Input(shape=(4, 8, 8, 3)), layers.Conv3D(4, 3), "
            'layers.Dense(2, activation="sigmoid")',
            "binary_crossentropy",
            (
                '`layers.Dense(2, activation="sigmoid")` is applied to the 5D feature map '
                "(None, 2, 6, 6, 4) from `Conv3D` at line 3; the model's output is then "
                "(None, 2, 6, 6, 2), but `binary_crossentropy` expects one vector per sample",
                "Add `Flatten()` (or `GlobalAveragePooling3D()`) before this `Dense`.",
            ),
        ),
        ("keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.Dense(1)", "mse", None),
        (
            "keras.Input(shape=(5, 3)), layers.Dense(2), layers.Dense(2)",
            "categorical_crossentropy",
            None,  # a 3D output: not a feature map
        ),
    ],
)
def test_flatten_missing(body: str, loss: str, expected: tuple[str, str] | None) -> None:
    source = (
        f"import keras\nfrom keras import layers\nmodel = keras.Sequential([{body}])\n"
        f'model.compile(loss="{loss}", optimizer="adam")\n'
    )
    assert findings(source) == ([("TDL106", 3, *expected)] if expected else [])


def test_unbuildable_weights_help_depends_on_the_cause() -> None:
    undefined = """\
        import keras
        from keras import layers
        inp = keras.Input(shape=(None, 3))
        z = layers.Dense(2)(layers.Flatten()(layers.Dense(4)(inp)))
    """
    assert findings(undefined) == [
        (
            "TDL107",
            4,
            "`Dense` cannot create its weights: an axis they depend on is undefined (None) in "
            "(None, None) from `Flatten` at line 4",
            "Give that axis a size in `Input(shape=...)`, or pool the variable-length axis "
            "(e.g. `GlobalAveragePooling1D()`) before this layer.",
        )
    ]
    groups = """\
        import keras
        from keras import layers
        x = layers.Conv2D(4, 3, groups=4)(keras.Input(shape=(8, 8, 6)))
    """
    assert findings(groups) == [
        (
            "TDL107",
            3,
            "`Conv2D`: 6 input channels do not split into 4 groups from the input shape at line 3",
            "Give that axis a size (in `Input(shape=...)`), pool or pad variable-length axes "
            "before layers with weights, or pick `groups` that divide the channels.",
        )
    ]


# ---------------------------------------------------------------- TDL201, TDL202


def test_fit_inputs_of_a_two_input_model() -> None:
    source = """\
        import numpy as np
        import keras
        a = keras.Input(shape=(5,))
        b = keras.Input(shape=(3, 2))
        model = keras.Model([a, b], keras.layers.Concatenate()([a, keras.layers.Flatten()(b)]))
        model.predict([np.zeros((8, 5)), np.zeros((8, 3, 3))])
        model.predict([np.zeros((8, 4)), np.zeros((8, 3, 2))])
        model.predict([np.zeros((8, 5))])
        model.predict({"a": np.zeros((8, 5))})
        model.predict((np.zeros((8, 5)), np.load("b.npy")))
        model.predict([np.zeros((8, 5)), np.zeros((8, 3, 2))])
    """
    assert findings(source) == [
        (
            "TDL201",
            6,
            "`model.predict` gets `np.zeros((8, 3, 3))` of shape (8, 3, 3) for input 2 of shape "
            "(None, 3, 2)",
            HELP_FIT_SHAPE,
        ),
        (
            "TDL201",
            7,
            "`model.predict` gets `np.zeros((8, 4))` of shape (8, 4) for input 1 of shape (None, 5)",
            HELP_FIT_SHAPE,
        ),
        (  # Keras: "expects 2 input(s), but it received 1 input tensors"
            "TDL201",
            8,
            "`model.predict` gets 1 array for a model with 2 inputs",
            "Pass one array per model input, in the order of the model's inputs.",
        ),
    ]


def test_fit_inputs_of_a_sequence_model() -> None:
    source = """\
        import numpy as np
        import keras
        model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(4)])
        model.predict(np.zeros((10, 3)))
        model.predict(np.zeros((2, 10, 3, 1, 1)))
        model.evaluate(np.zeros((2, 10)), np.zeros((2, 4)))
        model.predict(x=np.zeros((2, 11, 3)))
        model.predict_on_batch(np.zeros((2, 10, 3)))
        model.predict(np.load("x.npy"))
        one = keras.Sequential([keras.Input(shape=(10, 1)), keras.layers.LSTM(4)])
        one.predict(np.zeros((2, 10)))
        one.predict(np.zeros((2, 9)))
    """
    assert findings(source) == [
        (
            "TDL201",
            4,
            "`model.predict` gets `np.zeros((10, 3))` without a sample axis: (10, 3) is one sample "
            "of an input (None, 10, 3)",
            HELP_FIT_RANK,
        ),
        (
            "TDL201",
            5,
            "`model.predict` gets `np.zeros((2, 10, 3, 1, 1))` of rank 5 (2, 10, 3, 1, 1) for an "
            "input of rank 3 (None, 10, 3)",
            HELP_FIT_SHAPE,
        ),
        (
            "TDL201",
            6,
            "`model.evaluate` gets `np.zeros((2, 10))` of rank 2 (2, 10) for an input of rank 3 "
            "(None, 10, 3)",
            HELP_FIT_RANK,
        ),
        (
            "TDL201",
            7,
            "`model.predict` gets `np.zeros((2, 11, 3))` of shape (2, 11, 3) for an input of shape "
            "(None, 10, 3)",
            HELP_FIT_SHAPE,
        ),
        (
            "TDL201",
            12,
            "`one.predict` gets `np.zeros((2, 9))` of rank 2 (2, 9) for an input of rank 3 (None, 10, 1)",
            HELP_FIT_RANK,
        ),
    ]


def test_fit_labels_for_categorical_crossentropy() -> None:
    source = """\
        import numpy as np
        import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(np.zeros((4, 8)), np.zeros((4, 3)))
        model.fit(np.zeros((4, 8)), np.zeros((4, 3, 1)))
        model.fit(np.zeros((4, 8)), np.zeros((4, 2, 3)))
        model.fit(np.zeros((4, 8)), np.zeros(4))
        model.fit(np.zeros((4, 8)), np.zeros(4, int))
        model.fit(x=np.zeros((4, 8)), y=np.zeros((4, 5)))
        model.fit(np.zeros((4, 8)), y=np.zeros((4, 5)))
        model.fit(np.zeros((4, 8)), np.zeros((5, 3)))
        model.predict(np.zeros((4, 8)))
    """
    assert findings(source) == [
        (
            "TDL202",
            7,
            "`fit` gets labels of rank 3 (4, 2, 3) for an output of rank 2 (None, 3); "
            "`categorical_crossentropy` needs equal shapes",
            HELP_LABELS,
        ),
        (
            "TDL202",
            8,
            "`fit` gets labels of rank 1 (4,) for an output of rank 2 (None, 3); "
            "`categorical_crossentropy` needs equal shapes",
            HELP_LABELS,
        ),
        (
            "TDL202",
            9,
            "`fit` gets integer class labels (4,) with `categorical_crossentropy`, which needs "
            "one-hot labels like the output (None, 3): use `to_categorical(y)` or "
            "`sparse_categorical_crossentropy`",
            HELP_LABELS,
        ),
        (
            "TDL202",
            10,
            "`fit` gets labels with 5 classes (4, 5) for an output with 3 units (None, 3)",
            HELP_LABELS,
        ),
        (
            "TDL202",
            11,
            "`fit` gets labels with 5 classes (4, 5) for an output with 3 units (None, 3)",
            HELP_LABELS,
        ),
        (
            "TDL202",
            12,
            "`fit` gets 4 samples of features but 5 of labels",
            "Features and labels must have one row per sample each.",
        ),
    ]


def test_fit_labels_for_other_losses() -> None:
    source = """\
        import numpy as np
        import keras
        seq = keras.Sequential([keras.Input(shape=(6, 2)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(3, activation="softmax")])
        seq.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        seq.fit(np.zeros((4, 6, 2)), np.zeros((4, 6)))
        seq.fit(np.zeros((4, 6, 2)), np.zeros((4, 6, 1)))
        seq.fit(np.zeros((4, 6, 2)), np.zeros((4, 5)))
        seq.fit(np.zeros((4, 6, 2)), np.zeros((4, 6, 3)))
        seq.fit(np.zeros((4, 6, 2)), np.zeros((4,)))
        one = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(1)])
        one.compile(loss="binary_crossentropy", optimizer="adam")
        one.fit(np.zeros((4, 6)), np.zeros(4))
        one.fit(np.zeros((4, 6)), np.zeros((4, 1, 1)))
        reg = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(4)])
        reg.compile(loss="mse", optimizer="adam")
        reg.fit(np.zeros((4, 6)), np.zeros((4, 4)))
        reg.fit(np.zeros((4, 6)), np.zeros((4, 1)))
        reg.fit(np.zeros((4, 6)), np.zeros((4, 3)))
    """
    sparse = "`sparse_categorical_crossentropy` needs the output's shape without its last axis"
    assert findings(source) == [
        (
            "TDL202",
            7,
            f"`fit` gets labels (4, 5) for an output (None, 6, 3); {sparse}",
            HELP_LABELS,
        ),
        (
            "TDL202",
            8,
            "`fit` gets one-hot labels (4, 6, 3) with `sparse_categorical_crossentropy`, which "
            "needs integer class ids (4, 6): use `categorical_crossentropy` or "
            "`np.argmax(y, -1)`",
            HELP_LABELS,
        ),
        ("TDL202", 9, f"`fit` gets labels (4,) for an output (None, 6, 3); {sparse}", HELP_LABELS),
        (
            "TDL202",
            18,
            "`fit` gets labels (4, 3) that do not broadcast against the output (None, 4)",
            HELP_LABELS,
        ),
    ]


# ---------------------------------------------------------------- TDL204


def test_activation_and_loss() -> None:
    source = """\
        import keras
        from keras import layers
        m1 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3), layers.Activation("softmax")])
        m1.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
        m2 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3), layers.Softmax()])
        m2.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
        m3 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3, activation="Softmax"), layers.Dropout(0.1)])
        m3.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
        m4 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3, activation="softmax")])
        m4.compile(loss="binary_crossentropy", optimizer="adam")
        m5 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="sigmoid")])
        m5.compile(loss="categorical_crossentropy", optimizer="adam")
        m7 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="sigmoid")])
        m7.compile(loss=keras.losses.BinaryCrossentropy(from_logits=flag), optimizer="adam")
        m8 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1)])
        m8.compile(loss="binary_crossentropy", optimizer="adam")
        m9 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3, activation="softmax")])
        m9.compile(loss=keras.losses.CategoricalCrossentropy(), optimizer="adam")
        inp = keras.Input(shape=(8,))
        m10 = keras.Model(inp, layers.Dense(1, activation="softmax")(inp))
        m10.compile(loss="mse", optimizer="adam")
        m11 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="softmax")])
        m12 = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3, activation="sigmoid")])
        m12.compile(loss="binary_crossentropy", optimizer="adam")
    """

    def logits(row: int) -> str:
        return (
            f"a `softmax` output with a loss that has `from_logits=True` (`compile` at line "
            f"{row}), which expects raw scores"
        )

    one_unit = "`softmax` over 1 unit always outputs 1.0: the model cannot learn"
    # On the layer that sets the activation (the `Activation` or `Softmax` after a linear
    # Dense), the message naming the compile's line when the loss is part of the problem.
    assert findings(source) == [
        ("TDL204", 3, logits(4), HELP_204),
        ("TDL204", 5, logits(6), HELP_204),
        ("TDL204", 7, logits(8), HELP_204),
        (
            "TDL204",
            9,
            "`binary_crossentropy` (`compile` at line 10) on a 3-unit `softmax` output; softmax "
            "classes are exclusive",
            HELP_204,
        ),
        (
            "TDL204",
            11,
            "`categorical_crossentropy` (`compile` at line 12) on a 1-unit output is always "
            "zero: nothing is learned",
            HELP_204,
        ),
        ("TDL204", 20, one_unit, HELP_204),  # compiled with mse: the loss is not the problem
        ("TDL204", 22, one_unit, HELP_204),  # never compiled
    ]


# ---------------------------------------------------------------- datafit, directly


def test_input_problem() -> None:
    def problem(want: tuple[object, ...], got: tuple[object, ...] | None) -> str | None:
        return datafit.input_problem(want, Array(got))

    assert problem((None, 10, 3), (4, 10, 3)) is None
    assert problem((None, 10, 3), (4, UNKNOWN, 3)) is None  # unknown dims agree with anything
    assert problem((None, UNKNOWN, 3), (4, 7, 3)) is None
    assert problem((None, 10, 3), None) is None
    assert problem((None, 10, 1), (4, 10)) is None  # Keras adds a trailing axis of 1
    assert (
        problem((None, 10, 2), (4, 10)) == "of rank 2 (4, 10) for an input of rank 3 (None, 10, 2)"
    )
    assert problem((None, 10, 1), (4, 9)) == "of rank 2 (4, 9) for an input of rank 3 (None, 10, 1)"
    assert problem((None, 10, 3), (10, 3)) == (
        "without a sample axis: (10, 3) is one sample of an input (None, 10, 3)"
    )
    assert (
        problem((None, 10, 3), (4, 11, 3))
        == "of shape (4, 11, 3) for an input of shape (None, 10, 3)"
    )
    assert datafit.input_problem(None, Array((4, 3))) is None  # type: ignore[arg-type]


def test_adjusted_is_kerass_squeeze_or_expand() -> None:
    assert datafit.adjusted((4, 3, 1), (None, 3)) == ((4, 3), (None, 3))
    assert datafit.adjusted((4, 1), (None,)) == ((4, 1), (None, 1))
    assert datafit.adjusted((4,), (None, 1)) == ((4, 1), (None, 1))
    assert datafit.adjusted((4, 6), (None, 6, 1)) == ((4, 6), (None, 6))
    assert datafit.adjusted((4, 3, 2), (None, 3)) == ((4, 3, 2), (None, 3))  # last axis not 1
    assert datafit.adjusted((4, 3), (None, 3, 2)) == ((4, 3), (None, 3, 2))
    assert datafit.adjusted((4, 3), (None, 3)) == ((4, 3), (None, 3))


def test_target_problem_without_what_it_needs_says_nothing() -> None:
    y = Array((4, 5))
    assert datafit.target_problem(None, (None, 3), y) is None
    assert datafit.target_problem("categorical_crossentropy", None, y) is None
    assert datafit.target_problem("categorical_crossentropy", (None, 3), Array(None)) is None
    assert datafit.target_problem("hinge", (None, 5), y) is None
    assert datafit.target_problem("poisson", (None, 3), y) is None  # a loss it does not judge
    # Unknown class counts: the generic message, not a wrong number.
    assert datafit.target_problem("categorical_crossentropy", (None, 3, 2), Array((4, 3, 3))) == (
        "labels (4, 3, 3) for an output (None, 3, 2); `categorical_crossentropy` needs equal shapes"
    )
    assert (
        datafit.target_problem("categorical_crossentropy", (None, UNKNOWN), Array((4, 5))) is None
    )
    floats = Array((4,), "float")
    assert datafit.target_problem("categorical_crossentropy", (None, 3), floats) == (
        "labels of rank 1 (4,) for an output of rank 2 (None, 3); `categorical_crossentropy` "
        "needs equal shapes"
    )
    assert (
        datafit.target_problem("sparse_categorical_crossentropy", (None, 3), Array((4, 1))) is None
    )


def test_broadcasting() -> None:
    assert datafit.broadcasts((1,), (4,)) and datafit.broadcasts((4,), (1,))
    assert datafit.broadcasts((3, 4), (4,)) and datafit.broadcasts((UNKNOWN,), (4,))
    assert not datafit.broadcasts((3,), (4,))
    mse = "mean_squared_error"  # the rules pass canonical loss names
    assert datafit.silently_broadcast(mse, (None, 6, 1), Array((4, 1)))
    # (4, 3) labels for (None, 6, 3): the sample axis meets the 6 timesteps, and Keras fails
    assert not datafit.silently_broadcast(mse, (None, 6, 3), Array((4, 3)))
    assert datafit.sample_axis_meets((4, 3), (None, 6, 3)) == 6
    assert datafit.sample_axis_meets((4,), (None, 3)) == 3
    assert datafit.sample_axis_meets(*datafit.adjusted((4, 1), (None, 6, 1))) is None  # squeezed
    assert datafit.sample_axis_meets((4, 1), (None, 1, 3)) is None  # ... or broadcast over 1
    assert datafit.sample_axis_meets((4, 3), (None, UNKNOWN, 3)) is None
    assert datafit.sample_axis_meets((4, 3), (None, 3)) is None  # same rank
    assert "axis of 3" in datafit.target_problem(mse, (None, 3), Array((4,)))
    assert "tf.keras 2.x makes them (4, 1)" in datafit.target_problem(mse, (None, 3), Array((4,)))
    assert "tf.keras" not in datafit.target_problem(mse, (None, 6, 3), Array((4, 3)))
    assert datafit.target_problem(mse, (None, 1), Array((4,))) is None
    assert datafit.silently_broadcast(mse, (None, 4), Array((4, 1)))
    assert not datafit.silently_broadcast(mse, (None, 4), Array((4, 4)))
    assert not datafit.silently_broadcast(mse, (None, UNKNOWN), Array((4, 1)))
    assert not datafit.silently_broadcast("binary_crossentropy", (None, 6, 1), Array((4, 1)))
    assert not datafit.silently_broadcast(mse, None, Array((4, 1)))
    assert not datafit.silently_broadcast(mse, (None, 4), Array(None))


def test_from_logits() -> None:
    assert datafit.from_logits(LossObject("categorical_crossentropy", {"from_logits": True}))
    assert datafit.from_logits(LossObject("categorical_crossentropy", {})) is False
    assert (
        datafit.from_logits(LossObject("categorical_crossentropy", {"from_logits": UNKNOWN}))
        is None
    )
    assert datafit.from_logits("mse") is False
    assert datafit.from_logits(UNKNOWN) is None


# ---------------------------------------------------------------- one skipped case, then a real one


def test_a_skipped_fit_does_not_stop_the_next_ones() -> None:
    source = """\
        import numpy as np
        import keras
        flag = input()
        unsure = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
        if flag:
            unsure.add(keras.layers.Dense(3))
        unsure.fit(np.zeros((2, 5)), np.zeros((2, 7)))
        two = keras.Model(
            [a := keras.Input(shape=(5,)), b := keras.Input(shape=(3,))],
            keras.layers.Concatenate()([a, b]),
        )
        two.predict({"a": np.zeros((8, 5))})
        two.predict([np.load("a.npy"), np.zeros((8, 4))])
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3)])
        model.compile(loss="mse", optimizer="adam")
        model.fit(np.load("x.npy"), np.load("y.npy"))
        model.fit(np.load("x.npy"), np.zeros((4, 5)))
        model.fit([np.zeros((4, 8))], np.zeros((4, 3)))
        model.fit(np.zeros((4, 8)), np.zeros((5, 3)))
        model.fit(np.zeros((4, 8)), np.zeros((4, 7)))
    """
    assert [(code, row) for code, row, _, _ in findings(source)] == [
        ("TDL201", 13),
        ("TDL202", 17),
        ("TDL202", 19),
        ("TDL202", 20),
    ]


def test_several_models_each_get_their_finding() -> None:
    source = """\
        import keras
        from keras import layers
        reg = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.Dense(1)])
        reg.compile(loss="mse", optimizer="adam")
        unknown = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Reshape(input())])
        unknown.compile(loss="categorical_crossentropy", optimizer="adam")
        a = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.Dense(2, activation="softmax")])
        a.compile(loss="categorical_crossentropy", optimizer="adam")
        b = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.Dense(2, activation="softmax")])
        b.compile(loss="categorical_crossentropy", optimizer="adam")
        c = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="softmax")])
        c.compile(loss="mse", optimizer="adam")
    """
    assert [(code, row) for code, row, _, _ in findings(source)] == [
        ("TDL106", 7),
        ("TDL106", 9),
        ("TDL204", 11),
    ]


def test_rank_findings_after_a_time_distributed_one_left_to_tdl003() -> None:
    source = """\
        import keras
        from keras import layers
        x = layers.TimeDistributed(layers.Conv2D(4, 3))(keras.Input(shape=(28, 28, 1)))
        y = layers.LSTM(4)(keras.Input(shape=(10,)))
        z = layers.Conv1D(4, 3)(keras.Input(shape=(10,)))
    """
    assert findings(source) == [
        (
            "TDL101",
            4,
            "`LSTM` expects 3D input, got 2D (None, 10) from the input shape at line 4",
            "An RNN needs (batch, timesteps, features). Give the vector a time axis with "
            "`RepeatVector(timesteps)`, or `Reshape((timesteps, features))`.",
        ),
        (
            "TDL101",
            5,
            "`Conv1D` expects 3D input, got 2D (None, 10) from the input shape at line 5",
            "Conv1D needs (batch, steps, channels): add a channel axis, e.g. "
            "`Reshape((steps, 1))` or `input_shape=(steps, 1)`.",
        ),
    ]


def test_activation_and_loss_edge_cases() -> None:
    source = """\
        import keras
        from keras import layers
        act = input()
        inp = keras.Input(shape=(1,))
        bare = keras.Model(inp, inp)
        bare.compile(loss="categorical_crossentropy", optimizer="adam")
        unknown = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation=act)])
        unknown.compile(loss="categorical_crossentropy", optimizer="adam")
        flat = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3, activation="softmax"), layers.Flatten()])
        flat.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
        x = keras.Input(shape=(8,))
        two = keras.Model(x, [layers.Dense(1, activation="softmax")(x), layers.Dense(2)(x)])
        two.compile(loss="mse", optimizer="adam")
        seq = keras.Sequential([keras.Input(shape=(6, 2)), layers.LSTM(4, return_sequences=True), layers.Dense(1, activation="softmax")])
        pair = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(2, activation="softmax")])
        pair.compile(loss="binary_crossentropy", optimizer="adam")
    """
    assert [(code, row, message) for code, row, message, _ in findings(source)] == [
        (
            "TDL204",
            7,
            "`categorical_crossentropy` (`compile` at line 8) on a 1-unit output is always "
            "zero: nothing is learned",
        ),
        ("TDL204", 14, "`softmax` over 1 unit always outputs 1.0: the model cannot learn"),
        (
            "TDL204",
            15,
            "`binary_crossentropy` (`compile` at line 16) on a 2-unit `softmax` output; softmax "
            "classes are exclusive",
        ),
    ]


def test_label_edge_cases() -> None:
    source = """\
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        X_train, X_test, y_train, y_test = train_test_split(np.zeros((10, 8)), np.zeros((10, 5)))
        model.fit(X_train, y_train)
        seq = keras.Sequential([keras.Input(shape=(1, 2)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(3, activation="softmax")])
        seq.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        seq.fit(np.zeros((4, 1, 2)), np.zeros((4, 1, 3)))
        seq.fit(np.zeros((4, 1, 2)), np.zeros((4, 1, 2)))
        col = keras.Sequential([keras.Input(shape=(3, 2)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(1)])
        col.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        col.fit(np.zeros((4, 3, 2)), np.zeros((4, 2, 1)))
    """
    sparse = "`sparse_categorical_crossentropy` needs the output's shape without its last axis"
    assert [(code, row, message) for code, row, message, _ in findings(source)] == [
        (
            "TDL202",
            7,
            "`fit` gets labels with 5 classes (?, 5) for an output with 3 units (None, 3)",
        ),
        (
            "TDL202",
            10,
            "`fit` gets one-hot labels (4, 1, 3) with `sparse_categorical_crossentropy`, which "
            "needs integer class ids (4, 1): use `categorical_crossentropy` or `np.argmax(y, -1)`",
        ),
        (
            "TDL202",
            11,
            "`fit` gets one-hot labels (4, 1, 2) with `sparse_categorical_crossentropy`, which "
            "needs integer class ids (4, 1): use `categorical_crossentropy` or `np.argmax(y, -1)`",
        ),
        ("TDL202", 14, f"`fit` gets labels (4, 2, 1) for an output (None, 3, 1); {sparse}"),
    ]


def test_silent_broadcast_edges() -> None:
    mse = "mean_squared_error"
    assert not datafit.silently_broadcast(mse, (None, 1, 4), Array((4, 1, 4)))  # same shape
    assert datafit.silently_broadcast(mse, (None, 2), Array((4, 1)))
    assert not datafit.silently_broadcast(mse, (None, 4), Array((4, 2, 4)))  # more label axes


def test_more_activation_cases() -> None:
    source = """\
        import keras
        from keras import layers
        flag = input()
        logit = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="sigmoid")])
        logit.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), optimizer="adam")
        unsure = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="softmax")])
        if flag:
            unsure.add(layers.Dropout(0.1))
        unsure.compile(loss="mse", optimizer="adam")
    """
    assert [(code, row, message) for code, row, message, _ in findings(source)] == [
        (
            "TDL204",
            4,
            "a `sigmoid` output with a loss that has `from_logits=True` (`compile` at line 5), "
            "which expects raw scores",
        ),
    ]  # a model that differs between branches is not judged


def test_more_fit_cases() -> None:
    source = """\
        import numpy as np
        import keras
        n = int(input())
        keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)]).predict(np.zeros((2, 4)))
        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        model.compile(loss="mse", optimizer="adam")
        for _ in range(2):
            model.fit(np.zeros((4, 3)), np.zeros((4, 2)))
        model.fit(np.zeros((4, 3)), np.zeros((4, 5)))
        seq = keras.Sequential([keras.Input(shape=(6, 2)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(3, activation="softmax")])
        seq.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        seq.fit(np.zeros((4, 6, 2)), np.zeros((4, n, 3)))
    """
    assert [(code, row, message) for code, row, message, _ in findings(source)] == [
        (
            "TDL201",
            4,
            "`predict` gets `np.zeros((2, 4))` of shape (2, 4) for an input of shape (None, 3)",
        ),
        (
            "TDL202",
            9,
            "`fit` gets labels (4, 5) that do not broadcast against the output (None, 2)",
        ),
        (
            "TDL202",
            12,
            "`fit` gets one-hot labels (4, n, 3) with `sparse_categorical_crossentropy`, which "
            "needs integer class ids (4, 6): use `categorical_crossentropy` or `np.argmax(y, -1)`",
        ),
    ]


# ---------------------------------------------------------------- datafit and TDL201 helpers


def _call(code: str) -> cst.Call:
    call = cst.parse_expression(code)
    assert isinstance(call, cst.Call)
    return call


@pytest.mark.parametrize(
    ("code", "position", "keyword", "expected"),
    [
        ("fit(X, y)", 1, "y", "y"),
        ("fit(x=X, y=Y)", 1, "y", "Y"),
        ("fit(X, epochs=3, y=Y)", 1, "y", "Y"),  # past another keyword
        ("fit(X, batch_size=3)", 1, "y", None),
        ("fit(X, Y, 10)", 2, "epochs", "10"),
        ("fit(X, Y, 10)", 0, "x", "X"),
        ("fit(*data)", 0, "x", None),  # positions unknown
        ("fit(X, *rest)", 1, "y", None),
        ("fit(X, *rest)", 0, "x", "X"),
    ],
)
def test_argument_by_position_or_keyword(
    code: str, position: int, keyword: str, expected: str | None
) -> None:
    found = datafit.argument(_call(code), position, keyword)
    assert (None if found is None else cst.Module([]).code_for_node(found)) == expected


def test_code_name_is_short_one_line_code() -> None:
    def named(code: str) -> str | None:
        return datafit.code_name(cst.parse_expression(code))

    assert named("x_train") == "`x_train`"
    assert named("(a +\n b)") is None  # two lines
    forty = "x" * 40
    assert named(forty) == f"`{forty}`" and named(forty + "y") is None  # at most 40 characters


def test_as_array_reads_lists_of_numbers_only() -> None:
    assert datafit.as_array([[1, 2, 3], [4, 5, 6]]) == Array((2, 3), "int")
    assert datafit.as_array([0.5, 1.5]) == Array((2,), "float")
    arrays = [Array((4, 2), "float"), Array((4, 3), "float")]  # one per model input
    assert datafit.as_array(arrays) is arrays
    assert datafit.as_array(7) == 7 and datafit.as_array([]) == []


def test_tdl201_names_the_array() -> None:
    name = tdl201._data_name
    xs, load = cst.parse_expression("xs"), cst.parse_expression("load()")
    two_lines = cst.parse_expression("(a +\n b)")
    assert name(cst.parse_expression("x_train"), None, 0, False) == "`x_train`"
    assert name(None, None, 0, False) == "the data"
    assert name(two_lines, None, 0, False) == "the data"
    # One of several: its own code, else the list's name with the index, else its place.
    assert name(None, [cst.parse_expression("a"), xs], 1, True) == "`xs`"
    assert name(xs, [cst.parse_expression("a"), two_lines], 1, True) == "`xs[1]`"
    assert name(xs, None, 0, True) == "`xs[0]`"
    assert name(cst.parse_expression("X"), None, 1, True) == "`X[1]`"  # only backticks go
    assert name(cst.parse_expression("data.inputs"), None, 2, True) == "`data.inputs[2]`"
    assert name(load, None, 0, True) == "array 1"  # not a name to index
    assert name(None, None, 1, True) == "array 2"


def test_tdl201_help_for_an_unbatched_pipeline() -> None:
    assert tdl201._help((None, 10), Array((10,), "float"), unbatched=True) == (
        "A `tf.data` pipeline's elements are batches to Keras: batch it before `fit` "
        "(`dataset.batch(32)`)."
    )
    assert tdl201._help((None, 10), Array((32, 10), "float")) == HELP_FIT_SHAPE


def test_activation_and_loss_of_a_model_with_two_outputs_are_not_judged() -> None:
    """One loss for two outputs may well be meant for the other one: with several outputs
    TDL204 says nothing; the same head alone gets its finding."""
    two = """\
        import keras
        inp = keras.Input(shape=(8,))
        a = keras.layers.Dense(3, activation="sigmoid")(inp)
        b = keras.layers.Dense(1)(inp)
        model = keras.Model(inp, [a, b])
        model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), optimizer="adam")
        """
    assert findings(two) == []
    one = two.replace("keras.Model(inp, [a, b])", "keras.Model(inp, a)")
    assert [f[:2] for f in findings(one)] == [("TDL204", 3)]  # the Dense, not the compile


@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        # Unbatched, each element (12,) is taken for a batch: the help is to batch it.
        (
            "",
            (
                "`model.fit` gets the data of rank 1 (12,) for an input of rank 2 (None, 10)",
                "A `tf.data` pipeline's elements are batches to Keras: batch it before `fit` "
                "(`dataset.batch(32)`).",
            ),
        ),
        (
            ".batch(32)",
            (
                "`model.fit` gets the data of shape (None, 12) for an input of shape (None, 10)",
                HELP_FIT_SHAPE,
            ),
        ),
    ],
)
def test_fit_on_a_tf_data_pipeline(batch: str, expected: tuple[str, str]) -> None:
    source = f"""\
        import numpy as np
        import tensorflow as tf
        import keras
        X, y = np.zeros((100, 12)), np.zeros((100, 1))
        model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(1)])
        model.compile(loss="mse")
        model.fit(tf.data.Dataset.from_tensor_slices((X, y)){batch})
        """
    assert [f for f in findings(source) if f[0] == "TDL201"] == [("TDL201", 7, *expected)]


def test_an_input_without_a_shape_argument_is_passed_over() -> None:
    source = """\
        import numpy as np
        import keras
        X_train = np.zeros((100, 10))
        a = keras.Sequential([keras.Input(batch_shape=(None, 10)), keras.layers.Dense(1)])
        b = keras.Sequential([keras.Input(shape=X_train.shape), keras.layers.Dense(1)])
        """
    assert [f[:2] for f in findings(source)] == [("TDL105", 5)]


def test_an_unknown_dim_of_the_data_is_no_mismatch() -> None:
    """`features` is not known statically: (100, ?) data may well fit an input of (None, 10),
    and tdlint must not say otherwise; a known 12 does not."""
    source = """\
        import sys
        import numpy as np
        import keras
        features = int(sys.argv[1])
        X = np.zeros((100, features))
        model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(1)])
        model.fit(X, np.zeros((100, 1)))
        """
    assert findings(source) == []
    known = source.replace("int(sys.argv[1])", "12")
    assert [f[:2] for f in findings(known)] == [("TDL201", 7)]


def test_fit_inputs_after_one_of_unknown_shape_are_still_judged() -> None:
    source = """\
        import numpy as np
        import keras
        a, b = keras.Input(shape=(3,)), keras.Input(shape=(4,))
        model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
        model.fit([load_features(), np.zeros((64, 5))], np.zeros((64, 1)))
        """
    assert [f[:2] for f in findings(source)] == [("TDL201", 5)]
    assert "input 2" in findings(source)[0][2]
