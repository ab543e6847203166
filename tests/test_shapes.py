"""shapes.toml: the request shapes W&B takes are data the rules read, each row with a public
source and a date. Changing a row changes what the rules say, with no change to the code."""

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

from lint_wb import LintOptions, lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import Spec, SpecError, load_spec
from lint_wb.spec.shapes_loader import check_shapes, parse_shapes
from lint_wb.spec.shapes_types import RequestShapes

HEADER = """\
import openai
from openai import OpenAI

c = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="x")
M = "meta-llama/Llama-3.3-70B-Instruct"
"""


def codes(body: str, spec: Spec | None = None) -> list[str]:
    text = HEADER + textwrap.dedent(body)
    result = lint_source(text, "x.py", LintOptions(enabled=ALL_CODES), spec or load_spec())
    return sorted(finding.code for finding in result.findings)


def with_shapes(**changes: object) -> Spec:
    spec = load_spec()
    shapes = spec.api.shapes
    replaced: dict[str, object] = {}
    for name, value in changes.items():
        part, _, field = name.partition("__")
        if field:
            value = dataclasses.replace(getattr(shapes, part), **{field: value})
        replaced[part] = value
    api = dataclasses.replace(spec.api, shapes=dataclasses.replace(shapes, **replaced))
    return dataclasses.replace(spec, api=api)


CASES = [
    pytest.param(
        'c.chat.completions.create(model=M, messages=[{"role": "user"}])',
        "WB403",
        {"role_requirements": {}},
        id="role-requirement",
    ),
    pytest.param(
        'c.chat.completions.create(model=M, messages=[], response_format={"type": "xml"})',
        "WB204",
        {"response_format__types": ("text", "json_object", "json_schema", "xml")},
        id="response-format-type",
    ),
    pytest.param(
        'c.chat.completions.create(model=M, messages=[], tools=[{"type": "web_search"}])',
        "WB205",
        {"tools__types": ("function", "web_search")},
        id="tool-type",
    ),
    pytest.param(
        "c.chat.completions.create(model=M, messages=[], top_logprobs=3)",
        "WB207",
        {"dependencies": ()},
        id="dependency",
    ),
    pytest.param(
        "c.chat.completions.create(model=M, messages=[], "
        'extra_body={"chat_template_kwargs": {"enable_thinking": True}})',
        "WB203",
        {"thinking__key": "thinking"},
        id="thinking-switch",
    ),
    pytest.param(
        'c.chat.completions.create(model=M, messages=[{"role": "user", "content": '
        '[{"type": "text", "txt": "hi"}]}])',
        "WB405",
        {"content_part__required": {}},
        id="content-part",
    ),
    pytest.param(
        'c.chat.completions.create(model=M, messages=[{"role": "user", "content": "q"}, '
        '{"role": "assistant", "tool_calls": [{"id": "1", "type": "function", '
        '"function": {"name": "f"}}]}])',
        "WB407",
        {"tool_call__function_required": ("name",)},
        id="tool-call",
    ),
    pytest.param(
        "openai.ChatCompletion.create(model=M, messages=[])",
        "WB602",
        {"legacy_api__classes": frozenset()},
        id="legacy-api",
    ),
    pytest.param(
        "import pydantic\nclass Answer(pydantic.BaseModel):\n    text: str\n"
        "c.chat.completions.create(model=M, messages=[], response_format=Answer)",
        "WB204",
        {"response_format__model_classes": frozenset()},
        id="pydantic-model-classes",
    ),
]


@pytest.mark.parametrize(("body", "code", "changes"), CASES)
def test_rules_read_the_shapes_from_the_data(
    body: str, code: str, changes: dict[str, object]
) -> None:
    assert code in codes(body)
    assert code not in codes(body, with_shapes(**changes))


def test_the_response_format_did_you_mean_comes_from_the_aliases() -> None:
    body = 'c.chat.completions.create(model=M, messages=[], response_format={"type": "json"})'
    text = HEADER + body + "\n"
    [finding] = lint_source(text, "x.py", LintOptions(enabled={"WB204"}), load_spec()).findings
    assert "did you mean 'json_object'?" in finding.message


