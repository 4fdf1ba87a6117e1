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
# around 2,000 nested brackets. Real code is far below; generated code can be above. Such
# files are skipped before parsing.
MAX_BRACKET_DEPTH = 500

# LibCST's parse time and memory also grow with how much deep nesting a file has in all:
# 40 lines nested 490 deep take ~8 GB.
MAX_DEEP_BRACKETS = 10_000  # brackets opened more than 100 deep, in the whole file
_DEEP = 100

# A left-deep chain of operations (``0 + 0 + ...``, ``a.b.c...``, ``f()()...``,
# ``a[0][0]...``) costs LibCST time quadratic in its length, measured on one core: 1,000
# subscripts take ~0.9 s, 3,000 take ~22 s; 3,000 additions ~2 s. Real code chains a few
# dozen at most. A file with one chain over the limit, or long chains whose squared lengths
# add up past the budget, is skipped.
MAX_CHAIN = 1_000
MAX_CHAIN_BUDGET = 3_000_000  # the sum of squared lengths of the chains over _LONG_CHAIN
_LONG_CHAIN = 100
_TOO_LONG = f"more than {MAX_CHAIN:,} operations chained in one expression"

# What the scan looks at: brackets, operators and dots (links when right after an operand,
# so a unary minus in a data literal is none), and what ends a chain at its bracket depth.
_TOKENS = re.compile(r"[-+*/%&|^@<>.()\[\]{},;:=\n]")


def too_deep_to_parse(source: str) -> str | None:
    """Why a source is too deeply nested to hand to the parser safely, or None.

    A cheap over-estimate (what is inside strings and comments counts too): on the rare file
    it flags, skipping is better than a crash, an exhausted memory or a parse that no
    timeout stops. One pass over the characters that matter."""
    chains = [0]  # the current chain's length at each open bracket depth (index = depth)
    deep = 0
    budget = MAX_CHAIN_BUDGET
    for token in _TOKENS.finditer(source):
        char = token.group()
        if char in "([{":
            if char != "{" and _after_operand(source, token.start()):
                chains[-1] += 1  # a call or subscript trailer
                if chains[-1] > MAX_CHAIN:
                    return _TOO_LONG
            chains.append(0)
            depth = len(chains) - 1
            if depth > _DEEP:
                deep += 1
                if depth > MAX_BRACKET_DEPTH:
                    return f"brackets nested more than {MAX_BRACKET_DEPTH} deep"
                if deep > MAX_DEEP_BRACKETS:
                    return f"more than {MAX_DEEP_BRACKETS} brackets nested over {_DEEP} deep"
            continue
        if char in ")]}":
            ended = chains.pop() if len(chains) > 1 else 0
        elif char in ",;:=" or (char == "\n" and len(chains) == 1):
            ended, chains[-1] = chains[-1], 0
        elif char != "\n" and _after_operand(source, token.start()):
            chains[-1] += 1
            if chains[-1] > MAX_CHAIN:
                return _TOO_LONG
            continue
        else:
            continue
        if ended > _LONG_CHAIN:
            budget -= ended * ended
            if budget < 0:
                return "too many long chains of operations"
    return None


def _after_operand(source: str, index: int) -> bool:
    """Whether the character at ``index`` follows a name, a number or a closing bracket,
    with at most one space between."""
    index -= 1
    if index >= 0 and source[index] in " \t":
        index -= 1
    if index < 0:
        return False
    before = source[index]
    return before.isalnum() or before in "_)]"
