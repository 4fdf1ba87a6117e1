"""TDL902: a path tdlint was asked to check but cannot read (ruff's E902).

A missing path, a broken symbolic link, a file without read permission, a folder that cannot
be listed: one diagnostic at 1:1 of that path, so that it is reported, counted and exported
like any finding. When TDL902 is not selected the path is skipped with a warning instead.

Importable without LibCST: the runner reports these without checking anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from tdlint.config import Selection
from tdlint.diagnostics import Diagnostic, FileResult, Location, Severity

IO_ERROR = ("TDL902", "io-error")


def os_error_text(exc: OSError) -> str:
    """The error as ruff words it: ``No such file or directory (os error 2)``."""
    if exc.errno is not None and exc.strerror:
        return f"{exc.strerror} (os error {exc.errno})"
    return str(exc) or type(exc).__name__


def describe(path: Path, exc: OSError) -> str:
    """What went wrong reading ``path``; a symbolic link that leads nowhere (or in a loop)
    says so and names its target, which is what its owner has to fix."""
    message = os_error_text(exc)
    if not path.is_symlink() or path.exists():
        return message  # not a link, or a link to something that is there but unreadable
    try:
        target = os.readlink(path)
    except OSError:
        return message
    return f"{message}: a broken symbolic link to `{target}`"


def unreadable(path: Path, exc: OSError, selection: Selection) -> FileResult:
    """The result for a path that cannot be read: TDL902 when selected, else a skip (the
    command line warns about skips on stderr; they do not change the exit status)."""
    filename = str(path)
    message = describe(path, exc)
    if IO_ERROR[0] not in selection:
        return FileResult(filename, skipped=f"cannot read: {message}")
    start = Location(1, 1)
    diagnostic = Diagnostic(
        code=IO_ERROR[0],
        name=IO_ERROR[1],
        message=message,
        severity=Severity.ERROR,
        filename=filename,
        location=start,
        end_location=start,
    )
    return FileResult(filename, (diagnostic,))


def has_io_error(result: FileResult) -> bool:
    return any(d.code == IO_ERROR[0] for d in result.diagnostics)
