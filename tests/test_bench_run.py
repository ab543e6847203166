"""bench/run.py takes each row's ratio per round (A and B run one after the other), so a
machine whose speed drifts between rounds does not move the ratio the table prints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import run

TWO_AGAINST_ONE = run.Row(
    "dense, 2 cores against 1",
    ">= 1.8x",
    run.Command("-j2", ["lint-wb", "--jobs", "2"]),
    run.Command("-j1", ["lint-wb", "--jobs", "1"]),
    ratio_kind="b/a",
)


def timings(a: list[float], b: list[float]) -> tuple[run.Timing, run.Timing]:
    return run.Timing(seconds=a), run.Timing(seconds=b)


def test_the_ratio_is_the_median_of_each_rounds_own_ratio() -> None:
    """The machine runs at speeds 1, 1.5, 1, 1.5 and 1.2 in five rounds; in each, --jobs 1
    takes 1.8 times --jobs 2, except round 1, where other work slowed --jobs 2 to 7 s. The
    medians of the two columns (10.8 s and 7 s) would say 1.54x; the rounds say 1.8x."""
    j2, j1 = timings([7.0, 7.5, 5.0, 7.5, 6.0], [9.0, 13.5, 9.0, 13.5, 10.8])
    assert run.round_ratios(TWO_AGAINST_ONE, j2, j1) == [9 / 7, 1.8, 1.8, 1.8, 1.8]
    assert run.ratio(TWO_AGAINST_ONE, j2, j1) == 1.8
    assert run.summary(TWO_AGAINST_ONE, j2, j1)["round_ratios"] == [1.286, 1.8, 1.8, 1.8, 1.8]


def test_a_over_b_rows_divide_each_round_the_other_way() -> None:
    row = run.Row("typical", "<= 1x ruff", run.Command("a", ["a"]), run.Command("b", ["b"]))
    a, b = timings([2.0, 3.0, 4.0], [1.0, 1.0, 1.0])
    assert run.ratio(row, a, b) == 3.0


def test_the_table_prints_the_spread_of_the_rounds() -> None:
    j2, j1 = timings([7.0, 7.5, 5.0, 7.5, 6.0], [9.0, 13.5, 9.0, 13.5, 10.8])
    printed = run.table([run.summary(TWO_AGAINST_ONE, j2, j1)])
    assert "1.80x" in printed and "1.29-1.80x" in printed


def test_rows_without_a_reference_or_with_a_failed_command_have_no_round_ratios() -> None:
    hook = run.Row("pre-commit", "<= 0.2 s", run.Command("a", ["a"]), None, "seconds")
    assert run.round_ratios(hook, run.Timing(seconds=[0.1, 0.2, 0.3]), None) == []
    assert run.ratio(hook, run.Timing(seconds=[0.1, 0.2, 0.3]), None) == 0.2
    j2, j1 = timings([5.0], [9.0])
    j1.error = "exit 2: boom"
    assert run.ratio(TWO_AGAINST_ONE, j2, j1) is None
    assert run.spread([]) == ""


def test_the_table_says_when_the_cpu_is_shared_by_session(tmp_path: Path) -> None:
    """Under Linux autogroup scheduling a busy machine gives --jobs 2 no more CPU than
    --jobs 1: the 2-against-1 row then measures the other sessions."""
    setting = tmp_path / "sched_autogroup_enabled"
    setting.write_text("1\n")
    assert run.shares_cpu_by_session(setting)
    setting.write_text("0\n")
    assert not run.shares_cpu_by_session(setting)
    assert not run.shares_cpu_by_session(tmp_path / "missing")


def test_the_changed_rows_edit_a_copy_before_each_run_and_restore_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit row's files get new content before each run of A (the untimed first
    one too), in a copy of the tree: the tree itself is never written."""
    tree = tmp_path / "tree"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "a.py").write_text("x = 1\n")
    (tree / "pkg" / "b.py").write_text("y = 2")
    copy = run.LazyCopy(tree, tmp_path / "scratch" / "tree")
    monkeypatch.setattr(run, "COPY_SETTLES", 0)
    edits = run.Edits(copy, ["pkg/a.py", "pkg/b.py"])
    seen = []
    for _ in range(3):
        edits.apply()
        seen.append((copy.into / "pkg" / "a.py").read_text())
    assert seen == [f"x = 1\n# edited for run {n}\n" for n in (1, 2, 3)]
    assert (copy.into / "pkg" / "b.py").read_text() == "y = 2\n# edited for run 3\n"
    edits.restore()
    assert (copy.into / "pkg" / "b.py").read_text() == "y = 2"
    assert (tree / "pkg" / "a.py").read_text() == "x = 1\n"


def test_the_editor_row_changes_its_buffer_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "COPY_SETTLES", 0)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.py").write_text("x = 1\n")
    buffer = tmp_path / "buffer.py"
    edits = run.Edits(run.LazyCopy(tree, tmp_path / "copy"), ["a.py"], into=buffer)
    edits.apply()
    edits.apply()
    assert buffer.read_text() == "x = 1\n# edited for run 2\n"
    assert (tmp_path / "copy" / "a.py").read_text() == "x = 1\n"
