"""What code must hold for the analysis to find anything in it, read off Python's `ast`.

Every fact `analyze()` finds starts at a call site (a client built, a request, an endpoint
or legacy call, a library call, an endpoint trap, all read off `Bindings.calls`), at an
attribute assignment (`openai.base_url = ...`, `openai.api_key = ...`, read off
`Bindings.attribute_assignments`), or is something the project index asks of the module (a
literal or message list that a request elsewhere sends, the client of a request, a base URL
only the project resolves).

Of the calls and assignments, only those of a client library start a fact: the analysis
knows a client, a library call, a legacy call or a module-level setting by the qualified
name of the callee or the target (`Resolver.qualified_name`), and a name is qualified only
through an import (`import openai as oa; oa.OpenAI()`, `from litellm import completion`), or
an assignment of such a name (`Chat = ChatOpenAI`, `ask = litellm.completion`); a call of a
name bound to `partial(f, ...)` is a call of `f`, whose names count as a callee's; a
request or an endpoint call needs a client, built by such a call in the module (or told by
the project index). So code where no call's callee and no attribute store's target mentions
a name imported from a client library (`client_roots`: `openai`, the providers' SDKs, the
libraries of the call-site table), of a module the index asks nothing of, has no facts, and
no rule reports on it: the engine then gives it neither libcst's parse nor the analysis
(most of the files of a tree of types, empty `__init__.py` files, and tests that import the
SDK's classes only to annotate a fixture: `def test_x(client: OpenAI)`).

Outside assume-wandb, a module the index tells nothing gets a finding only from a W&B
client or call, a key written into a client (WB104) or the SDK's legacy API (WB602): a module
whose only facts are OpenAI SDK clients that none of these can be (`FirstLook`) is not given
to libcst either, nor summarised for the index when no other module can reach it.

This module reads `ast` only: it imports no libcst.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Final, cast

from lint_wb.analysis.sdk_names import (
    BASE_URL_ATTRIBUTE,
    BASE_URL_VARIABLE,
    CLIENT_CLASSES,
    DERIVING_METHODS,
    ENV_GETTERS,
    PARTIAL_LEAF,
    RETARGETING_KEYWORDS,
)
from lint_wb.reach import reached
from lint_wb.records import dataclass
from lint_wb.spec.compiled import OPENAI_ROOT

if TYPE_CHECKING:
    from lint_wb.analysis import ModuleContext
    from lint_wb.spec import ApiSpec


def may_hold_facts(tree: ast.Module, where: ModuleContext | None, roots: frozenset[str]) -> bool:
    """Whether `analyze()` may find something in the module `tree` stands for (the statements
    libcst would be given): False only when the project index asks nothing of it and no
    call's callee and no attribute store's target mentions a name it imports from one of
    the top-level modules `roots` (`client_roots`)."""
    if where is not None and where.index:
        return True
    package = where.package if where is not None else None
    imported: set[str] = set()
    mentioned: set[str] = set()
    aliases: dict[str, set[str]] = {}
    """A name -> the names assignments bind to it (`Chat = ChatOpenAI`), seen so far."""
    stack: list[ast.AST] = [tree]
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind is ast.Name:
            continue  # read by `_names_in` where it counts (in a callee, a store's target)
        read: ast.AST | None = None  # the callee, or the target's object: read here, whole
        if kind is ast.Call:
            read = cast(ast.Call, node).func
        elif kind is ast.Attribute and type(cast(ast.Attribute, node).ctx) is not ast.Load:
            read = cast(ast.Attribute, node).value
        elif kind is ast.Import or kind is ast.ImportFrom:
            names = set(_imported_names(cast("ast.Import | ast.ImportFrom", node), roots, package))
            names = reached(names, aliases) - imported
            if not names.isdisjoint(mentioned):
                return True
            imported |= names
        elif kind is ast.Assign or kind is ast.ClassDef:
            # `Chat = ChatOpenAI`; `class Bot(OpenAI)`, built as its base is
            # (`client_subclasses.py`)
            names = _alias_of(cast("ast.Assign | ast.ClassDef", node), aliases, imported)
            if not names.isdisjoint(mentioned):
                return True
            imported |= names
        children = _children(node)
        if read is not None:
            found = _names_in(read)
            if (
                getattr(read, "attr", None) == PARTIAL_LEAF
                or getattr(read, "id", 0) == PARTIAL_LEAF
            ):
                found += _wrapped_names(cast(ast.Call, node))
            if not imported.isdisjoint(found):
                return True
            mentioned.update(found)
            # the rest of it holds nothing more: a call in it reads names it holds, and
            # neither an import nor an attribute store is an expression
            children = [child for child in children if child is not read]
        children.reverse()  # source order: imports come first, then the calls of what they bind
        push(children)
    return False


_LEAVES: Final = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
"""Nodes with no children (the same object is shared by every node that has one)."""
_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes(node)`, as a list, without the leaves that hold nothing."""
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = kind._fields
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            children.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
            children.append(value)
    return children


