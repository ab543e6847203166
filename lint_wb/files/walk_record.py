"""A folder walk's answer, kept, and known to be unchanged without walking again.

A walk (`discovery.discover`) lists folders, asks git which files it tracks or does not
ignore, follows symbolic links, and asks the settings which paths are excluded. A warm run
(a pre-commit hook in a checkout walks the whole project for its index) takes the last
walk's answer when none of what it was made from changed:

- each folder listed: adding, removing or renaming an entry moves a folder's modification
  and change times (its stat is taken before it is listed);
- git: asked again (one quick call per repository), its answer compared byte for byte, so
  an edited `.gitignore`, `git add` or `git rm --cached` is seen however git came to it.
  Its questions are asked at once, each on a thread; while git answers, this thread takes
  this run's stat of each file the walk gave (`KnownFiles.stat`), which the run asks for
  next (the project index's key, the screening): a pre-commit hook in a checkout of
  thousands of files spends about as long on those stats as on git;
- each symbolic link with a source suffix: whether its target is there, and a file;
- the settings: the stat of each configuration file read, and, in each folder the
  settings looked in, whether each configuration file name is there (a walked folder's
  stat says that for it; above the walk, each name is looked at);
- each named path: whether it is a folder;
- the key: the paths as named, the current folder, the command line's settings, the walk's
  options and lint-wb's own code.

A walk is kept only when nothing it read changed within `RACY_NS` before it started (an
entry added in the same timestamp tick as an earlier change would keep a folder's times):
the next run walks again, and keeps its answer then (the settings' own reads count from when
they began: `SettingsCache.since`). The warnings the settings gave during the walk
(misnamed `[tool.lint_wb]` tables) are kept and given again, and so is the configuration file
in force in each folder searched: a kept walk's settings look for no configuration file.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.config.load import CONFIG_FILENAMES
from lint_wb.digests import hex_digest
from lint_wb.files import known
from lint_wb.files.discovery import Discovery, discover, git_answer, in_a_work_tree
from lint_wb.files.known import StatKey, stat_key
from lint_wb.records import dataclass

if TYPE_CHECKING:
    from lint_wb.config.per_file import Consulted, SettingsCache
    from lint_wb.files.known import KnownFiles

FORMAT = 3
"""Bump when what a record holds, or what a walk depends on, changes."""

GitAsk = tuple[tuple[str, ...], str, str | None]
"""git's arguments, the folder it ran in, and a hash of its answer (None: no answer)."""


@dataclass(frozen=True, eq=False)  # never compared (each generated method costs start-up)
class WalkRecord:
    """A walk's answer and what it was made from."""

    files: tuple[str, ...]
    errors: tuple[tuple[str, str], ...]
    stats: tuple[tuple[str, StatKey | None], ...]
    """Folders listed and configuration files (None: not there), as `stat_key` gives them."""
    links: tuple[tuple[str, int], ...]
    """Symbolic links followed, with `_link_state`."""
    named: tuple[tuple[str, bool], ...]
    """Each named path, and whether it is a folder."""
    git: tuple[GitAsk, ...]
    consulted: Consulted
    """What the settings were read from, and what they found there."""
    warnings: tuple[str, ...]
    marks: tuple[tuple[str, bool], ...] = ()
    """Each folder listed, and whether it holds a configuration file or a version-control
    marker: the roots of the projects inside the walk (`project.root.ProjectRoots`)."""

    def holds(self) -> bool:
        """Whether a walk now would give the same answer (git is asked last: it costs most)."""
        return self.holds_on_disk() and all(
            _asked(args, cwd) == answer for args, cwd, answer in self.git
        )

    def holds_on_disk(self) -> bool:
        """Whether what the walk read of the disk is unchanged: all but git's answers."""
        return (
            all(stat_key(path) == kept for path, kept in self.stats)
            and all(_link_state(path) == state for path, state in self.links)
            and all(os.path.isdir(path) == is_dir for path, is_dir in self.named)
        )


@dataclass(frozen=True, eq=False)  # never compared
class Walked:
    """A walk's answer: `discover`'s, or a kept one's, whose files stay names (a pathlib
    object costs more than the rest of a warm run's step for a file)."""

    files: Sequence[Path | str]
    """As `discover` gives them (`os.fspath` of each is the same either way)."""
    errors: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, found: Discovery) -> Walked:
        errors = tuple((os.fspath(path), message) for path, message in found.errors)
        return cls(found.files, errors)

    def paths(self) -> list[Path]:
        return [file if isinstance(file, Path) else Path(file) for file in self.files]


def discover_known(
    paths: Sequence[Path],
    *,
    settings: SettingsCache,
    is_excluded: Callable[[Path], bool],
    respect_gitignore: bool | Sequence[bool],
    force_exclude: bool,
    table: KnownFiles | None,
) -> Walked:
    """`discover(paths, ...)`, from the last walk's answer when it still holds; a walk that
    lists folders is kept in `table` (the known-files table of the run's roots)."""
    if table is None:
        return Walked.of(
            discover(
                paths,
                is_excluded=is_excluded,
                respect_gitignore=respect_gitignore,
                force_exclude=force_exclude,
            )
        )
    key = _key(paths, settings, respect_gitignore, force_exclude)
    kept = table.walk(key)
    if kept is not None and _holds(kept, table):
        settings.seen_before(kept.consulted, kept.warnings)
        settings.project_roots.know(kept.marks)
        return Walked(kept.files, kept.errors)
    start = time.time_ns()
    warned = len(settings.warnings)
    seen = _Seen()
    found = discover(
        paths,
        is_excluded=is_excluded,
        respect_gitignore=respect_gitignore,
        force_exclude=force_exclude,
        seen=seen,
    )
    if seen.folders:  # named files alone: nothing to keep
        record = seen.record(paths, found, settings, settings.warnings[warned:], start)
        if record is not None:
            table.keep_walk(key, record)
    return Walked.of(found)


