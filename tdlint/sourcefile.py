"""Reading and writing the files tdlint checks, byte-faithfully.

The text keeps its line endings (no newline translation); the encoding comes from a PEP 263
cookie or defaults to UTF-8; a UTF-8 byte-order mark is remembered and written back.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
import threading
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_BOM = "\ufeff"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str
    encoding: str
    bom: bool
    mtime_ns: int

    @classmethod
    def read(cls, path: Path) -> SourceFile:
        """Raises OSError (unreadable) or UnicodeDecodeError/SyntaxError (undecodable)."""
        stat = path.stat()
        data = path.read_bytes()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        bom = data.startswith(_BOM.encode())
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        text = data.decode(encoding)
        return cls(path, text[1:] if bom else text, encoding, bom, stat.st_mtime_ns)

    def write(self, text: str) -> bool:
        """Replace the file's content atomically (temp file + rename), keeping its mode,
        encoding and BOM. Returns False, writing nothing, if the file changed since it was
        read."""
        stat = self.path.stat()
        if stat.st_mtime_ns != self.mtime_ns:
            return False
        with _interruptions_deferred():
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tdlint-tmp"
            )
            try:
                with os.fdopen(fd, "w", encoding=self.encoding, newline="") as handle:
                    handle.write((_BOM if self.bom else "") + text)
                os.chmod(tmp, stat.st_mode & 0o7777)
                os.replace(tmp, self.path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        return True


@contextlib.contextmanager
def _interruptions_deferred() -> Iterator[None]:
    """Hold Ctrl-C and termination signals while a file is replaced: arriving between the
    temporary file's creation and its cleanup, they would leave it behind. They are delivered
    as soon as the write is done (or undone). Only where the platform can block signals, and
    only in the main thread, which is where Python handles them."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = block(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)
