"""Resolving dotted names to Keras objects, statically.

The analysis tracks what every imported or assigned name refers to as a dotted path, exactly
as written (``tensorflow.keras.layers.Dense``, ``keras.layers.core.Dense``, ``tf_keras.Model``).
This module decides whether such a path is Keras, and which Keras object it names, across
Keras 1 module paths, Keras 2 / ``tf.keras`` and Keras 3.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tdlint.keras.catalogue import lookup

# Packages whose contents are Keras, mapped onto one canonical root.
_KERAS_ROOTS = (
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v2.keras",
    "tensorflow.python.keras",
    "tensorflow.keras",
    "tf_keras.src",
    "tf_keras",
    "keras.src",
    "keras",
)

# Packages that merely *contain* Keras: an attribute of them may lead to it.
KERAS_CONTAINERS = frozenset({"tensorflow", "tensorflow.compat", "tensorflow.compat.v1"})

_SEQUENTIAL = {"keras.Sequential", "keras.models.Sequential"}
_MODEL = {
    "keras.Model",
    "keras.models.Model",
    "keras.engine.Model",
    "keras.engine.training.Model",
    "keras.engine.functional.Functional",
}
_INPUT = {
    "keras.Input",
    "keras.layers.Input",
    "keras.engine.Input",
    "keras.engine.topology.Input",
    "keras.engine.input_layer.Input",
    "keras.layers.core.Input",
}
_LAYER_BASE = {"keras.layers.Layer", "keras.engine.topology.Layer", "keras.engine.base_layer.Layer"}

# Functional shortcuts: ``concatenate([a, b], axis=1)`` builds and applies ``Concatenate``.
MERGE_FUNCTIONS = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
}


@dataclass(frozen=True)
class KerasObject:
    """What a Keras path names: ``kind`` is one of
    ``module``, ``layer``, ``sequential``, ``model``, ``input``, ``layer-base``,
    ``merge-function`` or ``other`` (Keras, but nothing tdlint models)."""

    kind: str
    name: str  # the layer or function name for layer / merge-function, else the path


# Paths repeat on every attribute access the interpreter evaluates: remember the answers.
@functools.lru_cache(maxsize=4096)
def canonical(path: str) -> str | None:
    """``tensorflow.keras.layers.Dense`` -> ``keras.layers.Dense``; None if not Keras."""
    for root in _KERAS_ROOTS:
        if path == root or path.startswith(root + "."):
            return "keras" + path[len(root) :]
    return None


def as_written(keras_path: str, like: str) -> str:
    """Canonical ``keras_path`` under the root that ``like`` is written with:
    ``as_written("keras.optimizers", "tensorflow.keras.layers.Dense")`` is
    ``"tensorflow.keras.optimizers"``; ``keras_path`` itself when ``like`` is not Keras."""
    for root in _KERAS_ROOTS:
        if like == root or like.startswith(root + "."):
            return root + keras_path[len("keras") :]
    return keras_path


def is_keras_or_container(path: str) -> bool:
    return canonical(path) is not None or path in KERAS_CONTAINERS


@functools.lru_cache(maxsize=4096)
def resolve(path: str) -> KerasObject | None:
    """Classify a dotted path. None when it is not Keras at all."""
    keras_path = canonical(path)
    if keras_path is None:
        return None
    module, _, last = keras_path.rpartition(".")
    in_models = _under(module, "keras.models", "keras.engine") or module == "keras"
    if keras_path in _SEQUENTIAL or (last == "Sequential" and in_models):
        return KerasObject("sequential", keras_path)
    if keras_path in _MODEL or (last in ("Model", "Functional") and in_models):
        return KerasObject("model", keras_path)
    in_layers = _under(module, "keras.layers")
    if keras_path in _INPUT or (last == "Input" and (in_layers or in_models)):
        return KerasObject("input", keras_path)
    if keras_path in _LAYER_BASE or (last == "Layer" and (in_layers or in_models)):
        return KerasObject("layer-base", keras_path)
    if in_layers:
        if lookup(last) is not None:
            return KerasObject("layer", last)
        if last in MERGE_FUNCTIONS:
            return KerasObject("merge-function", last)
    if last[:1].islower() or keras_path == "keras":
        return KerasObject("module", keras_path)
    return KerasObject("other", keras_path)


def _under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def layer_module_of(path: str) -> str | None:
    """The ``layers`` package a layer path lives in, for adding sibling imports.

    ``keras.layers.core.Dense`` -> ``keras.layers`` (Keras 1 exported every layer from
    there too), ``tensorflow.keras.layers.Dense`` -> ``tensorflow.keras.layers``.
    """
    head, sep, _ = path.partition(".layers")
    return head + sep if sep else None


def star_import_exports(module_path: str, name: str) -> bool:
    """Whether ``from <module_path> import *`` brings ``name`` into scope (as far as we know)."""
    keras_path = canonical(module_path)
    if keras_path is None:
        return False
    obj = resolve(f"{module_path}.{name}")
    if obj is None or obj.kind in ("module", "other"):
        return keras_path in ("keras", "keras.models") and name in ("Sequential", "Model", "Input")
    return True
