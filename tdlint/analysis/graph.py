"""The model graph: layers, the tensors flowing between them, and the models that own them.

This is what the analysis builds from the CST and what every rule and report reads.  Nodes
keep the CST node they came from, so findings and fixes can point back into the source.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from tdlint.keras.catalogue import Args, LayerSpec
from tdlint.keras.versions import KerasVersion

if TYPE_CHECKING:
    from tdlint.analysis.propagate import ShapeError
from tdlint.keras.shapes import Shape

_sequence = itertools.count()


@dataclass(eq=False)
class Layer:
    """A layer object created by a call such as ``Dense(64)`` or ``layers.LSTM(32, ...)``."""

    spec: LayerSpec
    args: Args
    call: cst.Call  # the creation call
    path: (
        str  # the dotted path it was resolved from, as imported (``tensorflow.keras.layers.Dense``)
    )
    applications: list[Application] = field(default_factory=list)
    # Parameters of a layer built by an eager call on constants (``emb(ops.arange(n))``):
    # it is in no model, but it has its weights.
    eager_params: Any = None
    # Keras 1's ``Merge([left, right])``, applied to the layers it was given when created:
    # its output, which a Sequential it is added to starts from.
    output_at_creation: Tensor | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def inner(self) -> Layer | None:
        value = self.args.values.get("layer")
        return value if isinstance(value, Layer) else None

    @property
    def display(self) -> str:
        """``Dense``, or ``TimeDistributed(Dense)`` for wrappers."""
        inner = self.inner
        return f"{self.name}({inner.display})" if inner else self.name


@dataclass(eq=False)
class Tensor:
    """A symbolic tensor. ``producer`` is None for model inputs and tensors of unknown origin."""

    shape: Shape | None
    producer: Application | None = None
    node: cst.CSTNode | None = None
    # For inputs and unknowns: a few words on where the tensor (or its shape) came from.
    origin: str = ""
    # A value computed eagerly from constants (``ops.arange(10)``), not a Keras tensor: what
    # it flows into is computed at once too, and is part of no model.
    constant: bool = False

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)


@dataclass(eq=False)
class Application:
    """One application of a layer to input tensors (a call in functional code, a step of a
    Sequential model)."""

    layer: Layer
    inputs: list[Tensor]
    outputs: list[Tensor]
    node: cst.CSTNode
    params: Any = None  # int, or UNKNOWN
    # The build-time error Keras would raise here, when tdlint can tell (rank, merge...).
    error: ShapeError | None = None
    order: int = field(default_factory=lambda: next(_sequence))
    # The keyword arguments of the call (``initial_state``, ``mask``...), by name, and the
    # tensors among them that are not the layer's inputs (a decoder's initial state).
    call_keywords: frozenset[str] = frozenset()
    state_inputs: list[Tensor] = field(default_factory=list)
    # Where the interpreter was when it made the application: which run (the module's code,
    # or one function analysed on its own with unknown arguments) and which branches of
    # undecided ``if``s and loops, as (branch point, branch) pairs. Two applications of one
    # run both happen when neither sits in a branch the other's path left.
    run: int = 0
    branches: tuple[tuple[int, int], ...] = ()

    @property
    def input(self) -> Tensor:
        return self.inputs[0]

    @property
    def output(self) -> Tensor:
        return self.outputs[0]

    @property
    def all_inputs(self) -> list[Tensor]:
        """Every tensor the application reads: its inputs, then its state inputs."""
        return [*self.inputs, *self.state_inputs] if self.state_inputs else self.inputs


@dataclass(eq=False)
class Model:
    """A Sequential or functional model."""

    kind: str  # "sequential" | "functional"
    node: cst.CSTNode
    name: str | None = None  # the variable it is assigned to
    named_in_function: bool = False
    function: str | None = None  # the user function that built it (``build_tagger``)
    keras_name: str | None = None  # its ``name=`` argument
    # The class as written (``tensorflow.keras.Sequential``): which Keras trains it.
    keras_path: str = "keras.Model"
    applications: list[Application] = field(default_factory=list)
    inputs: list[Tensor] = field(default_factory=list)
    outputs: list[Tensor] = field(default_factory=list)
    # True when the layers may differ at run time (branches, loops of unknown length).
    uncertain: bool = False
    # Built while analysing a function with unknown parameters (not from a call of it).
    generic: bool = False
    # Built during a call of the user's function (``a = build(10)``): the outermost such call.
    call: cst.Call | None = None
    # Sequential only: the tensor the next ``add`` applies to (all of them when the last
    # layer returned several, e.g. ``Bidirectional(merge_mode=None)``), and a change counter.
    current: Tensor | None = None
    current_all: list[Tensor] = field(default_factory=list)
    version: int = 0
    # ``model.compile(loss=...)``: the loss value as evaluated, and the call.
    loss: Any = None
    compile_node: cst.CSTNode | None = None
    compile_keywords: dict[str, Any] = field(default_factory=dict)
    # ``fit``/``evaluate``/``predict``... calls, for the model-versus-data checks.
    data_calls: list[DataCall] = field(default_factory=list)
    # Passed to code tdlint does not follow (a wrapper class, another library's function):
    # it may be trained there, on data tdlint cannot see.
    handed_over: bool = False
    # The layer this model is when used inside another model (``outer.add(encoder)``), and
    # the input shapes of ``model.build(shape)``: a model without an input shape is built
    # by the first of them.
    as_layer: Any = None
    build_shapes: list[Shape | None] | None = None
    # The user's subclass of keras.Model this functional model is an instance of, if any.
    subclass: cst.ClassDef | None = None
    # Keras 1: the ``Merge([left, right])`` this Sequential starts from (its application to
    # the branch models), which the upgrade to the functional API rewrites.
    merged_from: Application | None = None

    def set_current(self, value: Tensor | list[Tensor]) -> None:
        """What the next layer of a Sequential receives: one tensor or several."""
        tensors = value if isinstance(value, list) else [value]
        self.current = tensors[0] if tensors else Tensor(None)
        self.current_all = tensors

    @property
    def output_shapes(self) -> list[Shape | None]:
        if self.kind == "sequential":
            if self.uncertain or self.current is None:
                return [None]
            return [t.shape for t in self.current_all] or [self.current.shape]
        return [t.shape for t in self.outputs]


@dataclass(frozen=True)
class DataCall:
    """``model.fit(x, y, ...)`` and friends, with their arguments as evaluated."""

    method: str
    positional: tuple[Any, ...]
    keywords: dict[str, Any]
    node: cst.Call
    # The loss the model was compiled with when the call ran: a later ``compile`` (a
    # notebook trying another loss) does not change what this call trained with.
    loss: Any = None


@dataclass(frozen=True)
class ApiCall:
    """A call of a Keras API by its dotted path as written (``K.mean(x)`` gives
    ``keras.backend.mean``), or of a method on a Keras model (``path`` is then
    ``<model>.fit_generator`` and ``model`` is set): what the version rules read."""

    path: str
    node: cst.Call
    model: Any = None


@dataclass(frozen=True)
class ImportedName:
    """One name bound by an import statement at module level."""

    local: str  # the name in the module (after ``as``)
    path: str  # the dotted path it refers to
    statement: cst.SimpleStatementLine
    node: cst.Import | cst.ImportFrom


@dataclass
class FileGraph:
    """Everything the analysis learned about one file."""

    module: cst.Module
    # The file's text: reading it is far cheaper than regenerating it from the CST.
    source: str = ""
    layers: list[Layer] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    # The user's subclasses of keras.Model: their layers are only wired up when one is called.
    subclassed_models: list[cst.ClassDef] = field(default_factory=list)
    # Tensors made by ``Input(...)`` calls (their ``node`` is the call).
    inputs: list[Tensor] = field(default_factory=list)
    imports: list[ImportedName] = field(default_factory=list)
    # Calls of Keras APIs and of Keras models' methods, in the order they were analysed (a
    # call in a function analysed twice is listed twice).
    api_calls: list[ApiCall] = field(default_factory=list)
    star_imports: list[str] = field(default_factory=list)
    # Module-level names bound to Keras paths, with what they resolve to.
    keras_names: dict[str, str] = field(default_factory=dict)
    # The subclassed models compiled or trained, by the id of their instance's layer: the
    # records the model-versus-data rules read (tdlint.analysis.subclass_training).
    trained_subclasses: dict[int, Model] = field(default_factory=dict)
    # Those first built by ``model.build(shape)``: Keras 3 then builds their layers only at
    # the first call with data, for that data's shape (tf.keras 2 runs ``call`` in ``build``).
    built_by_build: set[int] = field(default_factory=set)
    # Whether each user function (by the id of its node) is a generator, once found.
    generators: dict[int, bool] = field(default_factory=dict)
    # The Keras lines the file may run on (the setting, a pin, or the file's own code).
    version: KerasVersion = field(default_factory=KerasVersion)

    # Applications by the id of each tensor they read, built on first use: rules walk
    # downstream tensor by tensor, and a scan per tensor made that quadratic.
    _consumers: dict[int, list[Application]] | None = field(default=None, repr=False)
    _consumers_built_for: int = field(default=-1, repr=False)

    @property
    def trained_models(self) -> list[Model]:
        """The models whose data calls the rules check: the file's models, and the records of
        its trained subclassed models."""
        return [*self.models, *self.trained_subclasses.values()]

    def release(self) -> None:
        """Break the cycles between applications, their layers and their output tensors,
        for a graph nothing will read again: reference counting then frees it, and with it
        the parts of the tree it holds, at once. The cyclic collector would have to walk all
        of it first (about 0.3 s of CPU over the keras-io files)."""
        for app in self.applications:
            app.layer.applications = []
            app.outputs = []
        for layer in self.layers:
            layer.applications = []

    def consumers(self, tensor: Tensor) -> list[Application]:
        """The applications that take ``tensor`` as an input, in graph order."""
        if self._consumers is None or self._consumers_built_for != len(self.applications):
            index: dict[int, list[Application]] = {}
            for app in self.applications:
                for key in {id(t) for t in app.all_inputs}:  # once, even for Add([x, x])
                    index.setdefault(key, []).append(app)
            self._consumers, self._consumers_built_for = index, len(self.applications)
        return list(self._consumers.get(id(tensor), ()))
