"""The values the engine hands to the outside: findings, fixes and their text edits.

Positions are 1-based rows and columns counted in characters (code points), end
exclusive, as in ruff's JSON output.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum

from lint_wb.records import dataclass


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Applicability(str, Enum):
    """How sure a fix is to keep what the user meant (ruff's fix safety)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based row and column (in characters)."""

    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` and ``end`` with ``content``."""

    start: Location
    end: Location
    content: str


@dataclass(frozen=True)
class Fix:
    """The edits that fix a finding, and how safe they are."""

    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def is_applied(self, unsafe_fixes: bool) -> bool:
        return self.applicability is Applicability.SAFE or unsafe_fixes


@dataclass(frozen=True)
class Finding:
    """One problem found in a file: the rule's code and name, where, why, and its fix."""

    code: str
    name: str
    severity: Severity
    message: str
    filename: str
    location: Location
    end_location: Location
    fix: Fix | None = None
    cell: int | None = None
    url: str = ""
    source_lines: tuple[str, ...] = field(default=(), compare=False, hash=False)
    """The source lines the finding spans, for reporters that show them."""

    @property
    def sort_key(self) -> tuple[str, int | None, int, int, str]:
        """The report's order. The location's row and column, not the location: comparing
        `Location`s makes their compare methods (`records.py`), a warm run's only use."""
        return (self.filename, self.cell, self.location.row, self.location.column, self.code)
