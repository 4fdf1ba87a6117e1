"""Build-time checks on scripts written as users write them: `weights=[...]` arrays that do
not fit the layer (TDL109), a shared layer given inputs of another size (TDL110), and Keras
1's `Merge` layer and `Graph` model, whose shapes follow Keras 1's own `get_output_shape_for`
(keras/engine/topology.py and keras/legacy/models.py of Keras 1.0-1.2). The rules' own
VALID/INVALID examples run in test_rules.py; the oracle tests run the programs with Keras 3."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras

from tdlint.analysis import analyze
from tdlint.api import check_source, infer_shapes
from tdlint.keras.catalogue import bind, lookup
from tdlint.keras.shapes import product


def findings(source: str, code: str, keras_version: str | None = None) -> list[tuple[int, str]]:
    return [
        (d.location.row, d.message)
        for d in check_source(
            textwrap.dedent(source), select=code.split(","), keras_version=keras_version
        )
    ]


# ---------------------------------------------------------------- TDL109 weights-shape-mismatch

# A pretrained-embedding script: the matrix is built for another vocabulary than the layer's.
GLOVE_SCRIPT = """
import numpy as np
from keras.preprocessing.text import Tokenizer
from keras.preprocessing.sequence import pad_sequences
from keras.models import Sequential
from keras.layers import Embedding, Conv1D, GlobalMaxPooling1D, Dense

MAX_NUM_WORDS = 20000
MAX_SEQUENCE_LENGTH = 1000
EMBEDDING_DIM = 100

texts, labels = load_texts()
tokenizer = Tokenizer(num_words=MAX_NUM_WORDS)
tokenizer.fit_on_texts(texts)
sequences = tokenizer.texts_to_sequences(texts)
word_index = tokenizer.word_index
data = pad_sequences(sequences, maxlen=MAX_SEQUENCE_LENGTH)

embeddings_index = {}
for line in open("glove.6B.100d.txt"):
    values = line.split()
    embeddings_index[values[0]] = np.asarray(values[1:], dtype="float32")

embedding_matrix = np.zeros(({rows}, {width}))
for word, i in word_index.items():
    vector = embeddings_index.get(word)
    if vector is not None and i < MAX_NUM_WORDS:
        embedding_matrix[i] = vector

model = Sequential()
model.add(Embedding({vocab}, EMBEDDING_DIM, weights=[embedding_matrix],
                    input_length=MAX_SEQUENCE_LENGTH, trainable=False))
model.add(Conv1D(128, 5, activation="relu"))
model.add(GlobalMaxPooling1D())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["acc"])
model.fit(data, labels, batch_size=128, epochs=10, validation_split=0.2)
"""


def glove(rows: str, width: str, vocab: str) -> str:
    return GLOVE_SCRIPT.replace("{rows}", rows).replace("{width}", width).replace("{vocab}", vocab)


@pytest.mark.parametrize(
    ("rows", "width", "vocab", "message"),
    [
        # Built for 10,000 words, the layer has 20,000.
        ("10000", "EMBEDDING_DIM", "MAX_NUM_WORDS", "(20000, 100) is not compatible with "
         "provided weight shape (10000, 100) (`embedding_matrix`)"),
        # 300-d vectors in a 100-d layer (the row count is unknown: only the width is said).
        ("len(word_index) + 1", "300", "len(word_index) + 1", "with provided weight shape (?, 300)"),
        ("MAX_NUM_WORDS", "EMBEDDING_DIM * 2", "MAX_NUM_WORDS", "(20000, 200)"),
    ],
)  # fmt: skip
def test_an_embedding_matrix_for_another_vocabulary_or_width(
    rows: str, width: str, vocab: str, message: str
) -> None:
    ((row, found),) = findings(glove(rows, width, vocab), "TDL109")
    assert row == 31 and message in found, found


@pytest.mark.parametrize(
    ("rows", "width", "vocab"),
    [
        ("MAX_NUM_WORDS", "EMBEDDING_DIM", "MAX_NUM_WORDS"),
        # Sizes tdlint cannot know are never compared: the same or not, it cannot tell.
        ("len(word_index) + 1", "EMBEDDING_DIM", "len(word_index) + 1"),
        ("len(word_index) + 1", "EMBEDDING_DIM", "MAX_NUM_WORDS"),
        ("min(MAX_NUM_WORDS, len(word_index))", "EMBEDDING_DIM", "MAX_NUM_WORDS"),
        ("num_words", "EMBEDDING_DIM", "20000"),
    ],
)
def test_matching_or_unknown_sizes_are_silent(rows: str, width: str, vocab: str) -> None:
    assert findings(glove(rows, width, vocab), "TDL109") == []


def test_a_vocabulary_dict_filled_by_update_has_an_unknown_length() -> None:
    """``len(d)`` of a dict updated with what tdlint cannot see is unknown, not 0."""
    source = """
    import numpy as np
    from keras.layers import Embedding
    word_index = {}
    word_index.update(read_vocabulary())
    matrix = np.zeros((len(word_index) + 1, 50))
    layer = Embedding(20000, 50, weights=[matrix])
    """
    assert findings(source, "TDL109") == []
    known = source.replace("read_vocabulary()", '{"a": 1, "b": 2}')
    ((_, message),) = findings(known, "TDL109")
    assert "provided weight shape (3, 50)" in message


DENSE_SCRIPT = """
import numpy as np
import tensorflow as tf
x_train = np.random.rand(256, 20)
y_train = np.random.randint(0, 2, (256, 1))
teacher_kernel = np.random.rand({kernel})
teacher_bias = np.zeros(8)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(8, activation="relu", input_shape=(20,),
                          {weights}),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=3)
