"""The result cache: a hit gives exactly the findings a fresh run gives, and anything that
could change them (bytes, settings, snapshot) is part of the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_wb.cache import ResultCache
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner

SOURCE = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["K"])\n'
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature="0.5",\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


def run_json(*args: str) -> list[dict[str, object]]:
    result = make_runner().invoke(main, ["--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(SOURCE)
    monkeypatch.chdir(tmp_path / "src")
    return tmp_path


def test_a_cached_run_reports_exactly_what_a_fresh_run_does(project: Path) -> None:
    fresh = run_json("--no-cache", "app.py")
    first = run_json("app.py")
    entries = list((project / "cache" / "results").rglob("*.json"))
    cached = run_json("app.py")
    assert len(entries) == 1
    assert fresh == first == cached
    assert {row["code"] for row in cached} == {"WB101", "WB302"}


def test_changed_bytes_or_settings_miss_the_cache(project: Path) -> None:
    run_json("app.py")
    (project / "src" / "app.py").write_text(SOURCE.replace('"0.5"', "0.5"))
    assert {row["code"] for row in run_json("app.py")} == {"WB101"}
    (project / "src" / "lint-wb.toml").write_text('ignore = ["WB101"]\n')
    assert run_json("app.py") == []


def test_a_corrupt_entry_is_a_miss(project: Path) -> None:
    run_json("app.py")
    for entry in (project / "cache" / "results").rglob("*.json"):
        entry.write_text("{not json")
    assert {row["code"] for row in run_json("app.py")} == {"WB101", "WB302"}


def test_keys_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    options = LintOptions(enabled=frozenset({"WB101", "WB302", "WB301"}))
    cache = ResultCache(tmp_path)
    key = cache.key(b"x", "a.py", options, load_spec(), "")
    reordered = LintOptions(enabled=frozenset({"WB301", "WB101", "WB302"}))
    assert ResultCache(tmp_path).key(b"x", "a.py", reordered, load_spec(), "") == key
    assert cache.key(b"y", "a.py", options, load_spec(), "") != key
    assert cache.key(b"x", "b.py", options, load_spec(), "") != key


def test_keys_are_the_same_in_processes_with_other_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    probe = (
        "from lint_wb.cache import ResultCache; from lint_wb.rules import ALL_CODES;"
        "from lint_wb.config.settings import LintOptions; from lint_wb.spec import load_spec;"
        "print(ResultCache().key(b'x', 'a.py', LintOptions(enabled=ALL_CODES), load_spec(), ''))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1
