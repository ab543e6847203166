"""A module that holds nothing the analysis reads is neither parsed by libcst nor analysed
(`lint_wb/analysis/fact_sources.py`), and reports what a full lint reports: nothing, or WB902
for a `noqa` that silences nothing.

The differential tests of `test_partial.py` lint every fixture and project with the partial
parse off (no `ast`, so no module is skipped) and on, and compare the outputs; here, every
fixture and project module the test skips is analysed anyway and must have no facts.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from itertools import product
from pathlib import Path

import libcst
import pytest

from lint_wb import engine
from lint_wb.analysis import ModuleContext, analyze
from lint_wb.analysis.fact_sources import client_roots, may_hold_facts
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import _has_anything_to_check, lint_source
from lint_wb.module_parse import read_partial
from lint_wb.project.told import ModuleIndex
from lint_wb.rules import ALL_CODES
from lint_wb.spec import compiled, load_spec
from tests.cli_runner import make_runner
from tests.engine_reads import record_reads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OPTIONS = LintOptions(enabled=ALL_CODES, assume_wandb=True)

TYPES = '''"""Types of a response."""
from typing import Literal, Optional

from openai import BaseModel

__all__ = ["Choice"]


class Choice(BaseModel):
    finish_reason: Literal["stop", "length"]
    model: Optional[str] = None
    """The model that answered."""
'''


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text libcst is given by the engine."""
    given: list[str] = []
    parse = engine.parse_partial

    def recording(text: str, partial: object) -> object:
        given.append(text)
        return parse(text, partial)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "parse_partial", recording)
    return given


FIXTURE_TEST = """from openai import OpenAI
import pytest

parametrize = pytest.mark.parametrize("client", [False, True], indirect=True)


@parametrize
def test_create(client: OpenAI) -> None:
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-abc123")
    assert_matches_type(OpenAI, job, integrations=[{"type": "wandb"}])
"""
"""A test of the SDK: its client is a fixture, `OpenAI` only annotates it (the openai SDK's
`tests/api_resources/fine_tuning/test_jobs.py`)."""


def holds_facts(code: str, where: ModuleContext | None = None) -> bool:
    return may_hold_facts(ast.parse(code), where, client_roots(load_spec().api))


@pytest.mark.parametrize(
    "code",
    ["", "# only a comment\n", "import os\nfrom openai import OpenAI\n", TYPES, "x: int = 1\n"],
)
def test_code_without_calls_or_attribute_stores_holds_no_facts(code: str) -> None:
    assert not holds_facts(code)


@pytest.mark.parametrize(
    "code",
    [
        "OpenAI()\n",  # not imported: the analysis cannot qualify it
        "from app.llm import OpenAI\nOpenAI()\n",
        "from app.llm import OpenAI\nChat = OpenAI\nChat()\n",
        "import litellm\nask = helper.completion\nask(model='m')\n",
        "from . import openai\nopenai.OpenAI()\n",  # relative, in no known package
        "class A:\n    x = field(default=1)\n",
        "@decorate()\ndef f(): ...\n",
        "def f():\n    self.client.timeout += 1\n",
        "import openai\nclient = make_client()\nclient.base_url = URL\n",
        FIXTURE_TEST,
    ],
)
def test_calls_and_stores_of_names_no_client_library_binds_hold_no_facts(code: str) -> None:
    assert not holds_facts(code)


@pytest.mark.parametrize(
    "code",
    [
        "from openai import OpenAI\nOpenAI()\n",
        "import openai as oa\nclient = oa.OpenAI()\n",
        "import openai.types as t\nt.X()\n",
        "from litellm import completion as ask\nask(model='m')\n",
        "import litellm\nask = litellm.completion\nask(model='m')\n",
        "import litellm\n\ndef f():\n    return ask(model='m')\n\nask = litellm.completion\n",
        "from langchain_openai import ChatOpenAI\nChat = ChatOpenAI\nMade = Chat\nMade()\n",
        "def f():\n    import groq\n    return groq.Groq()\n",
        "from openai import OpenAI\nmake(OpenAI)()\n",
        "import openai\nopenai.api_base = 'https://api.openai.com/v1'\n",
        "import openai\nopenai.base_url: str = URL\n",
        "import openai\nopenai.chat.completions.create(model='m', messages=[])\n",
        FIXTURE_TEST + "\nclient = OpenAI()\n",
    ],
)
def test_a_call_or_an_attribute_store_of_a_client_library_may_hold_facts(code: str) -> None:
    assert holds_facts(code)


