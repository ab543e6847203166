"""`noqa` comments: found (`comments.py`), then applied to a module's findings (`apply.py`)."""

from __future__ import annotations


def may_suppress(text: str) -> bool:
    """Whether `text` may hold a `noqa` comment: without one, `comments.parse_suppressions`
    finds nothing, and a module with nothing to check need not load it (nor compile its
    regular expressions)."""
    if "noqa" in text or "NOQA" in text:
        return True
    return "noqa" in text.lower()  # the comments' pattern ignores case: NoQA counts too
