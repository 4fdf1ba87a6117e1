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


def named(value: Any, name: str, expr: cst.BaseExpression, lookup: Callable[[str], Any]) -> Any:
    """``value`` as a symbol called ``name`` when it is a plain unknown that no Keras tensor
    in ``expr`` computed; ``value`` itself otherwise."""
    if type(value) not in (Unknown, UnknownInt) or _mentions_tensors(expr, lookup):
        return value
    return symbol(name, value)


def named_by_code(value: Any, expr: cst.BaseExpression, lookup: Callable[[str], Any]) -> Any:
    """``len(chars)`` or ``x_train.shape[1]`` named by its own code."""
    return named(value, code_of(expr), expr, lookup)


def is_shape_item(node: cst.Subscript) -> bool:
    """``<expr>.shape[i]`` (one dim; ``.shape[1:]`` is a tuple, not a dim)."""
    if not (isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape"):
        return False
    return len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index)


def _mentions_tensors(expr: cst.BaseExpression, lookup: Callable[[str], Any]) -> bool:
    return any(isinstance(lookup(name), _TENSOR_LIKE) for name in _names_in(expr))


# The names an expression reads, per expression node: an assignment in a loop or a function
# called many times is walked once (a LibCST walk costs far more than the lookups).
_NAMES: dict[int, tuple[cst.BaseExpression, tuple[str, ...]]] = {}


def _names_in(expr: cst.BaseExpression) -> tuple[str, ...]:
    cached = _NAMES.get(id(expr))
    if cached is not None and cached[0] is expr:
        return cached[1]
    if isinstance(expr, cst.Name):
        names: tuple[str, ...] = (expr.value,)
    elif isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString)):
        names = ()
    else:
        finder = _NameFinder()
        expr.visit(finder)
        names = tuple(finder.names)
    if len(_NAMES) > 100_000:
        _NAMES.clear()
    _NAMES[id(expr)] = (expr, names)
    return names


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
