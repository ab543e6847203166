"""Reading a parsed module into its :class:`~lint_wb.project.summary.ModuleSummary`: one walk.

Names bound more than once are combined by where they are bound: bindings on different
branches (`if`/`else`, `try`/`except`, the body of a function or loop) are each a
possibility; two bindings on one branch are a sequence whose live value is not known here,
so the name is opaque unless both bind the same expression. A `None` beside other values is
left out: it is the "not built yet" of a lazy client (`_client = None` ... `global _client`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from lint_wb._cst import cst
from lint_wb.analysis.chains import WRAPPERS, Chain, split_chains
from lint_wb.analysis.comprehensions import bound_reads
from lint_wb.analysis.dict_views import HandsOnViews, RootKey, ViewRecorder
from lint_wb.analysis.dicts import stored_key
from lint_wb.analysis.env_setting import base_url_setting, later_bodies, names_variable
from lint_wb.analysis.iterated_args import IteratedArgs
from lint_wb.analysis.ordinals import number_nodes
from lint_wb.analysis.scopes import MUTATING_METHODS, dotted_name
from lint_wb.analysis.sdk_names import (
    BASE_URL_ATTRIBUTE,
    BASE_URL_VARIABLE,
    CHAT_METHODS,
    CHAT_PATHS,
    CLIENT_CLASSES,
    DERIVING_METHODS,
    PARTIAL_LEAF,
    RETARGETING_KEYWORDS,
)
from lint_wb.analysis.url_setter import body_of, certain_build, imported_names
from lint_wb.analysis.values import number_value, string_value
from lint_wb.analysis.view_paths import Path
from lint_wb.analysis.walk import Walker, child_nodes
from lint_wb.project.summary import (
    OPAQUE,
    Attr,
    Call,
    Choice,
    ClassRef,
    ClassSummary,
    DictExpr,
    EnvBaseUrl,
    Expr,
    FunctionRef,
    FunctionSummary,
    Guard,
    Imported,
    Item,
    Items,
    Joined,
    LibraryCallSite,
    Lit,
    Lookup,
    ModuleObj,
    ModuleSummary,
    Param,
    PartialRequest,
    RequestSite,
    ScopeSummary,
    SelfOf,
    StarImport,
    Subscript,
    UrlSetting,
    Var,
    is_plain_read,
)
from lint_wb.spec import bundled_libraries

CHAT_RESOURCES = frozenset(path[0] for path in CHAT_PATHS)
ALL = "__all__"
EXTENDING = frozenset({"extend", "append"})
REBOUND = "+="
ARMS = frozenset(
    {"If", "Else", "Try", "TryStar", "ExceptHandler", "ExceptStarHandler", "Finally", "With"}
    | {"For", "While", "IndentedBlock"}
)
"""The statements and blocks whose arms `_definitions_in` looks into (libcst's class names)."""
FACTORY = "default_factory"
DEFAULT = "default"
"""The kind `_all_write` gives `__all__ = __all__ + [...]`: an addition naming `__all__` twice."""
CLIENT_LEAVES = frozenset(CLIENT_CLASSES.values())
HOLDS_WHEN_TRUE = frozenset({"Equal", "Is", "In"})
HOLDS_WHEN_FALSE = frozenset({"NotEqual", "IsNot", "NotIn"})
"""Comparison operators (libcst's class names) whose test, when true (when false), says the
name it compares equals one of the options."""

Branch = tuple[tuple[int, int], ...]
"""Where a binding stands: the (statement, arm) pairs of the branches around it."""


@dataclass(frozen=True)
class _SeenReceiver:
    """A request's receiver read by a name that its scope had bound before the request on
    a branch around it (`if provider == "wandb": client = OpenAI(...)` then
    `client.chat...` in that arm): that binding is the one the request sees, unless a
    binding made later may reach it again (`_Summarizer._receiver_seen`)."""

    request: int
    """The request's index in `_Summarizer.requests`."""
    scope: _Scope
    name: str
    binding: int
    """The index of that binding among the scope's bindings of the name."""
    loops: tuple[Branch, ...]
    """The branches of the loops around the request and not around the binding: a binding
    made in one of them may reach the request on the loop's next turn."""


class _Scope:
    def __init__(self, key: str, parent: str | None, kind: str, cls: str | None) -> None:
        self.key = key
        self.parent = parent
        self.kind = kind  # "module", "function", "class"
        self.cls = cls
        """For a method (and what it nests): the class `self` is an instance of."""
        self.bindings: dict[str, list[tuple[Branch, Expr]]] = {}
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.returns: list[Expr] = []
        self.guarded_returns: list[tuple[tuple[Guard, ...], Expr]] = []
        """Each possible returned value with the guards it stands behind: a return's
        expression, or each arm of a returned `a if provider == "wandb" else b` (its test
        guards the arms as an `if` guards its body and its `else`)."""
        self.return_branches: list[Branch] = []
        """Where each return stands, as a binding's branch: returns on different branches
        (`if flag: return "a"` then `return "b"`) are each a possibility."""


class _Alias:
    """A name or a class's attribute (`self.<attr>`) a call reads a chat resource or method
    through: where it is bound."""

    def __init__(
        self, bindings: dict[str, list[tuple[Branch, Expr]]], name: str, globals_: set[str]
    ) -> None:
        self.bindings = bindings
        self.name = name
        self.globals = globals_
        """The names the binding scope declares global (bound in the module's instead)."""

    def once(self) -> bool:
        """Whether it is bound once (so far, while the walk goes on)."""
        return len(self.bindings.get(self.name, ())) == 1 and self.name not in self.globals


class _AliasedRequest:
    """A request through an alias (`_Summarizer._aliased_request`): the call's site, with
    the attributes read on the alias (`path`); spelled out when the alias is bound once in
    the whole module, else the call as written (`written`) is kept, if a request."""

    def __init__(
        self,
        site: RequestSite,
        path: list[str],
        alias: _Alias,
        written: RequestSite | None,
        endpoints: Collection[str],
    ) -> None:
        self.site = site
        self.path = path
        self.alias = alias
        self.written = written
        self.endpoints = endpoints
        """The first attributes of the endpoints besides chat (`completions`, ...)."""

    def spelled(self) -> RequestSite | None:
        """The chat request on what the alias's one binding reads, if it spells one, or the
        call of an endpoint (`comp = llm.client.completions`, then `comp.create(...)`); a
        call through an imported name, for the index to spell out (`RequestSite.through`)."""
        found = _spelled(self.alias, self.path)
        if found is not None:
            receiver, method = found
            return replace(self.site, receivers=(receiver,), method=method)
        bound = _imported_alias(self.alias, self.path)
        if bound is not None:
            return replace(self.site, receivers=(bound,), path=tuple(self.path), through=True)
        endpoint = _spelled_endpoint(self.alias, self.path, self.endpoints)
        if endpoint is None:
            return None
        receiver, path = endpoint
        site = replace(self.site, receivers=(receiver,), keywords=(), spreads=())
        return replace(site, is_chat=False, path=path)


def _imported_alias(alias: _Alias, path: list[str]) -> Imported | None:
    """What `alias` is bound to once, when that is an imported name a call through it may
    read a chat method on (`completions.create(...)`, `create(...)` on `from llm import
    create`: `RequestSite.through`)."""
    if not alias.once():
        return None
    bound = alias.bindings[alias.name][0][1]
    if type(bound) is not Imported:
        return None
    if not path and bound.name not in CHAT_METHODS:
        return None  # `helper(...)`: most calls of an imported name call a function
    return bound


def _spelled(alias: _Alias, written: list[str]) -> tuple[Expr, str] | None:
    """The receiver and chat method a call reads through `alias` (`written`: the attributes
    read on it), when the alias's one binding and they spell a chat method."""
    found = _spelled_path(alias, written)
    if found is None:
        return None
    receiver, path = found
    start = next((at for at in range(len(path) - 1) if _spells_chat(path[at:])), None)
    if start is None:
        return None
    return _on(receiver, path[:start]), path[-1]


def _spelled_endpoint(
    alias: _Alias, written: list[str], endpoints: Collection[str]
) -> tuple[Expr, tuple[str, ...]] | None:
    """The receiver and the path from it of an endpoint's method (`completions.create`) a
    call reads through `alias`, when its one binding and the attributes read on it spell
    one."""
    found = _spelled_path(alias, written)
    if found is None:
        return None
    receiver, path = found
    start = next((at for at in range(len(path) - 1) if path[at] in endpoints), None)
    if start is None:
        return None
    return _on(receiver, path[:start]), tuple(path[start:])


def _spelled_path(alias: _Alias, written: list[str]) -> tuple[Expr, list[str]] | None:
    """What the alias's one binding reads attributes on, and those attributes followed by
    `written` (the attributes a call reads on the alias)."""
    if not alias.once():
        return None
    receiver = alias.bindings[alias.name][0][1]
    path = list(written)
    while isinstance(receiver, Attr):
        if receiver.name not in WRAPPERS:
            path.insert(0, receiver.name)
        receiver = receiver.value
    return receiver, path


def _on(receiver: Expr, names: list[str]) -> Expr:
    """`receiver.a.b` for `names` `[a, b]` (`llm.client.chat...`: on `llm.client`)."""
    for name in names:
        receiver = Attr(receiver, name)
    return receiver


class _Fields:
    """The fields a class body declares, as a dataclass's constructor reads them."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.positional: list[str] = []
        self.defaults: dict[str, Expr] = {}
        self.keyword_only = False
        """After `_: KW_ONLY`: the fields that follow take keywords only."""

    def declare(
        self,
        name: str,
        annotation: cst.BaseExpression,
        written: cst.BaseExpression | None,
        value: Expr | None,
    ) -> None:
        kind = _annotation_name(annotation)
        if kind == "KW_ONLY":
            self.keyword_only = True
            return
        if kind == "ClassVar" or _field_option(written, "init") is False:
            return
        if name not in self.names:
            self.names.append(name)
            if not self.keyword_only and _field_option(written, "kw_only") is not True:
                self.positional.append(name)
        if value is not None:
            self.defaults[name] = value


def _annotation_name(annotation: cst.BaseExpression) -> str:
    """`ClassVar` for `ClassVar[str]` or `typing.ClassVar[str]`; the annotation's last dotted
    part."""
    if isinstance(annotation, cst.Subscript):
        annotation = annotation.value
    dotted = dotted_name(annotation)
    return "" if dotted is None else dotted.rsplit(".", 1)[-1]


def _exports(module: cst.Module, mentions: int) -> frozenset[str] | None:
    """The names `from module import *` binds, when its `__all__` is a list or tuple of string
    literals built by statements of its top level only (`__all__ = [...]`, then `__all__ +=
    [...]`, `__all__ = __all__ + [...]`, `__all__.extend([...])`, `__all__.append("name")`)
    and named nowhere else (all of its `mentions`); None otherwise."""
    names: list[str] | None = None
    seen = 0
    for statement in module.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            kind, written = _all_write(small)
            if kind is None:
                continue
            seen += 2 if kind == REBOUND else 1
            if written is None or (kind != "=" and names is None):
                return None
            names = written if kind == "=" else [*(names or ()), *written]
    return frozenset(names) if names is not None and seen == mentions else None


def _all_write(small: cst.BaseSmallStatement) -> tuple[str | None, list[str] | None]:
    """("=", names) for `__all__ = [...]`, ("+", names) for the ways of adding to it
    (`REBOUND` for `__all__ = __all__ + [...]`), with the names written (None when they are
    not all string literals); (None, None) for a statement that is none of them."""
    if type(small) is cst.Assign and len(small.targets) == 1 and _is_all(small.targets[0].target):
        value = small.value
        if type(value) is cst.BinaryOperation and type(value.operator) is cst.Add:
            if _is_all(value.left):  # `__all__ = __all__ + [...]`, which names it twice
                return REBOUND, _strings(value.right)
            if _is_all(value.right):
                return REBOUND, _strings(value.left)
        return "=", _strings(value)
    if type(small) is cst.AugAssign and _is_all(small.target):
        added = _strings(small.value) if type(small.operator) is cst.AddAssign else None
        return "+", added
    if type(small) is not cst.Expr or type(small.value) is not cst.Call:
        return None, None
    call = small.value
    func = call.func
    if type(func) is not cst.Attribute or not _is_all(func.value):
        return None, None
    method = func.attr.value
    if method not in EXTENDING or len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return "+", None
    given = call.args[0].value
    if method == "append":
        text = _string(given)
        return "+", None if text is None else [text]
    return "+", _strings(given)


def _is_all(node: cst.BaseExpression) -> bool:
    return type(node) is cst.Name and node.value == ALL


def _strings(node: cst.BaseExpression) -> list[str] | None:
    """The strings of a list or tuple display of string literals."""
    if type(node) not in (cst.List, cst.Tuple):
        return None
    assert isinstance(node, (cst.List, cst.Tuple))
    found: list[str] = []
    for element in node.elements:
        text = _string(element.value) if type(element) is cst.Element else None
        if text is None:
            return None
        found.append(text)
    return found


def _string(node: cst.BaseExpression) -> str | None:
    if type(node) is not cst.SimpleString:
        return None
    assert isinstance(node, cst.SimpleString)
    value = string_value(node)
    return value if isinstance(value, str) else None


def _annotated_class(annotation: cst.Annotation | None) -> cst.BaseExpression | None:
    """The class a parameter's annotation names: `Settings`, `config.Settings`, and the same
    with `| None` or inside `Optional[...]`; None for any other annotation."""
    if annotation is None:
        return None
    node = annotation.annotation
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        if _names_none(node.right):
            node = node.left
        elif _names_none(node.left):
            node = node.right
    elif (
        isinstance(node, cst.Subscript)
        and _annotation_name(node) == "Optional"
        and len(node.slice) == 1
        and isinstance(node.slice[0].slice, cst.Index)
    ):
        node = node.slice[0].slice.value
    return node if isinstance(node, (cst.Name, cst.Attribute)) else None


def _names_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _field_option(written: cst.BaseExpression | None, option: str) -> object:
    """The literal `True` / `False` of `field(option=...)` / `Field(option=...)`; None when not
    written so."""
    if not isinstance(written, cst.Call):
        return None
    for arg in written.args:
        named = arg.keyword is not None and arg.keyword.value == option
        if named and isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False"):
            return arg.value.value == "True"
    return None


class _Summarizer(HandsOnViews, Walker):
    def __init__(
        self,
        module: cst.Module,
        name: str,
        package: str,
        resources: frozenset[str],
        ordinals: dict[int, int] | None,
    ) -> None:
        super().__init__()
        self.resources = CHAT_RESOURCES | resources
        self.name = name
        self.package = package
        self.ordinals = number_nodes(module) if ordinals is None else ordinals
        self.replaced: set[int] = set()
        """The module-level definitions a later one replaces before they can be called
        (`replaced_definitions`), by the node's `id`."""
        self.scopes: dict[str, _Scope] = {"": _Scope("", None, "module", None)}
        self.stack: list[_Scope] = [self.scopes[""]]
        self.branch: list[tuple[int, int]] = []
        self.guards: tuple[Guard, ...] = ()
        """The tests that hold where the walk stands, in the function it is in."""
        self.call_guards: dict[int, tuple[Guard, ...]] = {}
        self.functions: dict[str, FunctionSummary] = {}
        self.classes: dict[str, tuple[tuple[Expr, ...], dict[str, str]]] = {}
        self.class_attributes: dict[str, dict[str, list[tuple[Branch, Expr]]]] = {}
        self.class_decorators: dict[str, tuple[str, ...]] = {}
        self.class_fields: dict[str, _Fields] = {}
        self.requests: list[RequestSite] = []
        self.partials: list[PartialRequest] = []
        self.seen_receivers: list[_SeenReceiver] = []
        self.loop_arms: set[tuple[int, int]] = set()
        """The (statement, arm) of each loop's body: an arm that runs again."""
        self.client_calls: list[Call] = []
        self.client_leaves = CLIENT_LEAVES
        """The names a call of which may build a client: the classes' own, and the local
        names an import gives them (`from openai import OpenAI as Maker`)."""
        self.library_calls: list[LibraryCallSite] = []
        self.library_leaves = bundled_libraries().leaves()
        self.names_base_url_variable = False
        self.base_url_mentions = 0
        self.mutated: set[tuple[str, str]] = set()
        self._wrapped_arg: cst.Arg | None = None
        """The callable a top-level partial wraps (`partial(ask, ...)`: `ask`)."""
        self.mutated_attributes: set[str] = set()
        self.key_stores: set[tuple[str, str, str]] = set()
        self.handed: set[tuple[str, str]] = set()
        self.handed_attributes: set[str] = set()
        self.views = ViewRecorder()
        self.comprehension_reads: set[cst.Name] = set()
        """Names read in a comprehension that its own `for` binds: not followed (`expr`)."""
        self.iterated: IteratedArgs[_Scope] = IteratedArgs()
        """The arguments of `list(...)`, `sorted(...)`...: only iterated (`iterated_args`)."""
        self.field_args: dict[int, str] = {}
        """The arguments of calls of the module's classes that declare fields (a dataclass:
        `Conf(ROLES["chat"])`), by `id`, with the field each one sets: a view given there is
        an alias of that attribute (`_hand_arg`)."""
        self.augmented: set[tuple[str, str]] = set()
        """(scope, name) of each `name += ...`, `name |= ...`: a list or dict bound to the
        name is changed in place (what a view bound to it views: `HandsOnViews`)."""
        self.url_stores: set[tuple[str, str]] = set()
        self.module_stores: dict[tuple[str, str], Expr] = {}
        """What `name.attribute` holds after `name.attribute = value` at the module's top
        level, outside any branch, on a name bound to an import (`import llm; llm.client =
        OpenAI()`), by (name, attribute): a read later in the module's own top-level code
        reads that value (`_expr_Attribute`); any other read is the written binding's."""
        self.url_store_count = 0
        self.all_mentions = 0
        """How many times the module names `__all__` (`_exports`)."""
        """How many `base_url` stores the module makes, on any target."""
        self.url_settings: list[tuple[str, str, cst.BaseExpression, Expr]] = []
        """(scope, name, value node, value) of each `name.base_url = value`."""
        self.bodies: dict[str, cst.CSTNode] = {"": module}
        """The module's and each function's node, by scope."""
        self.calls: dict[str, list[Call]] = {}
        self.escapes: set[str] = set()
        self.reads: dict[str, set[str]] = {}
        """Each name read as a value by itself (`partial(make_client)`, `x = ask`), with the
        scopes it is read in: which binding it reads is the resolver's to find."""
        self.aliases: dict[str, list[str]] = {}
        self.rebinds: dict[str, list[str]] = {}
        self.aliased_requests: list[_AliasedRequest] = []
        """Requests through a name bound to a client's chat resource or method
        (`_aliased_request`), each with the scope binding the name: kept when that is the
        name's one binding there."""
        self.not_uses: set[cst.Name] = set()
        """Names read as a call's callee, a keyword or an attribute already counted: not
        uses of the name as a value."""
        self.stars: list[tuple[str, bool, dict[str, int]]] = []
        """Each `from m import *`: m, whether it stands in an arm, and how many times the
        module had bound each name before it."""
        self.formed: dict[int, Expr] = {}
        """Each expression's form by the node's `id` (the tree outlives the walk): the walk
        meets an expression again inside the statement or call it formed it for (`x = f(g(y))`
        forms `g(y)` with the assignment, and the walk visits the call `g(y)` after), and an
        expression always stands in one scope, so its form is the same each time."""

    @property
    def scope(self) -> _Scope:
        return self.stack[-1]

    def _env_base_url(self, module: cst.Module) -> EnvBaseUrl | None:
        """The module's one top-level setting of `OPENAI_BASE_URL` (`env_setting.py`)."""
        found = base_url_setting(module, self.base_url_mentions)
        if found is None or found.statement + 1 >= len(module.body):
            return None
        after = self.ordinals[id(module.body[found.statement + 1])]
        later = later_bodies(module, found.statement, self.ordinals)
        return EnvBaseUrl(after, self.expr(found.environ), self.expr(found.value), later)

    def summary(self, module: cst.Module) -> ModuleSummary:
        bindings = (s.bindings for s in self.scopes.values())
        for scope, arg in self.iterated.shadowed(bindings, star=bool(self.stars)):
            self.stack.append(scope)  # `list` is the module's own: what it does is not known
            self._pass_arg(arg)
            self.stack.pop()
        for seen in self.seen_receivers:
            self._receiver_seen(seen)
        for aliased in self.aliased_requests:
            spelled = aliased.spelled()
            if spelled is not None:
                self.requests.append(spelled)
            if aliased.written is not None and (spelled is None or spelled.through):
                self.requests.append(aliased.written)  # the index reads either, or both
        scopes = {
            key: ScopeSummary(scope.parent, _combine_all(scope.bindings))
            for key, scope in self.scopes.items()
        }
        classes = {
            key: self._class_summary(key, bases, methods)
            for key, (bases, methods) in self.classes.items()
        }
        handed = frozenset((self._owner(where, name), name) for where, name in self.handed)
        views = self._views(handed)
        return ModuleSummary(
            self.name,
            self.package,
            scopes,
            self.functions,
            classes,
            tuple(self.requests),
            tuple(self.client_calls),
            self.names_base_url_variable,
            len(self.ordinals),
            tuple(self.library_calls),
            frozenset((self._owner(where, name), name) for where, name in self.mutated),
            frozenset(self.mutated_attributes),
            {leaf: tuple(calls) for leaf, calls in self.calls.items()},
            frozenset(self.escapes),
            reads={name: tuple(sorted(scopes)) for name, scopes in self.reads.items()},
            aliases={name: tuple(dict.fromkeys(locals_)) for name, locals_ in self.aliases.items()},
            rebinds={name: tuple(dict.fromkeys(locals_)) for name, locals_ in self.rebinds.items()},
            guards=self.call_guards,
            star_imports=self._star_imports() if self.stars else (),
            env_base_url=self._env_base_url(module) if self.base_url_mentions else None,
            key_stores=frozenset(
                (self._owner(where, name), name, key) for where, name, key in self.key_stores
            ),
            url_stores=frozenset(self.url_stores),
            handed=handed,
            handed_attributes=frozenset(self.handed_attributes),
            views=frozenset(
                (scope, name, path)
                for (kind, scope, name), paths in views.items()
                if kind == "name"
                for path in paths
            ),
            viewed_attributes=frozenset(
                (name, path)
                for (kind, _, name), paths in views.items()
                if kind == "attribute"
                for path in paths
            ),
            url_setting=self._url_setting(module) if self.url_settings else None,
            named_url_settings=tuple(
                (scope, name, value) for scope, name, _, value in self.url_settings
            ),
            exports=_exports(module, self.all_mentions) if self.all_mentions else None,
            partials=tuple(self.partials),
        )

    def _views(self, handed: frozenset[tuple[str, str]]) -> dict[RootKey, frozenset[Path]]:
        """Where each name's or attribute's value may be changed through a view of it
        (`dict_views.py`): the views handed on, and those of its aliases changed, stored to,
        handed on or augmented."""
        if not self.views.handed and not self.views.aliases:
            return {}
        changed = {(self._owner(where, name), name) for where, name in self.mutated}
        changed.update((self._owner(where, name), name) for where, name, _ in self.key_stores)
        changed.update((self._owner(where, name), name) for where, name in self.augmented)
        changed |= handed
        attributes = self.mutated_attributes | self.handed_attributes
        return self.views.resolve(
            self._owned,
            lambda key: (
                (key[1], key[2]) in changed
                if key[0] == "name"
                else key[0] == "attribute" and key[2] in attributes
            ),
        )

    def _owned(self, key: RootKey) -> RootKey:
        kind, where, name = key
        return key if kind == "attribute" else (kind, self._owner(where, name), name)

    def _view_scope(self) -> str:
        return self.scope.key

    def _in_class_body(self) -> bool:
        return self.scope.kind == "class"

    def _owner(self, where: str, name: str) -> str:
        """The scope whose binding of `name` a change written in `where` changes: the first
        of `where` and the scopes around it that binds `name` (the module's, for a `global`),
        as Python reads the name there; `where` itself when none does (another function's
        own `name` is another binding: its change is not the module's)."""
        key: str | None = where
        while key is not None:
            scope = self.scopes[key]
            if name in scope.globals:
                return ""
            if name in scope.bindings:
                return key
            key = scope.parent
        return where

    def _url_setting(self, module: cst.Module) -> UrlSetting | None:
        """The module's one `base_url` store, when it is made on a client built just before
        (`url_setter.certain_build`): its requests go there in every module."""
        if self.url_store_count != 1 or len(self.url_settings) != 1:
            return None
        scope, name, node, value = self.url_settings[0]
        owner = self.bodies.get(scope)  # none for a class body: never certain
        body = body_of(owner) if owner is not None else ()
        built = certain_build(body, name, node, imported_names(module)) if body else None
        if built is None:
            return None
        return UrlSetting(scope, name, self.ordinals[id(built)], value)

    def _class_summary(
        self, key: str, bases: tuple[Expr, ...], methods: dict[str, str]
    ) -> ClassSummary:
        fields = self.class_fields.get(key)
        attributes = _combine_all(self.class_attributes[key])
        if fields is None:
            return ClassSummary(key, bases, attributes, methods, self.class_decorators[key])
        return ClassSummary(
            key,
            bases,
            attributes,
            methods,
            self.class_decorators[key],
            tuple(fields.names),
            tuple(fields.positional),
            fields.defaults,
        )

    # ---------------------------------------------------------------- branches
    def _arm(
        self,
        node: cst.CSTNode,
        arm: int,
        body: cst.CSTNode | None,
        guards: tuple[Guard, ...] = (),
    ) -> None:
        if body is None:
            return
        self.branch.append((self.ordinals[id(node)], arm))
        outer = self.guards
        if guards:
            self.guards = (*outer, *guards)
        self.walk(body)
        self.guards = outer
        self.branch.pop()

    def visit_If(self, node: cst.If) -> bool:
        self.walk(node.test)
        held, failed = self._tests(node.test) if self.scope.kind == "function" else ((), ())
        self._arm(node, 0, node.body, held)
        self._arm(node, 1, node.orelse, failed)
        if node.orelse is None and failed and _leaves(node.body):
            # the rest of the block runs only where the test failed (until the enclosing
            # arm, loop body or function ends: `_arm` and `visit_FunctionDef` restore)
            self.guards = (*self.guards, *failed)
        return False

    def _tests(self, test: cst.BaseExpression) -> tuple[tuple[Guard, ...], tuple[Guard, ...]]:
        """The guards `if test:` gives its body and its `else` arm: a name compared with `==`,
        `is` or `in` a tuple, list or set display equals one of the options in the body
        (each operand of an `and` too) and none of them in the `else` arm; with `!=`,
        `is not` or `not in`, the other way round. Other tests give none (the arm is not
        narrowed)."""
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return (*self._tests(test.left)[0], *self._tests(test.right)[0]), ()
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return (), ()
        target = test.comparisons[0]
        operator = type(target.operator).__name__
        guard = self._guard(test.left, operator, target.comparator)
        if guard is None:
            return (), ()
        other = replace(guard, excluded=True)
        return ((guard,), (other,)) if operator in HOLDS_WHEN_TRUE else ((other,), (guard,))

    def _guard(
        self, left: cst.BaseExpression, operator: str, right: cst.BaseExpression
    ) -> Guard | None:
        if operator in ("In", "NotIn"):
            if not isinstance(right, (cst.Tuple, cst.List, cst.Set)):
                return None  # `in` a string is a substring test
            if any(isinstance(element, cst.StarredElement) for element in right.elements):
                return None
            options = tuple(self.expr(element.value) for element in right.elements)
        elif operator in HOLDS_WHEN_TRUE or operator in HOLDS_WHEN_FALSE:
            if not _is_variable(left) and _is_variable(right):
                left, right = right, left
            options = (self.expr(right),)
        else:
            return None
        if not _is_variable(left):
            return None
        assert isinstance(left, cst.Name)
        return Guard(Var(self.scope.key, left.value), options)

    def visit_Match(self, node: cst.Match) -> bool:
        """`match provider:` / `case Provider.WANDB:` (or `case "wandb" | "wb":`): the case
        runs only where the name equals one of the values, as under `if provider == ...`."""
        self.walk(node.subject)
        self._hand_on(node.subject)  # `case dict() as d:` binds the subject to `d`
        subject = node.subject
        named = self.scope.kind == "function" and _is_variable(subject)
        outer = self.guards
        for case in node.cases:
            options = self._pattern_options(case.pattern) if named else None
            if options is not None:
                assert isinstance(subject, cst.Name)
                self.guards = (*outer, Guard(Var(self.scope.key, subject.value), options))
            self.walk(case)
            self.guards = outer
        return False

    def _pattern_options(self, pattern: cst.MatchPattern) -> tuple[Expr, ...] | None:
        """The values a pattern matches by equality; None for any other pattern."""
        if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
            return self._pattern_options(pattern.pattern)
        if isinstance(pattern, cst.MatchValue):
            return (self.expr(pattern.value),)
        if isinstance(pattern, cst.MatchOr):
            options: list[Expr] = []
            for element in pattern.patterns:
                found = self._pattern_options(element.pattern)
                if found is None:
                    return None
                options.extend(found)
            return tuple(options)
        return None

    def visit_Try(self, node: cst.Try) -> bool:
        self._arm(node, 0, node.body)
        for index, handler in enumerate(node.handlers, start=1):
            self._arm(node, index, handler)
        self._arm(node, 0, node.orelse)
        if node.finalbody is not None:
            self.walk(node.finalbody)
        return False

    def visit_For(self, node: cst.For) -> bool:
        self._iterate(node.iter, node.target)  # `for d in (MODELS,)`: each item is bound to `d`
        self.walk(node.iter)
        self._bind_target(node.target, OPAQUE)
        self.loop_arms.add((self.ordinals[id(node)], 0))
        self._arm(node, 0, node.body)
        self._arm(node, 1, node.orelse)
        return False

    def visit_While(self, node: cst.While) -> bool:
        self.walk(node.test)
        self.loop_arms.add((self.ordinals[id(node)], 0))
        self._arm(node, 0, node.body)
        self._arm(node, 1, node.orelse)
        return False

    # ---------------------------------------------------------------- scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        outer = self.scope
        qualname = _qualify(outer.key, node.name.value)
        decorators = tuple(_decorator_name(d.decorator) for d in node.decorators)
        for decorator in node.decorators:
            self.walk(decorator)
        in_class = outer.kind == "class"
        if in_class:
            self.classes[outer.key][1][node.name.value] = qualname
        elif id(node) in self.replaced:  # `def ask` again below, before a call can run it
            qualname = f"{qualname}@{self.ordinals[id(node)]}"  # called by no name
        else:
            self._bind(node.name.value, FunctionRef(qualname))
        parent = outer.parent if in_class else outer.key
        cls = outer.key if in_class else outer.cls
        inner = _Scope(qualname, parent, "function", cls)
        self.scopes[qualname] = inner
        self.bodies[qualname] = node
        saved_branch, self.branch = self.branch, []
        saved_guards, self.guards = self.guards, ()
        self._bind_parameters(node, inner, in_class, decorators)
        self.stack.append(inner)
        self.walk(node.body)
        self.stack.pop()
        self.branch = saved_branch
        self.guards = saved_guards
        returned = list(zip(inner.return_branches, inner.returns))
        returns = _combine(returned) if returned else OPAQUE
        guarded = tuple(inner.guarded_returns)
        guarded = guarded if any(guards for guards, _ in guarded) else ()
        self.functions[qualname] = FunctionSummary(qualname, returns, decorators, guarded)
        return False

    def _bind_parameters(
        self, node: cst.FunctionDef, inner: _Scope, in_class: bool, decorators: tuple[str, ...]
    ) -> None:
        params = node.params
        positional = [*params.posonly_params, *params.params]
        for index, param in enumerate([*positional, *params.kwonly_params]):
            self.walk(param)  # the defaults are read in the enclosing scope
            default_view = None if param.default is None else self._bound_view(param.default)
            if default_view is not None:  # `def ask(cfg=ROLES["chat"])`: `cfg` is its alias
                self._alias(("name", inner.key, param.name.value), default_view)
            elif param.default is not None:
                self._hand_on(param.default)  # `def f(d=MODELS)`
            value: Expr = OPAQUE
            if in_class and index == 0 and "staticmethod" not in decorators:
                owner = self.scope.key
                value = ClassRef(owner) if "classmethod" in decorators else SelfOf(owner)
            else:
                place = index if index < len(positional) else -1
                default = None if param.default is None else self.expr(param.default)
                annotation = _annotated_class(param.annotation)
                named = None if annotation is None else self.expr(annotation)
                value = Param(inner.key, param.name.value, place, default, named)
            inner.bindings.setdefault(param.name.value, []).append(((), value))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                inner.bindings.setdefault(star.name.value, []).append(((), OPAQUE))

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        # Its names are its own and a request inside a lambda is rare; but a function it
        # names may be called there, out of sight (`Depends(lambda: get_client(URL))`).
        self._hand_on(node.body)
        for param in (*node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                self._hand_on(param.default)
        stack: list[cst.CSTNode] = [node.body]
        while stack:
            inner = stack.pop()
            if isinstance(inner, cst.Name):
                self.escapes.add(inner.value)
                self.all_mentions += inner.value == ALL
            stack.extend(child_nodes(inner))
        return False

    # ---------------------------------------------------------------- uses of names
    def visit_Name(self, node: cst.Name) -> None:
        if node not in self.not_uses:
            self.reads.setdefault(node.value, set()).add(self.scope.key)
        if node.value == ALL:
            self.all_mentions += 1

    def visit_Param(self, node: cst.Param) -> None:
        self.not_uses.add(node.name)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # `Client is None`, `Client is not None` (an optional import checked): an identity
        # test calls nothing and passes nothing on.
        if all(isinstance(c.operator, (cst.Is, cst.IsNot)) for c in node.comparisons):
            for operand in (node.left, *(c.comparator for c in node.comparisons)):
                if isinstance(operand, cst.Name):
                    self.not_uses.add(operand)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        outer = self.scope
        qualname = _qualify(outer.key, node.name.value)
        for decorator in node.decorators:
            self.walk(decorator)
        bases = tuple(self.expr(arg.value) for arg in node.bases if arg.keyword is None)
        for arg in node.bases:
            self.walk(arg)
        self._bind(node.name.value, ClassRef(qualname))
        self.classes[qualname] = (bases, {})
        self.class_decorators[qualname] = tuple(
            _decorator_name(d.decorator) for d in node.decorators
        )
        self.class_attributes.setdefault(qualname, {})
        parent = outer.key if outer.kind != "class" else outer.parent
        inner = _Scope(qualname, parent, "class", outer.cls)
        self.scopes[qualname] = inner
        saved_branch, self.branch = self.branch, []
        saved_guards, self.guards = self.guards, ()
        self.stack.append(inner)
        self.walk(node.body)
        self.stack.pop()
        self.branch = saved_branch
        self.guards = saved_guards
        for name, bindings in inner.bindings.items():
            self.class_attributes[qualname].setdefault(name, []).extend(bindings)
        return False

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocals.update(item.name.value for item in node.names)

    def _hand_one(self, handed: cst.Name | cst.Attribute) -> None:
        if type(handed) is cst.Attribute:
            self.handed_attributes.add(handed.attr.value)
        elif type(handed) is cst.Name:
            self.handed.add((self.scope.key, handed.value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and not self._returns_view(node.value):
            self._hand_on(node.value)
        value = node.value
        if value is None or (isinstance(value, cst.Name) and value.value == "None"):
            return
        self.scope.returns.append(self.expr(value))
        self.scope.return_branches.append(tuple(self.branch))
        self._guarded_return(value, self.guards)

    def _returns_view(self, value: cst.BaseExpression) -> bool:
        """`def get(role): return ROLES[role]`: what `get` returns is an alias of the view
        (`("call", scope, "get")`), changed where a call's result is (`get("chat")["model"]
        = m`); False when `value` is no view, or this is no function's return."""
        scope = self.scope
        view = self._bound_view(value) if scope.kind == "function" else None
        if view is None:
            return False
        parent = scope.parent if scope.parent is not None else ""
        self._alias(("call", parent, scope.key.rsplit(".", 1)[-1]), view)
        return True

    def _guarded_return(self, value: cst.BaseExpression, guards: tuple[Guard, ...]) -> None:
        """Record what a return may give, behind `guards`: a conditional expression whose
        test guards a parameter gives each arm behind the test's guards (`return A if
        provider == "wandb" else B`: a call given "wandb" gets A), as `if`/`return` does."""
        if isinstance(value, cst.IfExp) and self.scope.kind == "function":
            held, failed = self._tests(value.test)
            if held or failed:
                self._guarded_return(value.body, (*guards, *held))
                self._guarded_return(value.orelse, (*guards, *failed))
                return
        self.scope.guarded_returns.append((guards, self.expr(value)))

    # ---------------------------------------------------------------- bindings
    def visit_Assign(self, node: cst.Assign) -> None:
        self.note_alias(node)
        self._note_rebind(node)
        if not self._bind_view([target.target for target in node.targets], node.value):
            self._hand_on(node.value)
        value = self.expr(node.value)
        if (
            isinstance(value, Call)
            and isinstance(value.func, (Var, Attr))
            and value.func.name == PARTIAL_LEAF  # `partial(...)`, `functools.partial(...)`
            and self.scope.kind != "class"
            and len(node.targets) == 1
        ):
            self._note_partial(node.targets[0].target, node.value, value)
        for target in node.targets:
            self._bind_target(target.target, value)
            if type(target.target) is cst.Attribute:  # not `+=`: that changes it in place
                self._note_module_store(target.target, value)
        stored = node.targets[0].target
        if (
            len(node.targets) == 1
            and isinstance(stored, cst.Attribute)
            and stored.attr.value == BASE_URL_ATTRIBUTE
            and isinstance(stored.value, cst.Name)
        ):
            where = (self.scope.key, stored.value.value, node.value, value)
            self.url_settings.append(where)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        value = None if node.value is None else self.expr(node.value)
        if node.value is not None and not self._bind_view([node.target], node.value):
            self._hand_on(node.value)
        if self.scope.kind == "class" and isinstance(node.target, cst.Name):
            fields = self.class_fields.setdefault(self.scope.key, _Fields())
            fields.declare(node.target.value, node.annotation.annotation, node.value, value)
        if value is not None:
            self._bind_target(node.target, value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.augmented.add((self.scope.key, node.target.value))
        self._bind_target(node.target, OPAQUE)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if not self._bind_view([node.target], node.value):
            self._hand_on(node.value)
        self._bind_target(node.target, self.expr(node.value))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            # `with OpenAI(...) as client`: a client's context manager returns the client.
            self._bind_target(node.asname.name, self.expr(node.item))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, OPAQUE)

    def _note_rebind(self, node: cst.Assign) -> None:
        """`q = ask`, `ask = helpers.ask`: the name read is bound to another name, whose
        calls the resolver may follow to a function (`rebinds`), not passed on. Not in a
        class body: there `q = ask` makes a method, and a call through an instance passes
        the instance first, so the call's arguments are not the function's (the read stays
        a use that passes the function on)."""
        if self._in_class_body():
            return
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        value = node.value
        read = value.attr if isinstance(value, cst.Attribute) else value
        if not isinstance(read, cst.Name):
            return
        self.not_uses.add(read)
        self.rebinds.setdefault(read.value, []).append(node.targets[0].target.value)

    def _bind_target(self, target: cst.BaseExpression, value: Expr) -> None:
        if isinstance(target, cst.Name):
            # A name bound is not read (`Client = None`, the fallback of an optional import,
            # passes the class nowhere): `reads` holds it only where it is used as a value.
            self.not_uses.add(target)
            self._bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            for index, element in enumerate(target.elements):
                item: Expr = OPAQUE if starred else Item(value, index)
                self._bind_target(element.value, item)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, OPAQUE)
        elif isinstance(target, cst.Attribute):
            self._bind_self_attribute(target, value)
            if target.attr.value == BASE_URL_ATTRIBUTE:
                self.url_store_count += 1
            if target.attr.value == BASE_URL_ATTRIBUTE and isinstance(target.value, cst.Name):
                self.url_stores.add((self.scope.key, target.value.value))
        elif isinstance(target, cst.Subscript):
            stored = stored_key(target)
            if stored is None:
                self._mark_mutated(target)  # `x[k] = v`, `x[k] += v`
            else:
                self.key_stores.add((self.scope.key, *stored))  # `x["k"] = v`: that key only

    def _bind(self, name: str, value: Expr) -> None:
        scope = self.scope
        if name in scope.globals:
            scope = self.scopes[""]
        elif name in scope.nonlocals:
            scope = self._nonlocal_scope(scope, name)
        # Bindings inside a function are all conditional on its being called.
        branch = tuple(self.branch)
        if scope is not self.scope:
            branch = ((-1, id(self.scope)), *branch)
        scope.bindings.setdefault(name, []).append((branch, value))

    def _nonlocal_scope(self, scope: _Scope, name: str) -> _Scope:
        """The scope a `nonlocal name` in `scope` binds in: the nearest enclosing function's
        that binds it (its parent when none does yet; `scope` itself at the top, a syntax
        error), as `analysis.scopes.Scope.nonlocal_scope` reads it."""
        key = scope.parent
        while key:  # not the module's ("")
            found = self.scopes[key]
            if name in found.bindings:
                return found
            key = found.parent
        parent = scope.parent
        return self.scopes[parent] if parent else scope

    def _bind_self_attribute(self, target: cst.Attribute, value: Expr) -> None:
        cls = self.scope.cls
        if cls is None or self.scope.kind != "function" or cls not in self.class_attributes:
            return
        if not self._names_own_class(target.value, cls):
            return
        branch = ((-1, id(self.scope)), *self.branch)
        attributes = self.class_attributes[cls]
        attributes.setdefault(target.attr.value, []).append((branch, value))

    def _note_module_store(self, target: cst.Attribute, value: Expr) -> None:
        """`llm.client = value` on a name bound to an import (`module_stores`): certain at
        the top level outside a branch; elsewhere a possibility, which a later top-level read
        may or may not see (the written binding is read then, as it is in other modules)."""
        if type(target.value) is not cst.Name:
            return
        name = target.value.value
        key = (name, target.attr.value)
        if self.scope.key or self.branch:
            self.module_stores.pop(key, None)
            return
        bound = self.scopes[""].bindings.get(name, ())
        if len(bound) == 1 and type(bound[0][1]) in (ModuleObj, Imported):
            self.module_stores[key] = value

    def _names_own_class(self, node: cst.BaseExpression, cls: str) -> bool:
        """`self.x`, `cls.x` (a method's first parameter, whatever its name) or `Owner.x`, in
        a method of `Owner`: an attribute set there is the class's (a lazily built client
        kept on the class by a classmethod is `cls._client = ...`)."""
        if not isinstance(node, cst.Name):
            return False
        if node.value in ("self", cls.rsplit(".", 1)[-1]):
            return True
        owner = (SelfOf(cls), ClassRef(cls))
        return any(value in owner for _, value in self.scope.bindings.get(node.value, ()))

    # ---------------------------------------------------------------- mutation
    def visit_Del(self, node: cst.Del) -> None:
        if isinstance(node.target, cst.Subscript):
            self._mark_mutated(node.target)  # `del x["k"]`: the key may be gone
            return
        self._bind_target(node.target, OPAQUE)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in MUTATING_METHODS:
            self._mark_mutated(node.value)  # `x.append(...)`, `x[0].update(...)`
        if node.attr not in self.not_uses:
            # `llm.ask` read as a value: any function of that name may be it
            self.escapes.add(node.attr.value)
            self.not_uses.add(node.attr)

    # a comprehension's own names (`comprehensions.py`)
    def visit_ListComp(self, node: cst.ListComp) -> None:
        super().visit_ListComp(node)
        self.comprehension_reads.update(bound_reads(node))

    def visit_SetComp(self, node: cst.SetComp) -> None:
        super().visit_SetComp(node)
        self.comprehension_reads.update(bound_reads(node))

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        super().visit_GeneratorExp(node)
        self.comprehension_reads.update(bound_reads(node))

    def visit_DictComp(self, node: cst.DictComp) -> None:
        super().visit_DictComp(node)
        self.comprehension_reads.update(bound_reads(node))

    def visit_Arg(self, node: cst.Arg) -> None:
        if self.iterated.take(node, self.scope):
            self._hand_items(node.value)  # `list(MODELS)`: its keys, a new list
            return
        self._pass_arg(node)

    def _pass_arg(self, node: cst.Arg) -> None:
        """`f(x)`: what `f` may do with `x` (hand it on, change it in place)."""
        self._hand_arg(node)
        if node.keyword is not None:
            self.not_uses.add(node.keyword)
            if node.keyword.value == BASE_URL_VARIABLE:  # `os.environ.update(...)`
                self.names_base_url_variable = True
                self.base_url_mentions += 1
        positional = node.keyword is None and not node.star
        # `add_context(messages)` may change it; `partial(ask, ...)` changes no callable
        if positional and isinstance(node.value, cst.Name) and node is not self._wrapped_arg:
            self._mark_mutated(node.value)

    def _mark_mutated(self, node: cst.BaseExpression) -> None:
        """The name at the root of `x`, `x[0]`, `x[0]["k"]` may hold a changed value, and so
        may the attributes on the way (`prompts.HISTORY.append(...)`: `HISTORY`)."""
        while isinstance(node, (cst.Subscript, cst.Attribute)):
            if isinstance(node, cst.Attribute):
                self.mutated_attributes.add(node.attr.value)
            node = node.value
        if isinstance(node, cst.Name):
            self.mutated.add((self.scope.key, node.value))
        else:
            self._hand_on(node)  # `(a or MODELS)["k"] = v`: changed out of its name's sight

    # ---------------------------------------------------------------- imports
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, ModuleObj(full))
            else:
                head = full.split(".")[0]
                self._bind(head, ModuleObj(head))
        return False  # the names there are bindings, not uses

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar):
            self._star_import(node)
            return False
        module = self._absolute_module(node)
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self.aliases.setdefault(name, []).append(local)  # called as `mk(...)`
                self._call_sites_named(local, name)
            self._bind(local, OPAQUE if module is None else Imported(module, name))
        return False  # the names there are bindings, not uses

    def _star_import(self, node: cst.ImportFrom) -> None:
        """`from m import *`: which names it binds is the resolver's to find (they are m's);
        what the module has bound so far is kept, to tell later what it binds again."""
        if self.scope.kind != "module":
            return  # a syntax error in Python 3
        bound = {name: len(found) for name, found in self.scope.bindings.items()}
        self.stars.append((self._absolute_module(node) or "", bool(self.branch), bound))

    def _star_imports(self) -> tuple[StarImport, ...]:
        """The star imports, each with the names bound again after it: a name whose module
        binds it more times by the end, or binds it in a function (`global`), which may run
        at any time."""
        bindings = self.scopes[""].bindings
        stars: list[StarImport] = []
        for module, conditional, before in self.stars:
            rebound = frozenset(
                name
                for name, found in bindings.items()
                if len(found) > before.get(name, 0)
                or any(where and where[0][0] == -1 for where, _ in found)
            )
            stars.append(StarImport(module, conditional, rebound))
        return tuple(stars)

    def _call_sites_named(self, local: str, imported: str) -> None:
        """A call of `local` may build a client or call a library when the name it stands
        for may: `Maker(...)` after `from openai import OpenAI as Maker` (what it
        builds is the resolver's to say)."""
        leaf = imported.rsplit(".", 1)[-1]
        if leaf in self.client_leaves and local not in self.client_leaves:
            self.client_leaves = self.client_leaves | {local}
        if leaf in self.library_leaves and local not in self.library_leaves:
            self.library_leaves = self.library_leaves | {local}

    def note_alias(self, node: cst.Assign) -> None:
        """`Chat = ChatOpenAI`, `ask = litellm.completion`: a call of the name bound may build
        a client or call a library, as one of the name it is bound to may (what it is is
        the resolver's to say: `Resolver._Var`). The module's own assignments are noted
        before the walk, for the functions written above them (`summarize`)."""
        value = node.value
        leaf = value.attr if isinstance(value, cst.Attribute) else value
        if not isinstance(leaf, cst.Name):
            return
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._call_sites_named(target.target.value, leaf.value)

    def _absolute_module(self, node: cst.ImportFrom) -> str | None:
        named = dotted_name(node.module) if node.module is not None else None
        if not node.relative:
            return named
        parts = self.package.split(".") if self.package else []
        up = len(node.relative) - 1
        if up > len(parts):
            return None
        base = parts[: len(parts) - up]
        return ".".join([*base, named] if named else base) or None

    # ---------------------------------------------------------------- calls
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if BASE_URL_VARIABLE in node.value:
            self.names_base_url_variable = True
            self.base_url_mentions += names_variable(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.iterated.note_call(node)
        if type(node.func) is cst.Name and self.class_fields:
            self._note_field_args(node, node.func.value)
        called = node.func.attr if isinstance(node.func, cst.Attribute) else node.func
        leaf = called.value if isinstance(called, cst.Name) else None
        call = self.expr(node)
        if leaf is not None and isinstance(call, Call):
            assert isinstance(called, cst.Name)
            self.not_uses.add(called)
            self.calls.setdefault(leaf, []).append(call)
            if self.guards:
                self.call_guards[call.node] = self.guards
        if isinstance(call, Call) and (
            leaf in self.client_leaves
            or (leaf in DERIVING_METHODS and called is not node.func and _retargets(call))
        ):
            self.client_calls.append(call)  # a `with_options(base_url=...)` builds one too
        if leaf in self.library_leaves and isinstance(call, Call):
            self.library_calls.append(LibraryCallSite(call, self._where()))
        chains = [chain for chain in split_chains(node.func) if chain.path[0] in self.resources]
        if not chains:
            self._aliased_request(node)
            return
        chain = chains[0]
        is_chat = tuple(chain.path[:-1]) in CHAT_PATHS and chain.path[-1] in CHAT_METHODS
        keywords = self._request_keywords(node) if is_chat else ()
        spreads = self._request_spreads(node) if is_chat else ()
        receiver = self.expr(chain.base)
        path = () if is_chat else chain.path
        site = RequestSite(
            self.ordinals[id(node)],
            (receiver,),
            keywords,
            self._where(),
            is_chat,
            path,
            spreads,
            chain.path[-1] if is_chat else "create",
        )
        if isinstance(chain.base, cst.Name):
            self._note_receiver(chain.base.value)
        aliased = not is_chat or self._through_attribute(chain)
        if aliased and chain.path[-1] in CHAT_METHODS:  # `chat = llm.client.chat` first
            self._aliased_request(node, written=site)
        else:
            self.requests.append(site)

    def _aliased_request(self, node: cst.Call, written: RequestSite | None = None) -> None:
        """`create(...)` after `create = client.chat.completions.create` (or `completions.
        create(...)` after `completions = client.chat.completions`, `chat.completions.
        create(...)` after `chat = llm.client.chat`, `self.completions.create(...)` after
        `self.completions = client.chat.completions` in a method): a chat request on what
        the name's or the attribute's one binding reads, as the module's analysis reads it
        (`analyzer._spelled_out`); kept once the walk knows it is bound once
        (`aliased_requests`), else `written`, the call as written, is. The client is the
        index's to find: one built in another module is known to the analysis only through
        it."""
        func: cst.BaseExpression = node.func
        if type(func) is cst.Attribute and func.attr.value not in CHAT_METHODS:
            return  # most calls: `completions.create(...)` is the one such call of a method
        path: list[str] = []
        while type(func) is cst.Attribute and self._self_attribute(func) is None:
            if func.attr.value not in WRAPPERS:
                path.insert(0, func.attr.value)
            func = func.value
        alias = self._alias_binding(func)
        if alias is None or (
            alias.name in alias.bindings
            and _spelled(alias, path) is None
            and _spelled_endpoint(alias, path, self.resources - CHAT_RESOURCES) is None
            and _imported_alias(alias, path) is None
        ):
            self._keep_written(written)  # most calls on a client's other resources
            return
        site = RequestSite(
            self.ordinals[id(node)],
            (),
            self._request_keywords(node),
            self._where(),
            True,
            (),
            self._request_spreads(node),
        )
        # bound once (so far), or `self.<attr>` bound in a method further down
        endpoints = self.resources - CHAT_RESOURCES
        self.aliased_requests.append(_AliasedRequest(site, path, alias, written, endpoints))

    def _through_attribute(self, chain: Chain) -> bool:
        """`self.chat.completions.create` in a method of a class of the module: read through
        the class's binding of `self.chat` when it has one, anywhere in the class
        (`_AliasedRequest`), not as a request on `self`."""
        cls = self.scope.cls
        return cls in self.class_attributes and self._names_own_class(chain.base, cls)

    def _keep_written(self, written: RequestSite | None) -> None:
        if written is not None:
            self.requests.append(written)

    def _self_attribute(self, node: cst.Attribute) -> str | None:
        """The class whose attribute `node` is, when it reads `self.<attr>` in a method."""
        cls = self.scope.cls
        if cls is None or cls not in self.class_attributes:
            return None
        return cls if self._names_own_class(node.value, cls) else None

    def _alias_binding(self, node: cst.BaseExpression) -> _Alias | None:
        """Where the name or `self.<attr>` `node` is bound, when that is once so far."""
        if type(node) is cst.Name:
            scope = self._binding_scope(node.value)
            if scope is None or node in self.comprehension_reads:
                return None  # (`[c.create(...) for c in ...]`: the loop's)
            alias = _Alias(scope.bindings, node.value, scope.globals)
        elif type(node) is cst.Attribute:
            cls = self._self_attribute(node)
            if cls is None:
                return None
            alias = _Alias(self.class_attributes[cls], node.attr.value, set())
            if node.attr.value not in alias.bindings:
                return alias  # bound in a method further down, perhaps (`summary`)
        else:
            return None
        return alias if alias.once() else None

    def _binding_scope(self, name: str) -> _Scope | None:
        """The scope whose binding of `name` a read here sees (a class body's own names only
        from within it), when one binds it so far."""
        for depth, scope in enumerate(reversed(self.stack)):
            if scope.kind == "class" and depth:
                continue
            if name in scope.globals:
                return self.stack[0]
            if name in scope.bindings:
                return scope
        return None

    def _note_field_args(self, node: cst.Call, name: str) -> None:
        """`Conf(ROLES["chat"], extra=x)`, `Conf` a class of the module declaring fields: each
        argument sets the field of its place or keyword (`field_args`)."""
        fields = self.class_fields.get(name)
        bound = self.scopes[""].bindings.get(name)
        if fields is None or not bound or bound[-1][1] != ClassRef(name):
            return
        place = 0
        for arg in node.args:
            if arg.star:
                return  # places after a spread are not known
            if arg.keyword is not None:
                self.field_args[id(arg)] = arg.keyword.value
            elif place < len(fields.positional):
                self.field_args[id(arg)] = fields.positional[place]
                place += 1

    def _hand_arg(self, arg: cst.Arg) -> None:
        """A view given to a field of a class of the module is an alias of that attribute
        (`C = Conf(ROLES["chat"])`: changed where `C.cfg` is); any other argument is handed
        on."""
        field_name = self.field_args.get(id(arg))
        view = None if field_name is None else self._bound_view(arg.value)
        if view is None:
            super()._hand_arg(arg)
        else:
            assert field_name is not None
            self._alias(("attribute", "", field_name), view)

    def _note_partial(
        self, target: cst.BaseExpression, node: cst.BaseExpression, call: Call
    ) -> None:
        """`name = partial(x.chat.completions.create, ...)` (`PartialRequest`)."""
        if not isinstance(target, cst.Name) or not isinstance(node, cst.Call) or not node.args:
            return
        if _last_name(node.func) != PARTIAL_LEAF:
            return
        first = node.args[0]
        if first.keyword is not None or first.star:
            return
        if isinstance(first.value, (cst.Name, cst.Attribute)) and not _is_resource_chain(
            first.value, self.resources
        ):  # `fast = partial(ask, ...)`: `ask` may be a partial too
            if self.scope.key:
                return  # in a function: only a partial of a client's method is followed
            self._wrapped_arg = first  # which `partial` does not change
            wrapped = self.expr(first.value)
            self.partials.append(PartialRequest(target.value, call, wrapped, method=""))
            return
        for chain in split_chains(first.value):
            if chain.path[0] in self.resources:
                if tuple(chain.path[:-1]) in CHAT_PATHS and chain.path[-1] in CHAT_METHODS:
                    receiver = self.expr(chain.base)
                    method = chain.path[-1]
                    partial = PartialRequest(target.value, call, receiver, method, self.scope.key)
                    self.partials.append(partial)
                return

    def _request_keywords(self, node: cst.Call) -> tuple[tuple[str, Expr], ...]:
        """A chat request's keywords, and the entries under a string key of a dict written
        in a `**` spread (`**{"model": MODELS["fast"]}`: sent as keywords too)."""
        keywords: list[tuple[str, Expr]] = []
        for arg in node.args:
            if arg.keyword is not None:
                keywords.append((arg.keyword.value, self.expr(arg.value)))
            elif arg.star == "**" and isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    key = _string(element.key) if isinstance(element, cst.DictElement) else None
                    if key is not None and element.value is not None:
                        keywords.append((key, self.expr(element.value)))
        return tuple(keywords)

    def _request_spreads(self, node: cst.Call) -> tuple[Expr, ...]:
        """What a chat request's `**` arguments unpack, but for a dict written in the call
        (`_request_keywords` reads that one)."""
        return tuple(
            self.expr(arg.value)
            for arg in node.args
            if arg.star == "**" and not isinstance(arg.value, cst.Dict)
        )

    def _note_receiver(self, name: str) -> None:
        """The request about to be recorded reads its client from `name`: when the last
        binding of it so far stands on a branch around the request (the same arm, or one
        that holds it), every way to the request passes that binding last, but for a
        binding made on a later turn of a loop the binding is not in."""
        scope = self.scope
        bindings = scope.bindings.get(name)
        if not bindings or scope.kind == "class" or name in scope.globals:
            return
        where = tuple(self.branch)
        branch = bindings[-1][0]
        if where[: len(branch)] != branch:
            return
        loops = tuple(where[: end + 1] for end in range(len(branch), len(where)))
        loops = tuple(arms for arms in loops if arms[-1] in self.loop_arms)
        seen = _SeenReceiver(len(self.requests), scope, name, len(bindings) - 1, loops)
        self.seen_receivers.append(seen)

    def _receiver_seen(self, seen: _SeenReceiver) -> None:
        """The request reads its receiver's binding of `seen`, once the walk knows no other
        binding may reach it: none on a later turn of a loop around it, none by a function
        of the module (`global`). Only a name bound more than once changes: one bound once
        reads as that binding anyway."""
        bindings = seen.scope.bindings[seen.name]
        if len(bindings) == 1:
            return
        value = bindings[seen.binding][1]
        if _is_none(value) or any(where and where[0][0] == -1 for where, _ in bindings):
            return  # `None` (a lazy client's start), or bound in a function by `global`
        later = (where for where, _ in bindings[seen.binding + 1 :])
        if any(where[: len(loop)] == loop for where in later for loop in seen.loops):
            return
        site = self.requests[seen.request]
        self.requests[seen.request] = replace(site, receivers=(value,))

    def _where(self) -> str:
        for scope in reversed(self.stack):
            if scope.kind == "function":
                return scope.key
        return "<module>"

    # ---------------------------------------------------------------- expressions
    def expr(self, node: cst.BaseExpression) -> Expr:
        """The abstract form of an expression as it reads in the current scope, made once
        per node (`formed`)."""
        key = id(node)
        result = self.formed.get(key)
        if result is not None:
            return result
        kind = type(node)
        method = _EXPRESSIONS.get(kind, _MISSING)
        if method is _MISSING:
            method = _EXPRESSIONS[kind] = getattr(_Summarizer, f"_expr_{kind.__name__}", None)
        result = OPAQUE if method is None else method(self, node)
        self.formed[key] = result
        return result

    def _literal(self, node: cst.BaseExpression, value: object) -> Expr:
        if value is None or isinstance(value, (str, int, float, bool)):
            return Lit(value, self.ordinals[id(node)])
        return OPAQUE

    def _expr_Name(self, node: cst.Name) -> Expr:
        constants = {"True": True, "False": False, "None": None}
        if node.value in constants:
            return Lit(constants[node.value], self.ordinals[id(node)])
        if node in self.comprehension_reads:
            return OPAQUE  # `[ask(q) for ask in ...]`: the loop's, not the scope's
        return Var(self.scope.key, node.value)

    def _expr_SimpleString(self, node: cst.SimpleString) -> Expr:
        return self._literal(node, string_value(node))

    def _expr_Integer(self, node: cst.Integer) -> Expr:
        return self._literal(node, number_value(node))

    def _expr_Float(self, node: cst.Float) -> Expr:
        return self._literal(node, number_value(node))

    def _expr_UnaryOperation(self, node: cst.UnaryOperation) -> Expr:
        inner = node.expression
        if isinstance(node.operator, cst.Minus) and isinstance(inner, (cst.Integer, cst.Float)):
            return self._literal(node, -number_value(inner))
        return OPAQUE

    def _expr_ConcatenatedString(self, node: cst.ConcatenatedString) -> Expr:
        return Joined((self.expr(node.left), self.expr(node.right)), self.ordinals[id(node)])

    def _expr_FormattedString(self, node: cst.FormattedString) -> Expr:
        parts: list[Expr] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(Lit(part.value.replace("{{", "{").replace("}}", "}"), -1))
            elif isinstance(part, cst.FormattedStringExpression) and part.format_spec is None:
                if part.conversion is not None:
                    return OPAQUE
                parts.append(self.expr(part.expression))
            else:
                return OPAQUE
        return Joined(tuple(parts), self.ordinals[id(node)])

    def _expr_BinaryOperation(self, node: cst.BinaryOperation) -> Expr:
        if not isinstance(node.operator, cst.Add):
            return OPAQUE
        parts = (self.expr(node.left), self.expr(node.right))
        return Joined(parts, self.ordinals[id(node)], added=True)

    def _expr_Attribute(self, node: cst.Attribute) -> Expr:
        if self.module_stores and type(node.value) is cst.Name and not self.scope.key:
            stored = self.module_stores.get((node.value.value, node.attr.value))
            if stored is not None:
                return stored  # `llm.client = OpenAI()` above: `llm.client` reads it
        return Attr(self.expr(node.value), node.attr.value)

    def _expr_Call(self, node: cst.Call) -> Expr:
        args: list[Expr] = []
        keywords: list[tuple[str, Expr]] = []
        spreads: list[Expr] = []
        complete = True
        starred = False
        for arg in node.args:
            if arg.star:
                complete = False
                if arg.star == "**":
                    spreads.append(self.expr(arg.value))
                else:
                    starred = True
            elif arg.keyword is not None:
                keywords.append((arg.keyword.value, self.expr(arg.value)))
            else:
                args.append(self.expr(arg.value))
        func = self.expr(node.func)
        ordinal = self.ordinals[id(node)]
        if not args and keywords:
            keywords = _factory_made(node, keywords, self.expr)
        return Call(func, tuple(args), tuple(keywords), ordinal, complete, tuple(spreads), starred)

    def _expr_IfExp(self, node: cst.IfExp) -> Expr:
        body, orelse = self.expr(node.body), self.expr(node.orelse)
        choice = Choice((body, orelse))
        membership = _membership(node.test)
        if membership is None:
            return choice
        key_node, mapping_node, negated = membership
        found, fallback = (orelse, body) if negated else (body, orelse)
        key, mapping = self.expr(key_node), self.expr(mapping_node)
        if found != Subscript(mapping, key) or not is_plain_read(key):
            return choice
        return Lookup(mapping, key, fallback, choice)

    def _expr_BooleanOperation(self, node: cst.BooleanOperation) -> Expr:
        if not isinstance(node.operator, cst.Or):
            return OPAQUE
        left, right = self.expr(node.left), self.expr(node.right)
        choice = Choice((left, right), first_if_true=True)
        read = _get_without_default(left)
        if read is None:
            return choice
        mapping, key = read
        return Lookup(mapping, key, right, choice, falsy_falls_back=True)

    def _expr_Subscript(self, node: cst.Subscript) -> Expr:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return OPAQUE
        return Subscript(self.expr(node.value), self.expr(node.slice[0].slice.value))

    def _expr_Dict(self, node: cst.Dict) -> Expr:
        entries: list[tuple[Expr | None, Expr]] = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                entries.append((self.expr(element.key), self.expr(element.value)))
            else:
                entries.append((None, self.expr(element.value)))
        return DictExpr(tuple(entries), self.ordinals[id(node)])

    def _expr_Tuple(self, node: cst.Tuple) -> Expr:
        return self._items(node)

    def _expr_List(self, node: cst.List) -> Expr:
        return self._items(node)

    def _items(self, node: cst.Tuple | cst.List) -> Expr:
        items: list[Expr] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                return OPAQUE
            items.append(self.expr(element.value))
        return Items(tuple(items), self.ordinals[id(node)])

    def _expr_Await(self, node: cst.Await) -> Expr:
        return self.expr(node.expression)

    def _expr_NamedExpr(self, node: cst.NamedExpr) -> Expr:
        return self.expr(node.value)


_MISSING = object()
_EXPRESSIONS: dict[type, Any] = {}
"""`_Summarizer._expr_<Type>` for each node type met (None: the expression is opaque)."""


def _factory_made(
    node: cst.Call, keywords: list[tuple[str, Expr]], expr: Callable[[cst.BaseExpression], Expr]
) -> list[tuple[str, Expr]]:
    """`Field(default_factory=lambda: os.getenv("MODEL", "gpt-4o"))`: a factory of no
    parameters makes what its body evaluates to, as `default=` would give it, so the call is
    read with that `default` (what `resolve._field_default` reads first) when it writes none.
    The body is read where the call stands (its names are the enclosing scope's)."""
    names = [name for name, _ in keywords]
    if FACTORY not in names or DEFAULT in names:
        return keywords
    factory = next(arg.value for arg in node.args if arg.keyword and arg.keyword.value == FACTORY)
    if type(factory) is not cst.Lambda or _has_params(factory.params):
        return keywords
    return [*keywords, (DEFAULT, expr(factory.body))]


def _has_params(params: cst.Parameters) -> bool:
    return bool(
        params.params
        or params.posonly_params
        or params.kwonly_params
        or isinstance(params.star_arg, cst.Param)
        or params.star_kwarg
    )


def _qualify(outer: str, name: str) -> str:
    return f"{outer}.{name}" if outer else name


def _decorator_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Call):
        node = node.func
    return _last_name(node)


def _last_name(node: cst.BaseExpression) -> str:
    """`partial` of `partial` or `functools.partial`; "" for no dotted name."""
    dotted = dotted_name(node)
    return "" if dotted is None else dotted.rsplit(".", 1)[-1]


def _is_variable(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value not in ("True", "False", "None")


Membership = tuple[cst.BaseExpression, cst.BaseExpression, bool]


def _membership(test: cst.BaseExpression) -> Membership | None:
    """(key, mapping, negated) of a test `key in mapping` / `key not in mapping`."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    comparison = test.comparisons[0]
    if isinstance(comparison.operator, cst.In):
        return test.left, comparison.comparator, False
    if isinstance(comparison.operator, cst.NotIn):
        return test.left, comparison.comparator, True
    return None


def _get_without_default(expr: Expr) -> tuple[Expr, Expr] | None:
    """(mapping, key) of `mapping.get(key)`."""
    if not isinstance(expr, Call) or not isinstance(expr.func, Attr) or expr.func.name != "get":
        return None
    if len(expr.args) != 1 or expr.keywords or not expr.complete:
        return None
    return expr.func.value, expr.args[0]


def _leaves(body: cst.BaseSuite) -> bool:
    """Whether a block ends by returning or raising: what follows it does not run after it."""
    last: cst.CSTNode | None = body.body[-1] if body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, (cst.Return, cst.Raise))


def _retargets(call: Call) -> bool:
    """Whether `x.with_options(...)` / `x.copy(...)` may make a client that sends elsewhere."""
    return not call.complete or any(name in RETARGETING_KEYWORDS for name, _ in call.keywords)


def _is_none(value: Expr) -> bool:
    return isinstance(value, Lit) and value.value is None


def _combine(bindings: list[tuple[Branch, Expr]]) -> Expr:
    """One expression for a name's bindings (see the module docstring)."""
    if len(bindings) == 1:
        return bindings[0][1]  # most names: what follows would keep it, without hashing it
    kept = [(branch, value) for branch, value in bindings if not _is_none(value)] or bindings
    branches = [branch for branch, _ in kept]
    values = [value for _, value in kept]
    if len(set(branches)) < len(branches) and len(set(values)) > 1:
        return OPAQUE
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else Choice(tuple(unique))


def _combine_all(bindings: dict[str, list[tuple[Branch, Expr]]]) -> dict[str, Expr]:
    return {name: _combine(found) for name, found in bindings.items()}


def summarize(
    module: cst.Module,
    name: str,
    package: str,
    resources: frozenset[str] = frozenset(),
    ordinals: dict[int, int] | None = None,
) -> ModuleSummary:
    """`resources`: the first attributes of the client's endpoints besides chat
    (`embeddings`, `images`, ...): calls on them are recorded with their receivers too.
    `ordinals`: every node's ordinal by `id` (`number_nodes`), when the caller has them."""
    summarizer = _Summarizer(module, name, package, resources, ordinals)
    summarizer.replaced = replaced_definitions(module.body)
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    summarizer.note_alias(small)
    summarizer.walk(module)
    return summarizer.summary(module)


def replaced_definitions(body: Sequence[cst.BaseStatement]) -> set[int]:
    """The `id`s of the function definitions of `body` that a later plain (undecorated)
    definition of the same name at its top level replaces before anything can call them:
    the statements between the two run no call (outside function bodies) and do not name
    the function (`keep = ask` holds the first). A call of the name then runs the later
    one, as Python does. The earlier one may be decorated (the later binding replaces
    whatever the decorator made) or stand in a statement's arm (`if FAST: def ask(...)`:
    that statement must run no call and name the function nowhere else); definitions where
    either may run (in `if`/`else`) are each a possible callee."""
    latest: dict[str, tuple[int, list[cst.FunctionDef]]] = {}
    """Each name's last definitions: from which statement on nothing may call them (the
    one after a definition; a statement defining it in an arm, itself), and the nodes."""
    replaced: set[int] = set()
    for index, statement in enumerate(body):
        if type(statement) is cst.FunctionDef:
            name = statement.name.value
            earlier = latest.get(name)
            if (
                earlier is not None
                and not statement.decorators
                and not any(_may_call(between, name) for between in body[earlier[0] : index])
            ):
                replaced.update(id(definition) for definition in earlier[1])
            latest[name] = (index + 1, [statement])
            continue
        armed: dict[str, list[cst.FunctionDef]] = {}
        for definition in _definitions_in(statement):
            armed.setdefault(definition.name.value, []).append(definition)
        for name, definitions in armed.items():
            latest[name] = (index, definitions)
    return replaced


def _definitions_in(statement: cst.BaseStatement) -> list[cst.FunctionDef]:
    """The functions a compound statement defines in its arms (`if`, `try`, `with`,
    loops), outside functions and classes."""
    if type(statement).__name__ not in ARMS:
        return []
    found: list[cst.FunctionDef] = []
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        if type(node) is cst.FunctionDef:
            found.append(node)
        elif type(node).__name__ in ARMS:
            stack += child_nodes(node)
    return found


def _may_call(statement: cst.BaseStatement, name: str) -> bool:
    """Whether running `statement` may call a function named `name`, or keep it: it names
    it, or runs any call (a definition runs only its decorators and defaults; an import,
    other modules' code, which cannot see this one's names yet). A definition of `name`
    itself (the earlier one, perhaps in an arm) does neither."""
    if type(statement) is cst.SimpleStatementLine and all(
        type(small) in (cst.Import, cst.ImportFrom) for small in statement.body
    ):
        return False
    finder = _CallOrName(name)
    statement.visit(finder)
    return finder.found


class _CallOrName(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        """Its body runs when it is called: what defining it runs is its decorators and
        its parameters' defaults (its own name is bound, not read)."""
        for decorator in node.decorators:
            decorator.visit(self)
        node.params.visit(self)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        self.found = True
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.found = self.found or node.value == self.name


def _spells_chat(path: list[str]) -> bool:
    """Whether `path` is a chat method's (`chat.completions.create`)."""
    return tuple(path[:-1]) in CHAT_PATHS and path[-1] in CHAT_METHODS


def _is_resource_chain(func: cst.BaseExpression, resources: Collection[str]) -> bool:
    """Whether `func` reads a resource of a client (`client.chat.completions.create`)."""
    return any(chain.path[0] in resources for chain in split_chains(func))