"""


@pytest.mark.parametrize(
    ("kernel", "weights", "message"),
    [
        ("20, 8", "weights=[teacher_kernel, teacher_bias]", None),
        ("20, 8", "use_bias=False, weights=[teacher_kernel]", None),
        ("10, 8", "weights=[teacher_kernel, teacher_bias]",
         "(weight 1 of 2): layer weight shape (20, 8) is not compatible with provided weight "
         "shape (10, 8) (`teacher_kernel`)"),
        ("20, 8", "weights=[teacher_kernel, np.zeros((1, 8))]", "(8,) is not compatible with "
         "provided weight shape (1, 8)"),
        ("20, 8", "weights=[teacher_kernel]", "has 2 weights (kernel, bias), but `weights=` "
         "gives 1"),
        ("20, 8", "use_bias=False, weights=[teacher_kernel, teacher_bias]", "has 1 weight "
         "(kernel), but `weights=` gives 2"),
        # Not a list literal, or arrays of unknown shape: nothing to compare.
        ("20, 8", "weights=teacher.get_weights()", None),
        ("20, 8", "weights=[np.load('w.npy'), teacher_bias]", None),
    ],
)  # fmt: skip
def test_dense_kernel_and_bias(kernel: str, weights: str, message: str | None) -> None:
    source = DENSE_SCRIPT.replace("{kernel}", kernel).replace("{weights}", weights)
    found = findings(source, "TDL109")
    if message is None:
        assert found == []
    else:
        ((row, text),) = found
        assert row == 9 and message in text, text


def test_a_dense_built_on_its_first_input() -> None:
    """The kernel's rows are the width of the input the layer is first applied to."""
    source = """
    import numpy as np
    from tensorflow import keras
    features = keras.Input(shape=(32,))
    hidden = keras.layers.Dense(16, weights=[np.eye(16), np.zeros(16)])(features)
    """
    ((_, message),) = findings(source, "TDL109")
    assert "layer weight shape (32, 16) is not compatible with provided weight shape (16, 16)" in (
        message
    )


