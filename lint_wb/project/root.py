"""The project a checked path belongs to: what its index is built from (SPEC §2).

Inside a project, the nearer of the folder holding the configuration file in force (under
`--config FILE`, that file; under `--isolated`, none) and the version-control root: the
index covers the whole project, whichever of its files a run is given. Outside any (no
configuration file, no checkout above the path), the index covers the named path alone,
as ruff checks only what it is given: `lint-wb x.py` in `/tmp` or in the home folder reads
`x.py`, never the folder around it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from lint_wb.config.load import CONFIG_FILENAMES, ConfigError, ConfigFinder, up_from

VCS_MARKERS = (".git", ".hg", ".svn")


def project_root(path: Path, roots: ProjectRoots | None = None) -> Path | None:
    """The root of the project `path` lies in, or None when it lies in none. `roots`: the
    folders looked at so far (a hook's five files share their folders above)."""
    here = os.path.abspath(path)
    folder = here if os.path.isdir(here) else os.path.dirname(here)
    root = (roots if roots is not None else ProjectRoots()).of_folder(folder)
    return None if root is None else Path(root)


def index_scope(path: Path, roots: ProjectRoots | None = None) -> Path:
    """What the index is built from for a named path: its project's root, or outside any
    project the path itself (a folder is walked, a file is read alone)."""
    root = project_root(path, roots)
    return path.absolute() if root is None else root


class ProjectRoots:
    """`project_root` for the many files of one run, on strings: each folder is looked at
    once (its configuration file, its version-control markers), and a folder's answer is
    its parent's unless it holds one of them."""

    def __init__(
        self,
        finder: ConfigFinder | None = None,
        *,
        config: Path | None = None,
        isolated: bool = False,
    ) -> None:
        """`config` (`--config FILE`): the one configuration file of the run, whose folder
        is the root of what lies under it; `isolated` (`--isolated`): no configuration file
        is read, so only version control marks a root. Either way the configuration files
        on disk mark none: the run does not read them."""
        self._finder = finder if finder is not None else ConfigFinder()
        self._config_folder = None if config is None else os.path.dirname(os.path.abspath(config))
        self._isolated = isolated
        self._of_folder: dict[str, str | None] = {}
        """Absolute, normalized folder -> the root of the project it lies in (None: none)."""
        self._marked: dict[str, bool] = {}
        """Folder -> whether it holds a marker, as a kept walk found it (`know`)."""

    def know(self, marks: Iterable[tuple[str, bool]]) -> None:
        """Take whether each folder holds a marker, as a walk found it, when what it was read
        from is known to be unchanged (`files/walk_record.py`: each listed folder's stat
        moves when an entry is added or removed)."""
        self._marked.update(marks)

    def of(self, path: str) -> str | None:
        """The root of the project the file `path` lies in (absolute, normalized), or None."""
        return self.of_folder(os.path.dirname(os.path.abspath(path)))

    def of_folder(self, folder: str) -> str | None:
        """The root of the project `folder` (absolute, normalized) lies in, or None."""
        found = self._of_folder.get(folder, _UNKNOWN)
        if found is not _UNKNOWN:
            return found  # type: ignore[return-value]
        climbed: list[str] = []
        root: str | None = None
        for candidate in up_from(folder):
            known = self._of_folder.get(candidate, _UNKNOWN)
            if known is not _UNKNOWN:
                root = known  # type: ignore[assignment]
                break
            climbed.append(candidate)
            if self.holds_a_root_marker(candidate):
                root = candidate
                break
        for climbed_folder in climbed:
            self._of_folder[climbed_folder] = root
        return root

    def holds_a_root_marker(self, folder: str) -> bool:
        """Whether `folder` holds a version-control marker or its own configuration file."""
        known = self._marked.get(folder)
        return self._looked_at(folder) if known is None else known

    def _looked_at(self, folder: str) -> bool:
        """`holds_a_root_marker`, looked for on disk."""
        if any(os.path.lexists(os.path.join(folder, marker)) for marker in VCS_MARKERS):
            return True
        if self._isolated:
            return False
        if self._config_folder is not None:
            return folder == self._config_folder
        try:
            config = self._finder.find(folder)
        except ConfigError:  # a broken file here or above (reported for the files under it)
            return any(os.path.isfile(os.path.join(folder, name)) for name in CONFIG_FILENAMES)
        return config is not None and os.path.dirname(config) == folder


_UNKNOWN = object()
