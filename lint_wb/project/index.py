"""The project index: what the rest of the project tells the linting of one file.

Built once per run from the module summaries (`summary.py`, `resolve.py`) before any file
is linted, it holds, per file, plain data that crosses to worker processes:
- the client each request of the file is made on, when only the project can tell (a client
  from a factory, a base class, another module);
- the literals written in the file that some request of the project sends (a model ID in
  `settings.py`), each with one request that uses it: a finding about such a literal is
  reported in this file, where it is written, whichever files a run is given.
A file's entry and its parts are in `told.py`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.records import dataclass

if TYPE_CHECKING:  # what the index tells a file: only when an entry is read (`told.py`)
    from lint_wb.project.told import ModuleIndex


@dataclass(frozen=True)
class ProjectIndex:
    """What the project tells each of its files, by absolute path."""

    modules: Mapping[str, ModuleIndex] = field(default_factory=dict)
    """Absolute file path (`index_key`) -> what the project tells that file."""
    part_of_one: bool = False
    """This is what one file is told (`part`), cut from the index of a project that has
    one: the file is linted as part of a project even when it is told nothing."""
    projects: tuple[tuple[str, bool], ...] = ()
    """Of the index of several projects (`merged`): each one's root, longest first (`""`:
    the files of no project, last), and whether its own index tells anything. A file of a
    project whose own index is empty is linted as that project alone would lint it: as a
    file of no project."""

    def for_path(self, path: Path) -> ModuleIndex | None:
        return self.modules.get(index_key(path))

    def tells(self, path: Path) -> bool:
        """Whether the project tells this file anything (`bool(self.for_path(path))`); an
        index from the known-files table answers without unpickling its entries."""
        told = getattr(self.modules, "told", None)
        if told is not None:
            return index_key(path) in told
        return bool(self.for_path(path))

    def part(self, path: Path) -> ProjectIndex:
        """All the lint of `path` reads of this index: a worker is sent that, not the whole."""
        key = index_key(path)
        found = self.modules.get(key)
        return ProjectIndex({} if found is None else {key: found}, part_of_one=self.holds(path))

    def holds(self, path: Path) -> bool:
        """Whether `path` is linted as a file of a project with an index (even one that
        tells it nothing), or as a file of no project."""
        if not self.projects:
            return bool(self)
        key = index_key(path)
        for root, indexed in self.projects:
            if not root or key.startswith(root.rstrip(os.sep) + os.sep):
                return indexed
        return False

    def fingerprint_for(self, path: Path) -> str:
        """Changes whenever what the project tells this file changes (a cache-key part)."""
        kept = getattr(self.modules, "fingerprints", None)
        if kept is not None:  # an index from the known-files table: no entry unpickled
            return str(kept.get(index_key(path), ""))
        found = self.for_path(path)
        return "" if found is None else repr(found)

    def __bool__(self) -> bool:
        return bool(self.modules) or self.part_of_one


def merged(indexes: Mapping[str | None, ProjectIndex]) -> ProjectIndex:
    """One index of several projects, each one's by its root (None: the files of no
    project); their files are apart, so are their entries."""
    modules = {key: found for index in indexes.values() for key, found in index.modules.items()}
    projects = sorted(
        ((root or "", bool(index)) for root, index in indexes.items()),
        key=lambda project: len(project[0]),
        reverse=True,
    )
    return ProjectIndex(modules, projects=tuple(projects))


def index_key(path: Path | str) -> str:
    """A file's key in the index: its absolute path with `.` and `..` folded. A cached index
    is found again by the files' absolute paths (the known-files table folds them too), so
    a run from another folder, or one naming the project `..`, spells its files otherwise:
    with the spelling in the key, what the index tells them would not be found."""
    return os.path.abspath(path)


def module_name_for(path: Path) -> tuple[str, str]:
    """The dotted module name of a file and the package it belongs to, found by walking up
    through folders with an `__init__.py` (a package's `__init__` is the package itself)."""
    path = path.absolute()
    packages: list[str] = []
    folder = path.parent
    while (folder / "__init__.py").exists() and folder.parent != folder:
        packages.insert(0, folder.name)
        folder = folder.parent
    package = ".".join(packages)
    if path.stem == "__init__":
        return package or path.stem, package
    return ".".join([*packages, path.stem]), package
