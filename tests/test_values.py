"""WB301 value-out-of-range and WB302 wrong-value-type: ranges, types, clamping, conversions."""

from __future__ import annotations

import dataclasses

import pytest

from lint_wb import LintOptions, fix_source, lint_source
from lint_wb.findings import Applicability, Finding
from lint_wb.spec import Range, Spec, load_spec

HEADER = (
    "from openai import OpenAI\nclient = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
)
CODES = frozenset({"WB301", "WB302"})


def source(arguments: str, prelude: str = "") -> str:
    return f"{HEADER}{prelude}client.chat.completions.create(model='m', messages=[], {arguments})\n"


def findings(text: str, spec: Spec | None = None) -> list[Finding]:
    options = LintOptions(enabled=CODES)
    return list(lint_source(text, "x.py", options, spec or load_spec()).findings)


def codes(arguments: str, prelude: str = "") -> list[str]:
    return [finding.code for finding in findings(source(arguments, prelude))]


def fixed(arguments: str, prelude: str = "", *, unsafe: bool = True) -> str:
    text = source(arguments, prelude)
    outcome = fix_source(text, "x.py", LintOptions(enabled=CODES), load_spec(), unsafe_fixes=unsafe)
    assert outcome.dropped == ()
    last = outcome.text.splitlines()[-1]
    return last.removeprefix("client.chat.completions.create(model='m', messages=[], ")[:-1]


# --------------------------------------------------------------------------------------------
# WB301


@pytest.mark.parametrize(
    "arguments",
    [
        "temperature=0",
        "temperature=2",
        "temperature=2.0",
        "top_p=1",
        "top_p=0.01",
        "frequency_penalty=-2",
        "presence_penalty=2",
        "n=1",
        "max_tokens=1",
        "max_completion_tokens=1",
        "top_logprobs=0",
        "top_logprobs=20",
        "logit_bias={'1': -100, '2': 100}",
        "reasoning_effort='low'",
        "tool_choice='required'",
        "tool_choice={'type': 'function', 'function': {'name': 'f'}}",
        "extra_body={'top_k': -1, 'min_p': 0, 'repetition_penalty': 0.01}",
        "extra_body={'top_k': 0, 'min_p': 1}",
        "temperature=None",
        "seed=-5",
    ],
)
def test_values_in_range_and_on_the_boundaries_are_silent(arguments: str) -> None:
    assert codes(arguments) == []


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("temperature=3", "temperature=2"),
        ("temperature=2.5", "temperature=2.0"),
        ("temperature=-1", "temperature=0"),
        ("temperature=-0.5", "temperature=0.0"),
        ("frequency_penalty=-3", "frequency_penalty=-2"),
        ("presence_penalty=-2.5", "presence_penalty=-2.0"),
        ("top_p=1.5", "top_p=1.0"),
        ("n=0", "n=1"),
        ("max_tokens=-20", "max_tokens=1"),
        ("top_logprobs=21", "top_logprobs=20"),
        ("temperature=(3)", "temperature=(2)"),
        ("logit_bias={'1': -101, 2: 250.5}", "logit_bias={'1': -100, 2: 100.0}"),
        ("extra_body={'top_k': -5, 'min_p': 2}", "extra_body={'top_k': -1, 'min_p': 1}"),
        ("**{'temperature': 9}", "**{'temperature': 2}"),
        ("**dict(n=0)", "**dict(n=1)"),
    ],
)
def test_clamping_keeps_int_or_float_and_handles_negative_numbers(
    arguments: str, expected: str
) -> None:
    assert fixed(arguments) == expected


def test_clamping_is_unsafe() -> None:
    (finding,) = findings(source("temperature=3"))
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert fixed("temperature=3", unsafe=False) == "temperature=3"


@pytest.mark.parametrize(
    "arguments",
    ["top_p=0", "top_p=-1", "extra_body={'repetition_penalty': 0}", "reasoning_effort='max'"],
)
def test_exclusive_bounds_and_choices_have_no_fix(arguments: str) -> None:
    (finding,) = findings(source(arguments))
    assert finding.code == "WB301"
    assert finding.fix is None


