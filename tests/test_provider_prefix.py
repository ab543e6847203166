"""LiteLLM's provider prefixes in porting mode: WB108 retargets a model that LiteLLM sends to
another provider (`meta_llama/`, `groq/`, `anthropic/` ...), and WB107 on such a call names
the key LiteLLM reads there and leaves the key to WB108's fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lint_wb._cst import cst
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.findings import Finding
from lint_wb.fix_loop import fix_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import bundled_libraries, load_spec
from tests.cli_runner import make_runner
from tests.test_projects import copy_project

HEAD = "import os\nimport litellm\nfrom crewai import LLM\n"


def _options(assume_wandb: bool = True) -> LintOptions:
    return LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)


def _findings(body: str, *, assume_wandb: bool = True) -> list[Finding]:
    result = lint_source(HEAD + body, "app.py", _options(assume_wandb), load_spec())
    return sorted(result.findings, key=lambda finding: finding.location)


def _one(findings: list[Finding], code: str) -> Finding:
    found = [finding for finding in findings if finding.code == code]
    assert len(found) == 1, findings
    return found[0]


def _fixed(body: str) -> str:
    outcome = fix_source(HEAD + body, "app.py", _options(), load_spec(), unsafe_fixes=True)
    assert outcome.dropped == ()
    return outcome.text[len(HEAD) :]


def test_a_litellm_wandb_model_reads_the_wandb_key_itself() -> None:
    """LiteLLM reads WANDB_API_KEY for `wandb/`: no api_key is missing there. For `openai/` it
    reads OPENAI_API_KEY, which WB107 still reports (and, given no api_base, sends it to
    api.openai.com: WB102)."""
    findings = _findings(
        "a = LLM(model='wandb/meta-llama/Llama-3.3-70B-Instruct')\n"
        "b = LLM(model='openai/meta-llama/Llama-3.3-70B-Instruct')\n"
    )
    found = [(finding.location.row, finding.code) for finding in findings]
    assert found == [(5, "WB102"), (5, "WB107")]


@pytest.mark.parametrize(
    ("model", "reads", "provider"),
    [
        ("meta_llama/Llama-3.3-70B-Instruct", "reads LLAMA_API_KEY", "Meta Llama API"),
        ("groq/llama-3.1-8b-instant", "reads GROQ_API_KEY", "Groq"),
        ("bedrock/anthropic.claude-3-haiku", "authenticates with AWS credentials", "Amazon"),
    ],
)
def test_wb107_names_what_litellm_reads_for_the_prefix_and_has_no_fix(
    model: str, reads: str, provider: str
) -> None:
    findings = _findings(f"llm = LLM(model={model!r})\n")
    key = _one(findings, "WB107")
    assert f"LiteLLM {reads}" in key.message and provider in key.message
    assert "OPENAI_API_KEY" not in key.message
    assert key.fix is None
    assert _one(findings, "WB108").message.startswith(f"CrewAI's LLM sends {model!r} to ")


def test_the_old_providers_key_changes_only_with_the_prefix() -> None:
    """A key read from the provider's variable is the right key for that provider: WB107 has
    no fix of its own, and WB108's fix changes the model and the key together."""
    body = "llm = LLM(model='groq/llama-3.3-70b-versatile', api_key=os.getenv('GROQ_API_KEY'))\n"
    findings = _findings(body)
    assert _one(findings, "WB107").fix is None
    retarget = _one(findings, "WB108")
    assert "to Groq with the api_key it is given" in retarget.message
    assert retarget.fix is not None and len(retarget.fix.edits) == 2
    assert _fixed(body) == (
        "llm = LLM(model='wandb/meta-llama/Llama-3.3-70B-Instruct', "
        "api_key=os.getenv('WANDB_API_KEY'))\n"
    )


@pytest.mark.parametrize(
    ("body", "written"),
    [
        ("m = 'Llama-3.3-70B-Instruct'\nllm = LLM(model=f'meta_llama/{m}')\n",
         "llm = LLM(model=f'wandb/meta-llama/{m}')\n"),
        ("r = litellm.completion(model='together_ai/openai/gpt-oss-120b', messages=MESSAGES)\n",
         "r = litellm.completion(model='wandb/openai/gpt-oss-120b', messages=MESSAGES)\n"),
        ("llm = LLM(model='anthropic/claude-3-5-haiku-latest')\n",
         "llm = LLM(model='wandb/Qwen/Qwen3.6-35B-A3B')\n"),
        ("router = litellm.Router(model_list=[{'model_name': 'chat', 'litellm_params': "
         "{'model': 'groq/llama-3.1-8b-instant'}}])\n",
         "router = litellm.Router(model_list=[{'model_name': 'chat', 'litellm_params': "
         "{'model': 'wandb/meta-llama/Llama-3.1-8B-Instruct'}}])\n"),
    ],
    ids=["f-string", "same-id", "substitution", "router"],
)  # fmt: skip
def test_the_fix_writes_the_wandb_prefix_and_a_served_model(body: str, written: str) -> None:
    assert _fixed(body).endswith(written)


@pytest.mark.parametrize(
    "body",
    [
        "llm = LLM(model='together_ai/some-org/a-model-wandb-lacks')\n",
        "llm = LLM(model='groq/llama-3.3-70b-versatile', api_key=settings.key)\n",
        "p = 'groq'\nllm = LLM(model=f'{p}/llama-3.3-70b-versatile')\n",
    ],
    ids=["no-stand-in", "key-not-rewritable", "no-text-head"],
)
def test_no_fix_when_the_port_cannot_be_written(body: str) -> None:
    assert _one(_findings(body), "WB108").fix is None


@pytest.mark.parametrize(
    "call",
    [
        "LLM(model='groq/llama-3.3-70b-versatile', api_base='https://api.inference.wandb.ai/v1')",
        "LLM(model='groq/llama-3.3-70b-versatile', api_base='http://localhost:8000/v1')",
        "LLM(model='ollama/llama3')",
        "LLM(model=pick())",
    ],
    ids=["wandb-base-url", "local-base-url", "local-provider", "unknown-model"],
)
def test_a_call_litellm_does_not_send_elsewhere_by_prefix_is_not_wb108s(call: str) -> None:
    assert "WB108" not in {finding.code for finding in _findings(f"llm = {call}\n")}


