"""The import statements of files the prefilter skips, known from their stat.

The project index scans every module of a project for its imports (`build._Project`), also
the thousands that hold no W&B signal. A run that lints a few changed files (a pre-commit
hook, an editor) would read the whole project for that scan. Instead, the statements of each
signal-free module are kept here, by the file's stat (`known.py`'s trust: size, both times,
inode, device), in a table of their own beside the known files' table: a run that needs no
index (every result cached) never loads it.

A module's statements are taken only while its stat is still the one they were read at,
and that stat is also its record's (`KnownFiles`), whose prefilter verdict made it
signal-free: a file changed since is read again, as before. The table holds lint-wb's code
fingerprint: another lint-wb's import scan may read statements otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from lint_wb.files.known import (
    StatKey,
    lint_wb_code,
    racy,
    read_table,
    stat_key,
    write_table,
)

FORMAT = 1
"""Bump when the table layout changes."""

Statements = tuple[bytes, ...]
"""A module's import statements (`build.import_statements`)."""


class KnownImports:
    """Absolute path -> (stat, import statements), loaded when first asked."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._table: dict[str, tuple[StatKey, Statements]] | None = None
        self._lines: dict[bytes, bytes] = {}
        """One object for each distinct line: the table pickles a shared line once."""
        self._changed = False

    def get(self, name: str, stat: StatKey) -> Statements | None:
        """The statements of the file `name` (absolute) if they were read at `stat`."""
        found = self._loaded().get(name)
        return found[1] if found is not None and found[0] == stat else None

    def keep(self, name: str, stat: StatKey, statements: Sequence[bytes]) -> Statements:
        """Keep the statements read from the file `name` (absolute) at `stat`."""
        lines = self._lines
        shared = tuple(lines.setdefault(line, line) for line in statements)
        if not racy(stat):
            self._loaded()[name] = (stat, shared)
            self._changed = True
        return shared

    def save(self) -> None:
        if self.path is None or not self._changed or self._table is None:
            return
        if write_table(self.path, (FORMAT, lint_wb_code(), self._table)):
            self._changed = False

    def _loaded(self) -> dict[str, tuple[StatKey, Statements]]:
        if self._table is None:
            self._table = self._load()
        return self._table

    def _load(self) -> dict[str, tuple[StatKey, Statements]]:
        # (another lint-wb may scan imports otherwise)
        return read_table(self.path, FORMAT, lint_wb_code())


class SkippedStatements(Mapping[Path, Statements]):
    """The import statements of the signal-free modules whose bytes the run has not read, by
    path (`build.plan_index`'s `statements`): those the screening gave (`given`) and those
    of `skipped`, the project's modules whose record says the prefilter skips them, taken
    from `imports` or, when not kept there, read (and kept) when the plan first asks. Which
    paths are here is known without reading: most runs that plan ask for none of them."""

    def __init__(
        self,
        given: Mapping[Path, Statements],
        skipped: Mapping[Path, StatKey],
        imports: KnownImports,
        scan: Callable[[bytes], Sequence[bytes]],
    ) -> None:
        self._given = given
        self._skipped = skipped
        self._imports = imports
        self._scan = scan
        """`build.import_statements` (the index's machinery: given by the plan's caller)."""
        self._read: dict[Path, Statements | None] = {}

    def __getitem__(self, path: Path) -> Statements:
        found = self._given.get(path)
        if found is None:
            found = self._of_skipped(path)
        if found is None:
            raise KeyError(path)
        return found

    def _of_skipped(self, path: Path) -> Statements | None:
        """The statements of a skipped module (None: not one, or it cannot be read as it was
        when screened: then the plan reads it, as it reads a module it knows nothing of)."""
        stat = self._skipped.get(path)
        if stat is None:
            return None
        if path in self._read:
            return self._read[path]
        name = os.path.abspath(path)
        found = self._imports.get(name, stat)
        if found is None:
            found = self._read_now(path, name, stat)
        self._read[path] = found
        return found

    def _read_now(self, path: Path, name: str, stat: StatKey) -> Statements | None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        if stat_key(path) != stat:  # changed since its record: no longer known to be skipped
            return None
        return self._imports.keep(name, stat, self._scan(data))

    def __contains__(self, path: object) -> bool:
        if path in self._given:
            return True
        return isinstance(path, Path) and self._of_skipped(path) is not None

    def __iter__(self) -> Iterator[Path]:
        yield from self._given
        yield from (path for path in self._skipped if path not in self._given)

    def __len__(self) -> int:
        return len(self._given) + sum(1 for path in self._skipped if path not in self._given)
