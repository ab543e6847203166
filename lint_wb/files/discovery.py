"""Which files to check: walking folders, excludes, and gitignore as git itself decides it.

Nothing here prints. A folder that cannot be listed comes back as an error value with a
one-line message, so a run goes on with the other files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.files import broken_link_message, os_message

if TYPE_CHECKING:
    import subprocess

SOURCE_SUFFIXES: frozenset[str] = frozenset({".py", ".pyi", ".ipynb"})
"""The suffixes a directory walk picks up. Explicit file paths are taken whatever they end in."""

_GIT_TIMEOUT_SECONDS = 120.0
_GIT_ENV_OVERRIDES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
"""Set by git while it runs hooks; they would point every query at the outer repository."""


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
    return tuple(sorted(unique.values(), key=_order))


def _order(path: Path) -> tuple[str, ...]:
    """What paths sort by (as `Path`'s own order: by parts, case folded where the file
    system does), computed once per path rather than at every comparison."""
    return tuple(os.path.normcase(part) for part in path.parts) if os.name == "nt" else path.parts


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
                child_dir = self._visit(entry, folder, scope, rel + entry.name)
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
        self, entry: os.DirEntry[str], folder: Path, scope: _GitScope | None, rel: str
    ) -> Path | None:
        """Record `entry` (in `folder`) if it is a file to check; return it if it is a
        folder to enter. Only those get a Path: most entries of a tree are neither."""
        if _is_real_dir(entry):
            if entry.name == ".git" or (scope is not None and not scope.keeps_dir(rel)):
                return None
            path = folder / entry.name
            return None if self.is_excluded(path) else path
        if os.path.splitext(entry.name)[1] not in SOURCE_SUFFIXES:
            return None
        if scope is not None and not scope.keeps_file(rel):
            return None
        path = folder / entry.name
        if self.is_excluded(path):
            return None
        if _is_file(entry):
            self.found.append(path)
        elif _is_broken_link(entry):
            self.errors.append((path, broken_link_message(entry.path)))
        return None


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
    import subprocess  # only a walk of a folder needs git: explicit files never do

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
