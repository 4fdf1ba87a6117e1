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
