"""The fix preview of the full output format: the lines a fix removes (``-``) and adds (``+``).

It was a unified diff of the whole file, made once per finding: quadratic in a file with many
findings (a thousand findings in 7,000 lines took a minute). It still is for a small file. In
a larger one, only the lines around the fix are diffed, and the result is the whole-file
diff's, because the steps difflib would take over the whole file are taken here:

1. difflib matches the longest block of equal lines first. In a file much longer than the
   fix, that is the lines before the fix (with the touched lines that are unchanged at its
   start) or the lines after it (with those at its end), whichever is longer (the earlier
   when they tie); then the other block, in what is left.
2. A block is found from a line that is not "popular" (difflib's ``autojunk``: a line that
   makes up over 1% of a fixed file of 200 lines or more, a blank line say). A block of
   popular lines only, such as the empty line after a file's last line end, is not matched:
   its lines are diffed with the fix.
3. What is left is diffed, and popular lines start no match there either.

They can differ only where difflib would match a block of the fix with lines out of place
(a fix that repeats a long run of the lines just around it).
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tdlint.diagnostics import Edit
from tdlint.positions import LINE_END

# Below this many lines, diffing the whole file costs little: the preview is that diff.
WHOLE_FILE_BELOW = 200
# difflib's autojunk: in a sequence of this many lines or more, a line that occurs more than
# ``len // 100 + 1`` times is "popular" and starts no match.
AUTOJUNK_MIN = 200


@dataclass
class Previewer:
    """Previews for one file's fixes; the file's lines are split and counted once."""

    source: str
    lines: list[str]  # LINE_END.split(source)
    starts: list[int]  # where each of those lines starts
    _counts: Counter[str] | None = field(default=None, init=False)
    _runs_cache: tuple[list[int], list[int]] | None = field(default=None, init=False)

    def preview(self, edits: tuple[Edit, ...]) -> tuple[str, ...]:
        """The fix's ``-`` and ``+`` lines. ``edits`` are sorted and do not overlap."""
        if not edits:
            return ()
        hunk = self.hunk(edits) if len(self.lines) >= WHOLE_FILE_BELOW else None
        if hunk is not None:
            first, last, fixed = hunk
            is_popular = self.popularity(self.lines[first : last + 1], fixed)
            core = self.between_blocks(first, last, fixed)
            if core is not None:
                before, after = core
                return changed_lines(before, after, {line for line in after if is_popular(line)})
        return changed_lines(self.lines, LINE_END.split(applied(self.source, edits)))

    def hunk(self, edits: tuple[Edit, ...]) -> tuple[int, int, list[str]] | None:
        """The first and last (0-based) lines the edits touch, and what those lines become;
        None when the fixed text would not stay apart from the lines around it (a line end
        that would join one outside into ``\\r\\n``)."""
        low, high = min(e.start for e in edits), max(e.end for e in edits)
        first = bisect.bisect_right(self.starts, low) - 1
        last = bisect.bisect_right(self.starts, high) - 1
        begin, end = self.starts[first], self.starts[last] + len(self.lines[last])
        if high > end:
            return None  # an edit ends inside a line end
        fixed = applied(self.source[begin:end], edits, begin)
        if fixed.startswith("\n") and self.source[begin - 1 : begin] == "\r":
            return None
        if fixed.endswith("\r") and self.source.startswith("\n", end):
            return None
        return first, last, LINE_END.split(fixed)

    def popularity(self, removed: list[str], added: list[str]) -> Callable[[str], bool]:
        """Whether difflib would find a line popular in the whole fixed file (the file's
        lines, less ``removed``, plus ``added``)."""
        total = len(self.lines) - len(removed) + len(added)
        if total < AUTOJUNK_MIN:
            return lambda line: False
        if self._counts is None:
            self._counts = Counter(self.lines)
        counts, gone, new, most = self._counts, Counter(removed), Counter(added), total // 100 + 1
        return lambda line: counts[line] - gone[line] + new[line] > most

    def between_blocks(
        self, first: int, last: int, fixed: list[str]
    ) -> tuple[list[str], list[str]] | None:
        """The lines difflib has left to diff, before and after the fix, once it has matched
        the blocks of unchanged lines before and after the fix (steps 1 and 2 above); None
        when neither block can be matched (then the whole file is diffed)."""
        fixed_file = _FixedFile(self.lines, first, last, fixed)
        n, size = len(self.lines), fixed_file.size
        runs_before, runs_after = self._runs()
        # Each block runs on as long as the lines are equal, past the touched lines too.
        before = fixed_file.equal_from_start(first, min(n, size))
        after = fixed_file.equal_from_end(n - 1 - last, min(n, size))
        if runs_before[before] == 0 and runs_after[n - after] == 0:
            return None
        if runs_before[before] >= runs_after[n - after]:  # difflib finds it first
            after = min(after, n - before, size - before)  # in what the other left
            if runs_after[n - after] == 0:
                after = 0
        else:
            limit = min(n - after, size - after)
            before = fixed_file.equal_from_start(min(first, limit), limit)
            if runs_before[before] == 0:
                before = 0
        return self.lines[before : n - after], fixed_file.lines(before, size - after)

    def _runs(self) -> tuple[list[int], list[int]]:
        """For each line ``i``, the longest run of unpopular lines (where difflib starts a
        block) before line ``i``, and from line ``i`` on; computed once per file, with the
        file's own popular lines (those of the fixed file differ by a few counts at most)."""
        if self._runs_cache is None:
            if self._counts is None:
                self._counts = Counter(self.lines)
            n = len(self.lines)
            most = n // 100 + 1
            unpopular = [n < AUTOJUNK_MIN or self._counts[line] <= most for line in self.lines]
            self._runs_cache = (_longest_runs(unpopular), _longest_runs(unpopular[::-1])[::-1])
        return self._runs_cache


