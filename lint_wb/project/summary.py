"""The summary of one module: what its names, classes and functions are, as abstract values.

A summary depends only on the module's own text, so it is computed once per content and
cached. Expressions are kept symbolic (:class:`Var`, :class:`Imported`, :class:`Call`, ...)
and resolved on demand across the project by `resolve.py`. Every literal keeps the place
it is written: the ordinal of its node in a fixed pre-order walk of the module
(`number_nodes`), so a finding about it can be reported there, in whichever run lints that
file.
"""

from __future__ import annotations

from dataclasses import field
from functools import cached_property
from typing import Union

from lint_wb.analysis.view_paths import Path
from lint_wb.records import dataclass

Scalar = Union[str, int, float, bool, None]


@dataclass(frozen=True)
class Lit:
    """A literal as written: `"openai/gpt-oss-120b"`, `0.7`, `None`."""

    value: Scalar
    node: int


@dataclass(frozen=True)
class Var:
    """A name as read in a scope (`""` the module, `f`, `C.m`); Python's rules find the
    scope that binds it when it is resolved."""

    scope: str
    name: str


@dataclass(frozen=True)
class Imported:
    """`from module import name`."""

    module: str
    name: str


@dataclass(frozen=True)
class ModuleObj:
    """`import pkg.mod as m` (or the head of `import pkg.mod`)."""

    module: str


@dataclass(frozen=True)
class Attr:
    """`value.name`."""

    value: Expr
    name: str


@dataclass(frozen=True)
class Call:
    """A call, its arguments as summary expressions; `node` is its ordinal in the module."""

    func: Expr
    args: tuple[Expr, ...]
    keywords: tuple[tuple[str, Expr], ...]
    node: int
    complete: bool = True
    """False when a `*args` or `**kwargs` spread may add arguments."""
    spreads: tuple[Expr, ...] = ()
    """The `**mapping` arguments, in order."""
    starred: bool = False
    """A `*args` spread is given."""

    def keyword(self, name: str) -> Expr | None:
        for key, value in self.keywords:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Choice:
    """One of several values: both branches of `a if c else b`, `a or b`, an if/else."""

    options: tuple[Expr, ...]
    first_if_true: bool = False
    """`a or b`: a false literal `a` may be (`None`, `""`) gives `b`, and is never the value."""


@dataclass(frozen=True)
class Subscript:
    """`value[key]`."""

    value: Expr
    key: Expr


@dataclass(frozen=True)
class Lookup:
    """`mapping[key] if key in mapping else fallback`, `mapping.get(key) or fallback`: the
    fallback is what a key the mapping lacks gives (a model map that leaves other names as
    they are: `MODELS[m] if m in MODELS else m`)."""

    mapping: Expr
    key: Expr
    fallback: Expr
    otherwise: Expr
    """The expression read as a plain choice of its branches: what it is when the mapping
    is not a dict literal."""
    falsy_falls_back: bool = False
    """`or`: an entry that is falsy gives the fallback too."""


@dataclass(frozen=True)
class DictExpr:
    """A dict literal; a `None` key is a `**spread` of the value."""

    entries: tuple[tuple[Expr | None, Expr], ...]
    node: int = -1


@dataclass(frozen=True)
class Items:
    """A tuple or list literal."""

    items: tuple[Expr, ...]
    node: int = -1


@dataclass(frozen=True)
class Item:
    """The `index`-th element of a tuple the value is: `a, b = make()`."""

    value: Expr
    index: int


@dataclass(frozen=True)
class Joined:
    """An f-string or a `+` of strings: a value only when every part is one literal."""

    parts: tuple[Expr, ...]
    node: int
    added: bool = False
    """A `+`: a text only when every part is one (`1 + 2` is no text; an f-string formats
    numbers)."""


@dataclass(frozen=True)
class SelfOf:
    """`self` in a method of the class `cls` (qualified within the module)."""

    cls: str


@dataclass(frozen=True)
class FunctionRef:
    """A function defined in the module, by its qualified name."""

    qualname: str


@dataclass(frozen=True)
class ClassRef:
    """A class defined in the module, by its qualified name."""

    qualname: str


@dataclass(frozen=True)
class Param:
    """A parameter of the function `function` (qualified within the module): what the calls
    of the project pass it, or its default where a call passes nothing."""

    function: str
    name: str
    index: int
    """Its place among the positional parameters (`self` counts); -1 for keyword-only."""
    default: Expr | None
    annotation: Expr | None = None
    """The class its annotation names (`settings: Settings`, `Settings | None`), read where the
    function is defined; None without one."""