@pytest.mark.parametrize(
    ("layer", "version", "reported"),
    [
        ("Conv2D(16, (3, 3), weights=[np.zeros((5, 5, 3, 16)), np.zeros(16)])", "3", True),
        ("Conv2D(16, (3, 3), weights=[np.zeros((3, 3, 3, 16)), np.zeros(16)])", "3", False),
        ("Conv2D(16, 3, groups=3, weights=[np.zeros((3, 3, 3, 16)), np.zeros(16)])", "3", True),
        # Keras 1 laid the kernel out by dim_ordering ('th': filters first): where the file
        # may run on Keras 1, only the number of values is compared.
        ("Conv2D(16, (3, 3), weights=[np.zeros((16, 3, 3, 3)), np.zeros(16)])", "3", True),
        ("Conv2D(16, (3, 3), weights=[np.zeros((16, 3, 3, 3)), np.zeros(16)])", "1", False),
        ("Conv2D(16, (3, 3), weights=[np.zeros((16, 3, 3, 3)), np.zeros(16)])", None, False),
        ("Conv2D(16, (3, 3), weights=[np.zeros((5, 5, 3, 16)), np.zeros(16)])", None, True),
        ("Conv2D(16, (3, 3), weights=[np.zeros((5, 5, 3, 16)), np.zeros(16)])", "1", True),
        ("Conv2D(16, (3, 3), weights=[np.zeros((16, 3, 3, 3)), np.zeros((1, 16))])", "1", True),
        ("LSTM(8, weights=[np.zeros((3, 32)), np.zeros((8, 32)), np.zeros(32)])", "3", False),
        ("LSTM(8, weights=[np.zeros((3, 8)), np.zeros((8, 8)), np.zeros(8)])", "3", True),
        # Keras 1's LSTM kept one array per gate: nothing is compared where it may run.
        ("LSTM(8, weights=[np.zeros((3, 8)), np.zeros((8, 8)), np.zeros(8)])", None, False),
        ("SimpleRNN(8, weights=[np.zeros((3, 8)), np.zeros((8, 8)), np.zeros(8)])", "1", False),
        ("SimpleRNN(8, weights=[np.zeros((4, 8)), np.zeros((8, 8)), np.zeros(8)])", "1", True),
        # Layers whose weights the catalogue does not model are left alone.
        ("GRU(8, weights=[np.zeros((1, 1))])", None, False),
    ],
)
def test_convolution_and_recurrent_kernels(layer: str, version: str | None, reported: bool) -> None:
    rank = 4 if "Conv2D" in layer else 3
    shape = "(28, 28, 3)" if rank == 4 else "(10, 3)"
    source = f"""
    import numpy as np
    from keras.models import Sequential
    from keras.layers import Conv2D, LSTM, GRU, SimpleRNN, InputLayer
    model = Sequential()
    model.add(InputLayer(input_shape={shape}))
    model.add({layer})
    """
    assert bool(findings(source, "TDL109", keras_version=version)) is reported


@pytest.mark.parametrize(
    ("name", "positional", "keywords", "x"),
    [
        ("Dense", [8], {}, (None, 5)),
        ("Dense", [8], {"use_bias": False}, (None, 3, 5)),
        ("Embedding", [100, 16], {}, (None, 7)),
        ("Conv1D", [4, 3], {}, (None, 10, 6)),
        ("Conv2D", [4, 3], {"groups": 2}, (None, 10, 10, 6)),
        ("Conv2D", [4, 3], {"data_format": "channels_first"}, (None, 6, 10, 10)),
        ("Conv3D", [4, (1, 2, 3)], {"use_bias": False}, (None, 5, 5, 5, 2)),
        ("SimpleRNN", [4], {}, (None, 10, 6)),
        ("LSTM", [4], {}, (None, 10, 6)),
    ],
)
def test_weight_shapes_add_up_to_the_parameter_count(
    name: str, positional: list[Any], keywords: dict[str, Any], x: tuple[Any, ...]
) -> None:
    spec = lookup(name)
    assert spec is not None
    args = bind(spec, positional, keywords)
    shapes = spec.weight_shapes(args, x)
    assert shapes is not None
    assert sum(product(s) for s in shapes) == spec.count_params(args, x)


# ---------------------------------------------------------------- against Keras 3

oracle = pytest.mark.skipif(not keras_available(), reason="needs keras and jax")

EMBEDDING_PROGRAM = """
import numpy as np
import keras
from keras import layers
vocab_size, dim = 50, 8
embedding_matrix = np.random.rand({rows}, {width})
x_train = np.random.randint(0, vocab_size, (32, 12))
y_train = np.random.randint(0, 2, (32, 1))
model = keras.Sequential([
    keras.Input(shape=(12,)),
    layers.Embedding(vocab_size, dim, weights=[embedding_matrix], trainable=False),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1, verbose=0)
"""


@oracle
@pytest.mark.oracle
def test_keras_refuses_what_tdl109_reports(tmp_path: Path) -> None:
    programs = {
        "wrong_rows.py": ("40", "dim", True),
        "wrong_width.py": ("vocab_size", "16", True),
        "fixed.py": ("vocab_size", "dim", False),
    }
    paths = []
    for name, (rows, width, reported) in programs.items():
        source = EMBEDDING_PROGRAM.replace("{rows}", rows).replace("{width}", width)
        path = tmp_path / name
        path.write_text(source)
        paths.append(path)
        assert bool(findings(source, "TDL109")) is reported, name
    runs = run_keras(paths, backend="jax")
    for path in paths:
        error = runs[str(path)]["error"]
        if path.name == "fixed.py":
            assert error is None, error
        else:
            assert error is not None and "not compatible with provided weight" in error["message"]


# ---------------------------------------------------------------- TDL110 shared-layer-input-mismatch

