"""From summaries to what each file is told: the clients of its requests, and the literals of
it that W&B requests send.

A request's client is what its receiver resolves to; it is a W&B client when every client
it may be is one (a request that may go to OpenRouter or to W&B is not checked against
W&B), and a receiver of unknown origin (a parameter) is no client at all. The literals a
W&B request's keywords may take are recorded where they are written, once for each way
they are read (the parameter, and for a model the library's prefix and spelling), with the
first request (in module order) that sends them so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cached_property
from typing import Final, Union

from lint_wb.analysis.clients import classify_url, wandb_target
from lint_wb.analysis.env_setting import ENVIRON, runs_after
from lint_wb.analysis.facts import BaseUrl, UrlKind
from lint_wb.analysis.read_only_calls import LOGGING_METHODS, READ_ONLY_BUILTINS
from lint_wb.analysis.sdk_names import ENV_GETTERS, RETARGETING_KEYWORDS, unsupported_endpoint
from lint_wb.analysis.values import STARRED
from lint_wb.project import summary as s
from lint_wb.project.aliases_elsewhere import spelled_through
from lint_wb.project.library_uses import LibraryUses
from lint_wb.project.partial_requests import PartialRequests
from lint_wb.project.purposes import ClientPurposes
from lint_wb.project.resolve import (
    ClassValue,
    ClientValue,
    DerivedClientValue,
    DictValue,
    External,
    FunctionValue,
    ItemsValue,
    LibraryCallValue,
    LitValue,
    Mentions,
    ModuleNames,
    ModuleValue,
    Resolver,
    SummaryOf,
    UrlStores,
    Values,
    copy_keywords,
    may_be_any,
)
from lint_wb.project.shared_keys import SharedKeys, TextOf
from lint_wb.project.told import (
    KeyUse,
    KeywordUse,
    MessagesUse,
    ModuleIndex,
    PartialCall,
    RemoteClient,
    ValueUse,
)
from lint_wb.records import dataclass
from lint_wb.spec import ApiSpec, bundled_libraries

MESSAGES = "messages"
OPENAI_MODULE: Final = frozenset({External("openai")})
"""What a name bound by `import openai` holds."""
MESSAGE = "message"
"""The kind of a `MessagesUse` that is one message of a list written in the call."""
REPLACED_SUFFIX: Final = re.compile(r"@\d+")
"""What `summarize.replaced_definitions` adds to a replaced definition's qualified name."""
MAX_STAR_LEVELS: Final = 4
"""How many star imports in a row (`from mid import *` of `from llm import *`) are followed
to a client library's name."""
WRITTEN_IN_CALL = (s.Lit, s.Joined, s.Items, s.DictExpr)
"""`messages` written in the request itself: the file's own analysis reads it."""


@dataclass(frozen=True)
class ModuleSetup:
    """The settings in force for a module that decide what its clients target."""

    assume_wandb: bool
    extra_base_urls: tuple[str, ...]
    api: ApiSpec