def test_every_row_has_a_source_and_a_date() -> None:
    text = resources.files("lint_wb.spec").joinpath("shapes.toml").read_text("utf-8")
    data = tomllib.loads(text)
    rows: list[dict[str, object]] = [
        data["shapes"],
        data["response_format"],
        data["tools"],
        data["legacy_api"],
        *data["role_requirement"],
        *data["dependency"],
        *data["tools"]["foreign_shape"],
        data["response_format"]["model_classes"],
        *data["message_key"],
    ]
    for row in rows:
        assert row.get("checked") and str(row.get("source", "")).startswith("https://"), row


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('role = "assistant"\nany_of', 'role = "assistant"\nsome_of', "unknown key"),
        ("[response_format]\ntypes", "[response_format]\nkinds", "types"),
        ('json = "json_object"', 'json = "json_mode"', "not one of 'types'"),
        ('needs = "logprobs"', 'needs = "top_logprobs"', "names the parameter itself"),
        (
            'checked = 2026-10-07\nsource = "https://docs.anthropic',
            'source = "https://docs.anthropic',
            "checked",
        ),
    ],
)
def test_a_malformed_row_is_a_one_line_error(old: str, new: str, expected: str) -> None:
    text = resources.files("lint_wb.spec").joinpath("shapes.toml").read_text("utf-8")
    assert old in text
    with pytest.raises(SpecError, match=expected) as caught:
        parse_shapes(tomllib.loads(text.replace(old, new, 1)), "shapes.toml")
    assert "\n" not in str(caught.value)


def test_a_foreign_message_keys_advice_and_content_come_from_the_data() -> None:
    body = 'c.chat.completions.create(model=M, messages=[{"role": "user", "parts": ["hi"]}])\n'
    options = LintOptions(enabled={"WB403", "WB406"})
    [found] = lint_source(HEADER + body, "x.py", options, load_spec()).findings
    assert found.code == "WB406" and "this is Gemini's shape" in found.message
    shapes = load_spec().api.shapes
    keys = {
        name: dataclasses.replace(key, holds_content=False, advice="ask the data")
        for name, key in shapes.message_keys.items()
    }
    changed = dataclasses.replace(shapes, message_keys=keys)
    spec = load_spec()
    spec = dataclasses.replace(spec, api=dataclasses.replace(spec.api, shapes=changed))
    findings = lint_source(HEADER + body, "x.py", options, spec).findings
    assert sorted(f.code for f in findings) == ["WB403", "WB406"]
    assert next(f.message for f in findings if f.code == "WB406").endswith("; ask the data")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('key = "type"\nholds_content', 'key = "text"\nholds_content', "listed twice"),
        ('key = "type"\nholds_content', 'key = "name"\nholds_content', "a key W&B takes"),
        ('key = "type"\nholds_content = false\n', 'key = "type"\n', "'holds_content'"),
        ('names = ["pydantic.BaseModel"', 'names = ["BaseModel"', "qualified class names"),
    ],
)
def test_a_malformed_message_key_or_model_class_is_an_error(
    old: str, new: str, expected: str
) -> None:
    text = resources.files("lint_wb.spec").joinpath("shapes.toml").read_text("utf-8")
    assert old in text
    with pytest.raises(SpecError, match=expected):
        shapes = parse_shapes(tomllib.loads(text.replace(old, new, 1)), "shapes.toml")
        check_shapes(shapes, load_spec().api, "shapes.toml")


def test_the_bundled_shapes_are_loaded() -> None:
    shapes = load_spec().api.shapes
    assert shapes != RequestShapes()
    assert set(shapes.role_requirements) <= set(load_spec().api.messages.roles)


def test_other_apis_content_blocks_are_explained_from_the_data() -> None:
    body = (
        'c.chat.completions.create(model=M, messages=[{"role": "user", "content": '
        '[{"type": "image", "source": {"data": "b64"}}]}])\n'
    )
    options = LintOptions(enabled={"WB405"})
    [explained] = lint_source(HEADER + body, "x.py", options, load_spec()).findings
    assert "an Anthropic image block" in explained.message
    assert '{"type": "image_url", "image_url": {"url": ...}}' in explained.message
    bare = with_shapes(content_part__foreign=())
    [plain] = lint_source(HEADER + body, "x.py", options, bare).findings
    assert "Anthropic" not in plain.message