SIAMESE_SCRIPT = """
import numpy as np
import keras
from keras import layers

left_x = np.random.rand(200, {left})
right_x = np.random.rand(200, {right})
same = np.random.randint(0, 2, (200, 1))

left = keras.Input(shape=({left},))
right = keras.Input(shape=({right},))
encoder = layers.{layer}
encoded_left = encoder(left)
encoded_right = encoder(right)
distance = layers.Subtract()([encoded_left, encoded_right])
output = layers.Dense(1, activation="sigmoid")(distance)
model = keras.Model([left, right], output)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit([left_x, right_x], same, epochs=2)
"""


def siamese(left: str, right: str, layer: str = 'Dense(32, activation="relu")') -> str:
    return SIAMESE_SCRIPT.format(left=left, right=right, layer=layer)


def test_a_siamese_encoder_given_inputs_of_two_widths() -> None:
    ((row, message),) = findings(siamese("16", "12"), "TDL110")
    assert row == 14
    assert message == (
        "`Dense` was built for input (None, 16) at line 13; applied to (None, 12) here, it "
        "needs axis -1 to be 16, not 12"
    )


@pytest.mark.parametrize(
    ("left", "right", "layer"),
    [
        ("16", "16", 'Dense(32, activation="relu")'),
        # Weights that do not depend on the input's width.
        ("16", "12", "Dropout(0.5)"),
        ("16", "12", 'Activation("relu")'),
        ("16", "12", "Embedding(1000, 8)"),
        # A width tdlint cannot know: nothing to compare.
        ("16", "left_x.shape[1] + extra", 'Dense(32, activation="relu")'),
    ],
)
def test_shared_layers_that_fit_or_cannot_be_told(left: str, right: str, layer: str) -> None:
    assert findings(siamese(left, right, layer), "TDL110") == []


SEQUENCE_SCRIPT = """
import numpy as np
import keras
from keras import layers
question = keras.Input(shape=({q_steps}, {q_features}))
answer = keras.Input(shape=({a_steps}, {a_features}))
shared_lstm = layers.{layer}
merged = layers.concatenate([shared_lstm(question), shared_lstm(answer)])
model = keras.Model([question, answer], layers.Dense(1, activation="sigmoid")(merged))
model.compile(optimizer="adam", loss="binary_crossentropy")
questions = np.random.rand(8, {q_steps}, {q_features})
answers = np.random.rand(8, {a_steps}, {a_features})
model.fit([questions, answers], np.random.randint(0, 2, (8, 1)), epochs=1, verbose=0)
"""


@pytest.mark.parametrize(
    ("q", "a", "layer", "message"),
    [
        # Another sequence length is fine for a recurrent layer, another feature count not.
        ((20, 64), (30, 64), "LSTM(32)", None),
        ((20, 64), (30, 48), "LSTM(32)", "needs axis -1 to be 64, not 48"),
        ((20, 64), (20, 48), "Bidirectional(layers.GRU(8))", "needs axis -1 to be 64, not 48"),
        ((20, 64), (30, 48), "Conv1D(16, 3)", "needs axis -1 to be 64, not 48"),
        ((20, 64), (30, 64), "Conv1D(16, 3)", None),
        ((20, 64), (30, 48), "GlobalAveragePooling1D()", None),
        # One scale and offset per feature.
        ((20, 64), (20, 48), "LayerNormalization()", "needs axis -1 to be 64, not 48"),
    ],
)
def test_shared_recurrent_and_convolution_layers(
    q: tuple[int, int], a: tuple[int, int], layer: str, message: str | None
) -> None:
    source = SEQUENCE_SCRIPT.format(
        q_steps=q[0], q_features=q[1], a_steps=a[0], a_features=a[1], layer=layer
    )
    found = findings(source, "TDL110")
    if message is None:
        assert found == []
    else:
        ((row, text),) = found
        assert row == 8 and message in text, text


def test_a_layer_shared_by_two_sequential_models() -> None:
    source = """
    from keras.models import Sequential
    from keras.layers import Dense, Input
    hidden = Dense(64, activation="relu")
    small = Sequential([Input(shape=(10,)), hidden, Dense(1)])
    large = Sequential([Input(shape=(20,)), hidden, Dense(1)])
    """
    ((row, message),) = findings(source, "TDL110")
    assert row == 6 and "built for input (None, 10) at line 5" in message


def test_applications_in_a_loop_and_in_a_function_called_twice() -> None:
    loop = """
    import keras
    from keras import layers
    shared = layers.Dense(8)
    inputs = [keras.Input(shape=(4,)), keras.Input(shape=(6,))]
    outputs = []
    for inp in inputs:
        outputs.append(shared(inp))
    """
    ((_, message),) = findings(loop, "TDL110")
    assert "built for input (None, 4)" in message and "applied to (None, 6)" in message
    function = """
    import keras
    from keras import layers
    shared = layers.Dense(8)
    def branch(width):
        inp = keras.Input(shape=(width,))
        return inp, shared(inp)
    a_in, a_out = branch(4)
    b_in, b_out = branch(6)
    """
    ((row, _),) = findings(function, "TDL110")
    assert row == 7


