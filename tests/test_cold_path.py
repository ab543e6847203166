"""A cold run over a tree of plain OpenAI code (the openai SDK's own source): most files are
read and skipped, a few kept for a parse; what those few cost besides their own lint."""

from __future__ import annotations

import gc
import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lint_wb import api
from lint_wb.ahead import SummariesAhead
from lint_wb.files.forked_part import ForkedPart
from lint_wb.results import Mode, Overrides
from tests.test_forked_part import apart_first, meet_at

needs_two_cores = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or sys.platform == "darwin",
    reason="needs 2 cores and a platform that forks safely",
)

KEPT = "# its fine-tuning integration: wandb\nfrom openai import OpenAI\nclient = OpenAI()\n"
"""A file the prefilter keeps (`wandb`) that holds nothing to lint."""
PLAIN = "from openai import OpenAI\nclient = OpenAI()\n"


def write_tree(root: Path, kept: int, plain: int = 20, kept_name: str = "kept") -> list[Path]:
    """`kept` files to parse (named `kept_name`_NN: before the plain ones or after them) and
    `plain` ones; the kept ones in the run's order."""
    (root / ".git").mkdir()
    for n in range(plain):
        (root / f"plain_{n:02}.py").write_text(PLAIN)
    paths = [root / f"{kept_name}_{n:02}.py" for n in range(kept)]
    for path in paths:
        path.write_text(KEPT)
    return paths


def told_ahead(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[Path]]:
    """How many files were kept when `ahead` was made (once per run), and the files it was
    told of, in order."""
    made: list[int] = []
    told: list[Path] = []
    make, screened = api._Run._ahead, SummariesAhead.screened

    def making(self: api._Run) -> SummariesAhead:
        made.append(len(self.kept_before_ahead))
        return make(self)

    def telling(self: SummariesAhead, path: Path, data: bytes) -> None:
        told.append(path)
        screened(self, path, data)

    monkeypatch.setattr(api._Run, "_ahead", making)
    monkeypatch.setattr(SummariesAhead, "screened", telling)
    run = api.check_paths([root], Overrides(isolated=True), Mode(), jobs=2)
    assert not run.internal_error and not run.errors
    return made, told


@needs_two_cores
def test_a_run_that_keeps_too_few_files_for_a_worker_makes_nothing_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Summaries ahead and the workers' module are for runs that start workers: fewer files
    kept than a worker takes (`PARALLEL_THRESHOLD`) make no `SummariesAhead`."""
    write_tree(tmp_path, api.PARALLEL_THRESHOLD - 1)
    made, told = told_ahead(tmp_path, monkeypatch)
    assert made == [] and told == []


@needs_two_cores
def test_ahead_is_told_of_every_kept_file_in_order_once_enough_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made at the file that calls for the second process, `ahead` is told of the files
    kept before it, then of the rest, in the screening's order: as if made at the first."""
    kept = write_tree(tmp_path, api.PARALLEL_THRESHOLD + 3)
    made, told = told_ahead(tmp_path, monkeypatch)
    assert made == [api.PARALLEL_THRESHOLD]
    assert told == kept


LLM = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")\n'
)
APP = (
    "from a_llm import client\n"
    "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[], temperature=3)\n"
)
"""A request without a W&B signal of its own: found only through the project index, which
reads the files the screening skipped (in the forked part, their bytes are not sent back)."""


def write_project(root: Path, plain: int = 12) -> None:
    """A project whose W&B client is in the first half of its files, and whose request, a
    file with a syntax error and an undecodable one are in the second."""
    (root / ".git").mkdir()
    (root / "a_llm.py").write_text(LLM)
    for n in range(plain):
        (root / f"m_{n:02}.py").write_text(PLAIN)
    (root / "z_app.py").write_text(APP)
    (root / "z_broken.py").write_text("# wandb\ndef f(:\n")
    (root / "z_latin.py").write_bytes(b"# wandb \xff\xfe\x00\n")


