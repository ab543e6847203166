"""Records what the engine reads: each module text it gives Python's compiler, and whether
the read was whole (a whole re-parse) or partial; each module the project index summarises."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import libcst as cst
import pytest

from lint_wb import engine, module_parse
from lint_wb._cst import cst as lazy_cst
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


def record_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text libcst's parser is given from now on."""
    parsed: list[str] = []
    for name in ("parse_module", "parse_expression"):
        original = getattr(cst, name)

        def recording(source: str, *args: object, _original: object = original) -> object:
            parsed.append(source)
            return _original(source, *args)  # type: ignore[operator]

        monkeypatch.setattr(cst, name, recording)  # the fallback's whole parse
        monkeypatch.setattr(lazy_cst, name, recording)  # the placeholders' and pieces' parses
    return parsed
