"""The one reading of dict literals (analysis/dicts.py), through the real engine: Python's
last-wins rule decides what every rule may say about a key, and a finding is a certainty.

Each case is written inside a function whose parameter `extra` is unknown, so `**extra` may
hold any key. The same code with the spread moved before the key must be reported: the
key then has the last word.
"""

from __future__ import annotations

import textwrap

import pytest

from lint_wb import LintOptions, fix_source, lint_source
from lint_wb.analysis.dicts import DictReading, read_dict
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Applicability, Finding
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

HEADER = """\
import os
from openai import OpenAI

c = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
M = "meta-llama/Llama-3.3-70B-Instruct"
USER = [{"role": "user", "content": "hi"}]
"""


def source_of(body: str) -> str:
    return HEADER + textwrap.dedent(body)


def findings(body: str) -> list[Finding]:
    options = LintOptions(enabled=ALL_CODES)
    return list(lint_source(source_of(body), "x.py", options, load_spec()).findings)


def codes_of(body: str) -> list[str]:
    return sorted(finding.code for finding in findings(body))


def in_function(call: str, prelude: str = "") -> str:
    return f"{prelude}def f(extra, q):\n    {call}\n"


# --------------------------------------------------------------------------------------------
# The reported bug: a role a later spread may replace is not certain


def test_a_role_followed_by_a_spread_is_not_reported() -> None:
    body = in_function(
        'c.chat.completions.create(model=M, messages=[{"role": "Human", "content": q, **extra}])'
    )
    assert codes_of(body) == []


def test_a_role_after_the_spread_is_reported_with_its_safe_fix() -> None:
    body = in_function(
        'c.chat.completions.create(model=M, messages=[{**extra, "role": "Human", "content": q}])'
    )
    [finding] = findings(body)
    assert finding.code == "WB404"
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    options = LintOptions(enabled=ALL_CODES)
    outcome = fix_source(source_of(body), "x.py", options, load_spec())
    assert '{**extra, "role": "user", "content": q}' in outcome.text


# --------------------------------------------------------------------------------------------
# Every rule that looks inside a dict, each way round

SILENT_THEN_REPORTED = [
    pytest.param(
        'messages=[{"role": "user", "content": 3, **extra}]',
        'messages=[{**extra, "role": "user", "content": 3}]',
        "WB405",
        id="content",
    ),
    pytest.param(
        'messages=[{"role": "user", "content": [{"type": "txt", **extra}]}]',
        'messages=[{"role": "user", "content": [{**extra, "type": "txt"}]}]',
        "WB405",
        id="content-part-type",
    ),
    pytest.param(
        'messages=[*USER, {"role": "assistant", "tool_calls": [{"id": "1", "type": "f", '
        '"function": FUNCTION, **extra}]}]',
        'messages=[*USER, {"role": "assistant", "tool_calls": [{"id": "1", **extra, "type": "f", '
        '"function": FUNCTION}]}]',
        "WB407",
        id="tool-call-type",
    ),
    pytest.param(
        'messages=USER, tools=[{"type": "web_search", **extra}]',
        'messages=USER, tools=[{**extra, "type": "web_search"}]',
        "WB205",
        id="tool-type",
    ),
    pytest.param(
        'messages=USER, response_format={"type": "json", **extra}',
        'messages=USER, response_format={**extra, "type": "json"}',
        "WB204",
        id="response-format-type",
    ),
    pytest.param(
        'messages=USER, logit_bias={"50256": 200, **extra}',
        'messages=USER, logit_bias={**extra, "50256": 200}',
        "WB301",
        id="logit-bias-entry",
    ),
    pytest.param(
        'messages=USER, extra_body={"top_k": -5, **extra}',
        'messages=USER, extra_body={**extra, "top_k": -5}',
        "WB301",
        id="extra-body-entry",
    ),
    pytest.param(
        'messages=USER, extra_body={"chat_template_kwargs": {"enable_thinking": True}, **extra}',
        'messages=USER, extra_body={**extra, "chat_template_kwargs": {"enable_thinking": True}}',
        "WB203",
        id="extra-body-path",
    ),
    pytest.param(
        '**{"messages": [], **extra}',
        '**{**extra, "messages": []}',
        "WB408",
        id="spread-keyword",
    ),
    pytest.param(
        '**{"messages": USER, "temperature": 3, **extra}',
        '**{**extra, "messages": USER, "temperature": 3}',
        "WB301",
        id="spread-keyword-value",
    ),
    pytest.param(
        'messages=[{"role": "Human", key: q}]',
        'messages=[{key: q, "role": "Human"}]',
        "WB404",
        id="unknown-key",
    ),
]


