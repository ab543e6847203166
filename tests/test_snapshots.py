"""Each fixture's whole output, snapshotted: code, start and end, message, fix title and
applicability, for every finding (and the notebook cell). A changed message or position
shows in review as a diff of `tests/snapshots/`.

Regenerate after an intended change, then read the diff before committing it:

    LINT_WB_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py

Without the variable a missing, different or orphaned snapshot fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from lint_wb.findings import Finding
from tests.test_fixtures import FIXTURES, PROJECTS, _run

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("LINT_WB_UPDATE_SNAPSHOTS") == "1"
SUFFIX = ".snap"


def fixture_files() -> list[Path]:
    """Every file lint-wb is run on in tests/test_fixtures.py and tests/test_notebook.py."""
    paths = [*FIXTURES.rglob("*.py"), *FIXTURES.rglob("*.ipynb")]
    return sorted(
        path for path in paths if ".fixed." not in path.name and PROJECTS not in path.parents
    )


def snapshot_path(fixture: Path) -> Path:
    return SNAPSHOTS / (str(fixture.relative_to(FIXTURES)) + SUFFIX)


def render(findings: Sequence[Finding]) -> str:
    """One block per finding, stable and readable in a diff."""
    blocks: list[str] = []
    for finding in findings:
        cell = "" if finding.cell is None else f"cell {finding.cell} "
        start, end = finding.location, finding.end_location
        lines = [
            f"{finding.code} {cell}{start.row}:{start.column}-{end.row}:{end.column}",
            f"  message: {finding.message}",
        ]
        if finding.fix is not None:
            lines.append(f"  fix ({finding.fix.applicability.value}): {finding.fix.message}")
        blocks.append("\n".join(lines) + "\n")
    return "".join(blocks) if blocks else "(no findings)\n"


def output_of(path: Path) -> str:
    """The findings `lint-wb fixtures/` reports for `path` (its folder's settings apply)."""
    _, result, _ = _run(path, fix=False)
    assert result.error is None, result.error
    return render(result.findings)


FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture_output_matches_its_snapshot(path: Path) -> None:
    actual = output_of(path)
    snapshot = snapshot_path(path)
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        if not snapshot.exists() or snapshot.read_text(encoding="utf-8") != actual:
            snapshot.write_text(actual, encoding="utf-8")
        return
    assert snapshot.exists(), f"no snapshot: run LINT_WB_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    assert actual == snapshot.read_text(encoding="utf-8")


def test_every_snapshot_has_its_fixture() -> None:
    wanted = {snapshot_path(path) for path in FILES}
    orphans = sorted(path for path in SNAPSHOTS.rglob("*" + SUFFIX) if path not in wanted)
    if UPDATE:
        for orphan in orphans:
            orphan.unlink()
        return
    assert orphans == [], "snapshots without a fixture (remove them or regenerate)"