def test_default_mode_has_no_wb108_and_keeps_wb107s_fix() -> None:
    body = (
        "llm = LLM(model='groq/llama-3.3-70b-versatile', "
        "api_base='https://api.inference.wandb.ai/v1', api_key=os.environ['GROQ_API_KEY'])\n"
        "other = LLM(model='groq/llama-3.3-70b-versatile')\n"
    )
    findings = _findings(body, assume_wandb=False)
    assert [finding.code for finding in findings] == ["WB501", "WB107"]
    assert findings[1].fix is not None


def test_a_providers_own_base_url_is_ported_with_the_prefix() -> None:
    """Given the provider's own URL, the call still goes to that provider: WB103 retargets the
    URL, WB108 the prefix and the key, and the two fixes together port it."""
    body = (
        "key = os.getenv('OPEN_ROUTER_API_KEY')\n"
        "llm = LLM(model='openrouter/meta-llama/llama-3.3-70b-instruct',\n"
        "          base_url='https://openrouter.ai/api/v1', api_key=key)\n"
    )
    assert {finding.code for finding in _findings(body)} == {"WB103", "WB108"}
    assert _fixed(body).endswith(
        "llm = LLM(model='wandb/meta-llama/Llama-3.3-70B-Instruct',\n"
        "          base_url='https://api.inference.wandb.ai/v1', api_key=key)\n"
    )


@pytest.mark.parametrize("only_the_call", [False, True], ids=["project", "call-module-alone"])
def test_a_model_of_another_module_is_judged_with_the_project(
    tmp_path: Path, only_the_call: bool
) -> None:
    """`LLM(model=WRITER)` with WRITER = "meta_llama/..." in models.py: WB107 in the call's
    module names LLAMA_API_KEY and has no fix, WB108 is reported (and fixed) where the model
    is written, and a `wandb/` model of another module needs no key (LiteLLM reads it). The
    same for the call's module linted alone, as pre-commit does."""
    root = copy_project("litellm_port", tmp_path)
    target = root / "crew.py" if only_the_call else root
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(target)])
    rows = {
        (Path(row["filename"]).name, row["location"]["row"], row["code"]): row
        for row in json.loads(result.stdout)
    }
    writer = rows[("crew.py", 7, "WB107")]
    assert "LiteLLM reads LLAMA_API_KEY" in writer["message"] and writer["fix"] is None
    assert rows[("crew.py", 8, "WB107")]["fix"] is None
    assert ("crew.py", 9, "WB107") not in rows
    if not only_the_call:
        assert rows[("models.py", 1, "WB108")]["fix"] is not None
        assert rows[("models.py", 2, "WB108")]["fix"] is None  # the call's key changes too


@pytest.mark.parametrize(
    "model",
    [
        "f\"together_ai/{os.environ['MODEL']}\"",
        "'together_ai/' + os.environ['MODEL']",
        "'together_ai/' + os.environ['ORG'] + '/' + os.environ['MODEL']",
    ],
)
def test_a_model_known_only_by_its_prefix_is_sent_there_and_gets_no_key_fix(model: str) -> None:
    """`f"together_ai/{name}"`: the prefix alone says LiteLLM sends the request to Together
    with Together's key. WB107 names that key, and neither rule offers a fix (the W&B key
    alone would go to Together; which model to send is not known)."""
    findings = _findings(f"reply = litellm.completion(model={model}, messages=[])\n")
    key = _one(findings, "WB107")
    assert "TOGETHER_API_KEY" in key.message and "OPENAI_API_KEY" not in key.message
    assert key.fix is None
    port = _one(findings, "WB108")
    assert port.message.startswith("LiteLLM's completion sends 'together_ai/…' to Together")
    assert port.fix is None


WANDB_URL = "https://api.inference.wandb.ai/v1"


@pytest.mark.parametrize(
    ("call", "source"),
    [
        ("litellm.completion(model=os.environ['MODEL'], messages=[])", " (read from MODEL)"),
        ("LLM(model=os.getenv('GROQ_MODEL'))", " (read from GROQ_MODEL)"),
        ("LLM(model=pick())", ""),
    ],
)
def test_a_model_not_known_here_names_no_key_and_gets_no_fix(call: str, source: str) -> None:
    """Where even the prefix is read at run time, which provider LiteLLM sends the request to
    (and whose key it reads) is not known: WB107 names no variable, and adds no key, which
    would go to whichever provider the model names."""
    findings = _findings(f"reply = {call}\n")
    assert "WB108" not in {finding.code for finding in findings}
    key = _one(findings, "WB107")
    assert f"its model{source} is not known here" in key.message
    assert "OPENAI_API_KEY" not in key.message and "'wandb/" in key.message
    assert key.fix is None


def test_a_model_not_known_here_given_wandbs_base_url_keeps_the_key_fix() -> None:
    """Given W&B's api_base, whatever the model, the key goes to W&B: passing the W&B key is
    right."""
    findings = _findings(f"reply = LLM(model=os.getenv('MODEL'), api_base={WANDB_URL!r})\n")
    assert _one(findings, "WB107").fix is not None


@pytest.mark.parametrize(
    ("written", "unknown"),
    [("'openai/openai/gpt-oss-120b'", False), ("os.environ['MODEL']", True)],
    ids=["known-to-the-project", "not-known"],
)
def test_a_model_of_another_module_is_known_when_the_project_resolves_it(
    tmp_path: Path, written: str, unknown: bool
) -> None:
    """A known `openai/` model of another module goes to api.openai.com given no base URL:
    WB102 in the call's module, and WB107's key fix waits for W&B's URL (else the W&B key
    would go to OpenAI). Not known, no provider is named and no key is added."""
    (tmp_path / "lint-wb.toml").write_text("assume-wandb = true\n")
    (tmp_path / "models.py").write_text(f"import os\n\nMODEL = {written}\n")
    crew = "from crewai import LLM\n\nfrom models import MODEL\n\nllm = LLM(model=MODEL)\n"
    (tmp_path / "crew.py").write_text(crew)
    for target in (tmp_path, tmp_path / "crew.py"):
        rows = _json_rows(target)
        (key,) = [row for row in rows if row["code"] == "WB107"]
        assert ("is not known here" in key["message"]) == unknown
        assert key["fix"] is None
        missing = [row for row in rows if row["code"] == "WB102"]
        assert [row["location"]["row"] for row in missing] == ([] if unknown else [5])
        assert all(row["fix"] is not None for row in missing)


