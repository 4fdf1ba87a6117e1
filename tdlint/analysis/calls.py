"""What a call does, statically: Keras constructors and functions, the data libraries tdlint
follows, the methods of models (``add``, ``compile``, ``fit``...), the user's own functions
(analysed with the arguments they are given), and layers or unknown callables applied to
tensors.

``CallEvaluator`` is mixed into ``Interpreter``, whose state it shares; it creates Keras
objects through ``ModelBuilder``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tdlint.analysis import data
from tdlint.analysis.arrays import Array
from tdlint.analysis.backbones import call_application
from tdlint.analysis.blocks import body_of
from tdlint.analysis.building import argument_node, call_inputs, hand_over
from tdlint.analysis.constants import call_builtin, call_math
from tdlint.analysis.generators import batches, is_generator
from tdlint.analysis.graph import ApiCall, DataCall, FileGraph, Layer, Model, Tensor
from tdlint.analysis.iteration import NOT_HANDLED, dict_method, iteration_builtin
from tdlint.analysis.keras1 import NOT_KERAS1, GraphModel
from tdlint.analysis.model_api import build_from_data, get_layer, predicted
from tdlint.analysis.scope import Env
from tdlint.analysis.subclass_training import record_of
from tdlint.analysis.tensor_ops import NOT_AN_OP
from tdlint.analysis.unresolved import OpaqueLayer
from tdlint.analysis.values import (
    DataObject,
    Function,
    Instance,
    Ref,
    Super,
    UserClass,
    forget_contents,
    is_constant,
    join,
)
from tdlint.keras import names
from tdlint.keras.addons import lookup_addon
from tdlint.keras.catalogue import lookup
from tdlint.keras.losses import LossObject, snake_case
from tdlint.keras.shapes import UNKNOWN, Unknown, is_known, is_unknown
from tdlint.keras.versions import OLD, Line

MAX_CALL_DEPTH = 8

_WEIGHT_METHODS = ("add_weight", "add_variable")
_DICT_VIEWS = frozenset({"items", "keys", "values", "get"})
# Calls on the user's own model that make Keras build it for an input shape.
_BUILDING_METHODS = frozenset(
    {"build", "fit", "predict", "evaluate", "train_on_batch", "test_on_batch", "predict_on_batch"}
)
# Methods that change a list, dict or set in place.
_MUTATORS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "sort",
     "reverse", "add", "discard", "popitem"}
)  # fmt: skip  # user functions calling user functions: deeper calls are unknown

LOST = object()  # a change to a list that tdlint cannot follow

# List methods followed: the list's items stay known (``skips.pop()`` in a U-Net).
_LIST_METHODS = frozenset({"append", "extend", "insert", "pop"})

# Model methods whose arguments the model-versus-data checks read.
DATA_METHODS = frozenset(
    {
        "fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
        # Keras 1 and 2: the data comes from a generator; Sequential's class predictions.
        "fit_generator", "evaluate_generator", "predict_generator",
        "predict_classes", "predict_proba",
    }
)  # fmt: skip
# What the record of a trained subclassed model follows (tdlint.analysis.subclass_training).
TRAINING_METHODS = DATA_METHODS | {"compile"}
# The packages whose calls are recorded for the version rules (``graph.api_calls``).
_KERAS_ROOTS = frozenset({"keras", "tensorflow", "tf_keras"})


@dataclass
class Frame:
    """A call of the user's function being analysed: the uncertainty it started at, and
    whether a ``return`` outside any undecided branch or loop has ended it."""

    uncertainty: int
    returned: bool = False
    # What the function yields, when it is a generator (``yield x_batch, y_batch``).
    yields: list[Any] = field(default_factory=list)


# The configured image data format, read: ``keras.backend.image_data_format()`` (Keras 2) and
# ``keras.config.image_data_format()`` (Keras 3).
_DATA_FORMAT_READERS = ("backend.image_data_format", "config.image_data_format")


class CallEvaluator:
    """Evaluates calls for ``Interpreter``: the attributes below are the interpreter's."""

    env: Env
    globals: Env
    in_function: bool
    returns: list[list[Any]]
    frames: list[Frame]
    call_budget: int
    poisoned: dict[int, list[Any] | dict[Any, Any]]
    uncertainty: int
    functions: list[str]
    calls: list[cst.Call]
    graph: FileGraph
    default_data_format: Any
    call_library_op: Any  # tdlint.analysis.tensor_ops.OpEvaluator
    construct: Any  # tdlint.analysis.classes.ClassEvaluator
    construct_plain: Any
    namer: Any  # tdlint.analysis.symbols.Namer
    build_user_model: Any
    keras1_call: Any  # tdlint.analysis.keras1.Keras1Builder
    graph_method: Any
    user_method: Any
    super_method: Any

    # ------------------------------------------------------------------ calls
    def eval_call(self, node: cst.Call) -> Any:
        func = node.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            owner = self._growing_list(func.value, method) or self.eval(func.value)
            if method in _MUTATORS and not isinstance(owner, (list, dict)):
                self._forget_container(func.value)
            if method in _MUTATORS and isinstance(owner, dict):
                positional, keywords, star = self.eval_arguments(node)
                return self._change_dict(owner, method, positional, keywords, star)
            if isinstance(owner, Array) or (is_unknown(owner) and method in data.ARRAY_LIKE):
                # ``y.reshape(-1, 10, 2)`` says ``y`` is an array even when nothing else does.
                array = owner if isinstance(owner, Array) else Array(None)
                positional, keywords, _ = self.eval_arguments(node)
                return data.array_method(array, method, positional, keywords)
            if isinstance(owner, DataObject):
                positional, keywords, _ = self.eval_arguments(node)
                return owner.call(method, positional, keywords)
            if isinstance(owner, Super):
                positional, keywords, star = self.eval_arguments(node)
                return self.super_method(owner.instance, method, positional, keywords, star)
            if isinstance(owner, dict) and method in _DICT_VIEWS:
                positional, keywords, star = self.eval_arguments(node)
                viewed = NOT_HANDLED if star or keywords else dict_method(owner, method, positional)
                return UNKNOWN if viewed is NOT_HANDLED else viewed
            if isinstance(owner, Model) or _is_user_model(owner):
                self.graph.api_calls.append(ApiCall(f"<model>.{method}", node, owner))
            if _is_user_model(owner) and method in (*_BUILDING_METHODS, *TRAINING_METHODS):
                positional, keywords, star = self.eval_arguments(node)
                if method in _BUILDING_METHODS:
                    if method == "build" and getattr(owner.spec, "first", None) is None:
                        self.graph.built_by_build.add(id(owner))
                    self.build_user_model(owner, method, positional, keywords)
                if method not in TRAINING_METHODS or star:
                    return UNKNOWN
                record = record_of(self.graph, owner)
                return self.call_method(record, method, positional, keywords, node)
            if isinstance(owner, Instance) and method in (*owner.cls.methods, *_WEIGHT_METHODS):
                positional, keywords, star = self.eval_arguments(node)
                if method in _WEIGHT_METHODS and method not in owner.cls.methods:
                    self.graph.api_calls.append(ApiCall(f"<layer>.{method}", node))
                return self.user_method(owner, method, positional, keywords, node)
            if isinstance(owner, Model) or (isinstance(owner, list) and method in _LIST_METHODS):
                positional, keywords, star = self.eval_arguments(node)
                return self.call_method(owner, method, positional, keywords, node)
            callee = self.eval_attribute(owner, method)
        elif isinstance(func, cst.Name) and func.value == "super" and not node.args:
            return self._super()
        else:
            callee = self.eval(func)
        positional, keywords, star = self.eval_arguments(node)
        if isinstance(callee, Ref):
            if callee.path.partition(".")[0] in _KERAS_ROOTS:
                self.graph.api_calls.append(ApiCall(callee.path, node))
            result = self.call_ref(callee, positional, keywords, star, node)
            if _is_plain_unknown(result) and _may_return_a_tensor(callee.path):
                return self.apply_unresolved(callee, func, positional, keywords, node, result)
            return result
        if isinstance(callee, Model):
            callee = self.model_layer(callee)
        if isinstance(callee, Layer):
            inputs = call_inputs(callee.spec, positional, keywords)
            return self.apply(callee, inputs, node, keywords=keywords)
        if isinstance(callee, Function):
            result = self.call_function(callee, positional, keywords, star, node)
            if _is_plain_unknown(result):
                return self.apply_unresolved(callee, func, positional, keywords, node, result)
            return result
        if isinstance(callee, UserClass) and callee.keras_base is not None:
            # A model given to the user's own Keras class (a GAN wrapper with its own
            # train_step) may be trained there, out of sight.
            hand_over(positional, keywords)
            layer = self.construct(callee, positional, keywords, star, node)
            if layer is not None:
                return layer  # a model wrapped by the user's own Keras class
            kind = "layer" if callee.keras_base == "layer-base" else "model"
            return OpaqueLayer(callee.node.name.value, kind, node)
        if isinstance(callee, UserClass):
            return self.construct_plain(callee, positional, keywords, star, node)
        if isinstance(func, cst.Name) and self._is_python_builtin(func.value):
            return UNKNOWN  # print(x), isinstance(x, ...): never a layer
        hand_over(positional, keywords)
        return self.apply_unresolved(callee, func, positional, keywords, node)

    def _super(self) -> Any:
        """``super()`` in a method whose ``self`` is an instance of the user's class."""
        if self.env.lookup("super")[0]:
            return UNKNOWN  # a name of the user's own
        found, instance = self.env.lookup("self")
        return Super(instance) if found and isinstance(instance, Instance) else UNKNOWN

    def _change_dict(
        self,
        owner: dict[Any, Any],
        method: str,
        positional: list[Any],
        keywords: dict[str, Any],
        star: bool,
    ) -> Any:
        """``d.update(...)``, ``d.setdefault(k, v)``, ``d.pop(k)``... as Python does them where
        the change is certain; otherwise the dict's keys and values are unknown from now on
        (``len(word_index)`` must not stay that of the empty literal it started as)."""
        if not self.uncertainty and not star:
            changed = change_dict(owner, method, positional, keywords)
            if changed is not LOST:
                return changed
        forget_contents(owner)
        self.poisoned[id(owner)] = owner
        return UNKNOWN

    def _forget_container(self, target: cst.BaseExpression) -> None:
        """``d[key].append(v)`` with a key tdlint cannot read changes one of ``d``'s values:
        which one is unknown, so all of them are."""
        if isinstance(target, cst.Subscript):
            container = self.eval(target.value)
            forget_contents(container)

    def _growing_list(self, target: cst.BaseExpression, method: str) -> list[Any] | None:
        """The list itself behind ``xs.append(...)``, even once it has grown in a loop (its
        value is then a ``GrownList``): every append is recorded, so ``np.array(xs)`` can
        tell whether all its rows have one shape."""
        if method not in ("append", "extend") or not isinstance(target, cst.Name):
            return None
        found, value = self.env.lookup(target.value)
        return value if found and isinstance(value, list) else None

    def call_function(
        self,
        func: Function,
        positional: list[Any],
        keywords: dict[str, Any],
        star: bool,
        call: cst.Call,
    ) -> Any:
        """Analyse a call of the user's own function with the arguments it is given
        (``build_model(10, 3)``), and return what it returns when that is certain."""
        if star or self.call_budget <= 0 or len(self.returns) >= MAX_CALL_DEPTH:
            return UNKNOWN
        node = func.node
        env = Env(func.closure or self.globals)
        params = [*node.params.posonly_params, *node.params.params]
        star_arg, star_kwarg = node.params.star_arg, node.params.star_kwarg
        if len(positional) > len(params) and not isinstance(star_arg, cst.Param):
            return UNKNOWN
        self.call_budget -= 1
        named = [*params, *node.params.kwonly_params]
        if isinstance(star_kwarg, cst.Param):  # ``**kwargs``: the keywords no parameter takes
            taken = {param.name.value for param in named}
            rest = {k: v for k, v in keywords.items() if k not in taken}
            env.vars[star_kwarg.name.value] = rest
        elif any(k not in {param.name.value for param in named} for k in keywords):
            return UNKNOWN  # Python would raise a TypeError
        for i, param in enumerate(named):
            name = param.name.value
            if i < len(positional) and param in params:
                value = positional[i]
            elif name in keywords:
                value = keywords[name]
            elif param.default is not None:
                value = self.eval(param.default)
            else:
                value = Unknown(param_origin(param, node))
            env.vars[name] = value
        if isinstance(star_arg, cst.Param):
            env.vars[star_arg.name.value] = tuple(positional[len(params) :])
        saved_env, saved_flag = self.env, self.in_function
        self.env, self.in_function = env, True
        self.functions.append(node.name.value)
        self.returns.append([])
        self.frames.append(Frame(self.uncertainty))
        self.calls.append(call)
        try:
            self.exec_block(body_of(node))
        finally:
            self.env, self.in_function = saved_env, saved_flag
            self.functions.pop()
            returned = self.returns.pop()
            frame = self.frames.pop()
            self.calls.pop()
        if self._is_generator(node):
            return batches(frame.yields)
        return functools.reduce(join, returned) if returned else None

    def _is_generator(self, node: cst.FunctionDef) -> bool:
        """Whether the function yields, found once per function of the file (the module holds
        the node for as long as the graph lives, so its id stays its own)."""
        known = self.graph.generators.get(id(node))
        if known is None:
            # most files never yield: no walk of the function's body for them
            known = "yield" in self.graph.source and is_generator(node)
            self.graph.generators[id(node)] = known
        return known

    def eval_yield(self, node: cst.Yield) -> Any:
        """``yield value`` in a generator being analysed: the value is one of its items."""
        if isinstance(node.value, cst.BaseExpression) and self.frames:
            self.frames[-1].yields.append(self.eval(node.value))
        return UNKNOWN  # what the caller sends back

    def eval_arguments(self, node: cst.Call) -> tuple[list[Any], dict[str, Any], bool]:
        positional: list[Any] = []
        keywords: dict[str, Any] = {}
        star = False
        for arg in node.args:
            value = self.eval(arg.value)
            if arg.star == "**":
                if isinstance(value, dict):
                    keywords.update(value)
                else:
                    star = True
            elif arg.star == "*":
                if isinstance(value, (tuple, list)):
                    positional.extend(value)
                else:
                    star = True
            elif arg.keyword is not None:
                keywords[arg.keyword.value] = value
            else:
                positional.append(value)
        return positional, keywords, star

    def call_ref(
        self, ref: Ref, positional: list[Any], keywords: dict[str, Any], star: bool, node: cst.Call
    ) -> Any:
        if ref.path.startswith("builtins."):
            name = ref.path[len("builtins.") :]
            listed = NOT_HANDLED if star else iteration_builtin(name, positional, keywords)
            if listed is not NOT_HANDLED:
                return listed
            result = call_builtin(name, positional, keywords, star)
            if name == "len":  # ``len(chars)``
                return self.namer.named_by_code(result, node)
            return result
        if ref.path.startswith("math."):
            return call_math(ref.path[len("math.") :], positional, keywords)
        if ref.path.startswith("numpy."):
            return data.call_numpy(ref.path[len("numpy.") :], positional, keywords)
        on_tensors = self.call_library_op(ref.path, positional, keywords, node)
        if on_tensors is not NOT_AN_OP:
            return on_tensors
        if data.is_data_path(ref.path):
            built = data.library_call(ref.path, positional, keywords)
            return UNKNOWN if built is None else built
        addon = lookup_addon(ref.path)
        if addon is not None:  # tfa.layers.InstanceNormalization(...)
            return self.create_layer(addon, ref.path, positional, keywords, star, node)
        obj = names.resolve(ref.path)
        if obj is None:
            built = data.library_call(ref.path, positional, keywords)  # tf.one_hot, tf.data
            if built is None:
                hand_over(positional, keywords)
            return UNKNOWN if built is None else built
        if obj.kind == "layer":
            spec = lookup(obj.name)
            assert spec is not None
            return self.create_layer(spec, ref.path, positional, keywords, star, node)
        if obj.kind == "input":
            return self.create_input(positional, keywords, star, node)
        if obj.kind in ("sequential", "model"):
            create = self.create_sequential if obj.kind == "sequential" else self.create_functional
            model = create(positional, keywords, node)
            model.keras_path = ref.path
            return model
        if obj.kind == "merge-function":
            spec = lookup(names.MERGE_FUNCTIONS[obj.name])
            assert spec is not None
            inputs = positional[0] if positional else keywords.pop("inputs", UNKNOWN)
            layer = self.create_layer(spec, ref.path, positional[1:], keywords, star, node)
            return self.apply(layer, inputs, node)
        if obj.name.endswith(_DATA_FORMAT_READERS):  # `if K.image_data_format() == ...`
            return self.default_data_format
        # Image data comes in the configured ordering; code written for Keras 1 (Theano's
        # "th" was common, and the default of 1.0) may have it channels first.
        lines = self.graph.version.of(ref.path)
        maybe_theano = lines <= OLD and Line.KERAS1 in lines
        channels_last = self.default_data_format == "channels_last" and not maybe_theano
        built = data.library_call(obj.name, positional, keywords, channels_last)
        if built is not None:  # keras.utils.to_categorical, pad_sequences, keras.datasets
            return built
        keras1 = self.keras1_call(obj.name, ref.path, positional, keywords, node)
        if keras1 is not NOT_KERAS1:  # merge(...), Merge(...), Graph()
            return keras1
        module, _, last = obj.name.rpartition(".")
        if module == "keras.losses" and last[:1].isupper():
            return LossObject(snake_case(last), dict(keywords))
        if module.startswith("keras.applications"):  # ResNet50(...), preprocess_input(x)
            built = call_application(self, ref.path, positional, keywords, star, node)
            if built is not None:
                return built
        if obj.kind == "other" and last[:1].isupper():
            # A Keras layer tdlint has no entry for, or a ready-made model it does not know.
            if module.startswith("keras.layers"):
                return OpaqueLayer(last, "layer", node)
            if module.startswith("keras.applications"):
                return OpaqueLayer(last, "model", node)
        return UNKNOWN

    def call_method(
        self,
        owner: Any,
        method: str,
        positional: list[Any],
        keywords: dict[str, Any],
        node: cst.Call,
    ) -> Any:
        if isinstance(owner, list):
            if self.uncertainty:  # appended in a loop or a branch: its length is not known
                self.poisoned[id(owner)] = owner
            result = change_list(owner, method, positional, keywords)
            if result is LOST:
                owner.append(UNKNOWN)  # items of unknown number and shape
                self.poisoned[id(owner)] = owner
                return UNKNOWN
            return result
        model: Model = owner
        if isinstance(model, GraphModel):
            handled = self.graph_method(model, method, positional, keywords, node)
            if handled is not NOT_KERAS1:
                return handled
        if method == "add" and model.kind == "sequential":
            item = positional[0] if positional else keywords.get("layer", UNKNOWN)
            self.sequential_add(model, item, node, argument_node(node, "layer"))
            return None
        if method == "build" and model.kind == "sequential":
            shape = positional[0] if positional else keywords.get("input_shape", UNKNOWN)
            if isinstance(shape, (tuple, list)) and not any(
                isinstance(d, (tuple, list)) for d in shape
            ):
                model.build_shapes = [
                    tuple(d if d is None or is_known(d) else UNKNOWN for d in shape)
                ]
            return None
        if method == "pop" and model.kind == "sequential":
            model.version += 1
            model.uncertain = True
            model.set_current(Tensor(None, origin="a layer was popped"))
            return UNKNOWN
        if method == "compile":
            model.loss = keywords.get("loss", positional[1] if len(positional) > 1 else None)
            model.compile_node = node
            model.compile_keywords = keywords
            return None
        if method == "get_layer":
            return get_layer(model, positional, keywords)
        if method in DATA_METHODS:
            build_from_data(model, positional[0] if positional else keywords.get("x"))
            call = DataCall(method, tuple(positional), keywords, node, loss=model.loss)
            model.data_calls.append(call)
            if method in ("predict", "predict_on_batch"):
                return predicted(model, positional[0] if positional else keywords.get("x"))
        return UNKNOWN


