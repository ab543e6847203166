"""The project a checked path belongs to: what its index is built from (SPEC §2).

Inside a project, the nearer of the folder holding the configuration file in force and the
version-control root: the index covers the whole project, whichever of its files a run is
given. Outside any (no configuration file, no checkout above the path), the index covers
the named path alone, as ruff checks only what it is given: `lint-wb x.py` in `/tmp` or in
the home folder reads `x.py`, never the folder around it.
"""

from __future__ import annotations

from pathlib import Path

from lint_wb.config.load import ConfigFinder

VCS_MARKERS = (".git", ".hg", ".svn")


def project_root(path: Path, finder: ConfigFinder | None = None) -> Path | None:
    """The root of the project `path` lies in, or None when it lies in none. `finder`: the
    configuration files found so far (a hook's five files share their folders above)."""
    here = path.absolute()
    folder = here if here.is_dir() else here.parent
    config = (finder if finder is not None else ConfigFinder()).find(folder)
    for candidate in (folder, *folder.parents):
        if config is not None and config.parent == candidate:
            return candidate
        if any((candidate / marker).exists() for marker in VCS_MARKERS):
            return candidate
    return None


def index_scope(path: Path, finder: ConfigFinder | None = None) -> Path:
    """What the index is built from for a named path: its project's root, or outside any
    project the path itself (a folder is walked, a file is read alone)."""
    root = project_root(path, finder)
    return path.absolute() if root is None else root
