"""What a file says about a per-timestep head (tdlint.rules.sequence_intent), and how TDL001,
TDL004 and TDL203 act on it: TDL001 only without per-timestep evidence, its fix only with
per-sequence evidence, TDL004 everywhere but per-sequence heads."""

from __future__ import annotations

import textwrap

import pytest

from tdlint.api import check_source
from tdlint.config import Selection
from tdlint.fixes import fix_source

SEQUENTIAL = """
import numpy as np
import pandas as pd
from keras import layers, Sequential, Input
model = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), {head}])
{after}
"""


def codes(source: str, select: str = "TDL001,TDL004,TDL203") -> list[str]:
    return [d.code for d in check_source(textwrap.dedent(source), "m.py", select=select.split(","))]


def message(source: str, code: str = "TDL001") -> str:
    (diagnostic,) = check_source(textwrap.dedent(source), "m.py", select=[code])
    return diagnostic.message


# (what the file adds after the model, the head, the TDL001 verdict's words or None if silent)
LABEL_CASES = [
    # Labels with a time axis: per timestep.
    (
        "y = np.zeros((50, 10, 3))\nmodel.compile(loss='mse')\nmodel.fit(np.zeros((50, 10, 8)), y)",
        "layers.Dense(3)",
        None,
    ),
    # Sparse labels (batch, time) with a sparse loss: per timestep (a tagger, a language model).
    (
        "y = np.zeros((50, 10), dtype=int)\nmodel.compile(loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((50, 10, 8)), y)",
        "layers.Dense(7, activation='softmax')",
        None,
    ),
    # The same rank-2 labels with a dense loss: one value (a vector) per sequence.
    (
        "y = np.zeros((50, 7))\nmodel.compile(loss='categorical_crossentropy')\n"
        "model.fit(np.zeros((50, 10, 8)), y)",
        "layers.Dense(7, activation='softmax')",
        "the labels (50, 7) have one value per sequence",
    ),
    # One label per sequence.
    (
        "y = np.zeros(50)\nmodel.compile(loss='mse')\nmodel.fit(np.zeros((50, 10, 8)), y)",
        "layers.Dense(1)",
        "the labels (50,) have one value per sequence",
    ),
    # Labels in a pipeline tdlint cannot see (a generator, a dataset): nothing said.
    ("model.compile(loss='mse')\nmodel.fit(train_ds, epochs=3)", "layers.Dense(1)", None),
    ("model.compile(loss='mse')\nmodel.fit_generator(batches(), 100)", "layers.Dense(1)", None),
    # Labels given, of a shape tdlint cannot follow: they say nothing, the rest decides.
    ("model.compile(loss='mse')\nmodel.fit(X, Y)", "layers.Dense(1)", "nothing in the file says"),
    ("model.compile(loss='mse')\nmodel.fit(X, Y)\nmodel.fit(train_ds)", "layers.Dense(1)", None),
    # Pandas columns, lists grown in loops and long lists are labels tdlint can read.
    (
        "df = pd.read_csv('d.csv')\nmodel.compile(loss='mse')\nmodel.fit(X, df['close'])",
        "layers.Dense(1)",
        "the labels (?,) have one value per sequence",
    ),
    (
        "y = [1] * 7000 + [0] * 7000\nmodel.compile(loss='mse')\nmodel.fit(X, y)",
        "layers.Dense(1)",
        "the labels (?,) have one value per sequence",
    ),
    (
        "X = np.load('x.npy').reshape(-1, 10, 8)\nys = []\nfor i in range(len(X)):\n"
        "    ys.append(X[i, -1, 0])\nmodel.compile(loss='mse')\nmodel.fit(X, np.array(ys))",
        "layers.Dense(1)",
        "the labels (?,) have one value per sequence",
    ),
    # A custom training loop.
    ("import tensorflow as tf\nwith tf.GradientTape() as tape:\n    pass", "layers.Dense(1)", None),
    # Temporal sample weights say per timestep.
    ("model.compile(loss='mse', sample_weight_mode='temporal')", "layers.Dense(1)", None),
    # A per-sequence classifier's head, with no data in sight.
    (
        "model.compile(loss='binary_crossentropy')",
        "layers.Dense(1, activation='sigmoid')",
        "a 1-unit sigmoid with `binary_crossentropy` is a per-sequence classifier's head",
    ),
    # ... but with a time-axis label the same head is a per-step binary tagger.
    (
        "model.compile(loss='binary_crossentropy')\n"
        "model.fit(np.zeros((9, 10, 8)), np.zeros((9, 10, 1)))",
        "layers.Dense(1, activation='sigmoid')",
        None,
    ),
    # Nothing either way: reported, and the message says so.
    ("", "layers.Dense(4, activation='softmax')", "nothing in the file says"),
]


@pytest.mark.parametrize(("after", "head", "verdict"), LABEL_CASES)
def test_labels_and_heads(after: str, head: str, verdict: str | None) -> None:
    source = SEQUENTIAL.format(head=head, after=after)
    if verdict is None:
        assert codes(source, "TDL001") == []
    else:
        assert verdict in message(source)


