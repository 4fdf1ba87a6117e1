"""Checking one file: read -> cheap prefilter -> parse -> analyse -> rules -> diagnostics.

Positions are computed only for files that have findings: resolving LibCST's
``PositionProvider`` costs about as much as the parse itself.
"""

from __future__ import annotations

import bisect
import difflib
import io
import re
import tokenize
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from tdlint.analysis import analyze
from tdlint.analysis.graph import FileGraph
from tdlint.config import Selection
from tdlint.diagnostics import (
    Diagnostic,
    Edit,
    FileResult,
    Finding,
    Fix,
    Location,
    NodeEdit,
    Severity,
)
from tdlint.rules import SYNTAX_ERROR, Rule, RuleContext

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.I)
_NEWLINE = re.compile(r"\r\n|\r|\n")


def might_use_keras(source: str) -> bool:
    """The prefilter: a file that never says "keras" cannot build a Keras model."""
    return "keras" in source


def check_source(source: str, filename: str, selection: Selection) -> FileResult:
    """All diagnostics for one file's text. Never raises for bad input."""
    if not might_use_keras(source):
        return FileResult(filename)
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return FileResult(filename, _syntax_error(exc, filename, selection))
    except RecursionError:
        return FileResult(filename, error="too deeply nested to parse")
    try:
        graph = analyze(module)
    except RecursionError:
        return FileResult(filename, error="too deeply nested to analyse")
    return _FileChecker(source, filename, graph, selection).run()


def _syntax_error(
    exc: cst.ParserSyntaxError, filename: str, selection: Selection
) -> tuple[Diagnostic, ...]:
    if SYNTAX_ERROR[0] not in selection:
        return ()
    location = Location(exc.editor_line, exc.editor_column)
    message = "SyntaxError: " + str(exc.message).strip().splitlines()[0]
    return (
        Diagnostic(
            code=SYNTAX_ERROR[0],
            name=SYNTAX_ERROR[1],
            message=message,
            severity=Severity.ERROR,
            filename=filename,
            location=location,
            end_location=location,
            noqa_row=None,
        ),
    )


@dataclass
class _FileChecker:
    source: str
    filename: str
    graph: FileGraph
    selection: Selection

    def __post_init__(self) -> None:
        self._positions: dict[cst.CSTNode, CodeRange] | None = None
        self._line_starts: list[int] | None = None

    def run(self) -> FileResult:
        ctx = RuleContext(self.graph, lambda node: self.position(node).start.line)
        diagnostics: list[Diagnostic] = []
        errors: list[str] = []
        for rule_cls in self.selection.rules():
            rule: Rule = rule_cls()
            seen: set[int] = set()
            try:
                for finding in rule.check(ctx):
                    if id(finding.node) in seen:
                        continue  # the same call reached twice (an unrolled loop)
                    seen.add(id(finding.node))
                    diagnostics.append(self.diagnostic(rule, finding))
            except Exception as exc:  # a bug in a rule must not stop the other rules
                errors.append(f"internal error in {rule.code}: {type(exc).__name__}: {exc}")
        diagnostics = self.without_suppressed(diagnostics)
        diagnostics.sort(key=lambda d: d.sort_key)
        return FileResult(self.filename, tuple(diagnostics), error="; ".join(errors) or None)

    # -------------------------------------------------------------- positions
    def position(self, node: cst.CSTNode) -> CodeRange:
        if self._positions is None:
            wrapper = MetadataWrapper(self.graph.module, unsafe_skip_copy=True)
            self._positions = dict(wrapper.resolve(PositionProvider))
        return self._positions[node]

    def offset(self, line: int, column: int) -> int:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.source)]
        if line - 1 >= len(self._line_starts):
            return len(self.source)
        return self._line_starts[line - 1] + column

    # -------------------------------------------------------------- conversion
    def diagnostic(self, rule: Rule, finding: Finding) -> Diagnostic:
        span = self.position(finding.node)
        start = Location(span.start.line, span.start.column + 1)
        end = Location(span.end.line, span.end.column + 1)
        lines = self.source_lines(span.start.line, span.end.line)
        fix = None
        fix_diff: tuple[str, ...] = ()
        if finding.fix is not None:
            edits = tuple(
                sorted((self.edit(e) for e in finding.fix.edits), key=lambda e: (e.start, e.end))
            )
            fix = Fix(finding.fix.applicability, finding.fix.message, edits)
            fix_diff = self.preview(edits)
        return Diagnostic(
            code=rule.code,
            name=rule.name,
            message=finding.message,
            severity=rule.severity,
            filename=self.filename,
            location=start,
            end_location=end,
            help=finding.help,
            fix=fix,
            noqa_row=span.start.line,
            source_lines=lines,
            fix_diff=fix_diff,
        )

    def preview(self, edits: tuple[Edit, ...]) -> tuple[str, ...]:
        """The fix as changed lines: ``-`` old, ``+`` new, no context."""
        fixed = self.source
        for edit in reversed(edits):
            fixed = fixed[: edit.start] + edit.content + fixed[edit.end :]
        before, after = _NEWLINE.split(self.source), _NEWLINE.split(fixed)
        diff = difflib.unified_diff(before, after, n=0, lineterm="")
        return tuple(line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++"))

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

    def source_lines(self, first: int, last: int) -> tuple[str, ...]:
        lines = _NEWLINE.split(self.source)
        return tuple(lines[first - 1 : min(last, first + 5)])

    # -------------------------------------------------------------- suppressions
    def without_suppressed(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        if not diagnostics or "noqa" not in self.source.lower():
            return diagnostics
        comments, statement_end = _noqa_comments(self.source)
        kept = []
        for diagnostic in diagnostics:
            row = diagnostic.location.row
            rows = {row, statement_end.get(row, row)}
            if not any(_suppresses(comments.get(r), diagnostic.code) for r in rows):
                kept.append(diagnostic)
        return kept


def _suppresses(codes: frozenset[str] | None, code: str) -> bool:
    if codes is None:
        return False
    return not codes or code in codes


def _noqa_comments(source: str) -> tuple[dict[int, frozenset[str]], dict[int, int]]:
    """Rows with a ``# noqa`` comment (empty set = all codes), and each row's statement end."""
    comments: dict[int, frozenset[str]] = {}
    statement_end: dict[int, int] = {}
    start = 1
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                match = _NOQA.search(token.string)
                if match:
                    codes = match.group("codes")
                    parsed = (
                        frozenset(c.upper() for c in re.split(r"[\s,]+", codes))
                        if codes
                        else frozenset()
                    )
                    comments[token.start[0]] = parsed
            elif token.type == tokenize.NEWLINE:
                for row in range(start, token.start[0] + 1):
                    statement_end[row] = token.start[0]
                start = token.start[0] + 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return comments, statement_end
