"""What each file's bytes were, known from its stat: a warm run does not read unchanged files.

A run records, for every file it reads, the file's stat, a hash of its bytes and the
prefilter's verdict on them. The next run stats each file; when the stat is the one recorded,
it takes the hash (the key of the result cache, the summary store and the index cache) and
the verdict from the record instead of reading the file.

ruff's cache trusts a file's modification time and permissions. This record trusts the whole
stat: size, modification and change times in nanoseconds, inode and device. An edit whose
modification time is put back afterwards (`touch -d`, `os.utime`, a sync tool) still moves
the change time, which no program can set, so that edit is seen; so is a file replaced by
another (a new inode). A file changed less than `RACY_NS` before it was recorded is not
trusted (a second edit within the same timestamp tick of a coarse file system would keep
every time): it is read again by the next run, which records it then. Git treats its
"racily clean" index entries the same way.

One table per set of project roots, in the user's cache folder, written through the one
atomic writer when it changed; a missing or unreadable table is empty. The table also keeps
the last project indexes built for those roots (`KEPT_INDEXES`), each with the key it was
built for (`api.py` makes the key from every project file's hash, an editor's buffer
standing for its file): a run over an unchanged project reads no file to build its index,
nor does an editor linting a buffer the project has seen, and the one does not push out the
other's; and the last folder walks' answers (`walk_record.py`), so that a warm run over
an unchanged tree does not walk it; and what the last index keys were made from
(`KeyWitness`), so that a warm run over an unchanged project makes its index's key without
looking up every file's record. The index's entries stay pickled until one is read
(`PickledModules`): they hold the analysis's values, whose classes a run that takes every
finding from the result cache never imports.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lint_wb.collector import kept_unscanned
from lint_wb.digests import bytes_hash, hex_digest, key_hash
from lint_wb.files.atomic import WriteOptions, replace_file

if TYPE_CHECKING:
    from lint_wb.files.known_imports import KnownImports
    from lint_wb.files.walk_record import WalkRecord
    from lint_wb.project.index import ProjectIndex
    from lint_wb.project.told import ModuleIndex

FORMAT = 7
"""Bump when the table layout changes."""
KEPT_INDEXES = 4
"""How many indexes a table keeps, the last used first."""
KEPT_WALKS = 4
"""How many folder walks' answers a table keeps (`walk_record.py`), the last used first."""
RACY_NS = 2_000_000_000
"""A file changed this recently (nanoseconds) when it is recorded is not trusted."""

Projects = tuple[tuple[str, bool], ...]
"""An index's projects (`ProjectIndex.projects`)."""
StatKey = tuple[int, int, int, int, int]
"""size, mtime_ns, ctime_ns, inode, device."""


def stat_key(path: Path | str) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def content_digest(data: bytes) -> str:
    hashed = bytes_hash()
    hashed.update(data)
    return hashed.hexdigest()


_Entry = tuple[StatKey, str, dict[object, bool]]


class Known(NamedTuple):
    """One file as a run read it (a tuple: a warm run looks up thousands)."""

    stat: StatKey
    digest: str
    verdicts: dict[object, bool]
    """A prefilter (hashable) -> whether it keeps these bytes."""


class KeyWitness(NamedTuple):
    """An index key (`api._index_key`) and what it was made from, when every file's hash came
    from its record: while each file's stat is still the one here (so its record, and its
    hash, still hold) and each folder's setup is the same, the key is the same."""

    code: str
    """lint-wb's code (`cache.code_fingerprint`)."""
    stats: tuple[StatKey, ...]
    """Each file's stat, in the key's order of files."""
    setups: tuple[tuple[str, str], ...]
    """A file of each folder, and the setup of that folder's files."""
    key: str


