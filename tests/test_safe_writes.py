"""Writing fixed files: one helper for every writer; a file changed since it was read is
skipped; read-only files are refused; owner, mode and hard links are kept; no temporary file
is left; a folder's leftovers from a killed run are swept."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from lint_wb import engine
from lint_wb.cli.main import main
from lint_wb.files.atomic import (
    TEMP_SUFFIX,
    ChangedSinceRead,
    WriteOptions,
    replace_file,
    sweep_leftovers,
)
from tests.cli_runner import make_runner

FIXABLE = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])\n'
)
FIXED = FIXABLE.replace("api.wandb.ai", "api.inference.wandb.ai")


def temporaries(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.name.endswith(TEMP_SUFFIX)]


def fix(*paths: Path) -> tuple[int, str]:
    result = make_runner().invoke(main, ["--no-cache", "--fix", *map(str, paths)])
    return result.exit_code, result.stderr


def test_a_file_changed_while_it_was_fixed_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the line an editor appended during the run was lost by the rename."""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    run_rules = engine.run_rules

    def edited_meanwhile(*args: object) -> object:
        with open(target, "a") as stream:
            stream.write("added = 1\n")
        monkeypatch.setattr(engine, "run_rules", run_rules)
        return run_rules(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run_rules", edited_meanwhile)
    code, errors = fix(target)
    assert target.read_text() == FIXABLE + "added = 1\n"
    assert "changed since it was read" in errors
    assert code == 1
    assert not temporaries(tmp_path)


def test_replace_file_refuses_when_the_bytes_on_disk_are_not_the_ones_read(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"x = 2\n")
    with pytest.raises(ChangedSinceRead):
        replace_file(target, b"x = 3\n", WriteOptions(expected=b"x = 1\n"))
    assert target.read_bytes() == b"x = 2\n"
    replace_file(target, b"x = 3\n", WriteOptions(expected=b"x = 2\n"))
    assert target.read_bytes() == b"x = 3\n"
    assert not temporaries(tmp_path)


def test_a_read_only_file_is_not_fixed(tmp_path: Path) -> None:
    """Before: a 0444 file was rewritten (rename does not need write permission)."""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    target.chmod(0o444)
    code, errors = fix(target)
    assert target.read_text() == FIXABLE
    assert "read-only" in errors
    assert code == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_hard_links_mode_and_inode_are_kept(tmp_path: Path) -> None:
    """Before: the rename split the hard link (the other name kept the old text)."""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    target.chmod(0o640)
    other = tmp_path / "link.py"
    os.link(target, other)
    inode = target.stat().st_ino
    fix(target)
    assert target.read_text() == FIXED == other.read_text()
    assert target.stat().st_ino == inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not temporaries(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_root_keeps_another_users_file_theirs(tmp_path: Path) -> None:
    """Before: fixing as root made root the owner of the user's file."""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    os.chown(target, 4321, 4322)
    fix(target)
    assert target.read_text() == FIXED
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4322)


def test_a_verify_hook_that_refuses_leaves_the_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "models.toml"
    target.write_text("old")

    def refuse(path: Path) -> None:
        assert path.read_text() == "new"
        raise ValueError("not a snapshot")

    with pytest.raises(ValueError):
        replace_file(target, b"new", WriteOptions(verify=refuse))
    assert target.read_text() == "old"
    assert not temporaries(tmp_path)


def test_leftovers_of_dead_processes_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    gone = tmp_path / f".app.py.{dead.stdout.strip()}.abc{TEMP_SUFFIX}"
    live = tmp_path / f".app.py.{os.getpid()}.def{TEMP_SUFFIX}"
    gone.write_text("half")
    live.write_text("in progress")
    sweep_leftovers(tmp_path)
    assert not gone.exists()
    assert live.exists()


def test_fix_sweeps_a_killed_runs_leftover_even_with_nothing_to_write(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(FIXED)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    leftover = tmp_path / f".app.py.{dead.stdout.strip()}.abc{TEMP_SUFFIX}"
    leftover.write_text("half")
    fix(tmp_path)
    assert not temporaries(tmp_path)


def test_an_unwritable_output_file_is_one_line_and_exit_2_before_any_fix(tmp_path: Path) -> None:
    """Before: a traceback after the files were already rewritten."""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    for output in (tmp_path / "missing" / "d" / "o.json", tmp_path):
        result = make_runner().invoke(main, ["--fix", "--no-cache", "-o", str(output), str(target)])
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert target.read_text() == FIXABLE


def test_the_report_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    output = tmp_path / "report.json"
    result = make_runner().invoke(
        main, ["--no-cache", "--output-format", "json", "-o", str(output), str(target)]
    )
    assert result.exit_code == 1
    assert '"WB101"' in output.read_text()
    assert not temporaries(tmp_path)


def dead_pid() -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_fix_sweeps_the_folder_a_symlinked_file_is_written_in(tmp_path: Path) -> None:
    """A symlink's target is replaced in the target's folder: a killed fix leaves its
    temporary file there, not beside the link."""
    real, links = tmp_path / "real", tmp_path / "links"
    real.mkdir()
    links.mkdir()
    (real / "app.py").write_text(FIXABLE)
    (links / "app.py").symlink_to(real / "app.py")
    leftover = real / f".app.py.{dead_pid()}.abc{TEMP_SUFFIX}"
    leftover.write_text("half")
    fix(links)
    assert (real / "app.py").read_text() == FIXED
    assert not temporaries(real)


def test_a_report_run_sweeps_a_killed_runs_half_written_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app.py").write_text(FIXED)
    reports = tmp_path / "reports"
    reports.mkdir()
    leftover = reports / f".out.json.{dead_pid()}.abc{TEMP_SUFFIX}"
    leftover.write_text("[{")
    monkeypatch.chdir(tmp_path)
    result = make_runner().invoke(main, ["--no-cache", "-o", "reports/out.json", "app.py"])
    assert result.exit_code == 0
    assert not temporaries(reports)


def test_a_report_over_a_file_the_run_checks_is_refused_before_any_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: `-o app.py app.py` replaced the source with the report."""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE)
    (tmp_path / "link.py").symlink_to(target)
    monkeypatch.chdir(tmp_path)
    for output in ("app.py", "./app.py", "link.py"):
        result = make_runner().invoke(main, ["--no-cache", "--fix", "-o", output, "app.py"])
        assert result.exit_code == 2
        assert result.stderr.strip().endswith("a file this run checks")
        assert target.read_text() == FIXABLE