@pytest.mark.parametrize(("silent", "reported", "code"), SILENT_THEN_REPORTED)
def test_a_later_spread_silences_and_an_earlier_one_does_not(
    silent: str, reported: str, code: str
) -> None:
    prelude = 'key = input()\nFUNCTION = {"name": "f", "arguments": "{}"}\n'
    assert codes_of(in_function(f"c.chat.completions.create(model=M, {silent})", prelude)) == []
    found = codes_of(in_function(f"c.chat.completions.create(model=M, {reported})", prelude))
    assert found == [code]


def test_a_header_followed_by_a_spread_is_not_reported() -> None:
    client = (
        'OpenAI(base_url="https://api.inference.wandb.ai/v1", default_headers={}, project="t/p")'
    )
    silent = client.replace("{}", '{"OpenAI-Project": "nope", **extra}')
    reported = client.replace("{}", '{**extra, "OpenAI-Project": "nope"}')
    assert codes_of(in_function(f"return {silent}")) == []
    assert codes_of(in_function(f"return {reported}")) == ["WB105"]


def test_a_model_followed_by_a_spread_is_not_reported() -> None:
    silent = 'c.chat.completions.create(messages=USER, **{"model": "no/such-model", **extra})'
    reported = 'c.chat.completions.create(messages=USER, **{**extra, "model": "no/such-model"})'
    assert codes_of(in_function(silent)) == []
    assert codes_of(in_function(reported)) == ["WB501"]


# --------------------------------------------------------------------------------------------
# Presence is certain even where the value is not


def test_a_key_followed_by_a_spread_is_still_present() -> None:
    body = in_function(
        'c.chat.completions.create(model=M, messages=[{"role": "user", "text": q, **extra}])'
    )
    [finding] = findings(body)
    assert finding.code == "WB406"
    assert finding.fix is None  # `content` may hide in the spread


def test_a_parameter_followed_by_a_spread_is_still_passed() -> None:
    body = in_function(
        'c.chat.completions.create(**{"model": M, "messages": USER, "store": 1, **extra})'
    )
    [finding] = findings(body)
    assert finding.code == "WB201"
    assert "store=" not in finding.message  # its value is unknown


# --------------------------------------------------------------------------------------------
# Duplicated keys and spreads the code spells out


def test_of_two_literal_keys_the_last_wins() -> None:
    call = 'c.chat.completions.create(model=M, messages=[{"role": %s, "role": %s, "content": q}])'
    silent = call % ('"Human"', '"user"')
    reported = call % ('"user"', '"Human"')
    assert codes_of(in_function(silent)) == []
    [finding] = findings(in_function(reported))
    assert finding.code == "WB404"
    assert (
        source_of(in_function(reported))
        .splitlines()[finding.location.row - 1][finding.location.column - 1 :]
        .startswith('"Human"')
    )


def test_a_spread_of_a_known_dict_is_read_in_place() -> None:
    prelude = 'BASE = {"content": "hi"}\nROLE = {"role": "Human"}\n'
    # BASE certainly has no role: the role before it stands.
    body = in_function(
        'c.chat.completions.create(model=M, messages=[{"role": "Human", **BASE}])', prelude
    )
    assert codes_of(body) == ["WB404"]
    # ROLE replaces the role written before it: its own 'Human' is what is sent.
    body = in_function(
        'c.chat.completions.create(model=M, messages=[{"role": "user", "content": q, **ROLE}])',
        prelude,
    )
    [finding] = findings(body)
    assert finding.code == "WB404"
    assert finding.location.row == HEADER.count("\n") + 2  # in ROLE's literal


