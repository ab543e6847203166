"""Calls that only read the objects they are given: a client passed to one is not handed on
to something that may chat through it (`analyzer._handed_clients`, the project index's
`uses.ProjectUses._note_handed`). Python's own functions, not W&B or SDK facts: lint-wb's
list, kept short (what the reviewer met: logging a client, printing it, checking its type,
reading an attribute)."""

from __future__ import annotations

from typing import Final

READ_ONLY_BUILTINS: Final = frozenset(
    {
        "print",
        "repr",
        "str",
        "format",
        "isinstance",
        "issubclass",
        "getattr",
        "hasattr",
        "id",
        "type",
        "hash",
        "callable",
        "bool",
        "len",
        "dir",
    }
)
"""Builtins that read what they are given (when the module binds no such name)."""
LOGGING_METHODS: Final = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
"""`logging.info(...)`, `logger.warning(...)`: a logger's methods format what they are given."""