class KnownFiles:
    """The table of known files under some project roots."""

    def __init__(self, roots: Sequence[Path], folder: Path | None, code: str | None = None) -> None:
        self.path = None if folder is None else folder / f"{_table_name(roots)}.pickle"
        self.code = code if code is not None else lint_wb_code()
        """lint-wb's code (`cache.code_fingerprint`). A table another lint-wb wrote keeps what
        its files held (stats and hashes hold for any code) but not its prefilter's verdicts:
        a prefilter that changed with the code may keep a file the old one skipped."""
        self._files: dict[str, _Entry] = {}
        """Absolute path -> its `Known` as a tuple (a table of plain tuples loads in a third
        of the time of one of objects)."""
        self._indexes: dict[str, tuple[PickledModules, Projects]] = {}
        """Index key -> the index's entries and its projects (`ProjectIndex.projects`)."""
        """Key -> index entries, the last used last."""
        self._walks: dict[str, WalkRecord] = {}
        """Key -> a walk's answer, the last used last."""
        self._witnesses: dict[str, KeyWitness] = {}
        """The files of an index key (`files_digest`) -> what the key was made from, the last
        used last."""
        self._load()
        self._changed = False
        self._seen: dict[str, StatKey | None] = {}
        """A path asked about -> this run's stat of it (`stat`)."""
        self.reads = 0
        """How many files this run read to learn what they hold (the rest were known)."""
        self._imports: KnownImports | None = None

    @property
    def imports(self) -> KnownImports:
        """The import statements of the files the prefilter skips (`known_imports.py`), in
        a table of their own beside this one, loaded when first asked."""
        if self._imports is None:
            from lint_wb.files.known_imports import KnownImports

            path = None if self.path is None else self.path.with_suffix(".imports.pickle")
            self._imports = KnownImports(path)
        return self._imports

    def skipped_by(self, path: Path | str, prefilter: object) -> StatKey | None:
        """This run's stat of `path` when its record holds the prefilter's verdict that it
        skips the file's bytes (no W&B signal), else None."""
        stat = self.stat(path)
        entry = self._files.get(os.path.abspath(path)) if stat is not None else None
        return (
            stat
            if entry is not None and entry[0] == stat and entry[2].get(prefilter) is False
            else None
        )

    def stat(self, path: Path | str) -> StatKey | None:
        """The stat of `path`, taken once a run: the screening, the index's key and the result
        cache all ask for it. A file that changes later in the run is seen by the next run
        (and `record` stats again after its read). A warm run asks this of every file of the
        project, and `get` of a few: the absolute name is made only for those."""
        name = os.fspath(path)
        try:
            return self._seen[name]
        except KeyError:
            stat = self._seen[name] = stat_key(name)
            return stat

    def stat_each(self, names: Sequence[str]) -> None:
        """`stat` of each of `names` in one pass (a warm run takes thousands: each `stat`
        call's own work was a third of their cost). A stat already taken this run is kept."""
        taken = dict(zip(names, map(stat_key, names)))
        taken.update(self._seen)
        self._seen = taken

    def stats(self, names: Sequence[str]) -> tuple[StatKey | None, ...]:
        """`stat` of each of `names`, in order."""
        seen = self._seen
        if not all(map(seen.__contains__, names)):
            self.stat_each([name for name in names if name not in seen])
            seen = self._seen
        return tuple(map(seen.__getitem__, names))

    def lookup(self, path: Path | str) -> tuple[str, StatKey | None, Known | None]:
        """`path`'s absolute name, this run's stat of it and its record if the stat is the
        one recorded: `stat` and `get` in one step (the index's key asks for every file
        when its witness does not hold)."""
        name = os.fspath(path)
        stat = self.stat(name)
        absolute = os.path.abspath(name)
        entry = self._files.get(absolute) if stat is not None else None
        known = Known(*entry) if entry is not None and entry[0] == stat else None
        return absolute, stat, known

    def get(self, path: Path | str, stat: StatKey | None) -> Known | None:
        """The record of `path` if its stat is still `stat`."""
        if stat is None:
            return None
        entry = self._files.get(os.path.abspath(path))
        return Known(*entry) if entry is not None and entry[0] == stat else None

    def record(self, path: Path | str, stat: StatKey | None, data: bytes) -> Known | None:
        """Record the bytes read from `path`, whose stat before the read was `stat`. A file
        that changed while it was read, or only just before, is not recorded."""
        self.reads += 1
        if stat is None or stat != stat_key(path) or racy(stat):
            return None
        known = Known(stat, content_digest(data), {})
        self._files[os.path.abspath(path)] = (known.stat, known.digest, known.verdicts)
        self._changed = True
        return known

    def note_verdict(self, known: Known, prefilter: object, keeps: bool) -> None:
        """Record the prefilter's verdict on a known file (its record holds the same dict)."""
        if known.verdicts.get(prefilter) != keeps:
            known.verdicts[prefilter] = keeps
            self._changed = True

    def index(self, key: str) -> ProjectIndex | None:
        """The index kept for `key`, if one was made for it."""
        kept = self._indexes.get(key)
        if kept is None:
            return None
        from lint_wb.project.index import ProjectIndex

        if key != next(reversed(self._indexes)):  # the last used goes last
            self._indexes[key] = self._indexes.pop(key)
            self._changed = True
        modules, projects = kept
        return ProjectIndex(modules, projects=projects)

    def keep_index(self, key: str, index: ProjectIndex) -> None:
        self._indexes.pop(key, None)
        self._indexes[key] = (PickledModules.of(index.modules), index.projects)
        while len(self._indexes) > KEPT_INDEXES:
            del self._indexes[next(iter(self._indexes))]
        self._changed = True

    def walk(self, key: str) -> WalkRecord | None:
        """The walk kept for `key` (`walk_record.py` checks that it still holds)."""
        record = self._walks.get(key)
        if record is not None and key != next(reversed(self._walks)):
            self._walks[key] = self._walks.pop(key)
            self._changed = True
        return record

    def keep_walk(self, key: str, record: WalkRecord) -> None:
        self._walks.pop(key, None)
        self._walks[key] = record
        while len(self._walks) > KEPT_WALKS:
            del self._walks[next(iter(self._walks))]
        self._changed = True

    def witness(self, files: str) -> KeyWitness | None:
        """What the last index key of these files (`files_digest`) was made from, if kept."""
        found = self._witnesses.get(files)
        if found is not None and files != next(reversed(self._witnesses)):
            self._witnesses[files] = self._witnesses.pop(files)
            self._changed = True
        return found

    def keep_witness(self, files: str, witness: KeyWitness) -> None:
        if self._witnesses.get(files) == witness:
            return
        self._witnesses.pop(files, None)
        self._witnesses[files] = witness
        while len(self._witnesses) > KEPT_INDEXES:
            del self._witnesses[next(iter(self._witnesses))]
        self._changed = True

    def save(self) -> None:
        if self._imports is not None:
            self._imports.save()
        if self.path is None or not self._changed:
            return
        indexes = [
            (key, *modules.parts(), projects) for key, (modules, projects) in self._indexes.items()
        ]
        table = (FORMAT, self.code, self._files, indexes, self._walks, self._witnesses)
        if write_table(self.path, table):
            self._changed = False

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            # data for the whole run, not garbage: a collection in the middle of it scanned
            # every object made since the process started
            with open(self.path, "rb") as f, kept_unscanned():
                version, code, files, indexes, walks, witnesses = pickle.load(f)
            if version != FORMAT or not all(isinstance(d, dict) for d in (files, walks, witnesses)):
                return
            if code != self.code:
                files = {path: (stat, digest, {}) for path, (stat, digest, _) in files.items()}
            self._indexes = {
                key: (PickledModules(fingerprints, told, blob), projects)
                for key, fingerprints, told, blob, projects in indexes
            }
        except Exception:  # any broken table is an empty one
            return
        self._files = files
        self._walks = walks
        self._witnesses = witnesses


