"""What tdlint cannot see into: the user's own layer classes, Keras objects it has no entry
for, and unknown functions, applied to Keras tensors.

Keras learns such a layer's output shape by running it; tdlint does not run anything, so the
shape is unknown. The application is still recorded, with an output tensor of unknown shape
that remembers its producer: the model graph stays connected, so the layers before an unknown
one still belong to the model (``tdlint shapes`` lists them), and the layers after it read an
input of unknown shape, on which no rule fires.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from tdlint.keras.catalogue import Args, LayerSpec
from tdlint.keras.shapes import UNKNOWN, Unknown

# A label longer than this is cut: it names the thing, it does not reproduce it.
MAX_LABEL = 40

_CODE = cst.Module(body=[])


class OpaqueLayer(Unknown):
    """An object known to be a layer (or a model) but not what it computes: an instance of the
    user's ``Layer`` subclass (``MyLayer(32)``), or a Keras layer tdlint has no entry for. As a
    value it is unknown like any other; it only keeps a name for the summary."""

    __slots__ = ("name", "kind", "node")

    def __init__(self, name: str, kind: str, node: cst.CSTNode) -> None:
        super().__init__(f"`{name}`, an unknown {kind}")
        self.name = name
        self.kind = kind  # "layer" or "model"
        self.node = node  # the call that created it


class UnresolvedLayer(LayerSpec):
    """The catalogue entry of one unknown layer or call: any tensors in, one tensor of unknown
    shape out, unknown parameters."""

    multi_input = True  # takes whatever tensors it was given

    def __init__(self, label: str, kind: str) -> None:
        self.label = label  # what the code calls it: ``MyLayer``, ``tf.nn.relu``
        self.kind = kind  # "layer", "model" or "call"
        # Never a catalogue name (rules compare names): the words say it is unknown.
        self.name = f"{label} (unknown {kind})"  # type: ignore[misc]

    def output_shape(self, args: Args, x: Any) -> None:
        return None

    def count_params(self, args: Args, x: Any) -> Any:
        return UNKNOWN

    def declared_input_shape(self, args: Args) -> None:
        return None


def is_unresolved(spec: LayerSpec) -> bool:
    return isinstance(spec, UnresolvedLayer)


def label_of(node: cst.CSTNode) -> str:
    """A short name for the code that made an unknown layer: ``MyLayer(32)`` -> ``MyLayer``,
    ``tf.nn.relu`` -> itself."""
    return code_of(node.func if isinstance(node, cst.Call) else node)


def code_of(node: cst.CSTNode) -> str:
    """An expression's code on one line, cut when long."""
    text = " ".join(_CODE.code_for_node(node).split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 3] + "..."
