"""Which files to check: walking folders, excludes, and gitignore as git itself decides it.

Nothing here prints. A folder that cannot be listed comes back as an error value with a
one-line message, so a run goes on with the other files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lint_wb.files import broken_link_message, git_process, os_message
from lint_wb.records import dataclass

if TYPE_CHECKING:
    from lint_wb.files.git_process import Answer, Started

SOURCE_SUFFIXES: frozenset[str] = frozenset({".py", ".pyi", ".ipynb"})
"""The suffixes a directory walk picks up. Explicit file paths are taken whatever they end in."""

_GIT_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class Discovery:
    """The outcome of :func:`discover`: files to check, and folders that could not be listed."""

    files: tuple[Path, ...]
    """Sorted, without duplicates; paths keep the form they were given in."""
    errors: tuple[tuple[Path, str], ...]
    """(path, one-line message) for each folder that could not be listed and each broken
    symbolic link to a source file."""


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


class Excludes:
    """What a walk leaves out, asked of each folder it may enter and of each source file it
    finds. A plain `Callable[[Path], bool]` serves too; this class lets a walk ask once per
    folder what that folder's files share (their settings, the folder's own answer) and
    then each file by its name alone."""

    def __call__(self, path: Path) -> bool:
        raise NotImplementedError

    def of_files_in(self, folder: Path) -> Callable[[str], bool]:
        """Whether the file `name` of `folder` is excluded: the same answer as
        `self(folder / name)`, for any name with a source suffix."""
        return lambda name: self(folder / name)


class WalkSeen(Protocol):
    """Told what a walk's answer depends on besides the settings (`files/walk_record.py`
    keeps it, so that a later run knows the answer is unchanged without walking again).
    Each call comes before the walk uses what it names."""

    def listing(self, folder: Path) -> None:
        """`folder` is about to be listed."""

    def link(self, path: Path) -> None:
        """`path`, a symbolic link with a source suffix, is about to be followed."""

    def git(self, args: Sequence[str], cwd: Path, answer: bytes | None) -> None:
        """git gave `answer` (its output, None when it failed) to `args` in `cwd`."""


def discover(
    paths: Sequence[Path],
    *,
    is_excluded: Callable[[Path], bool],
    respect_gitignore: bool | Sequence[bool],
    force_exclude: bool,
    root: Path | None = None,
    seen: WalkSeen | None = None,
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
    `respect_gitignore` may be given for each path (each folder named walks with the settings
    in force there).
    """
    respects = (
        [respect_gitignore] * len(paths)
        if isinstance(respect_gitignore, bool)
        else respect_gitignore
    )
    walker = _Walker(is_excluded=is_excluded, respect_gitignore=True, seen=seen)
    base = Path.cwd() if root is None else root
    for path, respect in zip(paths, respects):
        if force_exclude and _explicitly_excluded(path, is_excluded, base):
            continue
        if os.path.isdir(path):  # False, not an exception, when stat fails: reading reports it
            walker.respect_gitignore = respect
            walker.walk(path)
        else:
            walker.found.append(path)
    if len(paths) == 1:  # one walk, or one file: no path is found twice
        return Discovery(files=walker.in_order(), errors=tuple(walker.errors))
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
    return tuple(sorted(unique.values(), key=_order))


def _order(path: Path) -> tuple[str, ...]:
    """What paths sort by (as `Path`'s own order: by parts, case folded where the file
    system does), computed once per path rather than at every comparison."""
    return tuple(os.path.normcase(part) for part in path.parts) if os.name == "nt" else path.parts


