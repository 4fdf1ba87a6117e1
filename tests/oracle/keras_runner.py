"""Run Python files with real Keras 3 and report the models they define.

Usage: ``KERAS_BACKEND=numpy python keras_runner.py FILE...``

Every file is executed in its own fresh namespace. A single JSON object is
printed to stdout, keyed by each path exactly as given on the command line::

    {path: {"models": {name: {"output_shape": shape, "params": int,
                              "input_shapes": [shape, ...]}},
            "error": null | {"type": "ValueError", "message": "..."}}}

A shape is a list of dims (ints, or null for a dynamic dim), a list of such
lists for multi-output models, or null if Keras cannot tell (e.g. an unbuilt
Sequential). This script is part of the test-suite only; tdlint never imports it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys
import warnings
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "numpy")

import keras  # imported after choosing the backend above


def install_tf_keras_alias() -> None:
    """Let ``import tensorflow as tf`` / ``tf.keras.layers`` run on Keras 3 alone.

    TensorFlow is not installed for the tests; since TF 2.16 ``tf.keras`` *is* Keras 3, so
    aliasing the module tree keeps the oracle honest for examples written against tf.keras.
    """
    import types

    if "tensorflow" in sys.modules:
        return
    from keras.src.utils.module_utils import tensorflow as keras_tf_probe

    # Keras asks once whether real TensorFlow is importable and caches the answer: let it
    # find out "no" before the alias exists, so it never mistakes the alias for TensorFlow.
    if keras_tf_probe.available:
        return
    tf = types.ModuleType("tensorflow")
    tf.keras = keras  # type: ignore[attr-defined]
    sys.modules["tensorflow"] = tf
    sys.modules["tensorflow.keras"] = keras
    sys.modules["tensorflow.keras.layers"] = keras.layers
    sys.modules["tensorflow.keras.models"] = keras.models


install_tf_keras_alias()

Dims = list[int | None]
Shape = Dims | list[Dims] | None


def _dims(value: Sequence[object]) -> Dims:
    dims = list(value)
    if not all(d is None or isinstance(d, int) for d in dims):
        raise TypeError(f"not a shape: {value!r}")
    return [None if d is None else int(d) for d in dims]


def convert_shape(value: object) -> Shape:
    """Turn ``model.output_shape`` into JSON-friendly lists (None if unknown)."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, (tuple, list)):
        return None
    try:
        if value and all(isinstance(v, (tuple, list)) for v in value):
            return [_dims(v) for v in value]
        return _dims(value)
    except TypeError:
        return None


def describe_model(model: keras.Model) -> dict[str, Any]:
    try:
        shape = convert_shape(model.output_shape)
    except Exception:  # unbuilt models raise AttributeError/ValueError
        shape = None
    try:
        params: int | None = int(model.count_params())
    except Exception:
        params = None
    try:
        inputs: list[Dims] | None = [_dims(t.shape) for t in model.inputs]
    except Exception:  # an unbuilt Sequential has no inputs yet
        inputs = None
    return {"output_shape": shape, "params": params, "input_shapes": inputs}


def run_file(path: str) -> dict[str, Any]:
    """Execute one file in isolation and describe its module-level models."""
    keras.backend.clear_session()
    sink = io.StringIO()
    saved_argv = sys.argv
    sys.argv = [path]
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            warnings.simplefilter("ignore")
            namespace = runpy.run_path(path)
            models = {
                name: describe_model(value)
                for name, value in namespace.items()
                if isinstance(value, keras.Model)
            }
    except (Exception, SystemExit) as exc:
        error = {"type": type(exc).__name__, "message": str(exc)}
        return {"models": {}, "error": error}
    finally:
        sys.argv = saved_argv
    return {"models": models, "error": None}


def main(argv: list[str]) -> int:
    results = {path: run_file(path) for path in argv}
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