@dataclass(frozen=True)
class Opaque:
    """Nothing known: a parameter, a loop variable, an expression not followed."""


OPAQUE = Opaque()

Expr = Union[
    Lit, Var, Imported, ModuleObj, Attr, Call, Choice, Subscript, Lookup, DictExpr, Items,
    Item, Joined, SelfOf, FunctionRef, ClassRef, Param, Opaque,
]  # fmt: skip


def read_in(expr: Expr) -> str:
    """The scope a callee (`ask`, `llm.ask`) is read in."""
    while isinstance(expr, Attr):
        expr = expr.value
    return expr.scope if isinstance(expr, Var) else ""


def is_plain_read(expr: Expr) -> bool:
    """A name or an attribute of one: read twice in one expression, it is the same value."""
    while isinstance(expr, Attr):
        expr = expr.value
    return isinstance(expr, (Var, Imported, ModuleObj, SelfOf))


@dataclass(frozen=True)
class Guard:
    """A test a call stands behind, in the function it is written in: the name `subject`
    equals one of `options` wherever the call runs (`if provider == Provider.WANDB:`,
    `elif kind in ("wandb", "wb"):`, the `else` of `if provider != "openai":`)."""

    subject: Var
    options: tuple[Expr, ...]
    excluded: bool = False
    """True: the name equals none of `options` there (the `else` of `if provider ==
    "wandb":`, what follows an `if provider == "wandb":` whose body returns)."""


@dataclass(frozen=True)
class ScopeSummary:
    """The names a module, class or function body binds, with the expressions bound."""

    parent: str | None
    """The enclosing scope names are looked up in next (class bodies are skipped)."""
    names: dict[str, Expr]


@dataclass(frozen=True)
class FunctionSummary:
    """A function: what it returns, and how it is decorated."""

    qualname: str
    returns: Expr
    decorators: tuple[str, ...] = ()
    """The decorators' last dotted parts: `property`, `lru_cache`, `staticmethod`, ..."""
    guarded_returns: tuple[tuple[tuple[Guard, ...], Expr], ...] = ()
    """Each returned expression with the guards it stands behind, when one stands behind
    a guard (`if provider == "wandb": return OpenAI(...)`): a call whose arguments certainly
    fail a return's guards does not get what it returns."""


@dataclass(frozen=True)
class ClassSummary:
    """A class: its bases, attributes and methods."""

    qualname: str
    bases: tuple[Expr, ...]
    attributes: dict[str, Expr]
    """Class-body assignments and `self.<attr>` assignments in any method, combined."""
    methods: dict[str, str]
    """Method name -> the function's qualname."""
    decorators: tuple[str, ...] = ()
    """The class decorators' last dotted parts: `dataclass`, ..."""
    fields: tuple[str, ...] = ()
    """The names the class body declares with an annotation (`model: str = "gpt-4o"`), in
    order, that a dataclass's or a pydantic model's constructor takes by keyword (a
    `ClassVar` or a `field(init=False)` is none)."""
    positional_fields: tuple[str, ...] = ()
    """The fields of `fields` a positional argument fills, in order (not the keyword-only
    ones: after `KW_ONLY`, or `field(kw_only=True)`)."""
    field_defaults: dict[str, Expr] = field(default_factory=dict)
    """The value a field is declared with in the class body, as written."""


@dataclass(frozen=True)
class RequestSite:
    """A call on a client's endpoint (`x.chat.completions.create(...)`,
    `x.embeddings.create(...)`): its receiver and, for a chat request, its keywords."""

    node: int
    receivers: tuple[Expr, ...]
    keywords: tuple[tuple[str, Expr], ...]
    where: str
    """The function it stands in (`Reasoner.run`), or `<module>`."""
    is_chat: bool = True
    path: tuple[str, ...] = ()
    """For a call that is no chat request: the attributes from the receiver to the method
    (`("embeddings", "create")`), which say whether it is an endpoint W&B does not serve."""
    spreads: tuple[Expr, ...] = ()
    """For a chat request: what its `**` arguments other than a dict written in the call
    unpack (`**SAMPLING`); a dict of another module is read key by key by the index."""
    method: str = "create"
    """For a chat request: the method called (`create`, `parse`, `stream`)."""
    through: bool = False
    """The call reads an imported name (`from llm import completions`, then
    `completions.create(...)`), perhaps bound in its module to a client's chat resource or
    method: `receivers` holds the name, `path` the attributes read on it, and the project
    index spells the request out where the name is bound (`uses.ProjectUses._through`)."""