def _json_rows(target: Path) -> list[dict[str, Any]]:
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(target)])
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "lint-wb.toml").write_text("assume-wandb = true\n")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_bare_model_of_another_module_is_reported_on_both_sides(tmp_path: Path) -> None:
    """`BARE = "gpt-4o-mini"` in models.py, `LLM(model=BARE)` in crew.py: WB102 where the
    call is (naming the model), WB501 where the model is written."""
    root = _project(
        tmp_path,
        {
            "models.py": 'BARE = "gpt-4o-mini"\n',
            "crew.py": "from crewai import LLM\nfrom models import BARE\nllm = LLM(model=BARE)\n",
        },
    )
    found = {(Path(row["filename"]).name, row["code"]): row for row in _json_rows(root)}
    assert "'gpt-4o-mini', a model with no provider prefix" in found["crew.py", "WB102"]["message"]
    assert found["crew.py", "WB107"]["fix"] is None
    assert found["models.py", "WB501"]["fix"] is not None


def test_a_bare_model_of_another_module_is_fixed_under_the_wandb_prefix(tmp_path: Path) -> None:
    """Given W&B's URL, `gpt-oss-120b` from another module is W&B's `openai/gpt-oss-120b`,
    which LiteLLM would strip if written as is: the fix writes it under `wandb/`."""
    call = f"LLM(model=BARE, base_url={WANDB_URL!r}, api_key=os.environ['K'])"
    root = _project(
        tmp_path,
        {
            "models.py": 'BARE = "gpt-oss-120b"\n',
            "crew.py": f"import os\nfrom crewai import LLM\nfrom models import BARE\nx = {call}\n",
        },
    )
    (unknown,) = [row for row in _json_rows(root) if row["code"] == "WB501"]
    assert unknown["fix"]["message"] == "Replace with 'wandb/openai/gpt-oss-120b'"


def test_a_model_passed_through_a_parameter_is_as_known_to_wb107_as_to_wb501(
    tmp_path: Path,
) -> None:
    """Review M2: `def make(model): return LLM(model=model)` called with a literal of the same
    module. WB501 judged the literal while WB107 said the model was not known here: now the
    project tells the call's module the model's route (`openai/`, given no base URL: WB102,
    and the key is fixed with the URL)."""
    crew = (
        "from crewai import LLM\n\n\ndef make(model):\n    return LLM(model=model)\n\n\n"
        'big = make("openai/gpt-oss-120b")\n'
    )
    rows = _json_rows(_project(tmp_path, {"crew.py": crew}))
    codes = {(row["location"]["row"], row["code"]): row for row in rows}
    assert set(codes) == {(5, "WB102"), (5, "WB107"), (8, "WB501")}
    assert "is not known here" not in codes[5, "WB107"]["message"]
    assert codes[5, "WB107"]["fix"] is None and codes[5, "WB102"]["fix"] is not None


@pytest.mark.parametrize(
    "call",
    [
        "litellm.completion(model='openai/openai/gpt-oss-120b', messages=[])",
        "LLM(model='openai/openai/gpt-oss-120b', api_key=os.environ['WANDB_API_KEY'])",
    ],
)
def test_an_openai_model_given_no_base_url_goes_to_openai(call: str) -> None:
    """LiteLLM sends `openai/<id>` given no api_base to api.openai.com (unless OPENAI_BASE_URL
    or `litellm.api_base` says otherwise): WB102, whose fix adds W&B's URL in the library's
    own keyword."""
    missing = _one(_findings(f"reply = {call}\n"), "WB102")
    assert "to api.openai.com" in missing.message and "'wandb/' prefix" in missing.message
    assert missing.fix is not None
    keyword = "api_base" if call.startswith("litellm") else "base_url"
    assert f'{keyword}="{WANDB_URL}"' in _fixed(f"reply = {call}\n")


TO_OPENAI = "r = litellm.completion(model='openai/x', messages=[])\n"


@pytest.mark.parametrize(
    "body",
    [
        f"litellm.api_base = {WANDB_URL!r}\n{TO_OPENAI}",
        f"os.environ['OPENAI_BASE_URL'] = URL\n{TO_OPENAI}",
        "r = litellm.completion(model='openai/x', messages=[], **options)\n",
        "r = litellm.completion(model='wandb/openai/gpt-oss-120b', messages=[])\n",
        "r = litellm.completion(model=os.environ['MODEL'], messages=[])\n",
    ],
    ids=["litellm-api-base", "env-variable", "spread", "wandb-prefix", "unknown-model"],
)
def test_no_missing_base_url_where_one_may_be_set(body: str) -> None:
    assert "WB102" not in {finding.code for finding in _findings(body)}


def test_an_openai_model_given_no_base_url_is_not_wandbs_outside_porting() -> None:
    body = "r = litellm.completion(model='openai/x', messages=[])\n"
    assert _findings(body, assume_wandb=False) == []


def test_a_positional_model_keeps_its_place_when_the_base_url_is_added() -> None:
    body = (
        "import dspy\nlm = dspy.LM('openai/openai/gpt-oss-120b', "
        "api_key=os.environ['WANDB_API_KEY'])\n"
    )
    assert _fixed(body).endswith(
        "lm = dspy.LM('openai/openai/gpt-oss-120b', api_key=os.environ['WANDB_API_KEY'], "
        f'api_base="{WANDB_URL}")\n'
    )


def test_a_prefix_given_wandbs_base_url_sends_the_rest_to_wandb() -> None:
    """`groq/<id>` with W&B's api_base: LiteLLM strips the prefix and W&B receives `<id>`,
    which WB501 judges (and maps to W&B's ID of the same weights, keeping the prefix)."""
    body = (
        f"llm = LLM(model='groq/llama-3.1-8b-instant', api_base={WANDB_URL!r}, "
        "api_key=os.environ['WANDB_API_KEY'])\n"
    )
    for assume_wandb in (False, True):
        unknown = _one(_findings(body, assume_wandb=assume_wandb), "WB501")
        assert "strips 'groq/', so W&B receives 'llama-3.1-8b-instant'" in unknown.message
    assert "model='groq/meta-llama/Llama-3.1-8B-Instruct'" in _fixed(body)


