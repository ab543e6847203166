"""Failures stay with their file: lint-wb's own bugs are WB900, what CPython cannot compile is
WB901 (with CPython's location and words), deep trees are checked, and every other file keeps
its findings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_wb import api, containment, engine
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner

HEAD = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.wandb.ai/v1")\n'
ORDINARY = HEAD + (
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=3,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)
LONG_SUM = HEAD + "x = " + " + ".join(["1"] * 500) + "\n"
LONG_ELIF = (
    HEAD
    + "x = 1\nif x == 0:\n    y = 0\n"
    + "".join(f"elif x == {i}:\n    y = {i}\n" for i in range(1, 500))
)
DEEP_PARENS = HEAD + "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n"
BUGGY = HEAD + "# this file trips a (simulated) bug in lint-wb\n"


def write_tree(root: Path) -> None:
    for name, text in {
        "ordinary_a.py": ORDINARY,
        "ordinary_b.py": ORDINARY.replace("temperature=3", "top_p=0"),
        "long_sum.py": LONG_SUM,
        "long_elif.py": LONG_ELIF,
        "deep_parens.py": DEEP_PARENS,
    }.items():
        (root / name).write_text(text, encoding="utf-8")


def codes_by_file(rows: list[dict[str, object]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(Path(str(row["filename"])).name, set()).add(str(row["code"]))
    return found


ORDINARY_CODES = {
    "ordinary_a.py": {"WB101", "WB301"},
    "ordinary_b.py": {"WB101", "WB301"},
    "long_sum.py": {"WB101"},
    "long_elif.py": {"WB101"},
    "deep_parens.py": {"WB901"},
}


def test_a_tree_of_hostile_files_runs_to_the_end_in_a_real_process(tmp_path: Path) -> None:
    """Before: RecursionError traceback for the long chains, a segfault for the parentheses."""
    write_tree(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "lint_wb", "--no-cache", "--output-format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    assert codes_by_file(json.loads(done.stdout)) == ORDINARY_CODES


def test_the_issues_hostile_tree_d1_d2_d7_d12_in_a_real_process(tmp_path: Path) -> None:
    """Long chains (D1) and deep parentheses (D2) beside ordinary files, with every cache
    entry malformed (D12: a code no rule has), and `--fix -o` into a missing folder (D7).
    Before: RecursionError, a segfault, a KeyError under --statistics, and a traceback
    after the files were already rewritten. A report that cannot be written stops the run
    before any write (exit 2, one line); every other run reports every ordinary file."""
    tree = tmp_path / "tree"
    tree.mkdir()
    write_tree(tree)
    environment = {**os.environ, "LINT_WB_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "lint_wb", *args, "."],
            cwd=tree,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "Traceback" not in done.stderr + done.stdout
        return done

    filled = run("--output-format", "json")
    assert codes_by_file(json.loads(filled.stdout)) == ORDINARY_CODES
    entries = list((tmp_path / "cache" / "results").rglob("*.json"))
    assert len(entries) == len(ORDINARY_CODES)
    for entry in entries:
        data = json.loads(entry.read_text())
        for row in data["findings"]:
            row[0] = "WB999"
        entry.write_text(json.dumps(data))
    before = {path.name: path.read_bytes() for path in tree.iterdir()}

    unwritable = run("--fix", "-o", str(tmp_path / "missing" / "d" / "o.json"))
    assert unwritable.returncode == 2
    assert len(unwritable.stderr.splitlines()) == 1, unwritable.stderr
    assert {path.name: path.read_bytes() for path in tree.iterdir()} == before

    statistics = run("--statistics")
    assert statistics.returncode == 1, statistics.stderr
    assert "WB999" not in statistics.stdout
    assert all(code in statistics.stdout for code in ("WB101", "WB301", "WB901"))
    reported = run("--output-format", "json")
    assert reported.returncode == 1, reported.stderr
    assert codes_by_file(json.loads(reported.stdout)) == ORDINARY_CODES


@pytest.fixture
def buggy_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in lint-wb that fires only on files holding BUGGY's comment."""
    run_rules = engine.run_rules

    def failing(facts: engine.ModuleFacts, spec: object, options: LintOptions) -> object:
        if "simulated" in facts.module.code:
            raise KeyError("simulated")
        return run_rules(facts, spec, options)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run_rules", failing)


