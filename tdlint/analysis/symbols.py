"""Symbolic dims: a value tdlint cannot evaluate but can name keeps that name, so that
``tdlint shapes`` prints ``(None, 40, len(chars))`` instead of ``(None, 40, ?)``.

A symbol is made where a plain unknown is given a name the user reads:

* a simple assignment, ``vocab_size = len(tokenizer.word_index) + 1`` -> ``vocab_size``;
* the expressions that usually hold a data-derived size: ``len(chars)``,
  ``x_train.shape[1]``.

Values computed from Keras tensors are not named: their dims are unknown because of a layer
upstream, and that is what the user should see (``?`` and where it came from). A symbol
equals only itself (two assignments make two symbols) and is an unknown everywhere else:
no rule fires on it, and arithmetic on it gives a plain unknown (``shapes.combine``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import libcst as cst

from tdlint.analysis.graph import Layer, Model, Tensor
from tdlint.analysis.unresolved import code_of
from tdlint.keras.shapes import Unknown, UnknownInt, symbol

_TENSOR_LIKE = (Tensor, Layer, Model)


class Namer:
    """Makes symbols for one file's analysis. ``lookup`` gives a name's current value; the
    names each expression reads, and its code, are found once per expression (an assignment
    in a loop or in a function called many times is walked once). The file's nodes outlive
    the analysis, so their ids are stable keys."""

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self.lookup = lookup
        self._names: dict[int, tuple[str, ...]] = {}
        self._codes: dict[int, str] = {}

    def named(self, value: Any, name: str, expr: cst.BaseExpression) -> Any:
        """``value`` as a symbol called ``name`` when it is a plain unknown that no Keras
        tensor in ``expr`` computed; ``value`` itself otherwise."""
        if not self._nameable(value, expr):
            return value
        return symbol(name, value)

    def named_by_code(self, value: Any, expr: cst.BaseExpression) -> Any:
        """``len(chars)`` or ``x_train.shape[1]`` named by its own code."""
        if not self._nameable(value, expr):
            return value
        code = self._codes.get(id(expr))
        if code is None:
            code = self._codes[id(expr)] = code_of(expr)
        return symbol(code, value)

    def _nameable(self, value: Any, expr: cst.BaseExpression) -> bool:
        return type(value) in (Unknown, UnknownInt) and not self._mentions_tensors(expr)

    def _mentions_tensors(self, expr: cst.BaseExpression) -> bool:
        return any(isinstance(self.lookup(name), _TENSOR_LIKE) for name in self._names_in(expr))

    def _names_in(self, expr: cst.BaseExpression) -> tuple[str, ...]:
        names = self._names.get(id(expr))
        if names is None:
            found: list[str] = []
            _collect_names(expr, found)
            names = self._names[id(expr)] = tuple(found)
        return names


def is_shape_item(node: cst.Subscript) -> bool:
    """``<expr>.shape[i]`` (one dim; ``.shape[1:]`` is a tuple, not a dim)."""
    if not (isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape"):
        return False
    return len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index)


def _collect_names(node: cst.CSTNode, found: list[str]) -> None:
    """The names ``node`` reads, into ``found``: every ``Name`` in it except an attribute's
    name (``x.shape``: ``x``) and a keyword's (``f(axis=1)``: not ``axis``). A direct walk
    over the nodes' fields: a ``CSTVisitor`` rebuilds every node it passes through, which
    cost 0.5 s of CPU on the keras-io files."""
    kind = type(node)
    if kind is cst.Name:
        found.append(node.value)
        return
    if kind is cst.Attribute or kind is cst.Arg:
        _collect_names(node.value, found)
        return
    for field in _child_fields(kind):
        child = getattr(node, field)
        if isinstance(child, cst.CSTNode):
            _collect_names(child, found)
        elif isinstance(child, (list, tuple)):
            for item in child:
                if isinstance(item, cst.CSTNode):
                    _collect_names(item, found)


@functools.cache
def _child_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node type, which hold its children (LibCST nodes are dataclasses;
    whitespace fields hold no names, and leaving them out saves most of the walk)."""
    return tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith("whitespace"))
