"""Findings cached by content: a file whose bytes, settings and snapshot did not change since
the last run, checked by the same lint-wb code, is not parsed again.

The key is a hash of the file's bytes, its name, a hash of lint-wb's own code (every module
and data file of the package, so an edited rule in an editable install or a new commit
installed by pre-commit under the same version number is a new key), the options in force,
the spec (API facts and model snapshot) and what other modules export. An entry is one
small file per key under the cache folder, in this module's own compact format, written
through the one atomic writer; a missing, unreadable, malformed or stale entry (a code no
rule has any more) is simply a miss. Entries older than `MAX_AGE_DAYS` go, and the oldest
go when the folder grows past `MAX_BYTES`, checked at most once a day (:func:`prune_folder`,
which prunes the project summaries' folder too).

The cache is an object the caller makes and passes in (`check_paths(..., results=cache)`);
it is picklable, so worker processes get the same one. Only plain linting uses it: `--fix`
and `--diff` always run the engine.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lint_wb.config.settings import LintOptions
from lint_wb.digests import bytes_hash, hex_digest, key_hash
from lint_wb.files.atomic import WriteError, WriteOptions, replace_file, sweep_leftovers
from lint_wb.files.known import StatKey, content_digest, racy, stat_key
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location
from lint_wb.rules.codes import ENTRIES_BY_CODE
from lint_wb.spec.compiled import compiled_key
from lint_wb.spec.snapshots import cache_dir

if TYPE_CHECKING:
    from lint_wb.spec.types import Spec

FORMAT = 3
"""Bump when the entry layout changes (3: each source line written once, `encode_entry`)."""
MAX_AGE_DAYS = 30
MAX_BYTES = 256 * 1024 * 1024
PRUNE_EVERY_SECONDS = 24 * 3600
_STAMP = "last-pruned"
_PACKAGE = Path(__file__).resolve().parent
CachedResult = tuple[tuple[Finding, ...], int]
"""The findings and how many were suppressed by noqa."""


@lru_cache(maxsize=1)
def code_fingerprint(package: Path = _PACKAGE) -> str:
    """A hash of every file lint-wb runs or reads (`*.py`, `*.toml`, `*.json`), by path,
    once per process (`package_fingerprint`)."""
    return package_fingerprint(package)


def package_fingerprint(package: Path) -> str:
    """A hash of every `*.py`, `*.toml` and `*.json` file under `package`, by path.

    Kept in the cache folder with each file's stat: a run that finds every file with the
    stat it had reads none of them (the stat is trusted as `files/known.py` trusts it, a
    file changed just before it was hashed included)."""
    files = sorted(_package_files(package))
    stats = tuple(stat_key(path) for _, path in files)
    kept_at = _fingerprint_file(package)
    kept = _read_fingerprint(kept_at)
    names = tuple(name for name, _ in files)
    if kept is not None and kept[:2] == (names, stats):
        return kept[2]
    digest = bytes_hash()
    for name, path in files:
        digest.update(name.encode())
        digest.update(b"\0")
        with open(path, "rb") as file:
            digest.update(file.read())
        digest.update(b"\0")
    fingerprint = digest.hexdigest()
    if kept_at is not None and all(stat is not None and not racy(stat) for stat in stats):
        _write_fingerprint(kept_at, (names, stats, fingerprint))
    return fingerprint


_Fingerprint = tuple[tuple[str, ...], tuple["StatKey | None", ...], str]


def _fingerprint_file(package: Path) -> Path | None:
    try:
        folder = cache_dir() / "code"
    except RuntimeError:
        return None
    name = hex_digest(os.fsencode(os.path.abspath(package)))[:32]
    return folder / f"{name}.pickle"


def _read_fingerprint(path: Path | None) -> _Fingerprint | None:
    if path is None:
        return None
    import pickle

    try:
        with open(path, "rb") as file:
            kept = pickle.load(file)
    except Exception:  # a missing or broken record is none
        return None
    return kept if isinstance(kept, tuple) and len(kept) == 3 else None


def _write_fingerprint(path: Path, kept: _Fingerprint) -> None:
    import pickle

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, pickle.dumps(kept), WriteOptions(sync=False))
    except (OSError, WriteError):
        return


_SPEC_KEYS: dict[int, tuple[Spec, str]] = {}


def spec_key(spec: Spec) -> str:
    """A hash of the spec (API facts, model snapshot) and the library table, once per spec
    (a compiled spec has it already: `spec/compiled.py`)."""
    compiled = compiled_key(spec)
    if compiled is not None:
        return compiled
    if id(spec) not in _SPEC_KEYS:
        from lint_wb.spec import bundled_libraries

        # The library table is read by the analysis, not carried in the Spec.
        libraries = dataclasses.asdict(bundled_libraries())
        data = {"spec": dataclasses.asdict(spec), "libraries": libraries}
        text = json.dumps(data, sort_keys=True, default=_sorted)
        _SPEC_KEYS[id(spec)] = (spec, hex_digest(text.encode()))
    return _SPEC_KEYS[id(spec)][1]


def _package_files(package: Path) -> Iterator[tuple[str, str]]:
    """(path relative to `package`, `/`-separated; the path) of each file lint-wb reads."""
    for folder, folders, names in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        relative = os.path.relpath(folder, package).replace(os.sep, "/")
        for name in names:
            if name.endswith((".py", ".toml", ".json")):
                shown = name if relative == "." else f"{relative}/{name}"
                yield shown, os.path.join(folder, name)


class ResultCache:
    """One cache folder and the lint-wb code its entries are valid for."""

    def __init__(self, folder: Path, code: str | None = None) -> None:
        self.folder = folder
        self.code = code if code is not None else code_fingerprint()

    @classmethod
    def in_user_cache(cls) -> ResultCache | None:
        """The cache under the user's cache folder; None when there is none to be had."""
        try:
            return cls(cache_dir() / "results")
        except RuntimeError:
            return None

    def __getstate__(self) -> dict[str, object]:
        return {"folder": self.folder, "code": self.code}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"], state["code"])  # type: ignore[misc]

    def key(
        self, data: bytes, filename: str, options: LintOptions, spec: Spec, project: str
    ) -> str:
        digest = content_digest(data)
        return self.key_for_digest(digest, filename, options, spec_key(spec), project)

    def key_for_digest(
        self, digest: str, filename: str, options: LintOptions, spec: str, project: str
    ) -> str:
        """The key of a file whose bytes hash to `digest` (`files.known.content_digest`), for
        the spec whose key is `spec` (`spec_key`)."""
        hashed = key_hash()
        for part in (
            f"{FORMAT}:{self.code}",
            filename,
            _options_key(options),
            spec,
            project,
            digest,
        ):
            hashed.update(part.encode("utf-8", "surrogateescape"))  # a name may not be UTF-8
            hashed.update(b"\0")
        return hashed.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedResult | None:
        """The findings and the suppressed count stored under `key`, or None."""
        name = os.path.join(self.folder, key[:2], f"{key}.json")  # no pathlib: a warm run's
        try:  # every finding comes this way
            with open(name, "rb") as entry:
                return decode_entry(entry.read())
        except OSError:
            return None

    def put(self, key: str, findings: tuple[Finding, ...], suppressed: int) -> None:
        """Store an entry; a cache that cannot be written is no error, only a slower next run."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, encode_entry(findings, suppressed), WriteOptions(sync=False))
        except (OSError, WriteError):
            return

    def prune(self, now: float | None = None, *, force: bool = False) -> None:
        """See :func:`prune_folder`."""
        prune_folder(self.folder, "*.json", now, force=force)


def summaries_folder() -> Path | None:
    """Where the project's module summaries are kept (`project/store.py`), if anywhere."""
    try:
        return cache_dir() / "summaries"
    except (OSError, RuntimeError):
        return None


