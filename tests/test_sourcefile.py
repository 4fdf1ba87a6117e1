"""Reading and writing the files tdlint fixes (tdlint/sourcefile.py): byte-faithful, and
atomic: a fix replaces the file in one step, so no reader and no crash ever sees half a file.

Writing in place (truncate, then write) passes a test that only looks at the final content;
these tests look at what only a temp-file-and-rename can give: a new inode, a hard link that
keeps the old text, an open reader that sees all of the old text, and nothing lost or left
behind when the write fails half-way.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tdlint import sourcefile
from tdlint.sourcefile import SourceFile

OLD = "import keras\nlayer = keras.layers.TimeDistributedDense(8)\n" * 50
NEW = "import keras\nlayer = keras.layers.TimeDistributed(keras.layers.Dense(8))\n" * 50


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_write_replaces_the_file_rather_than_rewriting_it(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(OLD)
    link = tmp_path / "link.py"
    os.link(path, link)
    before = path.stat().st_ino
    source = SourceFile.read(path)
    with open(path, encoding="utf-8") as reader:  # a reader that opened the file before
        assert source.write(NEW) is True
        assert reader.read() == OLD  # ...reads the whole old text, not a mix
    assert path.read_text() == NEW
    assert path.stat().st_ino != before  # a new file took the name
    assert link.read_text() == OLD  # the old file itself was never modified
    assert leftovers(tmp_path, "m.py") == ["link.py"]


class _Interrupted(BaseException):
    """A crash that no ``except Exception`` swallows (like KeyboardInterrupt)."""


def test_a_write_interrupted_half_way_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.py"
    path.write_text(OLD)
    source = SourceFile.read(path)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise _Interrupted

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> HalfWriter:
        return HalfWriter(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr(sourcefile.os, "fdopen", fdopen)
    with pytest.raises(_Interrupted):
        source.write(NEW)
    assert path.read_text() == OLD
    assert leftovers(tmp_path, "m.py") == []  # the half-written temp file is gone


def test_a_failed_rename_leaves_the_file_whole_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.py"
    path.write_text(OLD)
    source = SourceFile.read(path)

    def refuse(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sourcefile.os, "replace", refuse)
    with pytest.raises(PermissionError):
        source.write(NEW)
    assert path.read_text() == OLD
    assert leftovers(tmp_path, "m.py") == []


def test_the_temp_file_is_next_to_the_file_and_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Next to it: a rename is only atomic within one file system. Hidden, and with a suffix
    # tools can ignore, in case a crash (SIGKILL) ever leaves one behind.
    path = tmp_path / "m.py"
    path.write_text(OLD)
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        seen.append((src, str(dst)))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(sourcefile.os, "replace", spy)
    assert SourceFile.read(path).write(NEW)
    ((temp, target),) = seen
    assert Path(temp).parent == tmp_path and target == str(path)
    assert Path(temp).name.startswith(".m.py.") and temp.endswith(".tdlint-tmp")


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(OLD)
    source = SourceFile.read(path)
    path.write_text(OLD + "# edited meanwhile\n")
    os.utime(path, ns=(source.mtime_ns + 1_000_000, source.mtime_ns + 1_000_000))
    assert source.write(NEW) is False
    assert path.read_text() == OLD + "# edited meanwhile\n"
    assert leftovers(tmp_path, "m.py") == []


def test_mode_encoding_bom_and_line_endings_survive(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"\xef\xbb\xbfx = 1\r\ny = 2\r\n")
    path.chmod(0o751)
    source = SourceFile.read(path)
    assert (source.text, source.encoding, source.bom) == ("x = 1\r\ny = 2\r\n", "utf-8", True)
    assert source.write("x = 3\r\ny = 2\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbfx = 3\r\ny = 2\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751


def test_a_coding_cookie_decides_the_encoding_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n")
    source = SourceFile.read(path)
    assert source.encoding == "iso-8859-1" and source.bom is False
    assert source.text == "# -*- coding: latin-1 -*-\nname = '\u00e9t\u00e9'\n"
    assert source.write(source.text.replace("name", "nom"))
    assert path.read_bytes() == b"# -*- coding: latin-1 -*-\nnom = '\xe9t\xe9'\n"


def test_plain_utf8_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes("x = 'd\u00e9j\u00e0'\n".encode())
    source = SourceFile.read(path)
    assert (source.encoding, source.bom, source.text) == ("utf-8", False, "x = 'd\u00e9j\u00e0'\n")
    assert source.mtime_ns == path.stat().st_mtime_ns
    assert source.write("y = 1\n")
    assert path.read_bytes() == b"y = 1\n"  # no BOM added


def test_undecodable_files_raise_for_the_caller_to_report(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"x = '\xff\xfe'\n")  # on the first two lines: tokenize's SyntaxError
    with pytest.raises(SyntaxError):
        SourceFile.read(path)
    path.write_bytes(b"x = 1\ny = 2\nz = '\xff\xfe'\n")  # further down: the decoder's error
    with pytest.raises(UnicodeDecodeError):
        SourceFile.read(path)
    with pytest.raises(OSError):
        SourceFile.read(tmp_path / "missing.py")
