"""What a file says about a per-timestep head (tdlint.rules.sequence_intent), and how TDL001,
TDL004 and TDL203 act on it: TDL001 only without per-timestep evidence, its fix only with
per-sequence evidence, TDL004 everywhere but per-sequence heads."""

from __future__ import annotations

import textwrap

import pytest

from tdlint import engine
from tdlint.api import check_source
from tdlint.config import Selection
from tdlint.diagnostics import Applicability, Severity
from tdlint.fixes import fix_source
from tdlint.keras.shapes import UNKNOWN
from tdlint.rules import sequence_intent

SEQUENTIAL = """
import numpy as np
import pandas as pd
from keras import layers, Sequential, Input
model = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), {head}])
{after}
"""


def codes(source: str, select: str = "TDL001,TDL004,TDL203") -> list[str]:
    result = engine.check_source(
        textwrap.dedent(source), "m.py", Selection.from_options(select.split(","))
    )
    assert result.error is None, result.error  # a rule that crashed says nothing, wrongly
    return [d.code for d in result.diagnostics]


def message(source: str, code: str = "TDL001") -> str:
    result = engine.check_source(textwrap.dedent(source), "m.py", Selection.from_options([code]))
    assert result.error is None, result.error
    (diagnostic,) = result.diagnostics
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
    # ... in either order: the pipeline still outweighs the labels tdlint cannot read.
    ("model.compile(loss='mse')\nmodel.fit(train_ds)\nmodel.fit(X, Y)", "layers.Dense(1)", None),
    # Predictions carry no labels: they are no pipeline either.
    ("model.predict(np.zeros((5, 10, 8)))", "layers.Dense(1)", "nothing in the file says"),
    (
        "model.compile(loss='mse')\nmodel.predict(X)\nmodel.fit(X, np.zeros(50))",
        "layers.Dense(1)",
        "the labels (50,) have one value per sequence",
    ),
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
    # A binary classifier's head is TDL001's evidence; TDL203 speaks only with labels.
    source = SEQUENTIAL.format(
        head="layers.Dense(1, activation='sigmoid')",
        after="model.compile(loss='binary_crossentropy')",
    )
    assert codes(source, "TDL001,TDL004,TDL203") == ["TDL001"]
    selection = Selection.from_options(["TDL001", "TDL203"])
    outcome = fix_source(textwrap.dedent(source), "m.py", selection, unsafe=True)
    assert "LSTM(16, return_sequences=False)" in outcome.source
    assert "TimeDistributed" not in outcome.source
    assert outcome.applied == 1 and outcome.result.diagnostics == ()


def test_one_edit_fixes_tdl001_and_tdl203_together() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(1)",
        after="model.compile(loss='mse')\nmodel.fit(np.zeros((50, 10, 8)), np.zeros((50, 1)))",
    )
    assert codes(source, "TDL001,TDL004,TDL203") == ["TDL001", "TDL203"]
    selection = Selection.from_options(["TDL001", "TDL203"])
    outcome = fix_source(textwrap.dedent(source), "m.py", selection, unsafe=True)
    assert "LSTM(16, return_sequences=False)" in outcome.source
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


