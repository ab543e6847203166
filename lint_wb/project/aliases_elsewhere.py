"""Chat requests through a name another module binds to a client's chat resource or method.

llm.py: `completions = client.chat.completions` (or `chat = client.chat`, `create =
client.chat.completions.create`); app.py: `from llm import completions`, then
`completions.create(model=..., messages=...)`. The summary of app.py cannot tell what the
name is (`RequestSite.through`); the index follows it to where it is bound (`Resolver.
written`) and spells the request out there: a chat request on `llm.client`, read as a
request of app.py (`ProjectUses._request`), whose own analysis is told it is one (a call
through a partial of the chat method that passes no keyword: `told.PartialCall`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from lint_wb.analysis.chains import WRAPPERS
from lint_wb.analysis.sdk_names import CHAT_METHODS, CHAT_PATHS
from lint_wb.project import summary as s

if TYPE_CHECKING:
    from lint_wb.project.resolve import Resolver


def spelled_through(resolver: Resolver, module: str, site: s.RequestSite) -> s.RequestSite | None:
    """The chat request `site` (of `module`, `site.through`) makes, spelled out where the
    name it reads is bound: its receiver as any module may read it (`_portable`); None when
    that binding and the attributes read on it spell no chat method."""
    written_in, written = resolver.written(module, site.receivers[0])
    path = list(site.path)
    while isinstance(written, s.Attr):
        if written.name not in WRAPPERS:
            path.insert(0, written.name)
        written = written.value
    start = next((at for at in range(len(path) - 1) if _spells_chat(path[at:])), None)
    if start is None:
        return None
    receiver = _portable(written_in, written)
    if receiver is None:
        return None
    for name in path[:start]:  # `chat = llm.client.chat`: on `llm.client`
        receiver = s.Attr(receiver, name)
    return replace(site, receivers=(receiver,), path=(), method=path[-1])


def _spells_chat(path: list[str]) -> bool:
    return tuple(path[:-1]) in CHAT_PATHS and path[-1] in CHAT_METHODS


def _portable(module: str, expr: s.Expr) -> s.Expr | None:
    """`expr`, read in `module`, as any module reads the same: a module-level name of
    `module` as imported from it; None for what only `module` can read (a function's
    name, a call)."""
    if isinstance(expr, s.Var):
        return s.Imported(module, expr.name) if not expr.scope else None
    if isinstance(expr, (s.Imported, s.ModuleObj)):
        return expr
    if isinstance(expr, s.Attr):
        inner = _portable(module, expr.value)
        return None if inner is None else s.Attr(inner, expr.name)
    return None