def outcome(root: Path, jobs: int) -> list[tuple[str, tuple[str, ...], str | None, bool]]:
    run = api.check_paths([root], Overrides(isolated=True), Mode(), jobs=jobs)
    assert not run.internal_error
    return [
        (result.path.name, tuple(f.code for f in result.findings), result.error, result.skipped)
        for result in run.files
    ]


@needs_two_cores
@pytest.mark.parametrize("meeting", [1, 8, 15])
def test_the_files_screened_in_a_forked_process_change_nothing_in_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meeting: int
) -> None:
    """With the files from the last back to `meeting` screened in a forked process, every
    file's result is the one a run screening all of them here gives: skips, parses, errors,
    and a finding the index finds in a file the forked process skipped."""
    write_project(tmp_path)
    serial = outcome(tmp_path, jobs=1)
    by_name = {name: (codes, error) for name, codes, error, _ in serial}
    assert "WB301" in by_name["z_app.py"][0] and by_name["z_broken.py"][0] == ("WB901",)
    assert by_name["z_latin.py"][1]  # an error, not a finding
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, meeting)
    forked = forked_parts(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert len(forked) == 1 and forked[0] is not None  # the forked part was taken
    assert len(forked[0]) == len(serial) - meeting  # it screened from the last to `meeting`


@needs_two_cores
@pytest.mark.parametrize("root_apart", [True, False])
def test_the_plan_does_not_read_again_the_files_skipped_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root_apart: bool
) -> None:
    """Once the forked process has kept a module that may target W&B (a root of the
    index), it sends back the import statements of the modules it skips, not their bytes:
    the plan reads none of them again (a scan that asks for a module's text reads it then),
    and the run finds the same. Before a root (here: none in its part), it sends nothing,
    and the plan reads each of them again."""
    from lint_wb.project import build

    write_project(tmp_path)
    if root_apart:  # the forked process screens it first
        (tmp_path / "zz_llm.py").write_text(LLM)
    serial = outcome(tmp_path, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 1)
    read_again: list[str] = []
    read_sources = build.read_sources

    def reading(*arguments: Any, **named: Any) -> dict[Path, bytes]:
        sources = read_sources(*arguments, **named)
        read_again.extend(path.name for path in sources if path.name.startswith(("m_", "z_app")))
        return sources

    monkeypatch.setattr(build, "read_sources", reading)
    assert outcome(tmp_path, jobs=2) == serial
    skipped = [f"m_{n:02}.py" for n in range(12)]
    assert read_again == ([] if root_apart else [*skipped, "z_app.py"])