# ((batch, n) labels, the loss, the model's output) -> time axis (True), none (False), or
# cannot tell (None). Worked out from the rule: n equal to the known number of steps (and not
# 1 or the units) is per step; a sparse loss or a 1-unit head compare n with the steps; a
# dense loss otherwise means one (one-hot) vector per sequence.
RANK_TWO_CASES = [
    ((50, 10), None, (None, 10, 7), True),  # one value per step, whatever the loss
    ((50, 2), None, (None, 2, 7), True),  # ... two steps too
    ((50, 5), None, (None, 5, 5), False),  # as many steps as units: read as one-hot
    ((50, 7), "sparse_categorical_crossentropy", (None, 7, 7), True),
    ((50, 1), "sparse_categorical_crossentropy", (None, 10, 7), False),  # a class per sequence
    ((50, 4), "sparse_categorical_crossentropy", (None, 10, 7), None),  # neither
    ((50, 4), "mse", (None, 10, 1), None),  # a 1-unit head: 4 is neither 10 steps nor 1
    ((50, 1), "sparse_categorical_crossentropy", (None, UNKNOWN, 7), False),
    ((50, 4), "sparse_categorical_crossentropy", (None, UNKNOWN, 7), None),
    ((50, 1), "sparse_categorical_crossentropy", None, False),  # no output shape known
    ((50, 2), "sparse_categorical_crossentropy", None, None),
    ((50, 1), "sparse_categorical_crossentropy", (None, 5), False),  # not a sequence output
    ((50, 7), "categorical_crossentropy", (None, 10, 5), False),  # a dense loss: per sequence
    ((50, 7), None, (None, 10, 5), None),  # no loss, 7 is neither steps nor units
    ((50, 5), None, (None, 10, 5), False),  # no loss, but one value per unit: one-hot
    ((40, 1), "mse", (None, 1, 1), None),  # one step: one value per step is one per sequence
]


@pytest.mark.parametrize(("shape", "loss", "out", "expected"), RANK_TWO_CASES)
def test_rank_two_labels(shape: tuple, loss: str | None, out: tuple | None, expected) -> None:
    assert sequence_intent._rank_two_labels(shape, loss, out) is expected


def test_three_dimensional_labels_have_a_time_axis_even_for_variable_length_input() -> None:
    """(batch, 10, 3) labels for a (None, None, 3) output: a time axis, though tdlint cannot
    compare it with the model's steps."""
    source = """
        import numpy as np
        from keras import layers, Sequential, Input
        model = Sequential([Input(shape=(None, 8)), layers.LSTM(16, return_sequences=True), layers.Dense(3)])
        model.compile(loss="mse")
        model.fit(np.zeros((50, 10, 8)), np.zeros((50, 10, 3)))
        """
    assert codes(source, "TDL001") == []
    assert codes(source.replace("(50, 10, 3)", "(50, 3)"), "TDL001") == ["TDL001"]


def test_one_class_id_per_sequence_with_a_sparse_loss_is_per_sequence() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(7, activation='softmax')",
        after="model.compile(loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((50, 10, 8)), np.zeros((50, 1)))",
    )
    assert "the labels (50, 1) have one value per sequence" in message(source)


def test_the_reducing_fix_is_unsafe_and_says_what_it_does() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(1)",
        after="model.compile(loss='mse')\nmodel.fit(np.zeros((50, 10, 8)), np.zeros(50))",
    )
    (diagnostic,) = check_source(textwrap.dedent(source), "m.py", select=["TDL001"])
    assert diagnostic.fix is not None
    assert diagnostic.fix.applicability is Applicability.UNSAFE
    assert diagnostic.fix.message == "Set `return_sequences=False` on the LSTM"


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
        "`m` outputs one prediction per timestep (None, 10, 1) from the `Dense` at line 5, but "
        "the labels (32, 1) have one value per sequence and `fit` trains on them silently"
    )
    anonymous = """
        import numpy as np
        import keras
        X, y = np.zeros((32, 10, 4)), np.zeros((32, 1))
        keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(1)]).fit(X, y)
        """
    assert message(anonymous, "TDL203") == (
        "The model outputs one prediction per timestep (None, 10, 1) from the `Dense` at line 5, "
        "but the labels (32, 1) have one value per sequence"
    )


def test_tdl203_help_points_at_the_rnn() -> None:
    source = """
        import numpy as np
        import keras
        m = keras.Sequential([keras.Input(shape=(10, 4)),
                              keras.layers.GRU(8, return_sequences=True), keras.layers.Dense(1)])
        m.compile(loss="mse", optimizer="adam")
        m.fit(np.zeros((32, 10, 4)), np.zeros((32, 1)))
        """
    (diagnostic,) = check_source(textwrap.dedent(source), "m.py", select=["TDL203"])
    assert diagnostic.help == (
        "For one output per sequence, set `return_sequences=False` on the GRU at line 5 "
        "(or pool the sequence before the `Dense`)."
    )


