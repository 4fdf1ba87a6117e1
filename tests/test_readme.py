"""The README's sample outputs are what tdlint prints today.

Each ```text block of README.md that starts with `$ tdlint ...` is run (from the repository
root, without cache or colour) and compared with the block; a block ending in `...` shows only
the first lines, and trailing blank lines are left out. When the output changes on purpose, regenerate the blocks with

    TDLINT_UPDATE_README=1 pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLE = re.compile(r"^```text\n\$ (tdlint [^\n]*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
ELLIPSIS = "...\n"


@dataclass(frozen=True)
class Sample:
    command: str
    shown: str  # the block's text after the command line

    @property
    def truncated(self) -> bool:
        return self.shown.endswith(ELLIPSIS)


def samples(text: str) -> list[Sample]:
    return [Sample(m.group(1), m.group(2)) for m in SAMPLE.finditer(text)]


def run(command: str) -> str:
    """What the command prints, as a user at the repository root sees it."""
    args = shlex.split(command)[1:]
    fresh = [] if args[0] in ("shapes", "rule") else ["--no-cache"]  # `check` alone caches
    result = subprocess.run(
        [sys.executable, "-m", "tdlint", *args, *fresh, "--color", "never"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.stderr == "", result.stderr
    return result.stdout


def expected_block(sample: Sample, output: str) -> str:
    output = output.rstrip("\n") + "\n"  # a trailing blank line shows nothing
    if not sample.truncated:
        return output
    kept = len(sample.shown.splitlines()) - 1
    return "".join(output.splitlines(keepends=True)[:kept]) + ELLIPSIS


def test_readme_has_samples() -> None:
    commands = [s.command for s in samples(README.read_text(encoding="utf-8"))]
    assert "tdlint examples/many_to_one_forgot_to_reduce.py" in commands
    assert len(commands) >= 3


@pytest.mark.parametrize(
    "sample", samples(README.read_text(encoding="utf-8")), ids=lambda s: s.command
)
def test_sample_output_is_current(sample: Sample) -> None:
    wanted = expected_block(sample, run(sample.command))
    if os.environ.get("TDLINT_UPDATE_README") and wanted != sample.shown:
        text = README.read_text(encoding="utf-8")
        old = f"$ {sample.command}\n{sample.shown}"
        README.write_text(text.replace(old, f"$ {sample.command}\n{wanted}"), encoding="utf-8")
        return
    assert sample.shown == wanted


def test_the_upgrade_example_is_what_the_fix_writes() -> None:
    """The README's "Upgrading to Keras 3" before/after pair: the fix of the first block is
    the second, byte for byte."""
    from tdlint.config import Selection
    from tdlint.fixes import fix_source

    section = README.read_text(encoding="utf-8").split("## Upgrading to Keras 3", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], re.DOTALL)
    before, after = blocks[:2]
    outcome = fix_source(before, "old.py", Selection.from_options(), unsafe=True)
    assert outcome.source == after
    assert outcome.result.diagnostics == ()
