"""Text on stdin is linted with its project's index (SPEC §2, "Subset invariance").

An editor lints its buffer through `--stdin-filename PATH -`: the buffer must get exactly the
findings the file gets when linted by path, including those at literals that requests in
other modules send, and the buffer's text, not the file on disk, is what the index reads for
that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_projects import PROJECT_NAMES, PROJECTS, copy_project, fixed_twins, modules

Row = tuple[int, int, str, str]


def _rows(stdout: str) -> list[Row]:
    return sorted(
        (row["location"]["row"], row["location"]["column"], row["code"], row["message"])
        for row in json.loads(stdout)
    )


def by_path(path: Path) -> list[Row]:
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    return _rows(result.stdout)


def by_stdin(path: Path, text: str, *extra: str) -> str:
    args = ["--no-cache", *extra, "--stdin-filename", str(path), "-"]
    result = make_runner().invoke(main, args, input=text.encode())
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_stdin_finds_for_each_file_what_linting_it_by_path_finds(name: str, tmp_path: Path) -> None:
    root = copy_project(name, tmp_path)
    for path in modules(root):
        expected = by_path(path)
        stdout = by_stdin(path, path.read_text(), "--output-format", "json")
        assert _rows(stdout) == expected, path.name


@pytest.mark.parametrize(
    ("name", "twin"), fixed_twins(), ids=[str(t.relative_to(PROJECTS)) for _, t in fixed_twins()]
)
def test_stdin_fix_gives_the_fixed_twin(name: str, twin: Path, tmp_path: Path) -> None:
    root = copy_project(name, tmp_path)
    relative = twin.relative_to(PROJECTS / name)
    target = root / relative.with_name(relative.name.replace(".fixed.py", ".py"))
    assert by_stdin(target, target.read_text(), "--fix") == twin.read_text()


def test_the_index_reads_the_buffer_not_the_file_on_disk(tmp_path: Path) -> None:
    """On disk, `llm_client.py` does not define the constant the other modules import yet;
    the buffer does, so the retired model in it is sent and reported."""
    root = copy_project("llm_factory", tmp_path)
    client = root / "llm_client.py"
    buffer = client.read_text()
    line = next(n for n, text in enumerate(buffer.splitlines(), 1) if "REASONING_MODEL" in text)
    client.write_text(buffer.replace(buffer.splitlines()[line - 1] + "\n", ""))
    rows = _rows(by_stdin(client, buffer, "--output-format", "json"))
    assert (line, "WB502") in {(row, code) for row, _, code, _ in rows}


def test_a_new_file_not_yet_on_disk_gets_the_projects_client(tmp_path: Path) -> None:
    """Its client comes from the project's factory: only the index says it is W&B's."""
    root = copy_project("llm_factory", tmp_path)
    buffer = (
        "from llm_client import get_llm_client\n"
        "\n"
        "client = get_llm_client()\n"
        'client.chat.completions.create(model="deepseek-ai/DeepSeek-R1-0528", messages=[])\n'
    )
    rows = _rows(by_stdin(root / "new_caller.py", buffer, "--output-format", "json"))
    assert (4, "WB502") in {(row, code) for row, _, code, _ in rows}


def test_an_editor_gets_the_kept_index_and_never_a_stale_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor lints its buffer on every change: the project's index is taken from the
    known-files table when the project and the buffer are as a run before saw them (no
    project file read), and built again when the buffer changes what the index reads."""
    from lint_wb import api
    from lint_wb.files import known
    from lint_wb.project import build

    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)
    root = copy_project("llm_factory", tmp_path)
    client = root / "llm_client.py"
    buffer = client.read_text()
    line = next(n for n, text in enumerate(buffer.splitlines(), 1) if "REASONING_MODEL" in text)
    saved = buffer.replace(buffer.splitlines()[line - 1] + "\n", "")
    client.write_text(saved)  # on disk, the constant the other modules import is not yet
    reads: list[Path] = []
    for module in (api, build):
        original = module.read_raw

        def counting(path: Path, original: object = original) -> object:
            reads.append(Path(path))
            return original(path)  # type: ignore[operator]

        monkeypatch.setattr(module, "read_raw", counting)

    def cached(text: str) -> set[tuple[int, str]]:
        args = ["--output-format", "json", "--stdin-filename", str(client), "-"]
        result = make_runner().invoke(main, args, input=text.encode())
        assert result.exit_code in (0, 1), result.output
        return {(row, code) for row, _, code, _ in _rows(result.stdout)}

    first = cached(saved)
    assert (line, "WB502") not in first
    assert reads
    reads.clear()
    assert cached(saved) == first
    assert reads == []
    typed = cached(buffer)  # the editor's buffer now defines it: the index must see that
    assert (line, "WB502") in typed
    expected = _rows(by_stdin(client, buffer, "--output-format", "json"))
    assert typed == {(row, code) for row, _, code, _ in expected}
    assert cached(saved) == first  # the saved file's index is still kept
