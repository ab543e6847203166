"""The project a checked path belongs to: the folder its index is built from (SPEC §2).

The nearer of the folder holding the configuration file in force and the version-control
root. A path in neither is its own project (its folder).
"""

from __future__ import annotations

from pathlib import Path

from lint_wb.config.load import find_config_file

VCS_MARKERS = (".git", ".hg", ".svn")


def project_root(path: Path) -> Path:
    here = path.absolute()
    folder = here if here.is_dir() else here.parent
    config = find_config_file(folder)
    for candidate in (folder, *folder.parents):
        if config is not None and config.parent == candidate:
            return candidate
        if any((candidate / marker).exists() for marker in VCS_MARKERS):
            return candidate
    return folder
