"""Code actions: each fix as a quick fix, ``# noqa: CODE`` for the line, and
``source.fixAll.tdlint`` (the fixes ``tdlint check --fix`` applies, verified the same way)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lsprotocol import types

from tdlint import noqa
from tdlint.diagnostics import Applicability, Diagnostic, Fix
from tdlint.fixes import FixError, fix_source, is_applicable
from tdlint.notebook import split_lines
from tdlint.server.analysis import Analysis
from tdlint.server.text import LineIndex

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.tdlint"
QUICK_FIX = types.CodeActionKind.QuickFix.value
# Why another rule's fix is offered for a finding (``analysis.ALTERNATIVES``).
ALTERNATIVE_REASON = {"TDL004": "if one output per timestep is meant"}


@dataclass(frozen=True)
class Request:
    uri: str
    range: types.Range
    only: tuple[str, ...] | None
    unsafe: bool  # unsafe fixes allowed
    disabled_support: bool  # the client shows disabled actions (with the reason)
    resolve_edit: bool  # the client resolves an action's edit later (codeAction/resolve)

    def wants(self, kind: str) -> bool:
        return self.only is None or any(kind == k or kind.startswith(f"{k}.") for k in self.only)


def code_actions(
    analysis: Analysis, request: Request, to_lsp: Callable[[Diagnostic], types.Diagnostic]
) -> list[types.CodeAction]:
    lines = analysis.lines
    actions: list[types.CodeAction] = []
    if request.wants(QUICK_FIX):
        for d in analysis.diagnostics:
            if not _overlaps(lines.range(d.location, d.end_location), request.range):
                continue
            shown = to_lsp(d)
            fixes = [(d.fix, f"{d.fix.message} ({d.code})")] if d.fix and d.fix.edits else []
            for alternative in _alternatives(analysis, d):
                assert alternative.fix is not None
                reason = ALTERNATIVE_REASON.get(alternative.code, f"as {alternative.code} does")
                fixes.append((alternative.fix, f"{alternative.fix.message} ({d.code}: {reason})"))
            for fix, title in fixes:
                action = _quick_fix(fix, title, shown, request, lines)
                if action is not None:
                    actions.append(action)
            suppress = _noqa_action(analysis, d, shown, request.uri)
            if suppress is not None:
                actions.append(suppress)
    fixable = any(is_applicable(d, request.unsafe) for d in analysis.diagnostics)
    if request.wants(FIX_ALL) and fixable:
        actions.append(
            types.CodeAction(
                title="tdlint: fix all auto-fixable problems",
                kind=FIX_ALL,
                data={"uri": request.uri, "version": analysis.version},
            )
        )
    return actions


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether the ranges share a line: a cursor anywhere on a finding's lines gets its fixes."""
    return a.start.line <= b.end.line and b.start.line <= a.end.line


def _alternatives(analysis: Analysis, d: Diagnostic) -> Iterable[Diagnostic]:
    """The other rules' findings on the same code whose fix settles ``d`` another way."""
    from tdlint.server.analysis import ALTERNATIVES

    code = ALTERNATIVES.get(d.code)
    for other in analysis.alternatives:
        if other.code != code or other.fix is None or not other.fix.edits:
            continue
        if other.location.row <= d.end_location.row and d.location.row <= other.end_location.row:
            yield other


def _quick_fix(
    fix: Fix, title: str, shown: types.Diagnostic, request: Request, lines: LineIndex
) -> types.CodeAction | None:
    """The fix as a quick fix. An unsafe fix the settings do not allow is listed disabled,
    with the setting that enables it, for clients that show disabled actions; else not."""
    unsafe = fix.applicability is Applicability.UNSAFE
    action = types.CodeAction(
        title=f"{title} (unsafe)" if unsafe else title,
        kind=QUICK_FIX,
        diagnostics=[shown],
        is_preferred=not unsafe,
    )
    if unsafe and not request.unsafe:
        if not request.disabled_support:
            return None
        action.disabled = types.CodeActionDisabled(
            reason="An unsafe fix: enable the `unsafeFixes` setting (or `unsafe-fixes` in "
            "[tool.tdlint]) to apply it"
        )
        return action
    edits = [
        types.TextEdit(range=lines.offset_range(e.start, e.end), new_text=e.content)
        for e in fix.edits
    ]
    action.edit = types.WorkspaceEdit(changes={request.uri: edits})
    return action


def _noqa_action(
    analysis: Analysis, d: Diagnostic, shown: types.Diagnostic, uri: str
) -> types.CodeAction | None:
    """``# noqa: CODE`` at the end of the finding's statement (merged into a noqa comment
    already there), as ``tdlint check --add-noqa`` writes it."""
    if d.noqa_row is None:
        return None
    text = analysis.text
    found = analysis.suppressions
    row = found.statement_end.get(d.noqa_row, d.noqa_row)
    lines = split_lines(text)
    if not 0 < row <= len(lines):
        return None
    old = lines[row - 1]
    new = noqa.with_codes(old, found.line.get(row), {d.code})
    if new == old:
        return None
    content = old.rstrip("\r\n")
    edit = types.TextEdit(
        range=types.Range(
            start=analysis.lines.position(row - 1, 0),
            end=analysis.lines.position(row - 1, len(content)),
        ),
        new_text=new.rstrip("\r\n"),
    )
    return types.CodeAction(
        title=f"Disable {d.code} for this line (`# noqa: {d.code}`)",
        kind=QUICK_FIX,
        diagnostics=[shown],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def fix_all(analysis: Analysis, unsafe: bool) -> tuple[types.TextEdit | None, str | None]:
    """The whole document, fixed as ``tdlint check --fix`` fixes it (every fixed text must
    parse, and fixing must converge), as one edit; or why not (None when nothing changed)."""
    snapshot = analysis.snapshot
    settings = snapshot.settings
    try:
        outcome = fix_source(
            snapshot.text, snapshot.filename, settings.selection, unsafe, settings.keras_version
        )
    except FixError as exc:
        return None, f"fixes not applied: {exc}"
    if outcome.applied == 0 or outcome.source == snapshot.text:
        return None, None
    lines = analysis.lines
    whole = types.Range(start=types.Position(line=0, character=0), end=lines.end())
    return types.TextEdit(range=whole, new_text=outcome.source), None
