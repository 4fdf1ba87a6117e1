"""Machine output: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every rule (and the engine's own codes) whether or not it
fired, so a viewer can explain any code it meets and ``ruleIndex`` is stable from one run to the
next.

A notebook result's region is in the ``.ipynb`` file as stored (the JSON line that holds the
cell's source line), which is what code scanning shows; the message starts with the cell and
the line in it, and the result's properties carry them (``cell``, ``cellRegion``). It has no
``fixes``: its edits are in cell coordinates, which no SARIF viewer could apply to the file.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tdlint
from tdlint.diagnostics import Diagnostic, Edit, Fix, Location, Severity
from tdlint.docs import rule_doc
from tdlint.noqa import old_spelling
from tdlint.report.json import DOCS_PATH
from tdlint.rules import ALL_RULES, ENGINE_CODES, IO_ERROR, SYNTAX_ERROR

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF says about a rule; TDL000 has no rule class, so this is the common shape."""

    code: str
    name: str
    severity: Severity
    summary: str
    description: str
    fix_availability: str


# The engine's own codes (TDL000, TDL900, TDL901, TDL902) have no rule class: their words come
# from their documentation pages, the same text `tdlint rule` prints.
_ENGINE_SEVERITIES = {SYNTAX_ERROR[0]: Severity.ERROR, IO_ERROR[0]: Severity.ERROR}


def _section(page: str, heading: str) -> str:
    """The text under a ``## heading`` of a rule page, up to the next heading."""
    _, _, rest = page.partition(f"\n## {heading}\n")
    return rest.split("\n## ", 1)[0].strip()


def engine_rule_info(code: str) -> RuleInfo:
    page = rule_doc(code)
    what = _section(page, "What it does")
    summary = " ".join(what.split("\n\n")[0].split()).split(". ")[0].rstrip(".") + "."
    availability = page.partition("**Fix availability:** ")[2].split()[0].rstrip(".")
    return RuleInfo(
        code=code,
        name=ENGINE_CODES[code],
        severity=_ENGINE_SEVERITIES.get(code, Severity.WARNING),
        summary=summary,
        description=f"{what}\n\n{_section(page, 'Why is this bad?')}",
        fix_availability=availability,
    )


def rule_infos() -> tuple[RuleInfo, ...]:
    """Every code in code order (the engine's own among them): ``tool.driver.rules``."""
    rules = [
        RuleInfo(
            code=rule.code,
            name=rule.name,
            severity=rule.severity,
            summary=rule.summary(),
            description=inspect.cleandoc(rule.__doc__ or rule.summary()),
            fix_availability=rule.fix_availability,
        )
        for rule in ALL_RULES
    ]
    rules.extend(engine_rule_info(code) for code in ENGINE_CODES)
    return tuple(sorted(rules, key=lambda info: info.code))


def _rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    # tdlint has no public documentation site, so there is no ``helpUri`` (nor a driver
    # ``informationUri``); the page's path in the source tree goes in the property bag.
    docs = DOCS_PATH.format(code=info.code)
    help_text = (
        f"{info.description}\n\nFix availability: {info.fix_availability}.\nDocumentation: {docs}"
    )
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.description},
        # The docstrings are Markdown (backticks), which GitHub renders from ``markdown``.
        "help": {"text": help_text, "markdown": help_text},
        # The code's spelling before 0.2 (TD001): viewers match older logs to this rule.
        "deprecatedIds": [old_spelling(info.code)],
        "defaultConfiguration": {"level": _level(info.severity)},
        "properties": {"documentation": docs, "fixAvailability": info.fix_availability},
    }


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def artifact_uri(filename: str) -> str:
    """An absolute ``file://`` URI (ruff does the same).

    GitHub code scanning reads a relative URI as relative to the repository root, which is only
    right when tdlint ran from that root; an absolute ``file://`` URI it converts to a
    repository path itself, using the source root (``upload-sarif``'s ``checkout_path``, by
    default the workspace, or ``checkout_uri`` for the REST API). So the absolute form maps to
    the right file wherever tdlint was run from. ``as_uri`` percent-encodes spaces and the like,
    which the schema's ``uri-reference`` format requires.
    """
    return Path(os.path.abspath(filename)).as_uri()


def _region(start: Location, end: Location) -> dict[str, int]:
    # Both SARIF and tdlint use 1-based lines and columns with an exclusive end column.
    return {
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    # An insertion is an empty deleted region (start == end), which SARIF allows.
    return {
        "deletedRegion": _region(edit.location, edit.end_location),
        "insertedContent": {"text": edit.content},
    }


def _fix(fix: Fix, uri: str) -> dict[str, Any]:
    # A tdlint fix only ever edits the file its diagnostic is in: one artifact change.
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri},
                "replacements": [_replacement(edit) for edit in fix.edits],
            }
        ],
        "properties": {"applicability": fix.applicability.value},
    }


def _message(d: Diagnostic) -> str:
    # Code scanning shows only the result's message, so the help goes in it too.
    where = f"cell {d.cell}, line {d.location.row}: " if d.cell is not None else ""
    return f"{where}{d.message}\n\nhelp: {d.help}" if d.help else f"{where}{d.message}"


def _result(d: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    uri = artifact_uri(d.filename)
    result: dict[str, Any] = {"ruleId": d.code}
    if d.code in rule_index:  # a code tdlint does not know stays a valid result without it
        result["ruleIndex"] = rule_index[d.code]
    result["level"] = _level(d.severity)
    result["message"] = {"text": _message(d)}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": _region(
                    d.file_location or d.location, d.file_end_location or d.end_location
                ),
            }
        }
    ]
    if d.cell is not None:
        result["properties"] = {"cell": d.cell, "cellRegion": _region(d.location, d.end_location)}
    elif d.fix is not None and d.fix.edits:
        result["fixes"] = [_fix(d.fix, uri)]
    return result


def to_sarif(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """The SARIF log as a dict (tests and callers that post-process it use this)."""
    rules = rule_infos()
    rule_index = {info.code: i for i, info in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "tdlint",
                "version": tdlint.__version__,
                "rules": [_rule_descriptor(info) for info in rules],
            }
        },
        # LibCST columns count characters (code points), not SARIF's default UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, rule_index) for d in diagnostics],
    }
    return {"$schema": SCHEMA, "version": VERSION, "runs": [run]}


def render(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps(to_sarif(diagnostics), indent=2)