def _names_in(node: ast.AST) -> list[str]:
    """Every name read in `node` (a callee, an assignment's target), each `ast.Name` of it."""
    names: list[str] = []
    stack = [node]
    pop, push = stack.pop, stack.extend
    while stack:
        child = pop()
        if type(child) is ast.Name:
            names.append(child.id)
        else:
            push(_children(child))
    return names


def _wrapped_names(node: ast.Call) -> list[str]:
    """The names of the callable a call of `partial` wraps (`partial(litellm.completion,
    ...)`, `functools.partial(...)`): a call through the partial is a call of it
    (`partials.py`). (`partial` imported under another name is not looked for.)"""
    if not node.args or isinstance(node.args[0], ast.Starred):
        return []
    return _names_in(node.args[0])


def _alias_of(
    node: ast.Assign | ast.ClassDef, aliases: dict[str, set[str]], imported: set[str]
) -> set[str]:
    """The names an assignment binds to a dotted name (`Chat = ChatOpenAI`, `ask =
    litellm.completion`), which the analysis qualifies as that name (`Resolver.qualify`),
    or a class of one base (`class Bot(OpenAI)`, which may build as its base does),
    recorded in `aliases` under the name's head; those (and their own aliases) that are
    newly names of something `imported`, returned (the import may come after them: a
    function's body)."""
    if isinstance(node, ast.ClassDef):
        if len(node.bases) != 1:
            return set()
        value, targets = node.bases[0], {node.name}
    else:
        value = node.value
        targets = {target.id for target in node.targets if isinstance(target, ast.Name)}
    while isinstance(value, ast.Attribute):
        value = value.value
    if not isinstance(value, ast.Name):
        return set()
    aliases.setdefault(value.id, set()).update(targets)
    if value.id not in imported:
        return set()
    return reached(targets, aliases) - imported


