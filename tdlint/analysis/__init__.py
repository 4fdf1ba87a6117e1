"""From a parsed module to its model graph with inferred shapes."""

from __future__ import annotations

import libcst as cst

from tdlint.analysis.graph import Application, FileGraph, Layer, Model, Tensor
from tdlint.analysis.interpreter import Interpreter

__all__ = ["Application", "FileGraph", "Layer", "Model", "Tensor", "analyze"]


def analyze(module: cst.Module, source: str | None = None) -> FileGraph:
    """Build the model graph of one module (``source``: its text, if at hand). Never
    executes anything."""
    graph = Interpreter(module, source).run()
    if not graph.source:
        graph.source = module.code
    return graph
