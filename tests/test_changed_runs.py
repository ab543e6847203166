"""Runs after a few files changed (a pre-commit hook, an editor): the project's other modules
are known by their stat (`api._known_skipped`, `files/known_imports.py`), not read, and the
run still reports for the files it lints what a run without any cache reports for them
(SPEC §2, subset invariance), whatever changed elsewhere."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.files import known
from tests.cli_runner import make_runner
from tests.test_known_files import note_reads

APP = (
    "import os\nfrom openai import OpenAI\nfrom relay import TEMPERATURE\n\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=TEMPERATURE,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)
"""A W&B request whose temperature comes from ids_one.py through relay.py (plain modules)."""
PLAIN_CLIENT = "from openai import OpenAI\nfrom urls import URL\n\nclient = OpenAI(base_url=URL)\n"
NOT_WANDB = 'URL = "https://api.inference.xandb.ai/v1"\n'
"""urls.py: no W&B host (signal-free), one letter from the W&B URL."""
USER = (
    "from helper import client\n\n"
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=3,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)
"""A request on a client another module makes: W&B or not as that module says."""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: a W&B app, a relay and two constant modules (all plain but the app), a
    plain client's module and its user, and plain modules, with a cache of its own; files
    written by the test count as old enough to be trusted (`RACY_NS` is tested apart)."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)
    project = tmp_path / "project"
    project.mkdir()
    (project / "lint-wb.toml").write_text("")
    (project / "app.py").write_text(APP)
    (project / "relay.py").write_text("from ids_one import TEMPERATURE\n")
    (project / "ids_one.py").write_text("TEMPERATURE = 3.5\n")
    (project / "ids_two.py").write_text("TEMPERATURE = 2.5\n")
    (project / "helper.py").write_text(PLAIN_CLIENT)
    (project / "urls.py").write_text(NOT_WANDB)
    (project / "user.py").write_text(USER)
    for number in range(4):
        (project / f"plain{number}.py").write_text(f"VALUE = {number}\n")
    monkeypatch.chdir(project)
    return project


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every file the run reads (screening, the index's key and plan)."""
    done: list[str] = []
    note_reads(monkeypatch, lambda path: done.append(path.name))
    original_open = open

    def opening(path: object, *args: object, **kwargs: object) -> object:
        if isinstance(path, Path) and path.suffix == ".py":
            done.append(path.name)
        return original_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("lint_wb.files.known_imports.open", opening, raising=False)
    return done


RELATED = ["app.py", "helper.py", "ids_one.py", "plain0.py", "relay.py", "urls.py", "user.py"]
"""What such a run reads: the changed file, the modules the prefilter keeps (they may target
W&B) and those the index summarises (the app's imports); not plain1.py to plain3.py nor
ids_two.py."""


def lint(*names: str, cache: bool = True) -> list[tuple[str, int, str]]:
    args = ["--output-format", "json", "--jobs", "1", *names]
    result = make_runner().invoke(main, args if cache else ["--no-cache", *args])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted((shown(r["filename"]), r["location"]["row"], r["code"]) for r in rows)


def shown(filename: str) -> str:
    """A file's path from the project's root (the test's working folder)."""
    return Path(os.path.relpath(os.path.abspath(filename))).as_posix()


def fresh(*names: str) -> list[tuple[str, int, str]]:
    """What a run of the whole project without any cache reports for `names`."""
    return [row for row in lint(".", cache=False) if row[0] in names]


def append(path: Path, text: str) -> None:
    with path.open("a") as file:
        file.write(text)


def test_a_changed_plain_file_is_linted_without_reading_the_other_plain_ones(
    root: Path, reads: list[str]
) -> None:
    """After a whole run, a hook given one changed plain module reads it and the modules
    that may target W&B (the roots: app.py), not the other signal-free modules; the first
    such run reads and keeps their import statements, the next reads none of them."""
    whole = lint(".")
    assert ("ids_one.py", 1, "WB301") in whole
    for round_number in range(2):
        append(root / "plain0.py", f"# edit {round_number}\n")
        reads.clear()
        assert lint("plain0.py") == []
        if round_number:
            assert sorted(set(reads)) == RELATED
    assert fresh("plain0.py") == []


def test_a_hook_alone_learns_the_project_once(root: Path, reads: list[str]) -> None:
    """With no whole run before, the first run of a hook reads the project (for the index's
    key, recording each module's prefilter verdict); the next, after an edit, does not."""
    lint("plain0.py")
    lint("plain0.py")  # (the first planned run keeps the statements)
    append(root / "plain0.py", "# edit\n")
    reads.clear()
    assert lint("plain0.py") == []
    assert sorted(set(reads)) == RELATED


def relay_switched_keeping_size_and_times(root: Path) -> None:
    """relay.py now imports the constant from ids_two.py: its size and mtime are kept."""
    change_keeping_size_and_times(root / "relay.py", "ids_one", "ids_two")


def relay_deleted(root: Path) -> None:
    (root / "relay.py").unlink()


def relay_renamed(root: Path) -> None:
    """relay.py is now hub.py: the app's import of it no longer names a project module."""
    (root / "relay.py").rename(root / "hub.py")


