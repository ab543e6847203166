"""LangChain's init_chat_model under assume-wandb: it picks the provider's own chat model class
(`model_provider=`, else a `name:` prefix, else the model's name). OpenAI's (ChatOpenAI) given no
base_url goes to api.openai.com: WB102 adds W&B's URL, and WB107's key fix waits for it. Another
provider's class reads that provider's key: no W&B key is written into it."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.findings import Finding
from lint_wb.fix_loop import fix_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import bundled_libraries, load_spec
from tests.cli_runner import make_runner

HEAD = "import os\nfrom langchain.chat_models import init_chat_model\n"
WANDB_URL = "https://api.inference.wandb.ai/v1"


def _options(assume_wandb: bool = True) -> LintOptions:
    return LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)


def _findings(body: str, *, assume_wandb: bool = True) -> list[Finding]:
    result = lint_source(HEAD + body, "app.py", _options(assume_wandb), load_spec())
    return sorted(result.findings, key=lambda finding: finding.location)


def _codes(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


def _fixed(body: str, *, assume_wandb: bool = True) -> str:
    options = _options(assume_wandb)
    outcome = fix_source(HEAD + body, "app.py", options, load_spec(), unsafe_fixes=True)
    return outcome.text[len(HEAD) :]


@pytest.mark.parametrize(
    "call",
    [
        "init_chat_model('Qwen/Qwen3.6-35B-A3B', model_provider='openai', temperature=0)",
        "init_chat_model('openai:Qwen/Qwen3.6-35B-A3B')",
        "init_chat_model('gpt-4o-mini')",
        "init_chat_model('O3-mini')",
    ],
    ids=["model-provider", "prefix", "inferred", "inferred-case"],
)
def test_openais_client_given_no_base_url_gets_the_url_before_the_key(call: str) -> None:
    """ChatOpenAI given no base_url sends to api.openai.com: WB102 with its fix; WB107 has no
    fix of its own (alone, it would send the W&B key to OpenAI), and the fix loop writes both."""
    findings = _findings(f"m = {call}\n")
    (missing,) = _codes(findings, "WB102")
    assert missing.fix is not None and "LangChain's ChatOpenAI" in missing.message
    (key,) = _codes(findings, "WB107")
    assert key.fix is None and "No fix until its base URL is W&B's (WB102)" in key.message
    assert "LiteLLM" not in key.message + missing.message
    fixed = _fixed(f"m = {call}\n")
    assert f'base_url="{WANDB_URL}"' in fixed and "WANDB_API_KEY" in fixed


def test_a_key_read_for_openais_client_is_renamed_only_with_the_url() -> None:
    body = "m = init_chat_model('gpt-4o', api_key=os.getenv('OPENAI_API_KEY'))\n"
    (key,) = _codes(_findings(body), "WB107")
    assert key.fix is None
    assert _fixed(body).count("WANDB_API_KEY") == 1 and WANDB_URL in _fixed(body)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        ("init_chat_model('claude-sonnet-4', model_provider='anthropic', temperature=0)", True),
        ("init_chat_model('anthropic:claude-sonnet-4')", True),
        ("init_chat_model('claude-sonnet-4')", True),
    ],
    ids=["model-provider", "prefix", "inferred"],
)
def test_another_providers_client_gets_no_wandb_key(call: str, named: bool) -> None:
    """Another provider's class reads its own key and sends it to its own API: no WB102 (W&B's
    URL alone does not make it OpenAI's client) and WB107 adds no key."""
    findings = _findings(f"m = {call}\n")
    assert not _codes(findings, "WB102")
    (key,) = _codes(findings, "WB107")
    assert key.fix is None and "No key is added here" in key.message
    assert ("'anthropic' provider" in key.message) == named
    assert "WANDB_API_KEY" not in _fixed(f"m = {call}\n")


def test_another_providers_key_read_is_not_renamed() -> None:
    body = "m = init_chat_model('claude-sonnet-4', api_key=os.getenv('OPENAI_API_KEY'))\n"
    (key,) = _codes(_findings(body), "WB107")
    assert key.fix is None and "another provider" in key.message
    assert "WANDB_API_KEY" not in _fixed(body)


