"""The user's own Keras layers and models: ``class Patches(layers.Layer)`` with an
``__init__`` that makes sub-layers, a ``build`` that adds weights and a ``call`` that
composes them.

Constructing one runs its ``__init__`` with the arguments given, on a fresh instance (two
instances made with different arguments are different layers). Applying one runs its
``build`` once, with the input shape, and its ``call`` on tensors of the input shapes, as
Keras does at the first call; the result is remembered per input shape. The layer is one
row of the model it is in: its output shape is what ``call`` returns, and its parameters
are those of the sub-layers it holds plus the weights it adds, when all of them are known.

A subclass of a catalogue layer that changes nothing about shapes (it defines neither
``__init__`` nor ``call``: ``class MyConv(layers.Conv2D)`` overriding ``convolution_op``)
is that layer. Anything else tdlint cannot follow stays an unknown layer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Layer, Model, Tensor
from tdlint.analysis.values import Function, Instance, Ref, UserClass, is_constant
from tdlint.keras import names
from tdlint.keras.catalogue import ANY_RANK, Args, LayerSpec, RankSpec, bind, lookup
from tdlint.keras.shapes import UNKNOWN, DynamicSize, Shape, combine, is_known, product
from tdlint.keras.versions import Line

# ``build``'s argument and ``call``'s inputs when the input shape is not known.
_UNKNOWN_INPUT = "the input of a custom layer, of unknown shape"


@dataclass
class _Run:
    outputs: Any  # a shape, a list of shapes, or None
    params: Any  # an int or UNKNOWN
    # The tensors ``call`` was given and what it returned (a diagram joins the layer's
    # inside to the tensors around it through them); None for a run that did not keep them.
    given: Any = None
    returned: Any = None


@dataclass
class FirstRun:
    inputs: Any  # the input shape(s) the layer was first run on
    run: _Run
    applications: list[Any]  # the graph applications the run made


class UserLayerSpec(LayerSpec):
    """The catalogue entry of one instance of a user's layer class: shapes come from running
    its ``call`` (``runner``), remembered per input shape."""

    inputs_set_by_call = True  # a list given to ``call`` is a list of inputs

    def __init__(self, instance: Instance, runner: Any, node: cst.Call) -> None:
        self.instance = instance
        self.node = node  # the construction: ``Patches(16)``
        self.name = instance.cls.node.name.value  # type: ignore[misc]
        self.runner = runner
        self.multi_input = False  # type: ignore[misc]  # set at the first call
        self.runs: dict[str, _Run | None] = {}
        # The first run that worked: its input shapes, its result and the applications it
        # made (a subclassed model's summary lists its layers from them).
        self.first: FirstRun | None = None
        # The variable a model of the user's class is first assigned to (``model``).
        self.variable: str | None = None

    @property
    def is_model(self) -> bool:
        return self.instance.cls.keras_base in ("model", "sequential")

    def build(self, shapes: Any) -> None:
        """``model.build(shape)``, ``model.fit(x)``...: Keras builds the model for ``shapes``."""
        self.multi_input = isinstance(shapes, list)  # type: ignore[misc]
        self._run(shapes)

    def input_rank(self, args: Args) -> RankSpec:
        return ANY_RANK  # the layers inside judge their inputs

    def output_shape(self, args: Args, x: Any) -> Any:
        run = self._run(x)
        return None if run is None else run.outputs

    def count_params(self, args: Args, x: Any) -> Any:
        run = self._run(x)
        return UNKNOWN if run is None else run.params

    def _run(self, shapes: Any) -> _Run | None:
        return remembered(self.runs, shapes, lambda: self.runner(self, shapes))

    def accepted_args(self) -> frozenset[str]:
        return frozenset()


@dataclass(eq=False)
class UserInstanceState:
    """What an instance collects while its methods run: weights added, whether built."""

    weights: list[Any] = field(default_factory=list)
    built: bool = False
    # What ``__init__`` handed to ``super().__init__``: (positional, keywords, star).
    base_arguments: tuple[list[Any], dict[str, Any], bool] | None = None


class ClassEvaluator:
    """Mixed into the interpreter: constructing and applying the user's Keras classes."""

    call_function: Any
    create_functional: Any
    create_layer: Any
    model_layer: Any
    graph: Any
    env: Any
    globals: Any
    eval: Any
    user_classes: list[UserClass]
    pending_functions: list[Any]
    _analyse_function: Any

    def exec_classdef(self, node: cst.ClassDef) -> None:
        """``class Patches(layers.Layer): ...``: remembered, with the Keras class it extends."""
        keras_base = base_layer = None
        for base in node.bases:
            value = self.eval(base.value)
            if isinstance(value, Ref):
                obj = names.resolve(value.path)
                if obj is not None and obj.kind in ("model", "sequential", "layer-base"):
                    keras_base = obj.kind
                elif obj is not None and obj.kind == "layer":
                    keras_base, base_layer = "layer-base", obj.name
        cls = UserClass(node, keras_base, base_layer=base_layer)
        if keras_base in ("model", "sequential"):
            self.graph.subclassed_models.append(node)
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                cls.methods[stmt.name.value] = stmt
            elif isinstance(stmt, cst.SimpleStatementLine):
                self._class_attributes(cls, stmt)
        self.env.vars[node.name.value] = cls
        self.user_classes.append(cls)
        if keras_base is None:
            # Methods of ordinary classes may still build models (``def build(self): ...``).
            for method in cls.methods.values():
                self.pending_functions.append((method, self.globals, None))

    def _class_attributes(self, cls: UserClass, line: cst.SimpleStatementLine) -> None:
        """``MAX_LEN = 256`` and ``units: int = 32`` in a class body: class attributes (and
        a dataclass's fields, in order). Other statements there are not followed."""
        for stmt in line.body:
            if isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name):
                name = stmt.target.value
                cls.fields.append(name)
                if stmt.value is not None:
                    cls.attrs[name] = self.eval(stmt.value)
            elif isinstance(stmt, cst.Assign):
                value = self.eval(stmt.value)
                for target in stmt.targets:
                    _bind_class_attribute(cls.attrs, target.target, value)

    def construct_plain(
        self,
        cls: UserClass,
        positional: list[Any],
        keywords: dict[str, Any],
        star: bool,
        node: cst.Call,
    ) -> Any:
        """``Config()``, ``Hyper(units=32)``: an instance of a user's class that is not Keras's.
        Its ``__init__`` runs with the arguments, or a dataclass's fields take them. A class
        with bases tdlint does not follow, or a call it cannot bind, gives ``UNKNOWN``."""
        if star or not _plain_bases(cls.node):
            return UNKNOWN
        instance = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self.call_function(Function(init), [instance, *positional], keywords, False, node)
            return instance
        if len(positional) > len(cls.fields) or any(k not in cls.fields for k in keywords):
            return UNKNOWN
        instance.attrs.update(zip(cls.fields, positional, strict=False))
        instance.attrs.update(keywords)
        return instance

    def _analyse_keras_subclass(self, cls: UserClass) -> None:
        """Each method on its own, with unknown arguments (what it does whatever it is
        given); its calls with known arguments are followed where they happen."""
        instance = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self._analyse_function(init, self.globals, instance)
        for name, method in cls.methods.items():
            if name == "__init__":
                continue
            self._analyse_function(method, self.globals, instance, tensor_params=name == "call")

    def construct(
        self,
        cls: UserClass,
        positional: list[Any],
        keywords: dict[str, Any],
        star: bool,
        node: cst.Call,
    ) -> Any:
        """``Patches(16)``: a layer of the graph, or None when tdlint cannot follow it."""
        methods = cls.methods
        base = lookup(cls.base_layer) if cls.base_layer else None
        if base is not None and "call" not in methods:
            return self._construct_catalogue_subclass(cls, base, positional, keywords, star, node)
        if cls.keras_base == "model" and not {"__init__", "call"} & set(methods):
            # ``class MLM(keras.Model)`` overriding only ``train_step``: used the functional
            # way, ``MLM(inputs, outputs)``; it is that functional model.
            model = self.create_functional(positional, keywords, node)
            model.subclass = cls.node
            return model
        if "call" not in methods or star:
            return None
        instance = Instance(cls)
        instance.state = UserInstanceState()
        init = methods.get("__init__")
        if init is not None:
            self.call_function(Function(init), [instance, *positional], keywords, False, node)
        spec = UserLayerSpec(instance, self._run_call, node)
        layer = Layer(spec=spec, args=bind(spec, [], {}), call=node, path="")
        self.graph.layers.append(layer)
        return layer

    def _construct_catalogue_subclass(
        self,
        cls: UserClass,
        base: LayerSpec,
        positional: list[Any],
        keywords: dict[str, Any],
        star: bool,
        node: cst.Call,
    ) -> Any:
        """``class MyConv(layers.Conv2D)`` without a ``call`` of its own: the base layer, made
        with what the class's ``__init__`` hands to ``super().__init__``. Its shapes are the
        base layer's; the name is the class's, as in Keras's summary. Weights of its own
        (a ``build``, an ``add_weight``, a variable kept in ``__init__``) make its parameter
        count unknown."""
        own_weights = "build" in cls.methods
        init = cls.methods.get("__init__")
        if init is not None:
            if star:
                return None
            instance = Instance(cls)
            instance.state = state = UserInstanceState()
            self.call_function(Function(init), [instance, *positional], keywords, False, node)
            if state.base_arguments is None:
                return None  # its base is never made with arguments tdlint can read
            positional, keywords, star = state.base_arguments
            kept = instance.attrs.values()
            own_weights = own_weights or bool(state.weights) or not all(map(is_constant, kept))
        spec = copy.copy(base)
        spec.name = cls.node.name.value  # type: ignore[misc]
        if own_weights:
            spec.count_params = _unknown_count  # type: ignore[method-assign]
        return self.create_layer(spec, cls.node.name.value, positional, keywords, star, node)

    def super_method(self, instance: Instance, method: str, positional: list[Any],
                     keywords: dict[str, Any], star: bool) -> Any:  # fmt: skip
        """``super().__init__(**kwargs)`` in the user's layer: its arguments are kept."""
        state = instance.state
        if method == "__init__" and isinstance(state, UserInstanceState):
            state.base_arguments = (positional, keywords, star)
        return UNKNOWN

    def user_method(self, instance: Instance, method: str, positional: list[Any],
                    keywords: dict[str, Any], node: cst.Call) -> Any:  # fmt: skip
        """``self.helper(x)`` or ``self.add_weight(shape=...)`` inside the class's methods."""
        own = instance.cls.methods.get(method)
        if own is not None:
            return self.call_function(Function(own), [instance, *positional], keywords, False, node)
        state = instance.state
        if method in ("add_weight", "add_variable") and isinstance(state, UserInstanceState):
            # Keras 2 and tf.keras 2 took the name first: ``add_weight('kernel', (3, 4))``.
            if positional and isinstance(positional[0], str):
                positional = positional[1:]
            shape = keywords.get("shape", positional[0] if positional else UNKNOWN)
            shape = tuple(shape) if isinstance(shape, (tuple, list)) else None
            state.weights.append(shape)
            return Tensor(shape, origin="a weight", constant=True)
        return UNKNOWN

    def _run_call(self, spec: UserLayerSpec, shapes: Any) -> _Run | None:
        """``call`` run as Keras 3 runs it (``run_twice``); the first run's applications
        are the layer's summary rows."""
        runs = self.run_twice(shapes, lambda given: self._run_call_with(spec, given))
        if runs is None:
            return None
        first, second, applications = runs
        run = _Run(merged(first.outputs, second.outputs), first.params, first.given, first.returned)
        if spec.first is None:
            spec.first = FirstRun(shapes, run, applications)
        return run

    def run_twice(
        self, shapes: Any, run_once: Callable[[Any], Any]
    ) -> tuple[Any, Any, list[Any]] | None:
        """Keras 3's way of working out an output shape (``backend.compute_output_spec``):
        ``run_once`` on the input ``shapes`` with their dynamic axes set to two different
        sizes (an output axis that differs between the runs is dynamic: ``merged``). Both
        results and the applications the first run made; the second run's are dropped from
        the graph. None when a run gives None."""
        start = len(self.graph.applications)
        first = run_once(filled(shapes, FILL[0]))
        if first is None:
            return None
        kept = len(self.graph.applications)
        second = run_once(filled(shapes, FILL[1]))
        del self.graph.applications[kept:]
        if second is None:
            return None
        return first, second, self.graph.applications[start:kept]

    def build_user_model(
        self, layer: Layer, method: str, positional: list[Any], keywords: dict[str, Any]
    ) -> None:
        """``model.build((None, 28, 28, 1))`` or ``model.fit(x_train, ...)`` on the user's own
        model: Keras builds it for that input shape (the data's, without the sample axis)."""
        spec = layer.spec
        assert isinstance(spec, UserLayerSpec)
        if method == "build":
            shape = positional[0] if positional else keywords.get("input_shape")
            shapes = _declared_shapes(shape)
        else:
            shapes = _data_shapes(positional[0] if positional else keywords.get("x"))
        if shapes is None:
            return
        tentative = method == "build" and "build" not in spec.instance.cls.methods
        if tentative and Line.KERAS3 in self.graph.version.of(layer.path):
            # Keras 3's build() of a subclass without a build of its own creates no weights:
            # its layers are built by the first data. A run of its own keeps that build from
            # counting as the one that sized the layers (TDL110), while the summary shows it.
            saved = self.new_run()
            try:
                spec.build(shapes)
            finally:
                self.run_number, self.branch_path = saved
            return
        spec.build(shapes)

    def _run_call_with(self, spec: UserLayerSpec, shapes: Any) -> _Run | None:
        instance = spec.instance
        state: UserInstanceState = instance.state  # type: ignore[attr-defined]
        call = instance.cls.methods["call"]
        several = isinstance(shapes, list)
        inputs = placeholders(shapes)
        node = spec.node
        build = instance.cls.methods.get("build")
        if build is not None and not state.built:
            state.built = True
            shape_arg = [_shape_value(s) for s in shapes] if several else _shape_value(shapes)
            self.call_function(Function(build), [instance, shape_arg], {}, False, node)
        result = self.call_function(Function(call), [instance, inputs], {}, False, node)
        outputs = shapes_of(result)
        if outputs is None:
            return None
        return _Run(outputs, self._params_of(instance, state), inputs, result)

    def _params_of(self, instance: Instance, state: UserInstanceState) -> Any:
        total: Any = 0
        for shape in state.weights:
            size = product(shape) if shape is not None else UNKNOWN
            total = combine(lambda a, b: a + b, total, size if is_known(size) else UNKNOWN)
        for layer in layers_held(instance, self.model_layer):
            total = combine(lambda a, b: a + b, total, _layer_params(layer))
        return total if is_known(total) else UNKNOWN


