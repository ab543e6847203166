"""The project index: what the rest of the project tells the linting of one file.

Built once per run from the module summaries (`summary.py`, `resolve.py`) before any file
is linted, it holds, per file, plain data that crosses to worker processes:
- the client each request of the file is made on, when only the project can tell (a client
  from a factory, a base class, another module);
- the literals written in the file that some request of the project sends (a model ID in
  `settings.py`), each with one request that uses it: a finding about such a literal is
  reported in this file, where it is written, whichever files a run is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the analysis is imported only when a file is analysed
    from lint_wb.analysis.facts import BaseUrl


@dataclass(frozen=True)
class RemoteClient:
    """The client a request is made on, as the project resolves it."""

    class_name: str
    is_wandb: bool
    base_url: BaseUrl
    wrapper: str = ""
    """The qualified name of the library wrapper the client is used through
    (`instructor.from_openai`), or ""."""


@dataclass(frozen=True)
class ValueUse:
    """A literal of this file that a W&B request sends as `parameter`."""

    parameter: str
    value: str | int | float | bool | None
    node: int
    """The literal's node ordinal (`analysis.ordinals.number_nodes`)."""
    plain: bool
    """A single literal a fix may rewrite (not an f-string or a concatenation)."""
    request: str
    """Names one request that sends it: `app.reasoner (Reasoner.run)`."""
    prefix: str = ""
    """For a model a library strips a provider prefix from (`openai/`): that prefix."""
    library: str = ""
    """The library whose call sends it (`CrewAI`), or "" for an OpenAI SDK request."""


@dataclass(frozen=True)
class MessagesUse:
    """A `messages` value written in this file (a list constant, a dict, a string, what a
    function returns) that a W&B request elsewhere sends: the WB4xx rules check it here."""

    node: int
    """The literal's node ordinal (`analysis.ordinals.number_nodes`)."""
    kind: str
    """What the literal is: `items` (a list or tuple), `dict` or `str` (the whole
    `messages`), or `message` (a dict that is one element of a list written in the call)."""
    request: str
    """Names one request that sends it: `app.reasoner (Reasoner.run)`."""


@dataclass(frozen=True)
class ModuleIndex:
    """What the project tells one file (see the module's docstring)."""

    request_clients: tuple[tuple[int, RemoteClient], ...] = ()
    """(call node ordinal, client) for the requests of the file."""
    value_uses: tuple[ValueUse, ...] = ()
    client_urls: tuple[tuple[int, BaseUrl], ...] = ()
    """(call node ordinal, base URL) for the clients built in the file whose base URL only
    the project resolves (`OpenAI(base_url=settings.URL)`)."""
    node_count: int = 0
    """The module's node count when it was summarised: a text with another count was
    edited (by a fix), and ordinals are looked for near where they were."""
    chat_api_default: bool = False
    """Some module of the project calls the Agents SDK's
    `set_default_openai_api("chat_completions")`: a default client set here is called
    through Chat Completions."""
    message_uses: tuple[MessagesUse, ...] = ()
    whole_module: bool = False
    """The index read the module whole (`module_parse.py`): its node ordinals are those of a
    whole parse, so the lint parses it whole too."""

    def client_of(self, ordinal: int) -> RemoteClient | None:
        for node, client in self.request_clients:
            if node == ordinal:
                return client
        return None

    def __bool__(self) -> bool:
        return bool(
            self.request_clients
            or self.value_uses
            or self.client_urls
            or self.chat_api_default
            or self.message_uses
        )


@dataclass(frozen=True)
class ProjectIndex:
    """What the project tells each of its files, by absolute path."""

    modules: Mapping[str, ModuleIndex] = field(default_factory=dict)
    """Absolute file path -> what the project tells that file."""
    part_of_one: bool = False
    """This is what one file is told (`part`), cut from the index of a project that has
    one: the file is linted as part of a project even when it is told nothing."""

    def for_path(self, path: Path) -> ModuleIndex | None:
        return self.modules.get(str(path.absolute()))

    def tells(self, path: Path) -> bool:
        """Whether the project tells this file anything (`bool(self.for_path(path))`); an
        index from the known-files table answers without unpickling its entries."""
        told = getattr(self.modules, "told", None)
        if told is not None:
            return str(path.absolute()) in told
        return bool(self.for_path(path))

    def part(self, path: Path) -> ProjectIndex:
        """All the lint of `path` reads of this index: a worker is sent that, not the whole."""
        key = str(path.absolute())
        found = self.modules.get(key)
        return ProjectIndex({} if found is None else {key: found}, part_of_one=bool(self))

    def fingerprint_for(self, path: Path) -> str:
        """Changes whenever what the project tells this file changes (a cache-key part)."""
        kept = getattr(self.modules, "fingerprints", None)
        if kept is not None:  # an index from the known-files table: no entry unpickled
            return str(kept.get(str(path.absolute()), ""))
        found = self.for_path(path)
        return "" if found is None else repr(found)

    def __bool__(self) -> bool:
        return bool(self.modules) or self.part_of_one


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