def test_tdl004_help_and_fix_and_every_head_after_a_per_sequence_one() -> None:
    """The first model's labels say per sequence (no TDL004 there); the second model, after
    it in the file, has no evidence either way and still gets its finding."""
    source = """
        import numpy as np
        from keras import layers, Sequential, Input
        a = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), layers.Dense(1)])
        a.compile(loss="mse")
        a.fit(np.zeros((50, 10, 8)), np.zeros(50))
        b = Sequential([Input(shape=(6, 2)), layers.GRU(4, return_sequences=True), layers.Dense(3)])
        """
    (diagnostic,) = check_source(textwrap.dedent(source), "m.py", select=["TDL004"])
    assert diagnostic.location.row == 7
    assert diagnostic.message == (
        "`layers.Dense(3)` runs once per timestep on the sequence output of `GRU` (line 7): "
        "(None, 6, 4) -> (None, 6, 3)"
    )
    assert diagnostic.help == "Write `TimeDistributed(Dense(...))` to state that this is meant."
    assert diagnostic.fix is not None
    assert diagnostic.fix.message == "Wrap in `TimeDistributed`"
    assert diagnostic.fix.applicability is Applicability.UNSAFE


def test_tdl203_reads_a_functional_models_output() -> None:
    source = """
        import numpy as np
        from keras import layers, Model, Input
        inp = Input(shape=(10, 4))
        seq = layers.LSTM(8, return_sequences=True)(inp)
        net = Model(inp, layers.Dense(1)(seq))
        net.compile(loss="mse", optimizer="adam")
        net.fit(np.zeros((32, 10, 4)), np.zeros((32, 1)))
        """
    assert message(source, "TDL203") == (
        "`net` outputs one prediction per timestep (None, 10, 1) from the `Dense` at line 6, but "
        "the labels (32, 1) have one value per sequence and `fit` trains on them silently"
    )


@pytest.mark.parametrize(
    "layers_text",
    [
        # Not a Dense head: a 1x1 convolution over the steps is TDL203's business no more.
        "layers.LSTM(8, return_sequences=True), layers.Conv1D(1, 1)",
        # A Dense head, but on a convolution's output, not an RNN's sequence output.
        "layers.Conv1D(8, 3, padding='same'), layers.Dense(1)",
        # The model's output is its input: no layer at all produces it.
        "layers.Dropout(0.1)",
    ],
)
def test_tdl203_needs_a_dense_head_on_an_rnns_sequence(layers_text: str) -> None:
    source = f"""
        import numpy as np
        from keras import layers, Sequential, Input
        model = Sequential([Input(shape=(10, 4)), {layers_text}])
        model.compile(loss="mse", optimizer="adam")
        model.fit(np.zeros((32, 10, 4)), np.zeros((32, 1)))
        """
    assert codes(source, "TDL203") == []
    with_rnn = source.replace(layers_text, "layers.LSTM(8, return_sequences=True), layers.Dense(1)")
    assert codes(with_rnn, "TDL203") == ["TDL203"]


def test_a_decoder_started_from_image_features_is_per_timestep() -> None:
    """A captioning decoder: its `initial_state=` comes from Dense layers (no RNN returns
    states here), and that alone says one output per step is meant."""
    source = """
        from keras.layers import Input, LSTM, Dense
        from keras.models import Model
        image = Input(shape=(2048,))
        h, c = Dense(256)(image), Dense(256)(image)
        words = Input(shape=(None, 50))
        seq = LSTM(256, return_sequences=True)(words, initial_state=[h, c])
        model = Model([image, words], Dense(50, activation="softmax")(seq))
        """
    assert codes(source, "TDL001") == []
    assert codes(source.replace(", initial_state=[h, c]", ""), "TDL001") == ["TDL001"]


