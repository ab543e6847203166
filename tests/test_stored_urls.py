"""`client.base_url = settings.URL`: the certain store (`analysis/url_setter.py`) of a URL only
the project resolves is told to the client's own module (`ModuleIndex.client_set_urls`), so
its own requests are judged as other modules' are, and only when no other store of the
project can reach the client (`Resolver.setting_holds`)."""

from __future__ import annotations

import json
from pathlib import Path

from lint_wb.cli.main import main
from tests.cli_runner import make_runner

SETTINGS = 'URL = "https://api.inference.wandb.ai/v1"\n'
CHAT = """import os

from openai import OpenAI

import settings

client = OpenAI(api_key=os.environ["WANDB_API_KEY"])
client.base_url = settings.URL
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
"""
ELSEWHERE = 'from chat import client\n\nclient.base_url = "https://api.openai.com/v1"\n'


def _found(root: Path, *paths: Path) -> set[tuple[str, int, str]]:
    args = ["--no-cache", "--output-format", "json", *map(str, paths or (root,))]
    rows = json.loads(make_runner().invoke(main, args).stdout)
    return {(Path(r["filename"]).name, r["location"]["row"], r["code"]) for r in rows}


def _project(root: Path, files: dict[str, str]) -> Path:
    (root / ".git").mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def test_the_clients_own_requests_go_to_a_url_stored_from_another_module(tmp_path: Path) -> None:
    root = _project(tmp_path, {"settings.py": SETTINGS, "chat.py": CHAT})
    expected = {("chat.py", 9, "WB501")}
    assert _found(root) == expected
    assert _found(root, root / "chat.py") == expected


def test_another_store_in_the_project_leaves_the_url_unknown(tmp_path: Path) -> None:
    root = _project(tmp_path, {"settings.py": SETTINGS, "chat.py": CHAT, "other.py": ELSEWHERE})
    assert _found(root) == set()
    assert _found(root, root / "chat.py") == set()
