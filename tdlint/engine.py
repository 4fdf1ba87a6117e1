"""Checking one file: read -> cheap prefilter -> parse -> analyse -> rules -> diagnostics.

Positions are computed only for files that have findings, and only for the top-level
statements that hold the nodes reported (``tdlint.positions``): LibCST's ``PositionProvider``
over a whole module costs more than parsing it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, replace

import libcst as cst
from libcst.metadata import CodeRange

from tdlint import noqa, syntax
from tdlint.analysis import analyze
from tdlint.analysis.graph import FileGraph
from tdlint.config import Selection
from tdlint.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    FileResult,
    Finding,
    Fix,
    FixPlan,
    Location,
    NodeEdit,
    Severity,
)
from tdlint.guard import recursion_limit, too_deep_to_parse
from tdlint.parsing import gc_paused, parse_for_analysis
from tdlint.positions import LINE_END, NodePositions, line_starts
from tdlint.preview import Previewer
from tdlint.rules import REDIRECTED_NOQA, SYNTAX_ERROR, UNUSED_NOQA, Rule, RuleContext


def might_use_keras(source: str) -> bool:
    """The prefilter: a file that never says "keras" cannot build a Keras model."""
    return "keras" in source


def check_source(
    source: str,
    filename: str,
    selection: Selection,
    keras_version: str | None = None,
    row_label: Callable[[int], str] | None = None,
    inspect: Callable[[FileGraph, FileResult], None] | None = None,
    target_version: str | None = None,
    version_text: str | None = None,
) -> FileResult:
    """All diagnostics for one file's text. Never raises for bad input. ``inspect`` is given
    the model graph and the result, when the file was analysed, before the graph is freed
    (an editor reads the shapes there without parsing the file twice). ``version_text``:
    the text the file's Keras version is read from, if not ``source`` itself."""
    with recursion_limit(), gc_paused():
        return _check_source(
            source,
            filename,
            selection,
            keras_version,
            row_label,
            inspect,
            target_version,
            version_text,
        )


def _check_source(
    source: str,
    filename: str,
    selection: Selection,
    keras_version: str | None,
    row_label: Callable[[int], str] | None,
    inspect: Callable[[FileGraph, FileResult], None] | None = None,
    target_version: str | None = None,
    version_text: str | None = None,
) -> FileResult:
    if not might_use_keras(source):
        return FileResult(filename)
    too_deep = too_deep_to_parse(source)
    if too_deep is not None:
        return FileResult(filename, skipped=f"too deeply nested to parse safely ({too_deep})")
    try:
        module = parse_for_analysis(source)
    except cst.ParserSyntaxError as exc:
        problem = syntax.from_parser_error(source, exc, row_label)
        return FileResult(filename, _syntax_error(problem, source, filename, selection))
    except cst.CSTValidationError as exc:
        problem = syntax.from_invalid_tree(source, str(exc), row_label)
        return FileResult(filename, _syntax_error(problem, source, filename, selection))
    except RecursionError:
        return FileResult(filename, error="too deeply nested to parse")
    try:
        graph = analyze(module, source, keras_version, version_text)
    except RecursionError:
        return FileResult(filename, error="too deeply nested to analyse")
    result = _FileChecker(
        source, filename, graph, selection, keras_version, row_label, target_version
    ).run()
    if inspect is not None:
        inspect(graph, result)
    graph.release()
    return result


def _form_feed_shift(source: str, line_start: int) -> int:
    """LibCST, like Python's tokenizer, restarts column counting after a form feed in a
    line's indentation: the characters up to the last such form feed are not counted."""
    shift = 0
    for i in range(line_start, len(source)):
        char = source[i]
        if char == "\f":
            shift = i - line_start + 1
        elif char not in " \t":
            break
    return shift


def _syntax_error(
    problem: syntax.SyntaxProblem, source: str, filename: str, selection: Selection
) -> tuple[Diagnostic, ...]:
    """TDL000, with the lines it names for the full format. It has no ``noqa_row``: a
    comment cannot silence it, as ruff's syntax errors cannot (the line it would sit on may
    be the one that does not parse); ignore TDL000 for the file, or exclude the file."""
    if SYNTAX_ERROR[0] not in selection:
        return ()
    lines = LINE_END.split(source.removeprefix("\ufeff"))
    first, last = problem.location.row, problem.end_location.row
    return (
        Diagnostic(
            code=SYNTAX_ERROR[0],
            name=SYNTAX_ERROR[1],
            message=problem.message,
            severity=Severity.ERROR,
            filename=filename,
            location=problem.location,
            end_location=problem.end_location,
            help=problem.help,
            noqa_row=None,
            source_lines=tuple(lines[first - 1 : min(last, first + 5)]),
        ),
    )


