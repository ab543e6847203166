"""Clients shared across modules: `from app.llm import client` in one file, built in another.

Before the run lints anything, the modules that may define a client at module level (found
by a byte pattern, then parsed) report the names they bind to a client; files that import
one of those names are then checked like the module that built it. The index is plain data,
so it crosses to worker processes and makes no file depend on the order files are read in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lint_wb._cst import cst
from lint_wb.analysis.facts import BaseUrl, ModuleFacts
from lint_wb.notebook.cells import notebook_code

MODULE_CLIENT = re.compile(
    rb"^[A-Za-z_]\w*\s*(?::[^=\n]*)?=\s*(?:[A-Za-z_][\w.]*\.)?(?:Async)?(?:OpenAI|Client)\s*\(",
    re.MULTILINE,
)
"""A module-level `name = OpenAI(` (or `openai.AsyncOpenAI(`, `Client(`...) at column 0."""


@dataclass(frozen=True)
class ExportedClient:
    """A client bound once to a module-level name, as other modules see it."""

    module: str
    name: str
    class_name: str
    is_wandb: bool
    base_url: BaseUrl


@dataclass(frozen=True)
class ProjectIndex:
    clients: Mapping[str, ExportedClient] = field(default_factory=dict)
    """`package.module.name` -> the client bound to that name."""

    def lookup(self, qualified: str) -> ExportedClient | None:
        """The client an import names; a unique dotted-suffix match counts, since the import
        root of a project is not always known (`app.llm.client` vs `llm.client`)."""
        exact = self.clients.get(qualified)
        if exact is not None:
            return exact
        matches = [
            client
            for key, client in self.clients.items()
            if key.endswith("." + qualified) or qualified.endswith("." + key)
        ]
        return matches[0] if len(matches) == 1 else None

    def markers(self) -> tuple[bytes, ...]:
        """Byte strings whose presence makes a file worth parsing: the exporting modules' names."""
        leaves = {client.module.rsplit(".", 1)[-1] for client in self.clients.values()}
        return tuple(sorted(leaf.encode() for leaf in leaves))

    def __bool__(self) -> bool:
        return bool(self.clients)

    def fingerprint(self) -> str:
        """Changes whenever any module exports a different client (a cache-key part)."""
        return repr(sorted(self.clients.items(), key=lambda item: item[0]))


def may_define_module_client(data: bytes) -> bool:
    return b"openai" in data and MODULE_CLIENT.search(data) is not None


def module_name_for(path: Path) -> tuple[str, str]:
    """The dotted module name of a file and the package it belongs to, found by walking up
    through folders with an `__init__.py` (a package's `__init__` is the package itself)."""
    path = path.absolute()
    packages: list[str] = []
    folder = path.parent
    while (folder / "__init__.py").exists() and folder.parent != folder:
        packages.insert(0, folder.name)
        folder = folder.parent
    package = ".".join(packages)
    if path.stem == "__init__":
        return package or path.stem, package
    return ".".join([*packages, path.stem]), package


def exported_clients(facts: ModuleFacts, module: str) -> list[ExportedClient]:
    """The module-level names bound exactly once to a client construction."""
    scope = facts.resolver.bindings.module
    exported: list[ExportedClient] = []
    by_call = {client.node: client for client in facts.clients if client.node is not None}
    for name, values in scope.bindings.items():
        if len(values) != 1 or not isinstance(values[0], cst.Call):
            continue
        client = by_call.get(values[0])
        if client is not None:
            exported.append(
                ExportedClient(module, name, client.class_name, client.is_wandb, client.base_url)
            )
    return exported


def build_index(exports: Iterable[ExportedClient]) -> ProjectIndex:
    return ProjectIndex({f"{client.module}.{client.name}": client for client in exports})


IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))", re.M
)


def imported_names(files: Iterable[Path], modules: set[str]) -> set[str]:
    """Which of `modules` some file imports (or imports from), by a byte scan of import lines.

    Generous on purpose: a relative import or a unique dotted suffix counts, so a module
    whose client may be used elsewhere is never left out; a module left in costs one parse.
    """
    leaves = {module.rsplit(".", 1)[-1]: module for module in modules}
    found: set[str] = set()
    for path in files:
        if path.suffix not in (".py", ".ipynb") or len(found) == len(modules):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if path.suffix == ".ipynb":
            data = notebook_code(data)
        for match in IMPORT_LINE.finditer(data):
            named = (match.group(1) or match.group(2) or b"").decode(errors="replace")
            found |= _modules_named(named, data, match.end(), leaves)
    return found


def _modules_named(named: str, data: bytes, end: int, leaves: Mapping[str, str]) -> set[str]:
    """The exporting modules an import line may refer to: by its module path, or for
    `from pkg import llm` by the names after `import` on that line."""
    line_end = data.find(b"\n", end)
    rest = data[end : line_end if line_end >= 0 else len(data)].decode(errors="replace")
    words = set(re.findall(r"\w+", rest)) | {named.rsplit(".", 1)[-1]}
    return {module for leaf, module in leaves.items() if leaf in words}
