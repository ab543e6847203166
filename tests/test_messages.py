"""WB401-WB409, the messages rules, through the real engine: the tricky fixes and what must
stay silent."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from importlib import resources

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from lint_wb import LintOptions, fix_source, lint_source
from lint_wb.findings import Finding
from lint_wb.rules import ALL_CODES
from lint_wb.spec import RoleSynonym, Spec, SpecError, _parse_api, load_spec

MESSAGE_CODES = frozenset(f"WB40{n}" for n in range(1, 10))
HEADER = """\
import os
from openai import OpenAI

c = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
M = "meta-llama/Llama-3.3-70B-Instruct"
"""


def source_of(body: str) -> str:
    return HEADER + textwrap.dedent(body)


def findings(
    body: str, codes: frozenset[str] = MESSAGE_CODES, spec: Spec | None = None
) -> list[Finding]:
    result = lint_source(source_of(body), "x.py", LintOptions(enabled=codes), spec or load_spec())
    return list(result.findings)


def codes_of(body: str) -> list[str]:
    return [finding.code for finding in findings(body)]


def fixed(body: str, *, unsafe: bool = False, spec: Spec | None = None) -> str:
    options = LintOptions(enabled=MESSAGE_CODES)
    outcome = fix_source(source_of(body), "x.py", options, spec or load_spec(), unsafe_fixes=unsafe)
    assert outcome.dropped == ()
    return outcome.text[len(HEADER) :]


# --------------------------------------------------------------------------------------------
# WB409: the inserted system message is laid out like the other elements


def test_system_goes_on_its_own_line_in_a_multi_line_list_inside_a_function() -> None:
    body = """\
    def review(diff):
        return c.chat.completions.create(
            model=M,
            system="Be terse.",
            messages=[
                {"role": "user", "content": diff},
            ],
        )
    """
    assert fixed(body) == textwrap.dedent("""\
    def review(diff):
        return c.chat.completions.create(
            model=M,
            messages=[
                {"role": "system", "content": "Be terse."},
                {"role": "user", "content": diff},
            ],
        )
    """)


def test_system_stays_on_the_line_of_a_single_line_list_and_keeps_its_quotes() -> None:
    body = """\
    c.chat.completions.create(model=M, messages=[{'role': 'user', 'content': 'hi'}], system=PROMPT)
    """
    assert fixed(body) == (
        "c.chat.completions.create(model=M, messages=[{'role': 'system', 'content': "
        "PROMPT}, {'role': 'user', 'content': 'hi'}])\n"
    )


def test_comments_around_the_first_element_stay_where_they_were() -> None:
    body = """\
    c.chat.completions.create(
        model=M,
        messages=[  # the conversation
            # the question
            {"role": "user", "content": "hi"}
        ],
        system=f"{PROMPT}!",
    )
    """
    assert fixed(body) == textwrap.dedent("""\
    c.chat.completions.create(
        model=M,
        messages=[  # the conversation
            {"role": "system", "content": f"{PROMPT}!"},
            # the question
            {"role": "user", "content": "hi"}
        ],
    )
    """)


def test_system_into_an_empty_list() -> None:
    body = 'c.chat.completions.create(model=M, system="Be terse.", messages=[])\n'
    assert fixed(body) == (
        'c.chat.completions.create(model=M, messages=[{"role": "system", "content": '
        '"Be terse."}])\n'
    )


@pytest.mark.parametrize(
    "body",
    [
        # messages not written in the call
        'turns = [{"role": "user", "content": "hi"}]\n'
        "c.chat.completions.create(model=M, system=PROMPT, messages=turns)\n",
        # a system message is there already (a developer one counts)
        "c.chat.completions.create(model=M, system=PROMPT, messages=["
        '{"role": "developer", "content": "x"}, {"role": "user", "content": "hi"}])\n',
        # system from a ** spread
        "c.chat.completions.create(model=M, messages=[], **{'system': PROMPT})\n",
    ],
)
def test_system_is_reported_without_a_fix(body: str) -> None:
    (finding,) = [f for f in findings(body) if f.code == "WB409"]
    assert finding.fix is None
    assert "system=PROMPT" in finding.message


def test_system_is_reported_by_wb409_alone_with_every_rule_on() -> None:
    body = """\
    c.chat.completions.create(model=M, system="Hi", messages=[{"role": "user", "content": "hi"}])
    """
    assert [f.code for f in findings(body, codes=ALL_CODES)] == ["WB409"]


# --------------------------------------------------------------------------------------------
# WB402: a (role, content) tuple becomes a dict


def test_role_content_tuples_become_dicts_in_their_own_quotes() -> None:
    body = """\
    c.chat.completions.create(model=M, messages=[("system", "Be terse."), ('user', 'hi')])
    """
    assert fixed(body) == (
        'c.chat.completions.create(model=M, messages=[{"role": "system", "content": '
        "\"Be terse.\"}, {'role': 'user', 'content': 'hi'}])\n"
    )


@pytest.mark.parametrize(
    "element",
    ['("human", "hi")', '("user", question)', '("user", "hi", "extra")', '[("user", "hi")]'],
)
def test_other_tuples_and_lists_are_reported_without_a_fix(element: str) -> None:
    body = f"c.chat.completions.create(model=M, messages=[{element}])\n"
    (finding,) = findings(body)
    assert finding.code == "WB402" and finding.fix is None


# --------------------------------------------------------------------------------------------
# WB401: wrapping


def test_a_single_dict_is_wrapped_where_it_is_passed() -> None:
    body = """\
    message = {"role": "user", "content": "hi"}
    c.chat.completions.create(model=M, messages=message)
    c.chat.completions.create(model=M, messages={"role": "user", "content": "hi"})
    """
    assert fixed(body) == textwrap.dedent("""\
    message = {"role": "user", "content": "hi"}
    c.chat.completions.create(model=M, messages=[message])
    c.chat.completions.create(model=M, messages=[{"role": "user", "content": "hi"}])
    """)


def test_a_tuple_becomes_a_list_and_a_lone_comma_goes() -> None:
    body = """\
    c.chat.completions.create(model=M, messages=({"role": "user", "content": "hi"},))
    c.chat.completions.create(model=M, messages=(SYSTEM, {"role": "user", "content": "hi"}))
    """
    assert fixed(body) == textwrap.dedent("""\
    c.chat.completions.create(model=M, messages=[{"role": "user", "content": "hi"}])
    c.chat.completions.create(model=M, messages=[SYSTEM, {"role": "user", "content": "hi"}])
    """)


def test_a_string_becomes_a_user_message_only_with_unsafe_fixes() -> None:
    body = "c.chat.completions.create(model=M, messages='Tell me a joke')\n"
    assert fixed(body) == body
    assert fixed(body, unsafe=True) == (
        "c.chat.completions.create(model=M, messages=[{'role': 'user', 'content': "
        "'Tell me a joke'}])\n"
    )


def test_a_wrapped_dict_raises_no_new_finding_because_it_was_checked_as_a_message() -> None:
    body = 'c.chat.completions.create(model=M, messages={"role": "Human", "text": "hi"})\n'
    assert sorted(codes_of(body)) == ["WB401", "WB404", "WB406"]
    assert fixed(body) == (
        'c.chat.completions.create(model=M, messages=[{"role": "user", "content": "hi"}])\n'
    )


# --------------------------------------------------------------------------------------------
# WB404 and WB406 fixes, and the role table as data


@pytest.mark.parametrize(
    ("role", "after"),
    [
        ("'developer'", "'system'"),
        ('"model"', '"assistant"'),
        ('"Human"', '"user"'),
        ('"USER"', '"user"'),
        ('"bot"', '"assistant"'),
    ],
)
def test_roles_are_mapped_in_their_own_quotes(role: str, after: str) -> None:
    body = f'c.chat.completions.create(model=M, messages=[{{"role": {role}, "content": "x"}}])\n'
    assert fixed(body) == body.replace(role, after)


@pytest.mark.parametrize("role", ['"function"', '"narrator"', "ROLE"])
def test_roles_without_a_meaning_here_have_no_fix(role: str) -> None:
    message = f'{{"role": {role}, "content": "x"}}'
    body = f'ROLE = "human"\nc.chat.completions.create(model=M, messages=[{message}])\n'
    (finding,) = findings(body)
    assert finding.code == "WB404"
    assert finding.fix is None


def test_role_synonyms_come_from_the_spec() -> None:
    spec = load_spec()
    messages = dataclasses.replace(
        spec.api.messages,
        role_synonyms={"narrator": RoleSynonym("narrator", "system", "a test", source="test")},
    )
    patched = Spec(dataclasses.replace(spec.api, messages=messages), spec.models)
    body = 'c.chat.completions.create(model=M, messages=[{"role": "narrator", "content": "x"}])\n'
    assert fixed(body, spec=patched) == body.replace('"narrator"', '"system"')
    (finding,) = findings(body, spec=patched)
    assert "a test" in finding.message


def test_a_synonym_for_an_unknown_role_is_rejected_by_the_loader() -> None:
    text = resources.files("lint_wb.spec").joinpath("api.toml").read_text("utf-8")
    broken = text.replace(
        '[messages.role_synonym.model]\nrole = "assistant"',
        '[messages.role_synonym.model]\nrole = "narrator"',
        1,
    )
    assert broken != text
    with pytest.raises(SpecError, match="role_synonym 'model'"):
        _parse_api(tomllib.loads(broken), "api.toml")


def test_text_becomes_content_only_when_there_is_no_content() -> None:
    body = """\
    c.chat.completions.create(model=M, messages=[{"role": "user", "text": q}])
    c.chat.completions.create(model=M, messages=[{"role": "user", "text": q, "content": q}])
    c.chat.completions.create(model=M, messages=[{"role": "user", "text": q, **extra}])
    c.chat.completions.create(model=M, messages=[{"role": "user", "text": [q]}])
    """
    result = fixed(body).splitlines()
    assert result[0].endswith('[{"role": "user", "content": q}])')
    assert result[1:] == source_of(body).splitlines()[-3:]


# --------------------------------------------------------------------------------------------
# What is followed and what stays silent


def test_a_list_used_by_two_requests_is_reported_once() -> None:
    body = """\
    MESSAGES = [{"role": "human", "content": "hi"}]
    c.chat.completions.create(model=M, messages=MESSAGES)
    c.chat.completions.create(model=M, messages=MESSAGES)
    """
    assert codes_of(body) == ["WB404"]


@pytest.mark.parametrize(
    "body",
    [
        # appended to, assigned into, passed to a function: not the literal any more
        'msgs = [{"role": "human"}]\nmsgs.append(x)\n'
        "c.chat.completions.create(model=M, messages=msgs)\n",
        'msgs = [{"role": "human"}]\nmsgs[0] = x\n'
        "c.chat.completions.create(model=M, messages=msgs)\n",
        'msgs = [{"role": "human"}]\nprepare(msgs)\n'
        "c.chat.completions.create(model=M, messages=msgs)\n",
        "msgs = []\nmsgs.append(x)\nc.chat.completions.create(model=M, messages=msgs)\n",
        # built by calls
        "c.chat.completions.create(model=M, messages=build())\n",
        "c.chat.completions.create(model=M, messages=[build(), dict(role='human')])\n",
        # the valid shapes
        "c.chat.completions.create(model=M, messages=[{'role': 'assistant', "
        "'content': None, 'tool_calls': [{'id': 'c1', 'type': 'function', 'function': "
        "{'name': 'f', 'arguments': '{}'}}]}, {'role': 'tool', 'tool_call_id': 'c1', "
        "'content': 'ok'}])\n",
        "c.chat.completions.create(model=M, messages=[{'role': 'user', 'content': "
        "[{'type': 'text', 'text': 'what?'}, {'type': 'image_url', 'image_url': {'url': u}}]}])\n",
        # a dict spread may hold the missing field
        "c.chat.completions.create(model=M, messages=[{'role': 'user', **extra}])\n",
    ],
)
def test_silent(body: str) -> None:
    assert findings(body) == []


def test_literals_next_to_unknown_history_are_checked() -> None:
    body = """\
    def chat(history, q):
        c.chat.completions.create(model=M, messages=[*history, {"role": "human", "content": q}])
        c.chat.completions.create(model=M, messages=history + [("user", q)])
    """
    assert codes_of(body) == ["WB404", "WB402"]


def test_messages_name_the_value_found() -> None:
    body = """\
    c.chat.completions.create(model=M, messages=[{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t1", "content": "18C"},
    ]}, {"role": "assistant", "tool_calls": [{"id": "c", "type": "function",
        "function": {"name": "f", "arguments": {"city": "Paris"}}}]}])
    """
    content, arguments = findings(body)
    assert content.code == "WB405" and "tool_result" in content.message
    assert '"role": "tool"' in content.message
    assert arguments.code == "WB407" and '{"city": "Paris"}' in arguments.message
