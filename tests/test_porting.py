"""Porting another provider's code to W&B: keys (WB107), hosts (WB103), which clients are
retargeted at all (WB102/WB103), through the real engine."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from pathlib import Path

import pytest

from lint_wb import LintOptions, fix_source, lint_source
from lint_wb.cli.main import main
from lint_wb.findings import Applicability, Finding
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner

CLIENT_CODES = frozenset({"WB102", "WB103", "WB107", "WB601"})


def findings(
    source: str, *, assume: bool = True, codes: frozenset[str] = CLIENT_CODES
) -> list[Finding]:
    options = LintOptions(enabled=codes, assume_wandb=assume)
    return list(lint_source(textwrap.dedent(source), "x.py", options, load_spec()).findings)


def codes_of(source: str, *, assume: bool = True) -> list[str]:
    return sorted(finding.code for finding in findings(source, assume=assume))


def fixed(source: str, *, codes: frozenset[str] = CLIENT_CODES) -> str:
    options = LintOptions(enabled=codes, assume_wandb=True)
    outcome = fix_source(textwrap.dedent(source), "x.py", options, load_spec(), unsafe_fixes=True)
    return outcome.text


# --------------------------------------------------------------------------------------------
# WB107 foreign-api-key


@pytest.mark.parametrize(
    "read",
    [
        'os.environ["GROQ_API_KEY"]',
        'os.environ.get("TOGETHER_API_KEY")',
        'os.getenv("OPENROUTER_API_KEY", "")',
    ],
)
def test_another_providers_key_variable_is_flagged_even_without_assume_wandb(read: str) -> None:
    source = f"""\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        client = OpenAI(base_url=URL, api_key={read})
        """
    (finding,) = findings(source, assume=False)
    assert finding.code == "WB107"
    assert "401" in finding.message and "WANDB_API_KEY" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE


def test_the_fix_renames_the_variable_in_the_read_the_code_has() -> None:
    source = """\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        KEY = os.getenv('GROQ_API_KEY', "")
        client = OpenAI(base_url=URL, api_key=KEY)
        """
    assert "KEY = os.getenv('WANDB_API_KEY', \"\")" in fixed(source)


def test_openai_api_key_is_flagged_only_when_porting() -> None:
    source = """\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        client = OpenAI(base_url=URL, api_key=os.environ["OPENAI_API_KEY"])
        """
    assert codes_of(source, assume=False) == []
    assert codes_of(source, assume=True) == ["WB107"]


def test_the_wandb_key_and_unknown_variables_are_fine() -> None:
    source = """\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        a = OpenAI(base_url=URL, api_key=os.environ["WANDB_API_KEY"])
        b = OpenAI(base_url=URL, api_key=os.environ["MY_GATEWAY_KEY"])
        """
    assert codes_of(source) == []


def test_a_missing_key_under_assume_wandb_gets_one_in_the_files_form() -> None:
    source = """\
        from os import getenv
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        PROXY = getenv("PROXY_URL")
        client = OpenAI(base_url=URL)
        """
    (finding,) = findings(source)
    assert finding.code == "WB107" and "OPENAI_API_KEY" in finding.message
    assert 'api_key=getenv("WANDB_API_KEY"))' in fixed(source)
    assert codes_of(source, assume=False) == []


def test_a_missing_key_prefers_os_environ_subscripts_where_the_file_uses_them() -> None:
    source = """\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        TEAM = os.environ["TEAM"]
        LEVEL = os.getenv("LEVEL")
        client = OpenAI(base_url=URL)
        """
    assert 'api_key=os.environ["WANDB_API_KEY"])' in fixed(source)


def test_a_missing_key_adds_import_os_after_the_docstring() -> None:
    source = '''\
        """A module."""

        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"

        client = OpenAI(base_url=URL)
        '''
    assert fixed(source) == textwrap.dedent('''\
        """A module."""

        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"

        client = OpenAI(base_url=URL, api_key=os.environ["WANDB_API_KEY"])
        ''')


def test_a_key_that_may_come_from_a_spread_is_not_missing() -> None:
    source = """\
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        def make(**options):
            return OpenAI(base_url=URL, **options)
        """
    assert codes_of(source) == []


# --------------------------------------------------------------------------------------------
# WB103: any public host is foreign under assume-wandb; private ones are not


@pytest.mark.parametrize(
    "url",
    [
        "https://api.endpoints.anyscale.com/v1",
        "https://my-resource.openai.azure.com/openai/v1",
        "https://llm.example.com/v1",
        "https://api.hyperbolic.xyz/v1",
    ],
)
def test_public_hosts_are_foreign_when_porting(url: str) -> None:
    source = f"""\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        client = OpenAI(base_url="{url}", api_key=os.environ["WANDB_API_KEY"])
        """
    assert codes_of(source) == ["WB103"]
    assert codes_of(source, assume=False) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/v1",
        "http://127.0.0.1:8000/v1",
        "http://10.1.2.3:8000/v1",
        "http://192.168.1.20:8000/v1",
        "http://172.16.0.4/v1",
        "http://gpu-box.local:8000/v1",
        "http://vllm:8000/v1",
        "http://vllm.inference.svc:8000/v1",
        "http://host.docker.internal:11434/v1",
        "http://nas.lan:8000/v1",
        "http://router.home.arpa/v1",
        "http://ollama.localhost:11434/v1",
        "http://[::1]:8000/v1",
    ],
)
def test_loopback_and_private_hosts_are_left_alone(url: str) -> None:
    source = f"""\
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        client = OpenAI(base_url="{url}", api_key="EMPTY")
        """
    assert codes_of(source) == []


def test_the_message_names_the_provider_or_the_host() -> None:
    source = """\
        import os
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        KEY = os.environ["WANDB_API_KEY"]
        a = OpenAI(base_url="https://api.endpoints.anyscale.com/v1", api_key=KEY)
        b = OpenAI(base_url="https://llm.example.com/v1", api_key=KEY)
        """
    first, second = findings(source)
    assert "Anyscale's" in first.message
    assert "llm.example.com, a public host" in second.message


# --------------------------------------------------------------------------------------------
# Only what can work is retargeted


def test_a_client_used_only_for_images_is_left_alone() -> None:
    source = """\
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        images = OpenAI()
        chat = OpenAI(base_url="https://api.openai.com/v1")

        def draw(prompt):
            return images.images.generate(model="dall-e-3", prompt=prompt)

        def ask(question):
            chat.embeddings.create(model="text-embedding-3-small", input=question)
            messages = [{"role": "user", "content": question}]
            return chat.chat.completions.create(model="m", messages=messages)
        """
    found = findings(source)
    assert sorted((f.code, f.location.row) for f in found) == [
        ("WB103", 4),
        ("WB107", 4),
        ("WB601", 10),
    ]


def test_a_client_with_a_wandb_url_stays_wandb_whatever_it_is_used_for() -> None:
    source = """\
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        client = OpenAI(base_url=URL, api_key="EMPTY")
        client.images.generate(model="dall-e-3", prompt="a cat")
        """
    assert codes_of(source) == ["WB601"]


def test_an_unused_client_is_still_retargeted() -> None:
    source = """\
        from openai import OpenAI
        URL = "https://api.inference.wandb.ai/v1"
        client = OpenAI()
        """
    assert codes_of(source) == ["WB102", "WB107"]


def test_every_code_of_this_file_is_registered() -> None:
    assert CLIENT_CODES <= ALL_CODES


# --------------------------------------------------------------------------------------------
# WB501: near typos, and substitutions under assume-wandb

MODEL_HEADER = """\
import os
from openai import OpenAI
client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
"""


def model_finding(model: str, *, assume: bool) -> Finding:
    source = MODEL_HEADER + f'client.chat.completions.create(model="{model}", messages=[])\n'
    options = LintOptions(enabled=frozenset({"WB501"}), assume_wandb=assume)
    (finding,) = lint_source(source, "x.py", options, load_spec()).findings
    return finding


def fixed_model(model: str) -> str:
    source = MODEL_HEADER + f'client.chat.completions.create(model="{model}", messages=[])\n'
    options = LintOptions(enabled=frozenset({"WB501"}), assume_wandb=True)
    text = fix_source(source, "x.py", options, load_spec(), unsafe_fixes=True).text
    return text[len(MODEL_HEADER) :].split('"')[1]


@pytest.mark.parametrize(
    ("model", "suggestion"),
    [
        ("openai/gpt-oss-12b", "openai/gpt-oss-120b"),
        ("meta-llama/Llama-3.3-70B-Instuct", "meta-llama/Llama-3.3-70B-Instruct"),
        ("meta-llama/Llama-3.3-70B-Intsruct", "meta-llama/Llama-3.3-70B-Instruct"),
        ("Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
    ],
)
def test_near_typos_of_a_served_id_get_a_did_you_mean(model: str, suggestion: str) -> None:
    finding = model_finding(model, assume=False)
    assert f"Did you mean {suggestion!r}?" in finding.message
    assert finding.fix is None


@pytest.mark.parametrize(
    "model", ["openai/gpt-3.5-turbo", "gpt-4o", "zai-org/GLM-4.6", "claude-3-5-sonnet"]
)
def test_other_models_get_no_did_you_mean(model: str) -> None:
    assert "Did you mean" not in model_finding(model, assume=False).message


@pytest.mark.parametrize(
    ("model", "substitute"),
    [
        ("openai/gpt-3.5-turbo", "meta-llama/Llama-3.1-8B-Instruct"),
        ("gpt-4o-mini", "Qwen/Qwen3.6-35B-A3B"),
        ("claude-3-5-sonnet-latest", "moonshotai/Kimi-K2.6"),
        ("llama3-70b-8192", "meta-llama/Llama-3.3-70B-Instruct"),
        ("mixtral-8x7b-32768", "meta-llama/Llama-3.3-70B-Instruct"),
    ],
)
def test_porting_substitutes_the_tables_model_and_says_it_is_not_the_same(
    model: str, substitute: str
) -> None:
    finding = model_finding(model, assume=True)
    assert f"{substitute!r}" in finding.message
    assert "substitution, not the same model" in finding.message
    assert "Did you mean" not in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "not the same model" in finding.fix.message
    assert fixed_model(model) == substitute


def test_without_assume_wandb_there_is_no_substitution() -> None:
    finding = model_finding("gpt-4o-mini", assume=False)
    assert finding.fix is None and "substitution" not in finding.message


def test_a_same_weights_id_is_a_plain_mapping_not_a_substitution() -> None:
    finding = model_finding("llama-3.3-70b-versatile", assume=True)
    assert "same weights" in finding.message and "substitution" not in finding.message
    assert fixed_model("llama-3.3-70b-versatile") == "meta-llama/Llama-3.3-70B-Instruct"


def test_a_substitute_the_snapshot_does_not_serve_is_never_written() -> None:
    spec = load_spec()
    models = dict(spec.models.models)
    del models["moonshotai/Kimi-K2.6"]
    catalog = dataclasses.replace(spec.models, models=models)
    source = MODEL_HEADER + 'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    options = LintOptions(enabled=frozenset({"WB501"}), assume_wandb=True)
    patched = dataclasses.replace(spec, models=catalog)
    (finding,) = lint_source(source, "x.py", options, patched).findings
    assert finding.fix is None and "Kimi" not in finding.message


# --------------------------------------------------------------------------------------------
# WB603 provider-sdk

SDK_CODES = frozenset({"WB603", "WB202", "WB107", "WB102"})


def ported(source: str, codes: frozenset[str] = SDK_CODES) -> str:
    """The fixed text, the W&B URL literal written as W to keep lines short."""
    return fixed(source, codes=codes).replace('"https://api.inference.wandb.ai/v1"', "W")


def test_a_groq_client_is_ported_with_its_imports_and_requests() -> None:
    source = """\
        import os
        from groq import AsyncGroq, Groq

        client = Groq(api_key=os.environ["GROQ_API_KEY"], timeout=10)

        def ask(c: Groq, q: str) -> str:
            return c.chat.completions.create(model="m", messages=[], reasoning_format="raw")
        """
    assert codes_of(source) == []  # the default codes of this file do not include WB603
    found = findings(source, codes=SDK_CODES)
    assert sorted(f.code for f in found) == ["WB603"]  # `c` may be any client
    assert ported(source) == textwrap.dedent("""\
        from openai import OpenAI
        import os
        from groq import AsyncGroq

        client = OpenAI(base_url=W, api_key=os.environ["WANDB_API_KEY"], timeout=10)

        def ask(c: OpenAI, q: str) -> str:
            return c.chat.completions.create(model="m", messages=[], reasoning_format="raw")
        """)


def test_requests_on_the_sdk_client_get_their_keywords_moved_and_provider_fields_removed() -> None:
    source = """\
        import os
        from groq import Groq
        client = Groq()
        client.chat.completions.create(
            model="m",
            messages=[],
            top_k=3,
            reasoning_format="raw",
        )
        """
    assert ported(source) == textwrap.dedent("""\
        import os
        from openai import OpenAI
        client = OpenAI(base_url=W, api_key=os.environ["WANDB_API_KEY"])
        client.chat.completions.create(
            model="m",
            messages=[],
            extra_body={"top_k": 3},
        )
        """)


def test_a_module_import_of_the_sdk_goes_when_the_client_was_its_only_use() -> None:
    source = """\
        import together
        import openai
        client = together.AsyncTogether(api_key=settings.together_key)
        """
    assert ported(source) == textwrap.dedent("""\
        import openai
        client = openai.AsyncOpenAI(base_url=W, api_key=settings.together_key)
        """)


def test_the_sdk_import_stays_while_other_names_use_it() -> None:
    source = """\
        import groq
        client = groq.Groq()
        try:
            pass
        except groq.APIError:
            pass
        """
    text = ported(source)
    assert text.startswith("import os\nfrom openai import OpenAI\nimport groq\n")
    assert "client = OpenAI(base_url=W" in text


def test_without_assume_wandb_an_sdk_client_is_not_reported() -> None:
    source = """\
        from groq import Groq
        client = Groq()
        client.chat.completions.create(model="m", messages=[], top_k=3)
        """
    assert findings(source, assume=False, codes=SDK_CODES | {"WB501"}) == []


def test_wb202_leaves_the_move_on_an_sdk_client_to_wb603() -> None:
    source = """\
        from groq import Groq
        client = Groq()
        client.chat.completions.create(model="m", messages=[], top_k=3)
        """
    (finding,) = findings(source, codes=frozenset({"WB202"}))
    assert finding.fix is None and "(WB603)" in finding.message


def test_a_file_that_only_uses_a_provider_sdk_is_linted_when_porting(tmp_path: Path) -> None:
    path = tmp_path / "bot.py"
    path.write_text("from groq import Groq\nclient = Groq()\n", encoding="utf-8")
    runner = make_runner()
    porting = runner.invoke(main, ["--isolated", "--assume-wandb", "--select", "WB603", str(path)])
    assert "WB603" in porting.output
    plain = runner.invoke(main, ["--isolated", "--select", "WB603", str(path)])
    assert plain.exit_code == 0


# --------------------------------------------------------------------------------------------
# WB201 inside extra_body: fields only another provider takes


def test_openrouter_fields_in_extra_body_are_removed_by_one_fix() -> None:
    source = """\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="EMPTY")
        client.chat.completions.create(model="m", messages=[], extra_body={
            "provider": {"order": ["x"]}, "top_k": 2, "transforms": []})
        client.chat.completions.create(model="m", messages=[], extra_body={"models": ["a", "b"]})
        """
    codes = frozenset({"WB201"})
    found = findings(source, assume=False, codes=codes)
    assert [f.code for f in found] == ["WB201"] * 3
    assert found[0].fix == found[1].fix
    assert "OpenRouter" in found[0].message
    text = fixed(source, codes=codes)
    assert 'extra_body={\n    "top_k": 2})' in text
    assert 'create(model="m", messages=[])' in text


# --------------------------------------------------------------------------------------------
# WB604 anthropic-sdk

ANTHROPIC = frozenset({"WB604"})
ANTHROPIC_HEADER = """\
import anthropic
client = anthropic.Anthropic()
"""


def anthropic_finding(body: str) -> Finding:
    source = ANTHROPIC_HEADER + textwrap.dedent(body)
    options = LintOptions(enabled=ANTHROPIC, assume_wandb=True)
    (finding,) = lint_source(source, "x.py", options, load_spec()).findings
    return finding


PORTABLE = """\
def ask(q):
    r = client.messages.create(
        model="claude-3-5-haiku-latest", max_tokens=64, messages=[{"role": "user", "content": q}]
    )
    return r.content[0].text
