"""One way to write a file: every writer of lint-wb (fixed sources and notebooks, the result
cache, `-o` reports, the model snapshot) goes through :func:`replace_file`.

The new bytes go to a temporary file beside the target (named after it and after this
process, so a leftover of a killed run can be told from a live one and swept), are synced,
get the target's mode (and owner, where allowed), and are renamed over it: a reader sees the
old file or the new one, never half of one. Where a rename would lose something the file
has (a second hard link, an owner this process cannot give), the verified temporary copy is
written into the file in place instead. With `expected`, the target is re-read under a
folder lock just before the rename and left alone when it changed since it was read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from lint_wb.records import dataclass

TEMP_SUFFIX = ".lint-wb.tmp"
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+" + re.escape(TEMP_SUFFIX) + "$")


class WriteError(OSError):
    """A file could not be written; it is left as it was. The message is one line."""


class ChangedSinceRead(WriteError):
    """The file changed between reading and writing it (an editor, another run)."""


class ReadOnlyFile(WriteError):
    """The file has no write permission: as ruff does, lint-wb does not fix it."""


@dataclass(frozen=True)
class WriteOptions:
    """How `replace_file` writes: the new file's mode, what the target must still hold, and
    whether the write is synced."""

    mode: int | None = None
    """Permission bits for a new file; an existing target keeps its own."""
    expected: bytes | None = None
    """The bytes the target had when it was read; None to replace whatever is there."""
    sync: bool = True
    """fsync the data and the folder; off for the cache, where a lost entry is a miss."""
    verify: Callable[[Path], None] | None = None
    """Called with the temporary file before it replaces the target; raises to refuse it."""


def os_message(exc: OSError) -> str:
    """The human part of an OSError (`Permission denied`), without errno and path."""
    return exc.strerror or str(exc)


def replace_file(target: Path, data: bytes, options: WriteOptions | None = None) -> None:
    """Put `data` in `target` as described in the module docs (`options`: the defaults of
    `WriteOptions` when None). Raises :class:`WriteError`."""
    options = WriteOptions() if options is None else options
    current = _stat_or_none(target)
    if current is not None and options.expected is not None:
        _refuse_read_only(target, current)
    with _temporary_beside(target) as (handle, temporary):
        _write_all(handle, data, options.sync)
        _copy_metadata(temporary, current, options.mode)
        if options.verify is not None:
            options.verify(Path(temporary))
        with _folder_lock(target.parent):
            if options.expected is not None:
                _check_unchanged(target, options.expected)
            if current is not None and _rename_would_lose(temporary, current):
                _write_in_place(target, temporary, data, options.sync)
            else:
                os.replace(temporary, target)
    if options.sync:
        _fsync_folder(target.parent)


def unwritable_reason(target: Path) -> str | None:
    """Why `target` cannot be created or replaced (a folder, a missing or read-only folder),
    or None; for checks made before a run starts writing anything."""
    if target.is_dir():
        return "it is a folder"
    folder = target.absolute().parent
    if not folder.is_dir():
        return f"no folder {folder}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"folder {folder} is not writable"
    return None


def sweep_leftovers(folder: Path) -> None:
    """Remove temporary files that runs killed mid-write left in `folder` (their process is
    gone); those of live processes stay. Best effort: never raises."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if a_killed_runs_leftover(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def a_killed_runs_leftover(name: str) -> bool:
    """Whether `name` is a temporary file's whose process is gone (`sweep_leftovers`)."""
    match = _TEMP_NAME.match(name)
    return match is not None and not _process_alive(int(match["pid"]))


# --------------------------------------------------------------------------- the steps


def _stat_or_none(target: Path) -> os.stat_result | None:
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"cannot write: {os_message(exc)}") from exc


def _refuse_read_only(target: Path, current: os.stat_result) -> None:
    no_write_bits = not current.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if no_write_bits or not os.access(target, os.W_OK):
        raise ReadOnlyFile("read-only file; not fixed (make it writable to fix it)")


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[tuple[int, str]]:
    """A new temporary file in the target's folder; removed unless it was renamed away."""
    import tempfile  # (and shutil, random under it) only a run that writes needs it

    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX
        )
    except OSError as exc:
        raise WriteError(f"cannot write: {os_message(exc)}") from exc
    try:
        yield handle, temporary
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        raise WriteError(f"cannot write: {os_message(exc)}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.close(handle)
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _write_all(handle: int, data: bytes, sync: bool) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]
    if sync:
        os.fsync(handle)


def _copy_metadata(temporary: str, current: os.stat_result | None, mode: int | None) -> None:
    if current is not None:
        os.chmod(temporary, stat.S_IMODE(current.st_mode))
        mine = os.stat(temporary)
        if (mine.st_uid, mine.st_gid) != (current.st_uid, current.st_gid):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temporary, current.st_uid, current.st_gid)
    elif mode is not None:
        os.chmod(temporary, mode)


def _rename_would_lose(temporary: str, current: os.stat_result) -> bool:
    """A second hard link would be split off; an owner or group could not be kept."""
    if current.st_nlink > 1:
        return True
    mine = os.stat(temporary)
    return (mine.st_uid, mine.st_gid) != (current.st_uid, current.st_gid)


def _check_unchanged(target: Path, expected: bytes) -> None:
    try:
        with open(target, "rb") as stream:
            now = stream.read(len(expected) + 1)
    except FileNotFoundError:
        now = None
    if now != expected:
        raise ChangedSinceRead("changed since it was read; not fixed (run lint-wb again)")


def _write_in_place(target: Path, temporary: str, data: bytes, sync: bool) -> None:
    """Overwrite the file's own inode with the verified temporary copy's bytes."""
    with open(temporary, "rb") as stream:
        if stream.read() != data:
            raise WriteError("cannot write: the temporary copy did not read back")
    handle = os.open(target, os.O_WRONLY)
    try:
        _write_all(handle, data, sync=False)
        os.ftruncate(handle, len(data))
        if sync:
            os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Serialise the re-check and the rename between lint-wb processes (advisory, POSIX)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory folder locks; the re-check still runs
        yield
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it; best effort."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM  # alive, but another user's
    return True
