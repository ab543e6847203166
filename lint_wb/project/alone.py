"""Whether a lone module's summary can tell its own lint anything, read off `ast`.

A lone module (one no other module of the project imports and that imports none of it,
outside assume-wandb: `build._first_looks`) is told by the project index only what its own
summary resolves. Most of that the module's own analysis finds alone; what it does not is
what the index follows and the analysis does not: a function's parameters through its
callers, dict entries (`MODELS["fast"]`, `.get(key, FALLBACK)`), choices (`a or b`), what
a function returns, a client reached through a factory, a container or a base class, an
environment variable's default, `OPENAI_BASE_URL` set in code, a library's calls (whose
settings may be the whole project's: the Agents SDK's default client and API).

`stands_alone` says the module holds none of those where the index would read them: every
request's receiver is a name bound once to an OpenAI SDK client built right there, or
`self.<attr>` of a class whose every `<attr>` store is such a construction; every keyword
of a chat request but `messages` (which the index reads only for other modules), and every
keyword of a construction, is a literal, a container of such, a module constant bound once
to one, or a read of the environment with no default; no library callable is called, no
`base_url` is stored, no name is imported by a star. Such a module is not summarised as a
seed (`store.SummaryStore.found_nothing`): it lints the same with or without its summary,
and a resolution that leads into it all the same gets its summary, made as ever.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import Final

from lint_wb.analysis.chains import WRAPPERS
from lint_wb.analysis.sdk_names import (
    BASE_URL_ATTRIBUTE,
    BASE_URL_VARIABLES,
    CHAT_METHODS,
    CHAT_PATHS,
    CLIENT_CLASSES,
    DERIVING_METHODS,
    ENV_GETTERS,
)

MESSAGES: Final = "messages"
ENV_LEAVES: Final = frozenset(getter.rsplit(".", 1)[-1] for getter in ENV_GETTERS)
"""`os.getenv("X")`, `os.environ.get("X")` by their last name: read with the variable's name
alone (the calls are `sdk_names.ENV_GETTERS`)."""
CHAT_ROOTS: Final = frozenset(path[0] for path in CHAT_PATHS)
FUNCTIONS: Final = (ast.FunctionDef, ast.AsyncFunctionDef)
BINDERS: Final = frozenset(
    {
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.arg,
        ast.Global,
        ast.Nonlocal,
        ast.ExceptHandler,
        ast.MatchAs,
        ast.MatchStar,
        ast.MatchMapping,
        ast.Lambda,
    }
)
"""The nodes that bind a name otherwise than as an assignment's or a loop's target."""
SCOPES: Final = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
NOT_NODES: Final = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "name", "names", "module", "level", "asname"}
    | {"type_comment", "kind", "conversion", "is_async", "simple", "rest", "kwd_attrs", "tag"}
)
"""The fields of `ast` nodes that hold no node to walk (names, flags, contexts, operators;
`names`: a `global` statement's, and an import's, whose aliases bind no name walked)."""
_FIELDS: dict[type, tuple[str, ...]] = {}


@cache
def _library_leaves() -> frozenset[str]:
    from lint_wb.spec import bundled_libraries

    return bundled_libraries().leaves()


def stands_alone(tree: ast.Module, text: str, resources: frozenset[str]) -> bool:
    """Whether the lone module whose kept statements `tree` holds (`text`: their text) lints
    the same without its summary (see the module). `resources`: the client's endpoint roots
    besides chat (`summarize.summarize`)."""
    if any(variable in text for variable in BASE_URL_VARIABLES):
        return False
    return _Module(tree, CHAT_ROOTS | resources).plain()


class _Module:
    def __init__(self, tree: ast.Module, resources: frozenset[str]) -> None:
        self.tree = tree
        self.resources = resources
        self.bound: Counter[str] = Counter()
        """How many times each name is bound anywhere in the module."""
        self.imported: dict[str, str] = {}
        """Local name -> the qualified name an import binds it to."""
        self.assigned: dict[str, ast.expr] = {}
        """Name -> the value of its (last) plain assignment `name = value`, anywhere."""
        self.attribute_stores: dict[str, int] = {}
        """Attribute name -> how many times the module stores it (`x.attr = ...`, any form)."""
        self.self_stores: dict[str, list[tuple[ast.ClassDef | None, ast.expr]]] = {}
        """Attribute name -> each plain `self.attr = value`, with the class of the method
        whose own body holds it (None: no method's, or a class with a base)."""
        self.module_level: set[str] = set()
        """The names a plain assignment at the module's top level binds."""
        self.calls: list[tuple[ast.Call, ast.ClassDef | None]] = []
        """Each call, with the class of the method whose own body holds it."""
        self.star = False

    def plain(self) -> bool:
        self._collect()
        if self.star or BASE_URL_ATTRIBUTE in self.attribute_stores:
            return False
        return all(self._plain_call(call, owner) for call, owner in self.calls)

    # what the module binds
    def _collect(self) -> None:
        for statement in self.tree.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                self.module_level.update(_plain_targets(statement))
        self._walk([self.tree], None)

    def _walk(self, nodes: list[ast.AST], owner: ast.ClassDef | None) -> None:
        """Every node under `nodes`; `owner`: the class (one with no base) whose method's own
        body they stand in, not a function's or a class's inside that method."""
        bound, calls, stores = self.bound, self.calls, self.attribute_stores
        stack = list(nodes)
        pop, push = stack.pop, stack.extend
        while stack:
            node = pop()
            kind = type(node)
            if kind is ast.Name:
                if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                    bound[node.id] += 1  # type: ignore[attr-defined]
                continue
            if kind is ast.Constant or node is None:
                continue
            if kind is ast.Attribute:
                if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                    attribute = node.attr  # type: ignore[attr-defined]
                    stores[attribute] = stores.get(attribute, 0) + 1
                stack.append(node.value)  # type: ignore[attr-defined]
                continue
            if kind is ast.keyword:
                stack.append(node.value)  # type: ignore[attr-defined]
                continue
            if kind is ast.Call:
                calls.append((node, owner))  # type: ignore[arg-type]
            elif kind is ast.Assign or kind is ast.AnnAssign:
                self._assignment(node, owner)  # type: ignore[arg-type]
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._import(node)  # type: ignore[arg-type]
                continue
            elif kind in BINDERS:
                self._binding(node)
                if kind is ast.ClassDef:
                    self._class(node)  # type: ignore[arg-type]
                    continue
                if kind in SCOPES and owner is not None:
                    self._walk(_children(node), None)  # not the method's own body
                    continue
            push(_children(node))

    def _class(self, node: ast.ClassDef) -> None:
        """A class's methods, as methods of the class when it has no base (their own bodies
        then stand in it), and the rest of it in no method."""
        plain = None if node.bases or node.keywords else node
        for child in _children(node):
            if plain is not None and isinstance(child, FUNCTIONS) and child in node.body:
                self._binding(child)
                self._walk(_children(child), plain)
            else:
                self._walk([child], None)

    def _assignment(self, node: ast.Assign | ast.AnnAssign, owner: ast.ClassDef | None) -> None:
        if node.value is None:
            return
        for name in _plain_targets(node):
            self.assigned[name] = node.value
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Attribute):
            target = targets[0]
            if _is_self(target.value):
                self.self_stores.setdefault(target.attr, []).append((owner, node.value))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            source = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    self.star = True
                    continue
                local = alias.asname or alias.name
                self.bound[local] += 1
                self.imported[local] = f"{source}.{alias.name}"
            return
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            self.bound[local] += 1
            self.imported[local] = alias.name if alias.asname else local

    def _binding(self, node: ast.AST) -> None:
        """Names bound by anything but an assignment's or a loop's target (a `Name` node)."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bound[node.name] += 1
        elif isinstance(node, ast.arg):
            self.bound[node.arg] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            self.bound.update({name: 2 for name in node.names})  # bound elsewhere too
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
            if node.name:
                self.bound[node.name] += 1
        elif isinstance(node, ast.MatchMapping) and node.rest:
            self.bound[node.rest] += 1

    # what the index reads
    def _plain_call(self, call: ast.Call, owner: ast.ClassDef | None) -> bool:
        func = call.func
        leaf = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if self._client_class(func):
            return self._plain_construction(call)
        if leaf in DERIVING_METHODS or leaf in _library_leaves():
            return False  # a client made from another, or a library's callable
        if self._leaf_renamed(leaf, 0):
            return False  # `from openai import OpenAI as make`, `Chat = ChatOpenAI`
        return self._plain_request(call, owner)

    def _leaf_renamed(self, leaf: str | None, depth: int) -> bool:
        """A call by a local name an import gives a client class or a library callable, or
        one an assignment binds to such a name (`Chat = ChatOpenAI`, `ask =
        litellm.completion`, `make = Maker`: the index follows it, `summarize.note_alias`)."""
        imported = self.imported.get(leaf or "")
        assigned = self.assigned.get(leaf or "")
        if imported is None and isinstance(assigned, ast.Attribute):
            last: str | None = assigned.attr
        elif imported is None and isinstance(assigned, ast.Name):
            last = assigned.id
        else:
            last = None if imported is None else imported.rsplit(".", 1)[-1]
        if last is None or depth > len(self.assigned):
            return False
        if last in _library_leaves() or last in CLIENT_CLASSES.values():
            return True
        return imported is None and self._leaf_renamed(last, depth + 1)

    def _client_class(self, func: ast.expr) -> bool:
        """`OpenAI` (imported from `openai`) or `openai.OpenAI`, each name bound once."""
        if isinstance(func, ast.Name):
            return self.bound[func.id] == 1 and self.imported.get(func.id) in CLIENT_CLASSES
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            head = func.value.id
            if self.bound[head] != 1 or self.imported.get(head) != "openai":
                return False
            return f"openai.{func.attr}" in CLIENT_CLASSES
        return False

    def _plain_construction(self, call: ast.Call) -> bool:
        if call.args:
            return False
        return all(
            keyword.arg is not None and self._plain_value(keyword.value)
            for keyword in call.keywords
        )

    def _plain_request(self, call: ast.Call, owner: ast.ClassDef | None) -> bool:
        """A call that is no request, or a request the module's analysis reads as the index
        does (see the module)."""
        links: list[tuple[str, ast.expr]] = []
        node: ast.expr = call.func
        while isinstance(node, ast.Attribute):
            links.append((node.attr, node.value))
            node = node.value
        links.reverse()  # from the receiver out
        names = [name for name, _ in links]
        first = next((index for index, name in enumerate(names) if name in self.resources), None)
        if first is None:
            return not _deeper_call(node, self.resources)
        if any(name in WRAPPERS for name in names):
            return False
        if not self._plain_receiver(links[first][1], owner):
            return False
        path = tuple(names[first:])
        if path[:-1] not in CHAT_PATHS or path[-1] not in CHAT_METHODS:
            return True  # an endpoint's call: the index reads its receiver only
        return all(
            keyword.arg == MESSAGES
            or (keyword.arg is None and not isinstance(keyword.value, ast.Dict))
            or self._plain_value(keyword.value)
            for keyword in call.keywords
        )  # a dict written in a `**` spread: the index reads its entries as keywords

    def _plain_receiver(self, node: ast.expr, owner: ast.ClassDef | None) -> bool:
        """A name bound once to a plain construction, or `self.<attr>` stored once, as a
        plain construction, in a method of the class (`owner`) whose method makes the call."""
        if isinstance(node, ast.Name):
            value = self.assigned.get(node.id)
            return self.bound[node.id] == 1 and self._constructed(value)
        if not isinstance(node, ast.Attribute) or not _is_self(node.value) or owner is None:
            return False
        stores = self.self_stores.get(node.attr, [])
        if self.attribute_stores.get(node.attr) != 1 or len(stores) != 1:
            return False
        ((where, value),) = stores
        return where is owner and self._constructed(value)

    def _constructed(self, value: ast.expr | None) -> bool:
        return (
            isinstance(value, ast.Call)
            and self._client_class(value.func)
            and self._plain_construction(value)
        )

    def _plain_value(self, node: ast.expr) -> bool:
        """A literal, a container of plain values, a module constant bound once to one, or
        the environment read by a literal name with no default."""
        if _literal(node):
            return True
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return all(self._plain_value(item) for item in node.elts)
        if isinstance(node, ast.Dict):
            return all(key is not None and _literal(key) for key in node.keys) and all(
                self._plain_value(value) for value in node.values
            )
        if isinstance(node, ast.Name):
            return self._constant(node.id)
        return self._reads_environment(node)

    def _constant(self, name: str) -> bool:
        value = self.assigned.get(name)
        if self.bound[name] != 1 or name not in self.module_level or value is None:
            return False
        return _constant_value(value)

    def _reads_environment(self, node: ast.expr) -> bool:
        """`os.environ["X"]`, `os.getenv("X")`, `os.environ.get("X")`, `os` bound once."""
        if isinstance(node, ast.Subscript):
            return _is_environ(node.value, self) and _string(node.slice)
        if not isinstance(node, ast.Call) or node.keywords or len(node.args) != 1:
            return False
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in ENV_LEAVES:
            return False
        reader = func.value
        is_os = func.attr == "getenv" and self._is_os(reader)
        return (is_os or (func.attr == "get" and _is_environ(reader, self))) and _string(
            node.args[0]
        )

    def _is_os(self, node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Name)
            and node.id == "os"
            and self.bound["os"] == 1
            and self.imported.get("os") == "os"
        )


def _children(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes(node)`, as a list, without the contexts and operators, but with
    the `None` of an absent child in a list (a `**` spread's key, a default not given),
    which the walk passes over."""
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        written = getattr(kind, "_fields", ())  # (none on a `case None:` pattern's value)
        fields = _FIELDS[kind] = tuple(name for name in written if name not in NOT_NODES)
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            children += value
        elif value is not None:
            children.append(value)
    return children


def _plain_targets(node: ast.Assign | ast.AnnAssign) -> Iterable[str]:
    """The name a plain assignment binds (`name = value`, `name: T = value`)."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    else:
        targets = [node.target] if node.value is not None else []
    if len(targets) == 1 and isinstance(targets[0], ast.Name):
        return (targets[0].id,)
    return ()


def _is_environ(node: ast.expr, module: _Module) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and module._is_os(node.value)


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _literal(node: ast.expr) -> bool:
    """A constant, or a sign before a number."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
        return isinstance(node, ast.Constant) and type(node.value) in (int, float, complex)
    return isinstance(node, ast.Constant)


def _constant_value(node: ast.expr) -> bool:
    """A literal or a container of literals: what a module constant may be."""
    if _literal(node):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_constant_value(item) for item in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is not None and _literal(key) for key in node.keys) and all(
            _constant_value(value) for value in node.values
        )
    return False


def _deeper_call(node: ast.expr, resources: frozenset[str]) -> bool:
    """A call at the chain's root whose own chain names a resource (`make().chat...`)."""
    while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute) and node.attr in resources:
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False