def test_a_relative_import_counts_inside_a_client_library_package() -> None:
    code = "from ._client import OpenAI\nclient = OpenAI()\n"
    assert holds_facts(code, ModuleContext(package="openai"))
    assert not holds_facts(code, ModuleContext(package="app"))
    assert not holds_facts(code)


def test_a_module_the_index_asks_about_may_hold_facts() -> None:
    asked = ModuleContext(index=ModuleIndex(chat_api_default=True))
    assert holds_facts("X = 'model'\n", asked)
    assert not holds_facts("X = 'model'\n", ModuleContext(index=ModuleIndex()))


def test_a_module_of_types_is_not_given_to_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    given = parses(monkeypatch)
    result = lint_source(TYPES, "types.py", OPTIONS, load_spec())
    assert result.findings == () and result.parsed
    assert given == []
    client = TYPES.replace("import BaseModel", "import BaseModel, OpenAI") + "client = OpenAI()\n"
    lint_source(client, "client.py", OPTIONS, load_spec())
    assert len(given) == 1


def test_a_legacy_setting_without_a_call_is_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given = parses(monkeypatch)
    text = "import openai\n\nopenai.api_base = 'https://api.inference.wandb.ai/v1'\n"
    result = lint_source(text, "legacy.py", OPTIONS, load_spec())
    assert [finding.code for finding in result.findings] == ["WB602"]  # no key with it
    assert len(given) == 1


def test_an_unused_noqa_in_a_module_not_parsed_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given = parses(monkeypatch)
    text = TYPES.replace("= None\n", "= None  # noqa: WB301\n")
    result = lint_source(text, "types.py", OPTIONS, load_spec())
    assert given == []
    row = 1 + text.splitlines().index("    model: Optional[str] = None  # noqa: WB301")
    assert [(f.code, f.location.row) for f in result.findings] == [("WB902", row)]
    assert result.findings[0].fix is not None
    file_wide = "# lint-wb: noqa: WB902\n" + text
    assert lint_source(file_wide, "types.py", OPTIONS, load_spec()).findings == ()


BLANK_TEXTS = ["".join(chars) for n in range(4) for chars in product(engine.BLANKS, repeat=n)]


def test_a_module_of_blanks_is_not_read_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    given = record_reads(monkeypatch)
    for text in [*BLANK_TEXTS, "\n" * 50]:
        assert lint_source(text, "__init__.py", OPTIONS, load_spec()) == engine.LintResult(())
    assert given == []
    lint_source("X = 1\n", "__init__.py", OPTIONS, load_spec())
    assert [read.text for read in given] == ["X = 1\n"]


COMMENT_TEXTS = [
    "# Stub __init__.py for the package\n",
    "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# Copyright (c) 2024 Straße\n",
    "  # indented\n\t# tab\n\f # form feed\n# no newline at the end",
    "# one\r# two\r\n\r\n# three\\\n",
    "# a\n# noqa: WB301\n",
    "# lint-wb: noqa: WB902\n# noqa: WB301\n",
    "\n\n# after blank lines  # noqa\n\n",
]


def lint_read_in_full(text: str, where: ModuleContext | None = None) -> engine.LintResult:
    """What `lint_source` gives `text` through Python's compile and the partial read."""
    only_comments = engine._only_comments
    engine._only_comments = lambda text: False  # type: ignore[assignment]
    try:
        return lint_source(text, "__init__.py", OPTIONS, load_spec(), where=where)
    finally:
        engine._only_comments = only_comments  # type: ignore[assignment]


