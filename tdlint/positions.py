"""Where the nodes a file's findings name are, without position-tracking the whole file.

LibCST's ``PositionProvider`` regenerates the whole module's code while it records every
node's range, which costs more than parsing the file did. A finding needs the ranges of a few
nodes, all inside a few top-level statements. So each of those statements is code-generated
alone, as a one-statement module, and its ranges are moved down to the line where the
statement starts in the file (from Python's own parser, which is fast: it builds no Python
objects per token). Each statement's text is then compared with the file's text at that
place; any difference (an odd form feed, a decorator split over lines, syntax the running
Python cannot parse) and the whole module is position-tracked the usual way.

``PositionProvider`` itself is run directly: resolving it through a ``MetadataWrapper`` adds
a second, empty pass over the tree (the batch of batchable providers is empty, and the tree
is walked anyway), which was half its cost.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import re
import warnings
from collections.abc import Iterator, Mapping

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

try:
    from libcst.metadata.position_provider import PositionProvidingCodegenState
except ImportError:  # pragma: no cover - a LibCST that moved it: positions_and_code falls back
    PositionProvidingCodegenState = None  # type: ignore[assignment,misc]


def module_positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Every node's ``PositionProvider`` range (line and column of its start and end)."""
    provider = PositionProvider()
    try:
        provider._gen_impl(module)  # what the wrapper runs, without its extra pass
        return provider._computed
    except AttributeError:  # a LibCST that renamed its internals: the documented way
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def positions_and_code(module: cst.Module) -> tuple[Mapping[cst.CSTNode, CodeRange], str]:
    """``module_positions`` and the module's code, from one code generation (what
    ``PositionProvider._gen_impl`` does, keeping the tokens it writes) instead of two."""
    provider = PositionProvider()
    try:
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        module._codegen(state)
        return provider._computed, "".join(state.tokens)
    except (AttributeError, TypeError):  # LibCST's internals changed: two passes, as documented
        return module_positions(module), module.code


# Line ends as LibCST (and Python) count them; ``str.splitlines`` also splits at form feeds.
LINE_END = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (after a final line end, an empty line)."""
    return [0] + [match.end() for match in LINE_END.finditer(text)]


# Lookups after which every statement's nodes are indexed at once (a file with many findings).
INDEX_AFTER = 16


class NodePositions:
    """``positions[node]``: the node's ``PositionProvider`` range, computed on demand."""

    def __init__(self, module: cst.Module, source: str) -> None:
        self.module = module
        self.source = source
        self._owner: dict[int, int] = {}  # id(node) -> index of its top-level statement
        self._walked: set[int] = set()  # statements whose nodes are in _owner
        self._next_unwalked = 0
        # First and last line of each top-level statement, from Python's parser.
        self._lines: list[tuple[int, int]] | None = None
        self._by_statement: dict[int, _StatementRanges] = {}
        self._everything: dict[cst.CSTNode, CodeRange] | None = None
        self._firsts: list[int] = []  # first lines alone, for bisect
        self._source_starts: list[int] | None = None
        self._lookups = 0

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        if self._everything is None:
            found = self._from_statement(node)
            if found is not None:
                return found
            self._everything = dict(module_positions(self.module))
        return self._everything[node]

    # ------------------------------------------------------------------ the fast way
    def _from_statement(self, node: cst.CSTNode) -> CodeRange | None:
        if self._lines is None:
            self._lines = _statement_lines(self.source, self.module) or []
            self._firsts = [first for first, _ in self._lines]
            self._source_starts = line_starts(self.source)
        if not self._lines:
            return None
        index = self._statement_of(node)
        if index is None:
            return None
        if index not in self._by_statement:
            ranges = self._statement_ranges(index, self._lines[index][0])
            if ranges is None:
                return None
            self._by_statement[index] = ranges
        return self._by_statement[index].get(node)

    def _statement_of(self, node: cst.CSTNode) -> int | None:
        """The index of the top-level statement holding ``node``: first the statements where
        the node's text appears in the file, then every statement in order (the sure way).

        Looking for a node's text searches the file from its start, which is quick for a few
        findings and quadratic for many: after ``INDEX_AFTER`` lookups every statement is
        walked once, and each later lookup is a dictionary's."""
        self._lookups += 1
        if self._lookups == INDEX_AFTER:
            self._walk_until(None)
        if id(node) not in self._owner and self._next_unwalked < len(self.module.body):
            for index in self._statements_showing(node):
                self._walk_statement(index)
                if id(node) in self._owner:
                    break
        self._walk_until(node)
        return self._owner.get(id(node))

    def _walk_until(self, node: cst.CSTNode | None) -> None:
        """Walk the statements in order until ``node`` is found (None: all of them)."""
        body = self.module.body
        while (node is None or id(node) not in self._owner) and self._next_unwalked < len(body):
            self._walk_statement(self._next_unwalked)
            self._next_unwalked += 1

    def _walk_statement(self, index: int) -> None:
        if index not in self._walked:
            self._walked.add(index)
            for inner in _walk(self.module.body[index]):
                self._owner[id(inner)] = index

    def _statements_showing(self, node: cst.CSTNode, most: int = 8) -> list[int]:
        """The statements whose lines hold the node's text (a node's code is a piece of the
        file's text, apart from the indentation of whole blocks)."""
        assert self._lines is not None and self._source_starts is not None
        text = self.module.code_for_node(node).strip()
        if not text:
            return []
        found: list[int] = []
        at = self.source.find(text)
        while at >= 0 and len(found) < most:
            row = bisect.bisect_right(self._source_starts, at)  # 1-based line of the text
            index = bisect.bisect_right(self._firsts, row) - 1
            if index >= 0 and row <= self._lines[index][1] and index not in found:
                found.append(index)
            at = self.source.find(text, at + 1)
        return found

    def _statement_ranges(self, index: int, first_line: int) -> _StatementRanges | None:
        statement = self.module.body[index]
        alone = statement.with_changes(leading_lines=())
        last = index == len(self.module.body) - 1
        one = self.module.with_changes(
            header=(),
            footer=(),
            body=(alone,),
            has_trailing_newline=self.module.has_trailing_newline if last else True,
        )
        ranges, code = positions_and_code(one)
        moved = _StatementRanges(ranges, statement, alone, shift=first_line - 1)
        # The statement's text must be the file's text at the place it was moved to.
        assert self._source_starts is not None
        expected = _text(code, line_starts(code), ranges[alone])
        found = _text(self.source, self._source_starts, _shifted(ranges[alone], moved.shift))
        if expected is None or expected != found:
            return None
        return moved