@pytest.mark.parametrize(
    "model",
    ["groq/meta-llama/Llama-3.1-8B-Instruct", "anthropic/claude-3-5-haiku-latest",
     "fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct"],
    ids=["served", "other-format", "model-rewritten"],
)  # fmt: skip
def test_wb501_judges_only_what_reaches_wandb_unchanged(model: str) -> None:
    body = f"llm = LLM(model={model!r}, api_base={WANDB_URL!r}, api_key=os.environ['K'])\n"
    assert "WB501" not in {finding.code for finding in _findings(body, assume_wandb=False)}


def test_a_prefixs_own_key_is_named_when_it_goes_to_wandbs_base_url() -> None:
    """`together_ai/<id>` with W&B's api_base and no api_key: LiteLLM reads TOGETHER_API_KEY
    and sends it to W&B. Passing the W&B key is the fix (the base URL is W&B's)."""
    body = f"llm = LLM(model='together_ai/openai/gpt-oss-120b', api_base={WANDB_URL!r})\n"
    key = _one(_findings(body), "WB107")
    assert "LiteLLM reads TOGETHER_API_KEY (Together's key)" in key.message
    assert key.fix is not None


@pytest.mark.parametrize("model", ["openai/openai/gpt-oss-120b", "Qwen/Qwen3.6-35B-A3B"])
def test_a_router_deployment_gets_no_keyword_added_to_the_router(model: str) -> None:
    """A deployment's client is its `litellm_params`, not the Router call, which takes neither
    `api_key` nor `api_base` (a TypeError): WB102 and WB107 are reported without a fix, and
    WB102 says where the base URL goes (for a bare model too)."""
    body = (
        "router = litellm.Router(model_list=[{'model_name': 'big', 'litellm_params': "
        f"{{'model': {model!r}}}}}])\n"
    )
    findings = _findings(body)
    assert _one(findings, "WB102").fix is None and _one(findings, "WB107").fix is None
    assert "litellm_params" in _one(findings, "WB102").message
    assert _fixed(body) == body


@pytest.mark.parametrize("key", ["", ", 'api_key': os.getenv('OPENAI_API_KEY')"])
def test_wb107_on_a_deployment_does_not_wait_for_a_fix_wb102_never_makes(key: str) -> None:
    """WB102 writes no api_base into a deployment: WB107 says the URL goes into its
    litellm_params by hand, not "until its base URL is W&B's (WB102)" as for a call."""
    body = (
        "router = litellm.Router(model_list=[{'model_name': 'chat', 'litellm_params': "
        f"{{'model': 'openai/gpt-4o-mini'{key}}}}}])\n"
    )
    message = _one(_findings(body), "WB107").message
    assert "add W&B's api_base to its litellm_params first" in message
    assert "(WB102): until then" not in message


def test_a_bare_openai_model_given_no_base_url_goes_to_openai() -> None:
    """`LLM(model="gpt-4o-mini", api_key=os.getenv("OPENAI_API_KEY"))`: LiteLLM sends a name it
    knows as OpenAI's to api.openai.com. WB102 adds W&B's URL, WB501 judges the model W&B then
    receives as written, and WB107 has no fix of its own: alone, it would send the W&B key to
    OpenAI."""
    body = "llm = LLM(model='gpt-4o-mini', api_key=os.getenv('OPENAI_API_KEY'))\n"
    findings = _findings(body)
    missing = _one(findings, "WB102")
    assert "'gpt-4o-mini', a model with no provider prefix" in missing.message
    assert missing.fix is not None
    assert _one(findings, "WB501").message.startswith("Model 'gpt-4o-mini' (OpenAI)")
    key = _one(findings, "WB107")
    assert key.fix is None and "No fix until its base URL is W&B's (WB102)" in key.message
    assert _fixed(body) == (
        f"llm = LLM(base_url=\"{WANDB_URL}\", model='Qwen/Qwen3.6-35B-A3B', "
        "api_key=os.getenv('WANDB_API_KEY'))\n"
    )


def test_crewai_provider_openai_still_goes_to_openai() -> None:
    """CrewAI's `provider="openai"` picks its own OpenAI client, which sends the model as
    written to api.openai.com given no base URL: the same WB102 and WB501 as with no
    `provider=` (a call naming it was left alone, and the W&B key went to OpenAI)."""
    body = (
        "llm = LLM(model='gpt-4o-mini', provider='openai', api_key=os.environ['WANDB_API_KEY'])\n"
    )
    codes = {finding.code for finding in _findings(body)}
    assert {"WB102", "WB501"} <= codes


def test_a_wandb_model_without_a_prefix_needs_wandbs_base_url() -> None:
    """LiteLLM knows no provider of `meta-llama/Llama-3.3-70B-Instruct` and raises, given no
    api_base; given W&B's it sends it as written, which is W&B's ID."""
    body = (
        "r = litellm.completion(model='meta-llama/Llama-3.3-70B-Instruct', messages=MESSAGES, "
        "api_key=os.environ['WANDB_API_KEY'])\n"
    )
    assert [finding.code for finding in _findings(body)] == ["WB102"]


@pytest.mark.parametrize("assume_wandb", [False, True])
@pytest.mark.parametrize(
    ("model", "code", "written"),
    [
        ("Qwen/Qwen3.5-35B-A3B", "WB502", "Qwen/Qwen3.6-35B-A3B"),
        ("gpt-oss-120b", "WB501", "wandb/openai/gpt-oss-120b"),
        ("qwen/qwen3.6-35b-a3b", "WB501", "Qwen/Qwen3.6-35B-A3B"),
    ],
    ids=["retired", "a-prefix-litellm-would-strip", "case"],
)
def test_a_bare_model_given_wandbs_base_url_is_what_wandb_receives(
    assume_wandb: bool, model: str, code: str, written: str
) -> None:
    """Given W&B's api_base, LiteLLM sends a bare model to W&B as written: the model rules judge
    it, and a fix writes an ID LiteLLM would strip (`openai/gpt-oss-120b`) under `wandb/`."""
    body = (
        f"llm = LLM(model={model!r}, api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'])\n"
    )
    found = _one(_findings(body, assume_wandb=assume_wandb), code)
    assert found.fix is not None and found.fix.message == f"Replace with {written!r}"
    assert f"model={written!r}" in _fixed(body)