def test_a_module_of_comments_is_not_read_and_reports_what_a_read_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stub `__init__.py` of comments costs no compile: the same findings as a full lint
    (WB902 for a `noqa` that silences nothing)."""
    expected = [lint_read_in_full(text) for text in COMMENT_TEXTS]
    assert any(result.findings for result in expected)
    given = record_reads(monkeypatch)
    for text, full in zip(COMMENT_TEXTS, expected):
        assert lint_source(text, "__init__.py", OPTIONS, load_spec()) == full, text
    assert given == []


@pytest.mark.parametrize(
    "text",
    [
        "# a\rx = (\n",  # `\r` ends a line for Python: code follows it
        "# a\r\nimport openai\n",
        "# a null byte \x00\n",  # Python rejects it even in a comment
        "# a lone surrogate \udcff\n",  # not UTF-8: Python cannot compile it
        "\ufeff# a byte-order mark inside the text\n",
        " \x1c# not a blank for Python\n",
        "#!/bin/sh\nx = 1\n",
    ],
)
def test_what_only_looks_like_comments_is_read(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    expected = lint_read_in_full(text)
    given = record_reads(monkeypatch)
    assert lint_source(text, "__init__.py", OPTIONS, load_spec()) == expected
    assert [read.text for read in given] == [text]


def test_a_module_of_comments_the_index_asks_about_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given = record_reads(monkeypatch)
    asked = ModuleContext(index=ModuleIndex(chat_api_default=True))
    lint_source(COMMENT_TEXTS[0], "__init__.py", OPTIONS, load_spec(), where=asked)
    assert [read.text for read in given] == [COMMENT_TEXTS[0]]


@pytest.mark.parametrize("text", BLANK_TEXTS)
def test_a_module_of_blanks_compiles_and_parses(text: str) -> None:
    """What the engine's shortcut for blank modules relies on: nothing to report, not even
    WB901."""
    compile(text, "<blank>", "exec")
    libcst.parse_module(text)


def fixture_modules() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*.py") if not path.name.endswith(".fixed.py"))


def test_every_fixture_module_skipped_has_no_facts() -> None:
    """The claim itself, on every fixture and project module: when the kept statements hold
    no call and no attribute store of a name a client library binds, the analysis of the
    whole module finds nothing."""
    spec = load_spec()
    skipped = 0
    for path in fixture_modules():
        text = path.read_text(encoding="utf-8")
        partial = read_partial(text)
        if isinstance(partial, SyntaxError) or partial.tree is None:
            continue
        if may_hold_facts(partial.tree, None, client_roots(spec.api)):
            continue
        skipped += 1
        facts = analyze(libcst.parse_module(text), spec.api, OPTIONS)
        assert not _has_anything_to_check(facts), path
        assert not facts.sdk_calls, path
    assert skipped >= 10


HEAVY = ("libcst", "lint_wb.analysis.analyzer", "lint_wb.spec.types", "tomllib")
"""What a run whose files hold no facts does without: libcst, the analysis, the spec's
classes and the TOML parser (the spec comes compiled: `spec/compiled.py`)."""
PROBE = f"""
import sys
from click.testing import CliRunner
from lint_wb.cli.main import main
result = CliRunner().invoke(main, sys.argv[1:])
print(result.stdout)
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def linted_in_a_new_process(folder: Path, cache: Path) -> tuple[list[str], list[str]]:
    """The codes `lint-wb folder` reports, and which of `HEAVY` the run imported (with
    `cache` as lint-wb's cache folder, where it keeps the compiled spec)."""
    args = [str(folder), "--isolated", "--no-cache", "--output-format", "json"]
    command = [sys.executable, "-c", PROBE, *args]
    environment = {**os.environ, "LINT_WB_CACHE_DIR": str(cache)}
    report, loaded = subprocess.run(
        command, capture_output=True, text=True, check=True, env=environment
    ).stdout.rsplit("\n", 2)[:2]
    return [row["code"] for row in json.loads(report)], loaded.split(",") if loaded else []


def test_a_run_whose_files_all_hold_no_facts_loads_no_parser_analysis_or_spec(
    tmp_path: Path,
) -> None:
    """Files with a W&B signal reach the engine; none holds a fact (types, a test of the SDK
    whose client is a fixture, a blank `__init__.py`), so libcst is never imported, nor the
    analysis; once the spec is compiled (the first run), neither are the spec's classes."""
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    (tree / "__init__.py").write_text("\n")
    (tree / "types.py").write_text(TYPES.replace("Choice", "WandbIntegration"))
    (tree / "test_jobs.py").write_text(FIXTURE_TEST)
    assert linted_in_a_new_process(tree, cache) == ([], ["lint_wb.spec.types", "tomllib"])
    assert linted_in_a_new_process(tree, cache) == ([], [])
    (tree / "client.py").write_text(
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.wandb.ai/v1')\n"
    )
    codes, loaded = linted_in_a_new_process(tree, cache)
    assert (codes, loaded[:3]) == (["WB101"], list(HEAVY[:3]))


def test_a_compiled_spec_names_the_client_roots_of_its_spec() -> None:
    """The roots a run takes from the compiled spec (without loading it) are those of the
    spec itself."""
    made = compiled._compile(None)
    assert made.client_roots == client_roots(made.spec().api)
    assert {"openai", "anthropic", "litellm"} <= made.client_roots


