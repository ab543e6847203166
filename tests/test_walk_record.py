"""A folder walk's answer, kept (`files/walk_record.py`): a warm run over an unchanged tree
does not walk it, and any change the walk would see makes the next run walk again. Each test
changes one thing and checks the kept answer against a fresh walk."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lint_wb import api
from lint_wb.cli.main import main
from lint_wb.config import load
from lint_wb.config.per_file import SettingsCache
from lint_wb.files import discovery, known, walk_record
from lint_wb.files.discovery import Discovery, discover
from lint_wb.files.known import KnownFiles
from lint_wb.files.walk_record import Walked, discover_known
from lint_wb.results import Overrides
from tests.cli_runner import make_runner


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git checkout with a few modules, an ignored folder and a project file; what the
    test writes counts as old enough to be trusted (`RACY_NS` is tested on its own)."""
    monkeypatch.setattr(known, "RACY_NS", 0)
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    for name in ("a.py", "pkg/__init__.py", "pkg/b.py", "pkg/deep/c.py", "ignored/d.py"):
        write(root / name)
    write(root / ".gitignore", "ignored/\n*.log\n")
    write(root / "pyproject.toml", '[project]\nname = "x"\n\n[tool.lint-wb]\n')
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    return root


@dataclass(frozen=True)
class Answer:
    """A walk's files and errors, as names."""

    files: tuple[str, ...]
    errors: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, found: Discovery) -> Answer:
        return cls(tuple(map(str, found.files)), tuple((str(p), m) for p, m in found.errors))


class Walks:
    """Runs of `discover_known` over one root, each with the table as the last run saved it,
    counting the walks that really listed folders."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.walked = 0
        original = walk_record.discover

        def counting(*args: object, **kwargs: object) -> Discovery:
            self.walked += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(walk_record, "discover", counting)

    def run(self) -> tuple[Answer, list[str]]:
        settings = SettingsCache(Overrides())
        table = KnownFiles([self.root], self.root.parent / "table")
        found = discover_known(
            [self.root],
            settings=settings,
            is_excluded=lambda path: api._excluded(path, settings),
            respect_gitignore=True,
            force_exclude=False,
            table=table,
        )
        table.save()
        return Answer(tuple(map(str, found.files)), found.errors), settings.warnings

    def fresh(self) -> tuple[Answer, list[str]]:
        settings = SettingsCache(Overrides())
        found = discover(
            [self.root],
            is_excluded=lambda path: api._excluded(path, settings),
            respect_gitignore=True,
            force_exclude=False,
        )
        return Answer.of(found), settings.warnings

    def sees(self, change: Callable[[], object]) -> Answer:
        """Walk, walk again (from the record), make the change, and check that the next run
        walks again and finds what a fresh walk finds."""
        before, _ = self.run()
        walked = self.walked
        assert self.run()[0] == before and self.walked == walked  # kept
        change()
        after = self.run()
        assert self.walked == walked + 1, "the change was not seen"
        assert after == self.fresh()
        assert after[0] != before
        assert self.run() == after and self.walked == walked + 1  # kept again
        return after[0]


@pytest.fixture
def walks(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> Walks:
    return Walks(checkout, monkeypatch)


def names(found: Answer, root: Path) -> set[str]:
    return {Path(path).relative_to(root).as_posix() for path in found.files}


def test_an_unchanged_tree_is_not_walked_again(walks: Walks, checkout: Path) -> None:
    first = walks.run()
    assert names(first[0], checkout) == {"a.py", "pkg/__init__.py", "pkg/b.py", "pkg/deep/c.py"}
    for _ in range(3):
        assert walks.run() == first
    assert walks.walked == 1
    os.utime(checkout / "a.py")  # a file's content is not the walk's business
    write(checkout / "pkg" / "b.py", "y = 2\n")
    assert walks.run() == first and walks.walked == 1


def test_a_file_added_removed_or_renamed_is_seen(walks: Walks, checkout: Path) -> None:
    added = walks.sees(lambda: write(checkout / "pkg" / "deep" / "new.py"))
    assert "pkg/deep/new.py" in names(added, checkout)
    gone = walks.sees(lambda: (checkout / "pkg" / "b.py").unlink())
    assert "pkg/b.py" not in names(gone, checkout)
    moved = walks.sees(lambda: (checkout / "a.py").rename(checkout / "pkg" / "a2.py"))
    assert {"pkg/a2.py"} <= names(moved, checkout) and "a.py" not in names(moved, checkout)


def test_a_new_folder_is_seen(walks: Walks, checkout: Path) -> None:
    found = walks.sees(lambda: write(checkout / "pkg" / "deep" / "deeper" / "e.py"))
    assert "pkg/deep/deeper/e.py" in names(found, checkout)


def test_an_edit_of_gitignore_is_seen(walks: Walks, checkout: Path) -> None:
    write(checkout / "pkg" / "untracked.py")
    found = walks.sees(lambda: write(checkout / ".gitignore", "ignored/\nuntracked.py\n"))
    assert "pkg/untracked.py" not in names(found, checkout)


def test_a_file_git_starts_tracking_is_seen(walks: Walks, checkout: Path) -> None:
    """`git add -f` of an ignored file: no folder of the walk changes, git's answer does."""
    found = walks.sees(lambda: git(checkout, "add", "-f", "ignored/d.py"))
    assert "ignored/d.py" in names(found, checkout)


