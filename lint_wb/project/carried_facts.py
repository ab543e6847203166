"""The reach's statement facts (`carried.StatementFacts`), kept from one run to the next.

The carried reach (`carried.py`) parses each top-level statement it reads of a module in
reach, to learn the names it binds and whether it may change state. In a project of many
W&B modules (lint-wb's own checkout: its sources and hundreds of fixture modules) that is
thousands of `ast` parses of big statements on every run that plans an index, an editor's
run on one changed buffer included (about half a second of CPU). The facts are a function of
the statement's text and lint-wb's code alone: kept here by the text's SHA-256, in a table a
project in the user's cache folder (`cache.carried_facts_table`), written through the one
atomic writer when the run added to it. A table another lint-wb wrote
is dropped (its reader may read statements otherwise), and so is a broken one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from lint_wb.digests import hex_digest
from lint_wb.files.known import read_table, write_table
from lint_wb.project.carried import StatementFacts, statement_facts

FORMAT: Final = 1
"""Bump when the table layout changes."""
KEPT: Final = 20_000
"""How many statements' facts the table keeps, those the last runs read last."""


class KeptFacts:
    """`statement_facts` of a statement's text, from the table at `path` when kept there
    (None: kept only while this run lasts). Called as the reach's `facts`."""

    def __init__(self, path: Path | None, code: str) -> None:
        self.path = path
        self.code = code
        """lint-wb's code (`cache.code_fingerprint`): the table's facts are its reader's."""
        self._table: dict[str, StatementFacts] | None = None
        self._used: dict[str, StatementFacts] = {}
        """The facts this run asked for, by key, in the order asked."""
        self._added = 0

    def __call__(self, text: bytes) -> StatementFacts:
        key = hex_digest(text)[:32]  # (128 bits: the table loads thousands)
        found = self._used.get(key)
        if found is None:
            found = self._loaded().get(key)
            if found is None:
                found = statement_facts(text)
                self._added += 1
            self._used[key] = found
        return found

    def save(self) -> None:
        """Write the table when this run read a statement it did not hold: the facts this
        run used go last, the oldest beyond `KEPT` are dropped."""
        if self.path is None or not self._added:
            return
        table = {key: facts for key, facts in self._loaded().items() if key not in self._used}
        table.update(self._used)
        kept = dict(list(table.items())[-KEPT:])
        if write_table(self.path, (FORMAT, self.code, kept)):
            self._table = kept
            self._added = 0

    def _loaded(self) -> dict[str, StatementFacts]:
        if self._table is None:
            self._table = self._load()
        return self._table

    def _load(self) -> dict[str, StatementFacts]:
        return read_table(self.path, FORMAT, self.code)