def layers_held(instance: Instance, model_layer: Callable[[Model], Layer | None]) -> list[Layer]:
    """The layers an instance holds in its attributes (Keras tracks lists and dicts of them
    too), each once, in the order they were set. A model held is the layer ``model_layer``
    gives for it (none: left out)."""
    found: dict[int, Layer] = {}

    def visit(value: Any) -> None:
        if isinstance(value, Model):
            value = model_layer(value)
        if isinstance(value, Layer):
            found.setdefault(id(value), value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    for value in instance.attrs.values():
        visit(value)
    return list(found.values())


# The sizes a dynamic axis gets while a layer's output shape is worked out. Keras 3 (JAX,
# PyTorch) runs the layer with 83 and 89; an output dim equal in both runs is static. That
# misses a dim that depends on the axis through a large divisor (``tf.signal.stft`` frames
# of stride 256: one frame for 83 samples and for 89), and under TensorFlow, which keeps the
# axis dynamic, the dim is dynamic. So the second run takes a far larger size: such dims
# come out dynamic, and the first run, which the graph keeps, is Keras's.
FILL = (DynamicSize(83), DynamicSize(4099))


def remembered(runs: dict[str, Any], shapes: Any, run: Callable[[], Any]) -> Any:
    """``run()`` once per input shape (``run_key``). A run that reaches itself again, while
    it is under way, gets None: unknown."""
    key = run_key(shapes)
    if key not in runs:
        runs[key] = None
        runs[key] = run()
    return runs[key]


def run_key(shapes: Any) -> str:
    """Runs are remembered per input shape. A dynamic axis given a size (by the run of a layer
    that holds this one) prints as None but is told apart by its size: a run of the outer
    layer with the other size must not get this one's result."""

    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, tuple):
            return tuple(plain(v) for v in value)
        return f"None={int(value)}" if isinstance(value, DynamicSize) else value

    return repr(plain(shapes))