def change_list(
    items: list[Any], method: str, positional: list[Any], keywords: dict[str, Any]
) -> Any:
    """``append``, ``extend``, ``insert`` and ``pop`` on a list, as Python does them: what
    the call returns, or ``LOST`` when tdlint cannot tell what it did (an index it cannot
    read, an iterable of unknown length), after which the list's contents are unknown."""
    if keywords:
        return LOST
    if method == "append" and len(positional) == 1:
        items.append(positional[0])
    elif method == "extend" and len(positional) == 1 and isinstance(positional[0], (list, tuple)):
        items.extend(positional[0])
    elif method == "insert" and len(positional) == 2 and is_known(positional[0]):
        items.insert(positional[0], positional[1])
    elif method == "pop" and len(positional) <= 1:
        index = positional[0] if positional else -1
        if not (is_known(index) and -len(items) <= index < len(items)):
            return LOST
        return items.pop(index)
    else:
        return LOST
    return None


def change_dict(
    owner: dict[Any, Any], method: str, positional: list[Any], keywords: dict[str, Any]
) -> Any:
    """``update`` with a dict whose keys are known, ``setdefault`` and ``pop`` with a known
    key: what the call returns; ``LOST`` for anything else."""
    if method == "update" and len(positional) <= 1:
        new = positional[0] if positional else {}
        if isinstance(new, dict) and all(is_constant(k) for k in [*new, *keywords]):
            owner.update(new, **keywords)
            return None
        return LOST
    key = positional[0] if positional else None
    if keywords or not positional or not is_constant(key):
        return LOST
    if method == "setdefault" and len(positional) <= 2:
        return owner.setdefault(key, positional[1] if len(positional) > 1 else None)
    if method == "pop" and (key in owner or len(positional) == 2):
        return owner.pop(key, *positional[1:2])
    return LOST


def _is_user_model(value: Any) -> bool:
    return isinstance(value, Layer) and getattr(value.spec, "is_model", False)


def _is_plain_unknown(value: Any) -> bool:
    """An unknown that is not known to be a layer object."""
    return is_unknown(value) and not isinstance(value, OpaqueLayer)


def _may_return_a_tensor(path: str) -> bool:
    """Whether an unknown library function may make a Keras tensor from tensors: not Python's
    builtins, NumPy or the data libraries (their results are arrays or plain values)."""
    return not (
        path.startswith("builtins.") or path == "numpy" or path.startswith("numpy.")
    ) and not data.is_data_path(path)


def param_origin(param: cst.Param, func: cst.FunctionDef) -> str:
    return f"parameter `{param.name.value}` of `{func.name.value}`"
