"""One step of shape propagation: a layer, its input shapes -> output shapes, parameters, and
the build-time error Keras would raise, if any.

Pure functions over the catalogue, used by the interpreter for every layer call and to
re-run a whole model on new inputs when the model is itself used as a layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.keras.catalogue import LayerShapeError, LayerSpec, OutputShape
from tdlint.keras.shapes import UNKNOWN, format_shape, is_known


@dataclass(frozen=True)
class ShapeError:
    """What Keras would refuse at build time. ``kind``: ``rank`` (a rank the layer cannot
    take), ``merge``, ``reshape``, ``non-positive`` (an axis shrunk to zero or below),
    ``undefined`` (weights sized by a dynamic axis), ``weights`` (groups that do not divide)."""

    kind: str
    message: str


@dataclass(frozen=True)
class Outcome:
    output: OutputShape  # a shape, a list of shapes (several outputs), or None (unknown)
    params: Any  # an int, or UNKNOWN
    error: ShapeError | None = None


def takes_several_tensors(spec: LayerSpec) -> bool:
    return spec.multi_input or len(spec.call_inputs) > 1


def infer(spec: LayerSpec, args: Any, shapes: Any, display: str) -> Outcome:
    """The outcome of applying a layer to input ``shapes``: one shape, or a list of shapes
    for layers that take several tensors. ``None`` stands for a shape of unknown rank."""
    if getattr(args, "foreign_signature", False):
        return Outcome(None, UNKNOWN)  # arguments of a signature tdlint does not know
    several = takes_several_tensors(spec)
    known = all(s is not None for s in shapes) if several else shapes is not None
    if not known:
        output = _guard(lambda: spec.output_shape_unknown_input(args), None)
        return Outcome(output, UNKNOWN)
    if not several:
        need = _guard(lambda: spec.input_rank(args), None)
        if need is not None and not need.accepts(len(shapes)):
            message = (
                f"`{display}` expects {need.describe()} input, "
                f"got {len(shapes)}D {format_shape(shapes)}"
            )
            return Outcome(None, UNKNOWN, ShapeError("rank", message))
    try:
        output = spec.output_shape(args, shapes)
    except LayerShapeError as exc:
        return Outcome(None, UNKNOWN, ShapeError(exc.kind, f"`{display}`: {exc}"))
    except Exception:
        return Outcome(None, UNKNOWN)
    params = _guard(lambda: spec.count_params(args, shapes), UNKNOWN)
    if params is None:
        # An axis the weights are sized by is dynamic (None): Keras cannot create them.
        message = (
            f"`{display}` cannot create its weights: an axis they depend on is undefined "
            f"(None) in {_describe(shapes)}"
        )
        return Outcome(None, UNKNOWN, ShapeError("undefined", message))
    if not is_known(params):
        params = UNKNOWN
    shrunk = _non_positive(spec, args, output)
    if shrunk is not None:
        message = (
            f"`{display}` shrinks {format_shape(shapes)} to {format_shape(shrunk)}: "
            "an axis of zero or negative size"
        )
        return Outcome(None, params, ShapeError("non-positive", message))
    return Outcome(output, params)


def _describe(shapes: Any) -> str:
    if isinstance(shapes, list):
        return ", ".join(format_shape(s) for s in shapes)
    return format_shape(shapes)


def _non_positive(spec: LayerSpec, args: Any, output: OutputShape) -> Any:
    """The output shape, if a spatial layer (or one wrapped in ``TimeDistributed``) computed
    an axis <= 0 (Keras raises then)."""
    inner = args.values.get("layer") if spec.is_wrapper else None
    shrinks = spec.shrinks_spatial or getattr(
        getattr(inner, "spec", None), "shrinks_spatial", False
    )
    if not shrinks or not isinstance(output, tuple):
        return None
    if any(is_known(d) and d <= 0 for d in output[1:]):
        return output
    return None


def _guard(fn: Any, default: Any) -> Any:
    """Run a catalogue function: any error (an unknown used as a number...) means unknown."""
    try:
        return fn()
    except Exception:
        return default
