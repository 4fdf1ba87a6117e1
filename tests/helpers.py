"""What the command-line tests share: running tdlint for real, and writing files."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Mutation testing (docs/contributing.md) maps each test to the functions it runs, in the test
# process only: there the command line runs in-process, so that a mutant of the CLI or of a
# report format is killed by the CLI tests. Set TDLINT_TESTS_IN_PROCESS=1 to do the same by hand.
IN_PROCESS = "MUTANT_UNDER_TEST" in os.environ or os.environ.get("TDLINT_TESTS_IN_PROCESS") == "1"


def tdlint(
    *args: str, cwd: Path | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m tdlint ARGS`` in a subprocess, as a user runs it.

    Without ``cwd`` it runs in a fresh empty folder, never in the checkout: the cache lives
    in the current folder, and a ``.tdlint_cache`` left in the tree by earlier runs (of other
    code) must never answer for the code under test. Pass paths absolute, then."""
    if cwd is None:
        with tempfile.TemporaryDirectory(prefix="tdlint-cwd-") as fresh:
            return tdlint(*args, cwd=Path(fresh), stdin=stdin, timeout=timeout)
    if IN_PROCESS:
        return _in_process(list(args), cwd, stdin)
    return subprocess.run(
        [sys.executable, "-m", "tdlint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=timeout,
    )


def _in_process(args: list[str], cwd: Path, stdin: str | None) -> subprocess.CompletedProcess[str]:
    """``tdlint.cli.main(args)`` in this process, with its own folder, input and output."""
    from tdlint import cli

    out, err = io.StringIO(), io.StringIO()
    saved_cwd, saved_stdin = os.getcwd(), sys.stdin
    os.chdir(cwd)
    sys.stdin = io.StringIO(stdin or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(args)
            except SystemExit as exc:  # argparse: --version, --help, usage errors
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(saved_cwd)
        sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["tdlint", *args], code, out.getvalue(), err.getvalue())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


REPO = Path(__file__).resolve().parents[1]


def not_a_git_checkout(repo: Path = REPO) -> str | None:
    """Why ``repo`` is not the top of a git work tree (git missing, an unpacked sdist, a copy
    inside someone else's repository), or None when it is: the tests that hand this
    repository to git or pre-commit skip with that reason."""
    if shutil.which("git") is None:
        return "git is not installed"
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git failed: {exc}"
    if found.returncode != 0:
        return f"{repo} is not a git checkout (an unpacked sdist?)"
    top = Path(found.stdout.strip())
    if top.resolve() != repo.resolve():
        return f"{repo} is not a git checkout of its own: it is inside the one at {top}"
    return None


def copy_of_checkout(target: Path) -> None:
    """This checkout's files as they are now (tracked, and untracked unless git ignores them),
    copied to ``target``: what `pre-commit try-repo` or pip would see."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in listed.split("\0"):
        if name and (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
