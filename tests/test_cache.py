"""The result cache: a hit gives exactly the findings a fresh run gives, and anything that
could change them (bytes, settings, snapshot) is part of the key."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_wb.cache import MAX_AGE_DAYS, ResultCache, code_fingerprint, decode_entry, encode_entry
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.files.atomic import TEMP_SUFFIX
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner

SOURCE = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["K"])\n'
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature="0.5",\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


def run_json(*args: str) -> list[dict[str, object]]:
    result = make_runner().invoke(main, ["--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(SOURCE)
    monkeypatch.chdir(tmp_path / "src")
    return tmp_path


def test_a_cached_run_reports_exactly_what_a_fresh_run_does(project: Path) -> None:
    fresh = run_json("--no-cache", "app.py")
    first = run_json("app.py")
    entries = list((project / "cache" / "results").rglob("*.json"))
    cached = run_json("app.py")
    assert len(entries) == 1
    assert fresh == first == cached
    assert {row["code"] for row in cached} == {"WB101", "WB302"}


def test_changed_bytes_or_settings_miss_the_cache(project: Path) -> None:
    run_json("app.py")
    (project / "src" / "app.py").write_text(SOURCE.replace('"0.5"', "0.5"))
    assert {row["code"] for row in run_json("app.py")} == {"WB101"}
    (project / "src" / "lint-wb.toml").write_text('ignore = ["WB101"]\n')
    assert run_json("app.py") == []


def test_a_corrupt_entry_is_a_miss(project: Path) -> None:
    run_json("app.py")
    for entry in (project / "cache" / "results").rglob("*.json"):
        entry.write_text("{not json")
    assert {row["code"] for row in run_json("app.py")} == {"WB101", "WB302"}


def test_keys_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    options = LintOptions(enabled=frozenset({"WB101", "WB302", "WB301"}))
    cache = ResultCache(tmp_path)
    key = cache.key(b"x", "a.py", options, load_spec(), "")
    reordered = LintOptions(enabled=frozenset({"WB301", "WB101", "WB302"}))
    assert ResultCache(tmp_path).key(b"x", "a.py", reordered, load_spec(), "") == key
    assert cache.key(b"y", "a.py", options, load_spec(), "") != key
    assert cache.key(b"x", "b.py", options, load_spec(), "") != key


def test_keys_are_the_same_in_processes_with_other_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    probe = (
        "from pathlib import Path; from lint_wb.cache import ResultCache;"
        "from lint_wb.rules import ALL_CODES;"
        "from lint_wb.config.settings import LintOptions; from lint_wb.spec import load_spec;"
        "options = LintOptions(enabled=ALL_CODES);"
        "print(ResultCache(Path('c')).key(b'x', 'a.py', options, load_spec(), ''))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1


# --------------------------------------------------------------------------- honesty


def test_a_hit_is_served_from_the_cache_without_running_the_engine(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails when `get` always misses (the other tests would still pass then)."""
    first = run_json("app.py")

    def no_engine(*args: object, **kwargs: object) -> object:
        raise AssertionError("the engine ran on a cached file")

    monkeypatch.setattr("lint_wb.engine.lint_source", no_engine)
    assert run_json("app.py") == first


def test_the_key_covers_lint_wbs_own_code(tmp_path: Path) -> None:
    """An edited rule in an editable install, or another commit with the same version number,
    must not be served the old findings."""
    options = LintOptions(enabled=frozenset({"WB101"}))
    old = ResultCache(tmp_path, code="a").key(b"x", "a.py", options, load_spec(), "")
    new = ResultCache(tmp_path, code="b").key(b"x", "a.py", options, load_spec(), "")
    assert old != new


def test_the_code_fingerprint_changes_with_any_package_file(tmp_path: Path) -> None:
    package = tmp_path / "lint_wb"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "values.py").write_text("MESSAGE = 'old'\n")
    (package / "spec.toml").write_text("a = 1\n")
    before = code_fingerprint.__wrapped__(package)
    (package / "rules" / "values.py").write_text("MESSAGE = 'new'\n")
    assert code_fingerprint.__wrapped__(package) != before
    (package / "rules" / "values.py").write_text("MESSAGE = 'old'\n")
    (package / "spec.toml").write_text("a = 2\n")
    assert code_fingerprint.__wrapped__(package) != before