def test_a_value_through_a_name_is_reported_where_it_is_written_without_a_fix() -> None:
    (finding,) = findings(source("temperature=HOT", prelude="HOT = 3\n"))
    assert finding.code == "WB301"
    assert (finding.location.row, finding.location.column) == (3, 7)
    assert finding.fix is None


def test_a_logit_bias_dict_bound_to_a_name_is_reported_at_its_entry_without_a_fix() -> None:
    (finding,) = findings(source("logit_bias=BIAS", prelude="BIAS = {'50256': -150}\n"))
    assert finding.location.row == 3
    assert finding.fix is None
    assert "logit_bias['50256']=-150" in finding.message


def test_an_entry_that_a_later_spread_or_key_may_override_is_not_reported() -> None:
    prelude = "def f(extra):\n    "
    assert codes("logit_bias={'1': 500, **extra}", prelude) == []
    assert codes("logit_bias={'1': 500, '1': 5}") == []
    assert codes("logit_bias={'1': 5, '1': 500}") == ["WB301"]


def test_a_dict_shared_by_two_requests_is_reported_once() -> None:
    text = HEADER + (
        "PARAMS = {'temperature': 5}\n"
        "client.chat.completions.create(model='m', messages=[], **PARAMS)\n"
        "client.chat.completions.create(model='m', messages=[], **PARAMS)\n"
    )
    assert [finding.location.row for finding in findings(text)] == [3]


def test_choices_message_lists_the_allowed_values_and_suggests_a_case_fix() -> None:
    (finding,) = findings(source("reasoning_effort='High'"))
    assert "'low', 'medium', 'high'" in finding.message
    assert "Did you mean 'high'?" in finding.message
    (finding,) = findings(source("tool_choice='any'"))
    assert "'none', 'auto', 'required'" in finding.message


def test_message_names_the_value_the_range_and_the_422() -> None:
    (finding,) = findings(source("top_p=0"))
    assert finding.message.startswith("top_p=0 is out of range")
    assert "0 < top_p <= 1" in finding.message
    assert "422" in finding.message


def test_top_k_reads_the_same_as_a_keyword_and_inside_extra_body() -> None:
    """WB202 moves `top_k=-5` into extra_body; the finding must stay the same finding, or the
    fixer would take the move for one that adds a finding and drop it."""
    (direct,) = findings(source("top_k=-5"))
    (inside,) = findings(source("extra_body={'top_k': -5}"))
    assert direct.message == inside.message


def test_the_ranges_come_from_the_data() -> None:
    spec = load_spec()
    temperature = dataclasses.replace(
        spec.api.parameters["temperature"], range=Range(minimum=0, maximum=5)
    )
    parameters = {**spec.api.parameters, "temperature": temperature}
    custom = dataclasses.replace(spec, api=dataclasses.replace(spec.api, parameters=parameters))
    assert findings(source("temperature=3"), custom) == []
    (finding,) = findings(source("temperature=6"), custom)
    assert "0 <= temperature <= 5" in finding.message


def test_other_clients_are_not_checked() -> None:
    text = (
        "from openai import OpenAI\n"
        "client = OpenAI(base_url='https://api.together.xyz/v1')\n"
        "client.chat.completions.create(model='m', messages=[], temperature=3, n='2')\n"
    )
    assert findings(text) == []


# --------------------------------------------------------------------------------------------
# WB302


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("temperature='0.7'", "temperature=0.7"),
        ("temperature='1'", "temperature=1"),
        ("top_p=' .5 '", "top_p=0.5"),
        ("frequency_penalty='-1.5'", "frequency_penalty=-1.5"),
        ("max_tokens='512'", "max_tokens=512"),
        ("max_tokens='512.0'", "max_tokens=512"),
        ("max_tokens=512.0", "max_tokens=512"),
        ("seed=-3.0", "seed=-3"),
        ("max_tokens=5e2", "max_tokens=500"),
        ("stream='true'", "stream=True"),
        ("stream='FALSE'", "stream=False"),
        ("logprobs='True'", "logprobs=True"),
        ("extra_body={'top_k': '40'}", "extra_body={'top_k': 40}"),
        ("**{'n': '2'}", "**{'n': 2}"),
    ],
)
def test_safe_conversions(arguments: str, expected: str) -> None:
    (finding,) = findings(source(arguments))
    assert finding.code == "WB302"
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    assert fixed(arguments, unsafe=False) == expected