def test_the_vocabulary_embedding_is_found_behind_a_merge_with_another_input() -> None:
    source = """
        from keras import layers, Model, Input
        tokens, extra = Input(shape=(40,)), Input(shape=(40, 3))
        x = layers.Concatenate()([layers.Embedding(3000, 32)(tokens), extra])
        seq = layers.LSTM(64, return_sequences=True)(x)
        model = Model([tokens, extra], layers.Dense(3000, activation="softmax")(seq))
        """
    assert codes(source, "TDL001") == []
    assert codes(source.replace("Dense(3000", "Dense(30"), "TDL001") == ["TDL001"]


@pytest.mark.parametrize(
    ("dense", "per_timestep"),
    [
        ("layers.Dense(units=vocab_size)", True),
        ("layers.Dense(output_dim=vocab_size)", True),  # the Keras 1 spelling
        ("layers.Dense(activation='softmax', units=n_tags)", True),
        ("layers.Dense(n_tags)", True),
        ("layers.Dense(activation='softmax', units=n_out)", False),
        ("layers.Dense(n_out, kernel_initializer=token_init)", False),  # not the units
    ],
)
def test_units_written_as_a_vocabulary_size(dense: str, per_timestep: bool) -> None:
    source = f"""
        from keras import layers, Sequential, Input
        model = Sequential([Input(shape=(40, 16)), layers.GRU(64, return_sequences=True), {dense}])
        """
    assert codes(source, "TDL001") == ([] if per_timestep else ["TDL001"])


def test_a_sigmoid_head_with_several_units_is_no_per_sequence_classifier() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(5, activation='sigmoid')",
        after="model.compile(loss='binary_crossentropy')",
    )
    assert "nothing in the file says" in message(source)


def test_the_classifier_head_is_read_in_every_model_that_uses_it() -> None:
    """One per-timestep head, three models: pooled (2D output), smoothed by another Dense (not
    its head), and the binary classifier whose head it is. The classifier's loss decides: it
    says per sequence, so TDL004 has no per-timestep head to report (and TDL203, without
    labels, nothing to say)."""
    source = """
        from keras import layers, Model, Input
        inp = Input(shape=(10, 8))
        seq = layers.LSTM(16, return_sequences=True)(inp)
        d = layers.Dense(1, activation="sigmoid")(seq)
        pooled = Model(inp, layers.GlobalAveragePooling1D()(d))
        smoothed = Model(inp, layers.Dense(1)(d))
        clf = Model(inp, d)
        clf.compile(loss="binary_crossentropy", optimizer="adam")
        """
    assert codes(source, "TDL004,TDL203") == []
    assert codes(source.replace("binary_crossentropy", "mse"), "TDL004,TDL203") == ["TDL004"]


def test_the_head_evidence_is_the_dense_on_the_rnn_not_a_later_one() -> None:
    """The sigmoid with binary cross-entropy is the model's head; the Dense(8) reading the RNN
    is not, so the head says nothing about it."""
    source = SEQUENTIAL.format(
        head="layers.Dense(8), layers.Dense(1, activation='sigmoid')",
        after="model.compile(loss='binary_crossentropy')",
    )
    assert "nothing in the file says" in message(source)


def test_a_model_with_two_outputs_has_no_single_head() -> None:
    source = """
        from keras import layers, Model, Input
        inp = Input(shape=(10, 8))
        seq = layers.LSTM(16, return_sequences=True)(inp)
        model = Model(inp, [layers.Dense(1, activation="sigmoid")(seq), layers.Dense(3)(seq)])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """
    found = check_source(textwrap.dedent(source), "m.py", select=["TDL001"])
    assert [d.code for d in found] == ["TDL001", "TDL001"]
    assert all("nothing in the file says" in d.message for d in found)


