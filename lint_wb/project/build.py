"""Building the run's `ProjectIndex` from the files of the project.

Which modules are read: a request can only be a W&B request when some module of the project
carries a W&B signal (or the project runs in assume-wandb mode), and only in a module that
is such a module or imports from one, directly or through other modules, something that can
carry its signal (`carried.py`; or a module whose running may change what others see, as
every importer of it). Those modules that hold
a request are summarised first; every other module is summarised only when resolving a
value leads into it (a `settings.py` of constants). Imports are found by a byte scan, so a
module that can matter costs a read, and a summary is parsed once per content (the summary
cache keeps it across runs).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Container, ItemsView, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from lint_wb.config.load import ConfigError
from lint_wb.config.per_file import SettingsCache
from lint_wb.config.settings import Settings
from lint_wb.files import ReadError, read_raw
from lint_wb.project.index import ProjectIndex, index_key, merged
from lint_wb.project.signals import WANDB_SIGNAL as WANDB_SIGNAL
from lint_wb.project.signals import absolute_name as absolute_name
from lint_wb.project.signals import carries_wandb_signal as _carries_wandb_signal
from lint_wb.project.signals import may_target_wandb as may_target_wandb
from lint_wb.project.signals import names_wandb_key as _names_wandb_key
from lint_wb.project.signals import screening_of as screening_of
from lint_wb.project.signals import set_to_target as _set_to_target
from lint_wb.project.signals import url_store_mentions
from lint_wb.project.source_scan import (
    RELATIVE_IMPORT,
    SiteScan,
    absolute_module,
    may_import_a_client_library,
    names_given,
    words_of,
)
from lint_wb.reach import reached
from lint_wb.spec.tables import SpecError

if TYPE_CHECKING:
    from lint_wb.analysis.fact_sources import FirstLook
    from lint_wb.project.resolve import ModuleNames
    from lint_wb.project.store import Alone, Inert, Summarized, SummaryStore
    from lint_wb.project.summary import ModuleSummary
    from lint_wb.project.uses import ModuleSetup
    from lint_wb.spec.types import ApiSpec

# The index's machinery (summaries, resolution, the analysis under them) is imported once
# some module can target W&B: most projects have none, and their runs never load it.

SUFFIXES = (".py", ".ipynb")
REQUEST_SIGNAL = b"completions"
IMPORT_STATEMENT = re.compile(
    rb"(?<![\w.])(?:from[ \t]+(\.*[ \t]*(?:\w+(?:[ \t]*\.[ \t]*\w+)*)?)[ \t]+import\b([^\n;]*)"
    rb"|import[ \t]+([\w., \t]+))"
)
"""An import statement on a line, wherever on it it starts: after a `;` (`import os; from
pkg import llm`), after a one-line `try:` or `if ...:`, after a byte-order mark or a form
feed, with spaces around a dotted name's dots (`from pkg . llm import x`). Generous: `from x
import y` or `import x` in a comment or a string names `x` too, which can only add modules. A
match never goes past its line's end, and only a line holding `import` can match:
`import_lines` gives those lines, each read on its own."""

CONTINUED: Final = re.compile(rb"\\\r?\n")
"""A backslash that joins a line to the next."""
_ENDS_CONTINUED: Final = frozenset(b"\\\r")
"""The byte before a line break that may end a continued line (a backslash, or CRLF's CR)."""


def import_lines(data: bytes) -> list[bytes]:
    """The lines of `data` holding `import` (without their line break): where
    IMPORT_STATEMENT can match; lines a backslash joins come as one (`from` and a backslash,
    then `pkg import llm`; `import os, \\`, then `pkg.llm`). A `^` of a MULTILINE pattern is
    tried at every byte (the regex engine has no line index), which made the scan of a
    3,000-file project cost more than reading it; `find` skips to the next `import` at C
    speed. A list, not a generator: a project's files hold tens of thousands of import lines,
    and a generator's step per line is a large share of so small a scan. A line that neither
    ends in nor follows a backslash or a CR (nearly every line) is taken as it is, in as
    few steps as the loop can make (`_joined` reads the others): this loop was 6% of a cold
    run on 3,000 files."""
    lines: list[bytes] = []
    append, find, rfind = lines.append, data.find, data.rfind
    ends = _ENDS_CONTINUED
    found = find(b"import")
    while found >= 0:
        start = rfind(b"\n", 0, found) + 1
        end = find(b"\n", found)
        if end > 0 and data[end - 1] not in ends and (start < 2 or data[start - 2] not in ends):
            append(data[start:end])
        else:
            line, end = _joined(data, start, end)
            append(line)
            if end < 0:
                break
        found = find(b"import", end)  # past the whole statement: each line is read once
    return lines


def _joined(data: bytes, start: int, end: int) -> tuple[bytes, int]:
    """The statement holding the line from `start` to the line break `end` (-1: none) as one
    line, the lines a backslash joins above and below it joined to it, and the line break
    that ends it (-1: the end of `data`)."""
    first, last = start, end
    if start > 1 and data[start - 2] in _ENDS_CONTINUED:
        start = _continued_from(data, start)
    while end > 0 and data[end - 1] in _ENDS_CONTINUED and _continues(data, end):
        end = data.find(b"\n", end + 1)
    line = data[start:] if end < 0 else data[start:end]
    return (line if (start, end) == (first, last) else CONTINUED.sub(b" ", line)), end


def _continues(data: bytes, end: int) -> bool:
    """Whether the line ending at the line break `end` ends in a backslash."""
    return CONTINUED.match(data, end - 2 if data[end - 1] == 13 else end - 1) is not None


def _continued_from(data: bytes, start: int) -> int:
    """Where the statement holding the line at `start` begins: the first of the lines above
    it that each end in a backslash."""
    while start > 1 and _continues(data, start - 1):
        start = data.rfind(b"\n", 0, start - 1) + 1
    return start


def continued_imports(data: bytes) -> list[bytes]:
    """The import statements of `data` whose names go on in parentheses past the line
    holding `import` (`from app import (` and `llm,` below), each joined into one line: the
    names there are modules too, and `import_lines` gives that line alone (it joins only
    lines a backslash continues). Generous: a `(` in a comment or a string takes in the
    lines up to the next `)`, which can only name more modules."""
    joined: list[bytes] = []
    find, size = data.find, len(data)
    found = find(b"import")
    while found >= 0:
        start = data.rfind(b"\n", 0, found) + 1
        end = find(b"\n", found)
        end = size if end < 0 else end
        if b"(" in data[start:end] and b")" not in data[start:end]:
            close = find(b")", end)
            end = size if close < 0 else close + 1
            joined.append(CONTINUED.sub(b" ", data[start:end]).replace(b"\n", b" "))
        found = find(b"import", end)
    return joined


def import_statements(data: bytes) -> list[bytes]:
    """The import statements of `data`, each as one line to read: the lines holding `import`
    (`import_lines`) and, where names go on in parentheses, the statement joined whole."""
    lines = import_lines(data)
    return lines + continued_imports(data) if _may_continue(data, lines) else lines


def _may_continue(data: bytes, lines: Sequence[bytes]) -> bool:
    """Whether an import statement of `data` may go on in parentheses past the line holding
    `import` (a cheap test that `continued_imports` can only answer with nothing when it is
    false): OPEN_IMPORT matches in `data`. `lines`, its `import_lines`, hold every line
    where it can, so they are searched first: most modules have no such import, and a
    regex tries each byte of what it searches (of a module, the import lines are a small
    part). A match in them may be made by a backslash's join (`import \\` and `(` on the
    next line), so the bytes are searched to be sure."""
    return (
        OPEN_IMPORT.search(b"\n".join(lines)) is not None and OPEN_IMPORT.search(data) is not None
    )


OPEN_IMPORT: Final = re.compile(rb"import[ \t]*\(")


FEW_CALLERS: Final = 8
"""`_Project.callers` scans only the modules that may call a function when they are fewer
than one in this many: else it scans every module once for the name, for every function."""

_RELATIVE: Final = ("",)
"""What `_Project._lines` holds for a relative import's line: it names modules by package."""


class _ModuleNaming:
    """`index.module_name_for`, with each folder's package looked up once (on strings:
    pathlib's objects cost more than the rest of the byte scan of a big project)."""

    def __init__(self) -> None:
        self._packages: dict[str, list[str]] = {}

    def of(self, path: Path) -> tuple[str, str, Path]:
        """The module's name, its package and the file's absolute path."""
        given = os.fspath(path)
        relative = not os.path.isabs(given)
        absolute = os.path.join(os.getcwd(), given) if relative else given
        folder, name = os.path.split(absolute)
        stem = os.path.splitext(name)[0]
        packages = self._package_parts(folder)
        package = ".".join(packages)
        whole = Path(absolute) if relative else path  # a Path made costs as much as the rest
        if stem == "__init__":
            return package or stem, package, whole
        return ".".join([*packages, stem]), package, whole

    def _package_parts(self, folder: str) -> list[str]:
        if folder not in self._packages:
            parts: list[str] = []
            parent = os.path.dirname(folder)
            if parent != folder and os.path.exists(os.path.join(folder, "__init__.py")):
                parts = [*self._package_parts(parent), os.path.basename(folder)]
            self._packages[folder] = parts
        return self._packages[folder]


class _Unread:
    """A module's file whose bytes the run has not read yet: read once, when first asked
    for (`_Texts`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: bytes | None = None

    def data(self) -> bytes:
        """The file's bytes (none when it can no longer be read: gone since it was
        screened; its own check reports it)."""
        if self._data is None:
            raw = read_raw(self.path)
            self._data = b"" if isinstance(raw, ReadError) else raw.data
        return self._data


class _Texts(Mapping[str, bytes]):
    """Module -> bytes, in the order the modules were added, some read only when first
    asked for (`_Unread`): a run whose files a forked process screened has not read the
    bytes of those it found signal-free, and the index's scans ask for few of them (the
    import scan has their statements already). Asking whether a module is here reads
    nothing; iterating over the bytes of every module (`items`) reads them all."""

    def __init__(self) -> None:
        self._texts: dict[str, bytes | _Unread] = {}
        self._unread = 0
        """How many of the modules are not read yet."""

    def add(self, module: str, data: bytes | _Unread) -> None:
        self._texts[module] = data
        self._unread += isinstance(data, _Unread)

    def __getitem__(self, module: str) -> bytes:
        found = self._texts[module]
        if isinstance(found, _Unread):
            found = self._texts[module] = found.data()
            self._unread -= 1
        return found

    def items(self) -> ItemsView[str, bytes]:
        """Each module and its bytes (those not read yet read now), as a dict gives them:
        a scan of every module (`_Project.mentions`, once a name) runs at C speed."""
        if self._unread:
            for module in self._texts:
                self[module]
        return cast("dict[str, bytes]", self._texts).items()

    def __contains__(self, module: object) -> bool:
        return module in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


class _Project:
    """The project's modules: names, bytes and the import graph between them."""

    def __init__(
        self,
        files: Sequence[Path],
        sources: Mapping[Path, bytes],
        scanned: Mapping[Path, bytes] | None = None,
        scopes: Sequence[Path] = (),
        unread: Mapping[Path, Sequence[bytes]] | None = None,
    ) -> None:
        """`sources`: the bytes of the files that could be read; `scanned`: what byte scans
        read of each (`scanned_bytes`), when already made; `scopes`: what the index is built
        from (the projects' roots, `root.index_scope`), which messages name a file from
        (`shown`); `unread`: modules not in `sources` whose import statements the run
        already has (`import_statements`: files a forked screening found signal-free), read
        only when a scan asks for their bytes."""
        self.paths: dict[str, Path] = {}
        self.packages: dict[str, str] = {}
        self.data = _Texts()
        """What byte scans read: a module's bytes, a notebook's code cells."""
        self.sources = _Texts()
        """What summaries are made from (a notebook is read again, as the linter reads it)."""
        self._statements: dict[str, Sequence[bytes]] = {}
        """The import statements of the modules `unread` gave."""
        self._scanned_statements: dict[str, Sequence[bytes]] = {}
        """The import statements of the other modules, once scanned (`import_statements_of`)."""
        self.modules: dict[Path, str] = {}
        """Each file's module, by the path it was given as."""
        names = _ModuleNaming()
        suffixes = ((path, path.suffix) for path in files)  # pathlib computes it each time
        named = [(path, suffix, *names.of(path)) for path, suffix in suffixes if suffix in SUFFIXES]
        counts = Counter(module for _, suffix, module, _, _ in named if suffix == ".py")
        unread = unread or {}
        for path, suffix, module, package, absolute in named:
            data: bytes | _Unread | None = sources.get(path)
            statements = None
            if data is None:
                statements = unread.get(path) if suffix == ".py" else None
                if statements is None:
                    continue
                data = _Unread(path)
            if suffix != ".py" or counts[module] > 1:
                # Not importable by that name (a notebook; one of two scripts of one name):
                # a key no import can spell, the same from every working folder (the
                # summary cache keeps a summary by its module's key).
                module = f"{module}[{index_key(absolute)}]"
            self.paths[module], self.packages[module] = absolute, package
            self.modules[path] = module
            if isinstance(data, _Unread):  # a module: its bytes are what the scans read
                self.data.add(module, data)
                self._statements[module] = statements or ()
            elif scanned is not None:
                self.data.add(module, scanned[path])
            else:
                self.data.add(module, scanned_bytes(path, data))
            if suffix == ".py":
                self.sources.add(module, data)
        self._mentions: dict[str, list[str]] = {}
        self._reach: dict[str, tuple[set[str], set[str]]] = {}
        self._unresolved_names: dict[str, list[str]] = {}
        self._unresolved_lines: dict[bytes, list[str] | None] = {}
        """`_unresolved` of each import line without a relative import (None: with one)."""
        self._lines: dict[bytes, tuple[str, ...]] = {}
        self._imports: dict[str, set[str]] = {}
        """`imports` of each module asked about."""
        self._relative: dict[tuple[bytes, str], tuple[str, ...]] = {}
        self._by_path = {str(path): module for module, path in self.paths.items()}
        self._scopes = sorted({index_key(scope) for scope in scopes}, key=len, reverse=True)

    def shown(self, module: str) -> str:
        """How a message names a module: its dotted name, or for one no import can name (a
        notebook, one of two scripts of one name) its path from the root of its project.
        The key holds the file's absolute path; the index is kept for runs from any folder,
        and what it says must not depend on where the project lies."""
        if module.endswith("]") and module in self.paths:
            path = index_key(self.paths[module])
            for scope in self._scopes:
                if path == scope:  # a file named outside any project: its own scope
                    return self._named_apart(path)
                folder = scope.rstrip(os.sep) + os.sep
                if path.startswith(folder):
                    return path[len(folder) :].replace(os.sep, "/")
        return module

    def _named_apart(self, path: str) -> str:
        """How a message names a file named outside any project: by its path from the
        folder all such files named lie in (`a/main.py` and `b/main.py` beside
        `settings.py`), so that two of one name are told apart."""
        named = [scope for scope in self._scopes if scope in self._module_keys]
        try:
            common = os.path.commonpath([os.path.dirname(scope) for scope in named])
        except ValueError:  # on several drives
            return os.path.basename(path)
        return os.path.relpath(path, common).replace(os.sep, "/")

    @property
    def scopes(self) -> list[str]:
        """What the index is built from (`index_key` of each), the longest first."""
        return self._scopes

    @cached_property
    def _module_keys(self) -> frozenset[str]:
        """Each module's file, as `index_key` spells it."""
        return frozenset(index_key(path) for path in self.paths.values())

    @cached_property
    def bases(self) -> Mapping[str, str]:
        """What each module's relative imports are read against (`RelativeBases`)."""
        return RelativeBases(self.paths, self.packages, self.data, self._scopes)

    @cached_property
    def names(self) -> ModuleNames:
        from lint_wb.project.resolve import ModuleNames

        rooted = partial(rooted_names, self.paths, self.packages, self._scopes)
        return ModuleNames(self.paths, rooted)  # no cycle back to the project: it is freed

    def url_stores(self) -> Mapping[str, int]:
        """`url_store_mentions` of each module of the project that may store a `base_url`
        (every file, read or not by the index); made once, when first asked."""
        return self._url_stores

    @cached_property
    def _url_stores(self) -> dict[str, int]:
        counts = ((module, url_store_mentions(data)) for module, data in self.data.items())
        return {module: count for module, count in counts if count}

    def mentions(self, name: str) -> list[str]:
        """The modules whose text holds `name` (where a function of that name may be
        called), by a byte scan; once per name."""
        if name not in self._mentions:
            encoded = name.encode()
            word = re.compile(rb"\b" + re.escape(encoded) + rb"\b")
            # the regex has no literal to skip ahead by: run it only where the name is
            self._mentions[name] = [
                module
                for module, data in self.data.items()
                if encoded in data and word.search(data)
            ]
        return self._mentions[name]

    def _holds(self, name: str) -> Callable[[bytes], bool]:
        """Whether a module's bytes hold `name` as a word (as `mentions` finds it)."""
        encoded = name.encode()
        word = re.compile(rb"\b" + re.escape(encoded) + rb"\b")
        return lambda data: encoded in data and word.search(data) is not None

    def callers(self, name: str, module: str | None) -> list[str]:
        """The modules where a call of `name` may call the function or class `module`
        defines: those that mention it and are `module` or import it or a package above it
        (`import pkg` then `pkg.llm.ask()`), directly or through other modules, or hold an
        import the index cannot resolve that may name one of those (`def ask` in two
        modules that do not import each other are two functions). `module` None: every
        module that mentions it (a method, called on objects that come from anywhere).
        With `module`, when few modules may call it, only those are scanned for the name
        (unless every module was already, `mentions`): a run whose files a forked process
        screened has not read most modules' bytes (`_Texts`), and the imports say which."""
        if module is None:
            return self.mentions(name)
        reach, pieces = self._reach_of(module)
        may_call = reach | self._unresolved_naming(pieces)
        data = self.data
        if name in self._mentions or len(may_call) * FEW_CALLERS > len(data):
            return [m for m in self.mentions(name) if m in may_call]
        holds = self._holds(name)
        return [m for m in data if m in may_call and holds(data[m])]

    def _reach_of(self, module: str) -> tuple[set[str], set[str]]:
        """The modules that import `module` or a package above it, directly or through
        others, and the dotted pieces of their names (`_pieces`)."""
        if module not in self._reach:
            parts = _parts(module)
            packages = (".".join(parts[:end]) for end in range(1, len(parts)))
            reach = reached([module, *(p for p in packages if p in self.data)], self.importers)
            self._reach[module] = reach, {piece for found in reach for piece in _pieces(found)}
        return self._reach[module]

    @cached_property
    def importers(self) -> dict[str, set[str]]:
        """The project modules each project module is imported by (a byte scan)."""
        importers: dict[str, set[str]] = {}
        for module in self.data:
            if module in self._statements or b"import" in self.data[module]:
                for target in self.imports(module):
                    importers.setdefault(target, set()).add(module)
        return importers

    def module_of(self, path: Path) -> str | None:
        """The module of the file `path`: by the path it was given as (a run asks it of each
        file it lints, and `Path.absolute` made a path each time: 20 ms of a plan of 3,000
        files), else by its absolute path (the file spelled otherwise)."""
        module = self.modules.get(path)
        return module if module is not None else self._by_path.get(str(path.absolute()))

    def imports(self, module: str) -> set[str]:
        """The project modules `module` imports, by a generous byte scan of its imports,
        once a module (the plan asks of each module, and again of its seeds: not to be
        changed by the caller). A line met before (`from typing import Any`) is looked up
        once: an absolute import names the same modules wherever it is written, a relative
        one within its package."""
        found = self._imports.get(module)
        if found is None:
            found = self._imports[module] = self._read_imports(module)
        return found

    def _read_imports(self, module: str) -> set[str]:
        found: set[str] = set()
        package = self.packages[module]
        known = self._lines
        for line in self.import_statements_of(module):
            targets = known.get(line)
            if targets is None:
                targets = known[line] = self._absolute_targets(line)
            if targets is _RELATIVE:
                base = self.bases[module]
                key = (line, base)
                targets = self._relative.get(key)
                if targets is None:
                    targets = self._relative[key] = self._targets(line, base)
            if targets:
                found.update(targets)
            if self._twins and not package:
                found.update(self._beside(module, line))
        return found

    def import_statements_of(self, module: str) -> Sequence[bytes]:
        """`import_statements` of the module's bytes (given for a module not read: ask this,
        not the bytes, to scan a module's imports)."""
        given = self._statements.get(module)
        if given is not None:
            return given
        scanned = self._scanned_statements.get(module)
        if scanned is None:
            scanned = self._scanned_statements[module] = import_statements(self.data[module])
        return scanned

    @cached_property
    def _twins(self) -> bool:
        """Whether the project holds several scripts of one name (`resume/client.py`,
        `jobs/client.py`): a script's import of that name names its neighbour."""
        return any(module.endswith(".py]") for module in self.paths)

    def _beside(self, module: str, line: bytes) -> list[str]:
        """The neighbours of the script `module` that its import line names and no module
        of the project does by that name (`ModuleNames.beside`)."""
        names = self.names
        candidates = (c for c in _candidates(line, "") if names.find(c) is None)
        found = (names.beside(candidate, module) for candidate in candidates)
        return [target for target in found if target is not None]

    def _line_targets(self, line: bytes) -> tuple[str, ...]:
        """`_absolute_targets` of an import line, once a line."""
        targets = self._lines.get(line)
        if targets is None:
            targets = self._lines[line] = self._absolute_targets(line)
        return targets

    def _absolute_targets(self, line: bytes) -> tuple[str, ...]:
        """The modules an import line names, or `_RELATIVE` when it holds a relative import."""
        for match in IMPORT_STATEMENT.finditer(line):
            if (match.group(1) or b"").startswith(b"."):
                return _RELATIVE
        return self._targets(line, "")

    def _targets(self, line: bytes, package: str) -> tuple[str, ...]:
        """The project modules the import statements of one line name, read in `package`."""
        found = (self.names.find(candidate) for candidate in _candidates(line, package))
        return tuple(target for target in found if target is not None)

    def _unresolved(self, module: str) -> list[str]:
        """The dotted names `module`'s imports give that name no project module the index
        can find (`vendor.factory` when the project's module is `factory`: the project may
        be installed under another root), nor a library the resolver knows as one. A line
        with no relative import names the same wherever it is written: it is read once, and
        the module's package (`bases`, which may read its bytes) is asked only for a line
        with a relative import."""
        found = self._unresolved_names.get(module)
        if found is None:
            found = self._unresolved_names[module] = []
            for line in self.import_statements_of(module):
                names = self._unresolved_lines.get(line)
                if names is None:
                    relative = self._line_targets(line) is _RELATIVE
                    names = None if relative else self._unresolved_in(line, "")
                    self._unresolved_lines[line] = names
                found += self._unresolved_in(line, self.bases[module]) if names is None else names
        return found

    def _unresolved_in(self, line: bytes, package: str) -> list[str]:
        """`_unresolved` of one import line, read in `package`."""
        from lint_wb.project.resolve import EXTERNAL_ROOTS

        return [
            candidate
            for candidate in _candidates(line, package)
            if candidate.split(".")[0] not in EXTERNAL_ROOTS and self.names.find(candidate) is None
        ]

    def _unresolved_naming(self, pieces: set[str]) -> set[str]:
        """The modules holding an import the index cannot resolve that may name a module or
        a package of one whose dotted pieces are `pieces` (`_pieces`): it ends with one of
        them (`vendor.factory` may be `factory`, `llm` may be `app.llm`, `vendor.app` may be
        the package of `app.llm`)."""
        by_suffix = self._by_unresolved_suffix
        return {module for piece in pieces for module in by_suffix.get(piece, ())}

    @cached_property
    def _by_unresolved_suffix(self) -> dict[str, list[str]]:
        """Each dotted suffix of a name a module's imports give that the index cannot
        resolve (`_unresolved`) -> the modules whose imports give it."""
        by_suffix: dict[str, list[str]] = {}
        for module in self.data:
            for candidate in self._unresolved(module):
                parts = _parts(candidate)
                for start in range(len(parts)):
                    by_suffix.setdefault(".".join(parts[start:]), []).append(module)
        return by_suffix

    def may_be_imported(self, module: str) -> bool:
        """Whether another module holds an import the index cannot resolve that may name
        `module` (`from vendored.settings import KEY` beside `settings.py`)."""
        return any(other != module for other in self._unresolved_naming(_pieces(module)))


def rooted_names(
    paths: Mapping[str, Path], packages: Mapping[str, str], scopes: Sequence[str]
) -> dict[str, str]:
    """The dotted name from the root of its project (`scopes`, longest first) of each
    module under a folder without an `__init__.py` (a namespace package: `resume/client.py`,
    named `client` as a script beside it imports it), where every part is a name: an import
    with the root on `sys.path` names it so (`from resume.client import x`)."""
    rooted: dict[str, str] = {}
    for module, path in paths.items():
        key = index_key(path)
        if not key.endswith(".py"):
            continue
        dotted = _rooted_name(key, packages[module], scopes)
        if dotted is not None and dotted != module and dotted not in paths:
            rooted[dotted] = module
    return rooted


class RelativeBases(Mapping[str, str]):
    """What each module's relative imports are read against: its package; or, for a module
    in a folder without an `__init__.py` below its project's root that holds a relative
    import, that folder's dotted name from the root (`app.agents` for app/agents/runner.py:
    `from ..config import x` names app/config.py, as Python reads it when the module is run
    from the root, `python -m app.agents.runner`). Each is found when first asked: most
    modules hold no relative import, and a scan of all would cost as many searches."""

    def __init__(
        self,
        paths: Mapping[str, Path],
        packages: Mapping[str, str],
        data: Mapping[str, bytes],
        scopes: Sequence[str],
    ) -> None:
        self._paths, self._packages, self._data, self._scopes = paths, packages, data, scopes
        self._found: dict[str, str] = {}

    def __getitem__(self, module: str) -> str:
        found = self._found.get(module)
        if found is None:
            found = self._found[module] = self._base(module)
        return found

    def _base(self, module: str) -> str:
        package = self._packages[module]
        if package or not _may_import_relatively(self._data[module]):
            return package
        rooted = _rooted_name(index_key(self._paths[module]), package, self._scopes)
        return package if rooted is None else rooted.rpartition(".")[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._packages)

    def __len__(self) -> int:
        return len(self._packages)


def _may_import_relatively(data: bytes) -> bool:
    """Whether `data` holds a relative import (`from .x import y`): its dot follows a blank
    (`RELATIVE_IMPORT` is searched only then: most modules hold neither)."""
    return (b" ." in data or b"\t." in data) and RELATIVE_IMPORT.search(data) is not None


def _rooted_name(key: str, package: str, scopes: Sequence[str]) -> str | None:
    """`rooted_names` of one file (`index_key`) in `package`: None when every folder between
    its project's root and it is a package (its name is that already)."""
    for scope in scopes:
        folder = scope.rstrip(os.sep) + os.sep
        if key.startswith(folder):
            *folders, name = key[len(folder) :].split(os.sep)
            break
    else:
        return None
    if len(folders) <= (package.count(".") + 1 if package else 0):
        return None
    stem = name[: -len(".py")]
    parts = folders if stem == "__init__" else [*folders, stem]
    return ".".join(parts) if all(part.isidentifier() for part in parts) else None


def _parts(dotted: str) -> list[str]:
    return dotted.split(".")


def _pieces(dotted: str) -> set[str]:
    """Every run of consecutive parts of a dotted name (`a.b.c`: `a`, `a.b`, `b.c`, ...)."""
    parts = _parts(dotted)
    return {
        ".".join(parts[start:end])
        for start in range(len(parts))
        for end in range(start + 1, len(parts) + 1)
    }


def _candidates(line: bytes, package: str) -> list[str]:
    """The dotted names the import statements of one line may import as modules, read in
    `package`."""
    candidates: list[str] = []
    for match in IMPORT_STATEMENT.finditer(line):
        source, names, plain = match.group(1), match.group(2), match.group(3)
        if plain is not None:
            candidates += [part.split()[0] for part in plain.decode().split(",") if part.split()]
            continue
        base = absolute_module(b"".join(source.split()).decode(), package)
        if base:
            words = re.findall(r"\w+", names.decode(errors="replace"))
            candidates += [base] + [f"{base}.{word}" for word in words]
    return candidates


def index_project(
    files: Sequence[Path], cache: SettingsCache, *, use_cache: bool = True
) -> ProjectIndex:
    """What the project tells each of its files (see `index.py`)."""
    plan = plan_index(files, cache, use_cache=use_cache)
    return ProjectIndex() if plan is None else plan.index()


@dataclass
class IndexPlan:
    """What the index will read, found from bytes alone: the modules that hold requests
    (`seeds`, summarised first) and the store their summaries come from. A run summarises
    the seeds it also lints where it lints them (`summary_jobs`, `provide`) and keeps their
    parses, so each is parsed once; `index()` summarises the rest on demand."""

    project: _Project
    setups: Mapping[str, ModuleSetup]
    seeds: Sequence[str]
    store: SummaryStore
    key_holders: Sequence[str] = ()
    """Modules that are no seeds whose clients' keys are followed (`_key_holders`)."""

    def module_of(self, path: Path) -> str | None:
        return self.project.module_of(path)

    def summary_jobs(self, paths: Sequence[Path]) -> list[SummaryJob]:
        """The seeds among `paths` (.py files) whose summary (or first look's verdict,
        `SummaryStore.looks`) is not cached yet."""
        seeds = set(self.seeds)
        store = self.store
        jobs = []
        for path in paths:
            module = self.module_of(path)
            if module is None or module not in seeds or path.suffix != ".py":
                continue
            look = store.looks.get(module)
            if look is not None and store.looked(module):
                continue
            if store.cached(module) is None:
                data = self.project.sources[module]
                package = self.project.bases[module]
                whole = module in store.whole
                jobs.append(SummaryJob(module, path, package, data, store.resources, whole, look))
        return jobs

    def likely_holds(self, job: SummaryJob, summarised: Sequence[SummaryJob] = ()) -> bool:
        """Whether the module of `job` will most likely be linted as a file of a project
        whose index tells something (`ProjectIndex.holds`): a guess, made before the
        summaries are, for a lint run in a summary's task (`api._summarised_and_linted`).
        When every seed is a lone module looked at first (`_first_looks`), no other module's
        key is followed and none of them is summarised whole (`summarised`: jobs sent ahead,
        which do not look first), each seed most often finds nothing or stands alone, and
        the index is empty (the benchmark's dense tree); else some module is most often told
        something (real projects)."""
        looks = self.store.looks
        if self.key_holders or len(looks) < len(self.seeds):
            return True
        return any(whole.module in looks for whole in summarised)

    def provide(self, job: SummaryJob, summary: ModuleSummary | Inert | Alone | None) -> None:
        """A summary made for `job` elsewhere; written to the summary cache. A first look
        that found nothing is taken only where the plan lets the module be looked at so
        (elsewhere, its summary is made when the index asks for it)."""
        from lint_wb.project.store import Alone, Inert

        if isinstance(summary, Inert):
            if job.module in self.store.looks:
                self.store.note_inert(job.module)
            return
        if isinstance(summary, Alone):
            if job.module in self.store.looks:
                self.store.note_alone(job.module)
            return
        if summary is not None:
            self.store.write(self.store.key(job.module, job.data), summary)
        self.store.provide(job.module, summary)

    def index(self) -> ProjectIndex:
        from lint_wb.project.uses import ProjectUses

        project = self.project
        while True:
            uses = ProjectUses(
                project.names,
                self.store.summary,
                self.setups,
                project.callers,
                project.shown,
                url_stores=project.url_stores,
                text_of=project.data.get,
                imports=project.imports,
            )
            seeds = [m for m in self.seeds if not self.store.found_nothing(m)]
            modules = uses.index(seeds, self.key_holders)
            promoted = uses.resolver.needs_whole - self.store.whole
            if not promoted:
                break
            for module in promoted:  # rare: made again, with those modules read whole
                self.store.promote(module)
        paths, bases, packages = self.project.paths, self.project.bases, self.project.packages
        told = {
            index_key(paths[module]): replace(
                found,
                whole_module=module in self.store.whole,
                package=None if bases[module] == packages[module] else bases[module],
            )
            for module, found in modules.items()
            if found
        }
        return ProjectIndex(told)

    @property
    def parts(self) -> Sequence[IndexPlan]:
        """The plans of the projects' indexes: this one's alone (`IndexPlans`)."""
        return (self,)


@dataclass
class IndexPlans:
    """The plans of several projects' indexes (`plan_index`), each as a run given that
    project alone makes it; `index()` is one index of them all (`index.merged`)."""

    plans: Mapping[str | None, IndexPlan]
    """The root of each project some module of which can make a W&B request (None: the
    files of no project) -> its plan."""
    projects: Sequence[str | None]
    """Every project among the run's files, those without a plan too."""

    @property
    def parts(self) -> Sequence[IndexPlan]:
        return tuple(self.plans.values())

    def summary_jobs(self, paths: Sequence[Path]) -> list[SummaryJob]:
        """The jobs of every plan (`IndexPlan.summary_jobs`)."""
        return [job for plan in self.parts for job in plan.summary_jobs(paths)]

    def likely_holds(self, job: SummaryJob, summarised: Sequence[SummaryJob] = ()) -> bool:
        """The guess of the plan that made `job` (`IndexPlan.likely_holds`)."""
        plan = self._plan_of(job)
        return plan is not None and plan.likely_holds(job, summarised)

    def provide(self, job: SummaryJob, summary: ModuleSummary | Inert | Alone | None) -> None:
        """A summary made for `job` elsewhere, given to the plan that made the job."""
        plan = self._plan_of(job)
        if plan is not None:
            plan.provide(job, summary)

    def _plan_of(self, job: SummaryJob) -> IndexPlan | None:
        for plan in self.parts:
            if plan.module_of(job.path) == job.module:
                return plan
        return None

    def index(self) -> ProjectIndex:
        found = self.plans.get
        return merged(
            {
                root: ProjectIndex() if (plan := found(root)) is None else plan.index()
                for root in self.projects
            }
        )


@dataclass(frozen=True)
class SummaryJob:
    """One module to summarise, with the bytes its cache key was made from."""

    module: str
    path: Path
    package: str
    data: bytes
    resources: frozenset[str]
    whole: bool = False
    """Read the whole module (other modules import it), as the store would."""
    look: FirstLook | None = field(default=None, compare=False)
    """Look first with `ast` alone (`SummaryStore.looks`). Not compared: a job sent ahead
    (`EarlyJobs`) cannot know whether the plan lets the module be looked at so. It looks
    where the plan most likely will, and is then taken only for a job that looks
    (`ahead._same`); a job sent ahead that does not look makes the summary the plan's job
    would make when its look finds something, and all the plan needs when it would not."""

    def run(self) -> Summarized:
        from lint_wb.project.store import summarize_source

        return summarize_source(
            self.data,
            self.path,
            self.module,
            self.package,
            self.resources,
            whole=self.whole,
            look=self.look,
        )


def plan_index(
    files: Sequence[Path],
    cache: SettingsCache,
    *,
    use_cache: bool = True,
    read: Mapping[Path, bytes] | None = None,
    signal_free: Container[Path] = (),
    scopes: Sequence[Path] = (),
    statements: Mapping[Path, Sequence[bytes]] | None = None,
) -> IndexPlan | IndexPlans | None:
    """The plan of the index of the projects `files` belong to, or None when no module can
    make a W&B request. `read`: bytes the run has already read, by path (the rest are read
    here); `signal_free`: those of them in which the prefilter found no W&B signal
    (`prefilter.py`: a W&B host, the word `wandb`, a configured URL's host, under
    assume-wandb a client library), so no module there can target W&B; `scopes`: what the
    index is built from (`root.index_scope`), which messages name a file of no project
    from (`_Project.shown`); `statements`: the import statements of signal-free files the
    run has not kept the bytes of (a forked process screened them): not read here, unless
    a scan asks for their bytes.

    Each project (SPEC §2: the nearer of the folder of its configuration file and its
    version-control root) gets an index of its own, as a run given that project alone
    builds it: a checkout of several projects, each with a `models.py`, resolves each
    one's `from models import` in its own project. Modules are named only once one can be
    a root: most projects have none."""
    # the roots first, from the files that can be roots: most of a tree is signal-free
    candidates = [path for path in files if path not in signal_free or path.suffix != ".py"]
    candidate_sources = read_sources(candidates, read)
    root_paths = _root_paths(_scanned(candidate_sources), cache, signal_free)
    if not root_paths:
        return None
    known = candidate_sources if read is None else {**read, **candidate_sources}
    projects = _by_project(files, cache)
    if len(projects) == 1:
        root = next(iter(projects))
        own_scopes = scopes if root is None else [Path(root)]
        return _plan_project(files, cache, use_cache, known, root_paths, own_scopes, statements)
    plans: dict[str | None, IndexPlan] = {}
    for root, members in projects.items():
        if root_paths.isdisjoint(members):
            continue  # no module there can target W&B
        own_scopes = scopes if root is None else [Path(root)]
        plan = _plan_project(members, cache, use_cache, known, root_paths, own_scopes, statements)
        if plan is not None:
            plans[root] = plan
    return IndexPlans(plans, tuple(projects)) if plans else None


def _by_project(files: Sequence[Path], cache: SettingsCache) -> dict[str | None, list[Path]]:
    """The files by the root of the project each lies in (None: in none)."""
    projects: dict[str | None, list[Path]] = {}
    for path in files:
        projects.setdefault(cache.project_root(absolute_name(path)), []).append(path)
    return projects


def _plan_project(
    files: Sequence[Path],
    cache: SettingsCache,
    use_cache: bool,
    known: Mapping[Path, bytes],
    root_paths: set[Path],
    scopes: Sequence[Path],
    statements: Mapping[Path, Sequence[bytes]] | None = None,
) -> IndexPlan | None:
    """`plan_index` of one project's files; `known`: bytes read so far, by path;
    `root_paths`: the files whose module may target W&B (`_root_paths`); `statements`:
    the import statements of files not to read unless asked (`_Project`'s `unread`)."""
    sources = read_sources(files, known, unread=statements or {})
    scanned = _scanned(sources)
    project = _Project(files, sources, scanned, scopes, statements)
    settings = _settings_of(project, cache)
    roots = [module for path, module in project.modules.items() if path in root_paths]
    from lint_wb.project.store import SummaryStore

    setups = _setups(settings, cache)
    # a module whose spec cannot be loaded has no setup: only its own bytes make it a root
    roots = [m for m in roots if m in setups or may_target_wandb(project.data[m], None, None)]
    if not roots or not may_import_a_client_library(project.data, project.packages, first=roots):
        return None
    importers = project.importers
    reach = _carried_reach(project, roots, settings, cache, use_cache=use_cache)
    signals = _seed_signals()
    resources = _resources(setup.api for setup in setups.values())
    sites = SiteScan(resources)
    seeds = sorted(
        {
            module
            for module in {m for m in reach if any(s in project.data[m] for s in signals)}
            | _default_client_users(project, reach)
            if sites.may_hold(project.data[module])
        }
        | _alias_importers(project, reach, signals, sites)
        | _endpoint_callers(project, reach, sites)
    )
    store = SummaryStore(
        project.paths, project.bases, project.sources, resources=resources, use_cache=use_cache
    )
    # A module other modules import is read whole: what they import from it may stand in a
    # statement a partial parse leaves out (`module_parse.py`), and it is parsed once.
    store.whole |= {target for target, found in importers.items() if found - {target}}
    store.looks = _first_looks(project, seeds, store.whole, setups)
    return IndexPlan(project, setups, seeds, store, _key_holders(project, reach, seeds))


def _carried_reach(
    project: _Project,
    roots: Sequence[str],
    settings: Mapping[str, Settings],
    cache: SettingsCache,
    *,
    use_cache: bool = True,
) -> set[str]:
    """The modules in reach of `roots`: those that import, directly or through others,
    something W&B from them (`carried.py`), as each module's settings read a signal; the
    statements' facts from the cache folder when the run uses it (`carried_facts.py`)."""
    from lint_wb.cache import carried_facts_table, code_fingerprint
    from lint_wb.project.carried import CarriedReach
    from lint_wb.project.carried_facts import KeptFacts

    def signal(module: str, text: bytes) -> bool:
        found = settings.get(module)
        if found is None:
            return may_target_wandb(text, None, None)
        return may_target_wandb(text, found, screening_of(cache, found))

    table = carried_facts_table(project.scopes) if use_cache else None
    facts = KeptFacts(table, code_fingerprint())
    carried = CarriedReach(
        project.data,
        project.packages,
        project.importers,
        project.imports,
        project.names.find,
        import_statements,
        signal,
        facts,
    )
    found = carried.reach(roots)
    facts.save()
    return found


def _endpoint_callers(project: _Project, reach: set[str], sites: SiteScan) -> set[str]:
    """The modules that may call a client's endpoint with no word of a request or a library
    in their text, where a client built in reach may be the receiver: a module in reach (an
    endpoint W&B does not serve, `client.embeddings.create(...)`), or one a module in reach
    imports, directly or through others (a helper given the client: `def ask(client, q):
    return client.chat.completions.create(...)`, `def embed(client, t): ...`)."""
    imports: dict[str, set[str]] = {}
    for target, importers in project.importers.items():
        for importer in importers:
            imports.setdefault(importer, set()).add(target)
    return {
        module
        for module in reached(reach, imports)
        if sites.may_call_endpoint(project.data[module])
    }


def _alias_importers(
    project: _Project, reach: set[str], signals: Sequence[bytes], sites: SiteScan
) -> set[str]:
    """The modules in reach that may call a client class or a library callable they import
    from another module of the project, with no word of the library in their text: by the
    name it is given there (`from llm import Chat`, llm.py's `Chat = ChatOpenAI` or `from
    openai import OpenAI as Chat`), or by its own name re-exported (`from llm import
    ChatOpenAI`, then `ChatOpenAI(`), directly or through other modules. The index tells
    them what the name is (`ProjectUses._aliased_calls`)."""
    holders = [
        module
        for module in project.data  # (a module's bytes read only if others import it)
        if project.importers.get(module, set()) - {module}
        and (b"openai" in (text := project.data[module]) or any(s in text for s in signals))
    ]
    if not holders:
        return set()
    data = project.data
    renaming = [module for module in holders if sites.may_rename(data[module])]
    given: set[bytes] = set().union(*(sites.given_names(data[module]) for module in renaming))
    found = _name_importers(project, renaming, given) & reach if renaming else set()
    # a re-export: a module that imports no library calls a client class or callable
    roots = (b"openai", *(signal for signal in signals if signal != REQUEST_SIGNAL))
    imports_one = re.compile(
        rb"\b(?:from|import)[ \t]+(?:" + b"|".join(map(re.escape, roots)) + rb")\b"
    )
    imported: set[bytes] = set()
    for module in holders:
        imported |= _library_leaves(data[module], imports_one, sites.leaves)
    found |= {
        module
        for module in _name_importers(project, holders, imported) & reach
        if imports_one.search(data[module]) is None and sites.may_call_by_name(data[module])
    }
    return found


def _library_leaves(
    data: bytes, imports_one: re.Pattern[bytes], leaves: Iterable[bytes]
) -> set[bytes]:
    """The names of client classes and library callables (`leaves`) written in the
    import statements of `data` that name a client library (`imports_one`): those other
    modules may import from it by their own names. Every one for an `import *`."""
    found: set[bytes] = set()
    for line in import_statements(data):
        if imports_one.search(line) is None:
            continue
        if b"*" in line:
            return set(leaves)
        found.update(leaf for leaf in leaves if next(words_of(line, leaf), None) is not None)
    return found


MAX_GIVEN_NAMES: Final = 128
"""How many names `_name_importers` follows before it takes every importer of its starts
(what it took before it followed names): `names_given` is generous (every word before an
`=` that assigns a name), and in a tree of many projects the names it finds grow by
hundreds a round (the fixtures: 68, 183, 462, 776 ...), each round a scan of every module
found; real projects give a handful (marimo: the names given one client class)."""


def _name_importers(project: _Project, starts: Sequence[str], given: set[bytes]) -> set[str]:
    """`starts` and the modules that may import one of the names `given` there (to a
    client class or a library callable) from one of them, directly or through other
    modules: each module on the way writes one of those names (`from llm import Chat`,
    `llm.Chat(`), or may pass on names it does not write (`from llm import *`, a module
    `__getattr__`). A name given again on the way (`from llm import Chat as Talk`) is
    looked for too. A module that imports one of them only for other names (marimo's
    ~1,900 modules import its package, whose server imports the AI providers' module,
    which renames a client class) cannot call the class by those names: left out."""
    data = project.data
    if not given:  # (`may_rename` said yes: a form `given_names` does not read)
        return reached(starts, project.importers)
    names, fresh = set(given), set(given)
    looked: set[str] = set()
    while True:
        found = _reached_where(starts, project.importers, data, _naming(names))
        # a module looked at before gave what the names known then give: ask it only about
        # the names found since (`names_given` reads each name on its own)
        more: set[bytes] = set()
        for module in found:
            more |= names_given(data[module], fresh if module in looked else names) - names
            if more and len(names) + len(more) > MAX_GIVEN_NAMES:  # (more only grows)
                return reached(starts, project.importers)
        looked |= found
        if not more:
            return found
        names |= more
        fresh = more


def _naming(names: Iterable[bytes]) -> Callable[[bytes], bool]:
    """Whether a module's bytes write one of `names` as a word, or pass on names they do
    not write (`import *`, a module `__getattr__`)."""
    words = sorted(set(names))
    written = re.compile(rb"\b(?:" + b"|".join(map(re.escape, words)) + rb")\b")
    # (the pattern has no literal to skip ahead by: searched only where a name stands)
    return lambda data: (
        (any(word in data for word in words) and written.search(data) is not None)
        or PASSES_ON.search(data) is not None
    )


PASSES_ON: Final = re.compile(rb"\bimport[ \t]*\*|\b__getattr__\b")
"""What lets a module pass on a name it does not write: `from m import *`, `__getattr__`."""


def _reached_where(
    starts: Iterable[str],
    links: Mapping[str, Iterable[str]],
    data: Mapping[str, bytes],
    keep: Callable[[bytes], bool],
) -> set[str]:
    """`reach.reached` along links only to modules whose bytes (`data`) `keep` takes."""
    found = set(starts)
    todo = list(found)
    while todo:
        for linked in links.get(todo.pop(), ()):
            if linked not in found and keep(data[linked]):
                found.add(linked)
                todo.append(linked)
    return found


def _key_holders(project: _Project, reach: Iterable[str], seeds: Sequence[str]) -> list[str]:
    """The modules besides the seeds whose clients' keys the index follows to other modules
    (`shared_keys.py`): those that may give a client an `api_key=` and import a module of
    the project or are imported by one (a settings module with a W&B client and no
    request), also through an import the index cannot resolve."""
    importers, known = project.importers, set(seeds)
    return sorted(
        module
        for module in reach
        if module not in known
        and b"api_key" in project.data[module]
        and (
            importers.get(module, set()) - {module}
            or project.imports(module)
            or project.may_be_imported(module)
        )
    )


def _first_looks(
    project: _Project,
    seeds: Sequence[str],
    whole: Container[str],
    setups: Mapping[str, ModuleSetup],
) -> dict[str, FirstLook]:
    """The seeds the index may read first with `ast` alone (`store.py`): modules no other
    module imports and that import none of the project (by the byte scan that finds the
    project's imports), outside assume-wandb. Nothing another module holds can reach their
    requests, and nothing they hold can reach another module."""
    looks: dict[str, FirstLook] = {}
    for module in seeds:
        setup = setups.get(module)
        if setup is None or setup.assume_wandb or module in whole:
            continue
        if project.paths[module].suffix != ".py" or project.imports(module):
            continue
        looks[module] = _first_look(setup.api)
    return looks


def _first_look(api: ApiSpec) -> FirstLook:
    """The first look at a module of this spec (`fact_sources.FirstLook`)."""
    from lint_wb.analysis.fact_sources import FirstLook, client_roots

    return FirstLook(client_roots(api), api.porting.wandb_key_variable)


def _seed_signals() -> tuple[bytes, ...]:
    """What a module in reach of a W&B signal holds to be summarised first: a request's
    word, or a client library's name."""
    from lint_wb.spec import bundled_libraries

    return (REQUEST_SIGNAL, *(root.encode() for root in bundled_libraries().module_roots()))


def _resources(apis: Iterable[ApiSpec]) -> frozenset[str]:
    """The client's endpoint roots besides chat that the specs name (`summarize.summarize`);
    each spec read once (a project's modules mostly share one)."""
    distinct = {id(api): api for api in apis}
    return frozenset(
        endpoint.split(".")[0]
        for api in distinct.values()
        for endpoint in api.unsupported_endpoints
    )


class EarlyJobs:
    """The summary jobs a run can start before its plan is made (`ahead.py`), each guessed
    from one file's bytes and settings: a module that carries a W&B signal and a request's
    word is a seed of every plan that holds it, read in part (unless other modules import
    it) with the resources of its own spec, and looked at first when it imports only
    libraries outside assume-wandb (`_first_looks`: most likely no module of the project
    imports it either). A guess is used only where it equals the plan's job
    (`IndexPlan.summary_jobs`), so a wrong one costs its time, never a finding."""

    def __init__(self, cache: SettingsCache) -> None:
        self.cache = cache
        self._names = _ModuleNaming()
        self._signals = _seed_signals()
        self._sites: dict[frozenset[str], SiteScan] = {}
        self._looks: dict[int, FirstLook] = {}
        self._libraries: frozenset[str] | None = None

    def _imports_only_libraries(self, data: bytes, package: str) -> bool:
        """Whether every module `data` imports is one of the standard library's or a client
        library's, never the project's (`EXTERNAL_ROOTS`, the bundled libraries' roots): the
        plan then most likely lets the module be looked at first (`_first_looks`: it imports
        none of the project; that none imports it, only the plan knows)."""
        if self._libraries is None:
            from lint_wb.project.resolve import EXTERNAL_ROOTS
            from lint_wb.spec import bundled_libraries

            self._libraries = EXTERNAL_ROOTS | bundled_libraries().module_roots()
        libraries = self._libraries
        return all(
            candidate.split(".")[0] in libraries
            for line in import_statements(data)
            for candidate in _candidates(line, package)
        )

    def job(self, path: Path, data: bytes) -> SummaryJob | None:
        """The job the plan will likely make of `path`, read as `data`; None when the file
        is likely no seed, or its settings or spec cannot be read."""
        if path.suffix != ".py" or not any(signal in data for signal in self._signals):
            return None
        try:
            settings = self.cache.for_path(Path(absolute_name(path)))
            api = self.cache.spec_for(settings).api
        except (ConfigError, SpecError):
            return None
        if not may_target_wandb(data, settings, self.cache.compiled_for(settings).screening):
            return None
        resources = _resources([api])
        sites = self._sites.get(resources)
        if sites is None:
            sites = self._sites[resources] = SiteScan(resources)
        if not sites.may_hold(data):
            return None  # no seed of the plan
        module, package, _ = self._names.of(path)
        if not package and _may_import_relatively(data):
            return None  # read against its folder's name from the root (`RelativeBases`)
        look = None
        if not settings.assume_wandb and self._imports_only_libraries(data, package):
            look = self._looks.get(id(api))
            if look is None:
                look = self._looks[id(api)] = _first_look(api)
        return SummaryJob(module, path, package, data, resources, look=look)


def read_sources(
    files: Sequence[Path], read: Mapping[Path, bytes] | None, unread: Container[Path] = ()
) -> dict[Path, bytes]:
    """The bytes of the project's modules and notebooks, by path, those in `read` as they
    are there (the bytes a run's screening read); a file that cannot be read is left out,
    and so is a file of `unread` not in `read` (read later if asked: `_Texts`)."""
    sources: dict[Path, bytes] = {}
    for path in files:
        if path.suffix not in SUFFIXES:
            continue
        data = read.get(path) if read is not None else None
        if data is None:
            if path in unread:
                continue
            raw = read_raw(path)
            if isinstance(raw, ReadError):
                continue
            data = raw.data
        sources[path] = data
    return sources


def _scanned(sources: Mapping[Path, bytes]) -> dict[Path, bytes]:
    return {path: scanned_bytes(path, data) for path, data in sources.items()}


def scanned_bytes(path: Path, data: bytes) -> bytes:
    """What the byte scans read of a file: a module's bytes, a notebook's code cells."""
    if path.suffix != ".ipynb":
        return data
    from lint_wb.notebook.cells import notebook_code  # (json, the cells' classes) rare

    return notebook_code(data)


def _root_paths(
    scanned: Mapping[Path, bytes], cache: SettingsCache, signal_free: Container[Path]
) -> set[Path]:
    """The files whose module may target W&B (`may_target_wandb`, with the file's settings
    and the W&B key's variable its spec names; a file whose configuration is broken by its
    bytes alone). A notebook is never taken as signal-free: its code cells are read out of
    JSON escapes the prefilter saw as written."""
    roots: set[Path] = set()
    for path, data in scanned.items():
        if path in signal_free and path.suffix == ".py":
            continue
        if _carries_wandb_signal(data):
            roots.add(path)
            continue
        try:
            settings = cache.for_path(Path(absolute_name(path)))
        except ConfigError:
            continue
        screening = screening_of(cache, settings)
        if _names_wandb_key(data, screening) or _set_to_target(data, settings, screening):
            roots.add(path)
    return roots


def _settings_of(project: _Project, cache: SettingsCache) -> dict[str, Settings]:
    """Each module's settings (a module whose configuration is broken has none)."""
    found: dict[str, Settings] = {}
    for module, path in project.paths.items():
        try:
            found[module] = cache.for_path(path)
        except ConfigError:
            continue  # reported when the file itself is checked
    return found


def _setups(settings: Mapping[str, Settings], cache: SettingsCache) -> Mapping[str, ModuleSetup]:
    from lint_wb.project.uses import ModuleSetup

    setups: dict[str, ModuleSetup] = {}
    by_settings: dict[int, ModuleSetup] = {}
    for module, found in settings.items():
        try:
            if id(found) not in by_settings:
                api = cache.spec_for(found).api
                setup = ModuleSetup(found.assume_wandb, found.extra_base_urls, api)
                by_settings[id(found)] = setup
        except SpecError:
            continue  # reported when the file itself is checked
        setups[module] = by_settings[id(found)]
    return setups


def _default_client_users(project: _Project, reach: set[str]) -> set[str]:
    """Modules a library call of which may go through a default client that a module in
    `reach` sets (the Agents SDK's `set_default_openai_client`): they need not import it."""
    from lint_wb.spec import bundled_libraries

    users: set[str] = set()
    for row in bundled_libraries().callables:
        setter = row.label.encode()
        if row.role != "default-client" or not any(setter in project.data[m] for m in reach):
            continue
        roots = {name.split(".")[0].encode() for name in row.names}
        users |= {m for m, data in project.data.items() if any(root in data for root in roots)}
    return users
