"""`# noqa` comments: which findings they silence, and which silence nothing (WB902).

`# noqa: WB301, WB302` on any line of a reported expression silences those codes there;
`# noqa` alone silences every code on its line; `# lint-wb: noqa` or `# lint-wb: noqa: WB5`
alone on a line turns codes off for the whole file (prefixes allowed there).
Codes of other tools in a noqa comment are left alone.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import field

from lint_wb.noqa import may_suppress
from lint_wb.noqa.scan import scan_comments
from lint_wb.records import dataclass

CODE = r"[A-Z]+[0-9]+"
LINE_NOQA = re.compile(rf"#\s*noqa(?::[\s]?(?P<codes>{CODE}(?:[,\s]+{CODE})*))?", re.IGNORECASE)
FILE_NOQA = re.compile(
    rf"^#\s*lint-wb\s*:\s*noqa(?::\s*(?P<codes>{CODE}(?:[,\s]+{CODE})*))?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class NoqaComment:
    """A `# noqa` comment: where it stands and the codes it names."""

    row: int
    start_column: int
    """0-based column where the `# noqa` text starts."""
    end_column: int
    codes: tuple[str, ...] | None
    """None for a blanket `# noqa`."""
    code_spans: tuple[tuple[int, int], ...] = ()
    """0-based column span of each code in `codes`."""


@dataclass
class Suppressions:
    """A module's `noqa` comments: those of single lines, by row, and the file-level codes."""

    line_comments: dict[int, NoqaComment] = field(default_factory=dict)
    file_codes: list[str | None] = field(default_factory=list)
    """Codes or prefixes off for the whole file; None turns every code off."""

    def file_suppresses(self, code: str) -> bool:
        return any(prefix is None or code.startswith(prefix) for prefix in self.file_codes)

    def line_suppresses(self, code: str, rows: range) -> NoqaComment | None:
        for row in rows:
            comment = self.line_comments.get(row)
            if comment is not None and (comment.codes is None or code in comment.codes):
                return comment
        return None


def comments(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(row, column, comment text, alone on its line) for every comment: as `tokenize`
    finds them, in one pass over the text where that pass can vouch for it (`scan.py`)."""
    scanned = scan_comments(text)
    if scanned is not None:
        yield from scanned
        return
    yield from tokenized_comments(text)


def tokenized_comments(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """The comments `tokenize` finds; each line's first `#` on, in a text it rejects."""
    try:
        # newline="": a lone \r ends a line for tokenize as it does for Python and LineIndex
        tokens = list(tokenize.generate_tokens(io.StringIO(text, newline="").readline))
    except (tokenize.TokenError, SyntaxError):
        # A file this Python cannot tokenize (broken, or newer syntax): scan lines instead.
        yield from _comments_by_line(text)
        return
    for token in tokens:
        if token.type == tokenize.COMMENT:
            row, column = token.start
            alone = not token.line[:column].strip()
            yield row, column, token.string, alone


def _comments_by_line(text: str) -> Iterator[tuple[int, int, str, bool]]:
    for row, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        column = line.find("#")
        if column >= 0:
            yield row, column, line[column:], not line[:column].strip()


def parse_suppressions(text: str) -> Suppressions:
    found = Suppressions()
    if not may_suppress(text):
        return found
    for row, column, comment, alone in comments(text):
        file_match = FILE_NOQA.match(comment)
        if file_match and alone:
            codes = file_match.group("codes")
            found.file_codes.extend(_split_codes(codes) if codes else [None])
            continue
        match = LINE_NOQA.search(comment)
        if match:
            found.line_comments[row] = _line_comment(row, column, match)
    return found


def _split_codes(codes: str) -> list[str | None]:
    return [code.upper() for code in re.findall(CODE, codes, re.IGNORECASE)]


def _line_comment(row: int, column: int, match: re.Match[str]) -> NoqaComment:
    start, end = column + match.start(), column + match.end()
    if match.group("codes") is None:
        return NoqaComment(row, start, end, None)
    codes_start = column + match.start("codes")
    spans = tuple(
        (codes_start + code.start(), codes_start + code.end())
        for code in re.finditer(CODE, match.group("codes"), re.IGNORECASE)
    )
    codes = tuple(code.upper() for code in re.findall(CODE, match.group("codes"), re.IGNORECASE))
    return NoqaComment(row, start, end, codes, spans)
