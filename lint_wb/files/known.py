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
the last project index built for those roots, with the key it was built for (`api.py`
makes the key from every project file's hash): a run over an unchanged project reads no
file to build its index.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lint_wb.files.atomic import WriteOptions, replace_file

FORMAT = 1
"""Bump when the table layout changes."""
RACY_NS = 2_000_000_000
"""A file changed this recently (nanoseconds) when it is recorded is not trusted."""

StatKey = tuple[int, int, int, int, int]
"""size, mtime_ns, ctime_ns, inode, device."""


def stat_key(path: Path) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Known:
    """One file as a run read it."""

    stat: StatKey
    digest: str
    verdicts: dict[object, bool] = field(default_factory=dict)
    """A prefilter (hashable) -> whether it keeps these bytes."""


class KnownFiles:
    """The table of known files under some project roots."""

    def __init__(self, roots: Sequence[Path], folder: Path | None) -> None:
        self.path = None if folder is None else folder / f"{_table_name(roots)}.pickle"
        self._files: dict[str, Known] = {}
        self._index: tuple[str, object] | None = None
        self._load()
        self._changed = False
        self.reads = 0
        """How many files this run read to learn what they hold (the rest were known)."""

    def get(self, path: Path, stat: StatKey | None) -> Known | None:
        """The record of `path` if its stat is still `stat`."""
        if stat is None:
            return None
        known = self._files.get(os.path.abspath(path))
        return known if known is not None and known.stat == stat else None

    def record(self, path: Path, stat: StatKey | None, data: bytes) -> Known | None:
        """Record the bytes read from `path`, whose stat before the read was `stat`. A file
        that changed while it was read, or only just before, is not recorded."""
        self.reads += 1
        if stat is None or stat != stat_key(path) or _racy(stat):
            return None
        known = Known(stat, content_digest(data))
        self._files[os.path.abspath(path)] = known
        self._changed = True
        return known

    def note_verdict(self, known: Known, prefilter: object, keeps: bool) -> None:
        if known.verdicts.get(prefilter) != keeps:
            known.verdicts[prefilter] = keeps
            self._changed = True

    def index(self, key: str) -> object | None:
        """The index kept for `key`, if the last one kept was made for it."""
        return self._index[1] if self._index is not None and self._index[0] == key else None

    def keep_index(self, key: str, index: object) -> None:
        self._index = (key, index)
        self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        try:
            table = (FORMAT, self._files, self._index)
            data = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(self.path, data, WriteOptions(sync=False))
        except (OSError, pickle.PicklingError, RecursionError):
            return
        self._changed = False

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as f:
                version, files, index = pickle.load(f)
        except Exception:  # any broken table is an empty one
            return
        if version == FORMAT and isinstance(files, dict):
            self._files, self._index = files, index


def _racy(stat: StatKey) -> bool:
    _, mtime, ctime, _, _ = stat
    return time.time_ns() - max(mtime, ctime) < RACY_NS


def _table_name(roots: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for root in sorted(os.path.abspath(root) for root in roots):
        digest.update(root.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]