def test_an_edit_of_the_configuration_is_seen(walks: Walks, checkout: Path) -> None:
    pyproject = checkout / "pyproject.toml"
    found = walks.sees(
        lambda: write(pyproject, pyproject.read_text() + 'extend-exclude = ["deep"]\n')
    )
    assert "pkg/deep/c.py" not in names(found, checkout)


def test_an_edit_of_an_extended_configuration_is_seen(walks: Walks, checkout: Path) -> None:
    """A file the configuration extends lies in no folder the settings look in."""
    shared = write(checkout.parent / "shared" / "base.toml", "extend-exclude = []\n")
    write(checkout / "pkg" / "lint-wb.toml", 'extend = "../../shared/base.toml"\n')
    found = walks.sees(lambda: write(shared, 'extend-exclude = ["deep"]\n'))
    assert "pkg/deep/c.py" not in names(found, checkout)


def test_a_configuration_added_in_a_folder_is_seen(walks: Walks, checkout: Path) -> None:
    found = walks.sees(lambda: write(checkout / "pkg" / "lint-wb.toml", 'exclude = ["deep"]\n'))
    assert "pkg/deep/c.py" not in names(found, checkout)


def test_a_configuration_added_above_the_walk_is_seen(walks: Walks, checkout: Path) -> None:
    """Above the walked root no folder is watched; each configuration name is."""
    (checkout / "pyproject.toml").unlink()
    git(checkout, "rm", "-q", "--cached", "pyproject.toml")
    found = walks.sees(lambda: write(checkout.parent / "lint-wb.toml", 'exclude = ["pkg"]\n'))
    assert names(found, checkout) == {"a.py"}


def test_a_link_whose_target_goes_is_seen(walks: Walks, checkout: Path) -> None:
    target = write(checkout.parent / "elsewhere" / "target.py")
    (checkout / "pkg" / "link.py").symlink_to(target)
    found = walks.sees(target.unlink)
    assert "pkg/link.py" not in names(found, checkout) and found.errors


def test_the_warnings_of_a_walk_are_given_again(walks: Walks, checkout: Path) -> None:
    write(checkout / "pkg" / "pyproject.toml", '[tool.lint_wb]\nselect = ["WB1"]\n')
    first, warnings = walks.run()
    assert len(warnings) == 1 and "[tool.lint_wb] is not read" in warnings[0]
    assert walks.run() == (first, warnings) and walks.walked == 1


