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

from collections.abc import Callable
from typing import Any

import libcst as cst

from tdlint.analysis.graph import Layer, Model, Tensor
from tdlint.analysis.unresolved import code_of
from tdlint.keras.shapes import Unknown, UnknownInt, symbol

_TENSOR_LIKE = (Tensor, Layer, Model)


class Namer:
    """Makes symbols for one file's analysis. ``lookup`` gives a name's current value; the
    names each expression reads are found once per expression (an assignment in a loop or
    in a function called many times is walked once: a LibCST walk costs far more than the
    lookups). The file's nodes outlive the analysis, so their ids are stable keys."""

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self.lookup = lookup
        self._names: dict[int, tuple[str, ...]] = {}

    def named(self, value: Any, name: str, expr: cst.BaseExpression) -> Any:
        """``value`` as a symbol called ``name`` when it is a plain unknown that no Keras
        tensor in ``expr`` computed; ``value`` itself otherwise."""
        if type(value) not in (Unknown, UnknownInt) or self._mentions_tensors(expr):
            return value
        return symbol(name, value)

    def named_by_code(self, value: Any, expr: cst.BaseExpression) -> Any:
        """``len(chars)`` or ``x_train.shape[1]`` named by its own code."""
        return self.named(value, code_of(expr), expr)

    def _mentions_tensors(self, expr: cst.BaseExpression) -> bool:
        return any(isinstance(self.lookup(name), _TENSOR_LIKE) for name in self._names_in(expr))

    def _names_in(self, expr: cst.BaseExpression) -> tuple[str, ...]:
        names = self._names.get(id(expr))
        if names is None:
            finder = _NameFinder()
            expr.visit(finder)
            names = self._names[id(expr)] = tuple(finder.names)
        return names


def is_shape_item(node: cst.Subscript) -> bool:
    """``<expr>.shape[i]`` (one dim; ``.shape[1:]`` is a tuple, not a dim)."""
    if not (isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape"):
        return False
    return len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index)


class _NameFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``x.shape``: ``x``, not the attribute's name
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # ``f(axis=1)``: not the keyword
        return False
