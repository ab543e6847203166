"""Long implicit string concatenations, which libcst's parser cannot read past 3,000 strings,
reach it two strings at a time and give libcst's own tree."""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst as cst
import pytest

from lint_wb import LintOptions, lint_source, long_concatenations
from lint_wb.containment import on_deep_stack
from lint_wb.lines import LineIndex
from lint_wb.long_chains import LONG_CHAIN, _span, parse_module
from lint_wb.long_concatenations import LONG_CONCATENATION
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.engine_reads import record_parses

STRINGS = LONG_CONCATENATION + 500
"""Above the bound, below libcst's own limit: both parses can be compared."""
CLIENT = (
    "import os\nfrom openai import OpenAI\n\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
)
CONCATENATIONS = {
    "one a line, with comments": (
        "v = (\n" + "".join(f"    'l{i}'  # c{i}\n" for i in range(STRINGS)) + ")\nx = 1\n"
    ),
    "f-strings and raw strings": (
        "v = (\n" + "".join(f"    f'l{{a!r:>{i}}}' r'\\x'\n" for i in range(STRINGS // 2)) + ")\n"
    ),
    "one line, in a call": "print(" + " ".join(f'"l{i}"' for i in range(STRINGS)) + ", 3)\n",
    "backslashes, in a function": (
        "def f():\n    return 'a' \\\n"
        + "".join(f"        'l{i}' \\\n" for i in range(STRINGS))
        + "        'z'\n"
    ),
    "triple quotes, non-ASCII, CRLF": (
        "v = (\r\n" + "".join(f'    """é\r\n{i}"""  # ü\r\n' for i in range(STRINGS)) + ")\r\n"
    ),
    "bytes, two of them": (
        "a = (" + " ".join("b'x'" for _ in range(STRINGS)) + ")\n"
        "b = [" + " ".join("'y'" for _ in range(STRINGS)) + "]\n"
    ),
    "touching keywords, a case pattern": (
        "def f(c):\n    return" + " ".join("'s'" for _ in range(STRINGS)) + "if c else None\n"
        "match x:\n    case " + " ".join("'s'" for _ in range(STRINGS)) + ":\n        pass\n"
    ),
    "inside a long chain": (
        "v = 1 + "
        + " + ".join("x" for _ in range(LONG_CHAIN + 10))
        + " + len('a' "
        + " ".join("'b'" for _ in range(STRINGS))
        + ")\n"
    ),
}


@pytest.mark.parametrize("text", CONCATENATIONS.values(), ids=CONCATENATIONS.keys())
def test_a_long_concatenation_gives_libcsts_own_tree(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    found: list[int] = []
    original = long_concatenations.long_concatenations

    def recording(*args: object) -> list[long_concatenations.Concatenation]:
        pieces = original(*args)  # type: ignore[arg-type]
        found.extend(len(piece.strings) for piece in pieces)
        return pieces

    monkeypatch.setattr(long_concatenations, "long_concatenations", recording)
    whole = cst.parse_module
    parsed = record_parses(monkeypatch)
    module = on_deep_stack(lambda: parse_module(text))
    assert found and min(found) >= LONG_CONCATENATION
    assert max(map(len, parsed)) < len(text) / 2  # in pieces, not parsed whole again
    assert module.code == text
    assert on_deep_stack(lambda: module.deep_equals(whole(text)))


def test_a_long_prompt_is_parsed_two_strings_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """4,000 strings (libcst's own parser gives up past 3,000): no text libcst is given holds
    more than two of them, and the request after the prompt is checked."""
    strings = 4000
    prompt = "".join(f'    "line {i}"\n' for i in range(strings))
    request = (
        'client.chat.completions.create(model="x", temperature=9, '
        'messages=[{"role": "user", "content": PROMPT}])\n'
    )
    text = f"{CLIENT}PROMPT = (\n{prompt})\n{request}"
    parsed = record_parses(monkeypatch)
    options = LintOptions(enabled=ALL_CODES)
    result = on_deep_stack(lambda: lint_source(text, "prompt.py", options, load_spec()))
    assert result.parsed
    assert {finding.code for finding in result.findings} == {"WB501", "WB301"}
    assert max(source.count('"line') for source in parsed) <= 2
    assert len(parsed) == strings  # the module, and one pair per neighbours


def test_many_quotes_in_few_strings_are_not_tokenized(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cheap part: a text with enough quote characters but no long concatenation (one
    long string full of quotes, many short strings apart) is parsed whole, and only the
    string node spanning enough text is tokenized."""
    quotes = "' \" " * LONG_CONCATENATION
    text = f'a = """{quotes}"""\n' + "".join(f"b{i} = 'x'\n" for i in range(LONG_CONCATENATION))
    tokenized: list[str] = []
    original = long_concatenations._strings

    def recording(segment: str, base: int) -> tuple[tuple[int, int], ...] | None:
        tokenized.append(segment)
        return original(segment, base)

    monkeypatch.setattr(long_concatenations, "_strings", recording)
    found = long_concatenations.long_concatenations(text, ast.parse(text), _span_of(text))
    assert found == []
    assert tokenized == [f'"""{quotes}"""']
    module = on_deep_stack(lambda: parse_module(text))
    assert module.code == text


def _span_of(text: str) -> Callable[[ast.expr], tuple[int, int] | None]:
    index = LineIndex(text)
    return lambda node: _span(index, node)


def test_valid_code_libcst_cannot_read_is_not_blamed_on_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the pieces ever refused, the whole parse fails (4,000 strings): WB901 must say the
    code compiles and the limit is lint-wb's, not give libcst's error as the code's."""

    def refuse(self: long_concatenations.Concatenation, text: str) -> cst.BaseExpression:
        raise ValueError("refused")

    monkeypatch.setattr(long_concatenations.Concatenation, "build", refuse)
    prompt = "".join(f'    "line {i}"\n' for i in range(4000))
    request = 'client.chat.completions.create(model="x", messages=[{"content": PROMPT}])\n'
    text = f"{CLIENT}PROMPT = (\n{prompt})\n{request}"
    options = LintOptions(enabled=ALL_CODES)
    result = on_deep_stack(lambda: lint_source(text, "prompt.py", options, load_spec()))
    [finding] = [finding for finding in result.findings if finding.code == "WB901"]
    assert "Python compiles this code" in finding.message
    assert "not an error in your code" in finding.message