@needs_two_cores
def test_what_the_run_holds_is_frozen_as_the_screener_forks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What start-up and the run made before the forked screener starts is frozen as it
    forks (`collector.freeze_before_fork`), so that no collection in either process scans it
    again, and given back to the collector as the run ends."""
    write_project(tmp_path)
    serial = outcome(tmp_path, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    frozen: list[int] = []
    start = ForkedPart.__init__

    def forking(self: ForkedPart[object], *args: Any) -> None:
        frozen.append(gc.get_freeze_count())
        start(self, *args)

    monkeypatch.setattr(ForkedPart, "__init__", forking)
    assert gc.get_freeze_count() == 0
    assert outcome(tmp_path, jobs=2) == serial
    assert len(frozen) == 1 and frozen[0] > 0
    assert gc.get_freeze_count() == 0


def taken_from_the_forked_part(monkeypatch: pytest.MonkeyPatch, method: str) -> list[Any]:
    """Every value `ForkedPart.<method>` hands this process during the run, in order."""
    taken: list[Any] = []
    original = getattr(ForkedPart, method)

    def taking(self: ForkedPart[object], *args: object) -> Any:
        found = original(self, *args)
        taken.append(found)
        return found

    monkeypatch.setattr(ForkedPart, method, taking)
    return taken


def forked_parts(monkeypatch: pytest.MonkeyPatch) -> list[list[object] | None]:
    """What each forked part of the run gave (None: it failed), as the run takes it."""
    return taken_from_the_forked_part(monkeypatch, "rest")


@needs_two_cores
def test_a_forked_part_that_fails_is_screened_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forked process raising on a file (or dying) leaves its whole part to this one."""
    write_project(tmp_path)
    serial = outcome(tmp_path, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)

    def failing(*arguments: object) -> None:
        raise RuntimeError("in the forked process")

    monkeypatch.setattr(api, "_screened_apart", failing)
    apart_first(monkeypatch)
    forked = forked_parts(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert forked == [None]  # it forked, and the part failed there


@needs_two_cores
def test_a_fork_that_fails_leaves_the_part_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No process (or no descriptor) to fork: the whole screening is done here."""
    write_project(tmp_path)
    serial = outcome(tmp_path, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    for failing in ("fork", "pipe"):
        refused: list[str] = []
        with monkeypatch.context() as patched:

            def refusing(refused: list[str] = refused, failing: str = failing) -> None:
                refused.append(failing)
                raise OSError(11, "Resource temporarily unavailable")

            patched.setattr(os, failing, refusing)
            assert outcome(tmp_path, jobs=2) == serial
        assert refused  # the run did try to fork


@needs_two_cores
def test_ahead_hears_of_the_forked_parts_kept_files_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files the forked process keeps (here the last 14 of 19 kept) reach `ahead` after
    this process's own, in the files' order: as if screened here."""
    monkeypatch.setattr(api, "SPLIT_SCREENING", 8)
    kept = write_tree(tmp_path, api.PARALLEL_THRESHOLD + 3, plain=20, kept_name="z_kept")
    meet_at(monkeypatch, 25)
    forked = forked_parts(monkeypatch)
    made, told = told_ahead(tmp_path, monkeypatch)
    assert made == [api.PARALLEL_THRESHOLD] and told == kept
    assert len(forked) == 1 and forked[0] is not None and len(forked[0]) == 14


@needs_two_cores
@pytest.mark.parametrize("wandb_host", [True, False])
def test_the_engine_is_loaded_at_the_first_kept_wandb_file_while_the_other_process_screens(
    wandb_host: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the screening forked, this process loads the engine as soon as it keeps a file
    with a W&B host (it parses that file in any case), not once it has kept enough files to
    start a worker; a file kept only for the word `wandb` (the SDK's own source) loads
    nothing early, and the results are those of one process."""
    write_project(tmp_path)
    if not wandb_host:
        (tmp_path / "a_llm.py").write_text(KEPT)
    serial = outcome(tmp_path, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 8)  # this process screens the first 8 files, the W&B one first
    events: list[str] = []
    screen, load = api._screen, importlib.import_module

    def screening(path: Path, *args: Any) -> Any:
        events.append(path.name)
        return screen(path, *args)

    def loading(name: str, package: str | None = None) -> Any:
        if name == "lint_wb.engine":
            events.append("engine")
        return load(name, package)

    monkeypatch.setattr(api, "_screen", screening)
    monkeypatch.setattr(importlib, "import_module", loading)
    assert outcome(tmp_path, jobs=2) == serial
    here = events[: events.index("m_06.py") + 1]  # what this process screened
    if wandb_host:
        assert here[:3] == ["a_llm.py", "engine", "m_00.py"]
    else:
        assert "engine" not in here


@needs_two_cores
def test_the_account_books_the_early_engine_as_shared_while_the_forked_part_screens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine loaded at the first file (a W&B client) while the forked process still has
    files to screen (it waits for this process's eighth): neither that load nor the screening
    is this process's alone in the run's account."""
    from lint_wb.accounting import RunAccount

    write_project(tmp_path)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 8)
    account = RunAccount()
    run = api.check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=2, account=account)
    assert not run.internal_error
    alone = {phase.name: phase.alone for phase in account.phases}
    assert alone[api.ENGINE_EARLY] is False and alone["screen"] is False
    assert alone["discover"] is True


ASKS = (
    "# wandb: the client is made elsewhere\n"
    "from a_llm import client\n"
    "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[], temperature=3)\n"
)
"""A kept file that targets W&B only through what the project index tells it."""


def checked_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files this process checks (`api.check_file`), not a forked one."""
    here = os.getpid()
    checked: list[str] = []
    check = api.check_file

    def checking(path: Path, *args: object, **kwargs: object) -> object:
        if os.getpid() == here:
            checked.append(path.name)
        return check(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "check_file", checking)
    return checked


def guesses(forked: list[list[object] | None]) -> list[str]:
    """The names of the kept files the forked part checked, in order."""
    assert len(forked) == 1 and forked[0] is not None
    return [
        kept.guess.path.name
        for kept in forked[0]
        if isinstance(kept, api._KeptApart) and kept.guess is not None
    ]


@needs_two_cores
def test_the_forked_part_checks_its_kept_files_when_the_run_has_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree where no module can target W&B (the SDK's own source): the files the forked
    process keeps are checked there, and this process takes their results as they are."""
    write_tree(tmp_path, 2, plain=12, kept_name="z_kept")
    (tmp_path / "z_zbroken.py").write_text("# wandb\ndef f(:\n")
    serial = outcome(tmp_path, jobs=1)
    assert ("z_zbroken.py", ("WB901",), None, False) in serial
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 12)  # the forked process screens the three kept files
    forked = forked_parts(monkeypatch)
    checked = checked_here(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert guesses(forked) == ["z_kept_00.py", "z_kept_01.py", "z_zbroken.py"]
    assert checked == []  # none of them was checked here


@needs_two_cores
def test_what_the_forked_part_checked_is_dropped_when_the_run_has_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A W&B client in this process's part makes an index: a kept file of the forked part
    that it checked without one (`z_asks.py`: its client is W&B only through the index) is
    checked here again, with what the index tells it."""
    write_project(tmp_path)
    (tmp_path / "z_asks.py").write_text(ASKS)
    serial = outcome(tmp_path, jobs=1)
    assert "WB301" in dict((name, codes) for name, codes, _, _ in serial)["z_asks.py"]
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 13)  # from z_app.py on: a_llm.py is screened here
    # a_llm.py, lent to the forked process, would stop its guesses before z_asks.py
    monkeypatch.setattr(api._Guesses, "check_lent", lambda self, path: None)
    forked = forked_parts(monkeypatch)
    checked = checked_here(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert "z_asks.py" in guesses(forked)  # checked apart without the index
    assert "z_asks.py" in checked


@needs_two_cores
def test_the_forked_part_stops_guessing_at_a_file_that_may_target_wandb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept file that may target W&B makes an index likely: it and the files the forked
    process keeps after it (it screens from the last file back) are left to this process,
    as in any run that keeps them."""
    write_tree(tmp_path, 1, plain=12, kept_name="z_kept")
    (tmp_path / "z_llm.py").write_text(LLM)
    (tmp_path / "z_zbroken.py").write_text("# wandb\ndef f(:\n")
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 12)  # the forked process screens z_zbroken, z_llm, z_kept_00
    forked = forked_parts(monkeypatch)
    outcome(tmp_path, jobs=2)
    assert guesses(forked) == ["z_zbroken.py"]


