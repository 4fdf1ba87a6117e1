"""A static ``model.summary()``: each model's layers with output shapes and parameter counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.graph import Application, FileGraph, Model
from tdlint.keras.shapes import Shape, is_known, shape_to_json, unknown_origin
from tdlint.positions import module_positions


@dataclass(frozen=True)
class LayerRow:
    line: int
    layer: str
    output_shape: Shape | None
    params: int | None
    # Why the shape is unknown, when it is.
    note: str = ""


@dataclass(frozen=True)
class ModelSummary:
    filename: str
    model: str
    line: int
    kind: str
    layers: tuple[LayerRow, ...]
    inputs: tuple[Shape | None, ...]
    outputs: tuple[Shape | None, ...]
    params: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "model": self.model,
            "line": self.line,
            "layers": [
                {
                    "line": row.line,
                    "layer": row.layer,
                    "output_shape": shape_to_json(row.output_shape),
                    "params": row.params,
                }
                for row in self.layers
            ],
            "inputs": [shape_to_json(s) for s in self.inputs],
            "outputs": [shape_to_json(s) for s in self.outputs],
            "params": self.params,
        }


def summarize(graph: FileGraph, filename: str) -> list[ModelSummary]:
    if not graph.models:
        return []
    positions = module_positions(graph.module)
    # A function analysed with unknown parameters, and also called with known arguments:
    # the call's models say more, so the generic ones are left out.
    called = {id(m.node) for m in graph.models if not m.generic}
    models = [m for m in graph.models if not (m.generic and id(m.node) in called)]
    return [_summarize_model(model, filename, positions) for model in models]


def _summarize_model(model: Model, filename: str, positions: Any) -> ModelSummary:
    # One row per layer, as Keras's summary has it: a shared layer appears (and counts) once.
    by_layer: dict[int, list[Application]] = {}
    for app in model.applications:
        by_layer.setdefault(id(app.layer), []).append(app)
    rows = [_row(apps, positions) for apps in by_layer.values()]
    params = [row.params for row in rows]
    total = None if model.uncertain or None in params else sum(params)  # type: ignore[arg-type]
    return ModelSummary(
        filename=filename,
        model=model.name or model.keras_name or "<model>",
        line=positions[model.node].start.line,
        kind=model.kind,
        layers=tuple(rows),
        inputs=tuple(t.shape for t in model.inputs),
        outputs=tuple(model.output_shapes),
        params=total,
    )


def _note(app: Application, output: Shape | None) -> str:
    """Why a shape is (partly) unknown: an unknown input, an unknown argument..."""
    if output is not None:
        return unknown_origin(output)
    tensor = app.outputs[0]
    if tensor.origin:
        return tensor.origin
    if app.input.shape is None:
        return unknown_origin(app.input.shape) or app.input.origin
    return ""


def _row(apps: list[Application], positions: Any) -> LayerRow:
    first = apps[0]
    shapes = {
        app.outputs[0].shape if len(app.outputs) == 1 else None for app in apps
    }  # several applications with different shapes: no single answer
    output = shapes.pop() if len(shapes) == 1 else None
    return LayerRow(
        line=positions[first.layer.call].start.line,
        layer=first.layer.display,
        output_shape=output,
        params=first.params if is_known(first.params) else None,
        note=_note(first, output),
    )