def is_source_name(name: str) -> bool:
    """Whether a folder entry named `name` has a suffix of SOURCE_SUFFIXES, as
    `os.path.splitext(name)[1]` gives it (leading dots are no suffix: `.py` has none), on
    the string: a walk asks it of every file it lists."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:] in SOURCE_SUFFIXES and name[:dot].strip(".") != ""


class _Walker:
    """One directory walk; collects files and errors instead of raising."""

    def __init__(
        self,
        *,
        is_excluded: Callable[[Path], bool],
        respect_gitignore: bool,
        seen: WalkSeen | None = None,
    ) -> None:
        self.is_excluded = is_excluded
        self.respect_gitignore = respect_gitignore
        self.seen = seen
        self.found: list[Path] = []
        self.orders: list[str] = []
        """For each file a walk found, what it sorts by (`in_order`)."""
        self.errors: list[tuple[Path, str]] = []

    def in_order(self) -> tuple[Path, ...]:
        """The files found, sorted as `_order` sorts them (by parts), when they all come from
        one walk: by the parts below the walk's root, which they share, joined by NUL (a
        byte no name holds, below every other: strings so joined sort as their parts do).
        Comparing these strings instead of the tuples of parts `_order` makes for each path
        (each a new tuple) took 18.8 M of the 76 M instructions between the walk's start
        and the screening of the openai SDK's 1,792 files."""
        if os.name == "nt" or len(self.orders) != len(self.found):
            return tuple(sorted(self.found, key=_order))
        found, orders = self.found, self.orders
        return tuple(found[index] for index in sorted(range(len(found)), key=orders.__getitem__))

    def walk(self, root: Path) -> None:
        scope = _git_scope_for_explicit_dir(root, self.seen) if self.respect_gitignore else None
        stack: list[tuple[Path, _GitScope | None, str, bool, str]] = [(root, scope, "", True, "")]
        while stack:
            folder, scope, rel, is_root, order = stack.pop()
            entries = self._list(folder)
            if entries is None:
                continue
            if self.respect_gitignore and not is_root and any(e.name == ".git" for e in entries):
                scope, rel = _git_scope(folder, self.seen), ""
            files_excluded: Callable[[str], bool] | None = None  # asked once a file is met
            for entry in entries:
                if _is_real_dir(entry):
                    child_dir = self._visit_dir(entry, folder, scope, rel + entry.name)
                    if child_dir is not None:
                        below = order + entry.name + "\0"
                        stack.append((child_dir, scope, rel + entry.name + "/", False, below))
                elif is_source_name(entry.name):
                    if files_excluded is None:
                        files_excluded = self._files_excluded_in(folder)
                    where = (rel + entry.name, order + entry.name)
                    self._visit_file(entry, folder, scope, where, files_excluded)

    def _files_excluded_in(self, folder: Path) -> Callable[[str], bool]:
        excludes = self.is_excluded
        if isinstance(excludes, Excludes):
            return excludes.of_files_in(folder)
        return lambda name: excludes(folder / name)

    def _list(self, folder: Path) -> list[os.DirEntry[str]] | None:
        if self.seen is not None:
            self.seen.listing(folder)
        try:
            with os.scandir(folder) as it:
                return list(it)
        except OSError as exc:
            self.errors.append((folder, f"cannot list directory: {os_message(exc)}"))
            return None

    def _visit_dir(
        self, entry: os.DirEntry[str], folder: Path, scope: _GitScope | None, rel: str
    ) -> Path | None:
        """The folder `entry` (in `folder`), if the walk enters it."""
        if entry.name == ".git" or (scope is not None and not scope.keeps_dir(rel)):
            return None
        path = _child(folder, entry.name)
        return None if self.is_excluded(path) else path

    def _visit_file(
        self,
        entry: os.DirEntry[str],
        folder: Path,
        scope: _GitScope | None,
        where: tuple[str, str],
        excluded: Callable[[str], bool],
    ) -> None:
        """Record `entry`, a source file of `folder` (or a link to one), if it is to be
        checked; `excluded` answers for the files of `folder` by name. Only those get a
        Path: most entries of a tree are not. `where` is its path relative to the git scope
        (`/`-separated) and what it sorts by (`in_order`)."""
        rel, order = where
        if scope is not None and not scope.keeps_file(rel):
            return
        if excluded(entry.name):
            return
        path = _child(folder, entry.name)
        if self.seen is not None and entry.is_symlink():
            self.seen.link(path)
        if _is_file(entry):
            self.found.append(path)
            self.orders.append(order)
        elif _is_broken_link(entry):
            self.errors.append((path, broken_link_message(entry.path)))


def _child(folder: Path, name: str) -> Path:
    """`folder / name` for the name of an entry listed in `folder` (one part, never empty nor
    `.`/`..`): pathlib's own shortcut for it where it has one (Python 3.10-3.12, which its
    directory walks use), else `/`. `/` parses `name` again; this walk makes a Path for
    every file it keeps (the walk of 1,792 files: 28.6 -> 22.7 ms CPU, median)."""
    return _MAKE_CHILD(folder, name)


_MAKE_CHILD: Callable[[Path, str], Path] = getattr(Path, "_make_child_relpath", Path.__truediv__)


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a symlink to one (sockets, FIFOs and devices are
    skipped: a walk never opens them)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_broken_link(entry: os.DirEntry[str]) -> bool:
    """A symbolic link whose target does not exist (reported, not skipped silently: the
    user may think the file it names is checked)."""
    try:
        return entry.is_symlink() and not os.path.exists(entry.path)
    except OSError:
        return False