class ProjectUses:
    def __init__(
        self,
        names: ModuleNames,
        summary_of: SummaryOf,
        setups: Mapping[str, ModuleSetup],
        mentions: Mentions | None = None,
        shown: Callable[[str], str] = str,
        url_stores: UrlStores | None = None,
        text_of: TextOf | None = None,
        imports: Callable[[str], Iterable[str]] | None = None,
    ) -> None:
        """`shown`: how a message names a module (`_Project.shown`); `url_stores`: the
        project's byte count of `base_url` stores (`_Project.url_stores`); `text_of`: a
        module's bytes (`shared_keys.py` counts the mentions of a key's name in them);
        `imports`: the project modules a module imports (`_Project.imports`)."""
        table = bundled_libraries()
        self.resolver = Resolver(
            names,
            summary_of,
            table.openai_client_classes(),
            frozenset(table.by_name()),
            mentions=mentions,
            url_stores=url_stores,
        )
        self.summary_of = summary_of
        self.setups = setups
        self.shown = shown
        self._clients: dict[AnyClient, RemoteClient | None] = {}
        self._clients_of: dict[str, dict[int, RemoteClient]] = {}
        self._uses: dict[str, dict[UseKey, ValueUse]] = {}
        self._urls: dict[str, dict[int, BaseUrl]] = {}
        self._routes: dict[str, dict[int, str]] = {}
        self._signals_of: dict[str, dict[int, tuple[str, ...]]] = {}
        self._set_urls: dict[str, dict[int, BaseUrl]] = {}
        self._key_readers: dict[str, dict[int, tuple[str, str]]] = {}
        self._key_uses: dict[str, dict[int, KeyUse]] = {}
        self._requested_on: dict[tuple[str, int], s.Call] = {}
        """The construction of each client a W&B chat request is made on, by module and node."""
        self._aliases: dict[str, dict[str, str]] = {}
        """The names each module imports that stand for a client library's (`_aliased_calls`)."""
        self._library_callables = frozenset(table.by_name())
        self._client_roots = frozenset({"openai", *table.module_roots()})
        self._chat_urls: dict[str, set[int]] = {}
        """The base URL literals of the clients W&B chat requests are made on, by module."""
        self.libraries = LibraryUses(self, table)
        self.partials = PartialRequests(self)
        self._messages: dict[str, dict[int, MessagesUse]] = {}
        self._keywords: dict[str, dict[int, KeywordUse]] = {}
        self._partial_calls: dict[str, dict[int, PartialCall]] = {}
        self.shared_keys = SharedKeys(self, text_of)
        self.purposes = ClientPurposes()
        self._imports = imports
        self._imported: dict[str, set[str]] = {}

    def index(
        self, modules: Iterable[str], key_holders: Iterable[str] = ()
    ) -> dict[str, ModuleIndex]:
        """`key_holders`: modules besides `modules` whose clients' keys are followed to the
        other modules that read them (`shared_keys.py`)."""
        seeds = list(modules)
        read: list[tuple[str, s.ModuleSummary, list[s.Call], list[s.LibraryCallSite]]] = []
        for module in seeds:
            summary = self.summary_of(module)
            if summary is not None:
                read.append((module, summary, *self._aliased_calls(module, summary)))
        self._note_purposes(read)
        for module, summary, built, library_calls in read:
            for call in summary.client_calls:
                self._construction(module, call)
            for site in self._requests(module, summary):
                self._request(module, site)
            for partial in summary.partials:
                self.partials.visit(module, partial)
            for library_call in summary.library_calls:
                self.libraries.visit(module, library_call)
            for call in built:
                self._construction(module, call)
            for library_call in library_calls:
                self.libraries.visit(module, library_call)
        self.libraries.finish()
        self._elsewhere_built(seeds, key_holders)
        self._shared_keys([*seeds, *key_holders])
        found = set(self._clients_of) | set(self._uses) | set(self._urls) | set(self._messages)
        found |= set(self._routes) | set(self._signals_of) | set(self._set_urls)
        found |= set(self._routes) | set(self._signals_of) | set(self._key_readers)
        found |= set(self._key_uses) | set(self._aliases) | set(self._keywords)
        found |= self.libraries.chat_api_modules()
        found |= {m for m in self.purposes.modules() if self._assumes_wandb(m)}
        return {module: self._module_index(module) for module in found}

    def _note_purposes(
        self, read: list[tuple[str, s.ModuleSummary, list[s.Call], list[s.LibraryCallSite]]]
    ) -> None:
        """What each client is used for (`purposes.py`), before any client is described:
        the clients of each request (a chat request, or a call of an endpoint W&B does not
        serve) and those given to a library call. Read under assume-wandb only, where a
        client used only for such endpoints is left alone."""
        if not any(setup.assume_wandb for setup in self.setups.values()):
            return
        for module, summary, _, aliased in read:
            setup = self.setups.get(module)
            for site in self._requests(module, summary):
                endpoint = not site.is_chat
                if endpoint and (
                    setup is None
                    or unsupported_endpoint(setup.api.unsupported_endpoints, site.path) is None
                ):
                    continue  # `chat.completions.list()`: neither
                found = self._receiver_values(module, site)
                self.purposes.unseen_chat |= site.is_chat and may_be_any(found)
                self.purposes.note(found, endpoint=endpoint, where=module)
            for library_call in (*summary.library_calls, *aliased):
                call = library_call.call
                for expr in (*call.args, *(value for _, value in call.keywords), *call.spreads):
                    self.purposes.note(self.resolver.values(module, expr), endpoint=False)
        # Where a client used for such an endpoint may be handed on: the modules it is
        # built in and those that call such an endpoint (a module neither builds nor calls
        # one through is not read: reading every call of every seed costs a resolution of
        # each callee and argument, a minute on a large tree).
        near = self.purposes.near_endpoints()
        for module, summary, _, _ in read:
            if module not in near:
                continue
            for calls in summary.calls.values():
                for call in calls:
                    self._note_handed(module, call)
        # And the other modules that name such a client's name, which may hand it on
        # (`from clients import client`, then `Pipeline(llm=client)`), seeds or not.
        for module in self._naming_endpoint_clients() - near:
            naming = self.summary_of(module)
            for calls in () if naming is None else naming.calls.values():
                for call in calls:
                    self._note_handed(module, call)

    def _reads_only(self, module: str, func: s.Expr) -> bool:
        """A callee that only reads what it is given (`read_only_calls.py`): a logger's
        method, or a builtin the module binds no name for (`print(client)`)."""
        if isinstance(func, s.Attr):
            return func.name in LOGGING_METHODS
        if not isinstance(func, s.Var) or func.name not in READ_ONLY_BUILTINS:
            return False
        return self.resolver.written(module, func) == (module, func)  # bound to nothing

    def _naming_endpoint_clients(self) -> set[str]:
        """The modules but its own that mention the module-level name a client used only
        for endpoints W&B does not serve (so far) is bound to."""
        found: set[str] = set()
        mentions = self.resolver.mentions
        if mentions is None:
            return found
        for module in self.purposes.modules():
            summary = self.summary_of(module)
            if summary is None:
                continue
            built = set(self.purposes.endpoint_only_in(module))
            for name, value in summary.scopes[""].names.items():
                if isinstance(value, s.Call) and value.node in built:
                    found.update(other for other in mentions(name, module) if other != module)
        return found

    def _note_handed(self, module: str, call: s.Call) -> None:
        """A client given by name to a callee the project does not follow into (another
        library's `Pipeline(llm=client)`, a callable not known here) may be chatted through
        there: a use other than an endpoint's. One given to a function or class of the
        project is followed: its requests are noted where they are made."""
        named = [
            expr
            for expr in (*call.args, *(value for _, value in call.keywords))
            if isinstance(expr, (s.Var, s.Attr))
        ]
        if not named or self._reads_only(module, call.func):
            return
        callees = self.resolver.values(module, call.func)
        if callees and all(isinstance(callee, FOLLOWED) for callee in callees):
            return
        for expr in named:
            self.purposes.note(self.resolver.values(module, expr), endpoint=False)

    def _aliased_calls(
        self, module: str, summary: s.ModuleSummary
    ) -> tuple[list[s.Call], list[s.LibraryCallSite]]:
        """The calls of names `module` imports from another module of the project that stand
        for a client class or a library's callable (`from llm import Chat`, llm.py's `Chat =
        ChatOpenAI`; a re-export): its summary could not know them for client constructions
        or library calls. Each such import is told to the module (`ModuleIndex.aliases`) for
        its own analysis."""
        aliases: dict[str, str] = {}
        locals_: set[str] = set()
        for found in summary.scopes.values():
            for local, value in found.names.items():
                if isinstance(value, s.ModuleObj):  # `import llm`, then `llm.Chat(...)`
                    self._module_names(value.module, value.module, aliases, locals_)
                    continue
                if (
                    not isinstance(value, s.Imported)
                    or self.resolver.modules.find(value.module) is None
                ):
                    continue
                imported = self._external(module, value)
                if imported is not None:
                    aliases[f"{value.module}.{value.name}"] = imported
                    locals_.add(local)
                    continue
                held = self._module_of(module, value)  # `from pkg import llm`, a module
                if held is not None:
                    self._module_names(f"{value.module}.{value.name}", held, aliases, locals_)
        self._starred_names(module, summary, aliases, locals_)
        if not aliases:
            return [], []
        self._aliases[module] = aliases
        known = {site.call.node for site in summary.library_calls}
        known |= {call.node for call in summary.client_calls}
        built: list[s.Call] = []
        library_calls: list[s.LibraryCallSite] = []
        for leaf in sorted(locals_ & set(summary.calls)):
            for call in summary.calls[leaf]:
                if call.node in known or not isinstance(call.func, (s.Var, s.Attr)):
                    continue
                called = self._external_of(module, call.func)
                if called in self.resolver.client_classes:
                    built.append(call)
                elif called in self._library_callables:
                    scope = s.read_in(call.func)
                    where = scope if scope in summary.functions else "<module>"
                    library_calls.append(s.LibraryCallSite(call, where))
        return built, library_calls

    def _module_names(
        self, prefix: str, dotted: str, aliases: dict[str, str], locals_: set[str], depth: int = 0
    ) -> None:
        """Into `aliases` (by `prefix`, as the importer's analysis qualifies them: `llm.Chat`)
        the names of the project's module `dotted` that stand for a client library's name
        other than by that name, and those of the modules it holds by a name (`pkg.llm.
        Maker`, pkg/__init__.py's `from . import llm`), one level down; into `locals_` their
        last names, which the importer's calls are found by."""
        for name, given in self._module_aliases(dotted).items():
            aliases[f"{prefix}.{name}"] = given
            locals_.add(name)  # called as `llm.Chat(...)`: its last name
        if depth >= 1:
            return
        for name, inner in self._held_modules(dotted).items():
            self._module_names(f"{prefix}.{name}", inner, aliases, locals_, depth + 1)

    def _held_modules(self, dotted: str) -> dict[str, str]:
        """The module-level names of the project's module `dotted` bound to another module
        of the project (`from . import llm`, `import a`), with that module's dotted name."""
        found: dict[str, str] = {}
        target, names = self._top_level_names(dotted)
        for name, value in names.items():
            if isinstance(value, s.ModuleObj) and self.resolver.modules.find(value.module):
                found[name] = value.module
            elif isinstance(value, s.Imported):
                held = self._module_of(target, value)
                if held is not None:
                    found[name] = held
        return found

    def _top_level_names(self, dotted: str) -> tuple[str, dict[str, s.Expr]]:
        """The project's module `dotted` as the index names it, and the names its top level
        binds (none when it is not the project's or has no summary)."""
        target = self.resolver.modules.find(dotted)
        summary = None if target is None else self.summary_of(target)
        if target is None or summary is None:
            return "", {}
        return target, summary.scopes[""].names

    def _module_of(self, module: str, value: s.Imported) -> str | None:
        """The module of the project `from m import name` in `module` gives, if it is one."""
        found = self.resolver.values(module, value)
        held = next(iter(found)) if len(found) == 1 else None
        return held.module if isinstance(held, ModuleValue) else None

    def _starred_names(
        self, module: str, summary: s.ModuleSummary, aliases: dict[str, str], locals_: set[str]
    ) -> None:
        """Into `aliases` (each after `STARRED`) the names a star import of `module` binds
        from a module of the project that stand for a client library's name, renamed or not
        (`from llm import *`, then `Maker()`): the importer's analysis cannot qualify them."""
        for target in self._star_targets(summary):
            for name, given in self._star_exported(target, {module}).items():
                if self.resolver.star_source(module, name) == target:
                    aliases[f"{STARRED}{name}"] = given
                    locals_.add(name)

    def _star_targets(self, summary: s.ModuleSummary) -> Iterator[str]:
        """The modules of the project a module's star imports name."""
        for star in summary.star_imports:
            target = self.resolver.modules.find(star.module) if star.module else None
            if target is not None:
                yield target

    def _star_exported(self, target: str, seen: set[str]) -> dict[str, str]:
        """The names of a client library's names a star import of `target` binds: its own
        (`_module_aliases`), and those its own star imports bind in turn (mid.py's `from
        llm import *`; pkg/__init__.py's `from .llm import *`), down to `MAX_STAR_LEVELS`."""
        found = self._module_aliases(target, renamed=False)
        summary = self.summary_of(target)
        if summary is None or len(seen) >= MAX_STAR_LEVELS:
            return found
        for inner in self._star_targets(summary):
            if inner in seen or inner == target:
                continue
            for name, given in self._star_exported(inner, seen | {target}).items():
                if name not in found and self.resolver.star_source(target, name) == inner:
                    found[name] = given
        return found

    def _module_aliases(self, dotted: str, *, renamed: bool = True) -> dict[str, str]:
        """The module-level names of the project's module `dotted` (`import llm`) that stand
        for a client library's name, other than by that name (`Chat = ChatOpenAI`): called
        as `llm.Chat(...)`."""
        found: dict[str, str] = {}
        target, names = self._top_level_names(dotted)
        for name, value in names.items():
            if isinstance(value, (s.Imported, s.Var, s.Attr)):
                external = self._external(target, value)
                if external is not None and (not renamed or external.rsplit(".", 1)[-1] != name):
                    found[name] = external
        return found

    def _external(self, module: str, value: s.Expr) -> str | None:
        """What a name imported from a module of the project is, when that is one name of a
        client library (a class, a callable, a module)."""
        name = self._external_of(module, value)
        return name if name is not None and name.split(".")[0] in self._client_roots else None

    def _external_of(self, module: str, value: s.Expr) -> str | None:
        """The one name from outside the project `value` stands for, if it is one."""
        found = self.resolver.values(module, value)
        if len(found) != 1:
            return None
        external = next(iter(found))
        return external.name if isinstance(external, External) else None

    def _elsewhere_built(self, seeds: list[str], key_holders: Iterable[str]) -> None:
        """The clients built in modules that are no seeds, judged as a seed's are
        (`_construction`): those of the key holders (a settings module's W&B client with
        `api_key=get_key()`, the key read in a third module) and those a seed's requests are
        made on (`from app.llm import client`): a URL or key written in yet another module is
        reported where it is written."""
        known = set(seeds)
        built = dict(self._requested_on)
        for module in key_holders:
            summary = self.summary_of(module)
            for call in () if summary is None else summary.client_calls:
                built[module, call.node] = call
        for (module, _), call in sorted(built.items(), key=lambda item: item[0]):
            if module not in known:
                self._construction(module, call)

    def _shared_keys(self, modules: list[str]) -> None:
        """The readers, in other modules, of the environment reads the clients of `modules`
        take their key from (`shared_keys.py`)."""
        for module in modules:
            summary = self.summary_of(module)
            setup = self.setups.get(module)
            if summary is None or setup is None:
                continue
            for call in summary.client_calls:
                self.shared_keys.visit(module, call, setup.api.porting.wandb_key_variable)

    def label(self, module: str, where: str) -> str:
        """Names a request or client of `module` in another module's message:
        `app.reasoner (Reasoner.run)`; a definition replaced by a later one of its name
        (`summarize.replaced_definitions`) by its name alone."""
        return f"{self.shown(module)} ({REPLACED_SUFFIX.sub('', where)})"

    def _module_index(self, module: str) -> ModuleIndex:
        summary = self.summary_of(module)
        return ModuleIndex(
            tuple(sorted(self._clients_of.get(module, {}).items())),
            self._value_uses(module),
            tuple(sorted(self._urls.get(module, {}).items())),
            0 if summary is None else summary.node_count,
            chat_api_default=module in self.libraries.chat_api_modules(),
            names_verbatim=module in self.libraries.names_verbatim_modules(),
            message_uses=tuple(self._messages.get(module, {}).values()),
            client_routes=tuple(sorted(self._routes.get(module, {}).items())),
            client_signals=tuple(sorted(self._signals_of.get(module, {}).items())),
            client_set_urls=tuple(sorted(self._set_urls.get(module, {}).items())),
            key_readers=tuple(
                (node, *reader)
                for node, reader in sorted(self._key_readers.get(module, {}).items())
            ),
            key_uses=tuple(use for _, use in sorted(self._key_uses.get(module, {}).items())),
            aliases=tuple(sorted(self._aliases.get(module, {}).items())),
            keyword_uses=tuple(use for _, use in sorted(self._keywords.get(module, {}).items())),
            partial_calls=tuple(sorted(self._partial_calls.get(module, {}).items())),
            endpoint_clients=(
                self.purposes.endpoint_only_in(module) if self._assumes_wandb(module) else ()
            ),
        )

    def _assumes_wandb(self, module: str) -> bool:
        setup = self.setups.get(module)
        return setup is not None and setup.assume_wandb

    def _value_uses(self, module: str) -> tuple[ValueUse, ...]:
        """The literals of `module` that requests send, a base URL marked when W&B chat
        requests are made on a client built with it (`_chat_client_urls`)."""
        chat = self._chat_urls.get(module, set())
        return tuple(
            replace(use, chat=True) if use.parameter == "base_url" and use.node in chat else use
            for use in self._uses.get(module, {}).values()
        )

    def _construction(self, module: str, call: s.Call) -> None:
        """A client built here: its base URL as the project resolves it, and a near-miss URL
        literal written elsewhere (a settings module), to be reported there."""
        for value in self.resolver.values(module, call):
            client = self.client(value) if isinstance(value, CLIENT_VALUES) else None
            if client is None:
                continue
            if client.base_url.kind is not UrlKind.UNKNOWN:
                self._urls.setdefault(module, {})[call.node] = client.base_url
            expr = self._url_expr(module, call, value)
            if expr is None or isinstance(expr, s.Lit):
                continue  # written in the call: the file's own analysis reports it there
            # Each URL literal it may be: WB101 reports a near miss of W&B's where it is
            # written, even as one of several (a factory's default some calls override).
            label = self.label(module, "the client built there")
            for found in self.resolver.values(module, expr):
                if isinstance(found, LitValue) and found.origin.node >= 0:
                    self._record("base_url", found, label)

    def _url_expr(self, module: str, call: s.Call, value: object) -> s.Expr | None:
        """The expression a client built at `call` takes its base URL from: its `base_url=`,
        `OPENAI_BASE_URL` set before it, or a certain `client.base_url = ...` store."""
        given, _ = self.resolver.given_keywords(module, call)
        expr = given.get("base_url") or self._env_base_url(module, call)
        stored = self._stored_url(module, value)
        return expr if stored is None else stored

    def _chat_client_urls(self, module: str, site: s.RequestSite) -> None:
        """The clients a W&B chat request is made on: each is judged where it is built, and
        each base URL literal written apart from its construction is marked as sent chat
        requests to (`ValueUse.chat`: WB103 judges those alone; a client used only for
        endpoints W&B does not serve is left alone)."""
        for receiver in site.receivers:
            found = self.resolver.values(module, receiver)
            if not any(isinstance(value, CLIENT_VALUES) for value in found):
                continue
            for value in found:
                if not isinstance(value, ClientValue):
                    continue
                self._requested_on[value.module, value.call.node] = value.call
                expr = self._url_expr(value.module, value.call, value)
                if expr is None or isinstance(expr, s.Lit):
                    continue  # written in the call: the file's own analysis reports it there
                for url in self.resolver.values(value.module, expr):
                    if isinstance(url, LitValue) and url.origin.node >= 0:
                        self._chat_urls.setdefault(url.origin.module, set()).add(url.origin.node)
            return

    def _stored_url(self, module: str, value: object) -> s.Expr | None:
        """The value of the certain `name.base_url = value` store on the client built at
        `value`'s call (`summary.url_setting`), when no other store of the project can reach
        it (`Resolver.setting_holds`): told to the client's module as the URL its own
        requests go to (`ModuleIndex.client_set_urls`), which its own analysis reads only
        when the value is a literal there."""
        summary = self.summary_of(module)
        setting = None if summary is None else summary.url_setting
        if not isinstance(value, ClientValue) or setting is None or value.set_url is not None:
            return None
        if setting.built != value.call.node or not self.resolver.setting_holds(module):
            return None
        setup = self.setups.get(module)
        if setup is not None:
            stored = self._url_of(module, setting.value, setup)
            if stored.kind is not UrlKind.UNKNOWN:
                self._set_urls.setdefault(module, {})[value.call.node] = stored
        return setting.value

    def _requests(self, module: str, summary: s.ModuleSummary) -> Iterator[s.RequestSite]:
        """The requests of `module`, those through a name bound in another module spelled
        out there (`aliases_elsewhere.py`)."""
        for site in summary.requests:
            if not site.through:
                yield site
                continue
            spelled = spelled_through(self.resolver, module, site)
            if spelled is not None:
                yield spelled

    def _request(self, module: str, site: s.RequestSite) -> None:
        client = self.request_client(module, site)
        if client is None:
            return
        self._clients_of.setdefault(module, {})[site.node] = client
        if site.through:  # its own analysis reads it as a call through a partial
            self._partial_calls.setdefault(module, {})[site.node] = PartialCall(site.method, ())
        if not client.is_wandb or not site.is_chat:
            return
        self._chat_client_urls(module, site)
        label = self.label(module, site.where)
        for name, expr in site.keywords:
            if name == MESSAGES:
                self._record_messages(module, site.node, expr, label)
                continue
            if isinstance(expr, s.Lit):
                continue  # written in the call: the file's own analysis reports it there
            for value in self.resolver.values_at(module, site.node, expr):
                if isinstance(value, LitValue) and value.origin.node >= 0:
                    self._record(name, value, label)
        for spread in site.spreads:
            for value in self.resolver.values_at(module, site.node, spread):
                if isinstance(value, DictValue) and value.module != module and not value.handed:
                    self._record_spread(value, site.method, label, keywords=not client.wrapper)

    def _record_spread(self, spread: DictValue, method: str, label: str, *, keywords: bool) -> None:
        """The keywords a request takes from a dict written in another module (`**SAMPLING`),
        each judged where its key is written, and the literals it sends under them (as a
        module's own analysis reads a dict it spreads: `analysis/dicts.py`). A value
        followed by a `**` spread inside the dict, or under a key stored to, is not certain;
        its key still is. `keywords` False: the request's client is used through a wrapper
        whose own keywords a dict may hold (instructor's `max_retries`): keys are not judged."""
        certain: dict[str, s.Expr] = {}
        for key, value in spread.expr.entries:
            if key is None:
                certain.clear()  # `**other`: it may replace what comes before
                continue
            if not (isinstance(key, s.Lit) and isinstance(key.value, str)):
                continue
            if keywords:
                uses = self._keywords.setdefault(spread.module, {})
                uses.setdefault(key.node, KeywordUse(key.value, key.node, method, label))
            if key.value not in spread.stored and key.value != MESSAGES:
                certain[key.value] = value
            else:
                certain.pop(key.value, None)
        for name, value in certain.items():
            for found in self.resolver.values(spread.module, value):
                if isinstance(found, LitValue) and found.origin.node >= 0:
                    self._record(name, found, label)

    def _record(
        self,
        parameter: str,
        value: LitValue,
        label: str,
        prefix: str = "",
        library: str = "",
        spelled: str = "",
        named: str = "",
        fixable: bool = True,
    ) -> None:
        uses = self._uses.setdefault(value.origin.module, {})
        # One use per way of reading the literal: a model LiteLLM strips `openai/` from and
        # an OpenAI SDK request sends as written are judged each (the first request names it).
        key = (parameter, value.origin.node, prefix, library, spelled)
        if key not in uses:
            uses[key] = ValueUse(
                parameter,
                value.value,
                value.origin.node,
                value.plain and fixable,
                label,
                prefix,
                library,
                spelled,
                named,
            )

    record = _record
    """A literal written in its module that a W&B request (or library call) sends.
    `fixable` False: no fix may rewrite it (what the call sends depends on a provider its
    `custom_llm_provider=` names that is not known here)."""

    def request_client_at(self, module: str, node: int, client: RemoteClient) -> None:
        """The client a library call at `node` of `module` sends through, when only the
        project knows it (the Agents SDK's default client, set in another module)."""
        self._clients_of.setdefault(module, {})[node] = client

    def partial_call(self, module: str, node: int, client: RemoteClient, call: PartialCall) -> None:
        """A call at `node` of `module` through a partial of a W&B client's chat method
        written in another module (`partial_requests.py`): a request on `client`, which the
        module's own analysis reads as one (`told.PartialCall`)."""
        self._clients_of.setdefault(module, {})[node] = client
        self._partial_calls.setdefault(module, {})[node] = call

    def client_url(self, module: str, node: int, base_url: BaseUrl) -> None:
        """The base URL of a client-like built at `node` of `module`, as the project
        resolves it (a library call: `LLM(api_base=settings.URL)`)."""
        self._urls.setdefault(module, {})[node] = base_url

    def client_route(self, module: str, node: int, prefix: str) -> None:
        """The provider prefix (LiteLLM's `meta_llama/`) of the model a library call at `node`
        of `module` names, when only the project resolves that model ("": it resolves it,
        and no model it may be is sent elsewhere by its prefix)."""
        self._routes.setdefault(module, {})[node] = prefix

    def _record_messages(
        self, module: str, at: int, expr: s.Expr, label: str, sender: str | None = None
    ) -> None:
        """Each literal `messages` may be, where it is written in another module (a list or
        dict constant in a prompts module, what a builder function returns, a string sent by
        mistake). One written in the request's own module is the file's own analysis's to
        read: a fix there may change what the request sends, which an index built before
        the fix cannot follow. `sender`: the module of the request, when `expr` is read in
        another (`module`: the `messages=` a partial there passes, `partial_requests.py`),
        where even one written in the keyword itself is that other module's to judge."""
        if sender is not None:
            self._record_written(module, at, expr, label, None, sender)
        elif isinstance(expr, s.Items):
            for item in expr.items:  # `[SYSTEM_MESSAGE, {...}]`: each message on its own
                self._record_written(module, at, item, label, MESSAGE)
        elif not isinstance(expr, WRITTEN_IN_CALL):
            self._record_written(module, at, expr, label, None)

    record_messages = _record_messages

    def _record_written(
        self,
        module: str,
        at: int,
        expr: s.Expr,
        label: str,
        kind: str | None,
        sender: str | None = None,
    ) -> None:
        """`at`: the node of the request that sends `expr` (or of the partial passing it)."""
        for value in self.resolver.values_at(module, at, expr):
            origin = _written_messages(value)
            if origin is None or origin[0] == (sender or module):
                continue
            written_in, node, written = origin
            if kind is not None and written != "dict":
                continue
            uses = self._messages.setdefault(written_in, {})
            if node not in uses:
                uses[node] = MessagesUse(node, kind or written, label)

    def _receiver_values(self, module: str, site: s.RequestSite) -> Values:
        """What the innermost receiver of a request that resolves to a client, or to what a
        caller out of sight passes, may be (as `request_client` reads it)."""
        for receiver in site.receivers:
            found = self.resolver.values(module, receiver)
            if may_be_any(found) or any(isinstance(value, CLIENT_VALUES) for value in found):
                return found
        return frozenset()

    def request_client(self, module: str, site: s.RequestSite) -> RemoteClient | None:
        """The client of a request: its innermost receiver that resolves to clients."""
        for receiver in site.receivers:
            found = self.resolver.values(module, receiver)
            if may_be_any(found):
                return None  # a parameter some caller out of sight may pass any client
            if found == OPENAI_MODULE:
                return self._module_default(module)
            described = [self.client(value) for value in found if isinstance(value, CLIENT_VALUES)]
            described += [
                self.libraries.wrapped(value)
                for value in found
                if isinstance(value, LibraryCallValue)
            ]
            known = [client for client in described if client is not None]
            if known:
                first = known[0]
                same_target = all(client.base_url == first.base_url for client in known)
                base_url = first.base_url if same_target else BaseUrl(UrlKind.UNKNOWN)
                # A client left alone is not W&B's only for its endpoint uses: beside others,
                # this call may be made on them (`client or OpenAI()`, a caller's W&B client).
                judged = [client for client in known if not client.left_alone] or known
                is_wandb = all(client.is_wandb for client in judged)
                wrappers = {client.wrapper for client in known}
                wrapper = wrappers.pop() if len(wrappers) == 1 else ""
                return RemoteClient(first.class_name, is_wandb, base_url, wrapper)
        return None

    def _module_default(self, module: str) -> RemoteClient | None:
        """The `openai` module's own client (`openai.chat.completions.create(...)`) as a
        request in `module` finds it, when the project sets its `base_url` in a module that
        `module` imports (config.py: `openai.base_url = URL`; app.py: `import config`): a store
        to the state of the whole process, made when config.py is imported. Told only for a
        W&B URL, when that is the project's one `base_url` store that may reach this client
        (`_module_setting`): the module's own analysis takes every other case."""
        setting = self._module_setting
        setup = self.setups.get(module)
        if setting is None or setup is None or setting[0] == module:
            return None
        setter, value = setting
        if setter not in self._imported_by(module):
            return None
        base_url = self._url_of(setter, value, setup)
        if base_url.kind is not UrlKind.WANDB:
            return None
        return RemoteClient("openai", True, base_url)

    @cached_property
    def _module_setting(self) -> tuple[str, s.Expr] | None:
        """(module, value) of `openai.base_url = value` at the top level of the one module
        that makes it, when every other `base_url` store of the project is a module's one
        certain store on a client it has just built (`Resolver.setting_holds`'s rule)."""
        stores = self.resolver.url_stores() if self.resolver.url_stores is not None else None
        if not stores:
            return None
        found: list[tuple[str, s.Expr]] = []
        for store_module, count in stores.items():
            summary = self.summary_of(store_module)
            if summary is None:
                return None  # a store the index does not read may be on `openai`
            on_module = [
                (scope, value)
                for scope, name, value in summary.named_url_settings
                if self.resolver.values(store_module, s.Var(scope, name)) == OPENAI_MODULE
            ]
            if not on_module and count == 1 and summary.url_setting is not None:
                continue  # its own client's one certain store
            if count != 1 or len(on_module) != 1 or on_module[0][0]:
                return None
            found.append((store_module, on_module[0][1]))
        return found[0] if len(found) == 1 else None

    def _imported_by(self, module: str) -> set[str]:
        """The project modules `module` imports, directly or through others."""
        if module not in self._imported:
            seen: set[str] = set()
            todo = [module]
            while todo and self._imports is not None:
                for target in self._imports(todo.pop()):
                    if target not in seen:
                        seen.add(target)
                        todo.append(target)
            self._imported[module] = seen
        return self._imported[module]

    def client(self, value: AnyClient) -> RemoteClient | None:
        if value not in self._clients:
            self._clients[value] = self._describe(value)
        return self._clients[value]

    def _describe(self, value: AnyClient) -> RemoteClient | None:
        setup = self.setups.get(value.module)
        if setup is None:
            return None
        if isinstance(value, DerivedClientValue):
            return self._describe_derived(value, setup)
        base_url = self._base_url(value, setup)
        signals = self._signals(value, setup)
        if signals:  # told to the client's module: a module with no request is no seed
            self._signals_of.setdefault(value.module, {})[value.call.node] = signals
        is_wandb = wandb_target(base_url.kind, bool(signals), setup.assume_wandb)
        left_alone = is_wandb and self._left_alone(value, base_url, signals)
        if left_alone:
            is_wandb = False
        if not is_wandb:
            self._key_reader(value, base_url)
        else:
            self._foreign_key(value, base_url, setup)
        return RemoteClient(value.class_name, is_wandb, base_url, left_alone=left_alone)

    def _left_alone(self, value: ClientValue, base_url: BaseUrl, signals: tuple[str, ...]) -> bool:
        """A client W&B's only by assume-wandb (neither its URL nor a signal says so) that
        the project uses only for endpoints W&B does not serve, as its own module's
        analysis leaves it (`analysis.porting.leave_unservable_clients`)."""
        if base_url.kind in (UrlKind.WANDB, UrlKind.NEAR_MISS) or signals:
            return False
        return self.purposes.endpoint_only(value)

    def _foreign_key(self, value: ClientValue, base_url: BaseUrl, setup: ModuleSetup) -> None:
        """A W&B client whose `api_key=` reads another provider's variable in another module
        (`api_key=settings.KEY`, `KEY = os.getenv("GROQ_API_KEY")` there): told to the module
        the variable is named in, where WB107 reports it (`told.ModuleIndex.key_uses`), as
        the client's own module's analysis judges a read it can see (`rules/client_keys.py`).
        The variable is foreign as the client's module's spec and mode have it."""
        given, _ = self.resolver.given_keywords(value.module, value.call)
        key = given.get("api_key")
        if key is None:
            return
        names, _, _ = self.resolver.written_names(value.module, key)
        module, expr, through_function = self.resolver.key_source(value.module, key)
        if module == value.module:
            return  # read in the client's own module: its own analysis reports it
        variable = self.env_read(module, expr)
        found = None if variable is None else self.resolver.values(module, variable)
        if not found or len(found) != 1:
            return
        literal = next(iter(found))
        if not isinstance(literal, LitValue) or not isinstance(literal.value, str):
            return
        porting = setup.api.porting
        name = literal.value
        if name not in porting.key_variables or literal.origin.node < 0:
            return
        if name == porting.sdk_key_variable and not setup.assume_wandb:
            return  # OPENAI_API_KEY may hold the W&B key outside porting (W&B's docs)
        written_in = literal.origin.module
        own = tuple(local for bound_in, local in names if bound_in == written_in)
        fixable = not through_function and written_in == module and isinstance(variable, s.Lit)
        given_url = "" if base_url.text is None else f" given {base_url.text!r}"
        client = f"the {value.class_name} client{given_url} built in {self.shown(value.module)}"
        use = KeyUse(literal.origin.node, name, client, own, fixable and literal.plain)
        self._key_uses.setdefault(written_in, {}).setdefault(use.node, use)

    def _key_reader(self, value: ClientValue, base_url: BaseUrl) -> None:
        """A client not judged W&B whose `api_key=` is an environment read written in another
        module (`from settings import KEY`): told to that module, whose W&B clients may read
        it too (`told.ModuleIndex.key_readers`)."""
        key = value.call.keyword("api_key")
        if key is None:
            return
        module, expr = self.resolver.written(value.module, key)
        if module == value.module:
            return  # the file's own analysis sees every reader of its own read
        literal = self.env_variable(module, expr)
        if literal is None or not isinstance(literal.value, str):
            return
        given = "" if base_url.text is None else f" given {base_url.text!r}"
        built = f"the {value.class_name} client{given} built in {self.shown(value.module)}"
        self.tell_key_reader(module, literal, f"the key of {built}, which is not a W&B client")

    def tell_key_reader(self, module: str, literal: s.Lit, reader: str) -> None:
        """Tells `module` that its environment read naming the variable at `literal` is read
        by something that is not a W&B client, named by `reader` in WB107's message."""
        assert isinstance(literal.value, str)
        self._key_readers.setdefault(module, {}).setdefault(literal.node, (literal.value, reader))

    def env_variable(self, module: str, expr: s.Expr) -> s.Lit | None:
        """The literal naming the variable `expr` reads, for an environment read of `module`
        (`env_read`) whose variable is written in it."""
        variable = self.env_read(module, expr)
        return variable if isinstance(variable, s.Lit) else None

    def env_read(self, module: str, expr: s.Expr) -> s.Expr | None:
        """The expression naming the variable `expr` reads, for an environment read
        (`os.environ["V"]`, `os.getenv("V")`, `os.environ.get("V")`) of `module`."""
        if isinstance(expr, s.Subscript):
            reader, variable = expr.value, expr.key
        elif isinstance(expr, s.Call) and expr.args:
            reader, variable = expr.func, expr.args[0]
        else:
            return None
        readers = self.resolver.values(module, reader)
        is_env = any(
            isinstance(found, External) and found.name in {*ENV_GETTERS, "os.environ"}
            for found in readers
        )
        return variable if is_env else None

    def _describe_derived(
        self, value: DerivedClientValue, setup: ModuleSetup
    ) -> RemoteClient | None:
        """`base.with_options(base_url=...)`: a client of `base`'s class whose base URL is
        the call's (its other keywords are `base`'s, so it has no W&B signal of its own);
        given `provider=`, `data_residency=` or a `**` spread that cannot be read
        (`copy_keywords`), where it goes is not known."""
        if self.client(value.base) is None:
            return None
        keywords = dict(copy_keywords(value.call) or ())
        expr = keywords.get("base_url")
        retargets = set(keywords) & RETARGETING_KEYWORDS
        if expr is None or retargets != {"base_url"} or not keywords:
            base_url = BaseUrl(UrlKind.UNKNOWN)
        else:
            base_url = self._url_of(value.module, expr, setup)
        is_wandb = wandb_target(base_url.kind, False, setup.assume_wandb)
        return RemoteClient(value.class_name, is_wandb, base_url)

    def _base_url(self, value: ClientValue, setup: ModuleSetup) -> BaseUrl:
        expr = value.set_url
        given, complete = self.resolver.given_keywords(value.module, value.call)
        if expr is None:
            expr = given.get("base_url") or self._env_base_url(value.module, value.call)
        if expr is None:
            summary = self.summary_of(value.module)
            certain = complete and not (summary and summary.names_base_url_variable)
            return BaseUrl(UrlKind.MISSING if certain else UrlKind.UNKNOWN)
        return self._url_of(value.module, expr, setup)

    def _env_base_url(self, module: str, call: s.Call) -> s.Expr | None:
        """The value of `OPENAI_BASE_URL` a client built at `call` with no `base_url=` reads,
        when its module sets it before (`analysis/env_setting.py`)."""
        summary = self.summary_of(module)
        setting = None if summary is None else summary.env_base_url
        if setting is None or not call.complete:
            return None
        if not runs_after(call.node, setting.after, setting.later):
            return None
        environ = self.resolver.values(module, setting.environ)
        return setting.value if environ == {External(ENVIRON)} else None

    def _url_of(self, module: str, expr: s.Expr, setup: ModuleSetup) -> BaseUrl:
        """What a `base_url=` expression of `module` is, as the project resolves it."""
        found = self.resolver.values(module, expr)
        if may_be_any(found):
            return BaseUrl(UrlKind.UNKNOWN)  # a parameter: any caller out of sight may set it
        texts = _strings(found)
        kinds = {classify_url(text, setup.api, setup.extra_base_urls) for text in texts}
        if len(kinds) != 1:
            return BaseUrl(UrlKind.UNKNOWN)
        kind, provider = kinds.pop()
        return BaseUrl(kind, sorted(texts)[0], provider)

    def _signals(self, value: ClientValue, setup: ModuleSetup) -> tuple[str, ...]:
        """The W&B signals of a client as the project resolves them, in the words of the
        file's own analysis (`analysis.clients.wandb_signals`): a key read from the W&B
        key's variable, or a W&B `team/project` as `project=`, written in another module."""
        found: list[str] = []
        given, _ = self.resolver.given_keywords(value.module, value.call)
        key = given.get("api_key")
        if key is not None and self.reads_wandb_key(value.module, key, setup):
            found.append(f"its api_key is read from {setup.api.porting.wandb_key_variable}")
        project = given.get("project")
        if project is not None:
            texts = _strings(self.resolver.values(value.module, project))
            found += [
                f"project={text!r} is a W&B team/project" for text in sorted(texts) if "/" in text
            ]
        return tuple(found)

    def reads_wandb_key(self, module: str, expr: s.Expr, setup: ModuleSetup) -> bool:
        """`os.environ["WANDB_API_KEY"]`, `os.getenv("WANDB_API_KEY")` and the like (the
        variable porting.toml names, as the spec of the client's module has it), read
        where it is written or bound to a name (a constant of another module), also through
        a strip or a function that returns it (`Resolver.read_source`)."""
        module, expr = self.resolver.read_source(module, expr)
        variable = self.env_read(module, expr)
        if variable is None:
            return False
        names = _strings(self.resolver.values(module, variable))
        return setup.api.porting.wandb_key_variable in names


AnyClient = Union[ClientValue, DerivedClientValue]
UseKey = tuple[str, int, str, str, str]
"""(parameter, literal's node, prefix, library, spelling convention): what a `ValueUse` is."""
CLIENT_VALUES = (ClientValue, DerivedClientValue)
FOLLOWED = (FunctionValue, ClassValue)
"""Callees whose parameters the resolution follows to the requests made on them."""


def _strings(values: Values) -> set[str]:
    return {v.value for v in values if isinstance(v, LitValue) and isinstance(v.value, str)}


def _written_messages(value: object) -> tuple[str, int, str] | None:
    """(module, node, kind) of a literal a `messages` keyword may be."""
    if isinstance(value, ItemsValue) and value.expr.node >= 0:
        return value.module, value.expr.node, "items"
    if isinstance(value, DictValue) and value.intact and value.expr.node >= 0:
        return value.module, value.expr.node, "dict"
    if isinstance(value, LitValue) and isinstance(value.value, str) and value.origin.node >= 0:
        return value.origin.module, value.origin.node, "str"
    return None