@dataclass(frozen=True)
class PartialRequest:
    """`name = functools.partial(x.chat.completions.create, ...)` at a module's top level (or
    in a function, `scope`): a call of `name` in another module is a chat request on `x`,
    with the partial's keywords updated by the call's (`project/partial_requests.py`; in the
    module itself, its own analysis reads it: `analysis/partials.py`)."""

    name: str
    call: Call
    """The call of `partial` (its callee is checked to be `functools.partial` when read)."""
    receiver: Expr
    """`x`, the client the wrapped method is read on; with no `method`, the wrapped callable
    itself, which may be another such partial (`fast = partial(ask, temperature=0)`)."""
    method: str = "create"
    """The wrapped method (`create`, `parse`, `stream`); "" for a partial of a callable."""
    scope: str = ""
    """The function binding `name` ("" for the module): one binding in a function is
    called only there (a partial of a client's method only, `summarize._note_partial`)."""


@dataclass(frozen=True)
class LibraryCallSite:
    """A call that may be a library's (`LLM(...)`, `litellm.completion(...)`): its name ends
    like a callable of `spec/libraries.toml`; which one it is, if any, is found when the
    project resolves `call.func`."""

    call: Call
    where: str
    """The function it stands in, or `<module>`."""


@dataclass(frozen=True)
class EnvBaseUrl:
    """The module's one setting of `OPENAI_BASE_URL`, a statement of its top level
    (`analysis/env_setting.py`): a client built with no `base_url` in code written after it
    reads `value`."""

    after: int
    """The ordinal of the first node after the statement."""
    environ: Expr
    """What is written as `os.environ` (the resolver checks it is)."""
    value: Expr
    later: tuple[tuple[int, int], ...] = ()
    """The function bodies written before it that run only after it (ordinal ranges:
    `env_setting.later_bodies`)."""


@dataclass(frozen=True)
class UrlSetting:
    """`name.base_url = value` in the body of `scope` that builds the client `name` is bound
    to by the call at ordinal `built`, made before anything can reach the client
    (`analysis/url_setter.py`): that client's requests go to `value`."""

    scope: str
    name: str
    built: int
    value: Expr


@dataclass(frozen=True)
class StarImport:
    """`from module import *`, at the module's top level (Python allows it nowhere else)."""

    module: str
    """The module it names, made absolute (a relative import read in the package)."""
    conditional: bool
    """It stands in an `if` or `try` arm: the names it binds may not be bound."""
    rebound: frozenset[str]
    """The names the module binds again after it (`from .base import *` then `DEBUG = True`):
    the module's own binding of them is the live one."""


