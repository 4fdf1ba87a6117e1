"""Parsing a file for analysis, as cheaply as LibCST allows.

Two costs of a LibCST parse buy nothing when the tree is only read:

* Every node runs its ``_validate`` method when it is constructed (from ``__post_init__``),
  which checks invariants that matter for trees built by hand. The native parser builds
  valid trees by construction; LibCST's own source says as much ("It might make more sense
  to move validation work into the visitor, which would allow us to avoid validating the
  tree when parsing a file"). Skipping it saves about 12% of the parse.
* The cyclic garbage collector walks the young tree over and over while it grows (a parse
  allocates hundreds of thousands of nodes). Pausing it for one file saves about 10% of a
  check; whatever the file leaves behind is collected as soon as it is re-enabled.

Trees checked against the rewritten code (fixes, ``--add-noqa``) are still parsed with full
validation: those parses guard what gets written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst

_VALIDATING_POST_INIT = cst.CSTNode.__dict__.get("__post_init__")


def _skips_only_validation() -> bool:
    """Whether LibCST's ``CSTNode.__post_init__`` still does nothing but validate (if a later
    version gives it other work, nodes are built the normal way)."""
    code = getattr(_VALIDATING_POST_INIT, "__code__", None)
    return code is not None and code.co_names == ("_validate",)


# Nodes whose validation rejects code that Python rejects too but the native parser lets
# through (found by trying: ``"a" b"b"``, and a bare ``except:`` before another handler).
# They keep validating, so such files still get TDL000.
_STILL_VALIDATED = (cst.ConcatenatedString, cst.Try)

_CAN_SKIP_VALIDATION = _skips_only_validation() and not any(
    "__post_init__" in vars(cls) for cls in _STILL_VALIDATED
)


def _no_validation(self: cst.CSTNode) -> None:
    pass


def parse_for_analysis(source: str) -> cst.Module:
    """``libcst.parse_module`` with per-node validation only where it finds syntax errors.
    Raises what ``parse_module`` raises."""
    if not _CAN_SKIP_VALIDATION:
        return cst.parse_module(source)
    cst.CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    for cls in _STILL_VALIDATED:
        cls.__post_init__ = _VALIDATING_POST_INIT  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        cst.CSTNode.__post_init__ = _VALIDATING_POST_INIT  # type: ignore[method-assign]
        for cls in _STILL_VALIDATED:
            del cls.__post_init__


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the duration (reference counting still frees
    almost everything); restored to how it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