@pytest.mark.parametrize(
    "body",
    [
        f"os.environ['OPENAI_API_BASE'] = {WANDB_URL!r}\nm = init_chat_model('gpt-4o-mini')\n",
        f"m = init_chat_model('openai:gpt-4o-mini', base_url={WANDB_URL!r})\n",
        "m = init_chat_model('gpt-4o-mini', **settings)\n",
    ],
    ids=["openai-api-base", "given", "spread"],
)
def test_no_wb102_where_the_url_may_be_set(body: str) -> None:
    assert not _codes(_findings(body), "WB102")


def test_nothing_without_assume_wandb() -> None:
    body = "m = init_chat_model('gpt-4o-mini', model_provider='openai')\n"
    assert not _findings(body, assume_wandb=False)


@pytest.mark.parametrize(
    ("model", "provider_keyword", "provider"),
    [
        ("gpt-4o", None, "openai"),
        ("GPT-4o", None, "openai"),
        ("o1-mini", None, "openai"),
        ("o3", None, "openai"),
        ("chatgpt-4o-latest", None, "openai"),
        ("text-davinci-003", None, "openai"),
        ("openai:Qwen/Qwen3.6-35B-A3B", None, "openai"),
        ("claude-sonnet-4", None, "anthropic"),
        ("deepseek-ai/DeepSeek-V3.1", None, "deepseek"),
        ("Qwen/Qwen3.6-35B-A3B", None, ""),
        ("anthropic:claude-sonnet-4", None, "anthropic"),
        ("deepseek:deepseek-ai/DeepSeek-V3.1", None, "deepseek"),
        ("groq:llama-3.3-70b-versatile", None, "groq"),
        ("Qwen:Qwen3.6-35B-A3B", None, ""),
        ("wandb-artifact:///team/project/adapter:v1", None, ""),
        ("Qwen/Qwen3.6-35B-A3B", "openai", "openai"),
        ("gpt-4o", "azure-openai", "azure_openai"),
    ],
)
def test_the_data_picks_the_provider_as_langchain_does(
    model: str, provider_keyword: str | None, provider: str
) -> None:
    """`ModelConvention.provider` on init_chat_model's data; against the installed langchain's
    own parser when it is installed (it is not in the test extras: it pulls langgraph)."""
    convention = bundled_libraries().conventions["langchain_init"]
    given = provider_keyword is not None
    assert convention.provider(model, provider_keyword, given) == provider
    try:
        from langchain.chat_models import base  # type: ignore[import-not-found]
    except ImportError:
        return
    try:
        _, parsed = base._parse_model(model, provider_keyword)
    except ValueError:
        parsed = ""  # LangChain cannot place the name: it raises
    assert parsed == provider


@pytest.mark.parametrize(
    "body",
    [
        "P = os.getenv('LLM_PROVIDER')\nm = init_chat_model('gpt-4o-mini', model_provider=P)\n",
        "m = init_chat_model(os.environ['MODEL'])\n",
        "m = init_chat_model(os.environ['MODEL'], api_key=os.getenv('OPENAI_API_KEY'))\n",
    ],
    ids=["provider-variable", "model-variable", "key-read"],
)
def test_a_provider_not_known_here_gets_no_wandb_key(body: str) -> None:
    """Which class init_chat_model makes (and so where the key goes) is not known here: WB107
    says so and adds no W&B key, which could go to api.openai.com or another provider."""
    (key,) = _codes(_findings(body), "WB107")
    assert key.fix is None and "not known here" in key.message
    assert "WANDB_API_KEY" not in _fixed(body)


