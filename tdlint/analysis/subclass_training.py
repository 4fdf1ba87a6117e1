"""Training a subclassed model: ``model.compile(...)`` and ``model.fit(x, y)`` on an instance
of the user's ``keras.Model`` subclass. Keras builds it for the first data it gets; the data
calls are then checked against the shapes of that build, as for any other model.

Each trained instance gets a ``Model`` record (kind "subclassed") that the model-versus-data
rules read: its loss, its data calls, and tensors of the shapes its first run gave. It is not
listed by ``tdlint shapes``, which summarises the instance itself."""

from __future__ import annotations

from typing import Any

from tdlint.analysis.graph import FileGraph, Layer, Model, Tensor
from tdlint.keras.versions import Line


def record_of(graph: FileGraph, layer: Layer) -> Model:
    """The instance's record, created at its first training call, with the tensors of its
    first run (the build ``fit`` triggers comes before the call is recorded)."""
    record = graph.trained_subclasses.get(id(layer))
    if record is None:
        record = Model(kind="subclassed", node=layer.call)
        graph.trained_subclasses[id(layer)] = record
    first = getattr(layer.spec, "first", None)
    if first is not None:
        record.outputs = [Tensor(shape) for shape in _shapes(first.run.outputs)]
        # The input the data must fit, unless the build may not have built anything.
        keras3 = Line.KERAS3 in graph.version.of(layer.path)
        if id(layer) not in graph.built_by_build or not keras3:
            record.inputs = [Tensor(shape) for shape in _shapes(first.inputs)]
    return record


def _shapes(value: Any) -> list[Any]:
    shapes = value if isinstance(value, list) else [value]
    return [shape if isinstance(shape, tuple) else None for shape in shapes]
