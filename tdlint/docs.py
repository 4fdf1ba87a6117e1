"""Rule documentation, as ``tdlint rule TDL001`` prints it: the pages under ``docs/rules/``.

The pages are installed inside the package (``tdlint/_docs``), and read from the source tree
when running from a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def rule_doc(code: str) -> str:
    """The Markdown page of one rule."""
    name = f"{code}.md"
    checkout = Path(__file__).resolve().parents[1] / "docs" / "rules" / name
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    return resources.files("tdlint").joinpath("_docs", "rules", name).read_text(encoding="utf-8")


def rule_doc_path(code: str) -> Path | None:
    """Where the page of one rule is on disk (for a link to it), if it is a file."""
    name = f"{code}.md"
    checkout = Path(__file__).resolve().parents[1] / "docs" / "rules" / name
    if checkout.is_file():
        return checkout
    installed = Path(__file__).resolve().parent / "_docs" / "rules" / name
    return installed if installed.is_file() else None