def _picks_openai(fixed_call: str) -> bool:
    """Whether LangChain makes ChatOpenAI for a fixed `init_chat_model(...)` call (the
    data's reading of langchain 1.x `_parse_model`)."""
    call = ast.parse(fixed_call).body[0].value  # type: ignore[attr-defined]
    model = call.args[0].value
    named = {
        keyword.arg: keyword.value.value
        for keyword in call.keywords
        if isinstance(keyword.value, ast.Constant)
    }
    provider = named.get("model_provider")
    convention = bundled_libraries().conventions["langchain_init"]
    return convention.provider(model, provider, provider is not None) == "openai"


@pytest.mark.parametrize(
    ("call", "written"),
    [
        ("init_chat_model('gpt-4o-mini', base_url=URL)", "'openai:Qwen/Qwen3.6-35B-A3B'"),
        ("init_chat_model('claude-sonnet-4', base_url=URL)", "'openai:moonshotai/Kimi-K2.6'"),
        ("init_chat_model('openai:gpt-4o-mini', base_url=URL)", "'openai:Qwen/Qwen3.6-35B-A3B'"),
        (
            "init_chat_model('gpt-4o-mini', model_provider='openai', base_url=URL)",
            "'Qwen/Qwen3.6-35B-A3B', model_provider='openai'",
        ),
        ("init_chat_model('gpt-oss-120b', base_url=URL)", "'openai:openai/gpt-oss-120b'"),
    ],
    ids=["inferred", "other-provider", "prefix", "model-provider", "same-weights"],
)
def test_a_new_model_still_makes_openais_client(call: str, written: str) -> None:
    """init_chat_model given no model_provider places a W&B ID (`Qwen/...`) with no provider
    and raises: WB501's fix writes it as `openai:<id>`; given model_provider, as it is. (A
    `claude-` model makes ChatAnthropic, which W&B's URL does not serve: WB108's fix.)"""
    body = f"URL = {WANDB_URL!r}\nm = {call}\n"
    (unknown,) = [found for found in _findings(body) if found.code in ("WB501", "WB108")]
    assert unknown.fix is not None
    fixed = _fixed(body).splitlines()[1]
    assert f"init_chat_model({written}" in fixed
    assert _picks_openai(fixed.removeprefix("m = "))


def test_given_model_provider_an_openai_prefix_is_sent_as_written() -> None:
    """LangChain splits `openai:` off only when no model_provider is given."""
    call = f"'openai:Qwen/Qwen3.6-35B-A3B', model_provider='openai', base_url={WANDB_URL!r}"
    body = f"m = init_chat_model({call})\n"
    (unknown,) = _codes(_findings(body, assume_wandb=False), "WB501")
    assert "'openai:Qwen/Qwen3.6-35B-A3B'" in unknown.message


def test_a_model_of_another_module_still_makes_openais_client(tmp_path: Path) -> None:
    """`MODEL = "gpt-4o-mini"` in settings.py, sent by an init_chat_model given W&B's URL
    (and a ChatOpenAI, which sends it as written) in app.py: the substitution is written with
    the `openai:` prefix only for the call that needs it."""
    (tmp_path / "lint-wb.toml").write_text("assume-wandb = true\n")
    settings = 'MODEL = "gpt-4o-mini"\nOTHER = "gpt-4o-mini"\nNAMED = "gpt-4o-mini"\n'
    (tmp_path / "settings.py").write_text(settings)
    app = (
        "from langchain.chat_models import init_chat_model\n"
        "from langchain_openai import ChatOpenAI\n"
        "from settings import MODEL, NAMED, OTHER\n"
        f"URL = {WANDB_URL!r}\n"
        "m = init_chat_model(MODEL, base_url=URL)\n"
        "o = ChatOpenAI(model=OTHER, base_url=URL)\n"
        "n = init_chat_model(NAMED, model_provider='openai', base_url=URL)\n"
    )
    (tmp_path / "app.py").write_text(app)
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(tmp_path)])
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    written = {
        row["location"]["row"]: row["fix"]["edits"][0]["content"]
        for row in rows
        if row["code"] == "WB501"
    }
    assert written == {
        1: "openai:Qwen/Qwen3.6-35B-A3B",
        2: "Qwen/Qwen3.6-35B-A3B",
        3: "Qwen/Qwen3.6-35B-A3B",
    }