def carried_facts_table(scopes: Sequence[str]) -> Path | None:
    """Where the carried reach's statement facts of the project built from `scopes` (its
    roots) are kept (`project/carried_facts.py`), if anywhere: a table a project, so that a
    run loads only its own project's statements."""
    try:
        folder = cache_dir() / "carried"
    except (OSError, RuntimeError):
        return None
    name = hex_digest("\0".join(sorted(scopes)).encode("utf-8", "surrogateescape"))
    return folder / f"{name[:32]}.pickle"


def prune_summaries() -> None:
    """Prune the summaries' folder as the result cache is pruned (age, size, leftovers): here,
    so that a run whose files the cache settles does not load the summary store."""
    folder = summaries_folder()
    if folder is not None:
        prune_folder(folder, "*.pickle")


def prune_folder(
    folder: Path, pattern: str, now: float | None = None, *, force: bool = False
) -> None:
    """Drop the entries (`folder/??/pattern`) older than MAX_AGE_DAYS, then the oldest beyond
    MAX_BYTES, and the temporary files of writes that a killed run left; at most once every
    PRUNE_EVERY_SECONDS unless forced. Serves the result cache and the summary store (any
    folder of entries written through the one writer). Best effort: never raises."""
    now = time.time() if now is None else now
    stamp = folder / _STAMP
    try:
        if not force and now - stamp.stat().st_mtime < PRUNE_EVERY_SECONDS:
            return
    except OSError:
        pass
    for shard in folder.glob("??"):
        sweep_leftovers(shard)
    entries = sorted(_entries(folder, pattern), key=lambda entry: entry[1])  # oldest first
    total = sum(size for _, _, size in entries)
    for path, modified, size in entries:
        if now - modified < MAX_AGE_DAYS * 86400 and total <= MAX_BYTES:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        return


