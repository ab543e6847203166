"""The string methods both evaluators follow: `strip`, `lstrip` and `rstrip` of a known string.

Settings modules tidy what they read: `os.getenv("BASE_URL", W&B's URL).rstrip("/")`,
`os.environ.get("MODEL", "...").strip()`. Such a call, given no argument or one known
string (or `None`), is as certain as the string it strips, and it reads the same
environment variable (WB107 names it). The single-module analysis (`values.py`) and the
project index (`project/resolve.py`) evaluate it with these functions, so both agree.

A strip that leaves its literal as written, with no characters to strip but whitespace and
`/`, is transparent: the value is still written at the literal, and a fix may rewrite the
literal (no model ID or base URL a fix writes starts or ends with either). Any other strip
makes a value written at the strip's call, which no fix rewrites.

This module imports no libcst: the index reads it too.
"""

from __future__ import annotations

import string
from typing import Final

STRIP_METHODS: Final = frozenset({"strip", "lstrip", "rstrip"})
TRANSPARENT_CHARS: Final = frozenset(string.whitespace + "/")
"""What a transparent strip may remove: no fixed value starts or ends with one of these."""


def stripped(text: str, method: str, chars: str | None) -> str:
    """`text.<method>(chars)`, `method` one of :data:`STRIP_METHODS`."""
    if method == "lstrip":
        return text.lstrip(chars)
    if method == "rstrip":
        return text.rstrip(chars)
    return text.strip(chars)


def leaves_literal(text: str, method: str, chars: str | None) -> bool:
    """Whether `text.<method>(chars)` is transparent (see the module): it leaves `text` as it
    is, and would leave any value a fix writes in its place."""
    if chars is not None and not TRANSPARENT_CHARS.issuperset(chars):
        return False
    return stripped(text, method, chars) == text
