"""Self-test of the Keras runner (needs Keras, not tdlint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oracle.examples_meta import ExampleMeta, read_meta
from oracle.harness import keras_available, run_keras

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(not keras_available(), reason="oracle tests need keras and jax"),
]

GOOD = """\
import keras
from keras import layers

print("noise on stdout")
model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(3)])
unbuilt = keras.Sequential([layers.Dense(4)])
inp = keras.Input(shape=(8,))
two_heads = keras.Model(inp, [layers.Dense(2)(inp), layers.Dense(5)(inp)])
not_a_model = layers.Dense(7)
"""

BAD = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(5, 10)), layers.Conv2D(4, 3)])
"""


def test_runner_reports_models_and_errors(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(GOOD)
    bad.write_text(BAD)

    results = run_keras([good, bad])

    assert set(results) == {str(good), str(bad)}
    assert results[str(good)] == {
        "models": {
            "model": {"output_shape": [None, 3], "params": 33, "input_shapes": [[None, 10]]},
            "unbuilt": {"output_shape": None, "params": None, "input_shapes": None},
            "two_heads": {
                "output_shape": [[None, 2], [None, 5]],
                "params": 18 + 45,
                "input_shapes": [[None, 8]],
            },
        },
        "error": None,
    }
    error = results[str(bad)]["error"]
    assert results[str(bad)]["models"] == {}
    assert error["type"] == "ValueError"
    assert "ndim" in error["message"]


def test_read_meta(tmp_path: Path) -> None:
    path = tmp_path / "example.py"
    path.write_text("# expect: TDL001, tdl003\n# keras: 3\nimport keras\n")
    assert read_meta(path) == ExampleMeta(expect=frozenset({"TDL001", "TDL003"}), keras=3)

    path.write_text("# expect: clean\n# keras: 2\n")
    assert read_meta(path) == ExampleMeta(expect=frozenset(), keras=2)

    path.write_text("# expect: clean\n")
    with pytest.raises(ValueError, match="keras"):
        read_meta(path)
