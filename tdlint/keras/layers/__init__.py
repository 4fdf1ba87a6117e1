"""Catalogue entries, one module per family; importing this package registers them all."""

from tdlint.keras.layers import conv, core, merge, recurrent

__all__ = ["conv", "core", "merge", "recurrent"]
