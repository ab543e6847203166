"""Building the run's `ProjectIndex` from the files of the project.

Which modules are read: a request can only be a W&B request when some module of the project
carries a W&B signal (or the project runs in assume-wandb mode), and only in a module that
is, or imports (directly or through other modules), such a module. Those modules that hold
a request are summarised first; every other module is summarised only when resolving a
value leads into it (a `settings.py` of constants). Imports are found by a byte scan, so a
module that can matter costs a read, and a summary is parsed once per content (the summary
cache keeps it across runs).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from lint_wb.config.load import ConfigError
from lint_wb.config.per_file import SettingsCache, lint_options, spec_for
from lint_wb.files import ReadError, read_raw
from lint_wb.files.prefilter import prefilter_for
from lint_wb.notebook.cells import notebook_code
from lint_wb.project.index import ProjectIndex, module_name_for
from lint_wb.project.resolve import ModuleNames
from lint_wb.project.store import SummaryStore
from lint_wb.project.uses import ModuleSetup, ProjectUses
from lint_wb.spec import SpecError

SUFFIXES = (".py", ".ipynb")
REQUEST_SIGNAL = b"completions"
IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b([^\n]*)|import[ \t]+([\w., \t]+))", re.M
)


class _Project:
    """The project's modules: names, bytes and the import graph between them."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.paths: dict[str, Path] = {}
        self.packages: dict[str, str] = {}
        self.data: dict[str, bytes] = {}
        """What byte scans read: a module's bytes, a notebook's code cells."""
        self.sources: dict[str, bytes] = {}
        """What summaries are made from (a notebook is read again, as the linter reads it)."""
        named = [(path, *module_name_for(path)) for path in files if path.suffix in SUFFIXES]
        counts = Counter(module for path, module, _ in named if path.suffix == ".py")
        for path, module, package in named:
            raw = read_raw(path)
            if isinstance(raw, ReadError):
                continue
            if path.suffix != ".py" or counts[module] > 1:
                # Not importable by that name (a notebook; one of two scripts of one name):
                # a key no import can spell.
                module = f"{module}[{path}]"
            self.paths[module], self.packages[module] = path.absolute(), package
            if path.suffix == ".ipynb":
                self.data[module] = notebook_code(raw.data)
            else:
                self.data[module] = self.sources[module] = raw.data
        self.names = ModuleNames(self.paths)

    def imports(self, module: str) -> set[str]:
        """The project modules `module` imports, by a generous byte scan of its imports."""
        found: set[str] = set()
        for match in IMPORT_LINE.finditer(self.data[module]):
            source, names, plain = match.group(1), match.group(2), match.group(3)
            if plain is not None:
                candidates = [part.split()[0] for part in plain.decode().split(",") if part.split()]
            else:
                base = self._absolute(source.decode(), module)
                words = re.findall(r"\w+", names.decode(errors="replace"))
                candidates = [base] + [f"{base}.{word}" for word in words] if base else []
            for candidate in candidates:
                target = self.names.find(candidate)
                if target is not None:
                    found.add(target)
        return found

    def _absolute(self, named: str, module: str) -> str:
        dots = len(named) - len(named.lstrip("."))
        if not dots:
            return named
        parts = self.packages[module].split(".") if self.packages[module] else []
        base = parts[: max(0, len(parts) - (dots - 1))]
        rest = named[dots:]
        return ".".join([*base, rest] if rest else base)


def index_project(
    files: Sequence[Path], cache: SettingsCache, *, use_cache: bool = True
) -> ProjectIndex:
    """What the project tells each of its files (see `index.py`)."""
    project = _Project(files)
    setups = _setups(project, cache)
    roots = [
        module for module, data in project.data.items() if _carries_signal(module, data, setups)
    ]
    if not roots:
        return ProjectIndex()
    reach = _importers_of(project, roots)
    seeds = sorted(module for module in reach if REQUEST_SIGNAL in project.data[module])
    resources = frozenset(
        endpoint.split(".")[0]
        for setup in setups.values()
        for endpoint in setup.api.unsupported_endpoints
    )
    store = SummaryStore(
        project.paths, project.packages, project.sources, resources=resources, use_cache=use_cache
    )
    uses = ProjectUses(project.names, store.summary, setups)
    modules = uses.index(seeds)
    return ProjectIndex(
        {str(project.paths[module]): found for module, found in modules.items() if found}
    )


def _carries_signal(module: str, data: bytes, setups: Mapping[str, ModuleSetup]) -> bool:
    """Whether a module can hold W&B code of its own: the prefilter's W&B signals."""
    setup = setups.get(module)
    if setup is None:  # its configuration is broken: reported when the file is checked
        return b"wandb" in data.lower()
    prefilter = prefilter_for(
        setup.api,
        assume_wandb=setup.options.assume_wandb,
        extra_base_urls=setup.options.extra_base_urls,
    )
    return prefilter.carries_signal(data)


def _setups(project: _Project, cache: SettingsCache) -> Mapping[str, ModuleSetup]:
    setups: dict[str, ModuleSetup] = {}
    for module, path in project.paths.items():
        try:
            settings = cache.for_path(path)
            setups[module] = ModuleSetup(lint_options(path, settings), spec_for(settings).api)
        except (ConfigError, SpecError):
            continue  # reported when the file itself is checked
    return setups


def _importers_of(project: _Project, roots: Sequence[str]) -> set[str]:
    """`roots` and every module that imports one of them, directly or through others."""
    importers: dict[str, set[str]] = {}
    for module in project.data:
        if b"import" in project.data[module]:
            for target in project.imports(module):
                importers.setdefault(target, set()).add(module)
    reached = set(roots)
    stack = list(roots)
    while stack:
        for importer in importers.get(stack.pop(), ()):
            if importer not in reached:
                reached.add(importer)
                stack.append(importer)
    return reached
