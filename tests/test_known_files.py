"""The warm path: a file whose stat did not change is known without being read
(`files/known.py`); any change to a file, even one that puts its modification time back,
makes the next run read and lint it again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_wb import api
from lint_wb.cli.main import main
from lint_wb.files import known
from lint_wb.files.known import KnownFiles, stat_key
from lint_wb.project import build
from tests.cli_runner import make_runner

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
WANDB = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
    "client.chat.completions.create(model='openai/gpt-oss-120b', temperature=3,\n"
    "    messages=[{'role': 'user', 'content': 'hi'}])\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project (two W&B modules and plain ones) with its own cache; files written by the
    test count as old enough to be trusted (`RACY_NS` is tested on its own)."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)
    root = tmp_path / "project"
    shutil.copytree(PROJECTS / "llm_factory", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    (root / "direct.py").write_text(WANDB)
    for number in range(5):
        (root / f"plain{number}.py").write_text(f"VALUE = {number}\n")
    return root


def note_reads(monkeypatch: pytest.MonkeyPatch, note: Callable[[Path], None]) -> None:
    """Give `note` every file the run reads (the main process's reads, the index's, the
    lint's)."""
    for module in (api, build):
        original = module.read_raw

        def counting(path: Path, original: object = original) -> object:
            note(Path(path))
            return original(path)  # type: ignore[operator]

        monkeypatch.setattr(module, "read_raw", counting)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the run reads."""
    done: list[Path] = []
    note_reads(monkeypatch, done.append)
    return done


def lint(root: Path) -> list[tuple[str, int, str]]:
    result = make_runner().invoke(main, ["--output-format", "json", "--jobs", "1", str(root)])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return [(Path(r["filename"]).name, r["location"]["row"], r["code"]) for r in rows]


def test_a_warm_run_reads_no_file(tree: Path, reads: list[Path]) -> None:
    first = lint(tree)
    assert reads
    reads.clear()
    assert lint(tree) == first
    assert reads == []
    assert ("direct.py", 4, "WB301") in first and ("llm_client.py", 8, "WB502") in first


def test_a_warm_run_stats_each_file_once(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The screening, the index's key and the result cache take the one stat of a file a
    run makes; a warm run stats each file once, whether it is named or found by the walk."""
    first = lint(tree)
    stats: Counter[str] = Counter()
    original = known.stat_key

    def counted(path: Path) -> object:
        stats[os.path.abspath(path)] += 1
        return original(path)

    monkeypatch.setattr(known, "stat_key", counted)
    assert lint(tree) == first
    assert len(stats) == len(list(tree.rglob("*.py"))) and set(stats.values()) == {1}
    stats.clear()
    make_runner().invoke(main, ["--jobs", "1", str(tree / "direct.py"), str(tree / "predictor.py")])
    assert len(stats) == len(list(tree.rglob("*.py"))) and set(stats.values()) == {1}


def test_a_warm_run_unpickles_no_entry_of_the_kept_index(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index kept in the table stays pickled when every finding comes from the result
    cache: its entries hold the analysis's values, which such a run never imports. An edit
    of a module the index reads makes the next run build the index again."""
    first = lint(tree)
    unpickled: list[int] = []
    original = known.PickledModules._unpickled

    def counted(self: known.PickledModules) -> object:
        unpickled.append(1)
        return original(self)

    monkeypatch.setattr(known.PickledModules, "_unpickled", counted)
    assert lint(tree) == first
    assert unpickled == []
    client = tree / "llm_client.py"
    change_keeping_times(client, 'DeepSeek-R1-0528"  #', 'DeepSeek-V3.1"     #')
    assert ("llm_client.py", 8, "WB502") not in lint(tree)


def test_a_kept_index_is_the_index_it_was_made_from(tree: Path) -> None:
    from lint_wb.project.index import ProjectIndex

    lint(tree)
    table = KnownFiles([tree], tree.parent / "cache" / "results" / "files")
    ((modules, projects),) = table._indexes.values()
    assert projects == ()  # one project: its index alone
    kept = ProjectIndex(modules)
    built = ProjectIndex(dict(modules.items()))
    assert kept and kept == built
    for name in ("llm_client.py", "app.py", "direct.py", "plain0.py"):
        path = tree / name
        assert kept.fingerprint_for(path) == built.fingerprint_for(path)
    assert kept.fingerprint_for(tree / "llm_client.py")
    assert ProjectIndex(dict(kept.modules)) == kept  # as sent to a worker


def change_keeping_times(path: Path, old: str, new: str) -> None:
    """Edit `path` in place, then put its access and modification times back."""
    before = os.stat(path)
    text = path.read_text()
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_edit_that_keeps_size_and_mtime_is_seen(tree: Path, reads: list[Path]) -> None:
    """ruff's cache, which trusts the modification time, would report the old findings."""
    assert ("direct.py", 4, "WB301") in lint(tree)
    change_keeping_times(tree / "direct.py", "temperature=3", "temperature=1")
    reads.clear()
    assert ("direct.py", 4, "WB301") not in lint(tree)
    assert tree / "direct.py" in reads


def test_an_edit_of_another_module_is_seen_through_the_index(tree: Path) -> None:
    assert ("llm_client.py", 8, "WB502") in lint(tree)
    client = tree / "llm_client.py"
    change_keeping_times(client, 'DeepSeek-R1-0528"  #', 'DeepSeek-V3.1"     #')
    assert not [row for row in lint(tree) if row[0] == "llm_client.py" and row[2] == "WB502"]


def test_an_edit_that_changes_only_what_the_index_tells_another_file_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's key holds every project file's bytes: chat.py, unchanged, loses its
    finding once settings.py no longer makes its client a W&B one (a key that missed the
    edit would give chat.py's cached findings under the kept index)."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)
    root = tmp_path / "project"
    shutil.copytree(PROJECTS / "settings_url", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    assert ("chat.py", 9, "WB201") in lint(root)
    assert ("chat.py", 9, "WB201") in lint(root)  # warm: the index is the kept one
    settings = root / "settings.py"
    settings.write_text(settings.read_text().replace("api.wandb.ai", "api.openai.com"))
    assert [row for row in lint(root) if row[0] == "chat.py"] == []


def test_a_size_change_is_seen(tree: Path) -> None:
    assert ("direct.py", 4, "WB301") in lint(tree)
    path = tree / "direct.py"
    path.write_text(path.read_text().replace("temperature=3", "temperature=0.5"))
    assert ("direct.py", 4, "WB301") not in lint(tree)


def test_a_touch_with_the_same_times_reads_the_file_again(tree: Path, reads: list[Path]) -> None:
    first = lint(tree)
    path = tree / "plain0.py"
    before = os.stat(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # moves only the ctime
    reads.clear()
    assert lint(tree) == first
    assert tree / "plain0.py" in reads


def test_a_file_changed_just_before_it_was_read_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "fresh.py"
    path.write_text("x = 1\n")
    table = KnownFiles([tmp_path], tmp_path / "cache")
    assert table.record(path, stat_key(path), path.read_bytes()) is None  # just written
    assert table.get(path, stat_key(path)) is None


def test_a_file_that_changes_while_it_is_read_is_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known, "RACY_NS", 0)
    path = tmp_path / "moving.py"
    path.write_text("x = 1\n")
    before = stat_key(path)
    data = path.read_bytes()
    path.write_text("x = 22\n")
    table = KnownFiles([tmp_path], tmp_path / "cache")
    assert table.record(path, before, data) is None
    assert table.record(path, stat_key(path), path.read_bytes()) is not None


def test_the_table_survives_the_run_and_a_broken_one_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known, "RACY_NS", 0)
    path = tmp_path / "m.py"
    path.write_text("x = 1\n")
    table = KnownFiles([tmp_path], tmp_path / "cache")
    recorded = table.record(path, stat_key(path), path.read_bytes())
    assert recorded is not None
    table.save()
    again = KnownFiles([tmp_path], tmp_path / "cache")
    assert again.get(path, stat_key(path)) == recorded
    assert again.path is not None
    again.path.write_bytes(b"not a pickle")
    assert KnownFiles([tmp_path], tmp_path / "cache").get(path, stat_key(path)) is None


def test_a_table_of_other_lint_wb_code_keeps_what_files_held_not_its_prefilters_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lint-wb upgrade whose prefilter keeps more (a new signal with the same settings) must
    not take the old prefilter's "skip" for a file: the plan would leave a W&B module out."""
    monkeypatch.setattr(known, "RACY_NS", 0)
    path = tmp_path / "plain.py"
    path.write_text("x = 1\n")
    table = KnownFiles([tmp_path], tmp_path / "cache", code="old")
    recorded = table.record(path, stat_key(path), path.read_bytes())
    assert recorded is not None
    table.note_verdict(recorded, "prefilter", False)
    table.save()
    assert KnownFiles([tmp_path], tmp_path / "cache", code="old").skipped_by(path, "prefilter")
    upgraded = KnownFiles([tmp_path], tmp_path / "cache", code="new")
    kept = upgraded.get(path, stat_key(path))
    assert kept is not None and kept.digest == recorded.digest
    assert kept.verdicts == {}
    assert upgraded.skipped_by(path, "prefilter") is None


@pytest.mark.parametrize(
    "name",
    ["a.py", ".py", "x/.py", "x/..py", "a.ipynb", "x/.ipynb", "a.pyi", "a.py.bak", "a.PY",
     "pkg.py/x", "a.", "", "/abs/b.py", "py", "x/a.b.py", "..ipynb"],
)  # fmt: skip
def test_the_index_reads_the_files_pathlib_gives_its_suffixes(name: str) -> None:
    """The index's key picks its files by name, as `Path.suffix` would, without the Path."""
    assert api._indexed(name) == (Path(name).suffix in (".py", ".ipynb"))


def test_a_run_loads_the_table_without_a_collection_and_leaves_it_unscanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table is data for the whole run: loading it within a run neither starts the cycle
    collector (whose young collection there scanned every object made since the process
    started) nor leaves its objects for later collections to scan again (they are frozen,
    and given back to the collector when the run ends: `collector.for_a_run`)."""
    import gc

    from lint_wb.collector import for_a_run

    monkeypatch.setattr(known, "RACY_NS", 0)
    table = KnownFiles([tmp_path], tmp_path / "cache")
    path = tmp_path / "m.py"
    path.write_text("x = 1\n")
    recorded = table.record(path, stat_key(path), path.read_bytes())
    assert recorded is not None
    for number in range(10_000):  # more objects than a young collection waits for in a run
        table._files[f"{tmp_path}/{number}.py"] = (recorded.stat, recorded.digest, {})
    table.save()
    collections: list[int] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(noted)
    try:
        with for_a_run():
            again = KnownFiles([tmp_path], tmp_path / "cache")
            frozen = gc.get_freeze_count()
            assert len(again._files) == 10_001
    finally:
        gc.callbacks.remove(noted)
    assert collections == []
    assert frozen > 10_000 * 3
    assert gc.get_freeze_count() == 0  # given back as the run ends


def lint_named(root: Path, *names: str, cache: bool = True) -> list[tuple[str, int, str]]:
    """A pre-commit hook's run: `names` of the project at `root`, from its folder."""
    args = ["--output-format", "json", "--jobs", "1", *(str(root / name) for name in names)]
    result = make_runner().invoke(main, args if cache else [*args, "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    return [
        (Path(r["filename"]).name, r["location"]["row"], r["code"])
        for r in json.loads(result.stdout)
    ]


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file whose record a run looks up to make the index's key (`KnownFiles.lookup`)."""
    done: list[str] = []
    original = KnownFiles.lookup

    def counting(table: KnownFiles, path: Path | str) -> object:
        done.append(os.fspath(path))
        return original(table, path)

    monkeypatch.setattr(KnownFiles, "lookup", counting)
    return done


def settings_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, git: bool) -> Path:
    """fixtures/projects/settings_url (chat.py's WB201 comes through the index: its client is
    made in llm.py with settings.py's URL), in a git checkout or a plain folder."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)
    root = tmp_path / "project"
    shutil.copytree(PROJECTS / "settings_url", root, ignore=shutil.ignore_patterns("*.fixed.py"))
    if git:
        if shutil.which("git") is None:
            pytest.skip("no git")
        identity = ["-c", "user.email=dev@example.com", "-c", "user.name=Dev"]
        for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "files"]):
            subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    monkeypatch.chdir(root)
    return root


CHAT_WB201 = ("chat.py", 9, "WB201")


def test_a_warm_run_makes_the_index_key_without_looking_up_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lookups: list[str]
) -> None:
    """The cold run leaves what its index key was made from (`KeyWitness`); the next run,
    every file's stat and every folder's settings unchanged, takes that key without looking
    up any file's record, and reports what the cold run did."""
    root = settings_url(tmp_path, monkeypatch, git=False)
    first = lint_named(root, "chat.py")
    assert CHAT_WB201 in first
    assert sorted(Path(path).name for path in lookups) == ["chat.py", "llm.py", "settings.py"]
    lookups.clear()
    assert lint_named(root, "chat.py") == first
    assert lookups == []


def untouched(root: Path) -> None:
    pass


def settings_url_changed_keeping_size_and_times(root: Path) -> None:
    change_keeping_times(root / "settings.py", "api.wandb.ai", "api.other.ai")


def llm_deleted(root: Path) -> None:
    (root / "llm.py").unlink()


def a_new_settings_module(root: Path) -> None:
    """chat.py's model comes from a module that was not there (an untracked file in git)."""
    (root / "chat.py").write_text((root / "chat.py").read_text().replace("settings", "config"))
    lint_named(root, "chat.py")
    lint_named(root, "chat.py")  # the key's witness is made for the files without config.py
    (root / "config.py").write_text((root / "settings.py").read_text())


def the_project_settings_changed(root: Path) -> None:
    """lint-wb.toml now says the URL settings.py names (edited, size and times kept) is W&B."""
    change_keeping_times(root / "settings.py", "api.wandb.ai", "api.other.ai")
    lint_named(root, "chat.py")
    lint_named(root, "chat.py")  # the key's witness is made with the URL not W&B
    with (root / "lint-wb.toml").open("a") as config:
        config.write('extra-base-urls = ["https://api.other.ai/v1"]\n')


@pytest.mark.parametrize("git", [False, True], ids=["plain-folder", "git-checkout"])
@pytest.mark.parametrize(
    ("edit", "found"),
    [
        (untouched, True),
        (settings_url_changed_keeping_size_and_times, False),
        (llm_deleted, False),
        (a_new_settings_module, True),
        (the_project_settings_changed, True),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_an_edit_anywhere_in_the_project_is_seen_by_the_next_warm_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    git: bool,
    edit: Callable[[Path], None],
    found: bool,
) -> None:
    """A hook names chat.py alone; an edit elsewhere that changes what the index tells it is
    seen by the next run, after a warm run made the index's key from its witness: the run
    reports what a run without any cache reports."""
    root = settings_url(tmp_path, monkeypatch, git=git)
    lint_named(root, "chat.py")
    assert CHAT_WB201 in lint_named(root, "chat.py")  # warm: the key from its witness
    edit(root)
    after = lint_named(root, "chat.py")
    assert (CHAT_WB201 in after) is found
    assert after == lint_named(root, "chat.py", cache=False)


def test_a_files_stat_is_taken_once_a_run_however_it_is_asked(tmp_path: Path) -> None:
    """`stat`, `stat_each` (the kept walk's files, while git answers) and `stats` (the index
    key's witness) share one stat of each file a run: a file that changes later in the run is
    seen by the next run, as every other step of this run saw it."""
    first, second, gone = (str(tmp_path / name) for name in ("a.py", "b.py", "gone.py"))
    Path(first).write_text("A = 1\n")
    Path(second).write_text("B = 2\n")
    table = KnownFiles([tmp_path], None)
    taken = table.stat(first)
    Path(first).write_text("A = 'a longer value'\n")  # its size changes
    table.stat_each([first, second])
    assert table.stat(first) == taken
    second_taken = stat_key(second)
    assert table.stats([second, first, gone]) == (second_taken, taken, None)
    Path(second).write_text("B = 'a longer value'\n")
    assert table.stats([first, second]) == (taken, second_taken) != (taken, stat_key(second))


def test_files_digest_tells_the_folder_from_the_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/…/a` with `bc.py` and `/…/ab` with `c.py` spell the same characters in a row; they
    are other files, so their digests differ."""
    (tmp_path / "a").mkdir()
    (tmp_path / "ab").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    first = known.files_digest(["bc.py"])
    monkeypatch.chdir(tmp_path / "ab")
    assert known.files_digest(["c.py"]) != first
    assert known.files_digest(["c.py"]) == known.files_digest(["c.py"])


def lint_here(*paths: str) -> list[tuple[str, int, str]]:
    """A run from the current folder, naming `paths` as a user types them."""
    result = make_runner().invoke(main, ["--output-format", "json", "--jobs", "1", *paths])
    assert result.exit_code in (0, 1), result.output
    return [
        (Path(r["filename"]).name, r["location"]["row"], r["code"])
        for r in json.loads(result.stdout)
    ]


@pytest.mark.parametrize("first", ["sub", "root"])
def test_a_kept_index_serves_a_run_that_spells_the_project_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """`lint-wb ..` from a subfolder and `lint-wb .` from the root find one kept index (its
    key folds `..`); what it tells each file is found by either spelling, so the second run
    reports what the first did (it reported nothing through the index before)."""
    root = settings_url(tmp_path, monkeypatch, git=False)
    (root / "sub").mkdir()
    runs = [(root / "sub", ".."), (root, ".")]
    if first == "root":
        runs.reverse()
    found = []
    for folder, named in runs:
        monkeypatch.chdir(folder)
        found.append(lint_here(named))
    assert CHAT_WB201 in found[0]
    assert found[1] == found[0]