@pytest.mark.parametrize(
    "body",
    [
        "r = litellm.completion(model='gpt-4o', custom_llm_provider=P, messages=[])\n",
        "llm = LLM(model='ollama/llama3')\n",
        "llm = LLM(model='gpt-4o-mini', base_url=settings.URL)\n",
        f"os.environ['OPENAI_API_BASE'] = {WANDB_URL!r}\nllm = LLM(model='gpt-4o-mini')\n",
    ],
    ids=["provider-named", "a-provider-prefix", "unknown-base-url", "env-variable"],
)
def test_no_bare_model_findings_where_the_provider_or_url_is_not_known(body: str) -> None:
    codes = {finding.code for finding in _findings(body)}
    assert not codes & {"WB102", "WB501"}, codes


@pytest.mark.parametrize("variable", ["OPENAI_BASE_URL", "OPENAI_API_BASE"])
def test_litellm_reads_either_base_url_variable(variable: str) -> None:
    """LiteLLM sends an `openai/` model given no api_base to OPENAI_BASE_URL, else to
    OPENAI_API_BASE: a module that names either may set it."""
    body = f"os.environ[{variable!r}] = URL\n{TO_OPENAI}"
    assert "WB102" not in {finding.code for finding in _findings(body)}


def test_the_sdk_reads_only_openai_base_url() -> None:
    """The OpenAI SDK does not read OPENAI_API_BASE: its client still has no base URL."""
    body = "from openai import OpenAI\nos.environ['OPENAI_API_BASE'] = URL\nclient = OpenAI()\n"
    assert "WB102" in {finding.code for finding in _findings(body)}


def test_an_index_route_is_found_only_for_its_own_call() -> None:
    """While --fix edits a module, a call's route is looked for where the call was (no edit
    before it) or where every edit moved it, never at the nearest entry: that may be another
    call's, whose route would give this call a key fix."""
    from lint_wb.analysis.anchors import Anchors

    nodes = [cst.Name(f"n{index}") for index in range(10)]
    anchors = Anchors(nodes, expected_count=8)  # two nodes added
    entries = [(3, "openai/"), (5, "")]
    assert anchors.exact_entry(nodes[3], entries) == "openai/"  # before the edit
    assert anchors.exact_entry(nodes[7], entries) == ""  # after it, moved by 2
    assert anchors.exact_entry(nodes[4], entries) is None  # nearest, but not its own
    assert anchors.entry(nodes[4], entries) is not None
    assert anchors.exact_entry(nodes[5], entries) is None  # both places hold an entry


@pytest.mark.parametrize("assume_wandb", [False, True])
def test_a_prefix_wandb_serves_no_chat_for_is_reported_given_wandbs_base_url(
    assume_wandb: bool,
) -> None:
    """`anthropic/...` given W&B's api_base: LiteLLM calls Anthropic's API at that URL, and
    `fireworks_ai/` rewrites the model name; neither is a chat request W&B serves, so WB108
    reports it in either mode. The same weights are written under `wandb/`; a substitution
    only in porting mode, as WB501 offers one."""
    body = (
        f"a = LLM(model='anthropic/claude-3-5-haiku-latest', api_base={WANDB_URL!r}, "
        "api_key=os.environ['WANDB_API_KEY'])\n"
        "b = LLM(model='fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct', "
        f"api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'])\n"
    )
    found = [f for f in _findings(body, assume_wandb=assume_wandb) if f.code == "WB108"]
    assert [finding.location.row for finding in found] == [4, 5]
    assert all("is given W&B's base URL, but LiteLLM routes" in f.message for f in found)
    assert (found[0].fix is not None) == assume_wandb
    assert found[1].fix is not None
    fixed = _fixed(body)
    assert "model='wandb/meta-llama/Llama-3.3-70B-Instruct'" in fixed
    assert "model='wandb/Qwen/Qwen3.6-35B-A3B'" in fixed


LANGCHAIN = (
    "import os\nfrom langchain_openai import ChatOpenAI\n\n"
    "os.environ['OPENAI_API_BASE'] = 'https://api.inference.wandb.ai/v1'\n"
    "llm = ChatOpenAI(model='meta-llama/Llama-3.3-70B-Instruct', "
    "api_key=os.environ['WANDB_API_KEY'])\n"
)


def test_langchain_reads_openai_api_base() -> None:
    """ChatOpenAI given no base_url reads OPENAI_API_BASE (then the SDK's OPENAI_BASE_URL): a
    module that names it may set it, alone or in its project (whose index reads only
    OPENAI_BASE_URL)."""
    result = lint_source(LANGCHAIN, "app.py", _options(assume_wandb=False), load_spec())
    assert not result.findings


def test_langchain_reads_openai_api_base_in_a_project(tmp_path: Path) -> None:
    (tmp_path / "lint-wb.toml").write_text("")
    (tmp_path / "app.py").write_text(LANGCHAIN)
    assert [row["code"] for row in _json_rows(tmp_path)] == []


def test_the_installed_langchain_reads_the_variable_the_data_names() -> None:
    import inspect

    from langchain_openai.chat_models import base

    from lint_wb.spec import bundled_libraries

    (row,) = [row for row in bundled_libraries().callables if row.label == "ChatOpenAI"]
    source = inspect.getsource(base)
    assert all(f'"{variable}"' in source for variable in row.base_url_variables)


MESSAGES = "messages=[{'role': 'user', 'content': 'hi'}]"


def test_custom_llm_provider_openai_is_an_openai_model() -> None:
    """`custom_llm_provider="openai"` and no api_base: LiteLLM sends `gpt-4o-mini` to
    api.openai.com, as `openai/gpt-4o-mini`. Under assume-wandb that is WB102 (its fix adds
    W&B's URL), WB501 judges the model, and WB107's key fix waits for the URL."""
    body = (
        f"r = litellm.completion(model='gpt-4o-mini', custom_llm_provider='openai', {MESSAGES})\n"
    )
    findings = _findings(body)
    assert _one(findings, "WB102").fix is not None
    assert _one(findings, "WB107").fix is None
    assert _one(findings, "WB501").fix is not None
    fixed = _fixed(body)
    assert f"api_base={WANDB_URL!r}" in fixed.replace('"', "'")
    assert "model='Qwen/Qwen3.6-35B-A3B'" in fixed and "WANDB_API_KEY" in fixed