def test_a_kept_code_fingerprint_stands_while_no_package_file_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run reads no file of lint-wb's own to know its code is the code it was: the
    fingerprint is kept with each file's stat. An edit that keeps size and modification time
    (it moves the change time), a new file and a removed one are each seen."""
    from lint_wb import cache
    from lint_wb.files import known

    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    package = tmp_path / "lint_wb"
    (package / "rules").mkdir(parents=True)
    values = package / "rules" / "values.py"
    values.write_text("MESSAGE = 'old'\n")
    (package / "spec.toml").write_text("a = 1\n")
    kept_at = cache._fingerprint_file(package)
    assert kept_at is not None
    fingerprint = code_fingerprint.__wrapped__(package)
    assert not kept_at.exists()  # files just written do not vouch for their content
    monkeypatch.setattr(known, "RACY_NS", 0)
    assert code_fingerprint.__wrapped__(package) == fingerprint
    names, stats, kept = pickle.loads(kept_at.read_bytes())
    assert kept == fingerprint and names == ("rules/values.py", "spec.toml")
    kept_at.write_bytes(pickle.dumps((names, stats, "kept")))
    assert code_fingerprint.__wrapped__(package) == "kept"  # not read again
    before = os.stat(values)
    values.write_text("MESSAGE = 'new'\n")
    os.utime(values, ns=(before.st_atime_ns, before.st_mtime_ns))
    edited = code_fingerprint.__wrapped__(package)
    assert edited not in ("kept", fingerprint)
    (package / "rules" / "new.json").write_text("{}")
    added = code_fingerprint.__wrapped__(package)
    assert added != edited
    (package / "rules" / "new.json").unlink()
    assert code_fingerprint.__wrapped__(package) == edited


def test_entries_of_other_lint_wb_code_are_not_used(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the key was the version string, shared by every edit of the code."""
    run_json("app.py")
    for entry in (project / "cache" / "results").rglob("*.json"):
        entry.write_bytes(encode_entry((), 0))  # what an older lint-wb might have stored
    with monkeypatch.context() as patched:
        patched.setattr("lint_wb.cache.code_fingerprint", lambda: "the edited code")
        assert {row["code"] for row in run_json("app.py")} == {"WB101", "WB302"}
    assert run_json("app.py") == []  # the unchanged code does read those entries


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row.__setitem__(0, "WB999"),  # a code no rule has (any more)
        lambda row: row.__setitem__(3, "4"),  # a row that is not a number
        lambda row: row.__setitem__(9, ["msg", "maybe", []]),  # no such applicability
        lambda row: row.pop(),  # a field short
    ],
)
def test_a_malformed_entry_is_a_miss_even_for_statistics(
    project: Path, damage: Callable[[list[object]], object]
) -> None:
    """Before: an entry with an unknown code crashed `--statistics` with a KeyError."""
    run_json("app.py")
    for path in (project / "cache" / "results").rglob("*.json"):
        entry = json.loads(path.read_text())
        for row in entry["findings"]:
            damage(row)
        path.write_text(json.dumps(entry))
    result = make_runner().invoke(main, ["--statistics", "app.py"])
    assert result.exit_code == 1, result.output
    assert "WB101" in result.stdout and "WB302" in result.stdout
    assert {row["code"] for row in run_json("app.py")} == {"WB101", "WB302"}


def test_entries_round_trip_exactly() -> None:
    spec_free = LintOptions(enabled=frozenset({"WB101", "WB302"}))
    from lint_wb.engine import lint_source

    findings = lint_source(SOURCE, "app.py", spec_free, load_spec()).findings
    assert findings and any(finding.fix for finding in findings)
    assert decode_entry(encode_entry(findings, 3)) == (findings, 3)
    decoded = decode_entry(encode_entry(findings, 3))
    assert decoded is not None
    assert [f.source_lines for f in decoded[0]] == [f.source_lines for f in findings]


