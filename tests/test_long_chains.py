"""Long operator chains reach libcst's parser in short pieces and give libcst's own tree."""

from __future__ import annotations

import libcst as cst
import pytest

from lint_wb import LintOptions, lint_source
from lint_wb.containment import on_deep_stack
from lint_wb.long_chains import LONG_CHAIN, parse_module
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.engine_reads import record_parses

TERMS = LONG_CHAIN + 20
CLIENT = (
    "import os\nfrom openai import OpenAI\n\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
)
CHAINS = {
    "one line": "total = " + " + ".join(f"x{i % 10}" for i in range(TERMS)) + "\n",
    "lines and comments in parentheses": (
        "total = (\n"
        + "".join(f"    x{i % 10} +  # part {i}\n" for i in range(TERMS - 1))
        + "    last\n)\nafter = 1\n"
    ),
    "strings, two chains, in a call": (
        "print(" + " + ".join(f"'p{i}'" for i in range(TERMS)) + ")\n"
        "flags = [" + " | ".join("F" for _ in range(TERMS)) + "]\n"
    ),
    "a parenthesized operand (parsed whole)": (
        "t = (a) + " + " - ".join("b" for _ in range(TERMS)) + "\n"
    ),
}


@pytest.mark.parametrize("text", CHAINS.values(), ids=CHAINS.keys())
def test_a_long_chain_gives_libcsts_own_tree(text: str) -> None:
    module = on_deep_stack(lambda: parse_module(text))
    assert module.code == text
    assert on_deep_stack(lambda: module.deep_equals(cst.parse_module(text)))


def test_no_text_given_to_libcsts_parser_holds_a_long_chain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """3,000 terms: each text libcst parses holds at most one operator of the chain, and all
    of them together are a few times the file: the parse grows with the chain's length."""
    terms = 3000
    chain = " + ".join(f"x{i % 10}" for i in range(terms))
    # the request reads `total`, so the chain is among the statements libcst is given
    request = "client.chat.completions.create(model=M, messages=[], max_tokens=total)\n"
    text = f"{CLIENT}total = {chain}\n{request}"
    parsed = record_parses(monkeypatch)
    options = LintOptions(enabled=ALL_CODES)
    result = on_deep_stack(lambda: lint_source(text, "chain.py", options, load_spec()))
    assert result.parsed
    assert max(source.count("+") for source in parsed) <= 1
    assert sum(map(len, parsed)) <= 3 * len(text)
    assert len(parsed) == terms  # the module, and one pair per operator


def test_the_callers_ast_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's parse hands `ast`'s tree of the text it already has (`Partial.tree`):
    finding the chains in it reads nothing again."""
    import ast
    from types import SimpleNamespace

    from lint_wb import long_chains, module_parse

    text = CLIENT + "client.chat.completions.create(model=M, messages=[], n=total)\n"
    text += CHAINS["one line"]
    partial = module_parse.read_partial(text)
    assert not isinstance(partial, SyntaxError) and partial.tree is not None
    expected = on_deep_stack(lambda: parse_module(partial.text))

    def no_parse(*args: object, **kwargs: object) -> ast.Module:
        raise AssertionError("ast read the text again")

    # long_chains' own `ast`, with `parse` refusing (pytest's reporting needs the real one)
    monkeypatch.setattr(long_chains, "ast", SimpleNamespace(**{**vars(ast), "parse": no_parse}))
    found = on_deep_stack(lambda: module_parse.parse_partial(text, partial))
    assert isinstance(found, module_parse.ParsedModule)
    assert on_deep_stack(lambda: found.module.deep_equals(expected))
    assert long_chains.long_chains(partial.text, partial.tree)
