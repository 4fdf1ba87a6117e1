"""The value types tdlint reports: diagnostics, fixes and their edits (all frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import libcst as cst


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Applicability(str, Enum):
    SAFE = "safe"  # cannot change what the program computes
    UNSAFE = "unsafe"  # may change behaviour, intent or saved artifacts


@dataclass(frozen=True, order=True)
class Location:
    """1-based row and column, as editors and ruff show them."""

    row: int
    column: int


# ---------------------------------------------------------------- what rules produce


@dataclass(frozen=True)
class NodeEdit:
    """Replace a node's source text with ``content``; or insert ``content`` right before the
    node; or, with ``whole_lines``, replace every line the node is on (to delete a statement)."""

    node: cst.CSTNode
    content: str
    insert_before: bool = False
    whole_lines: bool = False


@dataclass(frozen=True)
class FixPlan:
    applicability: Applicability
    message: str
    edits: tuple[NodeEdit, ...]


@dataclass(frozen=True)
class Finding:
    """A rule's raw result, still pointing at CST nodes."""

    node: cst.CSTNode
    message: str
    help: str | None = None
    fix: FixPlan | None = None


# ---------------------------------------------------------------- what users see


@dataclass(frozen=True)
class Edit:
    """A text edit: replace ``[start, end)`` (offsets into the file's text) with ``content``."""

    content: str
    start: int
    end: int
    location: Location
    end_location: Location


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    message: str
    severity: Severity
    filename: str
    location: Location
    end_location: Location
    help: str | None = None
    fix: Fix | None = None
    # The line whose suppression comment would silence this diagnostic.
    noqa_row: int | None = None
    # The source lines the diagnostic spans, and the fix as diff lines, for the full format.
    source_lines: tuple[str, ...] = field(default=(), compare=False, repr=False)
    fix_diff: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.filename, self.location.row, self.location.column, self.code)


@dataclass(frozen=True)
class FileResult:
    """Everything tdlint has to say about one file."""

    filename: str
    diagnostics: tuple[Diagnostic, ...] = ()
    # An internal problem that stopped this file from being checked (never a traceback).
    error: str | None = None
    # After fixing: the text before and after, and how many fixes went in.
    original_source: str | None = None
    fixed_source: str | None = None
    fixes_applied: int = 0