@pytest.mark.parametrize(
    "arguments",
    [
        "seed=1.5",
        "temperature='hot'",
        "max_tokens='0.5'",
        "stream='yes'",
        "stream=1",
        "stop=5",
        "stop=['a', 1]",
        "temperature=f'{0.7}'",
        "temperature='0' '.7'",
        "temperature=b'0.7'",
        "cache_salt=3",
    ],
)
def test_wrong_types_without_a_safe_conversion_have_no_fix(arguments: str) -> None:
    (finding,) = findings(source(arguments))
    assert finding.code == "WB302"
    assert finding.fix is None


@pytest.mark.parametrize(
    "arguments", ["n=True", "max_tokens=False", "temperature=True", "top_logprobs=True"]
)
def test_a_bool_is_not_a_number(arguments: str) -> None:
    (finding,) = findings(source(arguments))
    assert finding.code == "WB302"
    assert "is a bool" in finding.message
    assert finding.fix is None


@pytest.mark.parametrize(
    "arguments", ["temperature='5'", "max_tokens='0'", "max_tokens=0.0", "top_p='0'"]
)
def test_a_wrong_type_out_of_range_is_reported_once_as_wb302_without_a_fix(
    arguments: str,
) -> None:
    """Converting would give a WB301: the fix would add a finding, so it is not offered."""
    (finding,) = findings(source(arguments))
    assert finding.code == "WB302"
    assert finding.fix is None


def test_a_string_through_a_name_is_reported_where_it_is_written_without_a_fix() -> None:
    (finding,) = findings(source("temperature=TEMP", prelude="TEMP = '0.7'\n"))
    assert finding.code == "WB302"
    assert finding.location.row == 3
    assert finding.fix is None
    assert "temperature='0.7' is a string" in finding.message


def test_message_says_what_to_write() -> None:
    (finding,) = findings(source("max_tokens=512.0"))
    assert finding.message.startswith("max_tokens=512.0 is a float")
    assert "an integer (max_tokens >= 1)" in finding.message
    assert finding.message.endswith("Write 512")


def test_list_and_dict_parameters_are_left_to_their_rules() -> None:
    assert codes("messages='hi', tools={'type': 'function'}, response_format='json'") == []


def test_a_dict_bound_to_a_name_and_spread_is_reported_without_a_fix() -> None:
    """A fix rewrites only what is written in the call: `PARAMS` may serve other calls."""
    (finding,) = findings(source("**PARAMS", prelude="PARAMS = {'temperature': '0.7'}\n"))
    assert finding.code == "WB302"
    assert finding.location.row == 3
    assert finding.fix is None
    (finding,) = findings(source("**{'logit_bias': {'1': 500}}"))
    assert finding.fix is not None
    prelude = "PARAMS = {'logit_bias': {'1': 500}}\n"
    (finding,) = findings(source("**PARAMS", prelude=prelude))
    assert finding.fix is None


def test_both_rules_read_a_requests_value_sites_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """WB301 and WB302 walk the same sites: each request's are read once per module."""
    from lint_wb.rules import values

    read: list[object] = []

    def counting(request: object, *rest: object) -> object:
        read.append(request)
        return value_sites(request, *rest)

    value_sites = values.value_sites
    monkeypatch.setattr(values, "value_sites", counting)
    other = "client.chat.completions.create(model='m', messages=[], max_tokens=-1)\n"
    text = source("temperature=5, top_p='high'", other)
    assert sorted(f.code for f in findings(text)) == ["WB301", "WB301", "WB302"]
    assert len(read) == 2
