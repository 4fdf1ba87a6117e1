"""pandas as tdlint sees it: a DataFrame is a table of rows by columns, a Series one column.

What matters for the model-versus-data checks is the rank of what reaches ``fit``: a column
(``df["close"]``, ``df.iloc[:, 0]``) becomes a 1D array, a selection of columns
(``df[["a", "b"]]``, ``df.iloc[:, 1:3]``) a 2D one, and ``.values``/``.to_numpy()`` hands
that over to NumPy. Row counts come from files, so they stay unknown; a column count is kept
when the code states it. Anything else is unknown, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.arrays import Array
from tdlint.analysis.values import DataObject
from tdlint.keras.shapes import UNKNOWN, is_known

# Methods that give a table of the same columns (rows may differ: they are unknown anyway).
_SAME_COLUMNS = frozenset(
    {
        "abs", "astype", "bfill", "clip", "copy", "cummax", "cummin", "cumprod", "cumsum",
        "diff", "dropna", "ffill", "fillna", "head", "interpolate", "pct_change", "rank",
        "replace", "round", "sample", "shift", "sort_index", "sort_values", "tail",
        "drop_duplicates", "rename", "reindex", "where", "mask", "infer_objects",
    }
)  # fmt: skip
# What a function applied to each value of a Series gives: a Series (on a DataFrame, it may
# be either).
_ELEMENTWISE = frozenset({"apply", "map", "transform"})
# Methods that give a table whose columns tdlint does not count.
_OTHER_TABLE = frozenset(
    {"drop", "filter", "reset_index", "set_index", "merge", "join", "select_dtypes", "pivot"}
)
# Reductions over the rows (the default axis): one value per column.
_REDUCTIONS = frozenset(
    {"mean", "sum", "std", "var", "min", "max", "median", "count", "nunique", "prod"}
)
# pandas functions that read or build a table.
_READERS = frozenset(
    {
        "read_csv", "read_excel", "read_json", "read_parquet", "read_table", "read_sql",
        "read_pickle", "read_feather", "read_hdf", "read_fwf", "read_html", "concat", "merge",
        "get_dummies", "pivot_table", "crosstab",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Frame(DataObject):
    """A DataFrame: ``columns`` is their count when the code states it, else unknown."""

    columns: Any = UNKNOWN

    def attribute(self, name: str) -> Any:
        if name == "values":
            return Array((UNKNOWN, self.columns))
        if name == "shape":
            return (UNKNOWN, self.columns)
        if name == "ndim":
            return 2
        if name in ("iloc", "loc"):
            return Indexer(self, positional=name == "iloc")
        if name == "T":
            return Frame(UNKNOWN)
        if name == "index":
            return Series()
        if name in ("columns", "dtypes", "size", "empty", "at", "iat", "style", "plot"):
            return UNKNOWN
        return Series()  # ``df.close``: a column by attribute

    def call(self, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if method == "to_numpy":
            return Array((UNKNOWN, self.columns))
        if method in _SAME_COLUMNS:
            return self
        if method in _OTHER_TABLE:
            return Frame(UNKNOWN)
        if method == "pop":
            return Series()
        if method in _REDUCTIONS and keywords.get("axis", 0) in (0, "index"):
            return Series()
        return UNKNOWN

    def index(self, items: list[Any]) -> Any:
        if len(items) != 1:
            return UNKNOWN
        key = items[0]
        if isinstance(key, str):
            return Series()
        if isinstance(key, list) and key and all(isinstance(k, str) for k in key):
            return Frame(len(key))
        if isinstance(key, slice):
            return self  # rows
        return UNKNOWN  # a boolean mask or a name tdlint cannot read


@dataclass(frozen=True)
class Series(DataObject):
    """A Series: one column (or one row) of values."""

    def attribute(self, name: str) -> Any:
        if name == "values":
            return Array((UNKNOWN,))
        if name == "shape":
            return (UNKNOWN,)
        if name == "ndim":
            return 1
        if name in ("iloc", "loc"):
            return Indexer(self, positional=name == "iloc")
        if name == "index":
            return Series()
        return UNKNOWN

    def call(self, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if method in ("to_numpy", "unique"):
            return Array((UNKNOWN,))
        if method == "to_frame":
            return Frame(1)
        if method in _SAME_COLUMNS or method in _ELEMENTWISE or method == "value_counts":
            return self
        return UNKNOWN

    def index(self, items: list[Any]) -> Any:
        return self if len(items) == 1 and isinstance(items[0], slice) else UNKNOWN


@dataclass(frozen=True)
class Indexer(DataObject):
    """``.iloc``/``.loc`` of a table: ``[rows, columns]``."""

    table: Frame | Series
    positional: bool

    def index(self, items: list[Any]) -> Any:
        if isinstance(self.table, Series):
            return self.table.index(items)
        rows = items[0] if items else None
        if len(items) == 1:
            return self.table if isinstance(rows, slice) else UNKNOWN
        if len(items) != 2 or not isinstance(rows, slice):
            return UNKNOWN  # one row (a Series of its values) or a mask: not tracked
        return self._columns(items[1])

    def _columns(self, key: Any) -> Any:
        if isinstance(key, list):
            return Frame(len(key))
        if isinstance(key, slice):
            return Frame(self._slice_count(key))
        if self.positional and is_known(key):
            return Series()
        if not self.positional and isinstance(key, str):
            return Series()
        return UNKNOWN

    def _slice_count(self, key: slice) -> Any:
        columns = getattr(self.table, "columns", UNKNOWN)
        bounds = (key.start, key.stop, key.step)
        if not self.positional or not all(b is None or is_known(b) for b in bounds):
            return UNKNOWN
        if is_known(columns):
            return len(range(*key.indices(columns)))
        start, stop, step = key.start or 0, key.stop, key.step or 1
        if stop is None or start < 0 or stop < 0 or step <= 0:
            return UNKNOWN
        return len(range(start, stop, step))


def pandas_call(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``pandas.<name>(...)``: the tables it reads or builds."""
    if name in _READERS:
        return Frame(UNKNOWN)
    if name == "DataFrame":
        data = positional[0] if positional else keywords.get("data")
        columns = keywords.get("columns")
        if isinstance(columns, (list, tuple)):
            return Frame(len(columns))
        if isinstance(data, dict):
            return Frame(len(data))
        if isinstance(data, Array) and data.rank == 2:
            return Frame(data.shape[1])  # type: ignore[index]
        return Frame(UNKNOWN)
    if name in ("Series", "to_datetime", "to_numeric"):
        return Series()
    return UNKNOWN
