"""A failure of lint-wb's project index is contained like a file's (WB900): the run goes on
without cross-module values, each file checked on its own; one line on stderr says why; the
exit code is 2. The index is broken on purpose, in a real `lint-wb` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BREAK_AND_RUN = """
import importlib, sys
where, attribute = sys.argv[1].split(":")
owner = importlib.import_module(where)
*path, name = attribute.split(".")
for part in path:
    owner = getattr(owner, part)
def broken(*args, **kwargs):
    raise RuntimeError("simulated bug in the index")
setattr(owner, name, broken)
from lint_wb.cli.main import main
main(args=sys.argv[2:], prog_name="lint-wb")
"""

SETTINGS = 'MODEL = "deepseek-ai/DeepSeek-R1-0528"\n'
CALLER = (
    "from openai import OpenAI\n"
    "from settings import MODEL\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
    "client.chat.completions.create(model=MODEL, temperature=3,\n"
    '    messages=[{"role": "user", "content": "hi"}])\n'
)
SUMMARISER = "lint_wb.project.summarize:summarize"
RESOLVER = "lint_wb.project.resolve:Resolver.values"


def _project(root: Path, callers: int) -> None:
    (root / "lint-wb.toml").write_text("", encoding="utf-8")
    (root / "settings.py").write_text(SETTINGS, encoding="utf-8")
    for number in range(callers):
        (root / f"caller_{number}.py").write_text(CALLER, encoding="utf-8")


def _run(root: Path, jobs: int, broken: str | None) -> subprocess.CompletedProcess[str]:
    args = [str(root), "--no-cache", "--jobs", str(jobs), "--output-format", "json"]
    if broken is None:
        command = [sys.executable, "-c", "from lint_wb.cli.main import main; main()", *args]
    else:
        command = [sys.executable, "-c", BREAK_AND_RUN, broken, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def _codes(run: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return sorted((Path(row["filename"]).name, row["code"]) for row in json.loads(run.stdout))


@pytest.mark.parametrize(
    ("broken", "jobs", "callers"),
    [
        (SUMMARISER, 1, 2),  # summarised in this process
        (RESOLVER, 1, 2),
        (SUMMARISER, 2, 40),  # summarised in the workers
    ],
)
def test_a_broken_index_leaves_each_file_checked_on_its_own(
    tmp_path: Path, broken: str, jobs: int, callers: int
) -> None:
    _project(tmp_path, callers)
    healthy = _run(tmp_path, jobs, None)
    assert healthy.returncode == 1, healthy.stderr
    assert any(name == "settings.py" for name, _ in _codes(healthy)), (
        "the healthy run follows the model into settings.py"
    )

    run = _run(tmp_path, jobs, broken)
    assert "Traceback" not in run.stderr
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "could not build the project index" in lines[0]
    assert "RuntimeError: simulated bug in the index" in lines[0]
    assert "report" in lines[0]
    found = _codes(run)
    on_their_own = sorted((f"caller_{n}.py", "WB301") for n in range(callers))
    assert found == on_their_own


FACTORY = (
    'from openai import OpenAI\nclient = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
)
USER = (
    "from factory import client\n"
    'client.chat.completions.create(model="meta-llama/Llama-3.1-8B-Instruct", temperature=3,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


@pytest.mark.parametrize("asked", ["user.py", "."])
def test_a_file_name_that_is_not_utf8_breaks_neither_the_index_nor_the_warm_run(
    tmp_path: Path, asked: str
) -> None:
    """A name Python can only hold with surrogates (a byte that is not UTF-8) is hashed into
    the index key and the cache keys like any other name: the request still reaches the
    client made in another module (only the index knows it is W&B's), cold and warm, with
    nothing on stderr."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "lint-wb.toml").write_text("", encoding="utf-8")
    (project / "factory.py").write_text(FACTORY, encoding="utf-8")
    (project / "user.py").write_text(USER, encoding="utf-8")
    with open(os.path.join(os.fsencode(project), b"\xff.py"), "wb") as named:
        named.write(b"x = 1\n")
    command = [sys.executable, "-c", "from lint_wb.cli.main import main; main()"]
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(tmp_path / "cache")}
    for _ in ("cold", "warm"):
        run = subprocess.run(
            [*command, asked, "--output-format", "json"],
            capture_output=True,
            text=True,
            env=env,
            cwd=project,
            timeout=600,
            check=False,
        )
        assert run.stderr == ""
        assert run.returncode == 1
        assert _codes(run) == [("user.py", "WB301")]


def test_a_module_key_holding_a_path_that_is_not_utf8_has_a_summary_key(tmp_path: Path) -> None:
    """A script's or a notebook's module key holds its path (`main[<path>]`), and a path may
    hold a byte that is not UTF-8, which Python reads as a surrogate: the summary's cache key
    is still made (it raised UnicodeEncodeError, and the whole index was lost), and differs
    from the key of a path that differs in that byte."""
    from lint_wb.project.store import SummaryStore

    store = SummaryStore({}, {}, folder=tmp_path)
    keys = {store.key(f"main[/p/b{byte}/main.py]", b"x = 1\n") for byte in ("\udce9", "\udce8")}
    assert len(keys) == 2


def test_a_store_without_a_cache_folder_makes_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a summary cache (`--no-cache`) no entry is read or written, so no key is made:
    each hashed the module's bytes and lint-wb's code, in the main process of a parallel run
    while its workers waited (summary jobs, summaries taken in)."""
    from lint_wb.analysis.fact_sources import FirstLook
    from lint_wb.project import store as summary_store

    def no_key() -> str:
        raise AssertionError("a cache key was made")

    monkeypatch.setattr(summary_store, "code_fingerprint", no_key)
    store = summary_store.SummaryStore(
        {"app": Path("app.py")}, {"app": ""}, {"app": b"x = 1\n"}, use_cache=False
    )
    store.looks["app"] = FirstLook(frozenset({"openai"}), "WANDB_API_KEY")
    assert store.cached("app") is None
    assert not store.looked("app")