def filled(shapes: Any, size: int) -> Any:
    if isinstance(shapes, list):
        return [filled(s, size) for s in shapes]
    if shapes is None:
        return None
    return tuple(size if d is None else d for d in shapes)


def merged(a: Any, b: Any) -> Any:
    """Two runs' output shapes: equal dims stay, different ones are dynamic (None)."""
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [merged(x, y) for x, y in zip(a, b, strict=True)]
    if not isinstance(a, tuple) or not isinstance(b, tuple) or len(a) != len(b):
        return None
    return tuple(
        x if (x == y and type(x) is type(y)) else _dynamic(x, y) for x, y in zip(a, b, strict=True)
    )


def _dynamic(x: Any, y: Any) -> Any:
    if is_known(x) and is_known(y):
        return None  # it follows the dynamic axis
    return UNKNOWN


def _declared_shapes(shape: Any) -> Any:
    """A shape written for ``build``: a tuple of dims, or a list of them."""
    if isinstance(shape, list) and shape and all(isinstance(s, (tuple, list)) for s in shape):
        return [_declared_shapes(s) for s in shape]
    if isinstance(shape, (tuple, list)) and all(d is None or is_known(d) for d in shape):
        return tuple(shape)
    return None


def _data_shapes(x: Any) -> Any:
    """The input shape(s) Keras builds a model for from ``fit``'s data: each array's shape
    with its sample axis dynamic."""
    if isinstance(x, (list, tuple)) and x and all(isinstance(a, Array) for a in x):
        shapes = [_data_shapes(a) for a in x]
        return None if None in shapes else shapes
    known = isinstance(x, Array) and x.shape is not None and len(x.shape) >= 1
    if known and all(is_known(d) for d in x.shape[1:]):
        return (None, *x.shape[1:])
    return None


