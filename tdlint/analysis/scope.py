"""Names in scope while the interpreter walks a file: a function's locals over the module's
globals."""

from __future__ import annotations

from typing import Any

from tdlint.keras.shapes import UNKNOWN


class Env:
    """Names in scope: locals, falling back to the module's globals."""

    def __init__(self, parent: Env | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Any]:
        if name in self.vars:
            return True, self.vars[name]
        if self.parent is not None:
            return self.parent.lookup(name)
        return False, UNKNOWN

    def copy(self) -> Env:
        clone = Env(self.parent)
        clone.vars = dict(self.vars)
        return clone