"""


def test_a_whole_function_that_can_be_rewritten_gets_the_fix() -> None:
    finding = anthropic_finding(PORTABLE)
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "1) use openai.OpenAI" in finding.message and "6) read" in finding.message
    text = fix_source(
        ANTHROPIC_HEADER + PORTABLE,
        "x.py",
        LintOptions(enabled=ALL_CODES, assume_wandb=True),
        load_spec(),
        unsafe_fixes=True,
    ).text
    assert "r = client.chat.completions.create(" in text
    assert "return r.choices[0].message.content" in text
    assert "import anthropic" not in text


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (PORTABLE.replace("return r.content[0].text", "return r"), "uses the response 'r'"),
        (
            PORTABLE.replace("r = client", "return client").replace("return r.content", "# "),
            "not assigned to a name",
        ),
        (PORTABLE.replace("max_tokens=64", "max_tokens=64, thinking={}"), "passes thinking="),
        (
            PORTABLE.replace('"content": q}', '"content": [{"type": "text", "text": q}]}'),
            "plain text",
        ),
        (PORTABLE.replace("claude-3-5-haiku-latest", "my-own-model"), "no served stand-in"),
        ("x = 1\n", "no messages.create() call"),
    ],
)
def test_anything_else_gets_the_steps_and_why_there_is_no_fix(body: str, why: str) -> None:
    finding = anthropic_finding(body)
    assert finding.fix is None
    assert "No automatic fix" in finding.message and why in finding.message


def test_anthropic_clients_are_left_alone_without_assume_wandb() -> None:
    source = ANTHROPIC_HEADER + PORTABLE
    options = LintOptions(enabled=ALL_CODES, assume_wandb=False)
    assert lint_source(source, "x.py", options, load_spec()).findings == ()


def test_the_readme_porting_example_is_what_the_fix_produces() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Porting code from another provider") :]
    before, after = re.findall(r"```python\n(.*?)```", section, re.DOTALL)[:2]
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    assert fix_source(before, "x.py", options, load_spec(), unsafe_fixes=True).text == after


def test_a_multi_line_sdk_constructor_keeps_its_layout() -> None:
    source = """\
        import os
        from groq import Groq
        client = Groq(
            # the key
            api_key=os.environ.get("GROQ_API_KEY"),
        )
        """
    assert ported(source) == textwrap.dedent("""\
        import os
        from openai import OpenAI
        client = OpenAI(
            # the key
            base_url=W,
            api_key=os.environ.get("WANDB_API_KEY"),
        )
        """)


def test_a_provider_only_keyword_on_an_openai_client_is_removed_as_an_unsafe_fix() -> None:
    source = """\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="EMPTY")
        client.chat.completions.create(model="m", messages=[], reasoning_format="parsed")
        """
    codes = frozenset({"WB202"})
    (finding,) = findings(source, assume=False, codes=codes)
    assert "only Groq takes" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert 'create(model="m", messages=[])' in fixed(source, codes=codes)