@dataclass(frozen=True)
class ModuleSummary:
    """What the project index keeps of a module: its scopes, functions, classes and the
    client constructions, requests and library calls in it."""

    module: str
    package: str
    scopes: dict[str, ScopeSummary]
    functions: dict[str, FunctionSummary]
    classes: dict[str, ClassSummary]
    requests: tuple[RequestSite, ...]
    client_calls: tuple[Call, ...]
    """Calls that may construct a client (`OpenAI(...)`, `openai.AsyncOpenAI(...)`)."""
    names_base_url_variable: bool = False
    """The module names `OPENAI_BASE_URL`: a client without `base_url` may get one there."""
    node_count: int = 0
    """How many nodes `number_nodes` counts: tells a linted text from the summarised one."""
    library_calls: tuple[LibraryCallSite, ...] = ()
    mutated: frozenset[tuple[str, str]] = frozenset()
    """(scope, name) of names whose list or dict may change after it is bound, by the
    scope whose binding of the name the change changes (`x.append(...)`, `x[k] = v`, `f(x)`,
    written there or in a scope inside it that binds no `x` of its own: `summarize._owner`):
    what they are bound to may not be what is sent."""
    mutated_attributes: frozenset[str] = frozenset()
    """Attributes changed the same way, in any scope (`prompts.HISTORY.append(...)`)."""
    calls: dict[str, tuple[Call, ...]] = field(default_factory=dict)
    """Every call by the last name of what it calls (`make_client`, `ask`, `Service`): where
    a parameter's arguments are found."""
    escapes: frozenset[str] = frozenset()
    """Names used other than by calling them or defining them where the project cannot tell
    what they are (an attribute read as a value: `partial(llm.make_client)`; any name in a
    lambda): a function of that name may be called where the project cannot see, so its
    parameters are not followed."""
    reads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Names read as values by themselves (`partial(make_client)`, `Depends(get_client)`,
    `class Sub(Service)`, `answer = ask`), with the scopes they are read in: a function one
    of them may be is called where the project cannot see; a local of the same name bound
    to something else is not it."""
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The local names `from m import name as local` binds, by `name`: calls of `local` are
    calls of `name`."""
    rebinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The names a plain assignment binds to a name or an attribute, by the name read
    (`q = ask`, `ask = helpers.ask`, `ask = _ask`): calls of `q` may be calls of `ask`,
    which the resolver tells (`Resolver.call_sites`). Such a read is not in `reads` or
    `escapes`; a method of the name read is then not followed (`f = self.ask` is called with
    its `self` given)."""
    dropped: frozenset[str] = frozenset()
    """The identifiers written in the statements the partial parse left out
    (`module_parse.py`): a name another module imports, or a call the project looks for,
    among them asks for the module whole."""
    guards: dict[int, tuple[Guard, ...]] = field(default_factory=dict)
    """The guards of the calls of `calls` that stand behind one, by the call's node ordinal:
    a parameter's argument there is followed only from the callers that may pass the test."""
    env_base_url: EnvBaseUrl | None = None
    star_imports: tuple[StarImport, ...] = ()
    """The module's `from m import *`, in the order they are written; one whose module
    cannot be named (a relative import above the top package) has `module` "" ."""

    key_stores: frozenset[tuple[str, str, str]] = frozenset()
    """(scope, name, key) of each store under a literal key (`kwargs["project"] = ...`), by
    the scope whose binding of the name it changes (as `mutated`): a change of that key only
    (`stored_keys`); every other change of a name is in `mutated`."""
    handed: frozenset[tuple[str, str]] = frozenset()
    """(scope, name) of names handed on (`m = MODELS`, `f(d=MODELS)`, `def f(d=MODELS)`,
    `return MODELS`, `{"m": MODELS}`: `dicts.handed_on`), by the scope whose binding of the
    name is handed (as `mutated`): a dict handed on may be changed through what receives it,
    so a lookup under a key of it is not known (`Resolver._dict_read`). Only such lookups and
    `**` spreads read it: a dict handed on is otherwise read as written, as before."""
    handed_attributes: frozenset[str] = frozenset()
    """Attributes handed on the same way, in any scope (`models = config.MODELS`)."""
    named_url_settings: tuple[tuple[str, str, Expr], ...] = ()
    """(scope, name, value) of each `name.base_url = value` (`openai.base_url = URL` sets the
    `openai` module's own client for the whole process: `uses.ProjectUses._module_default`)."""
    views: frozenset[tuple[str, str, Path]] = frozenset()
    """(scope, name, path) where what `name`, bound in `scope`, holds may be changed under
    `path` through a view of it (`analysis/dict_views.py`: `ROLES.get("chat")["model"] =
    m`, `cfg = ROLES["chat"]; cfg.update(o)`, `tweak(ROLES["chat"])`): a lookup there is not
    known (`Resolver._dict_read`)."""
    viewed_attributes: frozenset[tuple[str, Path]] = frozenset()
    """(name, path) of attributes viewed the same way, in any scope
    (`cfg = config.ROLES["chat"]; cfg.update(o)`)."""
    url_stores: frozenset[tuple[str, str]] = frozenset()
    """(scope, name) of names given a `name.base_url = ...` (the OpenAI SDK's setter), by the
    scope the store is written in: a client bound to one may send elsewhere than where it
    was built to (the module's own analysis follows the certain case: `url_setter.py`)."""
    url_setting: UrlSetting | None = None
    """The certain case, when it is the module's one store of a `base_url`."""
    exports: frozenset[str] | None = None
    """The names of `__all__`, when the module builds it of string literals at its top level
    and names it nowhere else (`summarize._exports`); None when that is not known, or when
    the module names no `__all__`."""
    partials: tuple[PartialRequest, ...] = ()
    """The module's top-level partials of a client's chat method, and of a callable that
    may be one (`PartialRequest`)."""

    def stores_url(self, scope: str, name: str) -> bool:
        """Whether `name`, bound in `scope`, is given a `base_url` there or inside it."""
        inside = f"{scope}."
        return any(
            named == name and (not scope or where == scope or where.startswith(inside))
            for where, named in self.url_stores
        )

    def mutates(self, scope: str, name: str) -> bool:
        """Whether `name`, bound in `scope`, may be changed (a store under a key included)."""
        return scope in self._changed_by_name.get(name, ())

    def hands(self, scope: str, name: str) -> bool:
        """Whether `name`, bound in `scope`, is handed on (`handed`)."""
        return scope in self._handed_by_name.get(name, ())

    def changes_import(self, name: str) -> bool:
        """Whether a binding of `name` the module imports (`from config import MODELS`, in
        any scope; or one it does not bind, a star import's) may be changed, stored to or
        handed on there. A name the module binds to a value of its own is another object."""
        changed = (*self._changed_by_name.get(name, ()), *self._handed_by_name.get(name, ()))
        for scope in changed:
            found = self.scopes.get(scope)
            bound = None if found is None else found.names.get(name)
            if bound is None or _imports(bound):
                return True
        return False

    def views_of(self, scope: str, name: str) -> frozenset[Path]:
        """The paths under which what `name`, bound in `scope`, holds may change (`views`)."""
        return frozenset(
            path for where, path in self._views_by_name.get(name, ()) if where == scope
        )

    def views_of_import(self, name: str) -> frozenset[Path]:
        """The paths under which a binding of `name` the module imports (or does not bind:
        a star import's) may change through a view here (as `changes_import`)."""
        found: set[Path] = set()
        for scope, path in self._views_by_name.get(name, ()):
            bound = self.scopes.get(scope)
            value = None if bound is None else bound.names.get(name)
            if value is None or _imports(value):
                found.add(path)
        return frozenset(found)

    def attribute_views(self, name: str) -> frozenset[Path]:
        """The paths under which an attribute `name` may change here (`viewed_attributes`)."""
        return self._attribute_views_by_name.get(name, frozenset())

    @cached_property
    def _attribute_views_by_name(self) -> dict[str, frozenset[Path]]:
        by_name: dict[str, set[Path]] = {}
        for name, path in self.viewed_attributes:
            by_name.setdefault(name, set()).add(path)
        return {name: frozenset(paths) for name, paths in by_name.items()}

    @cached_property
    def _views_by_name(self) -> dict[str, tuple[tuple[str, Path], ...]]:
        by_name: dict[str, list[tuple[str, Path]]] = {}
        for scope, name, path in self.views:
            by_name.setdefault(name, []).append((scope, path))
        return {name: tuple(found) for name, found in by_name.items()}

    @cached_property
    def _handed_by_name(self) -> dict[str, tuple[str, ...]]:
        return _by_name(self.handed) if self.handed else {}

    def stored_keys(self, scope: str, name: str) -> frozenset[str] | None:
        """The keys stored to `name`, bound in `scope`, when such stores are its only
        changes; None when it may be changed otherwise."""
        if scope in self._mutated_by_name.get(name, ()):
            return None
        return frozenset(
            key for owner, named, key in self.key_stores if named == name and owner == scope
        )

    @cached_property
    def _mutated_by_name(self) -> dict[str, tuple[str, ...]]:
        """`mutated` by name: `mutates` is asked for every name the project resolves, and a
        scan of all of `mutated` each time made resolution quadratic in a module's size."""
        return _by_name(self.mutated)

    @cached_property
    def _changed_by_name(self) -> dict[str, tuple[str, ...]]:
        """`mutated` and `key_stores` by name."""
        if not self.key_stores:
            return self._mutated_by_name
        stores = {(where, name) for where, name, _ in self.key_stores}
        return _by_name(self.mutated | stores)


def _imports(bound: Expr) -> bool:
    """Whether a name bound to `bound` may hold what an import gives it."""
    if isinstance(bound, Choice):
        return any(_imports(option) for option in bound.options)
    return isinstance(bound, Imported)


def _by_name(changes: frozenset[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    by_name: dict[str, list[str]] = {}
    for where, name in changes:
        by_name.setdefault(name, []).append(where)
    return {name: tuple(wheres) for name, wheres in by_name.items()}