STRUCTURE_CASES = {
    "decoder": """
        from keras.layers import Input, LSTM, Dense
        from keras.models import Model
        enc = Input(shape=(None, 20))
        _, h, c = LSTM(32, return_state=True)(enc)
        dec = Input(shape=(None, 30))
        seq = LSTM(32, return_sequences=True)(dec, initial_state=[h, c])
        model = Model([enc, dec], Dense(30, activation="softmax")(seq))
        """,
    "repeat-vector": """
        from keras import layers, Sequential
        model = Sequential([layers.Input(shape=(12, 5)), layers.LSTM(32), layers.RepeatVector(12),
                            layers.LSTM(32, return_sequences=True), layers.Dense(5)])
        """,
    "embedding-vocabulary": """
        import keras
        model = keras.Sequential([keras.Input(shape=(40,)), keras.layers.Embedding(3000, 32),
                                  keras.layers.LSTM(64, return_sequences=True),
                                  keras.layers.Dense(3000, activation="softmax")])
        """,
    "vocabulary-name": """
        import keras
        vocab_size = load_vocabulary()
        model = keras.Sequential([keras.Input(shape=(40, 16)),
                                  keras.layers.GRU(64, return_sequences=True),
                                  keras.layers.Dense(vocab_size)])
        """,
    "ctc": """
        import keras
        inp = keras.Input(shape=(100, 13))
        seq = keras.layers.Bidirectional(keras.layers.LSTM(64, return_sequences=True))(inp)
        model = keras.Model(inp, keras.layers.Dense(29, activation="softmax")(seq))
        loss = keras.backend.ctc_batch_cost
        """,
}


@pytest.mark.parametrize("name", STRUCTURE_CASES)
def test_per_timestep_structure_keeps_tdl001_silent(name: str) -> None:
    source = STRUCTURE_CASES[name]
    assert codes(source, "TDL001") == []
    assert codes(source, "TDL004") == ["TDL004"]  # the strict reading still asks to state it


def test_return_state_seq2seq_decoder_output_is_per_timestep() -> None:
    source = """
        from keras import layers, Model, Input
        inp = Input(shape=(12, 6))
        seq, h, c = layers.LSTM(24, return_sequences=True, return_state=True)(inp)
        model = Model(inp, layers.Dense(2)(seq))
        """
    assert codes(source) == ["TDL004"]


def test_a_decoders_initial_state_makes_the_encoder_part_of_the_model() -> None:
    """The encoder reaches the decoder only through `initial_state=`: its layers and their
    parameters still belong to the model (Keras counts them)."""
    from tdlint.api import infer_shapes

    (model,) = infer_shapes(textwrap.dedent(STRUCTURE_CASES["decoder"]))
    assert [row.layer for row in model.layers] == ["LSTM", "LSTM", "Dense"]
    # 4 * 32 * (20 + 32 + 1), 4 * 32 * (30 + 32 + 1), 32 * 30 + 30
    assert model.params == 6784 + 8064 + 990


def test_inside_the_model_the_sequence_is_reduced_later() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(8), layers.GlobalAveragePooling1D(), layers.Dense(1)", after=""
    )
    assert codes(source) == ["TDL004"]


def test_a_dense_chain_is_reported_once_at_the_first_dense() -> None:
    source = SEQUENTIAL.format(head="layers.Dense(8), layers.Dense(1)", after="")
    found = check_source(textwrap.dedent(source), "m.py", select=["TDL001"])
    line = next(ln for ln in textwrap.dedent(source).splitlines() if "Dense(8)" in ln)
    assert [(d.code, d.location.column) for d in found] == [
        ("TDL001", line.index("layers.Dense(8)") + 1)
    ]


def test_per_sequence_evidence_gets_the_reducing_fix_and_no_wrap() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(1, activation='sigmoid')",
        after="model.compile(loss='binary_crossentropy')",
    )
    assert codes(source, "TDL001,TDL004,TDL203") == ["TDL001", "TDL203"]
    selection = Selection.from_options(["TDL001", "TDL203"])
    outcome = fix_source(textwrap.dedent(source), "m.py", selection, unsafe=True)
    assert "LSTM(16, return_sequences=False)" in outcome.source
    assert "TimeDistributed" not in outcome.source
    # One edit fixes both findings: both are counted, and nothing remains.
    assert outcome.applied == 2 and outcome.fixed_warnings == 2
    assert outcome.result.diagnostics == ()


def test_no_evidence_either_way_gets_no_fix() -> None:
    source = SEQUENTIAL.format(head="layers.Dense(4)", after="")
    (diagnostic,) = check_source(textwrap.dedent(source), "m.py", select=["TDL001"])
    assert diagnostic.fix is None
    assert (
        diagnostic.help is not None and "tdlint saw no labels with a time axis" in diagnostic.help
    )


