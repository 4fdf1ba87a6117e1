"""Applying fixes: choose by safety, apply non-overlapping edits, re-check until stable.

Like ruff, fixing iterates: fixes whose edits overlap are deferred to the next round, after
the file has been re-analysed.  Every round's result must parse (and compile, if the file
did: Python's compiler is run on it, never the code), and the loop must converge
(a last check finds nothing more to fix); otherwise the file is left as it was.  Writing is
``SourceFile.write``'s job: atomic, keeping mode, encoding, BOM and line endings.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import libcst as cst

from tdlint.config import Selection
from tdlint.diagnostics import Applicability, Diagnostic, Edit, FileResult, Severity
from tdlint.engine import check_source
from tdlint.rules import SYNTAX_ERROR

MAX_ROUNDS = 10


class FixError(RuntimeError):
    """A fix produced code that does not parse, or fixing did not converge."""


def is_applicable(diagnostic: Diagnostic, unsafe: bool) -> bool:
    fix = diagnostic.fix
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


def apply_edits(source: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, int]:
    """Apply the fixes of ``diagnostics`` whose edits do not overlap; return the new text and
    how many fixes went in."""
    fixed, applied = _apply(source, diagnostics)
    return fixed, len(applied)


def _apply(source: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, list[Diagnostic]]:
    """The new text, and the diagnostics whose fixes went in. A fix whose edits are all
    already taken (two findings of one defect with the same remedy) counts as applied: its
    finding is fixed too, by the same edits."""
    taken: list[Edit] = []
    applied: list[Diagnostic] = []
    ordered = sorted(
        (d for d in diagnostics if d.fix is not None),
        key=lambda d: min((e.start for e in d.fix.edits), default=0),  # type: ignore[union-attr]
    )
    for diagnostic in ordered:
        edits = diagnostic.fix.edits  # type: ignore[union-attr]
        if edits and all(edit in taken for edit in edits):
            applied.append(diagnostic)
            continue
        if any(_overlaps(a, b) for a in edits for b in taken):
            continue
        taken.extend(edits)
        applied.append(diagnostic)
    for edit in sorted(taken, key=lambda e: (e.start, e.end), reverse=True):
        source = source[: edit.start] + edit.content + source[edit.end :]
    return source, applied


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one point: order would be arbitrary
    return a.start < b.end and b.start < a.end or (a.start == b.start and a.end == b.end)


def _compile_error(source: str, filename: str) -> str | None:
    """Why Python's compiler refuses ``source`` (it is compiled, not run), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return getattr(exc, "msg", None) or str(exc)
    except (RecursionError, MemoryError):
        return None  # too deep for the compiler: LibCST's parse above is what is known
    return None


@dataclass(frozen=True)
class FixOutcome:
    source: str
    applied: int
    result: FileResult  # the diagnostics that remain in ``source``
    fixed_warnings: int = 0  # how many of the ``applied`` fixes were for warnings


def fix_source(
    source: str,
    filename: str,
    selection: Selection,
    unsafe: bool,
    keras_version: str | None = None,
    row_label: Callable[[int], str] | None = None,
    target_version: str | None = None,
) -> FixOutcome:
    """Fix one file's text until no applicable fix remains. Raises ``FixError`` when a fix
    breaks the code or the fixes do not converge; the caller then keeps the original."""
    fixed: list[Diagnostic] = []
    current = source

    def check(text: str) -> FileResult:
        # Every round reads the file's Keras as the original was written: fixed code looks
        # newer (no `nb_epoch` left to say Keras 1), and later rounds must read it as round
        # one did.
        return check_source(
            text,
            filename,
            selection,
            keras_version,
            row_label,
            target_version=target_version,
            version_text=source,
        )

    result = check(current)
    for _ in range(MAX_ROUNDS):
        fixable = [d for d in result.diagnostics if is_applicable(d, unsafe)]
        if not fixable:
            warnings = sum(1 for d in fixed if d.severity is Severity.WARNING)
            return FixOutcome(current, len(fixed), result, warnings)
        candidate, applied = _apply(current, fixable)
        try:
            cst.parse_module(candidate)
        except cst.ParserSyntaxError as exc:
            raise FixError(f"a fix produced invalid code ({exc.message.strip()})") from None
        refused = _compile_error(candidate, filename)
        if refused is not None and _compile_error(current, filename) is None:
            # What only Python's compiler refuses (a keyword given twice, a misplaced
            # __future__ import): compiled, never run.
            raise FixError(f"a fix produced invalid code ({refused})")
        if candidate == current:
            raise FixError("a fix changed nothing")
        current = candidate
        fixed.extend(applied)
        before = result
        result = check(current)
        if result.error is not None and result.error != before.error:
            # The fixed code could not be checked again: whether fixing is done is unknown.
            raise FixError(f"the fixed code could not be checked again ({result.error})")
        if any(d.code == SYNTAX_ERROR[0] for d in result.diagnostics):
            # It parsed a moment ago: a syntax error now means the check itself failed (an
            # interrupt inside the parser, a resource limit), not the code.
            raise FixError("the fixed code could not be checked again (it did not parse)")
    raise FixError(f"fixes did not converge after {MAX_ROUNDS} rounds")
