"""A module of the project index that the run also lints is parsed once per run: the parse
made for its summary is kept for its lint (in the process that made it)."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import libcst
import pytest

from lint_wb import _cst
from lint_wb.api import PARALLEL_THRESHOLD
from lint_wb.cli.main import main
from lint_wb.module_parse import parse_text
from tests.cli_runner import make_runner

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
CLIENT = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
)
REQUEST = (
    "from llm import client\n"
    "def ask_{n}(text):\n"
    "    return client.chat.completions.create(\n"
    "        model='openai/gpt-oss-120b', temperature={t},\n"
    "        messages=[{{'role': 'user', 'content': text}}],\n"
    "    )\n"
)


def count_parses(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Every libcst parse, in this process or a forked worker, appends its text's hash."""
    parse_module = libcst.parse_module

    def counting(text: str, *args: object, **kwargs: object) -> libcst.Module:
        with log.open("a") as f:
            f.write(f"{hash(text)}\n")
        return parse_module(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", counting)
    monkeypatch.setattr(_cst.cst, "parse_module", counting, raising=False)


def parsed_text(path: Path) -> str:
    """What libcst is given of a module: its statements that can matter (`module_parse.py`)."""
    parsed = parse_text(path.read_text())
    assert not isinstance(parsed, Exception)
    return parsed.parsed_text


def parses(log: Path) -> Counter[str]:
    return Counter(log.read_text().split()) if log.exists() else Counter()


def lint(*args: str) -> list[dict[str, object]]:
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_one_process_parses_each_module_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "llm_factory"
    shutil.copytree(PROJECTS / "llm_factory", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    # what libcst is given: the statements that can matter, or all of a module others import
    imported = root / "llm_client.py"
    texts = {str(hash(parsed_text(path))) for path in root.glob("*.py") if path != imported}
    texts.add(str(hash(imported.read_text())))
    log = tmp_path / "parses.log"
    count_parses(monkeypatch, log)
    found = lint("--jobs", "1", str(root))
    assert parses(log) == Counter(dict.fromkeys(texts, 1))  # summarised and linted: once
    assert {row["code"] for row in found} >= {"WB502"}


def test_the_lint_of_a_parse_kept_for_it_reads_its_file_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lint of a module the index parsed checks the bytes the run screened, decoded once
    (no second read, screen or decode), named as the run names the file; a fix reads the
    file again (what it writes keeps the file's mode)."""
    from lint_wb import api

    root = tmp_path / "llm_factory"
    shutil.copytree(PROJECTS / "llm_factory", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    reads: Counter[str] = Counter()
    read_raw = api.read_raw

    def counting(path: Path) -> object:
        reads[os.path.basename(path)] += 1
        return read_raw(path)

    monkeypatch.setattr(api, "read_raw", counting)
    monkeypatch.chdir(tmp_path)
    found = lint("--jobs", "1", "llm_factory")
    modules = sorted(path.name for path in root.glob("*.py"))
    assert reads == Counter(modules)  # each read once: screened, summarised, linted
    assert {row["filename"] for row in found} <= {f"llm_factory{os.sep}{m}" for m in modules}
    assert found and {row["code"] for row in found} >= {"WB502"}
    reads.clear()
    make_runner().invoke(main, ["--no-cache", "--jobs", "1", "--diff", "llm_factory"])
    assert all(count >= 2 for count in reads.values()) and reads


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_workers_lint_with_the_parse_they_made_for_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 2 * PARALLEL_THRESHOLD + 2
    (tmp_path / "llm.py").write_text(CLIENT)
    for n in range(count):
        (tmp_path / f"m{n:03}.py").write_text(REQUEST.format(n=n, t=3 if n % 2 else 1))
    serial = lint("--jobs", "1", str(tmp_path))
    log = tmp_path / "parses.log"
    count_parses(monkeypatch, log)
    parallel = lint("--jobs", "2", str(tmp_path))
    assert parallel == serial
    assert sum(row["code"] == "WB301" for row in parallel) == count // 2
    counted = parses(log)
    assert len(counted) == count + 1 and max(counted.values()) <= 2
    # A worker lints its own files first, so at least the first ones it is sent reuse its
    # parse; a file is parsed again only when the other worker takes it over at the end.
    assert sum(counted.values()) < 2 * (count + 1)


@pytest.mark.parametrize("ast_characters", [0, 10**9])
def test_a_kept_parse_holds_its_ast_only_within_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ast_characters: int
) -> None:
    """Past `KEEP_AST_CHARACTERS`, the `ast` of a kept parse is dropped (a quarter of the
    memory the parse holds); the lint of a kept parse places its findings where a fresh
    parse does, with its `ast` or without."""
    from lint_wb import api, engine

    monkeypatch.setattr(api, "KEEP_AST_CHARACTERS", ast_characters)
    root = tmp_path / "llm_factory"
    shutil.copytree(PROJECTS / "llm_factory", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    take = api._KeptParses.take
    monkeypatch.setattr(api._KeptParses, "take", lambda self, path, text: None)
    fresh = lint("--jobs", "1", str(root))
    taken: list[object] = []

    def recording(self: api._KeptParses, path: Path, text: str) -> object:
        found = take(self, path, text)
        taken.append(found)
        return found

    monkeypatch.setattr(api._KeptParses, "take", recording)
    assert lint("--jobs", "1", str(root)) == fresh
    kept = [parsed for parsed in taken if isinstance(parsed, engine.ParsedModule)]
    trees = [parsed.partial.tree for parsed in kept]
    assert trees and (any(trees) if ast_characters else not any(trees))
    assert any(row["fix"] for row in fresh)  # findings placed, fixes edited from the kept tree


def count_walks(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """How many times each module's tree is walked from its root: every walk of a tree
    (`Walker.walk`, `walk_numbering`, `ordinals.ordered_nodes`, ...) reads the module
    node's children through `walk.child_nodes`, which takes its reader from a table."""
    from lint_wb.analysis import walk

    walks: Counter[int] = Counter()
    modules: list[libcst.Module] = []  # held, so no two modules of the run share an `id`
    read = walk._CHILD_READERS.get(libcst.Module) or walk._child_reader(libcst.Module)

    def counting(module: libcst.Module) -> list[object]:
        modules.append(module)
        walks[id(module)] += 1
        return read(module)

    monkeypatch.setitem(walk._CHILD_READERS, libcst.Module, counting)
    # the binding pass's steps read the module's children there too, not from code made for
    # a node type (`walk._numberer`) after a process has walked many modules
    monkeypatch.setattr(walk, "GENERATED_AFTER", 10**9)
    for walker in _walker_classes(walk.Walker):
        monkeypatch.setattr(walker, "_numberers", {})
    return walks


def _walker_classes(base: type) -> list[type]:
    found: list[type] = [base]
    below: list[type] = base.__subclasses__()
    for kind in below:
        found += _walker_classes(kind)
    return found


def test_a_module_summarised_and_linted_is_walked_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The binding pass (which numbers the nodes for the summary and binds the names for
    the lint) and the summariser's own walk: no third walk to number the nodes, and none
    for the lint's bindings."""
    root = tmp_path / "llm_factory"
    shutil.copytree(PROJECTS / "llm_factory", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    log = tmp_path / "parses.log"
    count_parses(monkeypatch, log)
    walks = count_walks(monkeypatch)
    found = lint("--jobs", "1", str(root))
    assert {row["code"] for row in found} >= {"WB502"}
    assert len(walks) == sum(parses(log).values()) == len(list(root.glob("*.py")))
    assert set(walks.values()) == {2}


def test_a_module_summarised_and_linted_numbers_its_nodes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ordinals by node (`Bindings.ordinals()`) the summary numbers its nodes with are
    the ones the lint's positions place its findings with: one dict of every node a parse,
    not one for each."""
    from lint_wb import positions

    root = tmp_path / "llm_factory"
    shutil.copytree(PROJECTS / "llm_factory", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    given: list[dict[int, int] | None] = []
    numbering = positions._Numbering.of

    def recording(
        numbered: object, wanted: object, ordinals: dict[int, int] | None = None
    ) -> object:
        given.append(ordinals)
        return numbering(numbered, wanted, ordinals)  # type: ignore[arg-type]

    monkeypatch.setattr(positions._Numbering, "of", recording)
    made: list[int] = []
    from lint_wb.analysis import scopes

    ordinals = scopes.Bindings.ordinals

    def counting(self: scopes.Bindings) -> dict[int, int]:
        before = self._ordinals
        found = ordinals(self)
        if found is not before:
            made.append(len(found))
        return found

    monkeypatch.setattr(scopes.Bindings, "ordinals", counting)
    found = lint("--jobs", "1", str(root))
    assert {row["code"] for row in found} >= {"WB502"}
    assert given and all(ordinals is not None for ordinals in given)
    assert len(made) == len(list(root.glob("*.py")))
