"""The project index's work grows with the project, not with its square: each lookup that
the resolution repeats for every name or call it follows is answered from a table made once."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from lint_wb.project import build
from lint_wb.project.summary import ModuleSummary

MUTATED = frozenset(
    {("", "HISTORY"), ("f", "messages"), ("f.g", "messages"), ("C.m", "x"), ("fx", "y")}
)


def summary(mutated: frozenset[tuple[str, str]] = MUTATED) -> ModuleSummary:
    return ModuleSummary("m", "", {}, {}, {}, (), (), mutated=mutated)


def scanned_mutates(found: ModuleSummary, scope: str, name: str) -> bool:
    """`mutates` as the whole scan of `mutated` reads it (its definition: each change is
    recorded under the scope whose binding it changes)."""
    return any(each == name and owner == scope for owner, each in found.mutated)


@pytest.mark.parametrize(
    ("scope", "name"),
    list(
        itertools.product(
            ["", "f", "f.g", "f.h", "fx", "C", "C.m", "g"], ["HISTORY", "messages", "x", "y", "z"]
        )
    ),
)
def test_mutates_is_what_the_scan_of_every_mutation_says(scope: str, name: str) -> None:
    found = summary()
    assert found.mutates(scope, name) == scanned_mutates(found, scope, name)


def test_the_mutations_are_looked_up_by_name_in_a_table_made_once() -> None:
    found = summary()
    tables = []
    for scope, name in itertools.product(["", "f", "C.m"], ["messages", "x", "nothing"]):
        found.mutates(scope, name)
        tables.append(found.__dict__.get("_mutated_by_name"))
    assert tables[0] is not None and all(table is tables[0] for table in tables)


def test_a_summary_with_its_table_made_still_equals_and_pickles_as_before() -> None:
    import pickle

    found, again = summary(), summary()
    found.mutates("f", "messages")
    assert found == again and hash(found.mutated) == hash(again.mutated)
    restored = pickle.loads(pickle.dumps(found))
    assert restored == again and restored.mutates("f.g", "messages")


def test_mentions_are_whole_words_of_the_modules_bytes(tmp_path: Path) -> None:
    texts = {
        "a.py": "ask(1)\n",
        "b.py": "asked = task_ask(2)\n",
        "c.py": "x = obj.ask\n",
        "d.py": "ASK = 1\n",
        "e.py": "def ask_me(): pass\nask\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    files = sorted(tmp_path / name for name in texts)
    project = build._Project(files, {path: path.read_bytes() for path in files})
    assert sorted(project.mentions("ask")) == ["a", "c", "e"]
    assert project.mentions("task_ask") == ["b"]
    assert project.mentions("nowhere") == []
