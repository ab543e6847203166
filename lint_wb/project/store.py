"""Module summaries, computed once per content: in memory for the run, on disk across runs.

The key is a hash of the module's bytes, its dotted name and package (relative imports are
read against them) and a hash of lint-wb's own code (`cache.code_fingerprint`). An entry is a
pickle of the frozen summary, one small file per key under the user's cache folder, written
through the one atomic writer; a missing, unreadable or stale entry is a miss and the module
is parsed again. The folder is pruned as the result cache is (`cache.prune_summaries`).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.cache import code_fingerprint, summaries_folder
from lint_wb.collector import kept_unscanned
from lint_wb.containment import on_deep_stack
from lint_wb.files import SourceFile, decode_source
from lint_wb.files.atomic import WriteOptions, replace_file

if TYPE_CHECKING:
    from lint_wb.module_parse import ParsedModule
    from lint_wb.project.summary import ModuleSummary

FORMAT = 2
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
        self.folder = folder if folder is not None or not use_cache else summaries_folder()
        self.parsed = 0
        """How many modules this store parsed (the rest came from the cache)."""
        self.keep: frozenset[str] = frozenset()
        """Modules the run lints next: their parses go to `keep_parse`, so each is parsed once."""
        self.keep_parse: Callable[[str, ParsedModule], None] | None = None
        """Called with (module, parse) for a module of `keep` this store parses."""
        self._summaries: dict[str, ModuleSummary | None] = {}
        self.whole: set[str] = set()
        """Modules read whole: a lookup of the project needs a statement a partial parse
        leaves out (`promote`)."""

    def promote(self, module: str) -> None:
        """Read `module` whole from now on (its partial summary is forgotten)."""
        self.whole.add(module)
        self._summaries.pop(module, None)

    def provide(self, module: str, summary: ModuleSummary | None) -> None:
        """A summary made elsewhere (a worker process) from the bytes this store holds."""
        self._summaries[module] = summary

    def cached(self, module: str) -> ModuleSummary | None:
        """The module's summary if it is known or on disk, without parsing it."""
        if module in self._summaries:
            return self._summaries[module]
        data = self.data.get(module)
        found = None if data is None else self._read(self.key(module, data))
        if found is not None:
            self._summaries[module] = found
        return found

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
        key = self.key(module, data)
        stored = self._read(key)
        if stored is not None:
            return stored
        summary = self._summarize(module, path, data)
        if summary is not None:
            self.write(key, summary)
        return summary

    def _summarize(self, module: str, path: Path, data: bytes) -> ModuleSummary | None:
        package = self.packages.get(module, "")
        whole = module in self.whole
        made = summarize_source(data, path, module, package, self.resources, whole=whole)
        if made.parsed is not None:
            self.parsed += 1
            if module in self.keep and self.keep_parse is not None:
                self.keep_parse(module, made.parsed)
        return made.summary

    def key(self, module: str, data: bytes) -> str:
        """The cache key of a module's summary: its bytes, name and package, lint-wb's code."""
        digest = hashlib.sha256()
        package = self.packages.get(module, "")
        resources = ",".join(sorted(self.resources))
        mode = "whole" if module in self.whole else "partial"
        for part in (f"{FORMAT}", code_fingerprint(), module, package, resources, mode):
            # a script's or notebook's module key holds its path, which may hold a byte
            # that is not UTF-8 (a surrogate, as Python reads such a file name)
            digest.update(part.encode("utf-8", "surrogateescape"))
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
        from lint_wb.project.summary import ModuleSummary  # a run that reads none: not loaded

        return found if isinstance(found, ModuleSummary) else None

    def write(self, key: str, summary: ModuleSummary) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            data = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, data, WriteOptions(sync=False))
        except (OSError, pickle.PicklingError, RecursionError):
            return


@dataclass(frozen=True)
class Summarized:
    """A module's summary (None: it does not decode, compile or parse) and, when it was
    parsed, the parse, which the lint of the same text may reuse."""

    summary: ModuleSummary | None
    parsed: ParsedModule | None = None


def summarize_source(
    data: bytes,
    path: Path,
    module: str,
    package: str,
    resources: frozenset[str],
    *,
    whole: bool = False,
) -> Summarized:
    """Decode, parse and summarise one module's bytes (a notebook's code cells as one module);
    `whole`: parse all of it, not only the statements that can matter (`module_parse.py`)."""
    source = decode_source(data, path)
    if not isinstance(source, SourceFile):
        return Summarized(None)
    from lint_wb.module_parse import parse_text

    text: str | None = source.text
    if path.suffix == ".ipynb":
        from lint_wb.notebook.module import module_text

        text = module_text(source.text)
    if text is None:
        return Summarized(None)
    parsed_text = text
    with kept_unscanned():  # the parse is kept for the lint (collector.py)
        parsed = on_deep_stack(lambda: parse_text(parsed_text, whole=whole))
        if isinstance(parsed, Exception):
            return Summarized(None)
        # lint-wb's own failure here propagates: the run says the project index failed
        summary = on_deep_stack(lambda: _summarize_parsed(parsed, module, package, resources))
    if parsed.partial.dropped:
        summary = replace(summary, dropped=parsed.partial.dropped)
    return Summarized(summary, parsed)


def _summarize_parsed(
    parsed: ParsedModule, module: str, package: str, resources: frozenset[str]
) -> ModuleSummary:
    """The summary of a parse, its nodes numbered by the parse's binding pass, which the
    lint of the same parse reads again (`binding.bindings_of`): no walk of its own."""
    from lint_wb.analysis.binding import bindings_of
    from lint_wb.project.summarize import summarize

    ordinals = bindings_of(parsed, package).ordinals()
    return summarize(parsed.module, module, package, resources, ordinals)