@pytest.mark.parametrize(
    ("model", "code", "written"),
    [
        ("gpt-4o-mini", "WB501", "Qwen/Qwen3.6-35B-A3B"),
        ("gpt-oss-120b", "WB501", "openai/openai/gpt-oss-120b"),
        ("openai/gpt-oss-120b", "WB501", "openai/openai/gpt-oss-120b"),
        ("groq/llama-3.3-70b-versatile", "WB501", None),
    ],
    ids=["bare", "a-prefix-litellm-would-strip", "stripped-once", "another-prefix"],
)
def test_given_wandbs_url_the_openai_provider_sends_the_model_less_one_prefix(
    model: str, code: str, written: str | None
) -> None:
    """With W&B's api_base, `custom_llm_provider="openai"` sends the model with one `openai/`
    stripped (and nothing else: `groq/...` reaches W&B as written, with the key given). A fix
    writes a W&B ID that starts with `openai/` twice."""
    body = (
        f"r = litellm.completion(model={model!r}, custom_llm_provider='openai', "
        f"api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    found = _one(_findings(body), code)
    assert model.removeprefix("openai/") in found.message
    if written is None:
        assert found.fix is None
        return
    assert found.fix is not None and f"{written!r}" in found.fix.message
    assert f"model={written!r}" in _fixed(body)


def test_given_a_provider_the_models_prefix_does_not_pick_the_key() -> None:
    """`groq/...` under `custom_llm_provider="openai"` is OpenAI's provider: LiteLLM reads
    OPENAI_API_KEY, not GROQ_API_KEY."""
    body = (
        "r = litellm.completion(model='groq/llama-3.3-70b-versatile', "
        f"custom_llm_provider='openai', api_base={WANDB_URL!r}, {MESSAGES})\n"
    )
    key = _one(_findings(body), "WB107")
    assert "GROQ_API_KEY" not in key.message and "OPENAI_API_KEY" in key.message


def test_another_provider_named_gets_no_wandb_key() -> None:
    """`custom_llm_provider="groq"`: the request goes to Groq with Groq's key. Not W&B's
    model to judge, no W&B URL to add, and no W&B key written into it."""
    body = f"r = litellm.completion(model='gpt-4o-mini', custom_llm_provider='groq', {MESSAGES})\n"
    findings = _findings(body)
    assert not {finding.code for finding in findings} & {"WB102", "WB501"}
    key = _one(findings, "WB107")
    assert key.fix is None and "custom_llm_provider='groq'" in key.message
    assert "WANDB_API_KEY" not in _fixed(body)


def test_custom_llm_provider_wandb_is_wandbs() -> None:
    """`custom_llm_provider="wandb"`: LiteLLM's W&B provider, its URL implied and
    WANDB_API_KEY read. The model is W&B's to judge; no URL or key is missing."""
    call = f"model='Qwen/Qwen3.5-35B-A3B', custom_llm_provider='wandb', {MESSAGES}"
    body = f"r = litellm.completion({call})\n"
    findings = _findings(body, assume_wandb=False)
    assert _one(findings, "WB502").fix is not None
    assert not {finding.code for finding in _findings(body)} & {"WB102", "WB107"}


def test_a_model_of_another_module_is_judged_under_the_provider_named(tmp_path: Path) -> None:
    """`MODEL = "gpt-oss-120b"` in models.py, sent by a call given
    `custom_llm_provider="openai"` and W&B's URL: W&B receives it as written, and the fix
    writes W&B's `openai/gpt-oss-120b` so that it survives LiteLLM's stripping."""
    call = (
        f"litellm.completion(model=MODEL, custom_llm_provider='openai', api_base={WANDB_URL!r}, "
        f"api_key=os.environ['WANDB_API_KEY'], {MESSAGES})"
    )
    root = _project(
        tmp_path,
        {
            "models.py": 'MODEL = "gpt-oss-120b"\n',
            "app.py": f"import os\nimport litellm\nfrom models import MODEL\nr = {call}\n",
        },
    )
    (unknown,) = [row for row in _json_rows(root) if row["code"] == "WB501"]
    assert unknown["filename"].endswith("models.py")
    assert unknown["fix"]["message"] == "Replace with 'openai/openai/gpt-oss-120b'"


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        ("completion(model='gpt-4o-mini', api_base=URL, custom_llm_provider=None, {m})", True),
        ("completion(model='gpt-4o-mini', api_base=URL, custom_llm_provider=provider, {m})", False),
        ("completion(model='gpt-4o-mini', api_base=URL, custom_llm_provider=P, {m})", False),
        (
            "completion(model='openai/gpt-4o-mini', api_base=URL, custom_llm_provider=None, {m})",
            True,
        ),
        ("completion(model='gpt-4o-mini', api_base=URL, custom_llm_provider='OpenAI', {m})", False),
    ],
    ids=["none", "parameter", "variable", "none-prefixed", "not-a-provider"],
)
@pytest.mark.parametrize("assume_wandb", [False, True])
def test_a_provider_not_known_here_keeps_the_model_judged(
    call: str, fixed: bool, assume_wandb: bool
) -> None:
    """`custom_llm_provider=None` names none (as if not given). A value not known here (a
    parameter, a variable) or no provider LiteLLM knows leaves the model read as written, as
    before the keyword was read: WB501 stays, with no fix (how a new ID must be written
    depends on that provider)."""
    body = (
        f"URL = {WANDB_URL!r}\nfrom litellm import completion\n"
        f"def ask(provider=None):\n    return {call.format(m=MESSAGES)}\n"
    )
    unknown = _one(_findings(body, assume_wandb=assume_wandb), "WB501")
    assert (unknown.fix is not None) == (fixed and assume_wandb)


def test_a_provider_not_known_here_given_no_url_gets_no_wandb_key() -> None:
    """Porting mode, no api_base, `custom_llm_provider=os.environ["P"]`: which provider (and
    key) LiteLLM uses is not known here, so WB107 adds no W&B key."""
    body = (
        "r = litellm.completion(model='gpt-4o-mini', custom_llm_provider=os.environ['P'], "
        f"{MESSAGES})\n"
    )
    key = _one(_findings(body), "WB107")
    assert key.fix is None and "not known here" in key.message
    assert "WANDB_API_KEY" not in _fixed(body)


