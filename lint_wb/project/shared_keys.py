"""Who else reads, across modules, the environment read a client's key is taken from.

WB107's unsafe fix renames the variable where the key is read (`KEY =
os.getenv("GROQ_API_KEY")` in a settings module), so every module that imports the name the
read is bound to then reads W&B's key too. A module that imports it is proved to read it for
W&B clients alone when each mention of the name in its text is its import or the `api_key=`
of a client the project judges W&B. Any other module that may import it is told to the
read's module as a reader of it (`told.ModuleIndex.key_readers`), and the rule gives no fix
there: a module the index cannot read, one that passes the name to another SDK's client or
to a library call (`Groq(api_key=KEY)`, `litellm.completion(api_key=KEY)`), or one that
builds a client sent elsewhere, whether or not it makes a request there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Union

from lint_wb.analysis.string_methods import STRIP_METHODS
from lint_wb.project import summary as s
from lint_wb.project.resolve import ClientValue

if TYPE_CHECKING:
    from lint_wb.project.uses import ProjectUses

TextOf = Callable[[str], Union[bytes, None]]
"""The bytes of a module of the project (what byte scans read), None when not known."""
Target = tuple[str, s.Expr]
"""An environment read: its module, and the expression as written there."""


class SharedKeys:
    def __init__(self, uses: ProjectUses, text_of: TextOf | None) -> None:
        self.uses = uses
        self.text_of = text_of
        self._seen: set[tuple[str, str]] = set()

    def visit(self, module: str, call: s.Call, wandb_key: str) -> None:
        """A client built at `call` in `module`: when its `api_key=` is an environment read
        of a variable other than `wandb_key`, bound to module-level names, each module that
        may import one of them and is not proved to read it for W&B clients alone."""
        key = call.keyword("api_key")
        if key is None:
            return
        names, written_in, expr = self.uses.resolver.written_names(module, key)
        expr = _unstripped(expr)  # `os.getenv("V").strip()`: a read of the variable too
        literal = self.uses.env_variable(written_in, expr) if names else None
        if literal is None or not isinstance(literal.value, str) or literal.value == wandb_key:
            return
        for bound_in, name in names:
            if (bound_in, name) in self._seen:
                continue  # a name is bound to one read: its readers are the same
            self._seen.add((bound_in, name))
            for importer in self._importers(bound_in, name):
                reader = self._reader(importer, name, (written_in, expr))
                if reader is not None:
                    self.uses.tell_key_reader(written_in, literal, reader)
                    break

    def _importers(self, module: str, name: str) -> list[str]:
        """The modules other than `module` that may import its `name` (they mention it and
        import `module`, or an import of theirs cannot be resolved)."""
        mentions = self.uses.resolver.mentions
        return [] if mentions is None else [m for m in mentions(name, module) if m != module]

    def _reader(self, importer: str, name: str, target: Target) -> str | None:
        """How a message names what `importer` may do with `name`, bound to `target`; None
        when every mention of it there is its import or a W&B client's `api_key=`."""
        shown = self.uses.shown(importer)
        summary = self.uses.summary_of(importer)
        text = None if self.text_of is None else self.text_of(importer)
        unproved = f"read in {shown}, where the index cannot see that only W&B clients read it"
        if summary is None or text is None:
            return unproved
        locals_ = self._locals(importer, summary, name, target)
        if not locals_ and self._binds_otherwise(importer, summary, name, target, text):
            return None
        words = {name, *(local for _, local in locals_)}
        if any(not scope and self._importers(importer, local) for scope, local in locals_):
            return unproved  # imported from there in turn: its readers are not followed
        if words & summary.dropped:
            self.uses.resolver.needs_whole.add(importer)
            return unproved
        # A name read as an attribute (`settings.KEY`) or in a lambda escapes: each such
        # mention is counted below, and proved only as a W&B client's `api_key=`.
        wandb_keys = 0
        for call in _calls(summary):
            for keyword, arg in _arguments(call):
                if self.uses.resolver.read_source(importer, arg) != target:
                    continue
                if keyword == "api_key" and _plain(arg, words) and self._is_wandb(importer, call):
                    wandb_keys += 1
                    continue
                return f"passed to {_callee(call.func)}(...) in {shown}, which is not a W&B client"
        imports = sum(1 if local == name else 2 for _, local in locals_)
        mentioned = sum(
            len(re.findall(rb"\b" + re.escape(word.encode()) + rb"\b", text)) for word in words
        )
        return None if mentioned == imports + wandb_keys else unproved

    def _binds_otherwise(
        self, importer: str, summary: s.ModuleSummary, name: str, target: Target, text: bytes
    ) -> bool:
        """Whether `name` in `importer` is a module-level binding of its own, not `target`,
        that is itself a literal or an environment read (`KEY = os.getenv("OTHER")`), and the
        module reads no attribute of that name (`settings.KEY`) and has no star import: every
        mention of it there is that binding. An import (even one the index cannot resolve:
        `from vendored.settings import KEY`), a choice (`try: from settings import KEY`
        with a fallback) or a call (`getattr(settings, "KEY")`) may be `target` itself."""
        own = summary.scopes.get("")
        if own is None or name not in own.names or summary.star_imports:
            return False
        bound = own.names[name]
        if not isinstance(bound, s.Lit) and self.uses.env_read(importer, bound) is None:
            return False
        if b"." + name.encode() in text:
            return False
        return _written_read(self.uses.resolver.written(importer, s.Var("", name))) != target

    def _locals(
        self, importer: str, summary: s.ModuleSummary, name: str, target: Target
    ) -> list[tuple[str, str]]:
        """(scope, local name) of each `from m import name [as local]` of `importer` that
        binds `target`."""
        resolver = self.uses.resolver
        return [
            (scope, local)
            for scope, found in summary.scopes.items()
            for local, value in found.names.items()
            if isinstance(value, s.Imported)
            and value.name == name
            and _written_read(resolver.written(importer, s.Var(scope, local))) == target
        ]

    def _is_wandb(self, module: str, call: s.Call) -> bool:
        """Whether `call` builds clients only, each judged W&B by the project."""
        found = self.uses.resolver.values(module, call)
        clients = [self.uses.client(v) for v in found if isinstance(v, ClientValue)]
        return (
            bool(clients)
            and len(clients) == len(found)
            and all(client is not None and client.is_wandb for client in clients)
        )


