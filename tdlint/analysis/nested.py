"""A model used as a layer of another model (``outer.add(encoder)``, ``decoder(z)``).

Its catalogue entry is made for the model at hand: the output shape comes from running the
model's own layers again on the new input shapes, and its parameters are the sum of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.graph import Model, Tensor
from tdlint.analysis.propagate import infer, takes_several_tensors
from tdlint.keras.catalogue import ANY_RANK, Args, LayerShapeError, LayerSpec, RankSpec
from tdlint.keras.shapes import UNKNOWN, Shape, combine, fully_known, is_known


class ModelAsLayer(LayerSpec):
    """The catalogue entry of one particular model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.name = "Sequential" if model.kind == "sequential" else "Functional"  # type: ignore[misc]
        self.multi_input = len(model.inputs) > 1  # type: ignore[misc]

    def input_rank(self, args: Args) -> RankSpec:
        # Not the declared input's rank: Keras 2 ran a model on any input its layers accept
        # (a Sequential of Dense layers on a 3D tensor). The layers inside judge the input.
        return ANY_RANK

    def output_shape(self, args: Args, x: Any) -> Any:
        result = self._rerun(x if self.multi_input else [x])
        if result is None:
            return None
        outputs, _ = result
        return outputs[0] if len(outputs) == 1 else outputs

    def count_params(self, args: Args, x: Any) -> Any:
        result = self._rerun(x if self.multi_input else [x])
        return UNKNOWN if result is None else result[1]

    def _rerun(self, shapes: list[Shape]) -> tuple[list[Any], Any] | None:
        """The model's output shapes and parameter count for new input shapes."""
        run = self.rerun_layers(shapes)
        return None if run is None else (run[0], run[1])

    def rerun_layers(
        self, shapes: list[Shape | None]
    ) -> tuple[list[Any], Any, dict[int, tuple[Any, Any]]] | None:
        """The model run on new input shapes: its output shapes, its parameter count, and
        each application's (output shape, parameters), keyed by the application's id."""
        model = self.model
        if model.uncertain or len(shapes) != len(model.inputs) or not model.inputs:
            return None
        known: dict[int, Shape | None] = {
            id(t): s for t, s in zip(model.inputs, shapes, strict=True)
        }
        params: Any = 0
        counted: set[int] = set()
        per_app: dict[int, tuple[Any, Any]] = {}
        for app in model.applications:
            spec = app.layer.spec
            ins = [known.get(id(t)) for t in app.inputs]
            outcome = infer(
                spec,
                app.layer.args,
                ins if takes_several_tensors(spec) else ins[0],
                app.layer.display,
            )
            if outcome.error is not None:
                raise LayerShapeError(
                    f"inside the model: {outcome.error.message}", outcome.error.kind
                )
            outs = outcome.output if isinstance(outcome.output, list) else [outcome.output]
            for tensor, shape in zip(app.outputs, outs, strict=False):
                known[id(tensor)] = shape if isinstance(shape, tuple) else None
            first = outs[0] if len(outs) == 1 and isinstance(outs[0], tuple) else None
            per_app[id(app)] = (first, outcome.params)
            if id(app.layer) not in counted:
                counted.add(id(app.layer))
                params = combine(lambda a, b: a + b, params, outcome.params)
        outputs = [known.get(id(t)) for t in self._output_tensors()]
        return outputs, params if is_known(params) else UNKNOWN, per_app

    def _output_tensors(self) -> list[Tensor]:
        model = self.model
        if model.kind == "sequential":
            return model.current_all or ([model.current] if model.current is not None else [])
        return model.outputs


@dataclass(frozen=True)
class Built:
    """A Sequential without an input shape, as Keras builds it at its first call (inside
    another model, or ``model.build(shape)``): its shapes for that input."""

    inputs: list[Shape | None]
    outputs: list[Shape | None]
    apps: dict[int, tuple[Any, Any]]  # application id -> (output shape, parameters)


def built_at_first_call(model: Model) -> Built | None:
    if model.kind != "sequential" or model.uncertain or not model.inputs:
        return None
    if all(fully_known(t.shape) for t in model.inputs):
        return None  # built from its declared input shape
    shapes = model.build_shapes
    if shapes is None and model.as_layer is not None and model.as_layer.applications:
        shapes = [t.shape for t in model.as_layer.applications[0].inputs]
    if not shapes or any(s is None for s in shapes):
        return None
    try:
        run = ModelAsLayer(model).rerun_layers(shapes)
    except LayerShapeError:
        return None  # a layer refuses that input: the rules say so where it is applied
    if run is None:
        return None
    outputs, _, apps = run
    return Built(list(shapes), list(outputs), apps)
