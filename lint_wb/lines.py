"""Row/column <-> offset in a source text, splitting lines where libcst splits them."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from lint_wb.findings import Location

NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Row/column <-> offset for a text, with libcst's idea of a line break."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = line_starts(text)
        self._spans: dict[tuple[int, int], tuple[str, ...]] = {}

    def offset(self, row: int, column: int) -> int:
        """`row` 1-based, `column` 0-based."""
        return self.starts[row - 1] + column

    def location(self, offset: int) -> Location:
        """The row and column (both from 1) of `offset`: on the last line that starts at or
        before it (the first line for an offset before the text)."""
        row = max(bisect_right(self.starts, offset), 1)
        return Location(row, offset - self.starts[row - 1] + 1)

    def line(self, row: int) -> str:
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def lines(self, first: int, last: int) -> tuple[str, ...]:
        """Rows `first` to `last`, the same tuple each time they are asked for: findings on
        one line share its text (thousands of findings on one long line each held a copy of
        it, gigabytes for a line of 700 KB)."""
        span = (first, last)
        found = self._spans.get(span)
        if found is None:
            found = self._spans[span] = tuple(self.line(row) for row in range(first, last + 1))
        return found


def line_starts(text: str) -> list[int]:
    """The offset of each line's start. Without a `\\r` the text's lines are its `\\n`-split
    parts (split in C, a third of what the pattern costs)."""
    if "\r" in text:
        return [0] + [match.end() for match in NEWLINE.finditer(text)]
    return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
