"""What the engine lints for one file, and how its results go back onto that file.

A `.py` file is its own module. A notebook is a module whose source comes from its code
cells (`notebook/`). Both go through the one pipeline in `api.py` (project index, cache,
rules, fixer); only this reading (file -> Python text) and writing (fixed Python text ->
file) differ, behind the two protocols below.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from lint_wb.files import SourceFile
from lint_wb.findings import Finding


class Rewritten(Protocol):
    """A file with fixed Python put back into it."""

    @property
    def file_text(self) -> str:
        """The whole new file (for a notebook, its JSON)."""

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """Findings of the fixed Python, placed in the new file as its user sees it."""

    def diff(self) -> str:
        """The change as a unified diff (`--diff`)."""


class ModuleSource(Protocol):
    """A file read as one Python module."""

    @property
    def text(self) -> str:
        """The Python source the engine lints and fixes."""

    @property
    def read_findings(self) -> tuple[Finding, ...]:
        """Findings made while reading (a notebook cell that does not parse)."""

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """Findings of `text`, placed in the file as its user sees it."""

    def rewrite(self, fixed: str) -> Rewritten | None:
        """The file with `fixed` (a fixed `text`) in it; None when it cannot be put back."""


@dataclass(frozen=True)
class PythonSource:
    """A Python file: the module is the file's text, and a finding is where it is."""

    source: SourceFile

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def read_findings(self) -> tuple[Finding, ...]:
        return ()

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        return tuple(findings)

    def rewrite(self, fixed: str) -> PythonRewrite:
        return PythonRewrite(self.source, fixed)


@dataclass(frozen=True)
class PythonRewrite:
    """A Python file's fixed text, to be written over `source`."""

    source: SourceFile
    file_text: str

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        return tuple(findings)

    def diff(self) -> str:
        if self.file_text == self.source.text:
            return ""
        return unified_diff(self.source.text, self.file_text, str(self.source.path))


def unified_diff(before: str, after: str, filename: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=filename,
        tofile=filename,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