@dataclasses.dataclass(frozen=True)
class _StatementRanges:
    """The ranges of one statement's nodes, code-generated alone: moved down to the file's
    lines when asked for (a statement has hundreds of nodes; findings ask for a few)."""

    ranges: Mapping[cst.CSTNode, CodeRange]
    statement: cst.CSTNode  # the file's statement, which ``alone`` stands for
    alone: cst.CSTNode
    shift: int

    def get(self, node: cst.CSTNode) -> CodeRange | None:
        span = self.ranges.get(self.alone if node is self.statement else node)
        return None if span is None or node is self.alone else _shifted(span, self.shift)


def _shifted(span: CodeRange, lines: int) -> CodeRange:
    return CodeRange(
        CodePosition(span.start.line + lines, span.start.column),
        CodePosition(span.end.line + lines, span.end.column),
    )


def _text(text: str, starts: list[int], span: CodeRange) -> str | None:
    """The characters a range covers; None if it runs past the end."""
    if span.end.line > len(starts):
        return None
    begin = starts[span.start.line - 1] + span.start.column
    return text[begin : starts[span.end.line - 1] + span.end.column]


def _node_types(base: type) -> set[type]:
    found = {base}
    for sub in base.__subclasses__():
        found |= _node_types(sub)
    return found


# Exact-type tests: isinstance against LibCST's abstract base classes costs more.
_NODE_TYPES = _node_types(cst.CSTNode)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node below ``root``, by its dataclass fields (cheaper than ``.children``)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        names = _FIELDS.get(type(node))
        if names is None:
            names = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
        for name in names:
            value = getattr(node, name)
            if type(value) in _NODE_TYPES:
                stack.append(value)
            elif type(value) is tuple or type(value) is list:
                stack.extend(v for v in value if type(v) in _NODE_TYPES)


def _statement_lines(source: str, module: cst.Module) -> list[tuple[int, int]] | None:
    """The first line (a decorator's ``@``) and last line of each top-level statement, or
    None when Python's parser disagrees about the statements (or cannot parse the file)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "invalid escape sequence" and the like
            body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines: list[tuple[int, int]] = []
    position = 0
    for statement in module.body:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        if position + count > len(body):
            return None
        first, last = body[position], body[position + count - 1]
        line = first.lineno
        if isinstance(first, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            line = min([line, *(d.lineno for d in first.decorator_list)])
        lines.append((line, last.end_lineno or last.lineno))
        position += count
    return lines if position == len(body) else None
