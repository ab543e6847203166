"""The settings, rule options and model spec in force for each file of a run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.config.globs import ignored_codes_for
from lint_wb.config.load import (
    ConfigError,
    ConfigFinder,
    load_settings,
    misnamed_tool_table,
    up_from,
)
from lint_wb.config.settings import LintOptions, Settings
from lint_wb.files.prefilter import Prefilter, prefilter_for
from lint_wb.records import dataclass
from lint_wb.results import Overrides
from lint_wb.rules import check_selector, select_codes
from lint_wb.spec.compiled import CompiledSpec, compiled_folder, compiled_spec
from lint_wb.spec.snapshots import default_models_file

if TYPE_CHECKING:
    from lint_wb.project.root import ProjectRoots
    from lint_wb.spec.types import Spec


@dataclass(frozen=True, eq=False)  # never compared (each generated method costs start-up)
class Consulted:
    """The folders whose configuration files a `SettingsCache` looked for (their own, not
    their parents'), and the configuration files it loaded; absolute."""

    folders: tuple[str, ...]
    files: tuple[str, ...]
    misnamed_looked_at: tuple[str, ...]
    """The folders whose pyproject.toml was looked at for a misnamed table."""
    in_force: tuple[tuple[str, str | None], ...]
    """Each folder searched, and the configuration file in force there."""


class SettingsCache:
    """The nearest configuration for each folder, read once per run.

    `warnings` collects, once each, the pyproject.toml files met on the way up to a folder's
    configuration whose table for lint-wb is misnamed (`[tool.lint_wb]`): they are not read.
    """

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self._by_folder: dict[str, Settings] = {}
        """Absolute folder -> its settings."""
        self._by_folder_name: dict[str, Settings] = {}
        self._by_name: dict[str, Settings] = {}
        self._looked_at: set[str] = set()
        """The folders (absolute) whose pyproject.toml was looked at for a misnamed table."""
        self._finder = ConfigFinder()
        self._by_source: dict[Path | None, Settings] = {}
        """Configuration file (None: none) -> its settings, the overrides applied."""
        self.since = time.time_ns()
        """Everything this cache knows was read after this time (nanoseconds)."""
        self._read: list[Path] = []
        """Every configuration file loaded (with those they extend)."""
        self._specs: dict[Path | None, CompiledSpec] = {}
        self._screens: dict[int, tuple[Settings, Prefilter, Callable[[bytes], bool]]] = {}
        """`screen_of` of each settings object asked (by its id; the object is kept)."""
        self.warnings: list[str] = []
        self.broken = False
        """Whether some folder's settings could not be read (a `ConfigError` was raised)."""
        self._roots: ProjectRoots | None = None

    def spec_for(self, settings: Settings) -> Spec:
        """`spec_for(settings)`, looked up once per models file in this run."""
        return self.compiled_for(settings).spec()

    def compiled_for(self, settings: Settings) -> CompiledSpec:
        """The spec's key and screening facts for files under `settings`, without loading
        the spec itself (`spec/compiled.py`); once per models file in this run."""
        if settings.models_file not in self._specs:
            self._specs[settings.models_file] = compiled_for(settings)
        return self._specs[settings.models_file]

    def screen_of(self, settings: Settings) -> tuple[Prefilter, Callable[[bytes], bool]]:
        """The prefilter for files under `settings`, and its test of a file's bytes
        (`Prefilter.keeps`), made once per settings object: a run screens thousands of files
        under a few. Raises SpecError, as `compiled_for`, when the spec cannot be read."""
        made = self._screens.get(id(settings))
        if made is None or made[0] is not settings:
            screening = self.compiled_for(settings).screening
            prefilter = prefilter_for(
                screening,
                assume_wandb=settings.assume_wandb,
                extra_base_urls=settings.extra_base_urls,
            )
            made = self._screens[id(settings)] = (settings, prefilter, prefilter.test())
        return made[1], made[2]

    def for_path(self, path: Path | str) -> Settings:
        name = os.fspath(path)
        found = self._by_name.get(name)
        if found is None:  # a path asked again costs one look-up; a new one, no pathlib
            found = self._by_name[name] = self._for_folder(_folder_of(name))
        return found

    def _for_folder(self, name: str) -> Settings:
        found = self._by_folder_name.get(name)
        if found is not None:
            return found
        folder = os.path.abspath(name)  # what the settings depend on
        settings = self._by_folder.get(folder)
        if settings is None:
            try:
                settings = self._by_folder[folder] = self._resolve(folder)
            except ConfigError:
                self.broken = True
                raise
            if self.overrides.config is None and not self.overrides.isolated:
                self._look_for_misnamed_tables(folder, settings.config_file)
        self._by_folder_name[name] = settings
        return settings

    def _resolve(self, folder: str) -> Settings:
        """`resolve_settings(folder)` with the overrides applied: one load per configuration
        file, whichever folders it is in force for. A broken file is read (and raises) again
        for each folder, as it was before anything was kept."""
        if self.overrides.isolated:
            source = None
        elif self.overrides.config is not None:
            source = self.overrides.config
        else:
            source = self._finder.find(folder)
        settings = self._by_source.get(source)
        if settings is None:
            if source is None:
                loaded = Settings()
            else:
                loaded = load_settings(source, check_selector=check_selector, read=self._read)
            settings = self._by_source[source] = self.overrides.apply(loaded)
        return settings

    @property
    def project_roots(self) -> ProjectRoots:
        """The root of the project each file lies in (`project.root`), for this run: the
        configuration files are looked for once, with the settings'."""
        if self._roots is None:
            from lint_wb.project.root import ProjectRoots

            overrides = self.overrides
            self._roots = ProjectRoots(
                self._finder, config=overrides.config, isolated=overrides.isolated
            )
        return self._roots

    def project_root(self, path: Path | str) -> str | None:
        """The root of the project the file `path` lies in, or None."""
        return self.project_roots.of(os.fspath(path))

    def every_settings(self) -> list[Settings]:
        """The settings of every folder resolved so far, each object once."""
        return list({id(settings): settings for settings in self._by_folder.values()}.values())

    def consulted(self) -> Consulted:
        """What the settings given so far were read from."""
        folders = sorted({*self._finder.looked_in, *self._looked_at})
        looked_at = tuple(sorted(self._looked_at))
        read = tuple(map(str, self._read))
        return Consulted(tuple(folders), read, looked_at, self._finder.answers())

    def seen_before(self, consulted: Consulted, warnings: Sequence[str]) -> None:
        """Take what an earlier run of these settings found, when what it was read from is
        known to be unchanged (`files/walk_record.py`): the configuration file in force in
        each folder it searched, the folders whose pyproject.toml it looked at for a
        misnamed table, and its warnings."""
        self._finder.know(consulted.in_force)
        self._looked_at.update(consulted.misnamed_looked_at)
        self.warnings.extend(warning for warning in warnings if warning not in self.warnings)

    def _look_for_misnamed_tables(self, folder: str, config_file: Path | None) -> None:
        """From `folder` up to the configuration in force (or the filesystem root)."""
        config = None if config_file is None else os.fspath(config_file)
        config_folder = None if config is None else os.path.dirname(config)
        for candidate in up_from(os.path.abspath(folder)):
            if candidate in self._looked_at:
                return
            self._looked_at.add(candidate)
            pyproject = os.path.join(candidate, "pyproject.toml")
            if pyproject != config and os.path.isfile(pyproject):
                warning = misnamed_tool_table(Path(pyproject))
                if warning is not None:
                    self.warnings.append(warning)
            if candidate == config_folder:
                return


def _folder_of(name: str) -> str:
    """The folder whose settings a path takes, as `path.parent if path.suffix else path`
    gives it, on the string (pathlib's objects cost more than the rest of a walk's step).
    Where `/` is the only separator, as `os.path.basename` and `os.path.dirname` find it,
    without their calls (asked once for each file a run screens)."""
    if os.altsep is not None or os.sep != "/":
        base = os.path.basename(name)
        dot = base.rfind(".")
        if not 0 < dot < len(base) - 1:  # no suffix: the path is taken as a folder
            return name
        return os.path.dirname(name) or "."
    start = name.rfind("/") + 1  # where the last part begins
    if not start < name.rfind(".", start) < len(name) - 1:  # no suffix: a folder
        return name
    head = name[:start]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return head or "."


def lint_options(path: Path, settings: Settings) -> LintOptions:
    ignore = settings.ignore + ignored_codes_for(path, settings)
    return LintOptions(
        enabled=select_codes(settings.select, settings.extend_select, ignore),
        assume_wandb=settings.assume_wandb,
        extra_base_urls=settings.extra_base_urls,
        extra_models=settings.extra_models,
        extra_parameters=settings.extra_parameters,
    )


def spec_for(settings: Settings) -> Spec:
    """The spec for files under `settings`: the snapshot `models-file` names when set, else
    the newer of the bundled one and the one `lint-wb --update-models` cached."""
    return compiled_for(settings).spec()


def compiled_for(settings: Settings) -> CompiledSpec:
    """`spec_for(settings)` in its compiled form, kept in the cache folder when there is one."""
    models_file = settings.models_file
    models_file = models_file if models_file is not None else default_models_file()
    return compiled_spec(models_file, compiled_folder())
