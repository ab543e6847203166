"""Building the run's `ProjectIndex` (see `project.py`) from the files it checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lint_wb.analysis import ModuleContext
from lint_wb.config.load import ConfigError
from lint_wb.config.per_file import SettingsCache, lint_options, spec_for
from lint_wb.files import ReadError, SourceFile, decode_source, read_raw
from lint_wb.project.index import (
    ExportedClient,
    ProjectIndex,
    build_index,
    exported_clients,
    imported_names,
    may_define_module_client,
    module_name_for,
)
from lint_wb.spec import SpecError


def index_project(files: Sequence[Path], cache: SettingsCache) -> ProjectIndex:
    """The clients the checked modules bind at module level, for modules that import them.

    Only a module that some other checked file imports by name is parsed here, so a
    single script with its own client costs no second parse.
    """
    exporters = _possible_exporters(files)
    if not exporters:
        return ProjectIndex()
    imported = imported_names(files, {module_name_for(path)[0] for path in exporters})
    exports: list[ExportedClient] = []
    for path, data in exporters.items():
        module = module_name_for(path)[0]
        if module in imported:
            exports.extend(_exports_of(path, data, cache))
    return build_index(exports)


def _possible_exporters(files: Sequence[Path]) -> dict[Path, bytes]:
    found: dict[Path, bytes] = {}
    for path in files:
        if path.suffix == ".py":
            raw = read_raw(path)
            if not isinstance(raw, ReadError) and may_define_module_client(raw.data):
                found[path] = raw.data
    return found


def _exports_of(path: Path, data: bytes, cache: SettingsCache) -> list[ExportedClient]:
    source = decode_source(data, path)
    try:
        settings = cache.for_path(path)
        spec = spec_for(settings)
    except (ConfigError, SpecError):
        return []  # reported when the file itself is checked
    if not isinstance(source, SourceFile):
        return []
    from lint_wb.engine import parse_and_analyze  # loads libcst: only when needed

    module, package = module_name_for(path)
    options = lint_options(path, settings)
    facts = parse_and_analyze(source.text, options, spec, ModuleContext(package))
    return [] if facts is None else exported_clients(facts, module)
