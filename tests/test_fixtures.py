"""Every fixture under fixtures/: its findings match its inline expectations exactly, and
`--fix` turns it into its `.fixed.py` byte for byte.

Expectations are comments that start with codes: `temperature=3,  # WB301` (or
`# WB301, WB302: why`) expects those codes reported at that line. The fixture's folder
config (lint-wb.toml) applies, as it does for `lint-wb fixtures/`, including whether unsafe
fixes are on. A `.fixed.py` is the expected output of fixing its neighbour; it is checked
by re-linting it (the findings left must be exactly those the fix left) and by fixing it
again (nothing changes).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from lint_wb.api import (
    FileResult,
    Mode,
    Overrides,
    SettingsCache,
    check_source,
    index_project,
    spec_for,
)
from lint_wb.files import SourceFile, encode_text, read_source
from lint_wb.noqa.comments import comments
from lint_wb.project.index import ProjectIndex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECTATION = re.compile(r"^#\s*(WB\d{3}(?:\s*,\s*WB\d{3}|\s+WB\d{3})*)\b")


PROJECTS = FIXTURES / "projects"
"""Multi-module projects, each linted as its own project by tests/test_projects.py."""


def _fixtures() -> list[Path]:
    return sorted(
        path
        for path in FIXTURES.rglob("*.py")
        if not path.name.endswith(".fixed.py") and PROJECTS not in path.parents
    )


def _fixed_twin(path: Path) -> Path:
    return path.with_name(path.name[: -len(".py")] + ".fixed.py")


def expectations(text: str) -> Counter[tuple[int, str]]:
    expected: Counter[tuple[int, str]] = Counter()
    for row, _column, comment, _alone in comments(text):
        # One comment token may hold several: `# noqa: WB101  # WB902`.
        for part in comment.split("#")[1:]:
            match = EXPECTATION.match("#" + part)
            if match:
                for code in re.findall(r"WB\d{3}", match.group(1)):
                    expected[(row, code)] += 1
    return expected


def _source(path: Path) -> SourceFile:
    source = read_source(path)
    assert isinstance(source, SourceFile), source
    return source


@lru_cache(maxsize=1)
def _project() -> ProjectIndex:
    """The clients fixture modules export to each other, as `lint-wb fixtures/` sees them."""
    files = [path for path in FIXTURES.rglob("*.py") if PROJECTS not in path.parents]
    return index_project(sorted(files), SettingsCache(Overrides()))


def _run(path: Path, *, fix: bool) -> tuple[SourceFile, FileResult, bool]:
    source = _source(path)
    settings = SettingsCache(Overrides()).for_path(path)
    mode = Mode(fix=fix)
    spec = spec_for(settings)
    result = check_source(source, settings, spec, mode, write=False, project=_project())
    return source, result, settings.unsafe_fixes


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(FIXTURES)) for path in paths]


FIXTURE_FILES = _fixtures()


def test_there_are_fixtures() -> None:
    assert len(FIXTURE_FILES) >= 5


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=_ids(FIXTURE_FILES))
def test_findings_match_inline_expectations(path: Path) -> None:
    source, result, _ = _run(path, fix=False)
    assert result.error is None
    found = Counter((finding.location.row, finding.code) for finding in result.findings)
    expected = expectations(source.text)
    missing = sorted((expected - found).elements())
    unexpected = sorted((found - expected).elements())
    details = [f"{f.location.row}: {f.code} {f.message}" for f in result.findings]
    assert not missing and not unexpected, (
        f"missing {missing}, unexpected {unexpected}\nfound:\n" + "\n".join(details)
    )


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=_ids(FIXTURE_FILES))
def test_fix_produces_the_fixed_twin(path: Path) -> None:
    source, linted, unsafe = _run(path, fix=False)
    fixable = [f for f in linted.findings if f.fix is not None and f.fix.is_applied(unsafe)]
    twin = _fixed_twin(path)
    if not twin.exists():
        assert not fixable, f"{path.name} has fixable findings: add {twin.name}"
        return
    _, fixed, _ = _run(path, fix=True)
    assert fixed.fixed_text is not None
    assert fixed.notes == ()
    assert encode_text(source, fixed.fixed_text) == twin.read_bytes()


@pytest.mark.parametrize(
    "path",
    [path for path in FIXTURE_FILES if _fixed_twin(path).exists()],
    ids=_ids([path for path in FIXTURE_FILES if _fixed_twin(path).exists()]),
)
def test_fixed_twin_relints_to_what_the_fix_left(path: Path) -> None:
    _, fixed, _ = _run(path, fix=True)
    _, relinted, _ = _run(_fixed_twin(path), fix=False)

    def key(result: FileResult) -> Counter[tuple[str, str]]:
        return Counter((finding.code, finding.message) for finding in result.findings)

    assert key(relinted) == key(fixed)
    _, again, _ = _run(_fixed_twin(path), fix=True)
    assert again.fixed == ()
    assert again.fixed_text == _source(_fixed_twin(path)).text


PORTED = sorted(path.name for path in (FIXTURES / "porting").glob("*.fixed.py"))


@pytest.mark.parametrize("name", PORTED)
def test_ported_code_lints_clean_after_fixing(name: str) -> None:
    """Code written for another provider, fixed with --assume-wandb --unsafe-fixes."""
    _, relinted, unsafe = _run(FIXTURES / "porting" / name, fix=False)
    assert unsafe
    assert relinted.findings == ()
