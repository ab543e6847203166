"""A client used only for endpoints W&B does not serve is left alone under assume-wandb (SPEC
§3, WB102), in whichever form the code holds it: built only when a key is set (`OpenAI() if
key else None`, `key and OpenAI()`), made on first use (`self.c = self.c or OpenAI()`), in
place of one a caller may pass (`client or OpenAI()`), or as one of two (`A if eu else B`).
A call on such a receiver is a use of every client it may be."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_porting import findings

EMBED = '.embeddings.create(model="text-embedding-3-small", input="x")'
CHAT = '.chat.completions.create(model="openai/gpt-oss-120b", messages=[])'

FORMS = {
    "conditional": f"def f(key):\n    c = OpenAI(api_key=key) if key else None\n    c{EMBED}\n",
    "and": f"def f(key):\n    c = key and OpenAI(api_key=key)\n    c{EMBED}\n",
    "self conditional": (
        "class S:\n"
        "    def __init__(self, key):\n"
        "        self.c = OpenAI(api_key=key) if key else None\n"
        f"    def f(self):\n        return self.c{EMBED}\n"
    ),
    "lazy self or": (
        "class S:\n"
        "    def __init__(self):\n"
        "        self.c = None\n"
        "    def f(self):\n"
        "        self.c = self.c or OpenAI()\n"
        f"        return self.c{EMBED}\n"
    ),
    "lazy global or": (
        "_c = None\n"
        "def get():\n"
        "    global _c\n"
        "    _c = _c or OpenAI()\n"
        "    return _c\n"
        f"get(){EMBED}\n"
    ),
    "parameter or": (
        "class S:\n"
        "    def __init__(self, client=None):\n"
        "        self.c = client or OpenAI()\n"
        f"    def f(self):\n        return self.c{EMBED}\n"
    ),
    "one of two": (
        f'def f(eu):\n    c = OpenAI(organization="eu") if eu else OpenAI()\n    return c{EMBED}\n'
    ),
}


def source(body: str) -> str:
    return "from openai import OpenAI\n" + body


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_client_used_only_for_embeddings_is_left_alone(form: str) -> None:
    assert findings(source(FORMS[form])) == []


@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_same_client_used_for_chat_is_still_retargeted(form: str) -> None:
    chatting = source(FORMS[form].replace(EMBED, CHAT))
    assert "WB102" in {finding.code for finding in findings(chatting)}


def test_of_two_clients_only_the_one_used_for_chat_moves() -> None:
    body = f"""\
        from openai import OpenAI
        def f(eu):
            a = OpenAI(organization="eu")
            b = OpenAI()
            c = a if eu else b
            c{EMBED}
            b{CHAT}
        """
    found = findings(textwrap.dedent(body))
    assert [(f.code, f.location.row) for f in found] == [("WB102", 4), ("WB107", 4)]


def test_a_project_call_on_clients_left_alone_is_no_wb601(tmp_path: Path) -> None:
    """The project index reads `c` as one W&B client (under assume-wandb): the call is on
    clients this module leaves where they are, so it is no W&B request."""
    (tmp_path / "lint-wb.toml").write_text("assume-wandb = true\n")
    chat_client = f'chat = OpenAI(base_url="https://api.inference.wandb.ai/v1")\nchat{CHAT}\n'
    (tmp_path / "embed.py").write_text(source(FORMS["one of two"] + chat_client))
    chat = FORMS["one of two"].replace("return c", f"c{CHAT}\n    return c")
    (tmp_path / "chat.py").write_text(source(chat))
    args = ["--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    rows = json.loads(result.stdout)
    found = sorted((Path(r["filename"]).name, r["location"]["row"], r["code"]) for r in rows)
    assert ("chat.py", 5, "WB601") in found
    assert [row for row in found if row[0] == "embed.py"] == [
        ("embed.py", 5, "WB107"),
        ("embed.py", 6, "WB408"),
    ]


def test_a_call_that_may_be_on_a_callers_wandb_client_keeps_its_wb601(tmp_path: Path) -> None:
    """`client or OpenAI()`: the fallback is left alone, but a caller passes a W&B client
    the call may be made on."""
    (tmp_path / "lint-wb.toml").write_text("assume-wandb = true\n")
    (tmp_path / "store.py").write_text(
        source(
            'W = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")\n'
            + FORMS["parameter or"]
            + f"S(W).f()\nW{CHAT}\n"
        )
    )
    args = ["--no-cache", "--output-format", "json", str(tmp_path)]
    rows = json.loads(make_runner().invoke(main, args).stdout)
    assert sorted((r["location"]["row"], r["code"]) for r in rows) == [(7, "WB601"), (9, "WB408")]
