"""Build-time checks on scripts written as users write them: `weights=[...]` arrays that do
not fit the layer (TDL109). The rules' own VALID/INVALID examples run in test_rules.py; the
oracle tests at the end run the programs with Keras 3."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras

from tdlint.api import check_source
from tdlint.keras.catalogue import bind, lookup
from tdlint.keras.shapes import product


def findings(source: str, code: str, keras_version: str | None = None) -> list[tuple[int, str]]:
    return [
        (d.location.row, d.message)
        for d in check_source(textwrap.dedent(source), select=[code], keras_version=keras_version)
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