WANDB = "https://api.wandb.ai/v1"  # a near miss: WB101 wherever a client is known
REQUEST = "client.chat.completions.create(model='m', messages=[], temperature=3)\n"
NOT_CLIENTS = [
    # the analysis qualifies a callee through imports only: none of these is a client
    f"import openai\n\nclass C(openai.OpenAI):\n    pass\n\nclient = C(base_url='{WANDB}')\n",
    f"from openai import *\n\nclient = OpenAI(base_url='{WANDB}')\n",
    f"import openai\n\nClient = openai.OpenAI\nclient = Client(base_url='{WANDB}')\n",
]
CLIENTS = [
    f"import openai\n\nopenai.base_url = '{WANDB}'\n",
    f"import openai\n\nopenai.base_url = '{WANDB}'\nclient = openai\n",
    f"import openai as oa\n\nclient = oa.OpenAI(base_url='{WANDB}')\n",
    f"from openai import AsyncOpenAI as Maker\n\nclient = Maker(base_url='{WANDB}')\n",
    "def make():\n    from openai import OpenAI\n"
    f"    return OpenAI(base_url='{WANDB}')\n\nclient = make()\n",
]


def library_sites() -> list[str]:
    """A call of every callable of the call-site table, imported under an alias, and through
    an aliased module."""
    from lint_wb.spec import bundled_libraries

    keywords = f"model='wandb/m', base_url='{WANDB}', api_base='{WANDB}', temperature=3"
    sites = []
    for row in bundled_libraries().callables:
        for name in (*row.names, *row.legacy_names):
            module, _, leaf = name.rpartition(".")
            sites.append(f"from {module} import {leaf} as aliased\n\nx = aliased({keywords})\n")
            sites.append(f"import {module} as lib\n\nx = lib.{leaf}({keywords})\n")
    return sites


def lint_skipping_and_not(
    monkeypatch: pytest.MonkeyPatch, text: str, options: LintOptions, where: ModuleContext | None
) -> tuple[engine.LintResult, engine.LintResult]:
    """The engine's result with the skip of modules without facts, and without it."""
    skipping = lint_source(text, "m.py", options, load_spec(), where=where)
    with monkeypatch.context() as patched:
        patched.setattr(engine, "_nothing_to_check", lambda *args: False)
        parsing = lint_source(text, "m.py", options, load_spec(), where=where)
    return skipping, parsing


@pytest.mark.parametrize("assume_wandb", [False, True])
@pytest.mark.parametrize(
    "text", [*NOT_CLIENTS, *(code + REQUEST for code in [*NOT_CLIENTS, *CLIENTS]), *CLIENTS]
)
def test_skipping_modules_without_facts_changes_no_finding(
    monkeypatch: pytest.MonkeyPatch, text: str, assume_wandb: bool
) -> None:
    options = LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)
    skipping, parsing = lint_skipping_and_not(monkeypatch, text, options, None)
    assert skipping.findings == parsing.findings
    if text.startswith(tuple(CLIENTS)):
        assert parsing.findings and holds_facts(text)


@pytest.mark.parametrize("text", library_sites())
def test_every_library_call_site_may_hold_facts(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    assert holds_facts(text)
    skipping, parsing = lint_skipping_and_not(monkeypatch, text, OPTIONS, None)
    assert skipping.findings == parsing.findings


def test_a_client_from_a_project_module_is_linted_alone_as_in_its_project(
    tmp_path: Path,
) -> None:
    """The module that uses it imports nothing from a client library: the project index tells
    it the client (`ModuleContext.index`), alone as with the rest of the project."""
    (tmp_path / ".git").mkdir()
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "llm.py").write_text(
        "from openai import OpenAI\n\n\ndef get_client():\n"
        f"    return OpenAI(base_url='{WANDB}')\n\n\nclient = get_client()\n"
    )
    main_py = app / "main.py"
    main_py.write_text(
        "import app.llm as llm\nfrom app.llm import get_client\n\n"
        "get_client().chat.completions.create(model='m', messages=[], temperature=3)\n"
        "llm.client.chat.completions.create(model='m', messages=[], temperature=3)\n"
    )
    args = ["--isolated", "--no-cache", "--output-format", "json"]

    def found(path: Path) -> list[tuple[str, int]]:
        rows = json.loads(make_runner().invoke(main, [str(path), *args]).stdout)
        return [
            (r["code"], r["location"]["row"]) for r in rows if r["filename"].endswith("main.py")
        ]

    alone = found(main_py)
    assert alone == found(tmp_path)
    assert {row for code, row in alone if code == "WB301"} == {4, 5}  # both requests


