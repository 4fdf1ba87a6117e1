"""From a parsed module to its model graph with inferred shapes."""

from __future__ import annotations

import libcst as cst

from tdlint.analysis.graph import Application, FileGraph, Layer, Model, Tensor
from tdlint.analysis.interpreter import Interpreter
from tdlint.keras.versions import in_effect

__all__ = ["Application", "FileGraph", "Layer", "Model", "Tensor", "analyze"]


def analyze(
    module: cst.Module, source: str | None = None, keras_version: str | None = None
) -> FileGraph:
    """Build the model graph of one module (``source``: its text, if at hand), for the
    ``keras-version`` setting (or pin) if any. Never executes anything."""
    code = source if source is not None else module.code
    graph = Interpreter(module, source, in_effect(keras_version, code)).run()
    if not graph.source:
        graph.source = module.code
    return graph
