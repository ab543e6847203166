"""Records what the engine reads: each module text it gives Python's compiler, and whether
the read was whole (a whole re-parse) or partial; each module the project index summarises."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from lint_wb import engine, module_parse
from lint_wb.project import store


class Read(NamedTuple):
    text: str
    whole: bool


def record_reads(monkeypatch: pytest.MonkeyPatch) -> list[Read]:
    """Every read of a module's text from here on, the engine's and a whole re-parse's."""
    reads: list[Read] = []
    read = module_parse.read_partial

    def recording(text: str, *, whole: bool = False) -> object:
        reads.append(Read(text, whole))
        return read(text, whole=whole)

    monkeypatch.setattr(engine, "read_partial", recording)
    monkeypatch.setattr(module_parse, "read_partial", recording)
    return reads


def record_summaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every module the run's index summarises from here on (a run on one core summarises
    in the store)."""
    made: list[str] = []
    original = store.SummaryStore._summarize

    def counting(self: store.SummaryStore, module: str, path: Path, data: bytes) -> object:
        made.append(module)
        return original(self, module, path, data)

    monkeypatch.setattr(store.SummaryStore, "_summarize", counting)
    return made