def _layer_params(layer: Layer) -> Any:
    """A sub-layer's parameters: known once it has been applied (built)."""
    if not layer.applications:
        # Built only by an eager call, or never called here (whether Keras built it is not
        # known).
        return layer.eager_params if is_known(layer.eager_params) else UNKNOWN
    params = layer.applications[0].params
    return params if is_known(params) else UNKNOWN


def placeholders(shapes: Any) -> Tensor | list[Tensor]:
    """Input tensors of ``shapes`` (one shape, or a list of them) for running a user's code."""
    if isinstance(shapes, list):
        return [placeholders(s) for s in shapes]  # type: ignore[misc]
    return Tensor(shapes, origin="" if shapes is not None else _UNKNOWN_INPUT)


def _shape_value(shape: Shape | None) -> Any:
    return tuple(shape) if shape is not None else UNKNOWN


def shapes_of(result: Any) -> Any:
    if isinstance(result, Tensor):
        return result.shape
    if isinstance(result, (list, tuple)) and result and all(isinstance(t, Tensor) for t in result):
        return [t.shape for t in result]
    return None


def _unknown_count(args: Args, x: Any) -> Any:
    return UNKNOWN


def _bind_class_attribute(attrs: dict[str, Any], target: cst.BaseExpression, value: Any) -> None:
    """``A = 1`` and ``A, B = 1, 2`` (an unpacking tdlint cannot follow makes them unknown)."""
    if isinstance(target, cst.Name):
        attrs[target.value] = value
    elif isinstance(target, (cst.Tuple, cst.List)):
        elements = [e.value for e in target.elements]
        fits = isinstance(value, (tuple, list)) and len(value) == len(elements)
        fits = fits and not any(isinstance(e, cst.StarredElement) for e in target.elements)
        for i, element in enumerate(elements):
            _bind_class_attribute(attrs, element, value[i] if fits else UNKNOWN)


def _plain_bases(node: cst.ClassDef) -> bool:
    """Whether a class's attributes are all its own: no base, or ``object``."""
    return all(isinstance(b.value, cst.Name) and b.value.value == "object" for b in node.bases)