def lent_checks(lent: list[dict[int, object]]) -> list[str]:
    """The names of the files this process kept that the forked one checked (`lent()`)."""
    return [g.path.name for found in lent for g in found.values() if isinstance(g, api.FileResult)]


@needs_two_cores
def test_the_files_kept_here_are_checked_in_the_forked_part_when_the_run_has_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files this process keeps are lent to the forked process, which checks them
    between its own (as the few kept type modules of the openai SDK): their results are
    taken as they are, and this process checks none of them (nor loads the engine)."""
    write_tree(tmp_path, 2, plain=12, kept_name="a_kept")
    (tmp_path / "a_broken.py").write_text("# wandb\ndef f(:\n")
    serial = outcome(tmp_path, jobs=1)
    assert ("a_broken.py", ("WB901",), None, False) in serial
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 12)  # this process screens the three kept files
    lent = taken_from_the_forked_part(monkeypatch, "lent")
    checked = checked_here(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert lent_checks(lent) == ["a_broken.py", "a_kept_00.py", "a_kept_01.py"]
    assert checked == []


@needs_two_cores
def test_what_the_forked_part_checked_of_the_files_kept_here_is_dropped_with_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file this process kept and lent (`a_asks.py`, whose client is W&B only through the
    index) is checked without the index in the forked process; the run has an index, so it
    is checked here again, with what the index tells it. The next file lent, a W&B client,
    stops the guesses."""
    write_project(tmp_path)
    (tmp_path / "a_asks.py").write_text(ASKS)
    serial = outcome(tmp_path, jobs=1)
    assert "WB301" in dict((name, codes) for name, codes, _, _ in serial)["a_asks.py"]
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 13)
    lent = taken_from_the_forked_part(monkeypatch, "lent")
    checked = checked_here(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert lent_checks(lent) == ["a_asks.py"]
    assert "a_asks.py" in checked and "a_llm.py" in checked


@needs_two_cores
def test_an_engine_that_does_not_load_early_is_loaded_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the engine at the first kept W&B file only gains time: when it fails there,
    the run goes on and loads it where it did before, with the same results."""
    write_project(tmp_path)
    serial = outcome(tmp_path, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 8)
    failed: list[str] = []
    load = importlib.import_module

    def failing_once(name: str, package: str | None = None) -> Any:
        if name == "lint_wb.engine" and not failed:
            failed.append(name)
            raise ImportError("broken on purpose")
        return load(name, package)

    monkeypatch.setattr(importlib, "import_module", failing_once)
    assert outcome(tmp_path, jobs=2) == serial
    assert failed  # the early load was tried


def test_a_small_or_single_process_run_screens_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forking(*args: object) -> None:
        raise AssertionError("forked")

    monkeypatch.setattr(ForkedPart, "__init__", forking)
    write_project(tmp_path)
    outcome(tmp_path, jobs=2)  # fewer files than SPLIT_SCREENING
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    outcome(tmp_path, jobs=1)


LOADED_PROBE = """
import atexit, sys
from lint_wb.cli.console import console_main
atexit.register(lambda: sys.stderr.write(" ".join(sorted(sys.modules))))
sys.argv = ["lint-wb", *sys.argv[1:]]
console_main()
"""
"""The modules a console run loaded, written as it leaves (it runs the atexit functions)."""


def test_a_run_keeping_a_few_files_loads_only_what_checking_them_needs(tmp_path: Path) -> None:
    """A tree of plain OpenAI code with a few files kept for a parse (the SDK's own source):
    neither the workers' modules (`ahead`, `workers`: no worker is started) nor `traceback`
    (only lint-wb's own failure is described with it) are loaded."""
    write_tree(tmp_path, 3, plain=5)
    args = [str(tmp_path), "--isolated", "--no-cache", "--jobs", "2", "--output-format", "json"]
    done = subprocess.run(
        [sys.executable, "-c", LOADED_PROBE, *args], capture_output=True, text=True, check=True
    )
    loaded = set(done.stderr.split())
    assert "lint_wb.engine" in loaded  # the kept files were checked
    assert not {"lint_wb.ahead", "lint_wb.workers", "traceback"} & loaded


SELF_CONTAINED = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")\n'
    "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[], temperature=3)\n"
)
"""A W&B request with an out-of-range temperature (WB301) in a file of its own."""


def write_configured_project(root: Path, plain: int = 12) -> list[Path]:
    """A project whose last folders have their own settings: `sub` a `[tool.lint-wb]` that
    ignores WB301, `odd` a misnamed `[tool.lint_wb]` (a warning); each file as a path of its
    own, as a hook or `xargs` gives them (the walk then reads no folder's settings)."""
    (root / ".git").mkdir()
    (root / "a_llm.py").write_text(SELF_CONTAINED)
    files = [root / "a_llm.py"]
    for n in range(plain):
        files.append(root / f"m_{n:02}.py")
        files[-1].write_text(PLAIN)
    for folder, config in (
        ("odd", '[tool.lint_wb]\nselect = ["WB1"]\n'),
        ("sub", '[tool.lint-wb]\nignore = ["WB301"]\n'),
    ):
        (root / folder).mkdir()
        (root / folder / "pyproject.toml").write_text(config)
        for name, text in (("plain.py", PLAIN), ("z_app.py", SELF_CONTAINED)):
            files.append(root / folder / name)
            files[-1].write_text(text)
    return files


def configured_outcome(files: list[Path], jobs: int) -> tuple[list[object], list[str]]:
    """Each file's codes and error, and the run's notes (the warnings), with the settings
    the project's configuration files give (not `--isolated`)."""
    run = api.check_paths(files, Overrides(), Mode(), jobs=jobs)
    assert not run.internal_error
    found = [
        (result.path.relative_to(files[0].parent).as_posix(), [f.code for f in result.findings])
        for result in run.files
    ]
    return [*found, *run.errors], run.notes


def settings_read_by(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each configuration lookup that reads (a folder's settings resolved, its way up looked
    at for misnamed tables, a spec compiled) notes the process id that made it in `log`."""
    from lint_wb.config import per_file

    def noting(read: Any) -> Any:
        def reading(*args: Any, **kwargs: Any) -> Any:
            with log.open("a") as noted:
                noted.write(f"{os.getpid()}\n")
            return read(*args, **kwargs)

        return reading

    cache = per_file.SettingsCache
    for owner, name in (
        (cache, "_resolve"),
        (cache, "_look_for_misnamed_tables"),
        (per_file, "compiled_for"),
    ):
        monkeypatch.setattr(owner, name, noting(getattr(owner, name)))


@needs_two_cores
def test_the_forked_screening_leaves_reading_settings_and_their_warnings_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files given one by one from folders with settings of their own, the last of them
    screened in the forked process: every folder's settings (and the spec they name) were
    read here before the fork, so the forked process reads none, and what they change (a
    code ignored, a warning) is the same as in one process."""
    project = tmp_path / "project"
    project.mkdir()
    files = write_configured_project(project)
    serial, warnings = configured_outcome(files, jobs=1)
    assert ("sub/z_app.py", ["WB408"]) in serial  # its WB301 ignored there
    assert ("odd/z_app.py", ["WB408", "WB301"]) in serial
    assert len(warnings) == 1 and "[tool.lint_wb] is not read" in warnings[0]
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, len(files) - 4)  # the forked process screens odd/ and sub/
    forked = forked_parts(monkeypatch)
    log = tmp_path / "read_by"
    settings_read_by(log, monkeypatch)
    assert configured_outcome(files, jobs=2) == (serial, warnings)
    assert len(forked) == 1 and forked[0] is not None and len(forked[0]) == 4
    readers = log.read_text().split()
    assert readers and set(readers) == {str(os.getpid())}


@needs_two_cores
def test_the_forked_part_gives_files_with_nothing_to_report_the_engines_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept files in which nothing can be reported (a type named for the W&B integration)
    get their results without the engine in the forked process; a kept file with an unused
    `noqa` (WB902) or one that does not compile (WB901) still gets the engine's."""
    write_tree(tmp_path, 0, plain=12)
    (tmp_path / "z_types.py").write_text('class WandbIntegration:\n    type: str = "wandb"\n')
    (tmp_path / "z_unused.py").write_text("import wandb  # noqa: WB301\n")
    (tmp_path / "z_zbroken.py").write_text("# wandb\nbreak\n")
    serial = outcome(tmp_path, jobs=1)
    codes = {name: found for name, found, _, _ in serial}
    assert codes["z_unused.py"] == ("WB902",) and codes["z_zbroken.py"] == ("WB901",)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, 12)  # the forked process screens the three kept files
    forked = forked_parts(monkeypatch)
    assert outcome(tmp_path, jobs=2) == serial
    assert guesses(forked) == ["z_types.py", "z_unused.py", "z_zbroken.py"]


def test_one_file_a_folder_is_chosen_and_each_file_without_a_suffix() -> None:
    """`_one_a_folder` keeps the first file of each folder (as `os.path.split` cuts it) whose
    name has a suffix, and every file whose name has none."""
    names = ["a.py", "b.py", "a/b.py", "a/c.py", "a/.py", "a/b", "a/b.", "a/..py", "c/.hidden"]
    names += ["c/d.e/f", "c/d.e/g.py", "c/d.e/h.py", "/abs/x.py", "/abs/y.py", "z", "d/x.tar.gz"]
    seen: set[str] = set()
    expected = []
    for name in names:
        folder, base = os.path.split(name)
        if 0 < base.rfind(".") < len(base) - 1:
            if folder in seen:
                continue
            seen.add(folder)
        expected.append(name)
    chosen = [path.as_posix() for path in api._one_a_folder([Path(name) for name in names])]
    assert chosen == expected
    assert "a/b" in chosen and "a/.py" in chosen and "c/d.e/h.py" not in chosen


@needs_two_cores
def test_a_walked_tree_has_its_settings_read_here_before_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same project given as its folder: the walk read each folder's settings, which
    the run takes as they are (no file a folder is looked up again), so the forked process
    reads none and the outcome is the same as in one process."""
    project = tmp_path / "project"
    project.mkdir()
    files = write_configured_project(project)
    serial, warnings = configured_outcome(files, jobs=1)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    meet_at(monkeypatch, len(files) - 4)  # the forked process screens odd/ and sub/
    forked = forked_parts(monkeypatch)
    chosen = taken_from_one_a_folder(monkeypatch)
    log = tmp_path / "read_by"
    settings_read_by(log, monkeypatch)
    run = api.check_paths([project], Overrides(), Mode(), jobs=2)
    found = [
        (result.path.relative_to(project).as_posix(), [f.code for f in result.findings])
        for result in run.files
    ]
    assert sorted(found) == sorted(serial) and run.notes == warnings
    assert len(forked) == 1 and forked[0] is not None and len(forked[0]) == 4
    assert chosen == []  # the walk's settings were taken
    readers = log.read_text().split()
    assert readers and set(readers) == {str(os.getpid())}


@needs_two_cores
def test_a_walked_tree_with_a_broken_configuration_is_screened_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walked folder whose configuration file is broken: no fork, as for files given one
    by one; its file reports the error, the others are checked."""
    write_tree(tmp_path, 0, plain=12)
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "pyproject.toml").write_text('[tool.lint-wb]\nselect = "WB1"\n')
    (tmp_path / "zz" / "x.py").write_text(PLAIN)
    monkeypatch.setattr(api, "SPLIT_SCREENING", 4)
    forked = forked_parts(monkeypatch)
    run = api.check_paths([tmp_path], Overrides(), Mode(), jobs=2)
    assert forked == []
    errors = [(r.path.name, r.config_error) for r in run.files if r.error is not None]
    assert errors == [("x.py", True)]
    assert len(run.files) == 13


def taken_from_one_a_folder(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files `_one_a_folder` chose in the run (none when it was not asked)."""
    chosen: list[Path] = []
    one_a_folder = api._one_a_folder

    def noting(files: Any) -> list[Path]:
        chosen.extend(one_a_folder(files))
        return chosen

    monkeypatch.setattr(api, "_one_a_folder", noting)
    return chosen
