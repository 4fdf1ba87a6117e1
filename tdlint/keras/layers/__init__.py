"""Catalogue entries, one module per family; importing this package registers them all."""

from tdlint.keras.layers import attention, conv, core, merge, preprocessing, recurrent, reshaping

__all__ = ["attention", "conv", "core", "merge", "preprocessing", "recurrent", "reshaping"]