@dataclass
class _FileChecker:
    source: str
    filename: str
    graph: FileGraph
    selection: Selection
    keras_version: str | None = None
    # How messages name a row: "line 12", or "cell 4, line 3" in a notebook.
    row_label: Callable[[int], str] | None = None
    target_version: str | None = None  # what the version rules upgrade to; None is Keras 3

    def __post_init__(self) -> None:
        self._positions: NodePositions | None = None
        self._line_starts: list[int] | None = None
        self._lines: list[str] | None = None
        self._previewer: Previewer | None = None
        # Suppressions that worked under an old code (TD001 for TDL001): the CLI says so.
        self.redirected_noqa = 0

    def run(self) -> FileResult:
        ctx = RuleContext(
            self.graph,
            lambda node: self.position(node).start.line,
            self.keras_version,
            self.row_label,
            self.target_version,
        )
        reported: list[tuple[Diagnostic, tuple[int, ...]]] = []
        errors: list[str] = []
        for rule_cls in self.selection.rules():
            rule: Rule = rule_cls()
            seen: set[tuple[int, ...]] = set()
            try:
                for finding in rule.check(ctx):
                    # The same call reached twice (an unrolled loop) is one finding; two
                    # layers applied by one call (``layer(x)`` in a loop over layers) are two.
                    key = (id(finding.node), *(id(node) for node in finding.related))
                    if key in seen:
                        continue
                    seen.add(key)
                    related_rows = tuple(self.position(n).start.line for n in finding.related)
                    reported.append((self.diagnostic(rule, finding), related_rows))
            except Exception as exc:  # a bug in a rule must not stop the other rules
                errors.append(f"internal error in {rule.code}: {type(exc).__name__}: {exc}")
        diagnostics = self.without_suppressed(reported)
        diagnostics.sort(key=lambda d: d.sort_key)
        return FileResult(
            self.filename,
            tuple(diagnostics),
            error="; ".join(errors) or None,
            redirected_noqa=self.redirected_noqa,
        )

    # -------------------------------------------------------------- positions
    def position(self, node: cst.CSTNode) -> CodeRange:
        if self._positions is None:
            self._positions = NodePositions(self.graph.module, self.source)
        return self._positions[node]

    def offset(self, line: int, column: int) -> int:
        if self._line_starts is None:
            self._line_starts = line_starts(self.source)
        if line - 1 >= len(self._line_starts):
            return len(self.source)
        start = self._line_starts[line - 1]
        return start + _form_feed_shift(self.source, start) + column

    # -------------------------------------------------------------- conversion
    def diagnostic(self, rule: Rule, finding: Finding) -> Diagnostic:
        span = self.position(finding.node)
        start = Location(span.start.line, span.start.column + 1)
        end = Location(span.end.line, span.end.column + 1)
        lines = self.source_lines(span.start.line, span.end.line)
        fix = None
        fix_diff: tuple[str, ...] = ()
        if finding.fix is not None:
            fix = self.fix(finding.fix)
            fix_diff = self.preview(fix.edits)
        return Diagnostic(
            code=rule.code,
            name=rule.name,
            message=finding.message,
            severity=finding.severity or rule.severity,
            filename=self.filename,
            location=start,
            end_location=end,
            help=finding.help,
            fix=fix,
            noqa_row=span.start.line,
            source_lines=lines,
            fix_diff=fix_diff,
            alternatives=tuple(self.fix(plan) for plan in finding.alternatives),
        )

    def fix(self, plan: FixPlan) -> Fix:
        edits = tuple(sorted((self.edit(e) for e in plan.edits), key=lambda e: (e.start, e.end)))
        return Fix(plan.applicability, plan.message, edits)

    def preview(self, edits: tuple[Edit, ...]) -> tuple[str, ...]:
        """The fix as changed lines: ``-`` old, ``+`` new, no context (``tdlint.preview``:
        only the lines the fix touches are diffed)."""
        if self._previewer is None:
            self.offset(1, 0)
            assert self._line_starts is not None
            self._previewer = Previewer(self.source, self.lines(), self._line_starts)
        return self._previewer.preview(edits)

    def edit(self, edit: NodeEdit) -> Edit:
        span = self.position(edit.node)
        if edit.whole_lines:
            start = self.offset(span.start.line, 0)
            end = self.offset(span.end.line + 1, 0)
        else:
            start = self.offset(span.start.line, span.start.column)
            end = start if edit.insert_before else self.offset(span.end.line, span.end.column)
        return Edit(
            content=edit.content,
            start=start,
            end=end,
            location=self.location_of(start),
            end_location=self.location_of(end),
        )

    def location_of(self, offset: int) -> Location:
        self.offset(1, 0)
        assert self._line_starts is not None
        row = bisect.bisect_right(self._line_starts, offset)
        return Location(row, offset - self._line_starts[row - 1] + 1)

    def lines(self) -> list[str]:
        """The file's lines, split once however many diagnostics quote them."""
        if self._lines is None:
            self._lines = LINE_END.split(self.source)
        return self._lines

    def source_lines(self, first: int, last: int) -> tuple[str, ...]:
        return tuple(self.lines()[first - 1 : min(last, first + 5)])

    # -------------------------------------------------------------- suppressions
    def without_suppressed(
        self, reported: list[tuple[Diagnostic, tuple[int, ...]]]
    ) -> list[Diagnostic]:
        """Drop suppressed diagnostics; add TDL900 for suppressions that suppressed nothing
        and TDL901 for those that did it under an old code (``# noqa: TD001``).

        Each diagnostic comes with the rows of its related code (a layer's creation): a
        comment there suppresses it as well as one on its own row, so a ``noqa`` written where
        the finding used to be reported keeps working."""
        if "noqa" not in self.source.lower():
            return [diagnostic for diagnostic, _ in reported]
        found = noqa.parse(self.source)
        kept = []
        used: dict[int, set[str]] = {}
        for diagnostic, related_rows in reported:
            rows = (diagnostic.location.row, *related_rows)
            by = [found.suppresses(diagnostic.code, row) for row in rows]
            if all(b is None for b in by):
                kept.append(diagnostic)
            for comment in by:
                if isinstance(comment, noqa.Comment):  # each comment that silenced it is used
                    used.setdefault(comment.row, set()).add(diagnostic.code)
        self.redirected_noqa = sum(
            1 for row, codes in used.items() if _old_codes(found.line[row], codes)
        )
        if UNUSED_NOQA[0] in self.selection:
            kept.extend(self.unused_noqa(found, used))
        if REDIRECTED_NOQA[0] in self.selection:
            kept.extend(self.redirected(found, used))
        return kept

    def unused_noqa(self, found: noqa.Suppressions, used: dict[int, set[str]]) -> list[Diagnostic]:
        """TDL900 for each ``# noqa: TDL...`` code of an enabled rule that suppressed nothing.
        Blanket ``# noqa`` and other tools' codes are left alone: they may serve flake8, and
        an old ``TD001`` that suppressed nothing may be ruff's flake8-todos code."""
        results = []
        for row, comment in sorted(found.line.items()):
            unused = {
                c for c in comment.codes if c in self.selection and c not in used.get(row, set())
            }
            if not unused:
                continue
            replacement = noqa.without_codes(comment, unused)
            codes = ", ".join(sorted(unused))
            results.append(
                self.noqa_diagnostic(
                    UNUSED_NOQA,
                    comment,
                    f"Unused `noqa` directive (unused: {codes})",
                    "Remove it: nothing on this line needs it any more.",
                    Fix(Applicability.SAFE, "Remove unused `noqa` directive", ()),
                    replacement,
                )
            )
        return results

    def redirected(self, found: noqa.Suppressions, used: dict[int, set[str]]) -> list[Diagnostic]:
        """TDL901 for each ``# noqa`` that suppressed a finding under its old code."""
        results = []
        for row, codes in sorted(used.items()):
            comment = found.line[row]
            renames = _old_codes(comment, codes)
            if not renames:
                continue
            spelled = ", ".join(f"`{old}` -> `{new}`" for old, new in sorted(renames.items()))
            results.append(
                self.noqa_diagnostic(
                    REDIRECTED_NOQA,
                    comment,
                    f"`noqa` directive uses the old tdlint codes ({spelled})",
                    "tdlint's codes moved from TD to TDL: ruff's flake8-todos owns TD001-TD007, "
                    "and ruff's RUF100 deletes the old codes as its own.",
                    Fix(Applicability.SAFE, "Use the new codes", ()),
                    noqa.with_renamed_codes(comment, renames),
                )
            )
        return results

    def noqa_diagnostic(
        self,
        rule: tuple[str, str],
        comment: noqa.Comment,
        message: str,
        help_text: str,
        fix: Fix,
        replacement: str,
    ) -> Diagnostic:
        """A finding about a ``# noqa`` comment, whose fix replaces the comment's text (an
        empty replacement takes the spaces before the comment too)."""
        row = comment.row
        start = self.offset(row, comment.start)
        end = self.offset(row, comment.end)
        if not replacement:
            line_start = self.offset(row, 0)
            while start > line_start and self.source[start - 1] in " \t":
                start -= 1
        edit = Edit(replacement, start, end, self.location_of(start), self.location_of(end))
        return Diagnostic(
            code=rule[0],
            name=rule[1],
            message=message,
            severity=Severity.WARNING,
            filename=self.filename,
            location=Location(row, comment.start + 1),
            end_location=Location(row, comment.end + 1),
            help=help_text,
            fix=replace(fix, edits=(edit,)),
            noqa_row=None,
            source_lines=self.source_lines(row, row),
        )


def _old_codes(comment: noqa.Comment, suppressed: set[str]) -> dict[str, str]:
    """Old spelling -> new code, for the codes this comment suppressed under an old spelling."""
    return {
        noqa.old_spelling(code): code
        for code in suppressed
        if code not in comment.codes and noqa.old_spelling(code) in comment.codes
    }
