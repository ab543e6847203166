"""A key given as pydantic's `SecretStr(os.environ["K"])` (LangChain's chat models take it
so), or read back with `.get_secret_value()`, is a read of `K`: WB107 names it (with no fix:
the read's other readers are not searched through the wrapper, and one may be another
provider's client), and W&B's key read so is a W&B signal, for the module's own analysis
and for the project index alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_wb.analysis.fact_sources import FirstLook
from lint_wb.project import alone
from tests.test_alone import stands_alone
from tests.test_first_look import lint_tree, write_project
from tests.test_porting import findings

HEAD = (
    "import os\n\nimport pydantic\nfrom langchain_openai import ChatOpenAI\n"
    "from pydantic import SecretStr\n\n"
)
CALL = "model = ChatOpenAI(base_url='https://api.inference.wandb.ai/v1', api_key={key})\n"


@pytest.mark.parametrize(
    "key",
    [
        "SecretStr(os.environ['GROQ_API_KEY'])",
        "SecretStr(secret_value=os.getenv('GROQ_API_KEY'))",
        "pydantic.SecretStr(os.environ.get('GROQ_API_KEY', ''))",
        "SecretStr(os.environ['GROQ_API_KEY']).get_secret_value()",
        "SecretStr(os.environ['GROQ_API_KEY'].strip())",
    ],
)
def test_a_key_read_inside_secret_str_is_that_read(key: str) -> None:
    (found,) = findings(HEAD + CALL.format(key=key), assume=False, codes=frozenset({"WB107"}))
    assert "GROQ_API_KEY" in found.message and found.fix is None


@pytest.mark.parametrize(
    "source",
    [
        HEAD
        + "from keys import SecretStr\n"
        + CALL.format(key="SecretStr(os.environ['GROQ_API_KEY'])"),
        HEAD + CALL.format(key="SecretStr(os.environ['GROQ_API_KEY'], 'x')"),
        HEAD + CALL.format(key="SecretStr(value=os.environ['GROQ_API_KEY'])"),
        HEAD + CALL.format(key="SecretStr(*[os.environ['GROQ_API_KEY']])"),
        HEAD + CALL.format(key="os.environ['GROQ_API_KEY'].get_secret_value(1)"),
    ],
    ids=["another SecretStr", "two arguments", "another keyword", "a spread", "an argument"],
)
def test_another_wrapper_or_call_is_not_followed(source: str) -> None:
    assert findings(source, assume=False, codes=frozenset({"WB107"})) == []


LONE = (
    HEAD
    + "\n\ndef secret_lone_model():\n    return "
    + CALL.format(key="SecretStr(os.environ['GROQ_API_KEY'])").replace("model = ", "")
)


def test_a_lone_module_keeps_its_finding_in_default_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first look passes no such module, and it is summarised (`stands_alone` refuses a
    construction given a call), linted alone or with the project: the same WB107."""
    assert not stands_alone(LONE)
    write_project(tmp_path, {"lone.py": LONE})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert found == [("lone.py", len(LONE.splitlines()), "WB107")]
    assert lint_tree(tmp_path / "lone.py", "--jobs", "1") == found
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        patched.setattr(alone, "stands_alone", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


def test_a_read_another_provider_s_client_shares_gets_no_rename() -> None:
    """`KEY` read by a Groq client too: renaming its read would send W&B's key to Groq."""
    source = (
        HEAD
        + "from groq import Groq\nKEY = os.getenv('GROQ_API_KEY')\ng = Groq(api_key=KEY)\n"
        + CALL.format(key="SecretStr(KEY)")
    )
    (found,) = findings(source, assume=False, codes=frozenset({"WB107"}))
    assert found.fix is None
