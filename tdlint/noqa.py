"""Suppression comments: ``# noqa``, ``# noqa: TDL001, TDL003`` on a line (or on the last line of
a multi-line statement), and ``# tdlint: noqa[: codes]`` on a line of its own for the file.

Also: which suppressions suppressed nothing (TDL900 ``unused-noqa``, with a safe fix that
removes them), and ``--add-noqa``, which writes suppressions for what is reported now.
"""

from __future__ import annotations

import re
import tokenize
from dataclasses import dataclass, field
from typing import Any

from tdlint.codes import OLD_PREFIX, PREFIX, redirect

_LINE = re.compile(
    r"#\s*noqa(?:\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE
)
_FILE = re.compile(
    r"^#\s*tdlint\s*:\s*noqa(?:\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?\s*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Comment:
    """A ``# noqa`` comment: its row, the codes it names (empty: all), and where its text
    sits on the row (0-based columns), for fixes."""

    row: int
    codes: tuple[str, ...]
    start: int
    end: int
    text: str


@dataclass
class Suppressions:
    line: dict[int, Comment] = field(default_factory=dict)
    file_codes: frozenset[str] | None = None  # None: no file-level suppression
    file_all: bool = False
    # Each row -> the last row of its logical line (statement).
    statement_end: dict[int, int] = field(default_factory=dict)

    def suppresses(self, code: str, row: int) -> Comment | bool | None:
        """The comment (or True for the file-level one) that suppresses ``code`` at ``row``;
        a comment naming the code's old spelling (``TD001`` for ``TDL001``) counts."""
        if self.file_all or (self.file_codes is not None and code in self.file_codes):
            return True
        for candidate in (row, self.statement_end.get(row, row)):
            comment = self.line.get(candidate)
            if comment is not None and (
                not comment.codes or code in comment.codes or old_spelling(code) in comment.codes
            ):
                return comment
        return None


def old_spelling(code: str) -> str:
    """``TDL001`` -> ``TD001``: how the code was written before the codes moved to TDL."""
    return OLD_PREFIX + code[len(PREFIX) :] if code.startswith(PREFIX) else code


def parse(source: str) -> Suppressions:
    """All suppression comments of a file (cheap: skipped when "noqa" does not occur)."""
    found = Suppressions()
    if "noqa" not in source.lower():
        found.statement_end = statement_ends(source)
        return found
    start = 1
    try:
        for token in tokenize.generate_tokens(_lines(source)):
            if token.type == tokenize.COMMENT:
                _record(found, token)
            elif token.type == tokenize.NEWLINE:
                for row in range(start, token.start[0] + 1):
                    found.statement_end[row] = token.start[0]
                start = token.start[0] + 1
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


def statement_ends(source: str) -> dict[int, int]:
    ends: dict[int, int] = {}
    start = 1
    try:
        for token in tokenize.generate_tokens(_lines(source)):
            if token.type == tokenize.NEWLINE:
                for row in range(start, token.start[0] + 1):
                    ends[row] = token.start[0]
                start = token.start[0] + 1
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return ends


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _lines(source: str) -> Any:
    """A readline over the source's lines as LibCST and the engine count them: a lone ``\r``
    ends a line too (``tokenize`` alone would not), so rows always agree."""
    lines = iter([line + "\n" for line in _NEWLINE.split(source)])
    return lambda: next(lines, "")


def _record(found: Suppressions, token: tokenize.TokenInfo) -> None:
    text = token.string
    whole_line = token.line.strip() == text.strip()
    file_match = _FILE.match(text.strip()) if whole_line else None
    if file_match:
        codes = file_match.group("codes")
        if codes:
            current = frozenset(redirect(c) or c for c in _codes(codes))
            found.file_codes = (found.file_codes or frozenset()) | current
        else:
            found.file_all = True
        return
    match = _LINE.search(text)
    if match:
        codes = match.group("codes")
        found.line[token.start[0]] = Comment(
            row=token.start[0],
            codes=tuple(sorted(_codes(codes))) if codes else (),
            start=token.start[1],
            end=token.end[1],
            text=text,
        )


def _codes(text: str) -> frozenset[str]:
    return frozenset(c.upper() for c in _SPLIT.split(text.strip()) if c)


def without_codes(comment: Comment, unused: set[str]) -> str:
    """The comment's text with ``unused`` codes removed ("" when nothing is left)."""
    kept = [c for c in comment.codes if c not in unused]
    match = _LINE.search(comment.text)
    assert match is not None
    before, after = comment.text[: match.start()], comment.text[match.end() :]
    if kept:
        return f"{before}# noqa: {', '.join(kept)}{after}"
    rest = (before.rstrip().rstrip("#").strip() + " " + after.strip()).strip()
    return f"# {rest}" if rest and not rest.startswith("#") else rest


def with_renamed_codes(comment: Comment, renames: dict[str, str]) -> str:
    """The comment's text with some codes respelled (``TD001`` -> ``TDL001``) where they are
    written, the rest of the comment unchanged."""
    match = _LINE.search(comment.text)
    assert match is not None and match.group("codes")
    start, end = match.span("codes")

    def respell(code: re.Match[str]) -> str:
        return renames.get(code.group(0).upper(), code.group(0))

    codes = re.sub(r"[A-Za-z]+[0-9]+", respell, comment.text[start:end])
    return comment.text[:start] + codes + comment.text[end:]


def with_codes(line: str, comment: Comment | None, codes: set[str]) -> str:
    """A source line with ``# noqa: codes`` added (merged into an existing noqa comment)."""
    if comment is not None and comment.codes:
        merged = sorted(set(comment.codes) | codes)
        new = without_codes(comment, set(comment.codes)) or ""
        text = f"# noqa: {', '.join(merged)}" + (f" {new}" if new else "")
        return line[: comment.start] + text + line[comment.end :]
    if comment is not None:
        return line  # a blanket noqa suppresses everything already
    stripped = line.rstrip("\r\n")
    ending = line[len(stripped) :]
    return f"{stripped}  # noqa: {', '.join(sorted(codes))}{ending}"