def test_tdl001_help_with_and_without_evidence() -> None:
    nothing = SEQUENTIAL.format(head="layers.Dense(4)", after="")
    (diagnostic,) = check_source(textwrap.dedent(nothing), "m.py", select=["TDL001"])
    assert diagnostic.help == (
        "For one output per sequence, set `return_sequences=False` on the LSTM at line 5, or "
        "pool the sequence (e.g. `GlobalAveragePooling1D()`). If one output per timestep is "
        "meant, `TimeDistributed(Dense(...))` states it (tdlint saw no labels with a time axis, "
        "no decoder, no vocabulary-sized head)."
    )
    labelled = SEQUENTIAL.format(
        head="layers.Dense(1)",
        after="model.compile(loss='mse')\nmodel.fit(np.zeros((50, 10, 8)), np.zeros(50))",
    )
    (diagnostic,) = check_source(textwrap.dedent(labelled), "m.py", select=["TDL001"])
    assert diagnostic.help == (
        "For one output per sequence, set `return_sequences=False` on the LSTM at line 5, or "
        "pool the sequence (e.g. `GlobalAveragePooling1D()`). If one output per timestep is "
        "meant, `TimeDistributed(Dense(...))` states it."
    )


@pytest.mark.parametrize(
    ("version", "builds"), [("1.0", False), ("1.1", False), ("1.2", True), ("2", True)]
)
def test_before_keras_1_2_a_dense_on_a_sequence_does_not_build(version: str, builds: bool) -> None:
    source = SEQUENTIAL.format(head="layers.Dense(4)", after="")
    (diagnostic,) = check_source(
        textwrap.dedent(source), "m.py", select=["TDL001"], keras_version=version
    )
    expected = (
        "`layers.Dense(4)` is applied to the sequence output of `LSTM` (line 5): (None, 10, 16) "
        "-> (None, 10, 4), one output per timestep, but nothing in the file says one output per "
        "timestep is meant"
    )
    if builds:
        assert (diagnostic.message, diagnostic.severity) == (expected, Severity.WARNING)
    else:
        assert diagnostic.message == expected + (
            "; Keras 1.0-1.1 cannot build this (Dense needs 2D input)"
        )
        assert diagnostic.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("targets", "reason"),
    [
        # Targets tdlint cannot see, but windows with one target each: no time axis.
        ("load_targets()", "its data is windowed with one target per window (no time axis)"),
        # Targets it can see: they decide, and the message shows them.
        ("np.zeros((500,))", "the labels (None,) have one value per sequence"),
    ],
)
def test_windowed_series_have_one_target_per_window(targets: str, reason: str) -> None:
    source = f"""
        import numpy as np
        from tensorflow import keras
        from keras import layers, Sequential, Input
        series = np.zeros((500, 4))
        targets = {targets}
        ds = keras.utils.timeseries_dataset_from_array(series, targets, sequence_length=24)
        model = Sequential([Input(shape=(24, 4)), layers.LSTM(16, return_sequences=True), layers.Dense(1)])
        model.compile(loss="mse")
        model.fit(ds)
        """
    assert message(source).endswith(f"one output per timestep, but {reason}")


def test_only_the_models_that_use_the_head_are_read() -> None:
    """Another model's per-timestep labels say nothing about this one."""
    source = """
        import numpy as np
        from keras import layers, Sequential, Input
        tagger = Sequential([Input(shape=(5, 2)), layers.Dense(3)])
        tagger.compile(loss="mse")
        tagger.fit(np.zeros((9, 5, 2)), np.zeros((9, 5, 3)))
        model = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), layers.Dense(4)])
        """
    assert "nothing in the file says" in message(source)


def test_tdl203_judges_every_model_in_the_file() -> None:
    """A plain classifier and a convolutional sequence model come first; the third model is
    the one with a per-sequence label for a per-timestep output."""
    source = """
        import numpy as np
        from keras import layers, Sequential, Input
        flat = Sequential([Input(shape=(8,)), layers.Dense(1)])
        conv = Sequential([Input(shape=(10, 4)), layers.Conv1D(2, 3, padding="same")])
        model = Sequential([Input(shape=(10, 4)), layers.LSTM(8, return_sequences=True), layers.Dense(1)])
        model.compile(loss="mse", optimizer="adam")
        model.fit(np.zeros((32, 10, 4)), np.zeros((32, 1)))
        """
    found = check_source(textwrap.dedent(source), "m.py", select=["TDL203"])
    assert [(d.code, d.location.row) for d in found] == [("TDL203", 8)]  # the `fit`