def _entries(folder: Path, pattern: str) -> Iterator[tuple[Path, float, int]]:
    for path in folder.glob(f"??/{pattern}"):
        try:
            info = path.stat()
        except OSError:
            continue
        yield path, info.st_mtime, info.st_size


# --------------------------------------------------------------------------- the entry format
# {"format": 2, "suppressed": n, "findings": [[code, message, filename, row, column,
#  end_row, end_column, cell, [source lines], fix]]}, fix = null or [message, applicability,
# [[row, column, end_row, end_column, content], ...]]. Name, severity and url come from the
# rule registry when read back, so an entry cannot disagree with the rules it was made by.


def encode_entry(findings: tuple[Finding, ...], suppressed: int) -> bytes:
    """The entry's JSON. Each distinct source line is written once, in `lines`, and findings
    give its number: thousands of findings on one long line would otherwise write it as many
    times (a 700 KB line with 20,000 findings: 14 GB)."""
    numbers: dict[str, int] = {}
    rows = [_finding_row(finding, numbers) for finding in findings]
    entry = {"format": FORMAT, "suppressed": suppressed, "lines": list(numbers), "findings": rows}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_entry(data: bytes) -> CachedResult | None:
    """The entry's findings, or None when anything in it is not as `encode_entry` writes it."""
    try:
        entry = json.loads(data)
        if entry["format"] != FORMAT:
            return None
        lines = tuple(_text(line) for line in entry["lines"])
        findings = tuple(_finding(row, lines) for row in entry["findings"])
        return findings, _integer(entry["suppressed"])
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _finding_row(finding: Finding, numbers: dict[str, int]) -> list[object]:
    """The finding's row; its source lines are numbers in `numbers` (added there if new)."""
    location, end = finding.location, finding.end_location
    return [
        finding.code,
        finding.message,
        finding.filename,
        location.row,
        location.column,
        end.row,
        end.column,
        finding.cell,
        [numbers.setdefault(line, len(numbers)) for line in finding.source_lines],
        None if finding.fix is None else _fix_row(finding.fix),
    ]


def _fix_row(fix: Fix) -> list[object]:
    edits = [
        [edit.start.row, edit.start.column, edit.end.row, edit.end.column, edit.content]
        for edit in fix.edits
    ]
    return [fix.message, fix.applicability.value, edits]


def _finding(row: list[Any], lines: tuple[str, ...]) -> Finding:
    code, message, filename, r, c, er, ec, cell, numbers, fix = row
    rule = ENTRIES_BY_CODE[_text(code)]  # KeyError: a code no rule has (any more)
    return Finding(
        rule.code,
        rule.name,
        rule.severity,
        _text(message),
        _text(filename),
        Location(_integer(r), _integer(c)),
        Location(_integer(er), _integer(ec)),
        fix=None if fix is None else _fix(fix),
        cell=None if cell is None else _integer(cell),
        url=rule.url,
        source_lines=tuple(lines[_integer(number)] for number in numbers),
    )


def _fix(row: list[Any]) -> Fix:
    message, applicability, edits = row
    return Fix(
        _text(message),
        Applicability(applicability),
        tuple(
            Edit(Location(_integer(r), _integer(c)), Location(_integer(er), _integer(ec)), _text(t))
            for r, c, er, ec, t in edits
        ),
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _integer(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError("not a count")
    return value


def _sorted(value: object) -> object:
    """Sets in a stable order: their own order changes with each process's hash seed."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)


def _options_key(options: LintOptions) -> str:
    """Every field, so a new option is part of the key without anyone remembering to add it.
    Kept by the fields' values, not by the options (hashing them would make their compare
    methods: `records.py`)."""
    names = tuple(field.name for field in dataclasses.fields(options))
    return _options_text(names, tuple(getattr(options, name) for name in names))


@lru_cache(maxsize=64)
def _options_text(names: tuple[str, ...], values: tuple[object, ...]) -> str:
    return json.dumps(dict(zip(names, values)), sort_keys=True, default=_sorted)
