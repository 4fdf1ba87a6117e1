"""File names given to Keras's saving calls, read statically: how a path ends, whether that
end is one Keras accepts, and the literal rewritten with another extension (TDL311).

tdlint never runs the code, so a path is judged only by the text it is known to end with: a
string literal (the whole path), the literal text that ends an f-string
(``f"{out}/epoch_{epoch}.hdf5"``), the last literal of ``os.path.join(...)``, of ``a + "..."``
or of ``Path(d) / "..."``, or the one literal a module-level constant is bound to.  Anything
else is unknown and never reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from tdlint.rules.base import RuleContext

# The HDF5 extensions Keras 1 and 2 examples use, which a fix replaces (case aside: Keras
# compares case-sensitively, so ``.H5`` is refused too).
_HDF5 = (".hdf5", ".hdf", ".h5")
_SEPARATORS = ("/", "\\")


@dataclass(frozen=True)
class PathEnd:
    """What is known of a path: the text it ends with, whether that is all of it, and the
    literal a fix may rewrite (None for a path built by an expression)."""

    text: str
    whole: bool
    literal: cst.SimpleString | cst.FormattedString | None
    shown: str  # how messages name it: 'model.h5', f"...{epoch}.hdf5", `WEIGHTS` ('w.h5')


def path_end(ctx: RuleContext, expr: cst.BaseExpression) -> PathEnd | None:
    """How ``expr`` ends, if that is known (see the module docstring), else None."""
    return _end(ctx, expr, constants=True)


def _end(ctx: RuleContext, expr: cst.BaseExpression, constants: bool) -> PathEnd | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return PathEnd(value, True, expr, repr(value)) if isinstance(value, str) else None
    if isinstance(expr, cst.FormattedString):
        last = expr.parts[-1] if expr.parts else None
        if not isinstance(last, cst.FormattedStringText):
            return None
        return PathEnd(_unescape_braces(last.value), False, expr, ctx.code(expr))
    built = _last_literal(expr)
    if built is not None:
        tail, separator = built
        end = _end(ctx, tail, constants=False)
        if end is None:
            return None
        text = separator + end.text
        return PathEnd(text, False, None, f"a path ending in {text!r}")
    if constants and isinstance(expr, cst.Name):
        value = module_constants(ctx).get(expr.value)
        end = _end(ctx, value, constants=False) if value is not None else None
        if end is not None:
            return PathEnd(end.text, end.whole, None, f"`{expr.value}` ({end.shown})")
    return None


def _last_literal(expr: cst.BaseExpression) -> tuple[cst.BaseExpression, str] | None:
    """The expression that ends a path built by ``a + "x"``, ``Path(a) / "x"`` or
    ``os.path.join(a, "x")``, and the separator before it (``/`` for a whole file name)."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        return expr.right, ""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return _component(expr.right)
    func = expr.func if isinstance(expr, cst.Call) else None
    if (
        isinstance(expr, cst.Call)
        and isinstance(func, cst.Attribute)
        and func.attr.value == "join"
        and _dotted(func.value).endswith("path")
        and expr.args
        and not expr.args[-1].star
    ):
        return _component(expr.args[-1].value)
    return None


def _component(expr: cst.BaseExpression) -> tuple[cst.BaseExpression, str] | None:
    """A file name joined on as a path component: only a literal one is known whole."""
    return (expr, "/") if isinstance(expr, cst.SimpleString) else None


