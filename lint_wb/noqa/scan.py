"""The comments of a source text in one pass over it, as Python's `tokenize` finds them.

`tokenize` builds a token for every name, operator and string of a module to find its
comments, and costs more than the rest of reading `noqa` comments by far (about a fifth of a
libcst parse on a big module). A comment is a `#` outside a string, up to the end of its
line; so this scan jumps from one `#`, `'` or `"` to the next, skips each string whole with
the patterns `tokenize` itself uses to end one, and takes each comment to the end of its line.

Where the scan cannot vouch for giving what `tokenize` gives, it says so (None) and the caller
asks `tokenize`: a string left open, a bracket left open or a backslash at the end of the
text (`tokenize` rejects those), a lone carriage return (`tokenize` splits lines only at
`\\n`), and an f-string whose replacement fields hold a `#` or may hold its own quote (Python
3.12 reads those fields as code).
"""

from __future__ import annotations

import re

Comment = tuple[int, int, str, bool]
"""(row, column, comment text, alone on its line), as `comments.comments` yields them."""

NEXT = re.compile(r"[#'\"]")
STRING_END = {
    # What ends a string opened by each quote: `tokenize`'s own Single, Double, Single3 and
    # Double3, with a backslash taking any character (a line break included) along.
    "'": re.compile(r"[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*'", re.DOTALL),
    '"': re.compile(r'[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*"', re.DOTALL),
    "'''": re.compile(r"[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''", re.DOTALL),
    '"""': re.compile(r'[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""', re.DOTALL),
}
FORMATTED_PREFIX = frozenset("fFtT")
"""Prefix letters of a string whose `{...}` fields are code (f-strings; t-strings)."""
FIELD_MARK = re.compile(r"\{\{|\}\}|[{}#]")
CONTINUED_AT_END = re.compile(r"\\(?:\r?\n)?\Z")


def scan_comments(text: str) -> list[Comment] | None:
    """Every comment of `text`, or None where `tokenize` must be asked (see the module's
    docstring). Meant for text Python compiles, which is all the engine reads comments of:
    an indentation `tokenize` rejects is not looked for."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    found: list[Comment] = []
    depth = 0  # open brackets
    row, row_counted_to = 1, 0
    position = 0
    while (match := NEXT.search(text, position)) is not None:
        start = match.start()
        depth += _bracket_change(text, position, start)
        if match.group() == "#":
            row += text.count("\n", row_counted_to, start)
            row_counted_to = start
            position = _comment_end(text, start)
            line_start = text.rfind("\n", 0, start) + 1
            alone = not text[line_start:start].strip()
            found.append((row, start - line_start, text[start:position], alone))
            continue
        end = _string_end(text, start)
        if end is None:
            return None
        position = end
    depth += _bracket_change(text, position, len(text))
    if depth or CONTINUED_AT_END.search(text, position):
        return None
    return found


def _bracket_change(text: str, start: int, end: int) -> int:
    """How many more brackets the code between `start` and `end` opens than it closes."""
    code = text[start:end]
    if not code:
        return 0
    opened = code.count("(") + code.count("[") + code.count("{")
    return opened - code.count(")") - code.count("]") - code.count("}")


def _comment_end(text: str, start: int) -> int:
    """Where the comment at `start` ends: before its line's break (`\\n` or `\\r\\n`)."""
    end = text.find("\n", start)
    if end < 0:
        return len(text)
    return end - 1 if text[end - 1] == "\r" else end


def _string_end(text: str, start: int) -> int | None:
    """Where the string whose first quote is at `start` ends; None when it is not closed, or
    is an f-string `tokenize` may read otherwise."""
    quote = text[start]
    opener = quote * 3 if text.startswith(quote * 3, start) else quote
    body_start = start + len(opener)
    closed = STRING_END[opener].match(text, body_start)
    if closed is None:
        return None
    end = closed.end()
    formatted = any(letter in FORMATTED_PREFIX for letter in _prefix(text, start))
    if formatted and not _plain_fields(text[body_start : end - len(opener)]):
        return None
    return end


def _prefix(text: str, quote: int) -> str:
    """The letters right before a string's first quote (at most two: `rb`, `Rf`, ...)."""
    begin = quote
    while begin > 0 and quote - begin < 2 and text[begin - 1].isalpha():
        begin -= 1
    return text[begin:quote]


def _plain_fields(body: str) -> bool:
    """Whether an f-string's `body` reads the same as a plain string's to every Python: no
    `#` inside a field, and fields that close (a field cut short by a quote of the string's
    own kind, which Python 3.12 reads as a nested string, is left open)."""
    depth = 0
    position = 0
    while (found := FIELD_MARK.search(body, position)) is not None:
        mark, position = found.group(), found.end()
        if depth == 0:
            if mark == "{":
                depth = 1
            elif mark == "}":
                return False  # a lone `}` is no f-string Python reads
            # `{{`, `}}`: a brace of the text; `#`: a character of the text
        elif mark == "#":
            return False
        else:
            position = found.start() + 1  # inside a field, each brace counts alone
            depth += 1 if mark[0] == "{" else -1
    return depth == 0
