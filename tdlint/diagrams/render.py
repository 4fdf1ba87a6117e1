"""Where ``tdlint shapes`` writes a diagram: the format a file's suffix asks for, and images
drawn by Graphviz's ``dot`` when it is installed (tdlint does not depend on it)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# A suffix -> the text format written, and the image ``dot`` draws from the DOT text.
SUFFIXES: dict[str, tuple[str, str | None]] = {
    ".svg": ("dot", "svg"),
    ".png": ("dot", "png"),
    ".pdf": ("dot", "pdf"),
    ".dot": ("dot", None),
    ".gv": ("dot", None),
    ".mmd": ("mermaid", None),
    ".mermaid": ("mermaid", None),
    ".md": ("markdown", None),
    ".json": ("json", None),
}
DIAGRAM_FORMATS = ("mermaid", "dot", "markdown")
# How long Graphviz may take over one diagram.
DOT_TIMEOUT = 120


class OutputError(Exception):
    """A diagram that cannot be written: the message says why, for ``tdlint: error:``."""


@dataclass(frozen=True)
class Plan:
    format: str  # full, json, mermaid, dot, markdown
    path: Path | None = None  # None: standard output
    image: str | None = None  # svg, png, pdf: drawn by dot


def plan(output_format: str | None, output_file: str | None) -> Plan:
    """The format to write and where: ``-o``'s suffix decides, and an ``--output-format``
    given as well must agree with it. Raises ``OutputError``."""
    if output_file is None:
        return Plan(output_format or "full")
    path = Path(output_file)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(SUFFIXES)
        raise OutputError(f"{output_file}: unknown file type `{suffix or path.name}` (use {known})")
    wanted, image = SUFFIXES[suffix]
    if output_format is not None and output_format != wanted:
        raise OutputError(
            f"{output_file}: a `{suffix}` file holds {wanted}, not --output-format {output_format}"
        )
    if image is not None:
        dot_program()  # before any file is analysed: say it at once
    return Plan(wanted, path, image)


def dot_program() -> str:
    found = shutil.which("dot")
    if found is None:
        raise OutputError(
            "Graphviz's `dot` is not on PATH: install Graphviz to draw images "
            "(e.g. `apt-get install graphviz`, `brew install graphviz`), "
            "or write the DOT text with `-o FILE.dot`"
        )
    return found


def write(plan: Plan, text: str) -> None:
    """The text, or the image ``dot`` draws from it, to the plan's file. Raises
    ``OutputError``."""
    assert plan.path is not None
    if plan.image is None:
        try:
            with open(plan.path, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write {plan.path}: {exc.strerror or exc}") from None
        return
    command = [dot_program(), f"-T{plan.image}", "-o", str(plan.path)]
    try:
        done = subprocess.run(  # an argument list, never a shell
            command, input=text.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputError(f"Graphviz's `dot` failed: {exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[0] if said else f"exit status {done.returncode}"
        raise OutputError(f"Graphviz's `dot` could not draw {plan.path}: {reason}")
