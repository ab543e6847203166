"""The carried reach's statement facts kept from one run to the next (`carried_facts.py`): a
run reads a kept statement's facts instead of parsing it, and gets what a parse gives; a table
another lint-wb wrote, or a broken one, is not read; the last runs' statements are kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.files import known
from lint_wb.project import carried_facts
from lint_wb.project.carried import StatementFacts, statement_facts
from lint_wb.project.carried_facts import KeptFacts
from tests.cli_runner import make_runner

TEXTS = [
    b'URL = "https://api.inference.wandb.ai/v1"\n',
    b"openai.base_url = URL\n",
    b'os.environ["OPENAI_BASE_URL"] = URL\n',
    b"if ready(URL):\n    CLIENT = make(URL)\n",
    b'def make():\n    global CLIENT\n    CLIENT = "x"\n',
    b's = """\n',  # cut inside a string: it does not parse alone
]


def parses_counted(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The statements parsed from now on (`carried.statement_facts` called)."""
    parsed: list[bytes] = []

    def counting(text: bytes) -> StatementFacts:
        parsed.append(text)
        return statement_facts(text)

    monkeypatch.setattr(carried_facts, "statement_facts", counting)
    return parsed


def test_kept_facts_are_read_without_a_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "facts.pickle"
    first = KeptFacts(table, "code")
    assert [first(text) for text in TEXTS] == [statement_facts(text) for text in TEXTS]
    first.save()
    parsed = parses_counted(monkeypatch)
    again = KeptFacts(table, "code")
    assert [again(text) for text in TEXTS] == [statement_facts(text) for text in TEXTS]
    assert parsed == []
    assert again(b"y = 2\n") == statement_facts(b"y = 2\n")
    assert parsed == [b"y = 2\n"]


@pytest.mark.parametrize("written", ["another code", "broken"])
def test_a_table_not_of_this_code_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    table = tmp_path / "facts.pickle"
    if written == "broken":
        table.write_bytes(b"\x80\x05 not a pickle")
    else:
        other = KeptFacts(table, "other code")
        for text in TEXTS:
            other(text)
        other.save()
    parsed = parses_counted(monkeypatch)
    kept = KeptFacts(table, "code")
    assert [kept(text) for text in TEXTS] == [statement_facts(text) for text in TEXTS]
    assert parsed == TEXTS
    kept.save()  # written again, for this code
    parsed.clear()
    assert [KeptFacts(table, "code")(text) for text in TEXTS] == [
        statement_facts(text) for text in TEXTS
    ]
    assert parsed == []


def test_the_statements_the_last_runs_read_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(carried_facts, "KEPT", 3)
    table = tmp_path / "facts.pickle"
    first = KeptFacts(table, "code")
    for text in TEXTS[:3]:
        first(text)
    first.save()
    second = KeptFacts(table, "code")
    second(TEXTS[0])  # used again: it goes last
    second(TEXTS[3])
    second.save()
    parsed = parses_counted(monkeypatch)
    third = KeptFacts(table, "code")
    for text in TEXTS[:4]:
        third(text)
    assert parsed == [TEXTS[1]]  # the oldest was dropped


SETTINGS = (
    'URL = "https://api.inference.wandb.ai/v1"\nTEMPERATURE = 3.5\n'
    'import os\nos.environ.setdefault("OPENAI_BASE_URL", URL)\n'
)
APP = (
    "from openai import OpenAI\nfrom settings import URL, TEMPERATURE\n\n"
    "client = OpenAI(base_url=URL)\n"
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=TEMPERATURE,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


def test_a_run_with_kept_facts_parses_no_statement_and_reports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project whose settings module names W&B and whose app imports it: after the app
    changed, a run of the settings module takes every statement's facts from the first
    run's table, and reports what the first run did."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)
    project = tmp_path / "project"
    project.mkdir()
    (project / "lint-wb.toml").write_text("")
    (project / "settings.py").write_text(SETTINGS)
    (project / "app.py").write_text(APP)
    monkeypatch.chdir(project)
    parsed = parses_counted(monkeypatch)

    def findings(*extra: str) -> list[tuple[str, int, str]]:
        args = ["--output-format", "json", "--exit-zero", "--jobs", "1", *extra, "settings.py"]
        result = make_runner().invoke(main, args)
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        return sorted((Path(r["filename"]).name, r["location"]["row"], r["code"]) for r in rows)

    uncached = findings("--no-cache")
    assert not (tmp_path / "cache" / "carried").exists()  # --no-cache keeps no table
    parsed.clear()
    first = findings()
    assert first == uncached
    assert parsed, "the reach parses the settings module's statements"
    assert first == [("settings.py", 2, "WB301")]
    (project / "app.py").write_text(APP + "# changed\n")
    parsed.clear()
    assert findings() == first
    assert parsed == []
