"""`tdlint server` on the command line: `tdlint check` never loads the server's
dependencies, and without them `tdlint server` says what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lsp_helpers import ROOT, TDL001, _environment


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_environment(),
        timeout=120,
    )


def test_check_does_not_import_the_server_dependencies(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(TDL001, encoding="utf-8")
    result = run_python(
        "import sys\n"
        "from tdlint.cli import main\n"
        "code = main(['check', 'model.py', '--no-cache'])\n"
        "loaded = sorted(m for m in ('pygls', 'lsprotocol', 'cattrs') if m in sys.modules)\n"
        "print('LOADED', loaded, code)\n",
        tmp_path,
    )
    assert result.stdout.splitlines()[-1] == "LOADED [] 1", result.stderr


def test_server_without_its_dependencies_says_what_to_install(tmp_path: Path) -> None:
    result = run_python(
        "import sys\n"
        "sys.modules['pygls'] = None  # as if not installed\n"
        "from tdlint.cli import main\n"
        "sys.exit(main(['server', '--stdio']))\n",
        tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "tdlint: error: `tdlint server` needs pygls and lsprotocol: pip install 'tdlint[server]'"
    )


def test_the_server_package_is_shipped() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"tdlint.server",' in text
    assert 'server = ["pygls>=2,<3", "lsprotocol"]' in text