@pytest.mark.parametrize(
    ("code", "reported"),
    [
        # Built for sure, then applied to the other width where the branch runs: it fails there.
        ("a = shared(x4)\nif flag:\n    b = shared(x6)\n", True),
        # Only one of the branches runs.
        ("if flag:\n    a = shared(x4)\nelse:\n    a = shared(x6)\n", False),
        # ... but within the other branch, the layer is built and then given another width.
        ("if flag:\n    a = shared(x6)\nelse:\n    a = shared(x4)\n    b = shared(x6)\n", True),
        # Which input builds the layer depends on the branch.
        ("if flag:\n    a = shared(x4)\nb = shared(x6)\n", False),
        ("for _ in range(n):\n    a = shared(x4)\nb = shared(x6)\n", False),
        ("try:\n    a = shared(x4)\nexcept ValueError:\n    a = shared(x6)\n", False),
        # A function never called runs with unknown arguments, apart from the module's code.
        ("def unused():\n    return shared(x6)\na = shared(x4)\n", False),
    ],
)
def test_branches_that_may_not_run(code: str, reported: bool) -> None:
    source = (
        "import sys\nimport keras\nfrom keras import layers\nflag = len(sys.argv) > 1\n"
        "n = int(sys.argv[1])\nshared = layers.Dense(8)\n"
        "x4, x6 = keras.Input(shape=(4,)), keras.Input(shape=(6,))\n" + code
    )
    assert bool(findings(source, "TDL110")) is reported


def test_a_subclassed_models_layers_applied_to_two_widths() -> None:
    source = """
    import keras
    from keras import layers

    class Scorer(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(16, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs):
            user, item = inputs
            return self.out(self.hidden(user) * self.hidden(item))

    user = keras.Input(shape=(32,))
    item = keras.Input(shape=(24,))
    score = Scorer()([user, item])
    """
    ((row, message),) = findings(source, "TDL110")
    assert row == 13 and "needs axis -1 to be 32, not 24" in message


@oracle
@pytest.mark.oracle
def test_keras_refuses_what_tdl110_reports(tmp_path: Path) -> None:
    programs = {
        "siamese_widths.py": (siamese("16", "12"), True),
        "siamese.py": (siamese("16", "16"), False),
    }
    for name, (q, a, layer, reported) in {
        "lstm_features.py": ((20, 64), (30, 48), "LSTM(32)", True),
        "lstm_lengths.py": ((20, 64), (30, 64), "LSTM(32)", False),
        "conv_channels.py": ((20, 64), (30, 48), "Conv1D(16, 3)", True),
        "norm_features.py": ((20, 64), (20, 48), "LayerNormalization()", True),
        "pooled_features.py": ((20, 64), (30, 48), "GlobalAveragePooling1D()", False),
    }.items():
        source = SEQUENCE_SCRIPT.format(
            q_steps=q[0], q_features=q[1], a_steps=a[0], a_features=a[1], layer=layer
        )
        programs[name] = (source, reported)
    paths = []
    for name, (source, reported) in programs.items():
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        paths.append(path)
        assert bool(findings(source, "TDL110")) is reported, name
    runs = run_keras(paths, backend="jax")
    for path in paths:
        error = runs[str(path)]["error"]
        if programs[path.name][1]:
            assert error is not None, f"{path.name} builds in Keras, but TDL110 reports it"
        else:
            assert error is None, (path.name, error)


# ---------------------------------------------------------------- Keras 1: Merge and Graph


def models(source: str) -> dict[str, Any]:
    return {m.model: m for m in infer_shapes(textwrap.dedent(source))}


BRANCHES_SCRIPT = """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Merge, Activation

left_data = np.random.random((1000, 784))
right_data = np.random.random((1000, {right_width}))
labels = np.random.randint(10, size=(1000, 1))

left_branch = Sequential()
left_branch.add(Dense(32, input_dim=784))

right_branch = Sequential()
right_branch.add(Dense(32, input_dim=784))

merged = Merge([left_branch, right_branch], mode={mode})

final_model = Sequential()
final_model.add(merged)
final_model.add(Dense(10, activation='softmax'))
final_model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy')
final_model.fit([left_data, right_data], labels, nb_epoch=10, batch_size=32)
"""


