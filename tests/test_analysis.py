"""The analysis: which calls are requests on which clients, and what values resolve to."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from lint_wb.analysis import UNKNOWN, ModuleFacts, UrlKind, analyze
from lint_wb.analysis.values import number_value, string_value
from lint_wb.config.settings import LintOptions
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

WANDB = "https://api.inference.wandb.ai/v1"


def facts_of(source: str, *, assume_wandb: bool = False) -> ModuleFacts:
    module = cst.parse_module(textwrap.dedent(source))
    options = LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)
    return analyze(module, load_spec().api, options)


def wandb_request_methods(source: str, **kwargs: bool) -> list[str]:
    facts = facts_of(source, **kwargs)
    return [request.method for request in facts.requests if request.client.is_wandb]


@pytest.mark.parametrize(
    "setup",
    [
        "from openai import OpenAI\nclient = OpenAI(base_url=URL)",
        "from openai import OpenAI as C\nclient = C(base_url=URL)",
        "import openai\nclient = openai.OpenAI(base_url=URL)",
        "import openai as oa\nclient = oa.AsyncOpenAI(base_url=URL)",
        "from openai import Client\nclient = Client(base_url=URL)",
        "from openai import AsyncClient\nclient = AsyncClient(base_url=URL)",
    ],
)
def test_clients_are_found_however_imported(setup: str) -> None:
    source = f"URL = {WANDB!r}\n{setup}\nclient.chat.completions.create(model='m', messages=[])\n"
    assert wandb_request_methods(source) == ["create"]


@pytest.mark.parametrize(
    "call",
    [
        "client.chat.completions.create(model='m', messages=[])",
        "client.chat.completions.parse(model='m', messages=[])",
        "client.chat.completions.stream(model='m', messages=[])",
        "client.beta.chat.completions.parse(model='m', messages=[])",
        "client.chat.completions.with_raw_response.create(model='m', messages=[])",
        "client.with_streaming_response.chat.completions.create(model='m', messages=[])",
        "client.with_options(timeout=5).chat.completions.create(model='m', messages=[])",
    ],
)
def test_request_shapes(call: str) -> None:
    source = f"from openai import OpenAI\nclient = OpenAI(base_url={WANDB!r})\n{call}\n"
    assert len(wandb_request_methods(source)) == 1


def test_client_in_self_attribute_and_awaited_request() -> None:
    source = f"""
    from openai import AsyncOpenAI

    class Bot:
        def __init__(self) -> None:
            self.client = AsyncOpenAI(base_url={WANDB!r})

        async def ask(self, prompt: str) -> str:
            response = await self.client.chat.completions.create(model="m", messages=[])
            return response.choices[0].message.content
    """
    assert wandb_request_methods(source) == ["create"]


def test_module_client_used_inside_a_function_and_with_statement() -> None:
    source = f"""
    from openai import OpenAI
    client = OpenAI(base_url={WANDB!r})

    def ask():
        return client.chat.completions.create(model="m", messages=[])

    with OpenAI(base_url={WANDB!r}) as scoped:
        scoped.chat.completions.create(model="m", messages=[])
    """
    assert wandb_request_methods(source) == ["create", "create"]


def test_a_name_bound_twice_is_not_resolved() -> None:
    source = f"""
    from openai import OpenAI
    client = OpenAI(base_url={WANDB!r})
    client = make_client()
    client.chat.completions.create(model="m", messages=[])
    """
    assert wandb_request_methods(source) == []


def test_a_parameter_shadows_the_module_client() -> None:
    source = f"""
    from openai import OpenAI
    client = OpenAI(base_url={WANDB!r})

    def ask(client):
        return client.chat.completions.create(model="m", messages=[])
    """
    assert wandb_request_methods(source) == []


def test_other_objects_create_calls_are_not_requests() -> None:
    source = """
    class Thing:
        def create(self, **kw): ...
    chat = Thing()
    chat.completions.create(temperature=5)
    """
    assert facts_of(source).requests == []


def test_azure_client_is_not_a_client() -> None:
    source = "from openai import AzureOpenAI\nc = AzureOpenAI()\n"
    assert facts_of(source).clients == []


@pytest.mark.parametrize(
    ("expression", "kind"),
    [
        (repr(WANDB), UrlKind.WANDB),
        (repr(WANDB + "/"), UrlKind.WANDB),
        ("'https://api.wandb.ai'", UrlKind.NEAR_MISS),
        ("f'https://{HOST}/v1'", UrlKind.NEAR_MISS),
        ("os.environ.get('OPENAI_BASE_URL', 'https://trace.wandb.ai')", UrlKind.NEAR_MISS),
        ("os.getenv('X', " + repr(WANDB) + ")", UrlKind.WANDB),
        ("'https://api.together.xyz/v1'", UrlKind.FOREIGN),
        ("'http://localhost:8000/v1'", UrlKind.LOCAL),
        ("'http://10.0.0.5:8000/v1'", UrlKind.LOCAL),
        ("'https://llm.example.com/v1'", UrlKind.OTHER),
        ("get_url()", UrlKind.UNKNOWN),
        ("os.environ['URL']", UrlKind.UNKNOWN),
    ],
)
def test_base_url_resolution(expression: str, kind: UrlKind) -> None:
    source = (
        "import os\nfrom openai import OpenAI\nHOST = 'api.wandb.ai'\n"
        f"c = OpenAI(base_url={expression})\n"
    )
    (client,) = facts_of(source).clients
    assert client.base_url.kind is kind


def test_missing_base_url_is_wandb_only_with_signals_or_assume_wandb() -> None:
    plain = (
        "import os\nfrom openai import OpenAI\nc = OpenAI(api_key=os.environ['OPENAI_API_KEY'])\n"
    )
    signalled = (
        "import os\nfrom openai import OpenAI\nc = OpenAI(api_key=os.getenv('WANDB_API_KEY'))\n"
    )
    assert [c.is_wandb for c in facts_of(plain).clients] == [False]
    assert [c.is_wandb for c in facts_of(plain, assume_wandb=True).clients] == [True]
    assert [c.is_wandb for c in facts_of(signalled).clients] == [True]


def test_spread_of_unknown_dict_makes_base_url_unknown_not_missing() -> None:
    source = "from openai import OpenAI\nc = OpenAI(**settings())\n"
    (client,) = facts_of(source).clients
    assert client.base_url.kind is UrlKind.UNKNOWN


def test_keywords_from_dict_spreads() -> None:
    source = f"""
    from openai import OpenAI
    client = OpenAI(base_url={WANDB!r})
    COMMON = {{"temperature": 0.2}}

    def ask():
        params = dict(top_p=0.9, **COMMON)
        return client.chat.completions.create(model="m", messages=[], **params)
    """
    (request,) = facts_of(source).requests
    assert set(request.arguments.keywords) == {"model", "messages", "top_p", "temperature"}
    assert request.arguments.complete


def test_unknown_spread_marks_arguments_incomplete() -> None:
    source = f"""
    from openai import OpenAI
    client = OpenAI(base_url={WANDB!r})
    client.chat.completions.create(model="m", messages=[], **load())
    """
    (request,) = facts_of(source).requests
    assert not request.arguments.complete


def test_values_follow_constants_and_stop_at_mutation() -> None:
    source = """
    LIMIT = 512
    SCALE = -LIMIT
    NAME = f"team/{'proj'}"
    MSGS = [{"role": "user"}]
    MSGS.append({"role": "assistant"})
    """
    facts = facts_of(source)
    module_scope = next(iter(facts.resolver.bindings.scopes.values()))
    evaluate = facts.resolver.evaluate
    assert evaluate(cst.parse_expression("LIMIT"), module_scope) == 512
    assert evaluate(cst.parse_expression("SCALE"), module_scope) == -512
    assert evaluate(cst.parse_expression("NAME"), module_scope) == "team/proj"
    assert evaluate(cst.parse_expression("MSGS"), module_scope) is UNKNOWN


def test_endpoint_and_legacy_uses() -> None:
    source = f"""
    import openai
    from openai import OpenAI
    client = OpenAI(base_url={WANDB!r})
    client.embeddings.create(model="m", input="x")
    client.models.list()
    openai.ChatCompletion.create(model="m", messages=[])
    openai.api_base = "x"
    """
    facts = facts_of(source)
    assert [use.endpoint for use in facts.endpoint_uses] == ["embeddings"]
    assert sorted(use.api for use in facts.legacy_uses) == [
        "ChatCompletion.create",
        "openai.api_base",
    ]


def test_module_level_client_through_openai_base_url() -> None:
    source = f"""
    import openai
    openai.base_url = {WANDB!r}
    openai.chat.completions.create(model="m", messages=[])
    """
    assert wandb_request_methods(source) == ["create"]
    assert wandb_request_methods("import openai\nopenai.chat.completions.create(model='m')\n") == []


@pytest.mark.parametrize(
    ("statement", "resolved"),
    [
        ("first = MSGS[0]", True),
        ("MSGS[0] = {'role': 'user'}", False),
        ("MSGS[0]['content'] += '!'", False),
        ("del MSGS[0]", False),
        ("MSGS[0].update(content='x')", False),
        ("MSGS.extend([])", False),
        ("print(MSGS)", False),
    ],
)
def test_reading_an_item_is_not_a_mutation_but_writing_one_is(
    statement: str, resolved: bool
) -> None:
    facts = facts_of(f"MSGS = [{{'role': 'user', 'content': 'hi'}}]\n{statement}\n")
    module_scope = facts.resolver.bindings.module
    value = facts.resolver.evaluate(cst.parse_expression("MSGS"), module_scope)
    assert (value is not UNKNOWN) is resolved


@pytest.mark.parametrize(
    "imports",
    [
        "if AZ:\n    from openai import AzureOpenAI as OpenAI\n"
        "else:\n    from openai import OpenAI\n",
        "try:\n    from openai import AzureOpenAI as OpenAI\nexcept ImportError:\n"
        "    from openai import OpenAI\n",
        "from openai import OpenAI\nOpenAI = None\n",
    ],
)
def test_a_name_imported_as_different_things_is_not_a_client(imports: str) -> None:
    facts = facts_of(imports + "client = OpenAI(api_key=key)\n", assume_wandb=True)
    assert facts.clients == []


def test_the_same_import_twice_is_still_that_import() -> None:
    source = "from openai import OpenAI\nfrom openai import OpenAI\nclient = OpenAI()\n"
    assert len(facts_of(source).clients) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://api.inference.wandb.ai/v1/",
        "HTTPS://API.Inference.WandB.ai/v1",
        "https://api.inference.wandb.ai:443/v1",
    ],
)
def test_spellings_of_the_wandb_url_the_sdk_treats_alike(url: str) -> None:
    source = f"from openai import OpenAI\nc = OpenAI(base_url={url!r})\n"
    (client,) = facts_of(source).clients
    assert client.base_url.kind is UrlKind.WANDB


def test_a_module_that_sets_openai_base_url_has_no_missing_base_url() -> None:
    source = (
        "import os\nfrom openai import OpenAI\n"
        'os.environ["OPENAI_BASE_URL"] = "https://api.inference.wandb.ai/v1"\n'
        'client = OpenAI(api_key=os.environ["WANDB_API_KEY"])\n'
    )
    (client,) = facts_of(source).clients
    assert client.base_url.kind is UrlKind.WANDB  # the SDK reads the variable set before it


STRING_LITERALS = [
    '"a"', "'b'", '"""x\ny"""', "r'\\d'", "b'x'", "u'é'", "''", '""""""', "R'''q'''",
    "'a\\nb'", "Rb'x'", "'''a\r\nb'''", "'tab\\tand quote \\''",
]  # fmt: skip


@pytest.mark.parametrize("literal", STRING_LITERALS)
def test_a_string_literal_is_read_as_python_reads_it(literal: str) -> None:
    node = cst.parse_module(f"x = {literal}\n").body[0].body[0].value  # type: ignore[attr-defined]
    assert string_value(node) == node.evaluated_value


def test_a_plain_string_literal_is_read_without_pythons_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    node = cst.parse_expression('"https://api.inference.wandb.ai/v1"')
    assert isinstance(node, cst.SimpleString)

    def parser(self: cst.SimpleString) -> object:
        raise AssertionError("Python's parser ran")

    monkeypatch.setattr(cst.SimpleString, "evaluated_value", property(parser))
    assert string_value(node) == "https://api.inference.wandb.ai/v1"


NUMBER_LITERALS = [
    "0", "00", "7", "1_000", "0x1F", "0XfF", "0o17", "0O17", "0b1_0", "9" * 40,
    "1.5", "1.", ".5", "1e-3", "1E+5", "1_000.5e1_0", "00.5", "0e0", "1e400",
]  # fmt: skip


@pytest.mark.parametrize("literal", NUMBER_LITERALS)
def test_a_number_literal_is_read_as_python_reads_it(literal: str) -> None:
    node = cst.parse_expression(literal)
    assert isinstance(node, (cst.Integer, cst.Float))
    value = number_value(node)
    assert type(value) is type(node.evaluated_value)
    assert value == node.evaluated_value


def test_a_number_literal_is_read_without_pythons_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def parser(self: cst.CSTNode) -> object:
        raise AssertionError("Python's parser ran")

    monkeypatch.setattr(cst.Integer, "evaluated_value", property(parser))
    monkeypatch.setattr(cst.Float, "evaluated_value", property(parser))
    assert number_value(cst.Integer("0x1_F")) == 31
    assert number_value(cst.Float("2.5e1")) == 25.0
