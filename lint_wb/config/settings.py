"""The settings in force for a run: what the configuration file and the command line say.

`config.py` builds these from `[tool.lint-wb]` / `lint-wb.toml`; the CLI overrides them.
The engine only sees :class:`LintOptions`, the part that changes what a file's findings are.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from lint_wb.records import dataclass

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)


@dataclass(frozen=True)
class LintOptions:
    """What the engine needs to know to lint one file."""

    enabled: frozenset[str]
    """The codes of the rules that run."""
    assume_wandb: bool = False
    extra_base_urls: tuple[str, ...] = ()
    extra_models: tuple[str, ...] = ()
    extra_parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything `[tool.lint-wb]` can say, resolved (defaults filled in)."""

    select: tuple[str, ...] = ("WB",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(glob, codes) pairs; globs are relative to `root`."""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    assume_wandb: bool = False
    extra_base_urls: tuple[str, ...] = ()
    extra_models: tuple[str, ...] = ()
    extra_parameters: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    output_format: str = "full"
    models_file: Path | None = None
    config_file: Path | None = None
    """The file these settings came from (None: defaults)."""
    root: Path = field(default_factory=Path.cwd)
    """The folder relative globs and paths resolve against: the config file's folder."""
