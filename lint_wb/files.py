"""The file layer: which files to check, reading them, the byte prefilter, atomic writes.

Nothing here prints or parses Python. Every failure a user can cause (an unreadable folder,
a binary or undecodable file, a read-only file) comes back as a value or an `OSError`
subclass with a one-line message, so a run goes on with the other files.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
import subprocess
import tempfile
import tokenize
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SOURCE_SUFFIXES: frozenset[str] = frozenset({".py", ".pyi", ".ipynb"})
"""The suffixes a directory walk picks up. Explicit file paths are taken whatever they end in."""

BINARY_SNIFF_SIZE = 8192
"""A NUL byte within this many leading bytes marks a file as binary (as git and grep do)."""

_GIT_TIMEOUT_SECONDS = 120.0
_GIT_ENV_OVERRIDES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
"""Set by git while it runs hooks; they would point every query at the outer repository."""


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Discovery:
    """The outcome of :func:`discover`: files to check, and folders that could not be listed."""

    files: tuple[Path, ...]
    """Sorted, without duplicates; paths keep the form they were given in."""
    errors: tuple[tuple[Path, str], ...]
    """(folder, one-line message) for each folder that could not be listed."""


@dataclass(frozen=True)
class _GitScope:
    """What git lists under one folder: tracked files plus untracked files it does not ignore.

    Paths are relative to that folder, `/`-separated. A folder is kept when some listed path
    lies below it, or when git lists the folder itself (a submodule or a nested repository).
    """

    files: frozenset[str]
    dirs: frozenset[str]

    def keeps_file(self, rel: str) -> bool:
        return rel in self.files

    def keeps_dir(self, rel: str) -> bool:
        return rel in self.dirs or rel in self.files


def discover(
    paths: Sequence[Path],
    *,
    is_excluded: Callable[[Path], bool],
    respect_gitignore: bool,
    force_exclude: bool,
    root: Path | None = None,
) -> Discovery:
    """Find the files to check under `paths`.

    Folders are walked for :data:`SOURCE_SUFFIXES`; excluded folders are not entered,
    symlinked folders are not followed, `.git` folders are never entered. A path given
    explicitly is always taken (a missing one too, so that reading it reports the error),
    unless `force_exclude` and it or one of its folders below `root` (default: the current
    folder) is excluded. Explicit folders are walked even if excluded, unless `force_exclude`.

    With `respect_gitignore`, git itself decides what is ignored (nested `.gitignore`,
    `.git/info/exclude`, the global excludes file): one `git ls-files` per repository met.
    Files git tracks are kept even when a `.gitignore` matches them, as git does. A folder
    given explicitly that git ignores is walked without gitignore filtering: the user named it.
    Without git, or outside a work tree, nothing is filtered by gitignore.
    """
    walker = _Walker(is_excluded=is_excluded, respect_gitignore=respect_gitignore)
    base = Path.cwd() if root is None else root
    for path in paths:
        if force_exclude and _explicitly_excluded(path, is_excluded, base):
            continue
        if os.path.isdir(path):  # False, not an exception, when stat fails: reading reports it
            walker.walk(path)
        else:
            walker.found.append(path)
    return Discovery(files=_sorted_unique(walker.found), errors=tuple(walker.errors))


def _explicitly_excluded(path: Path, is_excluded: Callable[[Path], bool], root: Path) -> bool:
    """Whether `path`, or a folder it lies in strictly below `root`, is excluded.

    Folders above `root` are not asked: a checkout under `~/build/` must not count as `build`.
    """
    if is_excluded(path):
        return True
    root_abs = os.path.abspath(root)
    for parent in path.parents:
        parent_abs = os.path.abspath(parent)
        if parent_abs == root_abs or not _is_below(parent_abs, root_abs):
            break
        if is_excluded(parent):
            return True
    return False


def _is_below(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _sorted_unique(paths: Iterable[Path]) -> tuple[Path, ...]:
    """Sort, keeping the first spelling of each file (`src/a.py`, not `src/../src/a.py`)."""
    unique: dict[str, Path] = {}
    for path in paths:
        unique.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return tuple(sorted(unique.values()))


class _Walker:
    """One directory walk; collects files and errors instead of raising."""

    def __init__(self, *, is_excluded: Callable[[Path], bool], respect_gitignore: bool) -> None:
        self.is_excluded = is_excluded
        self.respect_gitignore = respect_gitignore
        self.found: list[Path] = []
        self.errors: list[tuple[Path, str]] = []

    def walk(self, root: Path) -> None:
        scope = _git_scope_for_explicit_dir(root) if self.respect_gitignore else None
        stack: list[tuple[Path, _GitScope | None, str, bool]] = [(root, scope, "", True)]
        while stack:
            folder, scope, rel, is_root = stack.pop()
            entries = self._list(folder)
            if entries is None:
                continue
            if self.respect_gitignore and not is_root and any(e.name == ".git" for e in entries):
                scope, rel = _git_scope(folder), ""
            for entry in entries:
                child_dir = self._visit(entry, folder / entry.name, scope, rel + entry.name)
                if child_dir is not None:
                    stack.append((child_dir, scope, rel + entry.name + "/", False))

    def _list(self, folder: Path) -> list[os.DirEntry[str]] | None:
        try:
            with os.scandir(folder) as it:
                return list(it)
        except OSError as exc:
            self.errors.append((folder, f"cannot list directory: {os_message(exc)}"))
            return None

    def _visit(
        self, entry: os.DirEntry[str], path: Path, scope: _GitScope | None, rel: str
    ) -> Path | None:
        """Record `entry` if it is a file to check; return it if it is a folder to enter."""
        if _is_real_dir(entry):
            if entry.name == ".git" or (scope is not None and not scope.keeps_dir(rel)):
                return None
            return None if self.is_excluded(path) else path
        if os.path.splitext(entry.name)[1] not in SOURCE_SUFFIXES:
            return None
        if scope is not None and not scope.keeps_file(rel):
            return None
        if _is_file(entry) and not self.is_excluded(path):
            self.found.append(path)
        return None


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a symlink to one (broken links, sockets and FIFOs are skipped)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _git_scope_for_explicit_dir(folder: Path) -> _GitScope | None:
    """The gitignore filter for a folder given on the command line, or None for no filtering.

    `git check-ignore` answers two questions at once: 128 means not a work tree (or no
    usable git), 0 means git ignores the folder the user named, so it is walked unfiltered.
    """
    result = _run_git(["check-ignore", "-q", "."], folder)
    if result is None or result.returncode != 1:
        return None
    return _git_scope(folder)


def _git_scope(folder: Path) -> _GitScope | None:
    """Ask git which files under `folder` are tracked or untracked-but-not-ignored."""
    result = _run_git(["ls-files", "--cached", "--others", "--exclude-standard", "-z"], folder)
    if result is None or result.returncode != 0:
        return None
    files: set[str] = set()
    dirs: set[str] = set()
    for raw in result.stdout.split(b"\0"):
        if not raw:
            continue
        rel = os.fsdecode(raw).rstrip("/")  # a nested repository is listed as "name/"
        files.add(rel)
        parent = rel.rpartition("/")[0]
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = parent.rpartition("/")[0]
    return _GitScope(files=frozenset(files), dirs=frozenset(dirs))


def _run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes] | None:
    """Run git in `cwd`; None when git is missing, fails to start or hangs."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV_OVERRIDES}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=_GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SourceFile:
    """A file's bytes and its decoded text, with what is needed to write it back unchanged."""

    path: Path
    text: str
    """Decoded, BOM stripped, line endings as in the file (`\\r\\n` is not translated)."""
    encoding: str
    """As `tokenize.detect_encoding` names it (`utf-8`, `iso-8859-1`, ...); `utf-8` with a BOM."""
    bom: bool
    raw: bytes
    mode: int
    """`st_mode` when read; 0 for text that did not come from a file (stdin)."""