@dataclass(eq=False)  # never compared
class _Seen:
    """What one walk read (`discovery.WalkSeen`)."""

    folders: dict[str, StatKey | None] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    git_asks: list[GitAsk] = field(default_factory=list)

    def listing(self, folder: Path) -> None:
        self.folders[os.path.abspath(folder)] = stat_key(folder)

    def link(self, path: Path) -> None:
        self.links[os.fspath(path)] = _link_state(os.fspath(path))

    def git(self, args: Sequence[str], cwd: Path, answer: bytes | None) -> None:
        self.git_asks.append((tuple(args), os.fspath(cwd), _digest(answer)))

    def record(
        self,
        paths: Sequence[Path],
        found: Discovery,
        settings: SettingsCache,
        warnings: Sequence[str],
        start: int,
    ) -> WalkRecord | None:
        """The record of this walk; None when something it read changed just before or
        while it ran."""
        stats = dict(self.folders)
        consulted = settings.consulted()
        start = min(start, settings.since)  # the settings may have been read before the walk
        for folder in consulted.folders:
            for name in CONFIG_FILENAMES:
                path = os.path.join(folder, name)
                state = stat_key(path)
                if state is not None or folder not in self.folders:
                    stats[path] = state
        for path in consulted.files:
            stats[path] = stat_key(path)
        if any(state is not None and _recent(state, start) for state in stats.values()):
            return None
        marks = settings.project_roots.holds_a_root_marker
        return WalkRecord(
            files=tuple(map(os.fspath, found.files)),
            errors=tuple((os.fspath(path), message) for path, message in found.errors),
            stats=tuple(stats.items()),
            links=tuple(self.links.items()),
            named=tuple((os.fspath(path), os.path.isdir(path)) for path in paths),
            git=tuple(self.git_asks),
            consulted=consulted,
            warnings=tuple(warnings),
            marks=tuple((folder, marks(folder)) for folder in self.folders),
        )


def _key(
    paths: Sequence[Path],
    settings: SettingsCache,
    respect_gitignore: bool | Sequence[bool],
    force_exclude: bool,
) -> str:
    from lint_wb.cache import code_fingerprint

    named = [os.fspath(path) for path in paths]
    overrides = settings.overrides  # its fields' values: its repr would make its compare methods
    given = [(field.name, getattr(overrides, field.name)) for field in fields(overrides)]
    options = (repr(respect_gitignore), force_exclude, repr(given))
    text = repr((FORMAT, code_fingerprint(), os.getcwd(), named, options))
    return hex_digest(text.encode())


def _holds(kept: WalkRecord, table: KnownFiles) -> bool:
    """`kept.holds()`, with git's answers asked at once, each on a thread, when git is
    started: while git answers, this thread checks the rest of the record and takes the stat
    of each file the walk gave (see the module's docstring).

    The stats stay on this thread: a second thread taking half of them cost more CPU than
    it saved (each stat releases the interpreter's lock, and handing it from thread to
    thread and back costs more than the system call), and git's answer takes longer than
    the stats anyway."""
    if not any(in_a_work_tree(Path(cwd)) for _, cwd, _ in kept.git):
        return kept.holds()
    asking = [_Asking(args, cwd) for args, cwd, _ in kept.git]
    try:
        on_disk = kept.holds_on_disk()
        if on_disk:
            _stat_each(kept.files, table)
        return on_disk and all(
            ask.answer() == answer for ask, (_, _, answer) in zip(asking, kept.git)
        )
    finally:
        for ask in asking:
            ask.wait()


class _Asking:
    """One question to git, asked on a thread from the moment this is made."""

    def __init__(self, args: tuple[str, ...], cwd: str) -> None:
        self._digest: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._ask, args=(args, cwd), daemon=True)
        self._thread.start()

    def _ask(self, args: tuple[str, ...], cwd: str) -> None:
        try:
            self._digest = _asked(args, cwd)
        except BaseException as error:  # lint-wb's own bug: raised where the answer is asked
            self._error = error

    def wait(self) -> None:
        self._thread.join()

    def answer(self) -> str | None:
        """The hash of git's answer (None: no answer, as `git_answer` gives it); raises what
        asking raised (a bug of lint-wb's, reported by the run as any other)."""
        self.wait()
        if self._error is not None:
            raise self._error
        return self._digest


def _stat_each(files: Sequence[str], table: KnownFiles) -> None:
    try:
        table.stat_each(files)
    except Exception:  # the run stats the rest itself, and meets the error there
        return


def _recent(state: StatKey, start: int) -> bool:
    _, mtime, ctime, _, _ = state
    return max(mtime, ctime) >= start - known.RACY_NS


def _link_state(path: str) -> int:
    """0: broken, 1: to a file, 2: to something else."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return 0
    return 1 if stat.S_ISREG(mode) else 2


def _asked(args: tuple[str, ...], cwd: str) -> str | None:
    return _digest(git_answer(args, Path(cwd)))


def _digest(answer: bytes | None) -> str | None:
    return None if answer is None else hex_digest(answer)
