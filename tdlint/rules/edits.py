"""Edit builders shared by fixes: spelling a Keras layer the way the file already does, adding
the imports it needs, and rewriting calls.

Imports follow the file's own style: ``layers.Dense`` gives ``layers.TimeDistributed``; a bare
``Dense`` from ``from keras.layers import Dense`` gives a bare ``TimeDistributed`` added to that
same import statement (or a new ``from <package>.layers import ...`` line beside it).  Star
imports are left alone: a name they already provide needs no import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from tdlint.analysis.graph import FileGraph, ImportedName, Layer
from tdlint.diagnostics import NodeEdit
from tdlint.keras import names


@dataclass
class ImportPlan:
    """The names a fix needs from one layers package, and names it stops using."""

    graph: FileGraph
    package: str  # e.g. "keras.layers" or "tensorflow.keras.layers"
    add: list[str] = field(default_factory=list)
    remove: list[ImportedName] = field(default_factory=list)

    def edits(self) -> list[NodeEdit]:
        by_statement: dict[int, tuple[cst.ImportFrom, list[str], list[str]]] = {}
        target = self._target_statement() if self.add else None
        for imported in self.remove:
            if isinstance(imported.node, cst.ImportFrom):
                entry = by_statement.setdefault(id(imported.node), (imported.node, [], []))
                entry[2].append(imported.local)
        if target is not None:
            entry = by_statement.setdefault(id(target.node), (target.node, [], []))  # type: ignore[arg-type]
            entry[1].extend(self.add)
        edits = [self._rewrite(node, add, remove) for node, add, remove in by_statement.values()]
        if self.add and target is None:
            edits.append(self._new_statement())
        return edits

    def _target_statement(self) -> ImportedName | None:
        """An existing ``from <package> import a, b`` to extend."""
        for imported in self.graph.imports:
            node = imported.node
            if (
                isinstance(node, cst.ImportFrom)
                and not isinstance(node.names, cst.ImportStar)
                and imported.path.rpartition(".")[0] == self.package
                and len(imported.statement.body) == 1
            ):
                return imported
        return None

    def _rewrite(self, node: cst.ImportFrom, add: list[str], remove: list[str]) -> NodeEdit:
        assert not isinstance(node.names, cst.ImportStar)
        kept = [a for a in node.names if _alias_local(a) not in remove]
        present = {_alias_local(a) for a in kept}
        aliases = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
        aliases += [cst.ImportAlias(cst.Name(n)) for n in add if n not in present]
        if not aliases:
            # Every name of the statement is gone: drop the whole line.
            statement = next(i.statement for i in self.graph.imports if i.node is node)
            return NodeEdit(statement, "", whole_lines=True)
        aliases = [
            a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            for a in aliases[:-1]
        ] + [aliases[-1]]
        new = node.with_changes(names=aliases, lpar=None, rpar=None)
        return NodeEdit(node, self.graph.module.code_for_node(new))

    def _new_statement(self) -> NodeEdit:
        """A new import line, placed before the first Keras import of the module."""
        anchor = next(
            (i.statement for i in self.graph.imports if names.canonical(i.path)),
            first_import(self.graph),
        )
        newline = self.graph.module.default_newline
        line = f"from {self.package} import {', '.join(self.add)}{newline}"
        if anchor is None:
            first = self.graph.module.body[0]
            return NodeEdit(first, line, insert_before=True)
        return NodeEdit(anchor, line, insert_before=True)


def first_import(graph: FileGraph) -> cst.SimpleStatementLine | None:
    """The first import statement a new one may go before: never a ``from __future__``
    import, which must stay first."""
    for imported in graph.imports:
        if not imported.path.startswith("__future__."):
            return imported.statement
    return None


def _alias_local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name = alias.name
    return name.value if isinstance(name, cst.Name) else ""


def spell_layer(graph: FileGraph, like: Layer, target: str, plan: ImportPlan) -> str:
    """Code naming Keras layer ``target`` in the style ``like``'s constructor is written.

    Adds to ``plan`` whatever import that spelling needs."""
    return spell_layer_like(graph, like.call, like.path, target, plan)


def spell_layer_like(
    graph: FileGraph, call: cst.Call, path: str, target: str, plan: ImportPlan
) -> str:
    """``spell_layer`` for a constructor ``call`` of the layer at dotted ``path``."""
    func = call.func
    package = names.layer_module_of(path)
    if isinstance(func, cst.Attribute) and package and path.rpartition(".")[0] == package:
        return f"{graph.module.code_for_node(func.value)}.{target}"
    local = existing_name(graph, target)
    if local is not None:
        return local
    if any(names.star_import_exports(m, target) for m in graph.star_imports):
        return target
    if target not in plan.add:
        plan.add.append(target)
    return target


def bound_name(graph: FileGraph, *paths: str) -> str | None:
    """A module-level name the file already binds to one of the Keras ``paths``
    (canonical: ``tensorflow.keras.ops`` counts as ``keras.ops``)."""
    for local, path in graph.keras_names.items():
        if names.canonical(path) in paths:
            return local
    return None


def existing_name(graph: FileGraph, target: str) -> str | None:
    """A module-level name already bound to Keras layer ``target``."""
    for local, path in graph.keras_names.items():
        obj = names.resolve(path)
        if obj is not None and obj.kind == "layer" and obj.name == target:
            return local
    return None


def layers_package(layer: Layer) -> str:
    return layers_package_of(layer.path)


def layers_package_of(path: str) -> str:
    """Where new layer imports come from: the ``layers`` package the file already uses."""
    return names.layer_module_of(path) or "keras.layers"


def call_with_keyword(module: cst.Module, call: cst.Call, keyword: str, value: str) -> str:
    """The call's code with ``keyword=value`` set (replaced if present, else appended)."""
    new_value = cst.parse_expression(value)
    args = list(call.args)
    for i, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            args[i] = arg.with_changes(value=new_value)
            return module.code_for_node(call.with_changes(args=args))
    new_arg = cst.Arg(
        value=new_value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    if args:
        last = args[-1]
        if last.comma is cst.MaybeSentinel.DEFAULT or not isinstance(last.comma, cst.Comma):
            args[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        else:
            new_arg = new_arg.with_changes(comma=last.comma)
            args[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
    args.append(new_arg)
    return module.code_for_node(call.with_changes(args=args))


def statement_block(
    module: cst.Module, node: cst.CSTNode
) -> tuple[tuple[cst.BaseStatement, ...], int] | None:
    """The statements of the block that holds ``node`` (the module's or a function's
    body...), and the index of the one ``node`` is in: what a fix that moves or adds whole
    statements works on.  One walk, asked for only when such a fix is built."""
    finder = _StatementFinder(node)
    module.visit(finder)
    return finder.found


class _StatementFinder(cst.CSTVisitor):
    def __init__(self, target: cst.CSTNode) -> None:
        self.target = target
        self.blocks: list[tuple[cst.BaseStatement, ...]] = []
        self.statements: list[cst.BaseStatement] = []
        self.found: tuple[tuple[cst.BaseStatement, ...], int] | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found is not None:
            return False
        if node is self.target and self.statements:
            statement = self.statements[-1]
            block = self.blocks[-1]
            self.found = (block, next(i for i, s in enumerate(block) if s is statement))
            return False
        if isinstance(node, (cst.Module, cst.IndentedBlock)):
            self.blocks.append(tuple(node.body))
        elif isinstance(node, cst.BaseStatement) and self.blocks and _holds(self.blocks[-1], node):
            self.statements.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, (cst.Module, cst.IndentedBlock)):
            self.blocks.pop()
        elif self.statements and original_node is self.statements[-1]:
            self.statements.pop()


def _holds(block: tuple[cst.BaseStatement, ...], node: cst.CSTNode) -> bool:
    return any(statement is node for statement in block)


def bound_otherwise(graph: FileGraph, name: str, keras_path: str = "") -> bool:
    """Whether the file already gives ``name`` another meaning: a ``def``, ``class``,
    assignment or loop variable, or an import of something other than ``keras_path``.  A
    fix must not import a Keras ``add`` over the user's own ``add`` function."""
    for imported in graph.imports:
        if imported.local == name and names.canonical(imported.path) != keras_path:
            return True
    return _binding(name).search(graph.source) is not None


def _binding(name: str) -> re.Pattern[str]:
    n = re.escape(name)
    return re.compile(
        rf"(?m)^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+{n}\b"
        rf"|^[ \t]*{n}[ \t]*(?::[^=\n]*)?=(?!=)"
        rf"|^[ \t]*for[ \t]+{n}[ \t]+in\b"
        rf"|^[ \t]*with\b[^\n]*\bas[ \t]+{n}\b"
    )