# ------------------------------------------------------------------ the walk stops early


def every_name_walked(tree: ast.Module, roots: frozenset[str], package: str | None) -> bool:
    """The answer read off every node (`may_hold_facts` without its early stop, nor its
    shortcuts: each callee and target read with `ast.walk`, and the names assignments bind
    to an imported dotted name, `Chat = ChatOpenAI`, and classes of one such base, `class
    Bot(OpenAI)`, taken in to a fixed point)."""
    from lint_wb.analysis.fact_sources import _imported_names

    def names_in(node: ast.AST) -> set[str]:
        return {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}

    imported: set[str] = set()
    mentioned: set[str] = set()
    assigned: list[tuple[set[str], str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            mentioned.update(names_in(node.func))
        elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            mentioned.update(names_in(node.value))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update(_imported_names(node, roots, package))
        elif isinstance(node, ast.Assign) or (
            isinstance(node, ast.ClassDef) and len(node.bases) == 1
        ):  # `Chat = ChatOpenAI`; `class Bot(OpenAI)`, built as its base is
            if isinstance(node, ast.ClassDef):
                value, targets = node.bases[0], {node.name}
            else:
                value = node.value
                targets = {target.id for target in node.targets if isinstance(target, ast.Name)}
            while isinstance(value, ast.Attribute):
                value = value.value
            if isinstance(value, ast.Name):
                assigned.append((targets, value.id))
    grown = True
    while grown:
        before = len(imported)
        imported.update(*(targets for targets, head in assigned if head in imported))
        grown = len(imported) > before
    return not imported.isdisjoint(mentioned)


def test_the_walk_answers_as_reading_every_node_does() -> None:
    roots = client_roots(load_spec().api)
    root = Path(__file__).resolve().parent.parent
    paths = sorted([*FIXTURES.rglob("*.py"), *(root / "lint_wb").rglob("*.py")])
    answers = set()
    trees = []
    for path in paths:
        try:
            trees.append((path, ast.parse(path.read_text(encoding="utf-8"))))
        except SyntaxError:
            continue  # a fixture of WB901
    for (path, tree), package in product(trees, [None, "openai", "app"]):
        where = ModuleContext(package=package)
        answer = may_hold_facts(tree, where, roots)
        assert answer == every_name_walked(tree, roots, package), path
        answers.add(answer)
    assert answers == {True, False}
    late = "def f():\n    return OpenAI()\n\nfrom openai import OpenAI\n"
    assert may_hold_facts(ast.parse(late), None, roots)  # the import after the call
    assigned_late = "def f():\n    C = B\n    return C()\n\nB = O\nfrom openai import OpenAI as O\n"
    assert may_hold_facts(ast.parse(assigned_late), None, roots)  # the import after both
    assert every_name_walked(ast.parse(assigned_late), roots, None)
    inside = [  # a client's name only in a callee's inner parts (read once, with the callee)
        "import openai\nf(lambda: openai)()\n",
        "import openai\n(x := openai.OpenAI)()\n",
        "from openai import OpenAI as O\nf(g(O))(1)\n",
        "import openai\n[0 for z in y][openai.i]()\n",
        "import openai\nf(openai).x = 1\n",
        "import openai\ndel (lambda: openai)().x\n",
    ]
    for code in inside:
        assert may_hold_facts(ast.parse(code), None, roots), code
        assert every_name_walked(ast.parse(code), roots, None), code
    outside = "import openai\nf(1)(openai)\nx = openai.y\n"  # an argument, a read
    assert not may_hold_facts(ast.parse(outside), None, roots)
    assert not every_name_walked(ast.parse(outside), roots, None)


def test_the_walk_stops_at_the_first_call_of_an_imported_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lint_wb.analysis import fact_sources

    read: list[ast.AST] = []
    children = fact_sources._children

    def counting(node: ast.AST) -> list[ast.AST]:
        read.append(node)
        return children(node)

    monkeypatch.setattr(fact_sources, "_children", counting)
    text = "from openai import OpenAI\nclient = OpenAI()\n" + "x = [1, 2, 3]\n" * 200
    assert may_hold_facts(ast.parse(text), None, client_roots(load_spec().api))
    assert 0 < len(read) < 20
