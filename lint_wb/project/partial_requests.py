"""Chat requests made through a `functools.partial` of a client's method, in another module.

helpers.py: `ask = partial(client.chat.completions.create, model=..., temperature=3)`;
app.py: `from helpers import ask; ask(messages=...)`. Each call of `ask` is a request on
`client` with the partial's keywords, updated by the call's (a keyword given at the call
replaces the partial's of that name). A call in helpers.py itself is its own analysis's
(`analysis/partials.py`); a call in another module is read here, as `uses.py` reads a
request: the literals it sends, written in the partial or in the call, are judged where
they are written (`ProjectUses.record`), each labelled with the call's module.

Followed: a module-level name bound once to the partial (`summary.PartialRequest`), called
by that name or an import of it (`from helpers import ask as chat`, `helpers.ask(...)`).
A call whose keywords cannot all be read (a `**spread` that may replace any of the
partial's) sends only its own keywords that can be read; `messages` is left to the
message rules' own reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.analysis.sdk_names import PARTIAL
from lint_wb.project import summary as s
from lint_wb.project.alone import MESSAGES
from lint_wb.project.resolve import External, LitValue

if TYPE_CHECKING:
    from lint_wb.project.uses import ProjectUses


class PartialRequests:
    """The calls of partials of a W&B client's chat method made in other modules."""

    def __init__(self, uses: ProjectUses) -> None:
        self.uses = uses
        self.resolver = uses.resolver

    def visit(self, module: str, partial: s.PartialRequest) -> None:
        """Read each call of `partial` (written in `module`) made in another module."""
        if not self._is_partial(module, partial.call):
            return
        site = s.RequestSite(partial.call.node, (partial.receiver,), (), "<module>")
        client = self.uses.request_client(module, site)
        if client is None or not client.is_wandb:
            return
        given, complete = self.resolver.given_keywords(module, partial.call)
        if not complete:
            return  # a spread of the partial's may replace what it writes
        for caller in (
            self.resolver.mentions(partial.name, module) if self.resolver.mentions else ()
        ):
            if caller != module:
                self._calls_in(caller, module, partial, given)

    def _is_partial(self, module: str, call: s.Call) -> bool:
        found = self.resolver.values(module, call.func)
        return any(isinstance(value, External) and value.name == PARTIAL for value in found)

    def _calls_in(
        self, caller: str, module: str, partial: s.PartialRequest, given: dict[str, s.Expr]
    ) -> None:
        summary = self.uses.summary_of(caller)
        if summary is None:
            return
        for local in dict.fromkeys((partial.name, *summary.aliases.get(partial.name, ()))):
            for call in summary.calls.get(local, ()):
                written_in, written = self.resolver.written(caller, call.func)
                if written_in == module and written == partial.call:
                    self._request(caller, summary, call, (module, partial, given))

    def _request(
        self,
        caller: str,
        summary: s.ModuleSummary,
        call: s.Call,
        through: tuple[str, s.PartialRequest, dict[str, s.Expr]],
    ) -> None:
        """The call `call` of `caller` sends its own keywords, and those of the partial
        (`through`: its module, itself and its keywords) it does not replace, when all of
        its own can be read."""
        module, partial, given = through
        own, complete = self.resolver.given_keywords(caller, call)
        scope = s.read_in(call.func)
        label = self.uses.label(caller, scope if scope in summary.functions else "<module>")
        sent = [(caller, call.node, name, expr) for name, expr in own.items()]
        if complete:
            node = partial.call.node
            sent += [(module, node, name, expr) for name, expr in given.items() if name not in own]
        for written_in, at, name, expr in sent:
            if name == MESSAGES:
                continue
            for value in self.resolver.values_at(written_in, at, expr):
                if isinstance(value, LitValue) and value.origin.node >= 0:
                    self.uses.record(name, value, label)