def test_no_cache_writes_nothing(project: Path) -> None:
    run_json("--no-cache", "app.py")
    assert not (project / "cache" / "results").exists()


def test_the_cache_goes_to_workers_with_its_code(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, code="abc")
    copy = pickle.loads(pickle.dumps(cache))
    assert (copy.folder, copy.code) == (tmp_path, "abc")


def _entry(cache: ResultCache, name: str, size: int, age_days: float, now: float) -> Path:
    path = cache.folder / name[:2] / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    return path


def test_prune_drops_old_entries_then_the_oldest_beyond_the_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lint_wb.cache.MAX_BYTES", 250)
    now = time.time()
    cache = ResultCache(tmp_path, code="c")
    stale = _entry(cache, "aa01", 10, MAX_AGE_DAYS + 1, now)
    oldest = _entry(cache, "bb02", 100, 3, now)
    middle = _entry(cache, "cc03", 100, 2, now)
    newest = _entry(cache, "dd04", 100, 1, now)
    cache.prune(now)
    assert not stale.exists() and not oldest.exists()
    assert middle.exists() and newest.exists()


def test_prune_runs_at_most_once_a_day(tmp_path: Path) -> None:
    now = time.time()
    cache = ResultCache(tmp_path, code="c")
    cache.prune(now)
    stale = _entry(cache, "aa01", 10, MAX_AGE_DAYS + 1, now)
    cache.prune(now + 3600)
    assert stale.exists()
    cache.prune(now + 2 * 86400)
    assert not stale.exists()


def test_prune_sweeps_the_temporary_files_of_killed_cache_writes(tmp_path: Path) -> None:
    """Before: a cache write killed mid-way left `.KEY.json.PID.x.lint-wb.tmp` for ever
    (the prune only looked at entries)."""
    cache = ResultCache(tmp_path, code="c")
    entry = _entry(cache, "aa01", 10, 1, time.time())
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    leftover = entry.parent / f".{entry.name}.{dead}.x{TEMP_SUFFIX}"
    leftover.write_bytes(b"half")
    cache.prune(force=True)
    assert entry.exists() and not leftover.exists()


def test_the_summary_store_is_pruned_like_the_result_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: project summaries were never pruned: every edit of a module added an entry."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path))
    now = time.time()
    old = tmp_path / "summaries" / "ab" / "ab01.pickle"
    fresh = tmp_path / "summaries" / "cd" / "cd02.pickle"
    for path, age_days in ((old, MAX_AGE_DAYS + 1), (fresh, 1)):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"x")
        os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    (tmp_path / "app.py").write_text(SOURCE)
    monkeypatch.chdir(tmp_path)
    make_runner().invoke(main, ["app.py"])
    assert not old.exists() and fresh.exists()


def test_an_entry_writes_each_source_line_once() -> None:
    """Findings on one long line share it in memory (`LineIndex.lines`) and in the entry: a
    700 KB line with 20,000 findings would otherwise be written 20,000 times."""
    from lint_wb.engine import lint_source

    roles = ", ".join(['{"role": "human", "content": "hi"}'] * 200)
    text = (
        "from openai import OpenAI\n"
        'client = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
        f'client.chat.completions.create(model="x", messages=[{roles}])\n'
    )
    options = LintOptions(enabled=frozenset({"WB404"}))
    findings = lint_source(text, "app.py", options, load_spec()).findings
    assert len(findings) == 200
    assert len({id(finding.source_lines[0]) for finding in findings}) == 1
    entry = encode_entry(findings, 0)
    assert len(entry) < 2 * len(text) + 300 * len(findings)
    decoded = decode_entry(entry)
    assert decoded is not None
    assert decoded[0] == findings
    assert len({id(finding.source_lines[0]) for finding in decoded[0]}) == 1
