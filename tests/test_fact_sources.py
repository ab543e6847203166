"""A module that holds nothing the analysis reads is neither parsed by libcst nor analysed
(`lint_wb/analysis/fact_sources.py`), and reports what a full lint reports: nothing, or WB902
for a `noqa` that silences nothing.

The differential tests of `test_partial.py` lint every fixture and project with the partial
parse off (no `ast`, so no module is skipped) and on, and compare the outputs; here, every
fixture and project module the test skips is analysed anyway and must have no facts.
"""

from __future__ import annotations

import ast
from itertools import product
from pathlib import Path

import libcst
import pytest

from lint_wb import engine
from lint_wb.analysis import ModuleContext, analyze
from lint_wb.analysis.fact_sources import may_hold_facts
from lint_wb.config.settings import LintOptions
from lint_wb.engine import _has_anything_to_check, lint_source
from lint_wb.module_parse import read_partial
from lint_wb.project.index import ModuleIndex
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

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


def holds_facts(code: str, where: ModuleContext | None = None) -> bool:
    return may_hold_facts(ast.parse(code), where)


@pytest.mark.parametrize(
    "code",
    ["", "# only a comment\n", "import os\nfrom openai import OpenAI\n", TYPES, "x: int = 1\n"],
)
def test_code_without_calls_or_attribute_stores_holds_no_facts(code: str) -> None:
    assert not holds_facts(code)


@pytest.mark.parametrize(
    "code",
    [
        "OpenAI()\n",
        "class A:\n    x = field(default=1)\n",
        "@decorate()\ndef f(): ...\n",
        "import openai\nopenai.api_base = 'https://api.openai.com/v1'\n",
        "import openai\nopenai.base_url: str = URL\n",
        "def f():\n    self.client.timeout += 1\n",
    ],
)
def test_a_call_or_an_attribute_store_may_hold_facts(code: str) -> None:
    assert holds_facts(code)


def test_a_module_the_index_asks_about_may_hold_facts() -> None:
    asked = ModuleContext(index=ModuleIndex(chat_api_default=True))
    assert holds_facts("X = 'model'\n", asked)
    assert not holds_facts("X = 'model'\n", ModuleContext(index=ModuleIndex()))


def test_a_module_of_types_is_not_given_to_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    given = parses(monkeypatch)
    result = lint_source(TYPES, "types.py", OPTIONS, load_spec())
    assert result.findings == () and result.parsed
    assert given == []
    lint_source(TYPES + "client = OpenAI()\n", "client.py", OPTIONS, load_spec())
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


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the engine gives Python's compiler."""
    given: list[str] = []
    read = engine.read_partial

    def recording(text: str, *, whole: bool = False) -> object:
        given.append(text)
        return read(text, whole=whole)

    monkeypatch.setattr(engine, "read_partial", recording)
    return given


BLANK_TEXTS = ["".join(chars) for n in range(4) for chars in product(engine.BLANKS, repeat=n)]


def test_a_module_of_blanks_is_not_read_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    given = reads(monkeypatch)
    for text in [*BLANK_TEXTS, "\n" * 50]:
        assert lint_source(text, "__init__.py", OPTIONS, load_spec()) == engine.LintResult(())
    assert given == []
    lint_source("# a comment\n", "__init__.py", OPTIONS, load_spec())
    assert given == ["# a comment\n"]


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
    no call and no attribute store, the analysis of the whole module finds nothing."""
    spec = load_spec()
    skipped = 0
    for path in fixture_modules():
        text = path.read_text(encoding="utf-8")
        partial = read_partial(text)
        if isinstance(partial, SyntaxError) or partial.tree is None:
            continue
        if may_hold_facts(partial.tree, None):
            continue
        skipped += 1
        facts = analyze(libcst.parse_module(text), spec.api, OPTIONS)
        assert not _has_anything_to_check(facts), path
        assert not facts.sdk_calls, path
    assert skipped >= 10
