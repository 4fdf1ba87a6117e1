"""Bounded cost per file: a size limit checked before reading, and a time limit around the
work, so that one pathological file (a 50 MB generated module, a deeply nested expression)
cannot stall a CI run. A file over a limit is skipped with the reason; the others proceed."""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes
DEFAULT_TIMEOUT = 30.0  # seconds per file


class FileTimeout(BaseException):
    """The time limit for one file ran out. A ``BaseException``, like ``KeyboardInterrupt``:
    the ``except Exception`` that keeps one rule's bug from stopping the others must not
    swallow it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``FileTimeout`` in the block after ``seconds``. Works in the main thread of a
    process on Unix (the CLI and its worker processes); elsewhere it does nothing."""
    usable = (
        seconds
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Expressions up to the guard's limits nest a few thousand deep; LibCST's metadata visitors
# recurse once per level. Python 3.11+ recursion between Python functions uses no C stack.
DEEP_RECURSION = 30_000


@contextmanager
def recursion_limit(limit: int = DEEP_RECURSION) -> Iterator[None]:
    """Allow deeper recursion for one file's work, then restore the previous limit."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def parse_size(text: str | int) -> int:
    """``10MB``, ``512KiB``, ``1048576`` -> bytes."""
    if isinstance(text, int):
        return text
    value = text.strip().upper().replace("IB", "B")
    for suffix, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024), ("B", 1)):
        if value.endswith(suffix):
            return int(float(value[: -len(suffix)]) * factor)
    return int(value)


# LibCST's native parser overflows its stack (and kills the process) on extreme nesting:
# around 2,000 nested brackets or 8,000 chained binary operators. Real code is far below;
# generated code can be above. Such files are skipped before parsing.
MAX_BRACKET_DEPTH = 500
MAX_OPERATORS_PER_LINE = 4000
_BRACKETS = re.compile(r"[()\[\]{}]")
_OPERATORS = re.compile(r"[-+*/%&|^@<>]")


# LibCST's parse time and memory also grow with how much deep nesting a file has in all:
# 40 lines nested 490 deep take ~8 GB, 30 lines of 3,000 chained operators ~50 s.
MAX_DEEP_BRACKETS = 20_000  # brackets more than 100 deep, in the whole file
MAX_CHAINED_OPERATORS = 20_000  # operators on lines with more than 1,000 of them
_DEEP = 100


def too_deep_to_parse(source: str) -> str | None:
    """Why a source is too deeply nested to hand to the parser safely, or None.

    A cheap over-estimate (brackets inside strings count too): on the rare file it flags,
    skipping is better than a crash, an exhausted memory or a parse that no timeout stops."""
    depth = deepest = deep = 0
    for bracket in _BRACKETS.findall(source):
        depth = depth + 1 if bracket in "([{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
        if depth > _DEEP:
            deep += 1
        if deepest > MAX_BRACKET_DEPTH:
            return f"brackets nested more than {MAX_BRACKET_DEPTH} deep"
        if deep > MAX_DEEP_BRACKETS:
            return f"more than {MAX_DEEP_BRACKETS} brackets nested over {_DEEP} deep"
    if len(source) > 1000:
        chained = 0
        for line in source.splitlines():
            if len(line) > 1000:
                count = len(_OPERATORS.findall(line))
                if count > MAX_OPERATORS_PER_LINE:
                    return f"more than {MAX_OPERATORS_PER_LINE} operators on one line"
                if count > 1000:
                    chained += count
                    if chained > MAX_CHAINED_OPERATORS:
                        return f"more than {MAX_CHAINED_OPERATORS} operators in long chains"
    return None