def a_new_relay_imported_first(root: Path) -> None:
    """A new plain module (no record) that the relay now imports the constant through."""
    (root / "relay2.py").write_text("from ids_two import TEMPERATURE\n")
    (root / "relay.py").write_text("from relay2 import TEMPERATURE\n")


def change_keeping_size_and_times(path: Path, old: str, new: str) -> None:
    before = os.stat(path)
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def url_made_wandb_keeping_size_and_times(root: Path) -> None:
    """urls.py (signal-free) now holds the W&B URL: helper.py's client becomes a W&B one,
    and user.py's request, unchanged, a W&B request."""
    change_keeping_size_and_times(root / "urls.py", "xandb", "wandb")


def plain_module_imports_wandb(root: Path) -> None:
    """A signal-free module starts importing the W&B app's client and sends ids_two.py's
    constant through it."""
    (root / "plain1.py").write_text(
        "from app import client\nfrom ids_two import TEMPERATURE\n\n"
        'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=TEMPERATURE,\n'
        '    messages=[{"role": "user", "content": "hi"}])\n'
    )


def the_project_settings_changed(root: Path) -> None:
    """The configuration takes helper.py's plain client for a W&B one (assume-wandb)."""
    (root / "lint-wb.toml").write_text("assume-wandb = true\n")


EDITS: list[tuple[Callable[[Path], None], tuple[str, ...]]] = [
    (relay_switched_keeping_size_and_times, ("ids_one.py", "ids_two.py")),
    (relay_deleted, ("ids_one.py", "ids_two.py")),
    (relay_renamed, ("ids_one.py",)),
    (a_new_relay_imported_first, ("ids_one.py", "ids_two.py")),
    (url_made_wandb_keeping_size_and_times, ("user.py",)),
    (plain_module_imports_wandb, ("ids_two.py",)),
    (the_project_settings_changed, ("user.py", "ids_one.py")),
]


@pytest.mark.parametrize(("edit", "linted"), EDITS, ids=[edit.__name__ for edit, _ in EDITS])
def test_an_edit_of_a_module_the_hook_does_not_name_is_seen(
    root: Path, edit: Callable[[Path], None], linted: tuple[str, ...]
) -> None:
    """After a whole run and a hook's run (which keeps the import statements), an edit of a
    module the next hook run does not name: that run reports for the files it names what a
    run of the whole project without any cache reports for them."""
    lint(".")
    append(root / "plain0.py", "# edit\n")
    lint("plain0.py", *linted)
    before = lint(*linted)
    edit(root)
    after = lint(*linted)
    assert after == fresh(*linted)
    assert after != before


def inner_project(root: Path) -> Path:
    """A project inside the outer one (its own configuration): its user.py sends through
    its own helper.py's W&B client, named like the outer project's modules."""
    inner = root / "inner"
    inner.mkdir()
    (inner / "lint-wb.toml").write_text("")
    (inner / "urls.py").write_text(NOT_WANDB.replace("xandb", "wandb"))
    (inner / "helper.py").write_text(PLAIN_CLIENT)
    (inner / "user.py").write_text(USER)
    return inner


def test_a_hook_over_files_of_two_projects_gets_each_projects_index(root: Path) -> None:
    """Each project's index is its own: a hook run plans only the projects of the files it
    names, and names files of both here; a whole run after it still reports the inner
    project's findings (the hook's index, of fewer files, is kept under another key)."""
    inner_project(root)
    named = ("app.py", "inner/user.py")
    expected = [("ids_one.py", 1, "WB301"), ("inner/user.py", 3, "WB301")]
    assert fresh("ids_one.py", "inner/user.py") == expected
    assert lint("ids_one.py", "inner/user.py") == expected
    append(root / "plain0.py", "# edit\n")
    assert lint("plain0.py", "inner/user.py") == [("inner/user.py", 3, "WB301")]
    assert lint(*named) == fresh(*named)
    assert lint(".") == lint(".", cache=False)


def by_stdin(name: str, text: str) -> list[tuple[str, int, str]]:
    args = ["--output-format", "json", "--stdin-filename", name, "-"]
    result = make_runner().invoke(main, args, input=text.encode())
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted((shown(r["filename"]), r["location"]["row"], r["code"]) for r in rows)


def test_an_editors_changed_buffer_gets_what_the_saved_file_would(
    root: Path, reads: list[str]
) -> None:
    """An editor lints user.py's buffer, changed at each keystroke, beside an inner project:
    each buffer gets what a run without any cache gives the file saved with that text, and
    once the project is known no signal-free module and nothing of the inner project is read."""
    inner_project(root)
    lint(".")
    text = (root / "user.py").read_text()
    for number, temperature in enumerate(["3", "1", "0.5", "4"]):
        buffer = text.replace("temperature=3", f"temperature={temperature}") + f"# {number}\n"
        reads.clear()
        found = by_stdin("user.py", buffer)
        if number:
            assert not {"plain1.py", "ids_two.py"} & set(reads), reads
            assert not [name for name in reads if name.startswith("inner")]
        saved = (root / "user.py").read_text()
        (root / "user.py").write_text(buffer)
        assert found == fresh("user.py"), buffer
        (root / "user.py").write_text(saved)
