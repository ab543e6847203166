"""WB201, WB202, WB204-WB207: which keywords a request passes, and their fixes."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from lint_wb import LintOptions, fix_source, lint_source
from lint_wb.findings import Applicability, Finding
from lint_wb.rules.edits import add_dict_entry, without_args
from lint_wb.spec import load_spec

CODES = frozenset({"WB201", "WB202", "WB204", "WB205", "WB206", "WB207"})
HEADER = (
    "from openai import OpenAI\n"
    "from pydantic import BaseModel\n"
    "client = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
)


def create(arguments: str, method: str = "create", indent: str = "") -> str:
    """A one-line request with `arguments` after model and messages."""
    return f"{indent}client.chat.completions.{method}(model='m', messages=[], {arguments})\n"


def in_function(arguments: str, parameters: str = "**kw") -> str:
    return f"def f({parameters}):\n" + create(arguments, indent="    ")


def code(body: str) -> str:
    return HEADER + textwrap.dedent(body).lstrip("\n")


def findings(body: str, **options: object) -> list[Finding]:
    lint_options = LintOptions(enabled=CODES, **options)  # type: ignore[arg-type]
    return list(lint_source(code(body), "x.py", lint_options, load_spec()).findings)


def found(body: str, **options: object) -> list[tuple[str, int]]:
    """(code, row) pairs, rows counted from the first line of `body`."""
    offset = HEADER.count("\n")
    return [(finding.code, finding.location.row - offset) for finding in findings(body, **options)]


def fixed(body: str, *, unsafe: bool = False) -> str:
    outcome = fix_source(
        code(body), "x.py", LintOptions(enabled=CODES), load_spec(), unsafe_fixes=unsafe
    )
    assert outcome.dropped == ()
    assert outcome.converged
    return outcome.text.removeprefix(HEADER)


# ---------------------------------------------------------------------------------------------
# WB202: moving keywords into extra_body


def test_three_keywords_converge_into_one_extra_body() -> None:
    body = """
    client.chat.completions.create(
        model="m",
        messages=[],
        top_k=40,
        repetition_penalty=1.1,
        min_p=0.05,
    )
    """
    assert fixed(body) == textwrap.dedent("""\
    client.chat.completions.create(
        model="m",
        messages=[],
        extra_body={"top_k": 40, "repetition_penalty": 1.1, "min_p": 0.05},
    )
    """)


def test_every_moved_keyword_carries_the_same_fix() -> None:
    result = findings(create("top_k=1, min_p=0.1"))
    assert [finding.code for finding in result] == ["WB202", "WB202"]
    first, second = (finding.fix for finding in result)
    assert first is not None and first == second
    assert first.message == "Move 'top_k', 'min_p' into extra_body"


def test_merging_keeps_comments_and_trailing_commas() -> None:
    body = """
    client.chat.completions.create(
        model="m",  # the model
        messages=[],
        extra_body={
            "cache_salt": "tenant",  # per tenant
        },
        top_k=40,  # from Together
        min_p=0.05,
    )
    """
    assert fixed(body) == textwrap.dedent(body).lstrip(), "deletes a comment: unsafe"
    assert fixed(body, unsafe=True) == textwrap.dedent("""\
    client.chat.completions.create(
        model="m",  # the model
        messages=[],
        extra_body={
            "cache_salt": "tenant",  # per tenant
            "top_k": 40,
            "min_p": 0.05,
        },
    )
    """)


def test_merging_into_a_one_line_extra_body() -> None:
    body = create("extra_body={'a': 1}, top_k=5")
    assert fixed(body) == create("extra_body={'a': 1, \"top_k\": 5}")


def test_removing_the_last_argument_keeps_the_comment_of_the_line_before() -> None:
    body = """
    client.chat.completions.create(
        model="m",
        messages=[],
        extra_body={"a": 1},  # keep me
        min_p=0.05
    )
    """
    assert fixed(body) == textwrap.dedent("""\
    client.chat.completions.create(
        model="m",
        messages=[],
        extra_body={"a": 1, "min_p": 0.05},  # keep me
    )
    """)


@pytest.mark.parametrize(
    "extra_body",
    [
        "extra_body=EXTRA",
        "**{'extra_body': {'a': 1}}",
        "extra_body=dict(a=1)",
        "extra_body={**EXTRA, **unknown}",
    ],
)
def test_no_fix_when_extra_body_is_not_a_literal_in_the_call(extra_body: str) -> None:
    body = "EXTRA = {'a': 1}\n" + create(f"{extra_body}, top_k=5")
    result = findings(body)
    assert [finding.code for finding in result] == ["WB202"]
    assert result[0].fix is None


def test_a_move_merges_after_a_spread_that_certainly_lacks_the_key() -> None:
    body = "EXTRA = {'a': 1}\n" + create("extra_body={**EXTRA}, top_k=5")
    assert fixed(body) == "EXTRA = {'a': 1}\n" + create('extra_body={**EXTRA, "top_k": 5}')


def test_no_new_extra_body_when_an_unresolved_spread_may_hold_one() -> None:
    body = in_function("top_k=5, **kw")
    result = findings(body)
    assert [finding.code for finding in result] == ["WB202"]
    assert result[0].fix is None


def test_a_key_already_in_extra_body_is_not_moved_but_the_others_are() -> None:
    body = create("extra_body={'top_k': 1}, top_k=2, min_p=0.1")
    by_name = {finding.message.split("'")[1]: finding for finding in findings(body)}
    assert by_name["top_k"].fix is None
    assert by_name["min_p"].fix is not None


def test_two_keywords_for_one_extra_body_key_are_not_moved() -> None:
    body = "client.chat.completions.create(model='m', messages=[], k=40, top_k=50)\n"
    result = findings(body)
    assert [finding.code for finding in result] == ["WB202", "WB202"]
    assert all(finding.fix is None for finding in result)


def test_cohere_k_moves_under_top_k() -> None:
    assert fixed(create("k=40")) == create('extra_body={"top_k": 40}')


def test_keywords_from_a_spread_are_reported_at_the_entry_without_a_fix() -> None:
    body = """
    OPTIONS = {"temperature": 0.2, "top_k": 20}
    client.chat.completions.create(model="m", messages=[], **OPTIONS)
    client.chat.completions.create(model="m", messages=[], **OPTIONS)
    """
    result = findings(body)
    assert [(finding.code, finding.location.column) for finding in result] == [("WB202", 32)]
    assert result[0].fix is None


# ---------------------------------------------------------------------------------------------
# WB202: renames, messages, configuration


def test_a_synonym_is_renamed_when_the_target_is_absent() -> None:
    assert fixed(create("stop_sequences=['x']")) == create("stop=['x']")


def test_no_rename_when_the_target_is_also_given() -> None:
    (finding,) = findings(create("max_tokens=5, max_output_tokens=9"))
    assert finding.fix is None
    assert "max_tokens= is also given" in finding.message


def test_no_rename_when_a_spread_may_hide_the_target() -> None:
    (finding,) = findings(in_function("p=0.9, **kw"))
    assert finding.fix is None


def test_a_typo_gets_a_did_you_mean_and_no_fix() -> None:
    (finding,) = findings(create("temprature=1"))
    assert finding.message.endswith("Did you mean 'temperature'?")
    assert "'temprature'" in finding.message and "TypeError" in finding.message
    assert finding.fix is None


def test_an_unknown_name_without_a_close_match_suggests_extra_body() -> None:
    (finding,) = findings(create("zzz=1"))
    assert "Did you mean" not in finding.message
    assert "extra_body" in finding.message


def test_stream_is_unknown_to_parse_but_not_to_create() -> None:
    body = """
    client.chat.completions.parse(model="m", messages=[], stream=True)
    client.chat.completions.create(model="m", messages=[], stream=True)
    """
    assert found(body) == [("WB202", 1)]
    assert "chat.completions.stream(" in findings(body)[0].message


def test_extra_parameters_are_never_flagged() -> None:
    body = create("acme_trace=1, store=True")
    assert found(body, extra_parameters=("acme_trace", "store")) == []
    assert sorted(code for code, _ in found(body)) == ["WB201", "WB202"]


def test_system_is_left_to_wb409() -> None:
    assert found(create("system='x'")) == []


def test_requests_to_other_providers_are_not_checked() -> None:
    body = """
    other = OpenAI(base_url="https://api.together.xyz/v1")
    other.chat.completions.create(model="m", messages=[], top_k=40, store=True)
    """
    assert found(body) == []


# ---------------------------------------------------------------------------------------------
# WB201, WB206


def test_unsupported_parameter_removal_is_unsafe() -> None:
    body = """
    client.chat.completions.create(
        model="m",
        messages=[],  # history
        store=True,
    )
    """
    (finding,) = findings(body)
    assert finding.code == "WB201"
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert fixed(body) == code(body).removeprefix(HEADER)
    assert fixed(body, unsafe=True) == textwrap.dedent("""\
    client.chat.completions.create(
        model="m",
        messages=[],  # history
    )
    """)


def test_max_completion_tokens_is_renamed() -> None:
    assert fixed(create("max_completion_tokens=64")) == create("max_tokens=64")


@pytest.mark.parametrize(
    "arguments",
    ["max_tokens=64, max_completion_tokens=64", "max_completion_tokens=64, **kw"],
)
def test_max_completion_tokens_is_left_alone(arguments: str) -> None:
    assert found(in_function(arguments)) == []


# ---------------------------------------------------------------------------------------------
# WB207


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("top_logprobs=2", 1),
        ("top_logprobs=2, logprobs=False", 1),
        ("top_logprobs=2, logprobs=True", 0),
        ("top_logprobs=2, logprobs=flag", 0),
        ("top_logprobs=None", 0),
        ("top_logprobs=2, **kw", 0),
        ("tool_choice='auto'", 1),
        ("tool_choice='none'", 0),
        ("tool_choice='auto', tools=None", 1),
        ("tool_choice='auto', tools=kw['tools']", 0),
        ("stream_options={'include_usage': True}", 1),
        ("stream_options={'include_usage': flag}", 1),
        ("stream_options={'include_usage': True}, stream=flag", 0),
        ("stream_options={'include_usage': True}, stream=True", 0),
    ],
)
def test_inconsistent_parameters(arguments: str, expected: int) -> None:
    body = in_function(arguments, "flag, **kw")
    assert found(body) == [("WB207", 2)] * expected


def test_stream_options_fit_the_stream_helper_but_not_parse() -> None:
    body = """
    client.chat.completions.stream(model="m", messages=[], stream_options={"include_usage": True})
    client.chat.completions.parse(model="m", messages=[], stream_options={"include_usage": True})
    """
    assert found(body) == [("WB207", 2)]


# ---------------------------------------------------------------------------------------------
# WB204


def test_a_pydantic_class_on_create_becomes_parse_unsafely() -> None:
    body = """
    class Base(BaseModel):
        pass
    class Answer(Base):
        text: str
    client.with_options(timeout=5).chat.completions.create(
        model="m", messages=[], response_format=Answer
    )
    """
    (finding,) = findings(body)
    assert finding.code == "WB204" and "pydantic class Answer" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert fixed(body, unsafe=True).endswith(
        "client.with_options(timeout=5).chat.completions.parse(\n"
        '    model="m", messages=[], response_format=Answer\n)\n'
    )


def test_a_pydantic_class_with_stream_is_reported_without_a_fix() -> None:
    body = """
    class Answer(BaseModel):
        text: str
    client.chat.completions.create(model="m", messages=[], response_format=Answer, stream=True)
    """
    (finding,) = findings(body)
    assert finding.fix is None


@pytest.mark.parametrize(
    "body",
    [
        "class Plain:\n    pass\n" + create("response_format=Plain"),
        "class Answer(BaseModel):\n    pass\n" + create("response_format=Answer", "parse"),
        "from schemas import Answer\n" + create("response_format=Answer"),
        "class Answer(BaseModel):\n    pass\nAnswer = None\n" + create("response_format=Answer"),
    ],
)
def test_response_format_classes_left_alone(body: str) -> None:
    assert found(body) == []


def test_pydantic_imported_as_a_module() -> None:
    body = """
    import pydantic as pd
    class Answer(pd.BaseModel):
        text: str
    client.chat.completions.create(model="m", messages=[], response_format=Answer)
    """
    assert found(body) == [("WB204", 4)]


@pytest.mark.parametrize(
    ("response_format", "words"),
    [
        ("{'type': 'json'}", "did you mean 'json_object'?"),
        ("{'type': 'json_scheme', 'json_schema': {}}", "did you mean 'json_schema'?"),
        ("{'type': 'json_schema', 'schema': {}}", "'schema' belongs inside it"),
        ("{'type': 'json_schema', 'json_schema': {'name': 'a'}}", "has no 'schema'"),
        ("{'type': 'json_schema', 'json_schema': {}}", "has no 'name' and 'schema'"),
        ("{'schema': {}}", "has no 'type'"),
    ],
)
def test_malformed_response_format_dicts(response_format: str, words: str) -> None:
    (finding,) = findings(create(f"response_format={response_format}"))
    assert finding.code == "WB204" and words in finding.message
    assert finding.fix is None


@pytest.mark.parametrize(
    "response_format",
    [
        "{'type': 'json_object'}",
        "{'type': 'text'}",
        "{'type': 'json_schema', 'json_schema': {'name': 'a', 'schema': {}, 'strict': True}}",
        "{'type': kind}",
        "{**base, 'json_schema': {}}",
        "{'type': 'json_schema', 'json_schema': schema}",
    ],
)
def test_valid_or_unknown_response_formats_are_left_alone(response_format: str) -> None:
    body = in_function(f"response_format={response_format}", "kind, base, schema")
    assert found(body) == []


# ---------------------------------------------------------------------------------------------
# WB205


def test_tools_are_followed_through_names_and_concatenation() -> None:
    body = """
    SEARCH = {"type": "web_search"}
    GOOD = {"type": "function", "function": {"name": "f", "parameters": {}}}
    BASE = [GOOD]
    client.chat.completions.create(model="m", messages=[], tools=BASE + [SEARCH])
    client.chat.completions.create(model="m", messages=[], tools=[*BASE, SEARCH])
    """
    result = findings(body)
    assert [(f.code, f.location.row - HEADER.count("\n")) for f in result] == [("WB205", 1)]
    assert "'web_search'" in result[0].message


def test_the_responses_api_flat_shape_is_explained() -> None:
    (finding,) = findings(create("tools=[{'type': 'function', 'name': 'f'}]"))
    assert "Responses API" in finding.message
    assert '{"type": "function", "function": {"name": ...' in finding.message


@pytest.mark.parametrize(
    "tool",
    [
        "{'type': 'function', 'function': {'name': 'f'}}",
        "{'type': 'function', 'function': spec}",
        "{'type': kind}",
        "{**spec}",
        "{'function': {'name': 'f'}}",
        "make_tool()",
    ],
)
def test_tools_left_alone(tool: str) -> None:
    assert found(in_function(f"tools=[{tool}]", "spec, kind, make_tool")) == []


# ---------------------------------------------------------------------------------------------
# the shared edit helpers these fixes rest on


def _render(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def test_add_dict_entry_puts_a_new_line_before_the_closing_brace() -> None:
    node = cst.parse_expression('{\n    "a": 1,  # note\n}')
    assert isinstance(node, cst.Dict)
    assert _render(add_dict_entry(node, "b", cst.Integer("2"))) == (
        '{\n    "a": 1,  # note\n    "b": 2,\n}'
    )


def test_without_args_drops_the_removed_line_comment_only() -> None:
    call = cst.parse_expression("f(\n    a=1,\n    b=2,  # about b\n)")
    assert isinstance(call, cst.Call)
    assert _render(without_args(call, [call.args[1]])) == "f(\n    a=1,\n)"