def _imported_names(
    node: ast.Import | ast.ImportFrom, roots: frozenset[str], package: str | None
) -> Iterator[str]:
    """The names an import binds to something of a module under `roots`, as the analysis
    binds them (`binding.BindingCollector.visit_Import`): `import a.b` binds `a`, `import
    a.b as x` binds `x`, `from a import b as y` binds `y`; a relative import is read from
    `package` (unknown: it binds nothing the analysis can qualify)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] in roots:
                yield alias.asname or alias.name.split(".")[0]
        return
    module = _absolute_module(node, package)
    if module is None or module.split(".")[0] not in roots:
        return
    for alias in node.names:
        if alias.name != "*":
            yield alias.asname or alias.name


def _absolute_module(node: ast.ImportFrom, package: str | None) -> str | None:
    """`from .llm import x` in package `app` -> `app.llm`, as `binding._absolute_module`."""
    if not node.level:
        return node.module
    if package is None:
        return None
    parts = package.split(".") if package else []
    up = node.level - 1
    if up > len(parts):
        return None
    base = parts[: len(parts) - up]
    return ".".join([*base, node.module] if node.module else base) or None


def client_roots(api: ApiSpec) -> frozenset[str]:
    """The top-level modules whose names start a fact: the OpenAI SDK's, the providers'
    SDKs' (`api.porting.provider_sdks`) and the call-site table's (`libraries.toml`)."""
    found = _ROOTS.get(id(api))
    if found is None or found[0] is not api:
        from lint_wb.spec import bundled_libraries

        sdks = {name.split(".")[0] for name in api.porting.provider_sdks}
        roots = frozenset({OPENAI_ROOT, *sdks, *bundled_libraries().module_roots()})
        found = _ROOTS[id(api)] = (api, roots)
    return found[1]


_ROOTS: dict[int, tuple[ApiSpec, frozenset[str]]] = {}
"""id(api) -> (the api, kept alive so its id is not reused, its roots)."""


SIGNAL_KEYWORDS: Final = frozenset({"base_url", "project", "default_headers"})
"""A client's keywords that may make it a W&B client (its base URL; a `team/project`) or
hold a key WB104 reports (a literal `Authorization` header); `api_key` is read apart."""


@dataclass(frozen=True)
class FirstLook:
    """Whether a module can hold anything a rule reports, read off `ast`, for a module the
    project index tells nothing, outside assume-wandb (the caller's part to know).

    There a rule reports only on a W&B client, on what is sent through one (a request, an
    endpoint, a library call), on a key written into any client (WB104) or on the SDK's
    legacy API (WB602); every one of them starts at a name a client library binds, which
    the module's analysis or the project index follows from its import (`may_hold_facts`;
    the index also through names, choices and containers: `make = OpenAI`, `cls = AsyncOpenAI
    if a else OpenAI`, `{"wb": OpenAI}`, a base class). So a module finds nothing when every
    use of such a name is the callee of a call that builds an OpenAI SDK client
    (`CLIENT_CLASSES`, named through one import of it) that cannot be a W&B client and holds
    no key: no positional or `**` arguments, no `base_url` (the client then goes to
    api.openai.com, or where `OPENAI_BASE_URL` says: not W&B, lacking a W&B signal), no
    `project` nor `default_headers`, and an `api_key`, if any, read from the environment by a
    literal name other than W&B's key variable (`os.environ["OPENAI_API_KEY"]`,
    `os.getenv("OPENAI_API_KEY")`): a request on such a client is no W&B request, and no
    other fact starts, unless the module makes a new client of one (`x.with_options(base_url=
    ...)`, `x.copy(**options)`: `_may_retarget`), or holds such a method unapplied (`m =
    x.with_options`, called later where the walk cannot see what it is given). Any other use
    of a client library's name (a call, a store, a value, an annotation, a star import of the
    library, an attribute spelled like it: a class body's import is read on the class, as
    `Holder.OpenAI` or `self.OpenAI`) may find something."""

    roots: frozenset[str]
    """The top-level modules whose names start a fact (`client_roots`)."""
    wandb_key: str
    """The variable W&B's key is read from (`porting.toml`): a client reading it targets W&B."""

    def finds_nothing(self, tree: ast.Module, package: str | None, text: str | None = None) -> bool:
        """Whether a module of `package` whose statements `tree` holds has nothing a rule
        reports (see the class). `text`: a text that holds `tree`'s statements (the
        partial read's), when at hand: it can tell that every import is a top-level one
        (`_import_bindings`). A module whose text names `OPENAI_BASE_URL` may set it, and a
        client built with no `base_url` after that reads it (`env_setting.py`)."""
        if text is not None and BASE_URL_VARIABLE in text:
            return False
        imports = _import_bindings(tree, package, text)
        rooted = {
            name
            for name, modules in imports.items()
            if any(module.split(".")[0] in self.roots for module in modules)
        }
        if STAR in rooted:
            return False  # names no import statement spells
        if not rooted:
            return True
        stack: list[ast.AST] = [tree]
        pop, push = stack.pop, stack.extend
        while stack:
            node = pop()
            kind = type(node)
            if kind is ast.Name:
                if cast(ast.Name, node).id in rooted:
                    return False
                continue
            if kind is ast.Attribute:
                attribute = cast(ast.Attribute, node)
                if _may_retarget_by(attribute):
                    return False  # `m = c.with_options`, called elsewhere; `c.base_url = URL`
                if attribute.attr in rooted:
                    return False  # `Holder.OpenAI(...)`: a class body's import, read on the class
            children = _children(node)
            if kind is ast.Call:
                call = cast(ast.Call, node)
                if self._makes_a_client(call):
                    return False
                if self._plain(call, imports):  # the client class, named through its import
                    children = [child for child in children if child is not call.func]
                elif type(call.func) is ast.Attribute and call.func.attr in DERIVING_METHODS:
                    owner = call.func.value  # the method is called here: its owner is read on
                    children = [owner if child is call.func else child for child in children]
            children.reverse()  # source order: a module that builds a W&B client most often
            push(children)  # does so near its top, where the walk then stops
        return True

    def _plain(self, node: ast.Call, imports: dict[str, set[str]]) -> bool:
        """Whether the call `node` builds an OpenAI SDK client that cannot be a W&B client
        and holds no key (see the class); its arguments are read on their own."""
        if node.args:
            return False
        func = node.func
        name = None
        if isinstance(func, ast.Name):
            name = _only(imports.get(func.id))
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            head = _only(imports.get(func.value.id))
            name = f"{head}.{func.attr}" if head == OPENAI_ROOT else None
        if name not in CLIENT_CLASSES:
            return False
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg in SIGNAL_KEYWORDS:
                return False
            if keyword.arg == "api_key" and not self._reads_another_key(keyword.value):
                return False
        return True

    def _makes_a_client(self, node: ast.Call) -> bool:
        """`x.with_options(base_url=...)`, `x.copy(**options)`, `x.copy(api_key="sk-...")`:
        on a plain client, a new client that may target W&B, or one whose keywords a rule
        reads as it reads a construction's (`sdk_names.DERIVING_METHODS`): a keyword
        `_plain` would not pass, or one that may change where the client sends."""
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in DERIVING_METHODS:
            return False
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg in SIGNAL_KEYWORDS | RETARGETING_KEYWORDS:
                return True
            if keyword.arg == "api_key" and not self._reads_another_key(keyword.value):
                return True
        return False

    def _reads_another_key(self, value: ast.expr) -> bool:
        """`os.environ["X"]`, `os.getenv("X")`, `os.environ.get("X", "y")` (any reader called
        by an environment getter's name: what reads it does not matter), `X` a literal that
        is not W&B's key variable. (Neither is a literal that WB104 may take for a key: the
        analysis does not evaluate them.) Not another call: the analysis reads a key
        through a strip or a function that returns it (`Resolver.read_source`)."""
        if isinstance(value, ast.Subscript):
            names = [value.slice]
        elif isinstance(value, ast.Call) and not value.keywords and _names_getter(value.func):
            names = list(value.args)
        else:
            return False
        texts = [n.value for n in names if isinstance(n, ast.Constant) and type(n.value) is str]
        return bool(texts) and len(texts) == len(names) and texts[0] != self.wandb_key