def test_with_one_timestep_labels_of_one_value_say_nothing() -> None:
    """A table row fed as a one-step sequence: (batch, 1) labels fit the (None, 1, 1) output
    either way (Keras squeezes it), so they are no evidence; the rule still reports the head,
    with nothing in the file saying one output per timestep is meant."""
    source = """
        import numpy as np
        from keras import layers, Sequential, Input
        model = Sequential([Input(shape=(1, 6)), layers.LSTM(16, return_sequences=True), layers.Dense(1)])
        model.compile(loss="mse")
        model.fit(np.zeros((40, 1, 6)), np.zeros((40, 1)))
        """
    assert "nothing in the file says" in message(source)


def test_a_shared_rnn_is_not_changed_by_the_fix() -> None:
    source = """
        import numpy as np
        from keras import layers, Model, Input
        rnn = layers.LSTM(8, return_sequences=True)
        a, b = Input(shape=(5, 3)), Input(shape=(5, 3))
        out = layers.Dense(1)(rnn(a))
        other = rnn(b)
        model = Model(a, out)
        model.compile(loss="mse")
        model.fit(np.zeros((4, 5, 3)), np.zeros(4))
        """
    (diagnostic,) = check_source(textwrap.dedent(source), "m.py", select=["TDL001"])
    assert "one value per sequence" in diagnostic.message and diagnostic.fix is None


def test_wrapping_does_not_silence_the_label_evidence() -> None:
    """TDL004's wrap states per-timestep output; the labels still say per sequence."""
    source = SEQUENTIAL.format(
        head="layers.TimeDistributed(layers.Dense(1))",
        after="model.compile(loss='mse')\nmodel.fit(np.zeros((6, 10, 8)), np.zeros((6, 1)))",
    )
    assert codes(source) == ["TDL203"]
    outcome = fix_source(
        textwrap.dedent(source), "m.py", Selection.from_options(["TDL203"]), unsafe=True
    )
    assert "LSTM(16, return_sequences=False), layers.Dense(1)]" in outcome.source


def test_a_model_wrapped_by_the_users_own_class_is_trained_out_of_sight() -> None:
    source = """
        import keras
        class Residual(keras.Model):
            def __init__(self, model):
                super().__init__()
                self.model = model
            def call(self, x):
                return x + self.model(x)
        inner = keras.Sequential([keras.Input(shape=(24, 3)),
                                  keras.layers.LSTM(32, return_sequences=True),
                                  keras.layers.Dense(3)])
        wrapped = Residual(inner)
        """
    assert codes(source, "TDL001") == []
    assert codes(source.replace("wrapped = Residual(inner)", ""), "TDL001") == ["TDL001"]


def test_keras_0_signatures_are_not_read_as_modern_ones() -> None:
    """Keras 0.x wrote `LSTM(input_dim, output_dim)` and `Dense(input_dim, output_dim)`: a
    number where an activation goes. tdlint does not guess those shapes."""
    source = """
        from keras.models import Sequential
        from keras.layers.core import Dense
        from keras.layers.recurrent import LSTM
        model = Sequential()
        model.add(LSTM(2, 10, return_sequences=True))
        model.add(Dense(10, 2))
        """
    assert codes(source) == []
    modern = source.replace("LSTM(2, 10,", "LSTM(10, input_shape=(5, 2),").replace(
        "Dense(10, 2)", "Dense(2)"
    )
    assert codes(modern, "TDL001") == ["TDL001"]


def test_each_fit_is_judged_with_the_loss_it_trained_with() -> None:
    """A notebook recompiles a model to show another loss after training it: the earlier
    `fit` still trained with the first loss."""
    source = """
        import numpy as np
        import keras
        from keras.utils import to_categorical
        model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(46, activation="softmax")])
        y = to_categorical(np.random.randint(0, 46, size=(100,)), 46)
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(np.zeros((100, 20)), y)
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        """
    assert codes(source, "TDL202") == []
    refit = source + "model.fit(np.zeros((100, 20)), y)\n"
    assert codes(refit, "TDL202") == ["TDL202"]  # the same labels, now with a sparse loss


def test_tdl203_names_the_model_in_code_or_says_the_model() -> None:
    named = """
        import numpy as np
        import keras
        X, y = np.zeros((32, 10, 4)), np.zeros((32, 1))
        m = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(1)])
        m.compile(loss="mse", optimizer="adam")
        m.fit(X, y)
        """
    assert message(named, "TDL203") == (
        "`m` outputs one prediction per timestep (None, 10, 1), but the labels (32, 1) have one "
        "value per sequence and `fit` trains on them silently"
    )
    anonymous = """
        import numpy as np
        import keras
        X, y = np.zeros((32, 10, 4)), np.zeros((32, 1))
        keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(1)]).fit(X, y)
        """
    assert message(anonymous, "TDL203") == (
        "The model outputs one prediction per timestep (None, 10, 1), but the labels (32, 1) "
        "have one value per sequence"
    )
