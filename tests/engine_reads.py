"""Records what the engine gives Python's compiler: each module text it reads, and whether
the read was whole (a whole re-parse) or partial."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from lint_wb import engine, module_parse


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
