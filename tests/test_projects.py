"""Multi-module projects under fixtures/projects/ (SPEC §2, "Values are followed through the
whole project" and "Subset invariance").

Each project is linted as a whole and file by file, as pre-commit calls lint-wb: both ways
must give the same findings, and those must be exactly the inline expectations of every
file (`# WB502` on the line where the retired model is written, however many requests send
it). A `.fixed.py` twin is what `--fix` on that one file produces, with the rest of the
project beside it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import libcst
import pytest

from lint_wb import _cst
from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_fixtures import expectations

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
PROJECT_NAMES = sorted(path.name for path in PROJECTS.iterdir() if path.is_dir())
Found = Counter[tuple[str, int, str]]


def copy_project(name: str, destination: Path) -> Path:
    """The project without its `.fixed.py` twins (they are expected outputs, not modules)."""
    root = destination / name
    shutil.copytree(PROJECTS / name, root, ignore=shutil.ignore_patterns("*.fixed.py"))
    return root


def modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def lint(root: Path, *paths: Path, extra: tuple[str, ...] = ()) -> tuple[Found, list[str]]:
    args = ["--no-cache", "--output-format", "json", *extra, *map(str, paths)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    found: Found = Counter(
        (_relative(row["filename"], root), row["location"]["row"], row["code"]) for row in rows
    )
    return found, [row["message"] for row in rows]


def _relative(filename: str, root: Path) -> str:
    return str(Path(filename).resolve().relative_to(root.resolve()))


def expected(root: Path) -> Found:
    found: Found = Counter()
    for path in modules(root):
        for (row, code), count in expectations(path.read_text()).items():
            found[(str(path.relative_to(root)), row, code)] += count
    return found


def test_there_are_at_least_six_projects() -> None:
    assert len(PROJECT_NAMES) >= 6


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_whole_project_findings_match_inline_expectations(name: str, tmp_path: Path) -> None:
    root = copy_project(name, tmp_path)
    found, messages = lint(root, root)
    assert found == expected(root), "\n".join(messages)


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_file_by_file_finds_what_the_whole_project_finds(name: str, tmp_path: Path) -> None:
    root = copy_project(name, tmp_path)
    whole, _ = lint(root, root)
    one_by_one: Found = Counter()
    for path in modules(root):
        found, _ = lint(root, path)
        one_by_one += found
    assert one_by_one == whole


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_a_pair_of_files_finds_what_the_whole_project_finds_for_them(
    name: str, tmp_path: Path
) -> None:
    root = copy_project(name, tmp_path)
    whole, _ = lint(root, root)
    files = modules(root)[-2:]
    found, _ = lint(root, *files)
    names = {str(path.relative_to(root)) for path in files}
    assert found == Counter({key: n for key, n in whole.items() if key[0] in names})


def fixed_twins() -> list[tuple[str, Path]]:
    """Every project's `.fixed.py` twins, with the project's name."""
    return [
        (name, twin)
        for name in PROJECT_NAMES
        for twin in sorted((PROJECTS / name).rglob("*.fixed.py"))
    ]


@pytest.mark.parametrize(
    ("name", "twin"), fixed_twins(), ids=[str(t.relative_to(PROJECTS)) for _, t in fixed_twins()]
)
def test_fixing_one_file_gives_its_fixed_twin(name: str, twin: Path, tmp_path: Path) -> None:
    root = copy_project(name, tmp_path)
    relative = twin.relative_to(PROJECTS / name)
    target = root / relative.with_name(relative.name.replace(".fixed.py", ".py"))
    result = make_runner().invoke(main, ["--no-cache", "--fix", "--quiet", str(target)])
    assert result.exit_code in (0, 1), result.output
    assert target.read_bytes() == twin.read_bytes()


def test_a_second_run_over_an_unchanged_project_parses_no_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.engine_reads import record_summaries

    root = copy_project("llm_factory", tmp_path)
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    parsed = record_summaries(monkeypatch)
    parses: list[str] = []
    parse_module = libcst.parse_module

    def counting_parse(text: str, *args: object, **kwargs: object) -> libcst.Module:
        parses.append(text)
        return parse_module(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", counting_parse)
    # lint-wb's deferred libcst keeps the function once read (an earlier test may have read it)
    monkeypatch.setattr(_cst.cst, "parse_module", counting_parse)
    runner = make_runner()
    first = runner.invoke(main, ["--output-format", "json", str(root)])
    assert sorted(set(parsed)) == ["llm_client", "predictor", "reasoner"]
    assert parses
    parsed.clear()
    parses.clear()
    second = runner.invoke(main, ["--output-format", "json", str(root)])
    assert parsed == [] and parses == []
    assert json.loads(second.stdout) == json.loads(first.stdout)
    (root / "predictor.py").write_text((root / "predictor.py").read_text() + "\n")
    runner.invoke(main, ["--output-format", "json", str(root)])
    assert parsed == ["predictor"]
