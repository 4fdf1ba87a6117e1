"""From a parsed module to its model graph with inferred shapes."""

from __future__ import annotations

import libcst as cst

from tdlint.analysis.graph import Application, FileGraph, Layer, Model, Tensor
from tdlint.analysis.interpreter import Interpreter
from tdlint.keras.versions import in_effect

__all__ = ["Application", "FileGraph", "Layer", "Model", "Tensor", "analyze"]


def analyze(
    module: cst.Module,
    source: str | None = None,
    keras_version: str | None = None,
    version_text: str | None = None,
) -> FileGraph:
    """Build the model graph of one module (``source``: its text, if at hand), for the
    ``keras-version`` setting (or pin) if any, else for the Keras its code was written for
    (read from ``version_text`` when given: the original of a file being fixed, which the
    fixes make look newer). Never executes anything."""
    code = source if source is not None else module.code
    version = in_effect(keras_version, version_text if version_text is not None else code)
    graph = Interpreter(module, source, version).run()
    if not graph.source:
        graph.source = module.code
    return graph