@pytest.mark.parametrize(
    ("mode", "merged", "params"),
    [
        # Keras 1's get_output_shape_for: one shape for sum/mul/ave/max, concat adds up the
        # axis, dot and cos drop the dotted axes (and give (None, 1) for two vectors).
        ("'sum'", (None, 32), 330),
        ("'mul'", (None, 32), 330),
        ("'ave'", (None, 32), 330),
        ("'max'", (None, 32), 330),
        ("'concat'", (None, 64), 650),
        ("'concat', concat_axis=1", (None, 64), 650),
        ("'dot', dot_axes=1", (None, 1), 20),
        ("'cos', dot_axes=1", (None, 1), 20),
    ],
)
def test_a_sequential_starting_with_a_merge_of_two_models(
    mode: str, merged: tuple[Any, ...], params: int
) -> None:
    found = models(BRANCHES_SCRIPT.replace("{mode}", mode).replace("{right_width}", "784"))
    model = found["final_model"]
    assert [row.layer for row in model.layers] == [
        "Sequential",
        "Sequential",
        merged_name(mode),
        "Dense",
    ]
    assert model.layers[2].output_shape == merged
    # The branches' inputs are the model's: it is fit on two arrays.
    assert model.inputs == ((None, 784), (None, 784))
    assert model.outputs == ((None, 10),)
    assert model.params == 2 * 25120 + params
    assert (
        findings(
            BRANCHES_SCRIPT.replace("{mode}", mode).replace("{right_width}", "784"),
            "TDL0,TDL1,TDL2",
        )
        == []
    )


def merged_name(mode: str) -> str:
    name = mode.split(",")[0].strip("'")
    return {"sum": "Add", "mul": "Multiply", "ave": "Average", "max": "Maximum"}.get(
        name, "Concatenate" if name == "concat" else "Dot"
    )


def test_data_for_the_merged_models_inputs_is_checked() -> None:
    """The model's inputs are the branches': an array of another width for the second one is
    TDL201's."""
    source = BRANCHES_SCRIPT.replace("{mode}", "'concat'").replace("{right_width}", "500")
    ((row, message),) = findings(source, "TDL201")
    assert row == 22 and "input 2" in message


def test_merges_of_merges_take_each_input_once() -> None:
    """As bAbI's memory network: a model merged twice brings its input once (Keras 1's
    get_source_inputs), so the last model is fit on three arrays."""
    source = """
    from keras.models import Sequential
    from keras.layers import Embedding, Merge, Permute, LSTM, Dense, Activation

    story_encoder = Sequential()
    story_encoder.add(Embedding(22, 64, input_length=68))
    question_encoder = Sequential()
    question_encoder.add(Embedding(22, 64, input_length=4))

    match = Sequential()
    match.add(Merge([story_encoder, question_encoder], mode='dot', dot_axes=[2, 2]))
    match.add(Activation('softmax'))

    story_encoder_c = Sequential()
    story_encoder_c.add(Embedding(22, 4, input_length=68))

    response = Sequential()
    response.add(Merge([match, story_encoder_c], mode='sum'))
    response.add(Permute((2, 1)))

    answer = Sequential()
    answer.add(Merge([response, question_encoder], mode='concat', concat_axis=-1))
    answer.add(LSTM(32))
    answer.add(Dense(22))
    """
    found = models(source)
    assert found["match"].outputs == ((None, 68, 4),)
    assert found["match"].inputs == ((None, 68), (None, 4))
    assert found["response"].outputs == ((None, 4, 68),)
    assert found["response"].inputs == ((None, 68), (None, 4), (None, 68))
    answer = found["answer"]
    assert answer.inputs == ((None, 68), (None, 4), (None, 68))
    assert [row.output_shape for row in answer.layers[:3]] == [
        (None, 4, 68),
        (None, 4, 64),
        (None, 4, 132),
    ]
    assert answer.outputs == ((None, 22),)


@pytest.mark.parametrize(
    ("merge", "expected"),
    [
        # Created without layers, a Merge is applied like any layer.
        ("Merge(mode='concat')([a, b])", (None, 10, 24)),
        ("Merge(mode='concat', concat_axis=1)([a, a])", (None, 20, 16)),
        ("Merge(mode='dot', dot_axes=[2, 2])([a, a])", (None, 10, 10)),
        # The user's function as the mode: its shape is the user's.
        ("Merge(mode=lambda xs: xs[0] * xs[1], output_shape=(10, 16))([a, a])", None),
        ("merge([a, b], mode='concat')", (None, 10, 24)),
        ("merge([a, a], mode='cos', dot_axes=2)", (None, 10, 10)),
    ],
)
def test_merge_layers_applied_to_tensors(merge: str, expected: object) -> None:
    source = f"""
    from keras.layers import Input, Merge, merge, Dense
    from keras.models import Model
    a = Input(shape=(10, 16))
    b = Input(shape=(10, 8))
    out = Dense(4)({merge})
    model = Model(input=[a, b], output=out)
    """
    model = models(source)["model"]
    assert model.layers[0].output_shape == expected
    # The graph stays connected through a merge it cannot compute: the Dense is the model's.
    assert [row.layer for row in model.layers][-1] == "Dense"