def _git_scope_for_explicit_dir(folder: Path, seen: WalkSeen | None) -> _GitScope | None:
    """The gitignore filter for a folder given on the command line, or None for no filtering.

    `git check-ignore` answers two questions at once: 128 means not a work tree (or no
    usable git), 0 means git ignores the folder the user named, so it is walked unfiltered.
    """
    answer = git_answer(CHECK_IGNORE, folder, seen)
    if answer != b"1":
        return None
    return _git_scope(folder, seen)


def _git_scope(folder: Path, seen: WalkSeen | None) -> _GitScope | None:
    """Ask git which files under `folder` are tracked or untracked-but-not-ignored."""
    listed = git_answer(LS_FILES, folder, seen)
    if listed is None:
        return None
    files: set[str] = set()
    dirs: set[str] = set()
    # decoded at once: a NUL byte is no part of another character in a file system encoding
    for name in os.fsdecode(listed).split("\0"):
        if not name:
            continue
        rel = name.rstrip("/")  # a nested repository is listed as "name/"
        files.add(rel)
        parent = rel.rpartition("/")[0]
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = parent.rpartition("/")[0]
    return _GitScope(files=frozenset(files), dirs=frozenset(dirs))


CHECK_IGNORE = ("check-ignore", "-q", ".")
"""Whether git ignores a folder: its answer is the exit code (1: not ignored)."""
NOT_A_REPOSITORY = b"128"
"""check-ignore's answer outside any repository."""
LS_FILES = ("ls-files", "--cached", "--others", "--exclude-standard", "-z")
"""The files git lists under a folder: its answer is the output (None unless exit code 0)."""


def git_answer(args: Sequence[str], cwd: Path, seen: WalkSeen | None = None) -> bytes | None:
    """What a walk reads of git's reply to `args` (CHECK_IGNORE or LS_FILES) in `cwd`: the
    exit code of check-ignore, the listing of ls-files; None when git is missing or fails.
    Outside any work tree git is not started: its answer is known (a tree linted where it
    was unpacked costs no process, and no import of subprocess)."""
    answer: bytes | None = None
    if not in_a_work_tree(cwd):
        answer = NOT_A_REPOSITORY if args == CHECK_IGNORE else None
    elif (result := _run_git(list(args), cwd)) is not None and args == CHECK_IGNORE:
        answer = str(result[0]).encode()
    elif result is not None and result[0] == 0:
        answer = result[1]
    if seen is not None:
        seen.git(args, cwd, answer)
    return answer


def in_a_work_tree(cwd: Path) -> bool:
    """Whether `cwd` (as git sees it: symbolic links resolved) or a folder above it holds a
    `.git` folder or file, where git looks for a repository (its overrides of the
    environment, `GIT_DIR` and the like, are removed before git runs)."""
    folder = os.path.realpath(cwd)
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def _run_git(args: list[str], cwd: Path) -> Answer | None:
    """git's exit code and output for `args` in `cwd` (from the same git started ahead, when
    `start_git_ahead` started it); None when git is missing, fails to start, hangs or cannot
    be read. git never outlives this call, an interrupt included (`git_process.py`)."""
    started = _AHEAD.pop((tuple(args), os.fspath(cwd)), None) or _started_git(args, cwd)
    if started is None:
        return None
    return started.answer(_GIT_TIMEOUT_SECONDS)


def start_git_ahead(paths: Sequence[Path]) -> None:
    """Start the git a walk of each folder in `paths` runs first (CHECK_IGNORE and LS_FILES,
    at once), so that git works while the run reads its settings and the walk takes its
    answers when it asks (`_run_git`): a cold run of a folder otherwise waits for the two in
    turn. Only for a few folders given, each in a work tree; what the walk does not take
    (gitignore not respected, a folder git ignores) is stopped by `stop_git_ahead`."""
    folders = [path for path in paths[:_AHEAD_FOLDERS] if os.path.isdir(path)]
    for folder in folders:
        if not in_a_work_tree(folder):
            continue
        for args in (CHECK_IGNORE, LS_FILES):
            key = (args, os.fspath(folder))
            if key not in _AHEAD:
                started = _started_git(list(args), folder)
                if started is not None:
                    _AHEAD[key] = started


def stop_git_ahead() -> None:
    """Stop (and reap) the git started ahead that no walk asked for."""
    while _AHEAD:
        _AHEAD.popitem()[1].stop()


def _started_git(args: list[str], cwd: Path) -> Started | None:
    """git started with `args` in `cwd`, its output piped; None when it cannot start."""
    return git_process.start(args, cwd)


_AHEAD: dict[tuple[tuple[str, ...], str], Started] = {}
"""git started ahead (`start_git_ahead`), by its arguments and the folder it runs in."""
_AHEAD_FOLDERS = 4
"""At most this many folders given get their git started ahead."""