def test_labels_keras_refuses_are_tdl202s_not_tdl203s() -> None:
    source = SEQUENTIAL.format(
        head="layers.Dense(7, activation='softmax')",
        after="model.compile(loss='categorical_crossentropy')\n"
        "model.fit(np.zeros((32, 10, 8)), np.zeros((32, 7)))",
    )
    assert codes(source, "TDL202,TDL203") == ["TDL202"]


def test_tdl001_judges_every_head_in_the_file() -> None:
    """A head reduced later and a tagger with per-timestep labels come first; the third head
    has nothing saying per timestep, and is the one reported."""
    source = """
        import numpy as np
        from keras import layers, Sequential, Input
        pooled = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True),
                             layers.Dense(8), layers.GlobalAveragePooling1D()])
        tagger = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), layers.Dense(3)])
        tagger.compile(loss="mse")
        tagger.fit(np.zeros((9, 10, 8)), np.zeros((9, 10, 3)))
        model = Sequential([Input(shape=(10, 8)), layers.GRU(16, return_sequences=True), layers.Dense(4)])
        """
    found = check_source(textwrap.dedent(source), "m.py", select=["TDL001"])
    assert [(d.code, d.location.row) for d in found] == [("TDL001", 9)]


def _evidence_of_the_head(source: str) -> tuple[str | None, str]:
    """``evidence()`` for the file's one Dense on a sequence: its kind and its reason."""
    from tdlint.analysis import analyze
    from tdlint.parsing import parse_for_analysis
    from tdlint.rules.base import RuleContext

    text = textwrap.dedent(source)
    graph = analyze(parse_for_analysis(text), text)
    ctx = RuleContext(graph, lambda node: 0)
    (found,) = sequence_intent.dense_on_sequences(graph)
    seen = sequence_intent.evidence(ctx, found)
    return seen.kind, seen.reason


@pytest.mark.parametrize(
    ("after", "kind", "reason"),
    [
        (
            "model.compile(loss='mse')\nmodel.fit(np.zeros((50, 10, 8)), np.zeros((50, 10, 3)))",
            "per-timestep",
            "the labels (50, 10, 3) have a time axis",
        ),
        (
            "model.compile(loss='mse', sample_weight_mode='temporal')",
            "per-timestep",
            "it is compiled with `sample_weight_mode='temporal'`",
        ),
        ("loss = keras.backend.ctc_batch_cost", "per-timestep", "the file uses a CTC loss"),
        (
            "model.fit(train_ds)",
            "unknown-labels",
            "its labels come from a pipeline tdlint cannot see",
        ),
        (
            "trainer = Trainer(model)",
            "unknown-labels",
            "the model is handed to code tdlint does not follow",
        ),
        (
            "with tf.GradientTape() as tape:\n    pass",
            "unknown-labels",
            "the file trains in a loop of its own",
        ),
        ("", None, ""),
    ],
)
def test_the_evidence_says_what_it_saw(after: str, kind: str | None, reason: str) -> None:
    source = (
        "import numpy as np\nimport keras\nimport tensorflow as tf\n"
        "from keras import layers, Sequential, Input\n"
        "model = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), "
        "layers.Dense(3)])\n" + after + "\n"
    )
    assert _evidence_of_the_head(source) == (kind, reason)


def test_a_decoders_evidence_names_its_rnn() -> None:
    source = """
        from keras.layers import Input, GRU, Dense
        from keras.models import Model
        image = Input(shape=(64,))
        words = Input(shape=(None, 50))
        seq = GRU(64, return_sequences=True)(words, initial_state=Dense(64)(image))
        model = Model([image, words], Dense(50)(seq))
        """
    assert _evidence_of_the_head(source) == (
        "per-timestep",
        "the GRU is a decoder (`initial_state=`)",
    )
