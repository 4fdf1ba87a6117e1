"""Keras name resolution, without executing anything: every import style users write."""

from __future__ import annotations

import textwrap

import pytest

from tdlint.api import check_source, infer_shapes
from tdlint.keras import names

# Each prelude binds LSTM, TD (TimeDistributed), Dense and Seq (Sequential) its own way.
KERAS_PRELUDES = {
    "import keras": """
        import keras
        LSTM, TD, Dense, Seq = keras.layers.LSTM, keras.layers.TimeDistributed, keras.layers.Dense, keras.Sequential
    """,
    "from keras import layers": """
        from keras import layers, models
        LSTM, TD, Dense, Seq = layers.LSTM, layers.TimeDistributed, layers.Dense, models.Sequential
    """,
    "from keras.layers import X as Y": """
        from keras.layers import LSTM, TimeDistributed as TD, Dense
        from keras.models import Sequential as Seq
    """,
    "import tensorflow as tf": """
        import tensorflow as tf
        LSTM, TD, Dense, Seq = tf.keras.layers.LSTM, tf.keras.layers.TimeDistributed, tf.keras.layers.Dense, tf.keras.Sequential
    """,
    "from tensorflow.keras.layers import X": """
        from tensorflow.keras.layers import LSTM, Dense, TimeDistributed as TD
        from tensorflow.keras import Sequential as Seq
    """,
    "from tensorflow import keras": """
        from tensorflow import keras
        LSTM, TD, Dense, Seq = keras.layers.LSTM, keras.layers.TimeDistributed, keras.layers.Dense, keras.Sequential
    """,
    "import tensorflow.keras as K": """
        import tensorflow.keras as K
        LSTM, TD, Dense, Seq = K.layers.LSTM, K.layers.TimeDistributed, K.layers.Dense, K.models.Sequential
    """,
    "tf_keras": """
        import tf_keras
        from tf_keras.layers import LSTM, Dense, TimeDistributed as TD
        Seq = tf_keras.Sequential
    """,
    "module alias variable": """
        import tensorflow as tf
        L = tf.keras.layers
        LSTM, TD, Dense = L.LSTM, L.TimeDistributed, L.Dense
        Seq = tf.keras.models.Sequential
    """,
    "keras 1 module paths": """
        from keras.layers.recurrent import LSTM
        from keras.layers.wrappers import TimeDistributed as TD
        from keras.layers.core import Dense
        from keras.models import Sequential as Seq
    """,
    "keras.layers.recurrent module": """
        from keras.layers import recurrent, wrappers, core
        LSTM, TD, Dense = recurrent.LSTM, wrappers.TimeDistributed, core.Dense
        from keras.models import Sequential as Seq
    """,
    "star imports": """
        from keras.layers import *
        from keras.models import *
        TD, Seq = TimeDistributed, Sequential
    """,
    "tensorflow.python.keras": """
        from tensorflow.python.keras.layers import LSTM, Dense, TimeDistributed as TD
        from tensorflow.python.keras.models import Sequential as Seq
    """,
}

NOT_KERAS_PRELUDES = {
    "a local library": """
        from mylib import LSTM, Dense, TimeDistributed as TD, Sequential as Seq
    """,
    "a relative import": """
        from .layers import LSTM, Dense, TimeDistributed as TD, Sequential as Seq
    """,
    "names never imported": """
        TD = TimeDistributed
        Seq = Sequential
    """,
    "keras names rebound": """
        from keras.layers import LSTM, Dense, TimeDistributed as TD
        from keras.models import Sequential as Seq
        from mylib import LSTM
    """,
}

MODEL = """
model = Seq()
model.add(LSTM(32, input_shape=(10, 8)))
model.add(TD(Dense(5)))
"""


def _source(prelude: str) -> str:
    return textwrap.dedent(prelude) + MODEL


@pytest.mark.parametrize("prelude", KERAS_PRELUDES.values(), ids=KERAS_PRELUDES.keys())
def test_keras_import_styles_resolve(prelude: str) -> None:
    codes = [d.code for d in check_source(_source(prelude), "m.py", ignore=["TDL3"])]
    assert codes == ["TDL003"]
    (model,) = infer_shapes(_source(prelude))
    assert model.layers[0].output_shape == (None, 32)


@pytest.mark.parametrize("prelude", NOT_KERAS_PRELUDES.values(), ids=NOT_KERAS_PRELUDES.keys())
def test_other_names_are_not_keras(prelude: str) -> None:
    source = "# keras lookalikes\n" + _source(prelude)
    assert check_source(source, "m.py") == []


def test_pytorch_code_is_never_flagged() -> None:
    source = textwrap.dedent(
        """
        import torch
        from torch import nn
        # Not keras: an LSTM with batch_first, then a Linear head on every step.
        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(8, 32, batch_first=True)
                self.head = nn.Linear(32, 5)
            def forward(self, x):
                out, _ = self.lstm(x)
                return self.head(out)
        """
    )
    assert check_source(source, "torch_model.py") == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tensorflow.keras.layers.Dense", "keras.layers.Dense"),
        ("tf_keras.layers.LSTM", "keras.layers.LSTM"),
        ("keras.src.layers.Dense", "keras.layers.Dense"),
        ("tensorflow.compat.v1.keras.layers.GRU", "keras.layers.GRU"),
        ("kerasx.layers.Dense", None),
        ("mylib.keras.Dense", None),
    ],
)
def test_canonical_paths(path: str, expected: str | None) -> None:
    assert names.canonical(path) == expected


def test_layer_module_of() -> None:
    assert names.layer_module_of("keras.layers.core.Dense") == "keras.layers"
    assert names.layer_module_of("tensorflow.keras.layers.Dense") == "tensorflow.keras.layers"
    assert names.layer_module_of("keras.Sequential") is None
