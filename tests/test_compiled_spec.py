"""The compiled spec (spec/compiled.py): a run loads one file instead of parsing the TOML, and
never a compiled file made from other data files, another models file or other code."""

from __future__ import annotations

import builtins
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lint_wb.files import known
from lint_wb.spec import compiled, load_spec
from lint_wb.spec.compiled import compiled_spec, prune_compiled, source_key
from tests.conftest import TEST_SNAPSHOT


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Compiled specs kept under tmp_path (conftest turns the store off for the rest)."""
    monkeypatch.setattr(compiled, "STORE", True)
    return tmp_path / "compiled"


def a_models_file(tmp_path: Path) -> Path:
    models = tmp_path / "team.toml"
    shutil.copyfile(TEST_SNAPSHOT, models)
    return models


def test_a_compiled_spec_is_the_spec_its_files_give(store: Path, tmp_path: Path) -> None:
    models = a_models_file(tmp_path)
    made = compiled_spec(models, store)
    again = compiled_spec(models, store)  # read back from its file
    assert list(store.rglob("*.pickle"))
    assert again.spec() == made.spec() == load_spec(models)
    assert again.key == made.key
    assert again.screening == made.screening
    assert "api.inference.wandb.ai" in made.screening.wandb_hosts
    assert {"litellm", "groq"} <= set(made.screening.client_modules)


def test_the_second_run_does_not_compile(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = a_models_file(tmp_path)
    compiled_spec(models, store)

    def no_compiling(models_file: Path | None) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiled, "_compile", no_compiling)
    assert compiled_spec(models, store).spec() == load_spec(models)


def shrink_a_context_window(models: Path) -> None:
    """Kimi-K2.7-Code's context window (the first in the file) from 262144 to 100000: the
    same size, and the modification time put back, so only the bytes tell the edit."""
    text = models.read_text(encoding="utf-8")
    assert text.index("context_window = 262144") > text.index("Kimi-K2.7-Code")
    stat = models.stat()
    models.write_text(text.replace("context_window = 262144", "context_window = 100000", 1))
    os.utime(models, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert models.stat().st_size == stat.st_size


def test_an_edited_models_file_is_compiled_again(store: Path, tmp_path: Path) -> None:
    models = a_models_file(tmp_path)
    before = compiled_spec(models, store)
    shrink_a_context_window(models)
    after = compiled_spec(models, store)
    assert after.key != before.key
    assert after.spec() == load_spec(models)
    assert after.spec() != before.spec()


def test_the_name_covers_the_package_code_data_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "spec"
    shutil.copytree(compiled.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    first = source_key(None, package)
    data = package / "api.toml"
    data.write_text(data.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    edited_data = source_key(None, package)
    loader = package / "models_loader.py"
    loader.write_text(loader.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    edited_code = source_key(None, package)
    monkeypatch.setattr(compiled, "__version__", "99.0")
    new_version = source_key(None, package)
    assert len({first, edited_data, edited_code, new_version}) == 4


def test_the_name_covers_the_models_file_path(tmp_path: Path) -> None:
    one = a_models_file(tmp_path)
    other = tmp_path / "other.toml"
    shutil.copyfile(one, other)
    assert source_key(one) != source_key(other) != source_key(None)


def test_a_broken_compiled_file_is_compiled_again(store: Path, tmp_path: Path) -> None:
    models = a_models_file(tmp_path)
    compiled_spec(models, store)
    (written,) = store.rglob("*.pickle")
    written.write_bytes(b"not a pickle")
    assert compiled_spec(models, store).spec() == load_spec(models)
    written.write_bytes(pickle.dumps((compiled.FORMAT + 1, "key", (), b"")))
    assert compiled_spec(models, store).spec() == load_spec(models)


def test_old_compiled_specs_are_pruned(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    folder = compiled.compiled_folder()
    assert folder is not None
    compiled_spec(a_models_file(tmp_path), folder)
    (written,) = folder.rglob("*.pickle")
    os.utime(written, (0, 0))
    prune_compiled()
    assert not written.exists()


CODE = """from openai import OpenAI

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="x")
client.chat.completions.create(
    model="moonshotai/Kimi-K2.7-Code",
    messages=[{"role": "user", "content": "hi"}],
    max_tokens=150000,
)
"""


def run_lint_wb(project: Path, cache: Path) -> str:
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "lint_wb", "--output-format", "concise", "--no-cache", "."]
    run = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    return run.stdout


def test_a_run_sees_an_edit_of_its_models_file(tmp_path: Path) -> None:
    """End to end, in fresh processes that keep compiled specs: the second run reads the
    compiled spec of the first; the third, after an edit of the models file that keeps its
    size and modification time, must not."""
    project = tmp_path / "project"
    project.mkdir()
    models = a_models_file(project)
    (project / "lint-wb.toml").write_text('models-file = "team.toml"\n', encoding="utf-8")
    (project / "app.py").write_text(CODE, encoding="utf-8")
    cache = tmp_path / "cache"
    first = run_lint_wb(project, cache)
    assert "WB303" not in first
    assert run_lint_wb(project, cache) == first
    assert list((cache / "spec").rglob("*.pickle"))
    shrink_a_context_window(models)
    assert "WB303" in run_lint_wb(project, cache)


def test_a_compiled_spec_keeps_the_library_table_its_file_gives(
    store: Path, tmp_path: Path
) -> None:
    from lint_wb.spec.loader import bundled_libraries as parsed

    models = a_models_file(tmp_path)
    compiled_spec(models, store)
    again = compiled_spec(models, store)  # read back from its file
    assert isinstance(again._libraries, bytes)
    assert pickle.loads(again._libraries) == parsed()


MODULES_PROBE = """
import atexit, runpy, sys
atexit.register(lambda: sys.stderr.write(" ".join(sorted(sys.modules))))
sys.argv = ["lint-wb", *sys.argv[1:]]
runpy.run_module("lint_wb", run_name="__main__")
"""
"""The modules a run loaded, written as it leaves (it runs the atexit functions)."""


def test_a_run_that_reads_a_compiled_spec_parses_no_toml(tmp_path: Path) -> None:
    """The analysis reads the call-site table beside the spec: kept in the compiled file,
    so a run (and each worker) that analyses W&B code loads no TOML parser once a run has
    compiled the spec; the first run parses the data files."""
    assert_the_second_run_parses_no_toml(tmp_path, files=1, jobs=1)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a run starts workers on 2 cores or more")
def test_a_parallel_run_that_reads_a_compiled_spec_parses_no_toml(tmp_path: Path) -> None:
    """With workers, the main process reads the call-site table while it screens, before
    any spec is asked for (the summaries it sends ahead: `build.EarlyJobs`): the table kept
    in the compiled file it screened with, not libraries.toml parsed before the fork."""
    assert_the_second_run_parses_no_toml(tmp_path, files=40, jobs=2)


def assert_the_second_run_parses_no_toml(tmp_path: Path, *, files: int, jobs: int) -> None:
    project = tmp_path / "project"
    project.mkdir()
    code = CODE.replace("max_tokens=150000", "temperature=5")  # WB301 in any snapshot
    for number in range(files):
        (project / f"app{number}.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(tmp_path / "cache")}
    options = ["--no-cache", "--isolated", "--jobs", str(jobs), "."]
    command = [sys.executable, "-c", MODULES_PROBE, *options]
    runs = [
        subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    first, second = (set(run.stderr.split()) for run in runs)
    assert runs[0].stdout == runs[1].stdout and "WB301" in runs[1].stdout  # it analysed
    assert "tomllib" in first or "tomli" in first  # the first run compiled the spec
    assert not {"tomllib", "tomli", "lint_wb.spec.loader"} & second


def test_strings_are_made_once_and_again_when_their_code_changes(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`compiled_strings`: kept under a hash of the code files too (an edit of `partial.py`
    must change the vocabulary a run reads); a broken or foreign file is made again."""
    monkeypatch.setattr(compiled, "compiled_folder", lambda: store)
    code = tmp_path / "words.py"
    code.write_text("WORDS = ('a',)\n")
    made: list[int] = []

    def make() -> tuple[tuple[str, ...], ...]:
        made.append(1)
        return (("a", "b"), ("c",))

    def strings() -> tuple[tuple[str, ...], ...]:
        return compiled.compiled_strings("words", make, [str(code)], parts=2)

    assert strings() == strings() == (("a", "b"), ("c",))
    assert len(made) == 1
    code.write_text("WORDS = ('b',)\n")
    assert strings() == (("a", "b"), ("c",))
    assert len(made) == 2
    assert compiled.compiled_strings("other", make, [str(code)], parts=2) and len(made) == 3
    for foreign in (b"not a pickle", pickle.dumps((("a",),)), pickle.dumps((("a",), (1,)))):
        for written in store.rglob("*.pickle"):
            written.write_bytes(foreign)
        assert strings() == (("a", "b"), ("c",))
    assert len(made) == 6


