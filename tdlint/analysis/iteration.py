"""What loops iterate over, when it is finite and known: lists, tuples, ``range``, dicts and
their views, and the builtins that reshape them (``enumerate``, ``zip``, ``reversed``,
``sorted``, ``list``/``tuple``), whatever the items are (layers, tensors, names).

A loop over such a collection is unrolled by the interpreter, up to ``MAX_UNROLL`` items;
anything else (a generator, data read at run time, a longer collection) is not, and the
loop's body is analysed once with an unknown item. Comprehensions are unrolled the same way.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from tdlint.analysis.constants import truth
from tdlint.analysis.graph import Tensor
from tdlint.analysis.scope import Env
from tdlint.keras.shapes import UNKNOWN, is_known

MAX_UNROLL = 64  # loops longer than this are treated as unknown

NOT_HANDLED = object()


def items_of(value: Any) -> list[Any] | None:
    """The items a ``for`` loop over ``value`` would see, or None when not known."""
    if isinstance(value, (tuple, list, range, dict)):
        items = list(value) if len(value) <= MAX_UNROLL else None
    elif isinstance(value, (set, frozenset)) and all(isinstance(v, (int, str)) for v in value):
        items = sorted(value, key=repr) if len(value) <= MAX_UNROLL else None  # type: ignore[arg-type]
    elif _is_constant_vector_or_more(value):
        # An eager tensor iterates over its first axis; a Keras tensor of a model does not.
        items = [Tensor(value.shape[1:], origin="a constant", constant=True)] * value.shape[0]
    else:
        items = None
    return items


def _is_constant_vector_or_more(value: Any) -> bool:
    return (
        isinstance(value, Tensor)
        and value.constant
        and bool(value.shape)
        and is_known(value.shape[0])
        and value.shape[0] <= MAX_UNROLL
    )


def iteration_builtin(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``enumerate``, ``zip``, ``reversed``, ``sorted``, ``list`` and ``tuple`` of known
    collections, as lists; ``NOT_HANDLED`` for anything else (the caller goes on)."""
    if name not in _BUILTINS or not positional:
        return NOT_HANDLED
    return _BUILTINS[name](positional, keywords)


def _enumerate(positional: list[Any], keywords: dict[str, Any]) -> Any:
    items = items_of(positional[0])
    start = positional[1] if len(positional) > 1 else keywords.get("start", 0)
    if items is None or not is_known(start) or len(positional) > 2:
        return NOT_HANDLED
    return [(start + i, item) for i, item in enumerate(items)]


def _zip(positional: list[Any], keywords: dict[str, Any]) -> Any:
    columns = [items_of(value) for value in positional]
    if any(c is None for c in columns) or set(keywords) - {"strict"}:
        return NOT_HANDLED
    return list(zip(*columns, strict=False))  # type: ignore[misc]


def _reversed(positional: list[Any], keywords: dict[str, Any]) -> Any:
    value = positional[0]
    if isinstance(value, dict) or keywords:
        return NOT_HANDLED
    items = items_of(value)
    return NOT_HANDLED if items is None else items[::-1]


def _sorted(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """Sorted by Python's own order when every sort key is a constant (``sorted(d.items())``
    sorts by the dict's keys): the items themselves may be anything."""
    items = items_of(positional[0])
    reverse = keywords.get("reverse", False)
    if items is None or set(keywords) - {"reverse"} or not isinstance(reverse, bool):
        return NOT_HANDLED
    keys = [_sort_key(item) for item in items]
    if any(k is None for k in keys) or len({type(k[0]) for k in keys}) > 1:  # type: ignore[index]
        return NOT_HANDLED
    order = sorted(range(len(items)), key=lambda i: keys[i], reverse=reverse)  # type: ignore[arg-type, return-value]
    return [items[i] for i in order]


def _sort_key(item: Any) -> tuple[Any, ...] | None:
    """A constant to sort by: the item, or the first element of a pair whose first element
    is a constant and unique (the keys of ``dict.items()``)."""
    if isinstance(item, (int, float, str)) and not isinstance(item, bool):
        return (item,)
    if isinstance(item, tuple) and item and isinstance(item[0], (int, float, str)):
        return (item[0],)
    return None


def _sequence(kind: type) -> Any:
    def convert(positional: list[Any], keywords: dict[str, Any]) -> Any:
        items = items_of(positional[0]) if len(positional) == 1 and not keywords else None
        return NOT_HANDLED if items is None else kind(items)

    return convert


_BUILTINS = {
    "enumerate": _enumerate,
    "zip": _zip,
    "reversed": _reversed,
    "sorted": _sorted,
    "list": _sequence(list),
    "tuple": _sequence(tuple),
}


def dict_method(owner: dict[Any, Any], method: str, positional: list[Any]) -> Any:
    """``d.items()``, ``d.keys()``, ``d.values()``, ``d.get(key[, default])``."""
    if method == "items" and not positional:
        return list(owner.items())
    if method == "keys" and not positional:
        return list(owner)
    if method == "values" and not positional:
        return list(owner.values())
    if method == "get" and positional and isinstance(positional[0], (str, int)):
        default = positional[1] if len(positional) > 1 else None
        return owner.get(positional[0], default)
    return NOT_HANDLED


ITERATION_BUILTINS = frozenset(_BUILTINS)


class Comprehensions:
    """Mixed into the interpreter: list comprehensions and generator expressions, unrolled
    like loops."""

    env: Any
    eval: Any
    assign: Any

    def eval_comprehension(self, node: cst.ListComp | cst.GeneratorExp) -> Any:
        """``[layers.Dense(u) for u in (64, 32)]`` over known sequences; else unknown."""
        results: list[Any] = []
        saved = self.env
        self.env = Env(saved)  # the comprehension's own scope
        try:
            if not self._comprehend(node.for_in, node.elt, results):
                return UNKNOWN
        finally:
            self.env = saved
        return results

    def _comprehend(self, clause: cst.CompFor, elt: cst.BaseExpression, out: list[Any]) -> bool:
        items = items_of(self.eval(clause.iter))
        if items is None or len(out) + len(items) > MAX_UNROLL:
            return False
        for item in items:
            self.assign(clause.target, item)
            conditions = [truth(self.eval(c.test)) for c in clause.ifs]
            if None in conditions:
                return False
            if not all(conditions):
                continue
            if clause.inner_for_in is not None:
                if not self._comprehend(clause.inner_for_in, elt, out):
                    return False
            else:
                out.append(self.eval(elt))
        return True