def test_the_message_names_the_id_as_the_fix_writes_it() -> None:
    """`gpt-oss-120b` under `custom_llm_provider="openai"` and W&B's URL: the same weights are
    W&B's `openai/gpt-oss-120b`, which must be written `openai/openai/gpt-oss-120b`."""
    body = (
        "r = litellm.completion(model='gpt-oss-120b', custom_llm_provider='openai', "
        f"api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    unknown = _one(_findings(body), "WB501")
    assert "written 'openai/openai/gpt-oss-120b'" in unknown.message
    assert unknown.fix is not None and "'openai/openai/gpt-oss-120b'" in unknown.fix.message


def test_a_model_of_another_module_under_an_unknown_provider_gets_no_fix(tmp_path: Path) -> None:
    """The model is judged where it is written, as before the keyword was read, but no fix
    rewrites it: what W&B receives depends on the provider named."""
    call = (
        f"litellm.completion(model=MODEL, custom_llm_provider=os.environ['P'], "
        f"api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})"
    )
    root = _project(
        tmp_path,
        {
            "models.py": 'MODEL = "openai/gpt-4o-mini"\n',
            "app.py": f"import os\nimport litellm\nfrom models import MODEL\nr = {call}\n",
        },
    )
    (unknown,) = [row for row in _json_rows(root) if row["code"] == "WB501"]
    assert unknown["filename"].endswith("models.py") and unknown["fix"] is None


PASSTHROUGH = [row.provider for row in bundled_libraries().conventions["litellm"].passthrough]


def test_the_providers_that_post_the_model_unchanged_are_data() -> None:
    """The providers judged as posting the model to the URL given are the data's rows."""
    assert {"custom_openai", "hosted_vllm", "litellm_proxy", "lm_studio"} <= set(PASSTHROUGH)


@pytest.mark.parametrize("provider", PASSTHROUGH)
def test_a_provider_that_posts_the_model_to_wandbs_url_keeps_it_judged(provider: str) -> None:
    """A provider of the data's `passthrough` rows (`hosted_vllm`, ...), given W&B's api_base:
    LiteLLM posts the model, as written, there. WB501/WB502 judge it, with no fix (how a new
    ID must be written depends on that provider)."""
    body = (
        f"r = litellm.completion(model='Qwen/Qwen3.5-35B-A3B', custom_llm_provider="
        f"{provider!r}, api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    for assume_wandb in (False, True):
        retired = _one(_findings(body, assume_wandb=assume_wandb), "WB502")
        assert retired.fix is None and "'Qwen/Qwen3.5-35B-A3B'" in retired.message


@pytest.mark.parametrize("provider", ["baseten", "codestral", "zai", "github", "nscale"])
def test_another_openai_compatible_provider_keeps_the_model_judged(provider: str) -> None:
    """A provider LiteLLM knows that is no data row (LiteLLM's many OpenAI-compatible
    providers: observed with litellm 1.110.2 posting the model unchanged to
    `<api_base>/chat/completions`), given W&B's api_base: the model is judged as written,
    with no fix, as for a `passthrough` row (found by review: they went silent)."""
    test_a_provider_that_posts_the_model_to_wandbs_url_keeps_it_judged(provider)


@pytest.mark.parametrize(("provider", "name"), [("anthropic", "Anthropic"), ("gemini", "Gemini")])
def test_a_provider_whose_api_wandb_does_not_serve_is_wb108(provider: str, name: str) -> None:
    """`custom_llm_provider="anthropic"` with W&B's api_base: LiteLLM calls Anthropic's API
    there, which W&B does not serve, whatever the model: WB108 in either mode, with no fix
    (a new model alone would still go there)."""
    body = (
        f"r = litellm.completion(model='not-a-model', custom_llm_provider={provider!r}, "
        f"api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    for assume_wandb in (False, True):
        found = _one(_findings(body, assume_wandb=assume_wandb), "WB108")
        assert found.fix is None and f"custom_llm_provider={provider!r}" in found.message
        assert name in found.message


@pytest.mark.parametrize("provider", ["openai_like", "vllm"])
def test_a_provider_not_known_to_post_the_model_to_the_url_leaves_it_alone(
    provider: str,
) -> None:
    """A provider LiteLLM knows that posts no chat request to the URL (`openai_like`: LiteLLM
    1.110.2 raises "Unmapped LLM provider" for its chat completions; `vllm`: the local
    package) sends W&B no model to judge."""
    body = (
        f"r = litellm.completion(model='Qwen/Qwen3.5-35B-A3B', custom_llm_provider="
        f"{provider!r}, api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    for assume_wandb in (False, True):
        codes = {finding.code for finding in _findings(body, assume_wandb=assume_wandb)}
        assert not codes & {"WB501", "WB502"}, codes


@pytest.mark.parametrize("provider", ["openai_like", "voyage"])
def test_a_provider_litellm_has_no_chat_completions_for_is_wb108(provider: str) -> None:
    """`custom_llm_provider="openai_like"` given W&B's api_base: LiteLLM raises "Unmapped LLM
    provider" and sends nothing: WB108 on the keyword in either mode, with no fix; given no
    base URL, nothing (the call is not W&B's)."""
    given = (
        f"r = litellm.completion(model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider="
        f"{provider!r}, api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    for assume_wandb in (False, True):
        found = _one(_findings(given, assume_wandb=assume_wandb), "WB108")
        assert found.fix is None and "Unmapped LLM provider" in found.message
        assert f"custom_llm_provider={provider!r}" in found.message
    unset = given.replace(f"api_base={WANDB_URL!r}, ", "")
    assert not _codes_of(_findings(unset, assume_wandb=False), "WB108")


@pytest.mark.parametrize("provider", ["heroku", "text-completion-openai", "anthropic_text"])
def test_a_provider_litellm_posts_to_another_path_is_wb108(provider: str) -> None:
    """`custom_llm_provider="heroku"` given W&B's api_base: LiteLLM posts to
    `<api_base>/v1/chat/completions`, not the chat path W&B serves: WB108 on the keyword in
    either mode, with no fix, and the model is not judged (it fails whatever it is); given no
    base URL, nothing (the call is not W&B's)."""
    given = (
        f"r = litellm.completion(model='gpt-4o', custom_llm_provider="
        f"{provider!r}, api_base={WANDB_URL!r}, api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    for assume_wandb in (False, True):
        findings = _findings(given, assume_wandb=assume_wandb)
        found = _one(findings, "WB108")
        assert found.fix is None and "elsewhere than W&B's /chat/completions" in found.message
        assert f"custom_llm_provider={provider!r}" in found.message
        assert not _codes_of(findings, "WB501")
    unset = given.replace(f"api_base={WANDB_URL!r}, ", "")
    assert not _codes_of(_findings(unset, assume_wandb=False), "WB108")


def _codes_of(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


@pytest.mark.parametrize(
    ("provider", "reads"),
    [
        ("hosted_vllm", "HOSTED_VLLM_API_KEY (unset: 'fake-api-key')"),
        ("litellm_proxy", "LITELLM_PROXY_API_KEY or OPENAI_API_KEY"),
        ("custom_openai", "OPENAI_API_KEY"),
        ("baseten", "BASETEN_API_KEY or OPENAI_API_KEY"),
        ("friendliai", "FRIENDLIAI_API_KEY or FRIENDLI_TOKEN or OPENAI_API_KEY"),
        ("docker_model_runner", "DOCKER_MODEL_RUNNER_API_KEY (unset: 'dummy-key')"),
        ("anthropic", "ANTHROPIC_API_KEY (Anthropic's key)"),
        ("ollama", "OLLAMA_API_KEY (Ollama's key)"),
    ],
)
def test_wb107_names_the_key_litellm_reads_for_the_provider_named(
    provider: str, reads: str
) -> None:
    """Porting mode, W&B's api_base, no api_key, `custom_llm_provider=P`: LiteLLM sends P's
    key to W&B (observed with litellm 1.110.2), not the SDK's OPENAI_API_KEY. The fix passes
    the W&B key (the call's URL is W&B's), unless LiteLLM sends W&B no chat request it
    serves for P (`anthropic`: Anthropic's Messages API at that URL; WB108): then the key
    alone would not make it work."""
    body = (
        f"r = litellm.completion(model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider="
        f"{provider!r}, api_base={WANDB_URL!r}, {MESSAGES})\n"
    )
    key = _one(_findings(body), "WB107")
    assert f"LiteLLM reads {reads} for custom_llm_provider={provider!r}" in key.message
    assert "the SDK" not in key.message
    if provider in ("anthropic", "ollama"):
        assert key.fix is None and "fails whatever the key (WB108)" in key.message
    else:
        assert key.fix is not None


@pytest.mark.parametrize("written", ["keyword", "model_prefix"])
@pytest.mark.parametrize("provider", ["ollama", "ollama_chat"])
def test_ollama_given_wandbs_url_is_wb108(provider: str, written: str) -> None:
    """LiteLLM posts an Ollama model to `<api_base>/api/generate` (`ollama_chat`: `/api/chat`),
    which W&B does not serve: WB108 in either mode. Given no api_base it goes to the local
    Ollama server: left alone (no W&B key, no W&B URL)."""
    if written == "model_prefix":
        call = f"model='{provider}/Qwen/Qwen3.6-35B-A3B'"
    else:
        call = f"model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider={provider!r}"
    at_wandb = (
        f"r = litellm.completion({call}, api_base={WANDB_URL!r}, "
        f"api_key=os.environ['WANDB_API_KEY'], {MESSAGES})\n"
    )
    local = f"r = litellm.completion({call}, {MESSAGES})\n"
    for assume_wandb in (False, True):
        found = _one(_findings(at_wandb, assume_wandb=assume_wandb), "WB108")
        assert "Ollama" in found.message
        assert _findings(local, assume_wandb=assume_wandb) == []


@pytest.mark.parametrize(("name", "row"), [("one_module.py", 12), ("one_module_reversed.py", 9)])
def test_a_literal_of_one_module_read_by_litellm_and_the_sdk_gets_no_fix(
    name: str, row: int, tmp_path: Path
) -> None:
    """In its own module, a model LiteLLM sends to DeepSeek by its prefix (WB108: write
    `wandb/<id>`) and a W&B OpenAI SDK request sends as written (WB501: write the W&B ID)
    gets neither fix, whichever call comes first: `--fix --unsafe-fixes` must never write a
    spelling one of them rejects. A literal only LiteLLM reads keeps WB108's fix."""
    root = copy_project("shared_models", tmp_path)
    args = ["--no-cache", "--output-format", "json", str(root / name)]
    result = make_runner().invoke(main, args)
    rows = {(row["location"]["row"], row["code"]): row for row in json.loads(result.stdout)}
    for code in ("WB108", "WB501"):
        assert rows[(row, code)]["fix"] is None
        assert "no one spelling serves them all" in rows[(row, code)]["message"]
    if name == "one_module.py":
        assert rows[(13, "WB108")]["fix"] is not None


VLLM = "litellm.completion(model='meta-llama/Llama-3.1-8B-Instruct', custom_llm_provider='vllm'"


@pytest.mark.parametrize("assume_wandb", [False, True], ids=["default", "assume-wandb"])
def test_litellm_vllm_runs_locally_and_never_reaches_wandb(assume_wandb: bool) -> None:
    """`custom_llm_provider="vllm"` runs the model in this process with the vllm package
    (litellm 1.110.2 `_complete_vllm`: no HTTP request, the api_base unused). Given no
    api_base it is local, not a call to port; given W&B's, WB108 says nothing reaches W&B."""
    messages = ", messages=[{'role': 'user', 'content': 'x'}]"
    assert _findings(f"{VLLM}{messages})\n", assume_wandb=assume_wandb) == []
    at_wandb = f"{VLLM}, api_base={WANDB_URL!r}, api_key='k'{messages})\n"
    found = _one(_findings(at_wandb, assume_wandb=assume_wandb), "WB108")
    assert "local vllm package" in found.message


def test_openai_like_given_no_url_is_wb108_in_porting_mode() -> None:
    """LiteLLM raises for `openai_like` ("Unmapped LLM provider") whatever the URL."""
    call = "litellm.completion(model='m', custom_llm_provider='openai_like', messages=[])\n"
    found = _one(_findings(call), "WB108")
    assert "is given no base URL" in found.message and "Unmapped LLM provider" in found.message
    assert _findings(call, assume_wandb=False) == []