@pytest.mark.usefixtures("buggy_rules")
def test_an_internal_error_is_wb900_for_its_file_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path)
    (tmp_path / "buggy.py").write_text(BUGGY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", "."])
    assert result.exit_code == 2, result.output
    rows = json.loads(result.stdout)
    assert codes_by_file(rows) == {**ORDINARY_CODES, "buggy.py": {"WB900"}}
    [wb900] = [row for row in rows if row["code"] == "WB900"]
    assert "KeyError: 'simulated'" in str(wb900["message"])
    assert "lint_wb/" in str(wb900["message"])  # where in lint-wb it broke


def test_the_index_and_the_lint_go_to_the_deep_stack_thread_in_few_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-core run hands the index to the deep-stack thread once, not each module's parse
    and summary, and the files to lint `DEEP_BATCH` at a time, not one by one: one job for
    the index, one for each batch of files."""
    names = [f"ordinary_{n}.py" for n in range(api.DEEP_BATCH + 4)]
    for name in names:
        (tmp_path / name).write_text(ORDINARY, encoding="utf-8")
    jobs: list[object] = []

    class CountedJob(containment._Job):  # type: ignore[type-arg]
        def __init__(self, call: Callable[[], object]) -> None:
            super().__init__(call)
            jobs.append(call)

    monkeypatch.setattr(containment, "_Job", CountedJob)
    monkeypatch.chdir(tmp_path)
    result = make_runner().invoke(
        main, ["--no-cache", "--jobs", "1", "--output-format", "json", "."]
    )
    assert {Path(str(row["filename"])).name for row in json.loads(result.stdout)} == set(names)
    assert len(jobs) == 1 + 2


@pytest.mark.usefixtures("buggy_rules")
def test_an_internal_error_during_fix_rewrites_nothing_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "buggy.py").write_text(BUGGY.replace("api.wandb.ai", "api.wandb.ai "), "utf-8")
    (tmp_path / "ordinary.py").write_text(ORDINARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = make_runner().invoke(main, ["--no-cache", "--fix", "."])
    assert result.exit_code == 2
    assert "WB900" in result.stdout
    assert "api.inference.wandb.ai" in (tmp_path / "ordinary.py").read_text("utf-8")
    assert "api.wandb.ai " in (tmp_path / "buggy.py").read_text("utf-8")


@pytest.mark.usefixtures("buggy_rules")
@pytest.mark.usefixtures("outside_the_checkout")
def test_stdin_fix_echoes_the_input_when_lint_wb_fails() -> None:
    """An editor piping its buffer through `--fix` must never get an empty buffer back."""
    result = make_runner().invoke(
        main, ["--no-cache", "--fix", "-", "--stdin-filename", "x.py"], input=BUGGY
    )
    assert result.exit_code == 2
    assert result.stdout == BUGGY
    assert "WB900" in result.stderr


def wb901(text: str) -> tuple[int, int, str]:
    findings = lint_source(text, "x.py", LintOptions(enabled=ALL_CODES), load_spec()).findings
    [finding] = [f for f in findings if f.code == "WB901"]
    return finding.location.row, finding.location.column, finding.message


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("import openai\n\ndef f():\n    x = (1,\n", 4, 9, "'(' was never closed"),
        ('import openai\nx = "abc\n', 2, 5, "unterminated string literal"),
        ("import openai\ndef f():\nreturn 1\n", 3, 1, "expected an indented block"),
        ("import openai\nreturn 1\n", 2, 1, "'return' outside function"),
        ("import openai\nx = " + "(" * 2000 + "1" + ")" * 2000 + "\n", 2, 205, "too many nested"),
    ],
)
def test_syntax_errors_have_cpythons_location_and_words(
    text: str, row: int, column: int, words: str
) -> None:
    """Before: libcst's place (the next line's start) and its `expected one of` token list."""
    found_row, found_column, message = wb901(text)
    assert (found_row, found_column) == (row, column)
    assert words in message


def test_top_level_await_is_no_syntax_error() -> None:
    """Notebooks await at top level; CPython's check must not reject them."""
    findings = lint_source(
        "import openai\nawait f()\n", "x.py", LintOptions(enabled=ALL_CODES), load_spec()
    ).findings
    assert not findings