@pytest.mark.parametrize("assume_wandb", [False, True], ids=["default", "assume-wandb"])
@pytest.mark.parametrize(
    "model", ["Qwen/Qwen3.6-35B-A3B", "meta-llama/Llama-3.3-70B-Instruct", "moonshotai/Kimi-K2.6"]
)
def test_a_name_langchain_places_with_no_provider_raises(model: str, assume_wandb: bool) -> None:
    """Given no model_provider, a name with no `provider:` prefix that LangChain infers no
    provider from makes init_chat_model raise ValueError: WB108, whose safe fix names OpenAI's
    provider (ChatOpenAI then sends the model to W&B's URL as written)."""
    body = f"m = init_chat_model({model!r}, base_url={WANDB_URL!r})\n"
    (unplaced,) = _codes(_findings(body, assume_wandb=assume_wandb), "WB108")
    assert "raises ValueError" in unplaced.message and model in unplaced.message
    assert unplaced.fix is not None and unplaced.fix.applicability.value == "safe"
    assert not [f for f in _findings(body, assume_wandb=assume_wandb) if f.code == "WB501"]
    fixed = _fixed(body, assume_wandb=assume_wandb)
    assert 'model_provider="openai")' in fixed and _picks_openai(fixed.removeprefix("m = "))
    if not assume_wandb:
        assert fixed == body.replace(")\n", ', model_provider="openai")\n')


def test_given_no_base_url_the_provider_comes_with_wandbs_url() -> None:
    """Porting mode, no base_url: naming OpenAI's provider alone would send the call to
    api.openai.com (WB102), so WB108's fix writes W&B's URL with it (unsafe, as WB102's)."""
    body = "m = init_chat_model('Qwen/Qwen3.6-35B-A3B')\n"
    (unplaced,) = _codes(_findings(body), "WB108")
    assert unplaced.fix is not None and unplaced.fix.applicability.value == "unsafe"
    assert "api.openai.com" in unplaced.message
    fixed = _fixed(body)
    assert 'model_provider="openai", base_url="https://api.inference.wandb.ai/v1"' in fixed
    assert "WANDB_API_KEY" in fixed and not _findings(HEAD[:0] + fixed)


@pytest.mark.parametrize(
    "call",
    [
        "init_chat_model('Qwen/Qwen3.6-35B-A3B', model_provider='openai', base_url=URL)",
        "init_chat_model('openai:Qwen/Qwen3.6-35B-A3B', base_url=URL)",
        "init_chat_model('gpt-4o-mini', base_url=URL)",
        "init_chat_model('deepseek-ai/DeepSeek-V3.1', base_url=URL)",
        "init_chat_model('Qwen/Qwen3.6-35B-A3B', base_url=URL, **settings)",
        "init_chat_model(os.environ['MODEL'], base_url=URL)",
    ],
    ids=["model-provider", "prefix", "openai-name", "other-name", "spread", "not-known"],
)
def test_a_placed_name_is_not_wb108s(call: str) -> None:
    body = f"URL = {WANDB_URL!r}\nm = {call}\n"
    assert not _codes(_findings(body), "WB108")
    assert not _codes(_findings(body, assume_wandb=False), "WB108")


@pytest.mark.parametrize(
    ("model", "spelled"),
    [
        ("Qwen/Qwen3.6-35B-A3B", "openai:Qwen/Qwen3.6-35B-A3B"),
        ("deepseek-ai/DeepSeek-V3.1", "openai:deepseek-ai/DeepSeek-V3.1"),
        ("gpt-oss-120b", "gpt-oss-120b"),
    ],
)
def test_the_data_spells_a_new_id_for_openais_client(model: str, spelled: str) -> None:
    convention = bundled_libraries().conventions["langchain_init"]
    assert convention.spelled(model) == spelled
    assert convention.unplaced(model) == (model == "Qwen/Qwen3.6-35B-A3B")
    try:
        from langchain.chat_models import base  # type: ignore[import-not-found]
    except ImportError:
        return
    assert base._parse_model(spelled, None)[1] == "openai"
    if convention.unplaced(model):
        with pytest.raises(ValueError):
            base._parse_model(model, None)


