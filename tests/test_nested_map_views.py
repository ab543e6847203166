"""A map of maps (or a list of maps) changed through a view of it: the inner map a request
reads (`ROLES["chat"]["model"]`) is one object however the code reaches it, so a change
through `ROLES.get("chat")`, `ROLES.values()`, `ROLES.items()`, `ROLES["chat"]` bound to a
name or passed on, a copy of `ROLES` (its values are shared) or a loop over a list of maps
leaves the lookup unknown (nothing reported); reading through the same views changes
nothing (the literal is reported), also where the view is returned by a function of the
module, given as a parameter's default, stored on `self` or given to a dataclass's field:
there it counts as changed only where what holds it is. The fixture project
`model_map_views` has the same across modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lint_wb.analysis import dict_views
from lint_wb.cli.main import main
from tests.cli_runner import make_runner

MODULE = """\
import copy
import json
import os

from openai import OpenAI

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
OVERRIDES = json.loads(os.environ.get("OVERRIDES", "{}"))
NEW = os.environ.get("CHAT_MODEL", "openai/gpt-oss-20b")
ROLES = {"chat": {"model": "acme/roles-chat", "temperature": 0.2}, "code": {"model": "acme/code"}}
ENTRIES = [{"model": "acme/entries-chat"}]
CHANGE


def ask(prompt):
    messages = [{"role": "user", "content": prompt}]
    client.chat.completions.create(model=ROLES["chat"]["model"], messages=messages)
    client.chat.completions.create(model=ENTRIES[0]["model"], messages=messages)
"""
CHANGED_ROLES = [
    'ROLES.get("chat")["model"] = NEW',
    'ROLES.get("chat").update(OVERRIDES)',
    'chat = ROLES.get("chat")\nchat["model"] = NEW',
    'ALL = list(ROLES.values())\nALL[0]["model"] = NEW',
    'list(ROLES.values())[0]["model"] = NEW',
    'next(iter(ROLES.values()))["model"] = NEW',
    "for settings in ROLES.values():\n    settings.update(OVERRIDES)",
    'for role, settings in ROLES.items():\n    settings["model"] = NEW',
    "[settings.update(OVERRIDES) for settings in ROLES.values()]",
    'chat = ROLES["chat"]\nchat["model"] = NEW',
    'chat = ROLES["chat"]\nchat |= OVERRIDES',
    'chat = ROLES["chat"]\nsame = chat\nsame["model"] = NEW',
    '(chat := ROLES["chat"])["model"] = NEW',
    'copied = ROLES.copy()\ncopied["chat"]["model"] = NEW',
    'copied = {**ROLES}\ncopied["chat"]["model"] = NEW',
    'def tune(settings):\n    settings["model"] = NEW\n\n\ntune(ROLES["chat"])',
    'def settings_of():\n    return ROLES["chat"]\n\n\nsettings_of()["model"] = NEW',
    'def tune():\n    chat = ROLES["chat"]\n    chat["model"] = NEW',
    'held = [ROLES["chat"]]\nheld[0]["model"] = NEW',
    'def settings_of(role):\n    return ROLES[role]\n\n\nsettings_of("chat")["model"] = NEW',
    "def settings_of(role):\n    return ROLES.get(role)\n\n\n"
    'chat = settings_of("chat")\nchat.update(OVERRIDES)',
    'def tune(settings=ROLES["chat"]):\n    settings["model"] = NEW',
    "class Bot:\n    def __init__(self, role):\n        self.settings = ROLES[role]\n\n"
    '    def tune(self):\n        self.settings["model"] = NEW',
    "from dataclasses import dataclass\n\n\n@dataclass\nclass Conf:\n    settings: dict\n\n\n"
    'conf = Conf(ROLES["chat"])\nconf.settings.update(OVERRIDES)',
    'held = [settings for settings in ROLES.values()]\nheld[0]["model"] = NEW',
    'held = {role: settings for role, settings in ROLES.items()}\nheld["chat"]["model"] = NEW',
]
CHANGED_ENTRIES = [
    'for entry in ENTRIES:\n    entry["model"] = NEW',
    "first = ENTRIES[0]\nfirst.update(OVERRIDES)",
]
READ_ONLY = [
    "",
    'model = ROLES["chat"]["model"]',
    "for role in ROLES:\n    print(role)",
    'for role, shown in ROLES.items():\n    print(role, shown["model"])',
    'chat = ROLES["chat"]\nprint(chat["model"])',
    'model = ROLES.get("chat", {}).get("model")',
    'for entry in ENTRIES:\n    print(entry["model"])',
    'names = [settings["model"] for settings in ROLES.values()]',
    "def settings_of(role):\n    return ROLES[role]\n\n\n"
    'chat = settings_of("chat")\nmodel = chat["model"]',
    'def settings_of(role):\n    return ROLES.get(role, ROLES["code"])\n\n\n'
    'model = settings_of("chat")["model"]',
    'def show(settings=ROLES["chat"]):\n    return settings["model"]',
    "class Bot:\n    def __init__(self, role):\n        self.settings = ROLES[role]\n\n"
    '    def model(self):\n        return self.settings["model"]',
    "from dataclasses import dataclass\n\n\n@dataclass\nclass Conf:\n    settings: dict\n\n\n"
    'conf = Conf(ROLES["chat"])\nmodel = conf.settings["model"]',
]


def reported(tmp_path: Path, change: str) -> list[str]:
    """The model IDs lint-wb reports (WB501) for the module with `change` in it."""
    (tmp_path / "app.py").write_text(MODULE.replace("CHANGE", change))
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted(row["message"].split("'")[1] for row in rows if row["code"] == "WB501")


@pytest.mark.parametrize("change", CHANGED_ROLES)
def test_an_inner_map_changed_through_a_view_is_not_read(tmp_path: Path, change: str) -> None:
    assert reported(tmp_path, change) == ["acme/entries-chat"]


@pytest.mark.parametrize("change", CHANGED_ENTRIES)
def test_a_map_in_a_list_changed_through_a_view_is_not_read(tmp_path: Path, change: str) -> None:
    assert reported(tmp_path, change) == ["acme/roles-chat"]


@pytest.mark.parametrize("change", READ_ONLY)
def test_reading_through_a_view_changes_nothing(tmp_path: Path, change: str) -> None:
    assert reported(tmp_path, change) == ["acme/entries-chat", "acme/roles-chat"]


def test_a_chain_of_aliases_is_followed_in_linear_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`copy1 = ROLES.copy()`, `copy2 = copy1.copy()`, ... (copies share the inner maps),
    written last first: a change through the last is followed to `ROLES`, each alias read a
    bounded number of times (a pass over all aliases per link would be quadratic)."""
    links = 2000
    chain = ["copy1 = ROLES.copy()"] + [
        f"copy{i} = copy{i - 1}.copy()" for i in range(2, links + 1)
    ]
    reads: list[object] = []
    original = dict_views._through

    def counting(*args: Any) -> Any:
        reads.append(args[0])
        return original(*args)

    monkeypatch.setattr(dict_views, "_through", counting)
    change = "\n".join(reversed(chain)) + f'\ncopy{links}["chat"]["model"] = NEW'
    assert reported(tmp_path, change) == ["acme/entries-chat"]
    assert len(reads) <= 3 * links