def test_dict_call_keywords_cannot_be_replaced_by_its_spreads() -> None:
    # Python raises TypeError for a keyword given twice, so `temperature` is certain.
    body = in_function(
        "c.chat.completions.create(model=M, messages=USER, **dict(temperature=3, **extra))"
    )
    assert codes_of(body) == ["WB301"]


def test_a_spread_of_a_mutated_dict_is_unknown() -> None:
    prelude = 'BASE = {"content": "hi"}\nBASE["role"] = "user"\n'
    body = in_function(
        'c.chat.completions.create(model=M, messages=[{"role": "Human", **BASE}])', prelude
    )
    assert codes_of(body) == []


# --------------------------------------------------------------------------------------------
# The reading itself


def _reading(expression: str) -> DictReading:
    from lint_wb._cst import cst
    from lint_wb.analysis.binding import collect_bindings
    from lint_wb.analysis.values import Resolver

    module = cst.parse_module(f"x = {expression}\n")
    bindings = collect_bindings(module, None)
    scope: Scope = bindings.module
    statement = module.body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    assign = statement.body[0]
    assert isinstance(assign, cst.Assign)
    reading = read_dict(assign.value, scope, Resolver(bindings))
    assert reading is not None
    return reading


def test_reading_keeps_presence_closedness_and_certainty_apart() -> None:
    reading = _reading('{"a": 1, **y, "b": 2, "a": 3, "c": 4, k: 5}')
    assert set(reading.present) == {"a", "b", "c"}
    assert not reading.closed
    assert reading.get("a") is None and reading.get("b") is None  # k may be either
    assert reading.has("a") and not reading.lacks("z")
    closed = _reading('{"a": 1, "a": 2}')
    entry = closed.get("a")
    assert closed.closed and closed.lacks("b")
    assert entry is not None and entry.certain and entry.value.deep_equals(_value("2"))


def _value(text: str) -> object:
    from lint_wb._cst import cst

    return cst.parse_expression(text)


# --------------------------------------------------------------------------------------------
# One finding per node, however many requests or clients share it (rules.base.ReportsOnce)

SHARED_REQUEST = """\
PARAMS = {
    "model": "meta-llama/Llama-3.3-70B-Instruct",
    "messages": [{"role": "Human", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}],
    "max_tokens": 1_000_000,
    "temperature": 3,
    "store": True,
    "tools": [{"type": "web_search"}],
    "response_format": {"type": "json"},
    "top_k": 5,
}
c.chat.completions.create(**PARAMS)
c.chat.completions.create(**PARAMS)
c.chat.completions.parse(**PARAMS)
"""
SHARED_CLIENT = """\
KW = {
    "base_url": "https://api.wandb.ai/v1",
    "api_key": "0123456789abcdef0123456789abcdef0123",
    "project": "p",
}
a = OpenAI(**KW)
b = OpenAI(**KW)
"""


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        (SHARED_REQUEST, ["WB201", "WB202", "WB203", "WB204", "WB205", "WB301", "WB303", "WB404"]),
        (SHARED_CLIENT, ["WB101", "WB104", "WB105"]),
    ],
    ids=["request", "client"],
)
def test_a_node_shared_by_several_calls_is_reported_once(body: str, codes: list[str]) -> None:
    assert codes_of(body) == codes


def test_a_model_shared_by_several_requests_is_reported_once() -> None:
    body = """\
    PARAMS = {"model": "no/such-model", "messages": USER}
    c.chat.completions.create(**PARAMS)
    c.chat.completions.create(**PARAMS)
    """
    assert codes_of(body) == ["WB501"]