@pytest.mark.parametrize(
    ("merge", "message"),
    [
        ("Merge([left, right], mode='sum')", "`Add`: 32 and 16"),
        ("Merge([left, right], mode='concat', concat_axis=1)", None),
        ("Merge([left, right], mode='dot', dot_axes=1)", "dot axes of 32 and 16 values"),
        ("Merge([left, right], mode='cos', dot_axes=1)", "dot axes of 32 and 16 values"),
    ],
)
def test_merged_models_whose_outputs_do_not_merge(merge: str, message: str | None) -> None:
    """Keras 1 refused them too: "Only layers of same output shape can be merged using sum
    mode", "Dimension incompatibility using dot mode"."""
    source = f"""
    from keras.models import Sequential
    from keras.layers import Dense, Merge
    left = Sequential()
    left.add(Dense(32, input_dim=100))
    right = Sequential()
    right.add(Dense(16, input_dim=100))
    model = Sequential()
    model.add({merge})
    model.add(Dense(1))
    """
    found = findings(source, "TDL102")
    if message is None:
        assert found == []
    else:
        ((row, text),) = found
        assert row == 9 and message in text, text


def test_a_merge_of_models_added_after_other_layers() -> None:
    """Keras 1 refuses to apply such a Merge again: the model's shapes are not known."""
    source = """
    from keras.models import Sequential
    from keras.layers import Dense, Merge
    left = Sequential([Dense(8, input_dim=4)])
    right = Sequential([Dense(8, input_dim=4)])
    model = Sequential()
    model.add(Dense(8, input_dim=4))
    model.add(Merge([left, right], mode='sum'))
    model.add(Dense(1))
    """
    model = models(source)["model"]
    assert model.uncertain and model.outputs == (None,)


GRAPH_SCRIPT = """
import numpy as np
from keras.models import Graph
from keras.layers.core import Dense, Dropout
from keras.layers.recurrent import LSTM
from keras.layers.embeddings import Embedding

X_train = np.random.random((1000, 32))
y_train = np.random.random((1000, 4))

graph = Graph()
graph.add_input(name='input', input_shape=(32,))
graph.add_node(Dense(16), name='dense1', input='input')
graph.add_node(Dense(4), name='dense2', input='input')
graph.add_node(Dense(4), name='dense3', input='dense1')
graph.add_node(Dense(8), name='summed', inputs=['dense2', 'dense3'], merge_mode='sum')
graph.add_node(Dense(2), name='unused', input='dense1')
graph.add_output(name='output1', input='dense2')
graph.add_output(name='output2', inputs=['summed', 'dense3'], merge_mode='concat')
graph.compile(optimizer='rmsprop', loss={'output1': 'mse', 'output2': 'mse'})
history = graph.fit({'input': X_train, 'output1': y_train, 'output2': y_train}, nb_epoch=10)
"""


def test_a_keras1_graph_model() -> None:
    graph = models(GRAPH_SCRIPT)["graph"]
    rows = [(row.layer, row.line, row.output_shape, row.params) for row in graph.layers]
    assert rows == [
        ("Dense", 13, (None, 16), 528),
        ("Dense", 14, (None, 4), 132),
        ("Dense", 15, (None, 4), 68),
        ("Add", 16, (None, 4), 0),  # the inputs merged, then the node's layer
        ("Dense", 16, (None, 8), 40),
        ("Concatenate", 19, (None, 12), 0),
    ]  # the node that leads to no output is not part of the model, as in Keras 1
    assert graph.inputs == ((None, 32),)
    assert graph.outputs == ((None, 4), (None, 12))
    assert graph.params == 768
    assert findings(GRAPH_SCRIPT, "TDL0,TDL1,TDL2") == []  # (old code: TDL3 has its say)


