"""The user's generator functions as Keras data: ``def batches(): ... yield x, y`` passed to
``fit``/``fit_generator``/``evaluate_generator`` gives batches of (features, labels)."""

from __future__ import annotations

import functools
from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.analysis.datasets import Dataset
from tdlint.analysis.values import join
from tdlint.keras.shapes import UNKNOWN


def is_generator(function: cst.FunctionDef) -> bool:
    """Whether the function's own body yields (not a function or class defined in it)."""
    finder = _YieldFinder()
    for statement in function.body.body if isinstance(function.body, cst.IndentedBlock) else ():
        statement.visit(finder)
    return finder.found


class _YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> bool:
        self.found = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function's yield makes that function a generator

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def batches(yielded: list[Any]) -> Any:
    """What a call of a generator gives Keras: batches of ``(features, labels)`` (and maybe
    sample weights), or features alone; unknown when its items cannot be told."""
    if not yielded:
        return UNKNOWN
    item = functools.reduce(join, yielded)
    if isinstance(item, tuple) and len(item) in (2, 3):
        features, labels = item[0], item[1]
    else:
        features, labels = item, None
    if isinstance(item, list):
        # A list of arrays is the inputs of a model with several: not read here, but a
        # batch Keras 3 refuses all the same (it wants a tuple).
        return Dataset(Array(None), None, bare=True)
    if not isinstance(features, Array) or not (labels is None or isinstance(labels, Array)):
        return UNKNOWN
    return Dataset(features, labels, bare=not isinstance(item, tuple))