def test_wb501_and_wb108_fixes_together_name_the_provider_once() -> None:
    """A case typo of a W&B ID that LangChain places with no provider: WB501's fix and WB108's
    apply in one round, so WB501 writes the ID as it is (WB108 names the provider); an
    `openai:` prefix as well would be sent as written once model_provider is given."""
    body = f"MODEL = 'qwen/qwen3.6-35b-a3b'\nm = init_chat_model(MODEL, base_url={WANDB_URL!r})\n"
    fixed = _fixed(body, assume_wandb=False)
    assert fixed.startswith("MODEL = 'Qwen/Qwen3.6-35B-A3B'\n")
    assert fixed.endswith('model_provider="openai")\n')


@pytest.mark.parametrize(
    ("model", "named", "fixed"),
    [
        ("'Qwen/Qwen3.6-35B-A3B', model_provider='anthropic'", "model_provider='anthropic'", None),
        ("'anthropic:claude-3-5-sonnet-20241022'", "the 'anthropic:' prefix", "openai:"),
        ("'claude-3-5-sonnet-20241022'", "LangChain infers 'anthropic'", "openai:"),
    ],
    ids=["model-provider", "prefix", "inferred"],
)
@pytest.mark.parametrize("assume_wandb", [False, True])
def test_a_class_wandb_does_not_serve_given_its_url_is_wb108(
    model: str, named: str, fixed: str | None, assume_wandb: bool
) -> None:
    """Given W&B's base URL, init_chat_model builds ChatAnthropic for these, which posts
    Anthropic's Messages API there: WB108 in either mode, no WB501 on a model W&B never
    receives. A written model gets a fix that makes ChatOpenAI (`openai:<W&B ID>`) in porting
    mode (a substitution); `model_provider=` gets none."""
    body = f"m = init_chat_model({model}, base_url={WANDB_URL!r})\n"
    findings = _findings(body, assume_wandb=assume_wandb)
    assert not _codes(findings, "WB501")
    (found,) = _codes(findings, "WB108")
    assert named in found.message and "ChatAnthropic" in found.message
    if fixed is None or not assume_wandb:
        assert found.fix is None
    else:
        assert found.fix is not None and f"'{fixed}" in _fixed(body)


def test_a_class_that_posts_openai_format_reads_its_own_key() -> None:
    """`deepseek-ai/...` makes init_chat_model build ChatDeepSeek (OpenAI's client with
    DeepSeek's key variable), which posts the model as written to the base URL given: WB107
    names DEEPSEEK_API_KEY, not the SDK's OPENAI_API_KEY, and passes the W&B key."""
    body = f"m = init_chat_model('deepseek-ai/DeepSeek-V3.1', base_url={WANDB_URL!r})\n"
    findings = _findings(body)
    (key,) = _codes(findings, "WB107")
    assert "ChatDeepSeek" in key.message and "DEEPSEEK_API_KEY" in key.message
    assert key.fix is not None and "WANDB_API_KEY" in _fixed(body)
    assert not _codes(findings, "WB108")


def test_the_classes_the_data_names_are_langchains() -> None:
    """Each class row names a provider LangChain's init_chat_model builds a class for (when
    langchain is installed), and no row is OpenAI's own."""
    convention = bundled_libraries().conventions["langchain_init"]
    providers = {row.prefix[:-1] for row in convention.classes}
    assert convention.openai_provider not in providers
    assert {"anthropic", "deepseek"} <= providers
    try:
        from langchain.chat_models import base  # type: ignore[import-not-found]
    except ImportError:
        return
    for row in convention.classes:
        assert base._BUILTIN_PROVIDERS[row.prefix[:-1]][1] == row.client


