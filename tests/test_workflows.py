"""How users run lint-wb: from anywhere in a monorepo, on stdin, in parallel, with bad config."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from lint_wb import workers
from lint_wb.cli.main import main
from lint_wb.workers import Workers
from tests.cli_runner import make_runner

ROOT = Path(__file__).resolve().parent.parent
MONOREPO = ROOT / "fixtures" / "monorepo"
WRONG = 'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["K"])\n'
RIGHT = 'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["K"])\n'
HEADER = "import os\nfrom openai import OpenAI\n"


def findings(args: list[str]) -> list[tuple[str, int, str]]:
    result = make_runner().invoke(main, [*args, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted((Path(row["filename"]).name, row["location"]["row"], row["code"]) for row in rows)


MONOREPO_FINDINGS = [
    ("api.py", 7, "WB101"),
    ("api.py", 9, "WB601"),
    ("worker.py", 7, "WB103"),
    ("worker.py", 7, "WB107"),
]


def test_monorepo_from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MONOREPO)
    found = findings(["services/api.py", "services/test_api.py", "packages/porting/worker.py"])
    assert found == MONOREPO_FINDINGS


def test_monorepo_from_inside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MONOREPO / "packages" / "porting")
    found = findings(["worker.py", "../../services/api.py", "../../services/test_api.py"])
    assert found == MONOREPO_FINDINGS


def test_show_settings_names_the_file_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MONOREPO)
    result = make_runner().invoke(main, ["--show-settings", "packages/porting/worker.py"])
    assert result.exit_code == 0
    assert str(MONOREPO / "packages" / "porting" / "lint-wb.toml") in result.output
    assert "assume-wandb = True" in result.output
    enabled = "WB101, WB102, WB103, WB104, WB105, WB106, WB107, WB108, WB601, WB602"
    assert f"enabled rules = {enabled}" in result.output


def test_stdin_is_linted_as_the_named_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lint-wb.toml").write_text('per-file-ignores = { "src/gen_*.py" = ["WB101"] }\n')
    monkeypatch.chdir(tmp_path)
    args = ["-", "--output-format", "concise", "--stdin-filename"]
    result = make_runner().invoke(main, [*args, "src/app.py"], input=HEADER + WRONG)
    assert result.exit_code == 1
    assert "src/app.py:3:26: WB101" in result.output
    ignored = make_runner().invoke(main, [*args, "src/gen_app.py"], input=HEADER + WRONG)
    assert ignored.exit_code == 0, ignored.output


@pytest.mark.usefixtures("outside_the_checkout")
def test_stdin_fix_writes_the_source_to_stdout_and_findings_to_stderr() -> None:
    args = ["-", "--fix", "--isolated", "--stdin-filename", "app.py"]
    result = make_runner().invoke(main, args, input=HEADER + WRONG)
    assert result.stdout == HEADER + RIGHT
    assert "1 fixed" in result.stderr


@pytest.mark.usefixtures("outside_the_checkout")
@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            b"\xef\xbb\xbf" + (HEADER + WRONG).encode(),
            b"\xef\xbb\xbf" + (HEADER + RIGHT).encode(),
            id="utf-8-bom",
        ),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n" + (HEADER + WRONG).encode(),
            b"# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n" + (HEADER + RIGHT).encode(),
            id="latin-1-cookie",
        ),
        pytest.param(
            (HEADER + WRONG).replace("\n", "\r\n").encode(),
            (HEADER + RIGHT).replace("\n", "\r\n").encode(),
            id="crlf",
        ),
    ],
)
def test_stdin_fix_gives_back_the_inputs_encoding_and_bom(before: bytes, after: bytes) -> None:
    """Before: the fixed text went out as UTF-8 without the BOM, so an editor piping a
    latin-1 buffer through `--fix` saved mojibake under a latin-1 cookie."""
    args = ["-", "--fix", "--isolated", "--stdin-filename", "app.py"]
    result = make_runner().invoke(main, args, input=before)
    assert result.stdout_bytes == after


IMPORTED_CLIENT_REQUEST = (
    "from llm import client\n"
    "client.chat.completions.create(model='openai/gpt-oss-120b', top_k=1, messages=[])\n"
)


class SpyWorkers(Workers):
    """The real workers, remembering how many there were and how many files they linted."""

    created: ClassVar[list[int]] = []
    linted: ClassVar[list[int]] = []

    def __init__(self, count: int, *args: Any) -> None:
        super().__init__(count, *args)
        SpyWorkers.created.append(count)

    def run(self, function: Any, items: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        if function.__name__ == "_check_in_worker":
            SpyWorkers.linted.append(len(items))
        return super().run(function, items, *args, **kwargs)


def test_parallel_run_uses_workers_and_matches_a_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lint_wb import api

    count = 2 * api.PARALLEL_THRESHOLD + 10
    (tmp_path / "llm.py").write_text(HEADER + RIGHT)
    for index in range(count):
        body = WRONG if index % 10 == 0 else RIGHT
        if index % 10 == 5:  # a client imported from llm.py: the project index crosses over
            body = IMPORTED_CLIENT_REQUEST
        (tmp_path / f"m{index:03}.py").write_text(HEADER + body)
    for index in range(30):  # settled by the read in the main process: never sent to workers
        (tmp_path / f"plain{index:02}.py").write_text("x = 1\n")
    monkeypatch.setattr(workers, "Workers", SpyWorkers)  # imported where a run starts them
    monkeypatch.setattr(SpyWorkers, "created", [])
    monkeypatch.setattr(SpyWorkers, "linted", [])
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    serial = make_runner().invoke(main, ["--jobs", "1", *args])
    assert SpyWorkers.created == []
    parallel = make_runner().invoke(main, ["--jobs", "2", *args])
    assert SpyWorkers.created == [1] and SpyWorkers.linted == [count + 1]  # and this process
    assert parallel.stdout == serial.stdout
    codes = [row["code"] for row in json.loads(serial.stdout)]
    assert codes.count("WB101") == count // 10 + 1 and "WB202" in codes


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[tool.lint-wb]\nasume-wandb = true\n", "did you mean 'assume-wandb'?"),
        ("[tool.lint-wb]\nselect = ['WB3O1']\n", "did you mean"),
        ("[tool.lint-wb\nselect = 1\n", "pyproject.toml"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(config + "# lint-wb\n")
    (tmp_path / "app.py").write_text(HEADER + WRONG)
    monkeypatch.chdir(tmp_path)
    result = make_runner().invoke(main, ["app.py"])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.output


def test_missing_path_is_an_error_line_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(HEADER + WRONG)
    result = make_runner().invoke(
        main, ["--isolated", str(tmp_path / "nope.py"), str(tmp_path / "app.py")]
    )
    assert result.exit_code == 2  # a path left unchecked
    assert "nope.py" in result.stderr and "No such file" in result.stderr
    assert "WB101" in result.stdout


def test_full_output_names_the_rule_docs(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(HEADER + WRONG)
    result = make_runner().invoke(main, ["--isolated", str(tmp_path / "app.py")])
    assert "  = help: Replace with 'https://api.inference.wandb.ai/v1'" in result.stdout
    assert "  = docs: " in result.stdout and "#wb101-wrong-base-url" in result.stdout


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    for index in range(250):
        (tmp_path / f"m{index}.py").write_text("x = 1\n")
    result = make_runner().invoke(main, ["--isolated", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stderr == ""
