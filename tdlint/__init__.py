"""tdlint: a static shape checker and linter for Keras model code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["__version__", "check_paths", "check_source", "infer_shapes"]

if TYPE_CHECKING:
    from tdlint.api import check_paths, check_source, infer_shapes


def __getattr__(name: str) -> Any:
    # The API pulls in LibCST; keep `import tdlint` (and `tdlint --version`) cheap.
    if name in ("check_paths", "check_source", "infer_shapes"):
        from tdlint import api

        return getattr(api, name)
    raise AttributeError(f"module 'tdlint' has no attribute {name!r}")