ENV_GETTER_LEAVES: Final = frozenset(getter.rsplit(".", 1)[-1] for getter in ENV_GETTERS)
"""`getenv`, `get`: the last names of `sdk_names.ENV_GETTERS`."""


def _names_getter(func: ast.expr) -> bool:
    """`os.getenv`, `os.environ.get`, `getenv`: a callee named as an environment getter is."""
    if isinstance(func, ast.Attribute):
        return func.attr in ENV_GETTER_LEAVES
    return isinstance(func, ast.Name) and func.id in ENV_GETTER_LEAVES


def _may_retarget_by(node: ast.Attribute) -> bool:
    """`x.with_options` / `x.copy` not called here (`m = x.with_options`: called where the
    walk cannot see what it is given), or a store of `x.base_url` (the SDK's setter)."""
    return node.attr in DERIVING_METHODS or (
        node.attr == BASE_URL_ATTRIBUTE and type(node.ctx) is ast.Store
    )


IMPORTS: Final = (ast.Import, ast.ImportFrom)
STAR: Final = "*"
"""The name `_import_bindings` gives what a star import binds (no identifier is spelt so)."""


def _import_bindings(
    tree: ast.Module, package: str | None, text: str | None = None
) -> dict[str, set[str]]:
    """Every name an import binds anywhere in `tree` -> what it imports, as the analysis
    qualifies it (`import a.b` binds `a` to `a`; `from a import b as c`, `c` to `a.b`;
    `from a import *`, `STAR` to `a.*`); a relative import outside `package` binds its names
    to "." (nothing qualified).

    `text`: a text holding `tree`'s statements. Every import statement spells the word
    `import` at least once in its own text, so when `text` spells it no more often than
    `tree` has top-level imports, there is no other import, and the tree is not walked."""
    found: dict[str, set[str]] = {}
    nodes: Iterable[ast.AST] = tree.body
    if text is None or text.count("import") > sum(type(node) in IMPORTS for node in tree.body):
        nodes = ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                full = alias.name if alias.asname else head
                found.setdefault(alias.asname or head, set()).add(full)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute_module(node, package)
            for alias in node.names:
                full = f"{module}.{alias.name}" if module else "."
                found.setdefault(alias.asname or alias.name, set()).add(full)
    return found


def _only(values: set[str] | None) -> str | None:
    """The one value of `values`, or None (none, or several)."""
    return next(iter(values)) if values is not None and len(values) == 1 else None