class PickledModules(Mapping[str, "ModuleIndex"]):
    """A project index's entries (absolute path -> what the project tells that file), kept
    pickled until an entry is read: which paths have one (whether the index tells a file
    anything) and each one's fingerprint are known without unpickling."""

    def __init__(self, fingerprints: dict[str, str], told: frozenset[str], blob: bytes) -> None:
        self.fingerprints = fingerprints
        """Each path's `ProjectIndex.fingerprint_for` (its entry's repr), for the result
        cache's keys: a file whose findings are cached needs no more of its entry."""
        self.told = told
        """The paths whose entry is not empty (`ProjectIndex.tells`)."""
        self._paths = frozenset(fingerprints)
        self._blob = blob
        self._modules: dict[str, ModuleIndex] | None = None

    @classmethod
    def of(cls, modules: Mapping[str, ModuleIndex]) -> PickledModules:
        if isinstance(modules, PickledModules):
            return modules
        blob = pickle.dumps(dict(modules), protocol=pickle.HIGHEST_PROTOCOL)
        fingerprints = {path: repr(module) for path, module in modules.items()}
        made = cls(fingerprints, frozenset(path for path, m in modules.items() if m), blob)
        made._modules = dict(modules)
        return made

    def parts(self) -> tuple[dict[str, str], frozenset[str], bytes]:
        return self.fingerprints, self.told, self._blob

    def __getitem__(self, path: str) -> ModuleIndex:
        if path not in self._paths:
            raise KeyError(path)
        return self._unpickled()[path]

    def _unpickled(self) -> dict[str, ModuleIndex]:
        if self._modules is None:
            self._modules = pickle.loads(self._blob)
        return self._modules

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __reduce__(self) -> tuple[Any, ...]:
        """Sent to a worker process as the plain dict it stands for."""
        return (dict, (dict(self.items()),))


def racy(stat: StatKey) -> bool:
    """Whether a file with this stat changed too recently for its stat to vouch for it."""
    _, mtime, ctime, _, _ = stat
    return time.time_ns() - max(mtime, ctime) < RACY_NS


def _table_name(roots: Sequence[Path]) -> str:
    digest = key_hash()
    for root in sorted(os.path.abspath(root) for root in roots):
        digest.update(root.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def files_digest(names: Sequence[str]) -> str:
    """What names an index key's files, for `KnownFiles.witness`: their names as given, and
    the folder they are relative to (a separator after it too: `/a` with `bc.py` is not `/ab`
    with `c.py`)."""
    text = "\0".join([os.getcwd(), *names])
    return hex_digest(text.encode("utf-8", "surrogateescape"))  # a name may not be UTF-8


def write_table(path: Path, table: object) -> bool:
    """Write a cache table atomically; False when it cannot be written (the run goes on
    without it: a cache is never worth an error)."""
    try:
        data = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data, WriteOptions(sync=False))
    except (OSError, pickle.PicklingError, RecursionError):
        return False
    return True


def read_table(path: Path | None, version: int, code: str) -> dict[str, Any]:
    """A cache table `write_table` wrote as `(version, code, table)`: empty when there is
    none, it is broken, or another table format or lint-wb code wrote it (another code may
    have found other facts)."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as f, kept_unscanned():
            found_version, found_code, table = pickle.load(f)
    except Exception:  # any broken table is an empty one
        return {}
    if found_version != version or found_code != code or not isinstance(table, dict):
        return {}
    return table


def lint_wb_code() -> str:
    """`cache.code_fingerprint` (which imports this module)."""
    from lint_wb.cache import code_fingerprint

    return code_fingerprint()
