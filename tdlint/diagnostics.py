"""The value types tdlint reports: diagnostics, fixes and their edits (all frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations: a warm, cached run never imports LibCST
    import libcst as cst


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class FixMode(str, Enum):
    NONE = "none"
    FIX = "fix"  # write fixed files
    DIFF = "diff"  # compute fixes, write nothing


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
    # Overrides the rule's severity (TDL001 is an error under Keras 1.0-1.1, say).
    severity: Severity | None = None
    # Other code the finding is about, such as the creation of a layer reported where it is
    # applied: a suppression comment on their lines silences the finding too.
    related: tuple[cst.CSTNode, ...] = ()
    # Other ways to settle the finding, for a person to choose (an editor's quick fixes);
    # never applied by `--fix`, which applies ``fix`` only.
    alternatives: tuple[FixPlan, ...] = ()


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
    # For notebooks: the 1-based cell; ``location`` is then within the cell, and
    # ``file_location`` is where that is in the .ipynb file's JSON text (for CI annotations).
    cell: int | None = None
    file_location: Location | None = None
    file_end_location: Location | None = None
    # The source lines the diagnostic spans, and the fix as diff lines, for the full format.
    source_lines: tuple[str, ...] = field(default=(), compare=False, repr=False)
    fix_diff: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # Other ways to fix it, offered as quick fixes by `tdlint server`, never by `--fix`.
    alternatives: tuple[Fix, ...] = field(default=(), compare=False, repr=False)

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.filename, self.cell or 0, self.location.row, self.location.column, self.code)


@dataclass(frozen=True)
class FileResult:
    """Everything tdlint has to say about one file."""

    filename: str
    diagnostics: tuple[Diagnostic, ...] = ()
    # An internal problem that stopped this file from being checked (never a traceback).
    error: str | None = None
    # Why the file was not checked on purpose (over a size or time limit): a warning.
    skipped: str | None = None
    # After fixing: the text before and after, and how many fixes went in.
    original_source: str | None = None
    fixed_source: str | None = None
    fixes_applied: int = 0
    fixed_warnings: int = 0  # how many of the fixes applied were for warnings
    # Suppression comments that silenced a finding under an old code (TD001).
    redirected_noqa: int = 0


# ---------------------------------------------------------------- (de)serialisation for the cache


def result_to_dict(result: FileResult) -> dict[str, Any]:
    return {
        "filename": result.filename,
        "error": result.error,
        "skipped": result.skipped,
        "redirected_noqa": result.redirected_noqa,
        "diagnostics": [_diagnostic_to_dict(d) for d in result.diagnostics],
    }


def result_from_dict(data: dict[str, Any], filename: str) -> FileResult:
    return FileResult(
        filename,
        tuple(_diagnostic_from_dict(d, filename) for d in data["diagnostics"]),
        error=data["error"],
        skipped=data.get("skipped"),
        redirected_noqa=data.get("redirected_noqa", 0),
    )


def _location(data: list[int]) -> Location:
    return Location(data[0], data[1])


def _optional_location(data: list[int] | None) -> Location | None:
    return None if data is None else _location(data)


def _diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    fix = None if d.fix is None else _fix_to_dict(d.fix)
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "severity": d.severity.value,
        "location": list(_pair(d.location)),
        "end_location": list(_pair(d.end_location)),
        "help": d.help,
        "fix": fix,
        "noqa_row": d.noqa_row,
        "cell": d.cell,
        "file_location": _pair(d.file_location) if d.file_location else None,
        "file_end_location": _pair(d.file_end_location) if d.file_end_location else None,
        "source_lines": list(d.source_lines),
        "fix_diff": list(d.fix_diff),
        "alternatives": [_fix_to_dict(f) for f in d.alternatives],
    }


def _fix_to_dict(fix: Fix) -> dict[str, Any]:
    return {
        "applicability": fix.applicability.value,
        "message": fix.message,
        "edits": [
            [e.content, e.start, e.end, list(_pair(e.location)), list(_pair(e.end_location))]
            for e in fix.edits
        ],
    }


def _fix_from_dict(data: dict[str, Any]) -> Fix:
    edits = tuple(
        Edit(content, start, end, _location(loc), _location(end_loc))
        for content, start, end, loc, end_loc in data["edits"]
    )
    return Fix(Applicability(data["applicability"]), data["message"], edits)


def _pair(location: Location) -> tuple[int, int]:
    return (location.row, location.column)


def _diagnostic_from_dict(data: dict[str, Any], filename: str) -> Diagnostic:
    fix = None if data["fix"] is None else _fix_from_dict(data["fix"])
    return Diagnostic(
        code=data["code"],
        name=data["name"],
        message=data["message"],
        severity=Severity(data["severity"]),
        filename=filename,
        location=_location(data["location"]),
        end_location=_location(data["end_location"]),
        help=data["help"],
        fix=fix,
        noqa_row=data["noqa_row"],
        cell=data.get("cell"),
        file_location=_optional_location(data.get("file_location")),
        file_end_location=_optional_location(data.get("file_end_location")),
        source_lines=tuple(data["source_lines"]),
        fix_diff=tuple(data["fix_diff"]),
        alternatives=tuple(_fix_from_dict(f) for f in data.get("alternatives", ())),
    )