def _calls(summary: s.ModuleSummary) -> Iterator[s.Call]:
    """Every call of the module the summary keeps, once each."""
    seen: set[int] = set()
    every = [*summary.client_calls, *(site.call for site in summary.library_calls)]
    every += [call for calls in summary.calls.values() for call in calls]
    for call in every:
        if call.node not in seen:
            seen.add(call.node)
            yield call


def _arguments(call: s.Call) -> Iterator[tuple[str, s.Expr]]:
    """The values a call is given, with their keyword ("" for a positional one or a `**`
    spread); the receiver of a strip (`KEY.strip()`) is the read itself, not an argument."""
    for arg in call.args:
        yield "", arg
    yield from call.keywords
    for spread in call.spreads:
        yield "", spread


def _plain(expr: s.Expr, words: set[str]) -> bool:
    """A mention of one of `words` by itself (`KEY`, `settings.KEY`, `KEY.strip()`)."""
    expr = _unstripped(expr)
    if isinstance(expr, (s.Var, s.Imported)):
        return expr.name in words
    return (
        isinstance(expr, s.Attr)
        and expr.name in words
        and isinstance(expr.value, (s.Var, s.Imported, s.ModuleObj))
    )


def _callee(func: s.Expr) -> str:
    """How a message names what a call calls: `Groq`, `litellm.completion`."""
    if isinstance(func, (s.Var, s.Imported)):
        return func.name
    if isinstance(func, s.ModuleObj):
        return func.module
    if isinstance(func, s.Attr):
        return f"{_callee(func.value)}.{func.name}"
    return "a call"


def _written_read(written: tuple[str, s.Expr]) -> tuple[str, s.Expr]:
    """What a name is bound to, less the strips around it (`Target`: the read itself)."""
    return written[0], _unstripped(written[1])


def _unstripped(expr: s.Expr) -> s.Expr:
    """What `x.strip()` (or another strip method, without arguments) strips: `x`."""
    while isinstance(expr, s.Call) and not expr.args and not expr.keywords:
        func = expr.func
        if not (isinstance(func, s.Attr) and func.name in STRIP_METHODS):
            break
        expr = func.value
    return expr