def test_the_vocabulary_kept_is_the_vocabulary_made(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run reads the vocabulary from its kept file (not made again), and it is the one the
    spec data and the SDK's names give."""
    from lint_wb import partial

    monkeypatch.setattr(compiled, "compiled_folder", lambda: store)
    fragments, words = partial._vocabulary_strings()
    partial.vocabulary.cache_clear()
    try:
        made = partial.vocabulary()
        partial.vocabulary.cache_clear()
        monkeypatch.setattr(partial, "_vocabulary_strings", lambda: (("x",), ("y",)))
        kept = partial.vocabulary()
    finally:
        partial.vocabulary.cache_clear()
    assert kept.fragments == made.fragments == fragments
    assert kept.words == made.words == frozenset(words)
    assert "wandb" in fragments and "OpenAI" in words


def test_the_name_reads_no_file_of_an_unchanged_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package's files are known by their stat once hashed (`cache.package_fingerprint`):
    every run needs the name, and reading the spec's code and data (a fifth of a megabyte)
    each time cost a warm run more than its own files did."""
    monkeypatch.setattr(known, "RACY_NS", 0)  # the copy just written counts as old enough
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    package = tmp_path / "spec"
    shutil.copytree(compiled.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    first = source_key(None, package)
    opened: list[str] = []
    for module, name in ((builtins, "open"), (os, "open")):
        original = getattr(module, name)

        def noting(path: object, *args: object, _original: Any = original, **kwargs: object) -> Any:
            opened.append(os.fspath(path))  # type: ignore[arg-type]
            return _original(path, *args, **kwargs)

        monkeypatch.setattr(module, name, noting)
    assert source_key(None, package) == first
    assert not [path for path in opened if path.startswith(str(package))]