def test_the_prefixes_the_data_strips_are_langchains() -> None:
    """init_chat_model strips a `name:` prefix only when it names a provider it builds a class
    for (when langchain is installed: exactly its `_BUILTIN_PROVIDERS`)."""
    convention = bundled_libraries().conventions["langchain_init"]
    assert convention.provider_prefix("deepseek:deepseek-ai/DeepSeek-V3.1") == "deepseek:"
    assert convention.provider_prefix("Qwen:Qwen3.6-35B-A3B") == ""
    assert {row.prefix[:-1] for row in convention.classes} <= convention.prefixed
    try:
        from langchain.chat_models import base  # type: ignore[import-not-found]
    except ImportError:
        return
    assert convention.prefixed == frozenset(base._BUILTIN_PROVIDERS)


@pytest.mark.parametrize("assume_wandb", [False, True], ids=["default", "assume-wandb"])
def test_a_prefix_langchain_strips_is_not_judged_as_part_of_the_model(assume_wandb: bool) -> None:
    """`deepseek:<id>` makes ChatDeepSeek, which W&B's URL receives `<id>` from: a served ID is
    no WB501, an unknown one is WB501 on the ID W&B receives, and a fix keeps the prefix. Given
    model_provider, LangChain strips nothing: the whole name is sent, and judged. A prefix
    whose class the data does not describe keeps the name judged as written."""
    body = (
        f"K = os.environ['WANDB_API_KEY']\nU = {WANDB_URL!r}\n"
        "a = init_chat_model('deepseek:deepseek-ai/DeepSeek-V3.1', base_url=U, api_key=K)\n"
        "b = init_chat_model('deepseek:deepseek-ai/deepseek-v3.1', base_url=U, api_key=K)\n"
        "c = init_chat_model('deepseek:x/y', model_provider='deepseek', base_url=U, api_key=K)\n"
        "d = init_chat_model('together:llama-3.1-8b-instant', base_url=U, api_key=K)\n"
        "e = init_chat_model('groq:llama-3.1-8b-instant', base_url=U, api_key=K)\n"
    )
    found = _findings(body, assume_wandb=assume_wandb)
    models = _codes(found, "WB501")
    assert [finding.location.row for finding in models] == [6, 7, 8]
    assert "so W&B receives 'deepseek-ai/deepseek-v3.1'" in models[0].message
    assert "'deepseek:x/y'" in models[1].message
    # ChatTogether is not described by the data: what it sends is not known, so the name is
    # judged as written (the request fails at W&B's URL either way).
    assert "'together:llama-3.1-8b-instant'" in models[2].message
    # ChatGroq is: it posts to `<base_url>/openai/v1/...`, which W&B does not serve.
    (groq,) = _codes(found, "WB108")
    assert groq.location.row == 9 and "build ChatGroq" in groq.message
    fixed = _fixed(body, assume_wandb=assume_wandb)
    assert "b = init_chat_model('deepseek:deepseek-ai/DeepSeek-V3.1', base_url" in fixed


@pytest.mark.parametrize(
    ("call", "reported"),
    [
        ("init_chat_model(model_name='Qwen/Qwen3.6-35B-A3B', model_provider='openai', **A)", 1),
        (
            "init_chat_model('Qwen/Qwen3.6-35B-A3B', model_name='x', model_provider='openai', **A)",
            0,
        ),
        ("init_chat_model(model_name='Qwen/Qwen3.6-35B-A3B', model_provider='openai', **B)", 0),
    ],
    ids=["model-name-only", "model-too", "spread-may-give-model"],
)
def test_model_name_is_not_init_chat_models_model(call: str, reported: int) -> None:
    """init_chat_model reads its model from `model` only: given only `model_name=` (as
    ChatOpenAI takes it), WB208. Checked against langchain when it is installed: the first
    use raises TypeError, and a model given at run time wins over model_name."""
    head = f"A = {{'base_url': {WANDB_URL!r}, 'api_key': os.environ['WANDB_API_KEY']}}\n"
    found = _codes(_findings(head + f"m = {call}\n", assume_wandb=False), "WB208")
    assert len(found) == reported
    if found:
        assert "model_name=" in found[0].message and found[0].fix is None
    try:
        from langchain.chat_models import base  # type: ignore[import-not-found]
    except ImportError:
        return
    made = base.init_chat_model(
        model_name="Qwen/Qwen3.6-35B-A3B", model_provider="openai", api_key="not-a-key"
    )
    with pytest.raises(TypeError, match="model"):
        made._model()
    chosen = made._model({"configurable": {"model": "other/model"}})
    assert chosen.model_name == "other/model"