def _dotted(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return f"{_dotted(expr.value)}.{expr.attr.value}"
    return ""


def _unescape_braces(text: str) -> str:
    return text.replace("{{", "{").replace("}}", "}")


def refused(end: PathEnd, accepted: tuple[str, ...]) -> bool:
    """Whether a path that ends as ``end`` says ends with none of ``accepted`` (Keras's
    ``str.endswith`` tests).  An f-string's end decides when it holds the extension (its
    last dot): ``f"{run}.h5"`` is taken for a name that does not end in ``.weights.h5``."""
    text = end.text
    if any(text.endswith(suffix) for suffix in accepted):
        return False
    if end.whole:
        return True
    # The unknown part before ``text`` could complete a suffix only if ``text`` is a
    # proper end of it; a ``text`` that starts with the extension's dot is taken as is.
    undecided = any(len(text) < len(s) and s.endswith(text) for s in accepted)
    return not undecided or text.startswith(".")


# ------------------------------------------------------------------------ new names


def as_weights(text: str) -> str:
    """The name Keras 3's weights files must have: ``model.h5`` -> ``model.weights.h5``,
    ``ckpt/`` -> ``ckpt.weights.h5``, ``model.weights.hdf5`` -> ``model.weights.h5``."""
    stem = _without_hdf5(text)
    stem = text.rstrip("/") if stem is None else stem
    return stem + (".h5" if stem.endswith(".weights") else ".weights.h5")


def as_model(text: str, default: str = ".keras") -> str:
    """A whole-model file name: an HDF5 spelling Keras 3 refuses becomes ``.h5`` (the same
    format); anything else, a SavedModel folder name, gains ``default``."""
    stem = _without_hdf5(text)
    if stem is not None:
        return stem + ".h5"
    return text.rstrip("/") + default


def is_hdf5(text: str) -> bool:
    """Whether a name ends in an HDF5 extension (any case)."""
    return _without_hdf5(text) is not None


def folder(
    module: cst.Module,
    literal: cst.SimpleString | cst.FormattedString,
    rename: Callable[[str], str],
) -> str | None:
    """The folder the renamed file goes in, as written (``saved_model`` for
    ``"saved_model/1"``, ``{out}`` for ``f"{out}/best.hdf5"``), or None for the current one."""
    if isinstance(literal, cst.SimpleString):
        value = literal.evaluated_value
        text = rename(value) if isinstance(value, str) else ""
    else:
        *parts, last = literal.parts
        text = "".join(module.code_for_node(p) for p in parts)
        text += rename(last.value) if isinstance(last, cst.FormattedStringText) else ""
    head = text.replace(_SEPARATORS[1], _SEPARATORS[0]).rpartition(_SEPARATORS[0])[0]
    return head if head not in ("", ".") else None


def _without_hdf5(text: str) -> str | None:
    lowered = text.lower()
    for extension in _HDF5:
        if lowered.endswith(extension):
            return text[: -len(extension)]
    return None


def rewritten(
    module: cst.Module,
    literal: cst.SimpleString | cst.FormattedString,
    rename: Callable[[str], str],
) -> str | None:
    """The code of ``literal`` with its (end) text renamed, in its own quotes; None when that
    cannot be done faithfully (an escape sequence at the end, a trailing backslash)."""
    if isinstance(literal, cst.SimpleString):
        value = literal.evaluated_value
        if not isinstance(value, str) or value.endswith(_SEPARATORS[1]):
            return None
        raw = literal.raw_value
        new = literal.with_changes(
            value=f"{literal.prefix}{literal.quote}{rename(raw)}{literal.quote}"
        )
        try:
            ok = new.evaluated_value == rename(value)
        except (SyntaxError, ValueError):
            ok = False
        return module.code_for_node(new) if ok else None
    last = literal.parts[-1]
    assert isinstance(last, cst.FormattedStringText)
    if last.value.endswith(_SEPARATORS[1]):
        return None
    parts = [*literal.parts[:-1], last.with_changes(value=rename(last.value))]
    return module.code_for_node(literal.with_changes(parts=parts))


def same_path(a: cst.BaseExpression, b: cst.BaseExpression, module: cst.Module) -> bool:
    """Whether two path literals name the same file: equal strings, or f-strings of the same
    code."""
    if isinstance(a, cst.SimpleString) and isinstance(b, cst.SimpleString):
        return a.evaluated_value == b.evaluated_value
    if isinstance(a, cst.FormattedString) and isinstance(b, cst.FormattedString):
        return module.code_for_node(a) == module.code_for_node(b)
    return False


# ------------------------------------------------------------------ module constants


def module_constants(ctx: RuleContext) -> dict[str, cst.BaseExpression]:
    """Names bound once in the whole file, by a module-level ``NAME = value``: their value.
    A name bound anywhere else too (a parameter, a loop, ``global``...) is left out."""
    return ctx.memo("save-paths:constants", lambda: _constants(ctx.module))


def _constants(module: cst.Module) -> dict[str, cst.BaseExpression]:
    bindings = _Bindings()
    module.visit(bindings)
    found: dict[str, cst.BaseExpression] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
            ):
                name = small.targets[0].target.value
                if bindings.count[name] == 1:
                    found[name] = small.value
    return found


class _Bindings(cst.CSTVisitor):
    """How often each name is bound anywhere in a module."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()

    def _targets(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Name):
            self.count[node.value] += 1
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._targets(element.value)
        elif isinstance(node, cst.StarredElement):
            self._targets(node.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._targets(node.name)

    def visit_Param(self, node: cst.Param) -> None:
        self._targets(node.name)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._targets(item.name)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self._targets(item.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._targets(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._targets(node.name)