def test_graph_nodes_merged_and_shared() -> None:
    source = """
    from keras.models import Graph
    from keras.layers import Dense, Dropout, LSTM, Embedding
    seq = Graph()
    seq.add_input(name='words', input_shape=(100,), dtype='int')
    seq.add_node(Embedding(5000, 64, input_length=100), name='embedding', input='words')
    seq.add_node(LSTM(32), name='forward', input='embedding')
    seq.add_node(LSTM(32, go_backwards=True), name='backward', input='embedding')
    seq.add_node(Dropout(0.5), name='dropout', inputs=['forward', 'backward'])
    seq.add_node(Dense(1, activation='sigmoid'), name='sigmoid', input='dropout',
                 create_output=True)

    shared = Graph()
    shared.add_input(name='a', input_shape=(10,))
    shared.add_input(name='b', batch_input_shape=(16, 10))
    shared.add_shared_node(Dense(5), name='s', inputs=['a', 'b'], merge_mode='ave')
    shared.add_node(Dense(5), name='u', input='a')
    shared.add_shared_node(Dense(3), name='t', inputs=['u', 's'], outputs=['tu', 'ts'])
    shared.add_output(name='out', inputs=['tu', 'ts'])
    """
    found = models(source)
    assert found["seq"].layers[3].output_shape == (None, 64)  # merged by concat
    assert found["seq"].outputs == ((None, 1),)
    assert found["seq"].params == 320000 + 2 * 12416 + 65
    assert found["shared"].inputs == ((None, 10), (16, 10))
    assert [shape[1:] for shape in found["shared"].outputs] == [(6,)]
    assert found["shared"].params == 55 + 55 + 18
    assert findings(source, "TDL") == []
    # A node shared by inputs of other widths: Keras 1 refused it as Keras 3 does.
    mixed = source.replace("inputs=['u', 's']", "inputs=['a', 's']")
    ((row, message),) = findings(mixed, "TDL110")
    assert row == 18 and "built for input (None, 10) at line 18" in message


def test_a_graph_tdlint_cannot_wire_is_uncertain() -> None:
    source = """
    from keras.models import Graph
    from keras.layers import Dense
    graph = Graph()
    graph.add_input(name='input', input_shape=(32,))
    for name in node_names:
        graph.add_node(Dense(4), name=name, input='input')
    graph.add_output(name='output', input='dense')
    """
    assert models(source)["graph"].uncertain


@oracle
@pytest.mark.oracle
def test_merge_modes_as_keras3_computes_them(tmp_path: Path) -> None:
    """Each Keras 1 mode is the Keras 3 layer tdlint reads it as: Keras 3 computes the shape
    tdlint gives the Keras 1 model, and refuses the dot products Keras 1 refused."""
    keras3 = {
        "concat": "layers.Concatenate(axis=1)([a, c])",
        "cos": "layers.Dot(axes=2, normalize=True)([a, c])",
        "dot_mismatch": "layers.Dot(axes=2)([a, b])",
    }
    keras1 = {
        "concat": "merge([a, c], mode='concat', concat_axis=1)",
        "cos": "merge([a, c], mode='cos', dot_axes=2)",
        "dot_mismatch": "merge([a, b], mode='dot', dot_axes=2)",
    }
    paths = []
    for name, call in keras3.items():
        path = tmp_path / f"{name}.py"
        path.write_text(
            "import keras\nfrom keras import layers\n"
            "a = keras.Input(shape=(10, 16))\nb = keras.Input(shape=(6, 8))\n"
            f"c = keras.Input(shape=(4, 16))\nmodel = keras.Model([a, b, c], {call})\n"
        )
        paths.append(path)
    runs = run_keras(paths)
    for name, call in keras1.items():
        source = f"""
        from keras.layers import Input, merge
        from keras.models import Model
        a = Input(shape=(10, 16))
        b = Input(shape=(6, 8))
        c = Input(shape=(4, 16))
        model = Model(input=[a, b, c], output={call})
        """
        run = runs[str(tmp_path / f"{name}.py")]
        if name == "dot_mismatch":
            assert run["error"] is not None
            assert findings(source, "TDL102") != []
        else:
            assert run["error"] is None, run
            (summary,) = infer_shapes(textwrap.dedent(source))
            assert list(summary.outputs[0]) == run["models"]["model"]["output_shape"]


@pytest.mark.parametrize(("mode", "normalize"), [("cos", True), ("dot", False)])
def test_cos_is_a_normalized_dot(mode: str, normalize: bool) -> None:
    source = (
        "from keras.layers import Input, merge\na = Input(shape=(8,))\n"
        f"out = merge([a, a], mode='{mode}', dot_axes=1)\n"
    )
    (layer,) = analyze(cst.parse_module(source), source).layers
    assert layer.spec.name == "Dot" and layer.args.get("normalize") is normalize