@pytest.mark.parametrize("assume_wandb", [False, True], ids=["default", "assume-wandb"])
@pytest.mark.parametrize(
    ("provider", "fixable"),
    [("openai", True), ("deepseek", True), ("mistralai", True), ("together", False), ("P", False)],
)
def test_wb501_fixes_only_where_the_class_sends_the_new_id_to_wandb(
    tmp_path: Path, provider: str, fixable: bool, assume_wandb: bool
) -> None:
    """Given model_provider, init_chat_model builds that provider's class. ChatOpenAI,
    ChatDeepSeek and ChatMistralAI post the model as written to the base URL; a class the
    data does not describe (ChatTogether), or a provider not known here, may post elsewhere
    (ChatGroq posts to `<base_url>/openai/v1/...`: WB108): a W&B ID written there could fail
    as the old one does, so no fix, whether the model is written in the call or in another
    module."""
    call = f"init_chat_model({{}}, model_provider={provider!r}, base_url={WANDB_URL!r})"
    head = "P = os.environ['PROVIDER']\n"
    body = head + "m = " + call.format("'llama-3.1-8b-instant'") + "\n"
    (found,) = _codes(_findings(body, assume_wandb=assume_wandb), "WB501")
    assert (found.fix is not None) is fixable
    if assume_wandb:
        (tmp_path / "lint-wb.toml").write_text("assume-wandb = true\n")
    (tmp_path / "settings.py").write_text('MODEL = "llama-3.1-8b-instant"\n')
    app = HEAD + "from settings import MODEL\n" + head + "m = " + call.format("MODEL") + "\n"
    (tmp_path / "app.py").write_text(app)
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(tmp_path)])
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    (row,) = [row for row in rows if row["code"] == "WB501"]
    assert (row["fix"] is not None) is fixable


def test_chat_mistral_given_wandbs_url_reads_mistrals_key() -> None:
    """ChatMistralAI posts OpenAI's chat format to `<base_url>/chat/completions` with
    api_key= else MISTRAL_API_KEY (langchain-mistralai 1.1.6): WB107 names that key, and its
    fix passes the W&B key, which the class sends to W&B."""
    body = f"m = init_chat_model('x', model_provider='mistralai', base_url={WANDB_URL!r})\n"
    (found,) = _codes(_findings(body), "WB107")
    assert "ChatMistralAI" in found.message and "MISTRAL_API_KEY" in found.message
    assert "api_key=os.environ[" in _fixed(body)


@pytest.mark.parametrize(
    ("call", "how"),
    [
        ("init_chat_model('mistral-large-latest')", "LangChain infers 'mistralai'"),
        ("init_chat_model('llama-3.3-70b-versatile', model_provider='groq')", "'groq'"),
        ("init_chat_model('groq:llama-3.3-70b-versatile')", "the 'groq:' prefix"),
        ("init_chat_model('claude-sonnet-4-5')", "LangChain infers 'anthropic'"),
    ],
)
def test_porting_another_providers_class_given_no_url_is_wb108(call: str, how: str) -> None:
    """Given no base URL, init_chat_model builds the provider's own class, which sends the
    model to that provider with its key: in porting mode the call is retargeted as a whole
    (WB108, no fix), and its model is not judged as W&B's (no WB501). Outside porting mode
    it is no W&B client."""
    found = _findings(f"m = {call}\n")
    (retarget,) = _codes(found, "WB108")
    assert how in retarget.message and retarget.fix is None
    assert "model_provider='openai'" in retarget.message
    assert _codes(found, "WB501") == []
    assert _findings(f"m = {call}\n", assume_wandb=False) == []
