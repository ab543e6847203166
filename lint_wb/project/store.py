"""Module summaries, computed once per content: in memory for the run, on disk across runs.

The key is a hash of the module's bytes, its dotted name and package (relative imports are
read against them) and a hash of lint-wb's own code (`cache.code_fingerprint`). An entry is a
pickle of the frozen summary, one small file per key under the user's cache folder, written
through the one atomic writer; a missing, unreadable or stale entry is a miss and the module
is parsed again. The folder is pruned as the result cache is (`prune_summaries`).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from pathlib import Path

from lint_wb.cache import code_fingerprint
from lint_wb.containment import on_deep_stack
from lint_wb.files import SourceFile, decode_source
from lint_wb.files.atomic import WriteOptions, replace_file
from lint_wb.project.summary import ModuleSummary
from lint_wb.syntax_error import compile_error

FORMAT = 1
"""Bump when the entry layout changes."""


class SummaryStore:
    def __init__(
        self,
        paths: Mapping[str, Path],
        packages: Mapping[str, str],
        data: Mapping[str, bytes] | None = None,
        *,
        resources: frozenset[str] = frozenset(),
        use_cache: bool = True,
        folder: Path | None = None,
    ) -> None:
        self.resources = resources
        """The client's endpoint roots besides chat (`summarize.summarize`)."""
        self.paths = paths
        self.packages = packages
        self.data = data or {}
        self.folder = folder if folder is not None or not use_cache else _default_folder()
        self.parsed = 0
        """How many modules this store parsed (the rest came from the cache)."""
        self._summaries: dict[str, ModuleSummary | None] = {}

    def summary(self, module: str) -> ModuleSummary | None:
        """The summary of a project module; None when it cannot be read or parsed."""
        if module not in self._summaries:
            self._summaries[module] = self._load(module)
        return self._summaries[module]

    def _load(self, module: str) -> ModuleSummary | None:
        path = self.paths.get(module)
        if path is None:
            return None
        data = self.data.get(module)
        if data is None:
            try:
                data = path.read_bytes()
            except OSError:
                return None
        key = self._key(module, data)
        stored = self._read(key)
        if stored is not None:
            return stored
        summary = self._summarize(module, path, data)
        if summary is not None:
            self._write(key, summary)
        return summary

    def _summarize(self, module: str, path: Path, data: bytes) -> ModuleSummary | None:
        source = decode_source(data, path)
        if not isinstance(source, SourceFile):
            return None
        from lint_wb._cst import cst
        from lint_wb.project.summarize import summarize

        text: str | None = source.text
        if path.suffix == ".ipynb":
            from lint_wb.notebook.module import module_text

            text = module_text(source.text)
        if text is None or compile_error(text) is not None:
            return None
        try:
            parsed = on_deep_stack(lambda: cst.parse_module(text))
        except (cst.ParserSyntaxError, RecursionError, ValueError):
            return None
        self.parsed += 1
        package = self.packages.get(module, "")
        try:
            return on_deep_stack(lambda: summarize(parsed, module, package, self.resources))
        except Exception:  # lint-wb's own failure: WB900 when the module itself is checked
            return None

    def _key(self, module: str, data: bytes) -> str:
        digest = hashlib.sha256()
        package = self.packages.get(module, "")
        resources = ",".join(sorted(self.resources))
        for part in (f"{FORMAT}", code_fingerprint(), module, package, resources):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.pickle"

    def _read(self, key: str) -> ModuleSummary | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            with open(path, "rb") as f:
                found = pickle.load(f)
        except Exception:  # any broken entry is a miss
            return None
        return found if isinstance(found, ModuleSummary) else None

    def _write(self, key: str, summary: ModuleSummary) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            data = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, data, WriteOptions(sync=False))
        except (OSError, pickle.PicklingError, RecursionError):
            return


def prune_summaries() -> None:
    """Prune the summaries' folder as the result cache is pruned (age, size, leftovers)."""
    from lint_wb.cache import prune_folder

    folder = _default_folder()
    if folder is not None:
        prune_folder(folder, "*.pickle")


def _default_folder() -> Path | None:
    from lint_wb.spec import cache_dir

    try:
        return cache_dir() / "summaries"
    except (OSError, RuntimeError):
        return None
