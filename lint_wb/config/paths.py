"""Paths as the configuration reads and shows them."""

from __future__ import annotations

import os
from pathlib import Path


def absolute_path(path: Path) -> Path:
    """`path` made absolute and normalized (`..` folded) without resolving symlinks."""
    return Path(os.path.abspath(path))


def display_path(path: Path) -> str:
    """`path` relative to the current folder when it is inside it, else absolute."""
    try:
        return str(absolute_path(path).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
