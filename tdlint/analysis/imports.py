"""Import statements: what each imported name refers to, as a dotted path (``Ref``), and
the module-level imports the fixes and rules read (``FileGraph.imports``)."""

from __future__ import annotations

from typing import Any

import libcst as cst

from tdlint.analysis.blocks import dotted, name_of
from tdlint.analysis.graph import ImportedName
from tdlint.analysis.values import Ref
from tdlint.keras.shapes import UNKNOWN


class ImportEvaluator:
    """Mixed into the interpreter."""

    env: Any
    globals: Any
    graph: Any
    in_function: bool

    def exec_import(self, node: cst.Import, line: cst.SimpleStatementLine | None) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            path = dotted(alias.name)
            if path is None:
                continue
            if alias.asname is not None:
                local = name_of(alias.asname.name)
                value: Any = Ref(path)
            else:
                local = path.split(".")[0]
                value = Ref(local)
            if local is None:
                continue
            self.env.vars[local] = value
            self._record_import(local, path if alias.asname else local, line, node)

    def exec_import_from(self, node: cst.ImportFrom, line: cst.SimpleStatementLine | None) -> None:
        module = None  # a relative import is the user's own code, never Keras
        if not node.relative and node.module is not None:
            module = dotted(node.module)
        if isinstance(node.names, cst.ImportStar):
            if module is not None and not self.in_function:
                self.graph.star_imports.append(module)
            return
        for alias in node.names:
            name = name_of(alias.name)
            if name is None:
                continue
            local = name_of(alias.asname.name) if alias.asname is not None else name
            if local is None:
                continue
            if module is None:
                self.env.vars[local] = UNKNOWN
                continue
            self.env.vars[local] = Ref(f"{module}.{name}")
            self._record_import(local, f"{module}.{name}", line, node)

    def _record_import(
        self, local: str, path: str, line: cst.SimpleStatementLine | None, node: Any
    ) -> None:
        if line is not None and not self.in_function and self.env is self.globals:
            self.graph.imports.append(ImportedName(local, path, line, node))