@dataclass(frozen=True)
class _FixedFile:
    """The fixed file's lines, read through the file's without building them: the file's
    lines with those from ``first`` to ``last`` replaced by ``fixed``."""

    original: list[str]
    first: int
    last: int
    fixed: list[str]

    @property
    def shift(self) -> int:
        """How much later a line after the fix is in the fixed file."""
        return len(self.fixed) - (self.last + 1 - self.first)

    @property
    def size(self) -> int:
        return len(self.original) + self.shift

    def line(self, j: int) -> str:
        if j < self.first:
            return self.original[j]
        if j < self.first + len(self.fixed):
            return self.fixed[j - self.first]
        return self.original[j - self.shift]

    def lines(self, low: int, high: int) -> list[str]:
        return [self.line(j) for j in range(low, high)]

    def equal_from_start(self, start: int, limit: int) -> int:
        """How many lines from the start the file and the fixed file share, knowing the
        first ``start`` are shared, up to ``limit``."""
        k = start
        while k < limit and self.original[k] == self.line(k):
            k += 1
        return k

    def equal_from_end(self, known: int, limit: int) -> int:
        """How many lines from the end they share, knowing the last ``known`` are shared,
        up to ``limit``."""
        n, size = len(self.original), self.size
        t = min(known, limit)
        while t < limit and self.original[n - 1 - t] == self.line(size - 1 - t):
            t += 1
        return t


def _longest_runs(flags: list[bool]) -> list[int]:
    """``runs[i]``: the longest run of true flags among the first ``i``."""
    runs, current = [0], 0
    for flag in flags:
        current = current + 1 if flag else 0
        runs.append(max(runs[-1], current))
    return runs


def applied(text: str, edits: tuple[Edit, ...], base: int = 0) -> str:
    """``text`` (the file's text from offset ``base``) with the sorted edits applied."""
    for edit in reversed(edits):
        text = text[: edit.start - base] + edit.content + text[edit.end - base :]
    return text


def changed_lines(
    before: list[str], after: list[str], popular: set[str] | None = None
) -> tuple[str, ...]:
    """What a unified diff without context shows: each change's ``-`` lines, then its ``+``
    lines. With ``popular``, those lines start no match (difflib's own ``autojunk`` is off:
    it would judge popularity within these lines only); without, difflib judges."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=popular is None)
    for line in popular or ():
        matcher.b2j.pop(line, None)  # as SequenceMatcher's own autojunk removes them
    shown: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            shown.extend("-" + line for line in before[i1:i2])
            shown.extend("+" + line for line in after[j1:j2])
    return tuple(shown)
