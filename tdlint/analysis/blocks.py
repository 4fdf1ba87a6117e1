"""The shape of statements, read from the CST without evaluating anything: the blocks inside a
compound statement, whether a loop can leave early, dotted names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst


def has_body(node: Any) -> bool:
    return isinstance(getattr(node, "body", None), cst.IndentedBlock)


def body_of(node: Any) -> Sequence[Any]:
    body = getattr(node, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return body.body
    return []


def breaks(body: Sequence[Any], nested: bool = False) -> bool:
    """Whether a loop body may leave early (then it cannot be unrolled exactly): a ``break``
    or ``continue`` of this loop, or a ``return`` anywhere. Statements only: these never hide
    inside expressions."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Return):
                    return True
                if isinstance(small, (cst.Break, cst.Continue)) and not nested:
                    return True
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(stmt, (cst.For, cst.While)):
            inner = breaks(body_of(stmt), nested=True)
            if inner or breaks(body_of(stmt.orelse) if stmt.orelse else (), nested):
                return True
        elif any(breaks(suite, nested) for suite in suites(stmt)):
            return True
    return False


def suites(stmt: Any) -> list[Sequence[Any]]:
    """The statement lists inside a compound statement (if/elif/else, try, with, match)."""
    found = [body_of(stmt)]
    orelse = getattr(stmt, "orelse", None)
    if isinstance(orelse, cst.If):
        found.extend(suites(orelse))
    elif orelse is not None:
        found.append(body_of(orelse))
    for handler in getattr(stmt, "handlers", ()):
        found.append(body_of(handler))
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        found.append(body_of(final))
    for case in getattr(stmt, "cases", ()):
        found.append(body_of(case))
    return found


def dotted(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def name_of(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    return dotted(node)


def expects_an_error(expr: cst.BaseExpression) -> bool:
    """``pytest.raises(...)``, ``self.assertRaises(...)``, ``assertRaisesRegex(...)``."""
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
    return isinstance(name, str) and (name == "raises" or name.startswith("assertRaises"))
