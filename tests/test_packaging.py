"""Building tdlint from a checkout leaves the checkout as it was (no `build/`, no
`tdlint.egg-info/`), and the wheel still carries the rule pages. Built for real by pip, with
its isolated build environment, in a copy of this repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, copy_of_checkout

pytestmark = pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs a git checkout to copy")


def every_file(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_building_a_wheel_leaves_the_source_tree_untouched(tmp_path: Path) -> None:
    source = tmp_path / "tdlint"
    copy_of_checkout(source)
    before = every_file(source)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert every_file(source) == before  # nothing added: no build/, no tdlint.egg-info/
    (wheel,) = tmp_path.glob("tdlint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tdlint/_docs/rules/TDL000.md" in names and "tdlint/engine.py" in names
    # Every module of the source tree is in the wheel (a package missing from
    # pyproject.toml's list imports in the checkout, not once installed).
    modules = {p.relative_to(source).as_posix() for p in (source / "tdlint").rglob("*.py")}
    assert modules - set(names) == set()
    assert not any(name.startswith("build_backend") for name in names)


def test_every_package_is_listed_in_pyproject() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "tdlint").rglob("__init__.py")
    }
    assert found, "no package found: the test looks in the wrong place"
    assert found - listed == set()