def test_a_walk_over_a_folder_that_just_changed_is_not_kept(
    walks: Walks, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry added in the same timestamp tick as an earlier change keeps the folder's
    times: a folder changed just before the walk started does not vouch for its listing."""
    monkeypatch.setattr(known, "RACY_NS", 10**12)
    write(checkout / "pkg" / "fresh.py")
    walks.run()
    walks.run()
    assert walks.walked == 2
    monkeypatch.setattr(known, "RACY_NS", 0)
    walks.run()
    walks.run()
    assert walks.walked == 3


def test_a_hook_run_sees_a_module_added_to_the_project(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: a pre-commit run names one file; the project index is built over the
    whole checkout from the kept walk, and a module added elsewhere, which sends the named
    file's constant to W&B, gives the named file a finding (SPEC §2)."""
    monkeypatch.chdir(checkout)
    write(checkout / "pkg" / "settings.py", "TEMPERATURE = 2.5\n")
    hook = ["--output-format", "json", "--exit-zero", "pkg/settings.py"]
    walked: list[Path] = []
    walk = discovery._Walker.walk

    def counting(self: discovery._Walker, root: Path) -> None:
        walked.append(root)
        walk(self, root)

    monkeypatch.setattr(discovery._Walker, "walk", counting)

    def codes() -> list[str]:
        result = make_runner().invoke(main, hook)
        assert result.exit_code == 0, result.output
        return sorted(row["code"] for row in json.loads(result.stdout))

    assert codes() == [] and walked == [checkout]
    assert codes() == [] and walked == [checkout]  # the kept walk
    write(
        checkout / "pkg" / "deep" / "uses.py",
        "from pkg.settings import TEMPERATURE\n"
        "from openai import OpenAI\n"
        'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")\n'
        'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=TEMPERATURE,\n'
        '    messages=[{"role": "user", "content": "hi"}])\n',
    )
    assert codes() == ["WB301"] and walked == [checkout, checkout]


def test_a_kept_walk_gives_the_settings_their_answers(
    walks: Walks, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a kept walk the settings of each folder come without looking for configuration
    files again (the walk's record vouches for them), and they are the settings a fresh
    look gives."""
    write(checkout / "pkg" / "lint-wb.toml", 'extend-exclude = ["deep"]\n')
    walks.run()
    settings = SettingsCache(Overrides())
    table = KnownFiles([checkout], checkout.parent / "table")
    looked: list[str] = []
    own = load._own_config_file
    monkeypatch.setattr(
        load, "_own_config_file", lambda folder: looked.append(folder) or own(folder)
    )
    discover_known(
        [checkout],
        settings=settings,
        is_excluded=lambda path: api._excluded(path, settings),
        respect_gitignore=True,
        force_exclude=False,
        table=table,
    )
    assert walks.walked == 1
    folders = [checkout, checkout / "pkg", checkout / "pkg" / "deep"]  # the walked ones
    kept = [settings.for_path(folder / "x.py") for folder in folders]
    assert looked == []
    fresh = SettingsCache(Overrides())
    assert kept == [fresh.for_path(folder / "x.py") for folder in folders]
    assert kept[1].config_file == checkout / "pkg" / "lint-wb.toml"


def stats_by_thread(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every stat the known-files table takes from now on (`KnownFiles.stat`, `stat_each`):
    (the path asked, the asking thread)."""
    asked: list[tuple[str, int]] = []
    stat = known.stat_key

    def recording(path: Path | str) -> object:
        asked.append((os.fspath(path), threading.get_ident()))
        return stat(path)

    monkeypatch.setattr(known, "stat_key", recording)
    return asked


def walk_again(root: Path) -> tuple[Walked, KnownFiles]:
    settings = SettingsCache(Overrides())
    table = KnownFiles([root], root.parent / "table")
    found = discover_known(
        [root],
        settings=settings,
        is_excluded=lambda path: api._excluded(path, settings),
        respect_gitignore=True,
        force_exclude=False,
        table=table,
    )
    return found, table


def test_a_kept_walk_has_its_files_stated_on_this_thread_while_git_answers(
    walks: Walks, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept walk asks git again; meanwhile this thread (and no other: a second one cost more
    CPU in handing the interpreter's lock back and forth than it saved) takes this run's stat
    of each file the walk gave (the run's next step, the index's key, asks for every one),
    done by the time the walk returns, before git's answer is waited for."""
    for number in range(40):
        write(checkout / "many" / f"m{number}.py")
    walks.run()
    asked = stats_by_thread(monkeypatch)
    answered: list[int] = []
    answer = walk_record._Asking.answer

    def waited_for(self: walk_record._Asking) -> str | None:
        answered.append(len(asked))
        return answer(self)

    monkeypatch.setattr(walk_record._Asking, "answer", waited_for)
    threads = threading.active_count()
    found, table = walk_again(checkout)
    assert walks.walked == 1  # kept: git was asked again
    assert sorted(path for path, _ in asked) == sorted(os.fspath(path) for path in found.files)
    assert {thread for _, thread in asked} == {threading.get_ident()}
    assert answered and answered[0] == len(found.files)  # stated before git's answer is read
    assert threading.active_count() == threads
    assert all(table.stat(path) == known.stat_key(path) for path in found.files)


def test_a_kept_walk_asks_git_its_questions_at_once(
    walks: Walks, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of git's answers is asked for on its own thread, all at the same time: a question
    asked only once the one before was answered would wait here for ever (the barrier)."""
    walks.run()
    together = threading.Barrier(2, timeout=30)
    asked = walk_record._asked

    def at_once(args: tuple[str, ...], cwd: str) -> str | None:
        together.wait()
        return asked(args, cwd)

    monkeypatch.setattr(walk_record, "_asked", at_once)
    walk_again(checkout)
    assert walks.walked == 1  # both answers came, as before: the walk was kept


def test_a_bug_asking_git_on_its_thread_is_raised_where_the_run_asks_for_the_answer(
    walks: Walks, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """lint-wb's own error while asking git on its thread is not lost there (no thread
    traceback, no silent walk again on every run): the run meets it, as if it had asked git
    itself, and reports it as its own failure."""
    walks.run()

    def failing(args: tuple[str, ...], cwd: str) -> str | None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(walk_record, "_asked", failing)
    uncaught: list[object] = []
    monkeypatch.setattr(threading, "excepthook", uncaught.append)  # what prints a traceback
    with pytest.raises(RuntimeError, match="a bug"):
        walk_again(checkout)
    assert uncaught == []


def test_a_kept_walk_without_git_states_nothing_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a checkout nothing is waited for: the files are stated when the run asks."""
    monkeypatch.setattr(known, "RACY_NS", 0)
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "tree"
    write(root / "a.py")
    write(root / "pkg" / "b.py")
    walks = Walks(root, monkeypatch)
    walks.run()
    asked = stats_by_thread(monkeypatch)
    walk_again(root)
    assert walks.walked == 1 and asked == []
