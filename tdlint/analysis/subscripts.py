"""Subscripts: ``x[:, 0]`` on a Keras tensor (an op), ``a[:, 1:]`` on an array, ``d["key"]``,
``t[1]`` and ``t[1:]`` on known values, and ``x_train.shape[1]`` named as a symbol when it
is not known (``tdlint.analysis.symbols``)."""

from __future__ import annotations

from typing import Any

import libcst as cst

from tdlint.analysis import symbols
from tdlint.analysis.arrays import Array
from tdlint.analysis.arrays import index as data_index
from tdlint.analysis.graph import Tensor
from tdlint.analysis.values import DataObject
from tdlint.keras.shapes import UNKNOWN, is_known


class Subscripts:
    """Mixed into the interpreter."""

    eval: Any
    index_tensor: Any
    namer: Any  # tdlint.analysis.symbols.Namer

    def eval_subscript(self, node: cst.Subscript) -> Any:
        result = self._subscript(node)
        if symbols.is_shape_item(node):  # ``x_train.shape[1]``
            return self.namer.named_by_code(result, node)
        return result

    def _subscript(self, node: cst.Subscript) -> Any:
        value = self.eval(node.value)
        if isinstance(value, Array):
            return data_index(value, [self._index_item(e.slice) for e in node.slice])
        if isinstance(value, DataObject):
            return value.index([self._index_item(e.slice) for e in node.slice])
        if isinstance(value, Tensor):
            return self.index_tensor(value, [self._index_item(e.slice) for e in node.slice], node)
        if len(node.slice) != 1:
            return UNKNOWN
        index = node.slice[0].slice
        if isinstance(index, cst.Index):
            key = self.eval(index.value)
            if isinstance(value, (tuple, list)) and is_known(key):
                return value[key] if -len(value) <= key < len(value) else UNKNOWN
            if isinstance(value, dict) and isinstance(key, str):
                return value.get(key, UNKNOWN)
            if isinstance(value, str) and is_known(key) and -len(value) <= key < len(value):
                return value[key]
            return UNKNOWN
        if isinstance(index, cst.Slice) and isinstance(value, (tuple, list, str)):
            bounds = [self.eval(b) if b is not None else None for b in (index.lower, index.upper)]
            step = self.eval(index.step) if index.step is not None else None
            if all(b is None or is_known(b) for b in (*bounds, step)) and step != 0:
                return value[bounds[0] : bounds[1] : step]
        return UNKNOWN

    def _index_item(self, item: cst.BaseSlice) -> Any:
        """One item of ``x[...]``: a ``slice``, an int, None (a new axis) or Ellipsis."""
        if isinstance(item, cst.Slice):
            parts = [
                self.eval(p) if p is not None else None for p in (item.lower, item.upper, item.step)
            ]
            if all(p is None or is_known(p) for p in parts):
                return slice(*parts)
            return slice(UNKNOWN, None)
        assert isinstance(item, cst.Index)
        if isinstance(item.value, cst.Ellipsis):
            return Ellipsis
        return self.eval(item.value)
