"""Code actions: each fix as a quick fix, ``# noqa: CODE`` for the line, and
``source.fixAll.tdlint`` (the fixes ``tdlint check --fix`` applies, verified the same way)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from lsprotocol import types

from tdlint import noqa
from tdlint.config import Settings
from tdlint.diagnostics import Applicability, Diagnostic, Fix, FixMode
from tdlint.fixes import FixError, fix_source, is_applicable
from tdlint.notebook import split_lines
from tdlint.server.analysis import Analysis
from tdlint.server.views import View

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.tdlint"
QUICK_FIX = types.CodeActionKind.QuickFix.value


@dataclass(frozen=True)
class Request:
    range: types.Range
    only: tuple[str, ...] | None
    unsafe: bool  # unsafe fixes applied by fix-all (`unsafe-fixes`, or the editor's setting)
    disabled_support: bool  # the client shows disabled actions (with the reason)
    # Unsafe fixes offered one by one, as quick fixes the user picks (ruff's way): unless the
    # editor's `unsafeFixes` setting is false.
    unsafe_quick_fixes: bool = True

    def wants(self, kind: str) -> bool:
        return self.only is None or any(kind == k or kind.startswith(f"{k}.") for k in self.only)


def code_actions(view: View, request: Request) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    if request.wants(QUICK_FIX):
        for d in view.diagnostics():
            if _overlaps(view.range(d), request.range):
                actions.extend(_for_diagnostic(view, d, request))
    fixable = any(is_applicable(d, request.unsafe) for d in view.analysis.diagnostics)
    if request.wants(FIX_ALL) and fixable:
        actions.append(
            types.CodeAction(
                title="tdlint: fix all auto-fixable problems",
                kind=FIX_ALL,
                data={"uri": view.uri, "version": view.analysis.version},
            )
        )
    return actions


def _for_diagnostic(view: View, d: Diagnostic, request: Request) -> Iterator[types.CodeAction]:
    """The finding's fix, the other ways to fix it (``Diagnostic.alternatives``: each
    remedy its help names), then ``# noqa``."""
    shown = view.to_lsp(d)
    fixes = [(None, d.fix)] if d.fix is not None and d.fix.edits else []
    fixes += [(index, fix) for index, fix in enumerate(d.alternatives) if fix.edits]
    for index, fix in fixes:
        assert fix is not None
        action = _quick_fix(view, d, index, fix, f"{fix.message} ({d.code})", shown, request)
        if action is not None:
            yield action
    suppress = _noqa_action(view, d, shown)
    if suppress is not None:
        yield suppress


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether the ranges share a line: a cursor anywhere on a finding's lines gets its fixes."""
    return a.start.line <= b.end.line and b.start.line <= a.end.line


def _quick_fix(
    view: View,
    owner: Diagnostic,
    index: int | None,
    fix: Fix,
    title: str,
    shown: types.Diagnostic,
    request: Request,
) -> types.CodeAction | None:
    """The fix as a quick fix, labelled when unsafe. An unsafe fix the editor's settings turn
    off is listed disabled, with the setting, for clients that show disabled actions; else
    not at all."""
    unsafe = fix.applicability is Applicability.UNSAFE
    action = types.CodeAction(
        title=f"{title} (unsafe)" if unsafe else title,
        kind=QUICK_FIX,
        diagnostics=[shown],
        is_preferred=not unsafe,
    )
    if unsafe and not request.unsafe_quick_fixes:
        if not request.disabled_support:
            return None
        action.disabled = types.CodeActionDisabled(
            reason="An unsafe fix: the editor's `unsafeFixes` setting is off"
        )
        return action
    edits = view.edits(owner, index)
    if edits is None:
        return None
    action.edit = types.WorkspaceEdit(changes=edits)  # type: ignore[arg-type]
    return action


def _noqa_action(view: View, d: Diagnostic, shown: types.Diagnostic) -> types.CodeAction | None:
    """``# noqa: CODE`` at the end of the finding's statement (merged into a noqa comment
    already there), as ``tdlint check --add-noqa`` writes it."""
    if d.noqa_row is None:
        return None
    found = view.suppressions
    row = found.statement_end.get(d.noqa_row, d.noqa_row)
    lines = split_lines(view.text)
    if not 0 < row <= len(lines):
        return None
    old = lines[row - 1]
    new = noqa.with_codes(old, found.line.get(row), {d.code})
    if new == old:
        return None
    content = old.rstrip("\r\n")
    edit = types.TextEdit(
        range=types.Range(
            start=view.lines.position(row - 1, 0),
            end=view.lines.position(row - 1, len(content)),
        ),
        new_text=new.rstrip("\r\n"),
    )
    return types.CodeAction(
        title=f"Disable {d.code} for this line (`# noqa: {d.code}`)",
        kind=QUICK_FIX,
        diagnostics=[shown],
        edit=types.WorkspaceEdit(changes={view.uri: [edit]}),
    )


def fix_all(analysis: Analysis, unsafe: bool) -> tuple[dict[str, list[types.TextEdit]], str | None]:
    """The document fixed as ``tdlint check --fix`` fixes it (every fixed text must parse,
    and fixing must converge): whole-document edits (one per changed cell of a notebook), or
    why not."""
    snapshot = analysis.snapshot
    settings = snapshot.settings
    if snapshot.cells is not None:
        return _fix_notebook(analysis, unsafe)
    try:
        outcome = fix_source(
            snapshot.text, snapshot.filename, settings.selection, unsafe, settings.keras_version
        )
    except FixError as exc:
        return {}, f"fixes not applied: {exc}"
    if outcome.applied == 0 or outcome.source == snapshot.text:
        return {}, None
    return {snapshot.uri: [_whole(analysis.lines.end(), outcome.source)]}, None


def _whole(end: types.Position, text: str) -> types.TextEdit:
    start = types.Position(line=0, character=0)
    return types.TextEdit(range=types.Range(start=start, end=end), new_text=text)


def _fix_notebook(
    analysis: Analysis, unsafe: bool
) -> tuple[dict[str, list[types.TextEdit]], str | None]:
    from tdlint.api import check_notebook_text
    from tdlint.server.text import LineIndex

    snapshot = analysis.snapshot
    settings = Settings(keras_version=snapshot.settings.keras_version, unsafe_fixes=unsafe)
    result = check_notebook_text(
        snapshot.text, snapshot.filename, settings, FixMode.DIFF, snapshot.settings.selection
    )
    if result.error is not None:
        return {}, result.error
    if result.fixed_source is None:
        return {}, None
    fixed = json.loads(result.fixed_source)["cells"]
    edits: dict[str, list[types.TextEdit]] = {}
    for cell, data in zip(snapshot.cells or (), fixed, strict=True):
        source = data["source"]
        text = source if isinstance(source, str) else "".join(source)
        if cell.code and text != cell.text:
            end = LineIndex(cell.text, snapshot.encoding).end()
            edits[cell.uri] = [_whole(end, text)]
    return edits, None