@dataclass(frozen=True)
class ReadError:
    """A file that could not be read or decoded, with a one-line reason."""

    path: Path
    message: str


@dataclass(frozen=True)
class RawFile:
    """A file's bytes, before decoding: what the prefilter and the cache key look at."""

    path: Path
    data: bytes
    mode: int


def read_raw(path: Path) -> RawFile | ReadError:
    """Read `path`'s bytes and mode; an OSError becomes a ReadError with its strerror.

    The fast path: `read_raw`, then :func:`might_need_linting` on `data`, and only then
    :func:`decode_source` (`data, path, mode=mode`), so skipped files are never decoded.
    """
    try:
        with open(path, "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            data = f.read()
    except OSError as exc:
        return ReadError(path, os_message(exc))
    return RawFile(path=path, data=data, mode=mode)


def read_source(path: Path) -> SourceFile | ReadError:
    """Read and decode `path`; never raises."""
    raw = read_raw(path)
    if isinstance(raw, ReadError):
        return raw
    return decode_source(raw.data, path, mode=raw.mode)


def decode_source(data: bytes, name: str | Path, *, mode: int = 0) -> SourceFile | ReadError:
    """Decode source bytes as Python does (BOM, then a coding cookie, else UTF-8).

    Shared by :func:`read_source` and the stdin path (`name` is `--stdin-filename`).
    """
    path = Path(name)
    if b"\0" in data[:BINARY_SNIFF_SIZE]:
        return ReadError(path, "binary file, skipped")
    try:
        encoding, bom = _detect_encoding(data)
    except SyntaxError as exc:
        return ReadError(path, f"invalid encoding declaration: {exc.msg}")
    start = len(codecs.BOM_UTF8) if bom else 0
    try:
        text = data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        return ReadError(path, _undecodable_message(data, exc, encoding, start))
    return SourceFile(path=path, text=text, encoding=encoding, bom=bom, raw=data, mode=mode)


def _detect_encoding(data: bytes) -> tuple[str, bool]:
    """(encoding, has BOM). Raises SyntaxError for an unknown or contradictory cookie."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # The first lines are not UTF-8 and carry no cookie: decoding as UTF-8 then
        # reports the offending byte, which says more than tokenize's message.
        if exc.msg.startswith("invalid or missing encoding declaration"):
            return "utf-8", data.startswith(codecs.BOM_UTF8)
        raise
    if encoding == "utf-8-sig":
        return "utf-8", True
    return encoding, False


def _undecodable_message(data: bytes, exc: UnicodeDecodeError, encoding: str, start: int) -> str:
    offset = start + exc.start
    line = data.count(b"\n", 0, offset) + 1
    where = f"byte 0x{data[offset]:02x} at offset {offset}, line {line}"
    if encoding == "utf-8":
        return f"not valid UTF-8 ({where}); add an encoding cookie or re-save as UTF-8"
    return f"not valid {encoding} ({where}), the encoding its coding cookie declares"


def os_message(exc: OSError) -> str:
    """The human part of an OSError (`Permission denied`), without errno and path."""
    return exc.strerror or str(exc)


# --------------------------------------------------------------------------- prefilter

_WB_CODE = re.compile(rb"WB\d")


def might_need_linting(data: bytes, markers: Iterable[bytes] = ()) -> bool:
    """Whether a file's bytes can hold a client, a request or a lint-wb suppression.

    Sound for clients built in the same file: every rule is about a client or a request on
    one, and a client needs `openai` in the file (`import openai`, `from openai import
    OpenAI`, `openai.base_url = ...`), byte for byte in any ASCII-compatible encoding and in
    a notebook's JSON. `lint-wb` and a `noqa` with a WB code are kept for file-level
    suppressions and WB902 (unused-noqa).

    A file that only imports a client from another module of the tree (SPEC §2) has no
    `openai` in it: pass `markers` (e.g. the names of the modules that build clients, which
    any import of them must spell out) to keep such files.
    """
    if b"openai" in data or b"lint-wb" in data:
        return True
    if _has_wb_noqa(data):
        return True
    return any(marker in data for marker in markers)


def _has_wb_noqa(data: bytes) -> bool:
    """Whether some line has `noqa` (any case) somewhere before a `WB<digit>` code.

    Looks for the rare part first: a regex starting at `noqa` would scan every byte
    case-insensitively, while `WB<digit>` is rare and only its own line needs a look.
    """
    for match in _WB_CODE.finditer(data):
        line_start = data.rfind(b"\n", 0, match.start()) + 1
        if b"noqa" in data[line_start : match.start()].lower():
            return True
    return False


# --------------------------------------------------------------------------- writing


class WriteError(OSError):
    """A fixed file could not be written; the original is left as it was."""


def write_atomic(source: SourceFile, new_text: str) -> None:
    """Write `new_text` over `source.path` in its encoding and BOM, atomically.

    The bytes go to a temporary file in the same folder, are synced, get the original mode
    and are renamed over the file, so a reader never sees half a file. Nothing is written
    when the bytes would not change. A symlink is kept: its target is replaced.
    Raises :class:`WriteError`.
    """
    data = encode_text(source, new_text)
    if data == source.raw:
        return
    target = Path(os.path.realpath(source.path))
    _replace_atomically(target, data, _mode_for(source, target), shown=source.path)


def encode_text(source: SourceFile, text: str) -> bytes:
    try:
        data = text.encode(source.encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        line = exc.object.count("\n", 0, exc.start) + 1
        raise WriteError(
            f"cannot write {source.path}: the fixed text has {char!r} (U+{ord(char):04X}) "
            f"on line {line}, which {source.encoding} cannot encode; file left unchanged"
        ) from exc
    return codecs.BOM_UTF8 + data if source.bom else data


def _mode_for(source: SourceFile, target: Path) -> int:
    if source.mode:
        return stat.S_IMODE(source.mode)
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o644


def _replace_atomically(target: Path, data: bytes, mode: int, *, shown: Path) -> None:
    try:
        fd, tmp = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".lint-wb.tmp"
        )
    except OSError as exc:
        raise WriteError(f"cannot write {shown}: {os_message(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {shown}: {os_message(exc)}") from exc
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it; best effort."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
