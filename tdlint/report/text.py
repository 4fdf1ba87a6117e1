"""Human output: ``full`` (snippet, carets, help, fix) and ``concise`` (one line each)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from tdlint.diagnostics import Applicability, Diagnostic, Severity


def where(d: Diagnostic) -> str:
    """``path:line:col``, or ``path:cell N:line:col`` in a notebook."""
    cell = f"cell {d.cell}:" if d.cell is not None else ""
    return f"{d.filename}:{cell}{d.location.row}:{d.location.column}"


def concise_line(d: Diagnostic) -> Text:
    text = Text()
    text.append(d.filename, style="bold")
    cell = f":cell {d.cell}" if d.cell is not None else ""
    text.append(f"{cell}:{d.location.row}:{d.location.column}: ", style="cyan")
    text.append(d.code, style="bold red" if d.severity.value == "error" else "bold yellow")
    if d.fix is not None and d.fix.applicability is Applicability.SAFE:
        text.append(" [*]", style="cyan")
    text.append(f" {d.message}")
    return text


def full_block(d: Diagnostic) -> Text:
    text = Text()
    text.append(d.code, style="bold red" if d.severity.value == "error" else "bold yellow")
    if d.fix is not None and d.fix.applicability is Applicability.SAFE:
        text.append(" [*]", style="cyan")
    text.append(f" {d.message}\n", style="bold")
    gutter = len(str(d.location.row + max(len(d.source_lines) - 1, 0)))
    pad = " " * gutter
    text.append(f"{pad}--> ", style="blue")
    text.append(where(d) + "\n")
    if d.source_lines:
        text.append(f"{pad} |\n", style="blue")
        for i, line in enumerate(d.source_lines):
            row = d.location.row + i
            text.append(f"{row:>{gutter}} | ", style="blue")
            text.append(line.rstrip() + "\n")
            if i == 0:
                start = d.location.column - 1
                end = d.end_location.column - 1 if d.end_location.row == row else len(line.rstrip())
                text.append(f"{pad} | ", style="blue")
                text.append(" " * start + "^" * max(end - start, 1) + "\n", style="bold red")
        text.append(f"{pad} |\n", style="blue")
    if d.help:
        text.append(f"{pad} = ", style="blue")
        text.append("help: ", style="bold cyan")
        text.append(d.help + "\n")
    if d.fix is not None:
        text.append(f"{pad} = ", style="blue")
        text.append("fix: ", style="bold cyan")
        text.append(d.fix.message + "\n")
        for line in d.fix_diff:
            text.append(f"{pad}   {line}\n", style="red" if line.startswith("-") else "green")
        if d.fix.applicability is Applicability.UNSAFE:
            text.append(f"{pad} = ", style="blue")
            text.append("note: ", style="bold")
            text.append("This is an unsafe fix and may change runtime behavior\n")
    return text


def counted(errors: int, warnings: int) -> str:
    """``2 errors and 1 warning``: findings named by their severity, as reported."""
    parts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((errors, "error"), (warnings, "warning"))
        if n
    ]
    return " and ".join(parts) or "0 errors"


def _severities(diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    return len(diagnostics) - warnings, warnings


def summary(
    console: Console,
    diagnostics: Sequence[Diagnostic],
    fixed: int,
    unsafe_enabled: bool,
    fix_mode: bool,
    fixed_warnings: int = 0,
    fix_only: bool = False,
) -> None:
    """The closing lines: what was found, what was fixed, and what fixes are left to enable.
    ``diagnostics`` are the findings that remain; ``fixed`` of them were fixed before."""
    remaining = len(diagnostics)
    errors, warnings = _severities(diagnostics)
    if fix_only:
        left = f" ({remaining} remaining)" if remaining else ""
        noun = "finding" if fixed == 1 else "findings"
        console.print(f"Fixed {fixed} {noun}{left}." if fixed else f"No fixes applied{left}.")
        return
    if remaining == 0 and fixed == 0:
        console.print("All checks passed!", style="green")
        return
    found = counted(errors + fixed - fixed_warnings, warnings + fixed_warnings)
    if fixed:
        console.print(f"Found {found} ({fixed} fixed, {remaining} remaining).")
    else:
        console.print(f"Found {found}.")
    if fix_mode:
        return
    safe = sum(1 for d in diagnostics if d.fix and d.fix.applicability is Applicability.SAFE)
    unsafe = sum(1 for d in diagnostics if d.fix and d.fix.applicability is Applicability.UNSAFE)
    if unsafe_enabled:
        safe, unsafe = safe + unsafe, 0
    parts = []
    if safe:
        parts.append(f"[*] {safe} fixable with the `--fix` option")
    if unsafe:
        fixes = "fix" if unsafe == 1 else "fixes"
        hidden = f"{unsafe} hidden {fixes} can be enabled with the `--unsafe-fixes` option"
        parts.append(f"({hidden})" if safe else f"No fixes available ({hidden}).")
    if parts:
        console.print(" ".join(parts), highlight=False)
