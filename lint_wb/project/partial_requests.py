"""Chat requests made through a `functools.partial` of a client's method, in another module.

helpers.py: `ask = partial(client.chat.completions.create, model=..., temperature=3)`;
app.py: `from helpers import ask; ask(messages=...)`. Each call of `ask` is a request on
`client` with the partial's keywords, updated by the call's (a keyword given at the call
replaces the partial's of that name). A call in helpers.py itself is its own analysis's
(`analysis/partials.py`); a call in another module is told to that module as a request
(`told.PartialCall`: its own analysis judges what the call writes, as a request's), and read
here as `uses.py` reads a request: the literals it sends that are written elsewhere, in the
partial or behind a name, are judged where they are written (`ProjectUses.record`), each
labelled with the call's module, and so is its `messages` (`ProjectUses.record_messages`).

Followed: a module-level name bound once to the partial (`summary.PartialRequest`), called
by that name or an import of it (`from helpers import ask as chat`, `helpers.ask(...)`).
A call whose keywords cannot all be read (a `**spread` that may replace any of the
partial's) sends only its own keywords that can be read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from lint_wb.analysis.sdk_names import PARTIAL
from lint_wb.project import summary as s
from lint_wb.project.alone import MESSAGES
from lint_wb.project.resolve import ClientValue, External, LitValue
from lint_wb.project.told import PartialCall
from lint_wb.records import dataclass

if TYPE_CHECKING:
    from lint_wb.project.told import RemoteClient
    from lint_wb.project.uses import ProjectUses

MODEL: Final = "model"
MAX_LAYERS: Final = 8
"""How many partials of partials (each wrapping the one before) are followed."""

Written = tuple[str, int, s.Expr]
"""A keyword's value, with the module and the node (of the partial's call) it is read at."""


@dataclass(frozen=True)
class _Through:
    """What a call of a partial goes through: the outermost partial (the one it calls, by
    its name) and its module, the keywords it passes (those of the partials it wraps,
    replaced by its own), and the W&B client the innermost is made on."""

    module: str
    partial: s.PartialRequest
    given: dict[str, Written]
    client: RemoteClient
    method: str
    """The chat method the innermost partial wraps."""
    client_elsewhere: bool = False
    """The client is not built in the innermost partial's module (`from llm import
    client`): that module's own analysis learns it from the index, for its own calls too."""
    complete: bool = True
    """False once a partial's `**` spread cannot be read: the keywords of those it wraps
    may be replaced by it, and it may pass any other (`given` holds its own and those of
    the partials wrapping it)."""


class PartialRequests:
    """The calls of partials of a W&B client's chat method made in other modules."""

    def __init__(self, uses: ProjectUses) -> None:
        self.uses = uses
        self.resolver = uses.resolver

    def visit(self, module: str, partial: s.PartialRequest) -> None:
        """Read each call of `partial` (written in `module`, wrapping a client's chat
        method) made in another module, and of each partial wrapping it in turn (`fast =
        partial(ask, temperature=0)`), wherever that is written."""
        if not partial.method or not self._is_partial(module, partial.call):
            return  # a partial of a callable: read from the partial it may wrap
        site = s.RequestSite(partial.call.node, (partial.receiver,), (), "<module>")
        client = self.uses.request_client(module, site)
        if client is None or not client.is_wandb:
            return
        elsewhere = not any(
            isinstance(value, ClientValue) and value.module == module
            for value in self.resolver.values(module, partial.receiver)
        )
        through = _Through(module, partial, {}, client, partial.method, elsewhere)
        self._through(through, frozenset({module}), 1)

    def _through(self, through: _Through, modules: frozenset[str], layers: int) -> None:
        """The calls of `through.partial` (its keywords added to those of the `layers - 1`
        partials it wraps), and of the partials wrapping it. `modules`: those the partials
        so far are written in; when that is one, a call in it is its own analysis's."""
        module, partial = through.module, through.partial
        found, complete = self.resolver.given_keywords(module, partial.call)
        # A spread of the partial's may replace what one inside writes, not what it writes
        # itself (Python rejects a keyword given twice in one call).
        inner = through.given if complete else {}
        at = partial.call.node
        given = {**inner, **{name: (module, at, expr) for name, expr in found.items()}}
        through = replace(through, given=given, complete=through.complete and complete)
        mentions = self.resolver.mentions
        imported = () if mentions is None or partial.scope else mentions(partial.name, module)
        callers = dict.fromkeys(imported)
        for caller in {module: None, **callers}:
            if caller != module or len(modules) > 1:
                self._calls_in(caller, through)
            elif through.client_elsewhere:
                self._calls_in(caller, through, client_only=True)
            if layers < MAX_LAYERS:
                for outer in self._wrapping(caller, through):
                    wrapped = replace(through, module=caller, partial=outer)
                    self._through(wrapped, modules | {caller}, layers + 1)

    def _wrapping(self, caller: str, through: _Through) -> Iterator[s.PartialRequest]:
        """The partials of `caller` that wrap `through.partial` (`partial(ask, ...)`)."""
        summary = self.uses.summary_of(caller)
        for outer in () if summary is None else summary.partials:
            if outer.method or outer is through.partial:
                continue
            written_in, written = self.resolver.written(caller, outer.receiver)
            wraps = written_in == through.module and written == through.partial.call
            if wraps and self._is_partial(caller, outer.call):
                yield outer

    def _is_partial(self, module: str, call: s.Call) -> bool:
        found = self.resolver.values(module, call.func)
        return any(isinstance(value, External) and value.name == PARTIAL for value in found)

    def _calls_in(self, caller: str, through: _Through, *, client_only: bool = False) -> None:
        """The calls of `through.partial` in `caller`, each a request (`_request`); with
        `client_only`, calls the module's own analysis reads as requests, told their client
        only (`analyzer._partial_call`)."""
        summary = self.uses.summary_of(caller)
        if summary is None:
            return
        name = through.partial.name
        for local in dict.fromkeys((name, *summary.aliases.get(name, ()))):
            if local in summary.dropped:
                self.resolver.needs_whole.add(caller)  # a call the partial parse left out
            for call in summary.calls.get(local, ()):
                written_in, written = self.resolver.written(caller, call.func)
                if written_in != through.module or written != through.partial.call:
                    continue
                if client_only:
                    self.uses.request_client_at(caller, call.node, through.client)
                else:
                    self._request(caller, summary, call, through)

    def _request(
        self,
        caller: str,
        summary: s.ModuleSummary,
        call: s.Call,
        through: _Through,
    ) -> None:
        """The call `call` of `caller` is a request (`_Through`): told to `caller`, whose
        own analysis judges what the call writes (`told.PartialCall`). It sends its own
        keywords, and those of the partials it does not replace, when all of its own can be
        read: each literal written elsewhere is judged where it is written, as `uses.py`
        reads a request's."""
        own, complete = self.resolver.given_keywords(caller, call)
        model = "" if MODEL in own or not complete else self._model(through)
        told = PartialCall(through.method, tuple(through.given), through.complete, model)
        self.uses.partial_call(caller, call.node, through.client, told)
        scope = s.read_in(call.func)
        label = self.uses.label(caller, scope if scope in summary.functions else "<module>")
        for name, expr in own.items():
            if name == MESSAGES:
                self.uses.record_messages(caller, call.node, expr, label)
            elif not isinstance(expr, s.Lit):  # a literal: the caller's analysis judges it
                self._send(caller, call.node, name, expr, label)
        if complete:
            for name, (written_in, at, expr) in through.given.items():
                if name in own:
                    continue
                if name == MESSAGES:
                    self.uses.record_messages(written_in, at, expr, label, sender=caller)
                else:
                    self._send(written_in, at, name, expr, label)

    def _model(self, through: _Through) -> str:
        """The one model ID the partials pass, when it is certain: a string literal."""
        written = through.given.get(MODEL)
        if written is None:
            return ""
        found = self.resolver.values_at(*written)
        value = next(iter(found)) if len(found) == 1 else None
        return value.value if isinstance(value, LitValue) and isinstance(value.value, str) else ""

    def _send(self, module: str, at: int, name: str, expr: s.Expr, label: str) -> None:
        """The literals `expr` (read in `module` at node `at`) may be, sent as `name`."""
        for value in self.resolver.values_at(module, at, expr):
            if isinstance(value, LitValue) and value.origin.node >= 0:
                self.uses.record(name, value, label)
