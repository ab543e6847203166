"""Resolution on demand: what a summarised expression may be, across the whole project.

`Resolver.values(module, expr)` answers with the set of abstract values the expression may
take. Every literal keeps its origin (module and node ordinal), so a finding about it lands
where it is written. Names, imports (re-exports included), class attributes (inherited ones
too), function returns, `os.getenv` defaults, conditionals and dict reads are followed;
anything else is `UNKNOWN`. Answers for names, returns and members are memoised, and a
name met again while it is being resolved (a cycle) counts as unknown, so the work is
linear in the size of the summaries.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import Final, Union

from lint_wb.analysis.sdk_names import (
    CLIENT_CLASSES,
    COPY_KEYWORDS,
    DERIVING_METHODS,
    ENV_GETTERS,
    RETARGETING_KEYWORDS,
    SECRET_READER,
    SECRET_VALUE,
    SECRET_WRAPPERS,
)
from lint_wb.analysis.string_methods import (
    MAX_MADE,
    STRING_METHODS,
    STRIP_METHODS,
    applied,
    leaves_literal,
)
from lint_wb.analysis.view_paths import Path as ViewPath
from lint_wb.analysis.view_paths import below
from lint_wb.project import summary as s

FIELD_BASES: Final = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic_settings.BaseSettings",
        "pydantic.BaseSettings",
        "typing.NamedTuple",
    }
)
"""Bases whose subclasses take their fields from the constructor's keywords."""
POSITIONAL_BASES: Final = frozenset({"typing.NamedTuple"})
"""... and from its positional arguments, in the order of the fields (as a dataclass)."""
FIELD_DEFAULTS: Final = frozenset({"pydantic.Field", "pydantic.fields.Field", "dataclasses.field"})
"""A class attribute declared with a default (`url: str = Field(default="https://...")`): the
default, or whatever the instance is built with (a settings class also reads the environment)."""
PROPERTY_DECORATORS: Final = frozenset({"property", "cached_property"})
MAX_DEPTH: Final = 120
MAX_WRITTEN_HOPS: Final = 20
"""How many names and imports `Resolver.written` follows (a cycle of imports ends there)."""
EXTERNAL_ROOTS: Final = frozenset(
    {*getattr(sys, "stdlib_module_names", ("os", "functools", "typing")), "openai"}
)
"""Packages an import names that are never the project's own, even by a dotted suffix."""


# Values. They look like some of the summary's expressions (`FunctionValue` beside
# `summary.FunctionRef`, `ModuleValue` beside `summary.ModuleObj`) and are kept apart on
# purpose: an expression is what one module's text says, read in a scope of that module and
# cached with its summary; a value is what the whole project makes of it, with the module it
# belongs to (`ModuleObj("app.llm")` is a name as imported, perhaps not the project's;
# `ModuleValue` is a project module). One class for both would let an unresolved expression
# pass for a resolved value, which the type checker now catches.


@dataclass(frozen=True)
class Origin:
    """Where a value is written: its module and the node that holds it."""

    module: str
    node: int
    """The node's ordinal (`analysis.ordinals.number_nodes`); -1 for text inside an f-string."""


@dataclass(frozen=True)
class LitValue:
    """A literal value (str, number, bool, None) and where it is written."""

    value: s.Scalar
    origin: Origin
    plain: bool = True
    """Written as one literal a fix may rewrite (not an f-string or a concatenation)."""


@dataclass(frozen=True)
class External:
    """Something from outside the project: `openai.OpenAI`, `os.getenv`."""

    name: str


@dataclass(frozen=True)
class ModuleValue:
    """A module of the project, as a name bound by an import."""

    module: str


@dataclass(frozen=True)
class FunctionValue:
    """A function of the project (its module and qualified name)."""

    module: str
    qualname: str


@dataclass(frozen=True)
class ClassValue:
    """A class of the project, the class itself (not an instance)."""

    module: str
    qualname: str


@dataclass(frozen=True)
class InstanceValue:
    """An instance of a class of the project."""

    module: str
    qualname: str
    built: s.Call | None = None
    """The call that built it, for a class whose constructor sets its fields (a dataclass,
    a pydantic model): its keywords are the fields' values. None: an instance of the class
    built anywhere (`self` in a method whose callers are not all in sight)."""
    built_in: str = ""
    """The module `built` is written in."""


@dataclass(frozen=True)
class ClientValue:
    """An OpenAI client constructed at `call` in `module`."""

    module: str
    call: s.Call
    class_name: str
    set_url: s.Expr | None = None
    """The `base_url` set on it before it can send (`summary.UrlSetting`), read in `module`."""


@dataclass(frozen=True)
class DerivedClientValue:
    """The client `base.with_options(...)` / `base.copy(...)` makes at `call` in `module`,
    given a keyword that may change where it sends requests (`sdk_names.DERIVING_METHODS`)."""

    module: str
    call: s.Call
    base: ClientValue | DerivedClientValue

    @property
    def class_name(self) -> str:
        return self.base.class_name


@dataclass(frozen=True)
class ClientMethod:
    """`client.with_options` / `client.copy`, the bound method, not yet called."""

    client: ClientValue | DerivedClientValue
    name: str


@dataclass(frozen=True)
class StringMethod:
    """`text.strip` (`lower`, `removesuffix`, ...) of a known string, the bound method, not yet
    called (`analysis/string_methods.py`)."""

    text: LitValue
    name: str


@dataclass(frozen=True)
class LibraryCallValue:
    """What a call of a library callable makes (`OpenAIProvider(base_url=...)`,
    `OpenAIChatCompletionsModel(...)`): where it connects is read through its row of
    `spec/libraries.toml` (`library_uses.py`)."""

    module: str
    call: s.Call
    name: str
    """The callable's qualified name (`pydantic_ai.providers.openai.OpenAIProvider`)."""


@dataclass(frozen=True)
class DictValue:
    """A dict literal of the project, read key by key."""

    module: str
    expr: s.DictExpr
    stored: frozenset[str] = frozenset()
    """The keys the code stores to it (`MODELS["other"] = ...`), when such stores are its only
    changes: a lookup under another literal key still reads the literal's entry
    (`Resolver._dict_read`); anything else that reads the dict takes it as unknown
    (`intact`), as it takes a dict changed otherwise."""
    handed: bool = False
    """It is handed on (`ModuleSummary.handed`), or another module may change it: a lookup
    under a key is not known (other reads take it as written, as before)."""
    views: frozenset[ViewPath] = frozenset()
    """The paths under which it may be changed through a view of a container that holds it,
    or of itself (`ModuleSummary.views`), from it down: the empty path, as `handed`; a
    lookup passes on those under the entry it reads (`_viewed`)."""

    @property
    def intact(self) -> bool:
        """No store under a key changed it: what is read of it whole is as written."""
        return not self.stored


@dataclass(frozen=True)
class ItemsValue:
    """A list or tuple literal of the project, read item by item."""

    module: str
    expr: s.Items
    views: frozenset[ViewPath] = frozenset()
    """As `DictValue.views`: with the empty path, an item read is not known."""


@dataclass(frozen=True)
class DictGet:
    """The bound method `MAP.get`."""

    target: DictValue


class _Unknown:
    def __init__(self, name: str = "UNKNOWN") -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Final = _Unknown()
ARGUMENT: Final = _Unknown("ARGUMENT")
"""Whatever a caller the project cannot see passes a parameter: unknown like `UNKNOWN`, and
more, it makes a client or base URL unknown (`def make_client(url=WANDB_URL)` called with
another provider's URL somewhere out of sight), where a plain `UNKNOWN` beside a URL (an
environment variable's default) does not."""
SAFE_DECORATORS: Final = frozenset(
    {"property", "cached_property", "lru_cache", "cache", "staticmethod", "classmethod", "wraps"}
)
"""Decorators that leave a function called only where the code calls it (a route or command
decorator registers it to be called by a framework, with arguments the project cannot see)."""

Value = Union[
    LitValue, External, ModuleValue, FunctionValue, ClassValue, InstanceValue, ClientValue,
    DerivedClientValue, ClientMethod, LibraryCallValue, DictValue, ItemsValue, DictGet,
    StringMethod, _Unknown,
]  # fmt: skip
Values = frozenset[Value]
NOTHING: Final[Values] = frozenset()
UNKNOWN_ONLY: Final[Values] = frozenset({UNKNOWN})

SummaryOf = Callable[[str], Union[s.ModuleSummary, None]]
Mentions = Callable[[str, Union[str, None]], Sequence[str]]
UrlStores = Callable[[], Mapping[str, int]]
"""The modules of the project that may store a `base_url`, with how many stores each may
make (`signals.url_store_mentions`)."""
"""The project modules whose text holds a name, where calls of the function or class the
module given defines may stand (`_Project.callers`); every such module for None."""
MAX_CALLER_MODULES: Final = 40
"""More modules naming a function than this, and its calls are not looked for (a method
called `run` or `create`): its parameters are unknown, and the index stays cheap."""
CallSite = tuple[str, s.Call, int]
"""A call of a function: the module it stands in, the call, and how many parameters it
fills implicitly (1 for `self` / `cls`)."""


@dataclass(frozen=True)
class Narrowed:
    """A parameter of a function in `module` known to equal one of `allowed` where a value is
    followed: the call followed stands behind `if provider == Provider.WANDB:`."""

    module: str
    param: s.Param
    allowed: frozenset[str]
    excluded: bool = False
    """True: the parameter equals none of `allowed` (`Guard.excluded`)."""

    def fails(self, options: frozenset[str]) -> bool:
        """Whether a value certainly one of `options` fails the test."""
        return options <= self.allowed if self.excluded else options.isdisjoint(self.allowed)


@dataclass(frozen=True)
class SelfNarrowed:
    """A field of `self` in the method `method` of `module` known to be one of `allowed`
    where a value is followed: the method passes `self.provider` on to a call that stands
    behind `if provider == "wandb":` (`within`: the values an `Enum` lookup of it takes,
    `Provider(self.provider)`; None when the field is passed as it is)."""

    module: str
    method: str
    field: str
    allowed: frozenset[str]
    within: frozenset[str] | None = None
    excluded: bool = False
    """True: the field equals none of `allowed` (`Guard.excluded`)."""


Narrowing = frozenset[Union[Narrowed, SelfNarrowed]]
NO_NARROWING: Final[Narrowing] = frozenset()
ENUM_BASES: Final = frozenset({External("enum.Enum"), External("enum.StrEnum")})
ENUM_OVERRIDES: Final = frozenset({"__eq__", "__new__", "__init__"})
"""Methods that make an `Enum`'s members other than its plain values."""


@dataclass(frozen=True)
class FieldClass:
    """What the constructor of a dataclass, a pydantic model or a `NamedTuple` sets."""

    names: frozenset[str]
    """The fields a keyword sets (inherited ones too)."""
    positional: tuple[str, ...] | None
    """The fields positional arguments fill, in order; None when not known (a pydantic
    model takes none)."""
    settled: frozenset[str]
    """The fields no method of the class sets: the constructor's value is the value."""
    declares: bool = True
    """Whether a subclass declares fields only when it is a dataclass itself (a pydantic
    model's subclass declares them by its annotations alone)."""

    def extended(self, own: FieldClass, *, positional: bool) -> FieldClass:
        """A subclass's fields: these, then its own new ones (a field declared again keeps
        its place and takes the subclass's default)."""
        order: tuple[str, ...] | None = None
        if positional and self.positional is not None and own.positional is not None:
            order = (*self.positional, *(n for n in own.positional if n not in self.positional))
        settled = (self.settled - own.names) | own.settled
        return FieldClass(self.names | own.names, order, settled, self.declares)

    def unchanged_by(self, cls: s.ClassSummary) -> FieldClass:
        """The fields as a subclass that declares none sees them (its methods may set some)."""
        return replace(self, settled=frozenset(n for n in self.settled if _settled(cls, n)))


def may_be_any(values: Values) -> bool:
    """Whether an argument the project cannot see may stand for any of `values`."""
    return ARGUMENT in values


class ModuleNames:
    """Which module an import names: exactly, by its name from the project's root, or by a
    unique dotted suffix (the import root of a project is not always known: `app.llm` vs
    `src.app.llm`)."""

    def __init__(
        self,
        names: Iterable[str] | Mapping[str, Path],
        rooted: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        """`rooted` gives a module's dotted name from the root of its project -> the module,
        for a module under folders without an `__init__.py` (namespace packages:
        `resume.client` for `resume/client.py`, named `client`), as Python imports it with
        the root on `sys.path`; asked only when a name is not found exactly (most imports
        name a module by its name, or a library: a project of scripts in folders would make
        all of its thousands of modules' rooted names for nothing)."""
        self.names = frozenset(names)
        self._rooted_of = rooted
        self._paths: Mapping[str, Path] = names if isinstance(names, Mapping) else {}

    @cached_property
    def rooted(self) -> Mapping[str, str]:
        """The rooted names (not under a folder named as a standard library package: Python
        finds that first)."""
        given = {} if self._rooted_of is None else self._rooted_of()
        return {d: name for d, name in given.items() if d.split(".")[0] not in EXTERNAL_ROOTS}

    @cached_property
    def _suffixes(self) -> dict[str, list[str]]:
        """Each dotted suffix of a module's name or rooted name -> the modules ending so. Of a
        rooted name, only the suffixes longer than the module's own name (`resume.client`
        of `src.resume.client`): a shorter one is the module's name or a suffix of it, by
        which a script's neighbours import it, and is kept as it was."""
        suffixes: dict[str, list[str]] = {}
        for name in self.names:
            parts = name.split(".")
            for start in range(1, len(parts)):
                suffixes.setdefault(".".join(parts[start:]), []).append(name)
        for dotted, name in self.rooted.items():
            parts, own = dotted.split("."), len(name.split("[")[0].split("."))
            for start in range(1, len(parts) - own):
                found = suffixes.setdefault(".".join(parts[start:]), [])
                if name not in found:
                    found.append(name)
        return suffixes

    def find(self, dotted: str) -> str | None:
        if dotted in self.names:
            return dotted
        if dotted.split(".")[0] in EXTERNAL_ROOTS:
            return None
        rooted = self.rooted.get(dotted)
        if rooted is not None:
            return rooted
        found = self._suffixes.get(dotted, [])
        return found[0] if len(found) == 1 else None

    def beside(self, dotted: str, importer: str) -> str | None:
        """The module `import dotted` names in the script `importer` (a module in no
        package) when no other way names one: the file beside the script (`client.py`, or
        `client/__init__.py`), as Python runs a script with its own folder first on
        `sys.path`. Two scripts of one name in two folders each import their own
        neighbour (`resume/main.py` and `jobs/main.py`: `from client import client`)."""
        path = self._paths.get(importer)
        if path is None or "." in importer.split("[")[0]:
            return None
        relative = dotted.replace(".", "/")
        for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
            found = self._by_path.get(str(path.parent / candidate))
            if found is not None:
                return found
        return None

    @cached_property
    def _by_path(self) -> dict[str, str]:
        return {str(path): module for module, path in self._paths.items()}

    def rooted_module(self, dotted: str) -> str | None:
        """The module whose rooted name is exactly `dotted` (`import resume.client`, then
        `resume.client.x`: `resume` is no module, its attribute is)."""
        if dotted.split(".")[0] in EXTERNAL_ROOTS:
            return None
        return self.rooted.get(dotted)


def _unchanged(values: Values) -> Values:
    """What a name that may be mutated holds: a list or dict it is bound to may have been
    changed before it is read, so those are unknown (a string or a client is still itself)."""
    if not any(isinstance(value, (DictValue, ItemsValue)) for value in values):
        return values
    kept = {value for value in values if not isinstance(value, (DictValue, ItemsValue))}
    return frozenset({*kept, UNKNOWN})


def _keyed(values: Values, stored: frozenset[str], handed: bool) -> Values:
    """What a name holds whose only changes are stores under the literal keys `stored`, and
    that may be handed on: a dict it is bound to is read key by key past those stores
    (`DictValue.stored`, `DictValue.handed`); a list stored to is unknown (`_unchanged`)."""
    kept: set[Value] = set()
    for value in values:
        if isinstance(value, DictValue):
            kept.add(replace(value, stored=value.stored | stored, handed=value.handed or handed))
        elif isinstance(value, ItemsValue) and stored:
            kept.add(UNKNOWN)
        else:
            kept.add(value)
    return frozenset(kept)


def _nests(value: Value) -> bool:
    """Whether `value` is a list or tuple literal that may hold a container (an item not a
    literal): what is changed through a view of it matters only then (`_viewed`)."""
    return type(value) is ItemsValue and not all(type(item) is s.Lit for item in value.expr.items)


def _viewed(values: Values, paths: frozenset[ViewPath]) -> Values:
    """`values`, each dict or list literal among them with `paths` added to its views."""
    if not paths:
        return values
    kept: set[Value] = set()
    for value in values:
        if isinstance(value, (DictValue, ItemsValue)):
            kept.add(replace(value, views=value.views | paths))
        else:
            kept.add(value)
    return frozenset(kept)


def _retargetable(values: Values, setting: s.UrlSetting | None, module: str) -> Values:
    """What a name given a `name.base_url = ...` holds: a client bound to it may send
    elsewhere than where it was built to, so where is unknown (`summary.url_stores`), but for
    the client `setting` proves is sent to its value."""
    if not any(isinstance(value, (ClientValue, DerivedClientValue)) for value in values):
        return values
    kept: set[Value] = set()
    for value in values:
        if not isinstance(value, (ClientValue, DerivedClientValue)):
            kept.add(value)
        elif _set_by(value, setting, module):
            assert isinstance(value, ClientValue) and setting is not None
            kept.add(replace(value, set_url=setting.value))
        else:
            kept.add(UNKNOWN)
    return frozenset(kept)


def _set_by(
    value: ClientValue | DerivedClientValue, setting: s.UrlSetting | None, module: str
) -> bool:
    return (
        setting is not None
        and isinstance(value, ClientValue)
        and value.module == module
        and value.call.node == setting.built
        and value.set_url is None
    )


class Resolver:
    def __init__(
        self,
        modules: ModuleNames,
        summary_of: SummaryOf,
        client_classes: Mapping[str, str] | None = None,
        library_callables: frozenset[str] = frozenset(),
        mentions: Mentions | None = None,
        url_stores: UrlStores | None = None,
    ) -> None:
        self.modules = modules
        self.url_stores = url_stores
        self._settings_hold: dict[str, bool] = {}
        self.summary_of = summary_of
        self.mentions = mentions
        self._call_sites: dict[tuple[str, str], list[CallSite] | None] = {}
        self.client_classes = {**CLIENT_CLASSES, **(client_classes or {})}
        """Qualified name -> OpenAI client class, re-exports included (`agents.AsyncOpenAI`)."""
        self.library_callables = library_callables
        """Qualified names of library callables: a call of one is a :class:`LibraryCallValue`."""
        self._memo: dict[tuple[object, ...], Values] = {}
        self._starred: dict[tuple[str, str], str | _Unknown | None] = {}
        self._elsewhere: dict[tuple[str, str], bool] = {}
        self._viewed: dict[tuple[str, str], frozenset[ViewPath]] = {}
        """`_viewed_elsewhere` and `_attribute_viewed_elsewhere` by (module, name)."""
        """`_changed_elsewhere` by (module, name)."""
        self._field_classes: dict[tuple[str, str], FieldClass | None] = {}
        self._active: set[tuple[object, ...]] = set()
        self._depth = 0
        self.needs_whole: set[str] = set()
        """Modules a lookup found a name of only in statements their partial parse left out
        (`ModuleSummary.dropped`): what was resolved meanwhile is not final, the index is
        made again with those modules read whole."""

    def setting_holds(self, module: str) -> bool:
        """Whether no store of a `base_url` made elsewhere in the project can reach the client
        `module`'s `url_setting` proves set: the module makes one store (its bytes say so
        too), and each other module that may store one makes only its own certain one, on a
        client it has just built (`url_setter.certain_build`). Any other store (on an
        imported client, an attribute of an imported module, an alias, a parameter, in a
        module the index does not read) may move it: where it sends is then unknown.
        Unknown too without the project's byte count."""
        if module not in self._settings_hold:
            stores = self.url_stores() if self.url_stores is not None else None
            self._settings_hold[module] = (
                stores is not None
                and stores.get(module) == 1
                and all(
                    other == module or (count == 1 and self._sets_own_client(other))
                    for other, count in stores.items()
                )
            )
        return self._settings_hold[module]

    def _sets_own_client(self, module: str) -> bool:
        summary = self.summary_of(module)
        return summary is not None and summary.url_setting is not None

    # -------------------------------------------------------------- memo and cycle guard
    def _memoised(self, key: tuple[object, ...], compute: Callable[[], Values]) -> Values:
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._active or self._depth > MAX_DEPTH:
            return UNKNOWN_ONLY
        self._active.add(key)
        self._depth += 1
        try:
            result = compute()
        finally:
            self._depth -= 1
            self._active.discard(key)
        self._memo[key] = result
        return result

    # -------------------------------------------------------------- expressions
    def values(self, module: str, expr: s.Expr) -> Values:
        """What `expr`, read in `module`, may be."""
        method = getattr(self, f"_{type(expr).__name__}")
        result: Values = method(module, expr)
        return result

    def _Lit(self, module: str, expr: s.Lit) -> Values:
        return frozenset({LitValue(expr.value, Origin(module, expr.node))})

    def _Opaque(self, module: str, expr: s.Opaque) -> Values:
        return UNKNOWN_ONLY

    def _Var(self, module: str, expr: s.Var) -> Values:
        summary = self.summary_of(module)
        scope: str | None = expr.scope
        while summary is not None and scope is not None:
            found = summary.scopes.get(scope)
            if found is None:
                break
            if not scope and summary.star_imports:
                starred = self.star_source(module, expr.name)
                if starred is UNKNOWN:
                    return UNKNOWN_ONLY
                if isinstance(starred, str):
                    return self.member_of_module(starred, expr.name)
            if expr.name in found.names:
                key = ("var", module, scope, expr.name)
                written = found.names[expr.name]
                compute = (
                    partial(self._self_in, module, scope, written)
                    if isinstance(written, s.SelfOf) and scope in summary.functions
                    else partial(self.values, module, written)
                )
                bound = self._memoised(key, compute)
                if summary.url_stores and summary.stores_url(scope, expr.name):
                    setting = summary.url_setting
                    named = (
                        setting is not None
                        and (setting.scope, setting.name) == (scope, expr.name)
                        and self.setting_holds(module)
                    )
                    bound = _retargetable(bound, setting if named else None, module)
                return self._changed(module, summary, scope, expr.name, bound)
            scope = found.parent
        return UNKNOWN_ONLY  # a builtin, or a name bound by `import *` of no project module

    def _changed(
        self, module: str, summary: s.ModuleSummary, scope: str, name: str, bound: Values
    ) -> Values:
        """What `name`, bound in `scope`, holds given how the code may change it: a dict
        changed only by stores under literal keys, or handed on (here, or by another module
        that may change it: `_changed_elsewhere`), is read key by key (`_keyed`); one changed
        otherwise is unknown (`_unchanged`)."""
        mutated = summary.mutates(scope, name)
        if not mutated and scope and not summary.handed and not summary.views:
            return bound  # the common case, asked of every name resolved: no dict to read
        stored = summary.stored_keys(scope, name) if mutated else frozenset()
        if stored is None:
            return _unchanged(bound)
        if not any(type(value) is DictValue for value in bound):
            if stored or not any(_nests(value) for value in bound):
                return _unchanged(bound) if stored else bound
            return _viewed(bound, self._views(module, summary, scope, name))
        handed = summary.hands(scope, name) or (not scope and self._changed_elsewhere(module, name))
        keyed = _keyed(bound, stored, handed) if stored or handed else bound
        return _viewed(keyed, self._views(module, summary, scope, name))

    def _views(
        self, module: str, summary: s.ModuleSummary, scope: str, name: str
    ) -> frozenset[ViewPath]:
        """The paths under which what `name`, bound in `scope`, holds may be changed through
        a view (`ModuleSummary.views`): here, or, for a module-level name, in another module
        that may import it (`_viewed_elsewhere`)."""
        here = summary.views_of(scope, name) if summary.views else frozenset()
        return here if scope else here | self._viewed_elsewhere(module, name)

    def _viewed_elsewhere(self, module: str, name: str) -> frozenset[ViewPath]:
        """The paths under which another module may change `module`'s module-level `name`
        through a view: of a name it imports (`from config import ROLES`) or of an
        attribute `name` (`config.ROLES["chat"]`), as `_changed_elsewhere` finds changes."""
        key = (module, name)
        found = self._viewed.get(key)
        if found is None:
            found = self._viewed[key] = self._find_viewed_elsewhere(module, name)
        return found

    def _find_viewed_elsewhere(self, module: str, name: str) -> frozenset[ViewPath]:
        if self.mentions is None:
            return frozenset()
        found: set[ViewPath] = set()
        for other in self.mentions(name, module):
            summary = self.summary_of(other)
            if other == module or summary is None:
                continue  # no summary: `_changed_elsewhere` takes it as changed
            found |= summary.attribute_views(name)
            for local in (name, *summary.aliases.get(name, ())):
                found |= summary.views_of_import(local)
        return frozenset(found)

    def _changed_elsewhere(self, module: str, name: str) -> bool:
        """Whether another module may change `module`'s module-level `name`: one that may
        import `module` and changes, stores to or hands on a name `name` (imported, perhaps
        under another name) or an attribute `name` (`config.MODELS["fast"] = ...`,
        `from config import MODELS; MODELS.update(...)`). A store there is not placed: a
        lookup under any key is unknown. Such a module whose partial parse left out a
        statement naming it is read whole (`needs_whole`)."""
        key = (module, name)
        found = self._elsewhere.get(key)
        if found is None:
            found = self._elsewhere[key] = self._find_changed_elsewhere(module, name)
        return found

    def _find_changed_elsewhere(self, module: str, name: str) -> bool:
        if self.mentions is None:
            return False
        for other in self.mentions(name, module):
            if other == module:
                continue
            summary = self.summary_of(other)
            if summary is None:
                return True
            names = (name, *summary.aliases.get(name, ()))
            if any(local in summary.dropped for local in names):
                self.needs_whole.add(other)
            if name in summary.mutated_attributes or name in summary.handed_attributes:
                return True
            if any(summary.changes_import(local) for local in names):
                return True
        return False

    def _Imported(self, module: str, expr: s.Imported) -> Values:
        if self.modules.find(expr.module) == module:
            # `from . import llm` in a package's `__init__`: the import binds its submodule
            submodule = self.modules.find(f"{module}.{expr.name}")
            if submodule is not None:
                return frozenset({ModuleValue(submodule)})
        return self.member_of_module(expr.module, expr.name, module)

    def find_module(self, dotted: str, importer: str) -> str | None:
        """The project module an import of `dotted` in `importer` names (`ModuleNames.find`;
        else, in a script, its neighbour of that name: `ModuleNames.beside`)."""
        found = self.modules.find(dotted)
        return found if found is not None else self.modules.beside(dotted, importer)

    def member_of_module(self, dotted: str, name: str, importer: str | None = None) -> Values:
        """`name` as `from dotted import name` finds it (written in `importer`)."""
        target = self.modules.find(dotted)
        if target is None and importer is not None:
            target = self.modules.beside(dotted, importer)
        if target is None:
            submodule = self.modules.find(f"{dotted}.{name}")
            if submodule is not None:
                return frozenset({ModuleValue(submodule)})
            return frozenset({External(f"{dotted}.{name}")})
        summary = self.summary_of(target)
        if summary is not None and (
            name in summary.scopes[""].names
            or (summary.star_imports and self.star_source(target, name) is not None)
        ):
            return self._Var(target, s.Var("", name))
        if summary is not None and name in summary.dropped:
            self.needs_whole.add(target)
        submodule = self.modules.find(f"{target}.{name}")
        return frozenset({ModuleValue(submodule)}) if submodule is not None else UNKNOWN_ONLY

    def written(self, module: str, expr: s.Expr) -> tuple[str, s.Expr]:
        """The expression a name is bound to, followed through names and imports (a
        constant of another module: `from config import KEY`), with the module it is
        written in; `expr` itself when it is no such name, or one bound more than once."""
        for _ in range(MAX_WRITTEN_HOPS):
            found = self._bound(module, expr)
            if found is None:
                break
            module, expr = found
        return module, expr

    def read_source(self, module: str, expr: s.Expr) -> tuple[str, s.Expr]:
        """The expression a value is read from, with its module, as the module's own analysis
        follows it (`analysis.values.Resolver.read_source`): through names and imports
        (:meth:`written`), strips (`x.strip()` reads what `x` reads), pydantic's
        `SecretStr(x)` and `x.get_secret_value()`, and calls of a function of the project
        whose every `return` returns one expression."""
        module, expr, _ = self.key_source(module, expr)
        return module, expr

    def key_source(self, module: str, expr: s.Expr) -> tuple[str, s.Expr, bool]:
        """:meth:`read_source`, and whether it went through a function (whose other callers
        may read the same value)."""
        through_function = False
        for _ in range(MAX_WRITTEN_HOPS):
            module, expr = self.written(module, expr)
            if not isinstance(expr, s.Call):
                break
            if isinstance(expr.func, s.Attr) and expr.func.name in STRIP_METHODS:
                expr = expr.func.value
                continue
            func = expr.func
            if isinstance(func, s.Attr) and func.name == SECRET_READER and _no_arguments(expr):
                expr = func.value  # `KEY.get_secret_value()` reads what `KEY` holds
                through_function = True  # its other readers are not searched: no fix
                continue
            functions = self.values(module, expr.func)
            wrapped = _secret_value(expr)
            if (
                wrapped is not None
                and functions
                and all(
                    isinstance(value, External) and value.name in SECRET_WRAPPERS
                    for value in functions
                )
            ):
                expr, through_function = wrapped, True
                continue
            function = next(iter(functions)) if len(functions) == 1 else None
            if not isinstance(function, FunctionValue):
                break
            summary = self.summary_of(function.module)
            found = None if summary is None else summary.functions.get(function.qualname)
            if found is None:
                break
            module, expr = function.module, found.returns
            through_function = True
        return module, expr, through_function

    def written_names(self, module: str, expr: s.Expr) -> tuple[list[tuple[str, str]], str, s.Expr]:
        """:meth:`written`, with the module-level names it is followed through (each with
        its module, in order): names another module may import."""
        names: list[tuple[str, str]] = []
        for _ in range(MAX_WRITTEN_HOPS):
            found = self._bound(module, expr, names)
            if found is None:
                break
            module, expr = found
        return names, module, expr

    def _bound(
        self, module: str, expr: s.Expr, names: list[tuple[str, str]] | None = None
    ) -> tuple[str, s.Expr] | None:
        """`names`: the module-level names found, with their module, appended to."""
        if isinstance(expr, (s.Imported, s.Attr)):
            target = self._constant_module(module, expr)
            if target is None:
                return None
            module, expr = target, s.Var("", expr.name)
        if not isinstance(expr, s.Var):
            return None
        summary = self.summary_of(module)
        scope: str | None = expr.scope
        while summary is not None and scope is not None:
            found = summary.scopes.get(scope)
            if found is None:
                return None
            if not scope and summary.star_imports:
                starred = self.star_source(module, expr.name)
                if starred is UNKNOWN:
                    return None
                if isinstance(starred, str):
                    return starred, s.Var("", expr.name)
            if expr.name in found.names:
                if summary.mutates(scope, expr.name):
                    return None
                if names is not None and not scope:
                    names.append((module, expr.name))
                return module, found.names[expr.name]
            scope = found.parent
        return None

    def given_keywords(self, module: str, call: s.Call) -> tuple[dict[str, s.Expr], bool]:
        """The keywords the call at `call` (in `module`) gives, with the string keys of each
        `**` dict it spreads that the module spells out: a dict literal in the call, or a
        name bound once to one (in the call's scope or one around it) and changed only by
        stores under literal keys (`kwargs["project"] = ...`), whose keys then have an
        unknown value: a store under one key cannot change another (as the module's own
        analysis reads it: `analysis/dicts.py`). And whether those are certainly all: not
        when a spread cannot be read or a key may have been stored."""
        if call.complete:
            return dict(call.keywords), True
        found = dict(call.keywords)
        complete = not call.starred
        for spread in call.spreads:
            entries = self._spread_entries(module, spread)
            if entries is None:
                complete = False
                continue
            read, certain = entries
            found.update(read)
            complete &= certain
        return found, complete

    def _spread_entries(self, module: str, spread: s.Expr) -> tuple[dict[str, s.Expr], bool] | None:
        """The entries of a `**` dict the module spells out (see `given_keywords`), and
        whether no key was stored to it; None when it cannot be read."""
        keys: frozenset[str] = frozenset()
        if isinstance(spread, s.Var):
            keyed = self._keyed_dict(module, spread)
            if keyed is None:
                return None
            spread, keys = keyed
        if not isinstance(spread, s.DictExpr):
            return None
        entries: dict[str, s.Expr] = {}
        for key, value in spread.entries:
            if not (isinstance(key, s.Lit) and isinstance(key.value, str)):
                return None
            entries[key.value] = value
        entries.update((key, s.OPAQUE) for key in keys)
        return entries, not keys

    def _keyed_dict(self, module: str, expr: s.Var) -> tuple[s.Expr, frozenset[str]] | None:
        """What the name is bound to in its module, with the keys stored to it, when stores
        under literal keys are its only changes (`ModuleSummary.stored_keys`)."""
        summary = self.summary_of(module)
        scope: str | None = expr.scope
        while summary is not None and scope is not None:
            found = summary.scopes.get(scope)
            if found is None or (not scope and summary.star_imports):
                return None
            if expr.name in found.names:
                keys = summary.stored_keys(scope, expr.name)
                if keys is None or summary.hands(scope, expr.name):
                    return None
                if not scope and self._changed_elsewhere(module, expr.name):
                    return None
                return found.names[expr.name], keys
            scope = found.parent
        return None

    def _constant_module(self, module: str, expr: s.Imported | s.Attr) -> str | None:
        """The project module `from M import name` or `m.name` reads `name` from."""
        if isinstance(expr, s.Imported):
            return self.find_module(expr.module, module)
        found = self.values(module, expr.value)
        if len(found) != 1:
            return None
        (value,) = found
        return value.module if isinstance(value, ModuleValue) else None

    # -------------------------------------------------------------- star imports
    def star_source(self, module: str, name: str) -> str | _Unknown | None:
        """The project module a `from m import *` of `module` binds `name` from (its value
        is that module's `name`); `UNKNOWN` when one may bind it or not (a star import in an
        `if`/`try` arm, one of a module outside the project or whose `__all__` is not a
        literal list); None when none binds it, or the module binds it again after the last
        that may (its own binding is the live one, as without star imports)."""
        key = (module, name)
        if key not in self._starred:
            self._starred[key] = self._star_source(module, name)
        return self._starred[key]

    def _star_source(self, module: str, name: str) -> str | _Unknown | None:
        summary = self.summary_of(module)
        stars = () if summary is None else summary.star_imports
        for star in reversed(stars):  # the last star import that binds the name wins
            if name in star.rebound:
                return None
            target = self.modules.find(star.module) if star.module else None
            exported = None if target is None else self._exports(target, name, {module})
            if exported is False:
                continue
            return target if exported and target and not star.conditional else UNKNOWN
        return None

    def _exports(self, module: str, name: str, seen: set[str]) -> bool | None:
        """Whether `from module import *` binds `name`: the names of its `__all__` when that
        is a literal list or tuple of strings, else its names that do not start with `_`
        (its own and those its star imports bind); None when that is not known here."""
        summary = self.summary_of(module)
        if summary is None:
            return None
        names = summary.scopes[""].names
        if "__all__" in names:
            public = summary.exports
            return None if public is None else name in public
        if name.startswith("_"):
            return False
        if name in names:
            return True
        if name in summary.dropped:
            self.needs_whole.add(module)
            return None
        seen.add(module)
        exported: bool | None = False
        for star in summary.star_imports:
            target = self.modules.find(star.module) if star.module else None
            if target is None:
                return None  # a module outside the project may bind any name
            if target not in seen:
                found = self._exports(target, name, seen)
                exported = None if found is None else exported or found
        return exported

    def _ModuleObj(self, module: str, expr: s.ModuleObj) -> Values:
        found = self.find_module(expr.module, module)
        return frozenset({ModuleValue(found) if found is not None else External(expr.module)})

    def _Param(self, module: str, expr: s.Param) -> Values:
        return self._param(module, expr, NO_NARROWING)

    def _param(self, module: str, expr: s.Param, narrowing: Narrowing) -> Values:
        """What the calls of the project pass the parameter (its default where a call passes
        nothing), when every call of the function is in sight; else its default, or any
        value (`ARGUMENT`). With `narrowing` (tests other parameters of the function pass
        where the value is followed), a call that certainly fails one of them is left out.
        A call standing behind a test in its own function (`if provider == "wandb":`) has
        its arguments followed only from the callers that may pass that test."""
        default = None if expr.default is None else self.values(module, expr.default)
        unseen = frozenset({ARGUMENT}) | self._instances_of(module, expr.annotation)
        sites = self.call_sites(module, expr.function)
        if not sites:
            return (default or NOTHING) | unseen
        result: set[Value] = set()
        for site_module, call, implicit in sites:
            held = self._held_at(site_module, call.node)
            if narrowing:
                site = (site_module, call, implicit)
                passes, carried = self._may_pass(module, site, narrowing, held)
                if not passes:
                    continue
                held |= carried
            argument = _argument(call, expr, implicit)
            if argument is not None:
                found = self._narrowed(site_module, argument, held)
                result |= found - UNKNOWN_ONLY
                result |= unseen if UNKNOWN in found else NOTHING
            elif call.complete and default is not None:
                result |= default
            else:
                result |= unseen
        return frozenset(result)

    def _instances_of(self, module: str, annotation: s.Expr | None) -> Values:
        """What an argument no one can see is, by the parameter's annotation: an instance of
        the project class it names, built anywhere, as `self` is in a method whose callers are
        not all in sight (`def __init__(self, settings: Settings)`: `self.settings.url` may be
        the default of `Settings.url`). Nothing for any other annotation."""
        if annotation is None:
            return NOTHING
        return frozenset(
            InstanceValue(value.module, value.qualname)
            for value in self.values(module, annotation)
            if isinstance(value, ClassValue)
        )

    # -------------------------------------------------------------- narrowing by tests
    def values_at(self, module: str, node: int, expr: s.Expr) -> Values:
        """What `expr`, read in the call at `node` of `module`, may be: where the call
        stands behind a test of its function's parameters (`if provider == "wandb":`),
        a parameter passed on is followed only from the callers that may pass it."""
        held = self._held_at(module, node)
        return self._narrowed(module, expr, held) if held else self.values(module, expr)

    def _held_at(self, module: str, node: int) -> Narrowing:
        """What the tests the call at `node` stands behind say about its function's
        parameters."""
        summary = self.summary_of(module)
        guards = None if summary is None else summary.guards.get(node)
        return self._narrowing(module, guards) if guards else NO_NARROWING

    def _narrowing(self, module: str, guards: tuple[s.Guard, ...]) -> Narrowing:
        """What guards written in `module` say about the parameters of their function."""
        held: set[Narrowed] = set()
        for guard in guards:
            param = self._own_param(module, guard.subject)
            allowed = self._test_options(module, guard.options)
            if param is not None and allowed is not None:
                held.add(Narrowed(module, param, allowed, guard.excluded))
        return frozenset(held)

    def _may_pass(
        self, module: str, site: CallSite, narrowing: Narrowing, held: Narrowing
    ) -> tuple[bool, Narrowing]:
        """Whether the call at `site` may pass every test of `narrowing` (on parameters of
        the function it calls, in `module`), `held` holding where it stands; and the tests
        that carry over to the caller's own parameters where it passes one on
        (`self.complete(provider=provider)`)."""
        site_module, call, implicit = site
        carried: set[Narrowed | SelfNarrowed] = set()
        for narrowed in narrowing:
            assert isinstance(narrowed, Narrowed)
            argument = _argument(call, narrowed.param, implicit)
            options: frozenset[str] | None = None
            if argument is not None:
                options = self._strings(site_module, argument, held)
                passed_on = self._own_param(site_module, argument)
                if passed_on is not None:
                    carried.add(replace(narrowed, module=site_module, param=passed_on))
                field = self._self_field(site_module, argument)
                if field is not None:
                    method, _, name, within = field
                    allowed, excluded = narrowed.allowed, narrowed.excluded
                    carried.add(SelfNarrowed(site_module, method, name, allowed, within, excluded))
            elif argument is None and call.complete and narrowed.param.default is not None:
                options = self._strings(module, narrowed.param.default, NO_NARROWING)
            if options is not None and narrowed.fails(options):
                return False, NO_NARROWING
        return True, frozenset(carried)

    def _narrowed(self, module: str, expr: s.Expr, held: Narrowing) -> Values:
        """What `expr` may be where `held` holds: a parameter passed on is followed only from
        the callers that may pass the tests; a field of `self` from the instances that may
        pass them; anything else as `values` finds it."""
        field = self._self_field(module, expr) if held else None
        if field is not None and field[3] is None:
            return self._narrowed_field(module, field, held)
        param = self._own_param(module, expr) if held else None
        if param is None:
            return self.values(module, expr)
        narrowing = frozenset(
            n
            for n in held
            if isinstance(n, Narrowed) and n.module == module and n.param.function == param.function
        )
        if not narrowing:
            return self.values(module, expr)
        key = ("param", module, param, narrowing)
        found = self._memoised(key, partial(self._param, module, param, narrowing))
        summary = self.summary_of(module)
        assert isinstance(expr, s.Var)
        mutated = summary is not None and summary.mutates(expr.scope, expr.name)
        return _unchanged(found) if mutated else found

    def _self_field(
        self, module: str, expr: s.Expr
    ) -> tuple[str, s.Var, str, frozenset[str] | None] | None:
        """(method, `self`, field, within) of `self.provider` read in a method of a class
        whose fields its constructor sets, or of `Provider(self.provider)`, `Provider` an
        `Enum` of the project (`within`: its members' values)."""
        within: frozenset[str] | None = None
        if isinstance(expr, s.Call):
            if len(expr.args) != 1 or expr.keywords or not expr.complete:
                return None
            classes = list(self.values(module, expr.func))
            if len(classes) != 1 or not isinstance(classes[0], ClassValue):
                return None
            within = self._enum_values(classes[0])
            if within is None:
                return None
            expr = expr.args[0]
        if not isinstance(expr, s.Attr) or not isinstance(expr.value, s.Var):
            return None
        var = expr.value
        summary = self.summary_of(module)
        scope = None if summary is None else summary.scopes.get(var.scope)
        bound = None if scope is None else scope.names.get(var.name)
        if not isinstance(bound, s.SelfOf) or self._field_class(module, bound.cls) is None:
            return None
        return var.scope, var, expr.name, within

    def _narrowed_field(
        self,
        module: str,
        field: tuple[str, s.Var, str, frozenset[str] | None],
        held: Narrowing,
    ) -> Values:
        """A field of `self` read from the instances that may pass the tests of `held` on
        fields of theirs (an instance built with `provider="openai"` does not send its
        `model` behind `if provider == "wandb":`)."""
        method, var, name, _ = field
        tests = [
            n
            for n in held
            if isinstance(n, SelfNarrowed) and (n.module, n.method) == (module, method)
        ]
        result: set[Value] = set()
        for instance in self.values(module, var):
            if isinstance(instance, InstanceValue) and any(
                self._fails(instance, test) for test in tests
            ):
                continue
            result |= self.attribute(instance, name)
        return self._changed_attribute(module, name, frozenset(result))

    def _fails(self, instance: InstanceValue, test: SelfNarrowed) -> bool:
        """Whether the instance certainly fails the test on its field."""
        if instance.built is None:
            return False
        strings = _string_values(self.attribute(instance, test.field))
        if strings is None or (test.within is not None and not strings <= test.within):
            return False
        return strings <= test.allowed if test.excluded else strings.isdisjoint(test.allowed)

    def _own_param(self, module: str, expr: s.Expr) -> s.Param | None:
        """The parameter a name is, when it is one of the function it is read in and is
        never bound to anything else there."""
        if not isinstance(expr, s.Var):
            return None
        summary = self.summary_of(module)
        scope = None if summary is None else summary.scopes.get(expr.scope)
        bound = None if scope is None else scope.names.get(expr.name)
        return bound if isinstance(bound, s.Param) and bound.function == expr.scope else None

    def _test_options(self, module: str, options: tuple[s.Expr, ...]) -> frozenset[str] | None:
        """The strings a test compares with, when each option is one string (a literal, a
        constant, an `Enum` member); None when one is not known or compares its own way."""
        allowed: set[str] = set()
        for option in options:
            found = self.values(module, option)
            if isinstance(option, s.Attr) and not self._plain_equality(module, option.value):
                return None
            if len(found) != 1:
                return None
            (value,) = found
            if not isinstance(value, LitValue) or not isinstance(value.value, str):
                return None
            allowed.add(value.value)
        return frozenset(allowed)

    def _plain_equality(self, module: str, owner: s.Expr) -> bool:
        """Whether the members of `owner` (`Provider` in `Provider.WANDB`) compare as their
        values do: not a project class that defines its own `__eq__`."""
        for value in self.values(module, owner):
            if isinstance(value, ClassValue):
                found = self._class(value)
                if found is None or "__eq__" in found.methods:
                    return False
        return True

    def _class(self, value: ClassValue) -> s.ClassSummary | None:
        summary = self.summary_of(value.module)
        return None if summary is None else summary.classes.get(value.qualname)

    def _strings(self, module: str, expr: s.Expr, held: Narrowing) -> frozenset[str] | None:
        """The strings `expr` may be where `held` holds; None when it may be anything else."""
        if isinstance(expr, s.Call):
            member = self._enum_member(module, expr, held)
            if member is not None:
                return member
        strings: set[str] = set()
        for value in self._narrowed(module, expr, held):
            if not isinstance(value, LitValue) or not isinstance(value.value, str):
                return None
            strings.add(value.value)
        return frozenset(strings) or None

    def _enum_member(self, module: str, call: s.Call, held: Narrowing) -> frozenset[str] | None:
        """`Provider("openai")`, `Provider` an `Enum` of the project: the member whose value
        the argument is, as that value. A value no member has goes to `_missing_`, which may
        return any member: unknown."""
        if len(call.args) != 1 or call.keywords or not call.complete:
            return None
        classes = self.values(module, call.func)
        if len(classes) != 1:
            return None
        (cls,) = classes
        members = self._enum_values(cls) if isinstance(cls, ClassValue) else None
        given = None if members is None else self._strings(module, call.args[0], held)
        return given if given is not None and members is not None and given <= members else None

    def _enum_values(self, cls: ClassValue) -> frozenset[str] | None:
        """The values of the members written as string literals, of a project's `Enum` class
        that keeps `Enum`'s own lookup and equality; None for any other class. (A member
        whose value is not known here, `auto()`, is not among them: a lookup of its value
        stays unknown.)"""
        found = self._class(cls)
        if found is None or ENUM_OVERRIDES.intersection(found.methods):
            return None
        bases = frozenset().union(*(self.values(cls.module, base) for base in found.bases))
        if bases.isdisjoint(ENUM_BASES):
            return None
        return frozenset(
            expr.value
            for name, expr in found.attributes.items()
            if not name.startswith("_") and isinstance(expr, s.Lit) and isinstance(expr.value, str)
        )

    def call_sites(self, module: str, qualname: str) -> list[CallSite] | None:
        """Every call of the function in the project, when all of them are in sight: it is
        named only where it is called (not passed on, decorated for a framework, or
        subclassed for `__init__`), and every call of its name resolves."""
        key = (module, qualname)
        if key not in self._call_sites:
            self._call_sites[key] = None  # a cycle: not known
            self._call_sites[key] = self._find_call_sites(module, qualname)
        return self._call_sites[key]

    def _find_call_sites(self, module: str, qualname: str) -> list[CallSite] | None:
        summary = self.summary_of(module)
        function = None if summary is None else summary.functions.get(qualname)
        if summary is None or function is None or self.mentions is None:
            return None
        if not SAFE_DECORATORS.issuperset(function.decorators):
            return None
        owner, _, name = qualname.rpartition(".")
        is_method = owner in summary.classes and "staticmethod" not in function.decorators
        implicit = 1 if is_method else 0
        target: Value = FunctionValue(module, qualname)
        if owner in summary.classes and name == "__init__":
            name, target = owner.rpartition(".")[2], ClassValue(module, owner)
        # A method is called on objects that come from anywhere; a function or class only
        # where its module is imported (or in its own module).
        member = owner in summary.classes and isinstance(target, FunctionValue)
        modules = self.mentions(name, None if member else module)
        if len(modules) > MAX_CALLER_MODULES:
            return None
        sites: list[CallSite] = []
        for mentioning in modules:
            found = self.summary_of(mentioning)
            if found is None or (member and name in found.rebinds):
                return None  # `f = self.ask`: called with its `self` given, out of sight
            for local in _local_names(found, name):
                if local in found.dropped:
                    self.needs_whole.add(mentioning)
                if local != name and self._alias_exported(mentioning, found, local):
                    return None
                if local in found.escapes or self._may_escape(mentioning, found, local, target):
                    return None
                for call in found.calls.get(local, ()):
                    callees = self.values(mentioning, call.func)
                    if target in callees:
                        sites.append((mentioning, call, implicit))
                    elif not _elsewhere(callees):
                        return None  # `obj.ask(...)` on something unknown may call it
        return sites

    def _may_escape(self, module: str, summary: s.ModuleSummary, name: str, target: Value) -> bool:
        """Whether a read of `name` as a value in `module` may be the function `target`
        (passed on, kept, decorated, subclassed): a local of that name bound to something
        else the project knows (a string, another function) is not."""
        for scope in summary.reads.get(name, ()):
            found = self.values(module, s.Var(scope, name))
            if target in found or not _elsewhere(found):
                return True
        return False

    def _alias_exported(self, module: str, summary: s.ModuleSummary, local: str) -> bool:
        """Whether `from m import ask as a`, in `module`, binds a name other modules may
        import (`from module import a`, a star import of it): a module-level name that a
        module importing `module` mentions."""
        if local not in summary.scopes[""].names or self.mentions is None:
            return False
        return any(other != module for other in self.mentions(local, module))

    def _FunctionRef(self, module: str, expr: s.FunctionRef) -> Values:
        return frozenset({FunctionValue(module, expr.qualname)})

    def _ClassRef(self, module: str, expr: s.ClassRef) -> Values:
        return frozenset({ClassValue(module, expr.qualname)})

    def _SelfOf(self, module: str, expr: s.SelfOf) -> Values:
        return frozenset({InstanceValue(module, expr.cls)})

    def _Choice(self, module: str, expr: s.Choice) -> Values:
        found = [self.values(module, option) for option in expr.options]
        if expr.first_if_true:
            found[0] = _sent(found[0], falsy_falls_back=True)
        return frozenset().union(*found)

    def _DictExpr(self, module: str, expr: s.DictExpr) -> Values:
        return frozenset({DictValue(module, expr)})

    def _Items(self, module: str, expr: s.Items) -> Values:
        return frozenset({ItemsValue(module, expr)})

    def _Joined(self, module: str, expr: s.Joined) -> Values:
        pieces: list[str] = []
        length = 0
        maybe_other = False
        for part in expr.parts:
            found = self.values(module, part)
            kinds = (str,) if expr.added else (str, int, float)
            texts = {
                str(value.value)
                for value in found
                if isinstance(value, LitValue)
                and isinstance(value.value, kinds)
                and not isinstance(value.value, bool)
            }
            if len(texts) != 1:
                return UNKNOWN_ONLY
            maybe_other |= len(found) > 1
            pieces.append(texts.pop())
            length += len(pieces[-1])
            if length > MAX_MADE:  # a chain doubling a string would take gigabytes
                return UNKNOWN_ONLY
        joined = LitValue("".join(pieces), Origin(module, expr.node), plain=False)
        return frozenset({joined, UNKNOWN}) if maybe_other else frozenset({joined})

    def _Attr(self, module: str, expr: s.Attr) -> Values:
        result: set[Value] = set()
        for value in self.values(module, expr.value):
            result |= self.attribute(value, expr.name)
        return self._changed_attribute(module, expr.name, frozenset(result))

    def _changed_attribute(self, module: str, name: str, values: Values) -> Values:
        """What an attribute `name` read in `module` holds given how the code may change it:
        changed in place there (`prompts.HISTORY.append(...)`), unknown if a list or dict;
        a dict handed on there or by any module of the project (`m = Bot.MODELS`,
        `for d in (Bot.MODELS,)`), or changed by another, read key by key as unknown."""
        summary = self.summary_of(module)
        if summary is not None and name in summary.mutated_attributes:
            return _unchanged(values)
        if not any(type(value) is DictValue or _nests(value) for value in values):
            return values
        views = self._attribute_viewed_elsewhere(module, name)
        if summary is not None and summary.viewed_attributes:
            views |= summary.attribute_views(name)
        values = _viewed(values, views)
        if not any(type(value) is DictValue for value in values):
            return values
        here = summary is not None and name in summary.handed_attributes
        if here or self._attribute_changed_elsewhere(module, name):
            return _keyed(values, frozenset(), True)
        return values

    def _attribute_viewed_elsewhere(self, module: str, name: str) -> frozenset[ViewPath]:
        """The paths under which a module of the project but `module` changes an attribute
        `name` through a view (`ModuleSummary.viewed_attributes`)."""
        key = (module, f".{name}")
        found = self._viewed.get(key)
        if found is None:
            found = self._viewed[key] = self._find_attribute_viewed(module, name)
        return found

    def _find_attribute_viewed(self, module: str, name: str) -> frozenset[ViewPath]:
        if self.mentions is None:
            return frozenset()
        found: set[ViewPath] = set()
        for other in self.mentions(name, None):
            summary = self.summary_of(other)
            if other != module and summary is not None and summary.viewed_attributes:
                found |= summary.attribute_views(name)
        return frozenset(found)

    def _attribute_changed_elsewhere(self, module: str, name: str) -> bool:
        """Whether a module of the project but `module` changes or hands on an attribute
        `name` (of a class, an instance or a module: which one is not told apart)."""
        key = (module, f".{name}")  # apart from `_changed_elsewhere`'s (module, name)
        found = self._elsewhere.get(key)
        if found is None:
            found = self._elsewhere[key] = self._find_attribute_changed(module, name)
        return found

    def _find_attribute_changed(self, module: str, name: str) -> bool:
        if self.mentions is None:
            return False
        for other in self.mentions(name, None):
            summary = self.summary_of(other)
            if summary is None:
                return True
            if name in summary.dropped:
                self.needs_whole.add(other)
            if other != module and (
                name in summary.mutated_attributes or name in summary.handed_attributes
            ):
                return True
        return False

    def attribute(self, value: Value, name: str) -> Values:
        if isinstance(value, ModuleValue):
            return self.member_of_module(value.module, name)
        if isinstance(value, External):
            dotted = f"{value.name}.{name}"
            rooted = self.modules.rooted_module(dotted)
            return frozenset({External(dotted) if rooted is None else ModuleValue(rooted)})
        if isinstance(value, InstanceValue) and value.built is not None:
            return self._field_of(value, name)
        if isinstance(value, (ClassValue, InstanceValue)):
            return self.class_member(value.module, value.qualname, name)
        if isinstance(value, DictValue) and name == "get":
            return frozenset({DictGet(value)})
        if isinstance(value, (ClientValue, DerivedClientValue)) and name in DERIVING_METHODS:
            return frozenset({ClientMethod(value, name)})
        if isinstance(value, LitValue) and isinstance(value.value, str) and name in STRING_METHODS:
            return frozenset({StringMethod(value, name)})
        return UNKNOWN_ONLY

    def class_member(self, module: str, cls: str, name: str) -> Values:
        key = ("member", module, cls, name)
        return self._memoised(key, lambda: self._class_member(module, cls, name))

    def _class_member(self, module: str, cls: str, name: str) -> Values:
        summary = self.summary_of(module)
        found = None if summary is None else summary.classes.get(cls)
        if summary is None or found is None:
            return UNKNOWN_ONLY
        if name in found.attributes:
            return self.values(module, found.attributes[name])
        if name in found.methods:
            qualname = found.methods[name]
            function = summary.functions.get(qualname)
            if function is not None and PROPERTY_DECORATORS.intersection(function.decorators):
                return self.returns(module, qualname)
            return frozenset({FunctionValue(module, qualname)})
        for base in found.bases:
            for value in self.values(module, base):
                if isinstance(value, ClassValue):
                    inherited = self.class_member(value.module, value.qualname, name)
                    if inherited != UNKNOWN_ONLY:
                        return inherited
        return UNKNOWN_ONLY

    # -------------------------------------------------------------- fields set by constructors
    def _field_class(self, module: str, qualname: str) -> FieldClass | None:
        """The fields the constructor of a dataclass, a pydantic model or a `NamedTuple` of
        the project sets; None for any other class (or one with its own `__init__`)."""
        key = (module, qualname)
        if key not in self._field_classes:
            self._field_classes[key] = None  # a cycle: not one
            self._field_classes[key] = self._find_field_class(module, qualname)
        return self._field_classes[key]

    def _find_field_class(self, module: str, qualname: str) -> FieldClass | None:
        summary = self.summary_of(module)
        found = None if summary is None else summary.classes.get(qualname)
        if found is None or "__init__" in found.methods:
            return None
        inherited: FieldClass | None = None
        external: str | None = None
        for base in found.bases:
            for value in self.values(module, base):
                if isinstance(value, ClassValue):
                    fields = self._field_class(value.module, value.qualname)
                    if fields is None and self._has_init(value):
                        return None  # a base's own `__init__` takes the arguments
                    inherited = inherited or fields
                elif isinstance(value, External) and value.name in FIELD_BASES:
                    external = value.name
        own = _own_fields(found)
        if "dataclass" in found.decorators:
            if inherited is not None:
                return inherited.extended(own, positional=True)
            return own
        if external is not None:
            positional = own.positional if external in POSITIONAL_BASES else None
            return FieldClass(own.names, positional, own.settled, declares=False)
        if inherited is not None and not inherited.declares:
            return inherited.extended(own, positional=False)
        if inherited is not None:
            return inherited.unchanged_by(found)  # a dataclass's subclass: no new fields
        return None

    def _has_init(self, cls: ClassValue) -> bool:
        return self.class_member(cls.module, cls.qualname, "__init__") != UNKNOWN_ONLY

    def _field_of(self, instance: InstanceValue, name: str) -> Values:
        """An attribute of an instance whose constructor call is known: a field it passes is
        what the call passes (and what the class's methods set it to), one it leaves out is
        its default."""
        members = self.class_member(instance.module, instance.qualname, name)
        fields = self._field_class(instance.module, instance.qualname)
        call = instance.built
        if fields is None or call is None or name not in fields.names:
            return members
        argument = call.keyword(name)
        place = -1 if fields.positional is None else _index(fields.positional, name)
        if argument is None and call.complete and 0 <= place < len(call.args):
            argument = call.args[place]
        if argument is None:
            certain = call.complete and (fields.positional is not None or not call.args)
            return members if certain else members | UNKNOWN_ONLY
        # Memoised with the cycle guard: a field passed a read of that same field of an
        # instance built alike (`Keyword(name, keyword.value)` in a loop) would recurse.
        key = ("field", instance, name)
        passed = self._memoised(key, partial(self.values, instance.built_in, argument))
        if name in fields.settled:
            return passed
        return passed | (members - self._declared_default(instance, name))

    def _declared_default(self, instance: InstanceValue, name: str) -> Values:
        """What the class body declares the field with (the constructor's argument replaces
        it; a method may still set the field to something else)."""
        summary = self.summary_of(instance.module)
        found = None if summary is None else summary.classes.get(instance.qualname)
        default = None if found is None else found.field_defaults.get(name)
        return NOTHING if default is None else self.values(instance.module, default)

    def _self_in(self, module: str, method: str, written: s.SelfOf) -> Values:
        """`self` in a method of a class whose constructor sets its fields: the instances the
        project calls the method on, when every call is in sight and each is on an instance
        whose construction is known; else any instance (the class's defaults)."""
        anywhere = frozenset({InstanceValue(module, written.cls)})
        if self._field_class(module, written.cls) is None:
            return anywhere
        sites = self.call_sites(module, method)
        if not sites:
            return anywhere
        target = FunctionValue(module, method)
        name = method.rpartition(".")[2]
        result: set[Value] = set()
        for site_module, call, implicit in sites:
            if implicit != 1 or not isinstance(call.func, s.Attr):
                return anywhere  # `Class.method(obj)`
            for value in self.values(site_module, call.func.value):
                if not isinstance(value, InstanceValue) or value.built is None:
                    return anywhere
                if target in self.class_member(value.module, value.qualname, name):
                    result.add(value)
        return frozenset(result) or anywhere

    def returns(self, module: str, qualname: str) -> Values:
        """What a call of the function may return."""

        def compute() -> Values:
            summary = self.summary_of(module)
            function = None if summary is None else summary.functions.get(qualname)
            return UNKNOWN_ONLY if function is None else self.values(module, function.returns)

        return self._memoised(("returns", module, qualname), compute)

    def _returns_to(self, module: str, func: FunctionValue, call: s.Call) -> Values:
        """What the call at `call` (in `module`) gets back: where some returns stand behind
        guards on the function's parameters (`if provider == "wandb": return OpenAI(...)`)
        that the call's arguments certainly fail, the others only."""
        summary = self.summary_of(func.module)
        function = None if summary is None else summary.functions.get(func.qualname)
        if summary is None or function is None or not function.guarded_returns:
            return self.returns(func.module, func.qualname)
        owner = func.qualname.rpartition(".")[0]
        is_method = owner in summary.classes and "staticmethod" not in function.decorators
        site = (module, call, 1 if is_method else 0)
        held = self._held_at(module, call.node)
        kept: list[s.Expr] = []
        for guards, returned in function.guarded_returns:
            narrowing = self._narrowing(func.module, guards)
            if not narrowing or self._may_pass(func.module, site, narrowing, held)[0]:
                kept.append(returned)
        if len(kept) == len(function.guarded_returns):
            return self.returns(func.module, func.qualname)
        values = list(dict.fromkeys(e for e in kept if not _is_none_literal(e))) or kept
        if not values or function.returns == s.OPAQUE:
            return UNKNOWN_ONLY  # none kept, or returns in sequence (`returns` reads them so)
        return frozenset().union(*(self.values(func.module, value) for value in values))

    def _Call(self, module: str, expr: s.Call) -> Values:
        result: set[Value] = set()
        for func in self.values(module, expr.func):
            result |= self._call_of(module, func, expr)
        return frozenset(result)

    def _call_of(self, module: str, func: Value, expr: s.Call) -> Values:
        if isinstance(func, External):
            return self._external_call(module, func.name, expr)
        if isinstance(func, FunctionValue):
            return self._returns_to(module, func, expr)
        if isinstance(func, ClassValue):
            if self._field_class(func.module, func.qualname) is not None:
                return frozenset({InstanceValue(func.module, func.qualname, expr, module)})
            return frozenset({InstanceValue(func.module, func.qualname)})
        if isinstance(func, DictGet):
            default = expr.args[1] if len(expr.args) > 1 else s.Lit(None, -1)
            key = expr.args[0] if expr.args else s.OPAQUE
            return self._dict_read(func.target, module, key, default)
        if isinstance(func, ClientMethod):
            return _derived(module, func.client, expr)
        if isinstance(func, StringMethod):
            return self._stripped(module, func, expr)
        return UNKNOWN_ONLY

    def _stripped(self, module: str, method: StringMethod, expr: s.Call) -> Values:
        """`text.strip(chars)`, `text.lower()`, `text.removesuffix("/")` and the like, given
        the positional arguments the method takes, each a known literal: the string made,
        written where `text` is when the method is transparent (`string_methods.
        leaves_literal`), else at the call, as no literal a fix rewrites."""
        fewest, most = STRING_METHODS[method.name]
        if expr.keywords or not expr.complete or not fewest <= len(expr.args) <= most:
            return UNKNOWN_ONLY
        args = [_one_literal(self.values(module, arg)) for arg in expr.args]
        text = method.text
        assert isinstance(text.value, str)
        result = applied(text.value, method.name, args)
        if result is None:
            return UNKNOWN_ONLY
        if text.plain and leaves_literal(text.value, method.name, args):
            return frozenset({text})
        return frozenset({LitValue(result, Origin(module, expr.node), plain=False)})

    def _external_call(self, module: str, name: str, expr: s.Call) -> Values:
        if name in self.client_classes:
            return frozenset({ClientValue(module, expr, self.client_classes[name])})
        owner, _, method = name.rpartition(".")
        if method in DERIVING_METHODS and owner in self.client_classes:
            return self._unbound_copy(module, expr)
        if name in self.library_callables:
            return frozenset({LibraryCallValue(module, expr, name)})
        if name in ENV_GETTERS:
            default = expr.args[1] if len(expr.args) > 1 else expr.keyword("default")
            if default is None:
                return UNKNOWN_ONLY
            return self.values(module, default) | UNKNOWN_ONLY
        if name in FIELD_DEFAULTS:
            return self._field_default(module, expr) | UNKNOWN_ONLY
        return UNKNOWN_ONLY

    def _field_default(self, module: str, expr: s.Call) -> Values:
        """What `Field(default=...)` / `field(default_factory=Section)` declares: the default,
        or what calling the factory with no arguments makes (a nested settings section is an
        instance of its class holding the class's defaults)."""
        default = expr.args[0] if expr.args else expr.keyword("default")
        if default is not None:
            return self.values(module, default)
        factory = expr.keyword("default_factory")
        if factory is None:
            return UNKNOWN_ONLY
        return self.values(module, s.Call(factory, (), (), expr.node))

    def _unbound_copy(self, module: str, expr: s.Call) -> Values:
        """`OpenAI.with_options(client, ...)`: the method, given the client it copies first."""
        if not expr.args:
            return UNKNOWN_ONLY
        result: set[Value] = set()
        given = replace(expr, args=expr.args[1:])
        for value in self.values(module, expr.args[0]):
            if isinstance(value, (ClientValue, DerivedClientValue)):
                result |= _derived(module, value, given)
            else:
                result.add(UNKNOWN)
        return frozenset(result)

    def _Subscript(self, module: str, expr: s.Subscript) -> Values:
        result: set[Value] = set()
        for value in self.values(module, expr.value):
            if isinstance(value, DictValue):
                result |= self._dict_read(value, module, expr.key)
            elif isinstance(value, ItemsValue):
                index = self._single_literal(module, expr.key)
                result |= self._item(value, index)
            else:
                result.add(UNKNOWN)
        return frozenset(result)

    def _Item(self, module: str, expr: s.Item) -> Values:
        result: set[Value] = set()
        for value in self.values(module, expr.value):
            result |= self._item(value, expr.index) if isinstance(value, ItemsValue) else {UNKNOWN}
        return frozenset(result)

    def _item(self, value: ItemsValue, index: object) -> Values:
        items = value.expr.items
        if () in value.views:
            return UNKNOWN_ONLY  # handed on through a view: it may have been changed
        if (
            isinstance(index, int)
            and not isinstance(index, bool)
            and -len(items) <= index < len(items)
        ):
            found = self.values(value.module, items[index])
            return _viewed(found, below(value.views, index, in_list=True)) if value.views else found
        return UNKNOWN_ONLY

    def _Lookup(self, module: str, expr: s.Lookup) -> Values:
        mappings = self.values(module, expr.mapping)
        if not mappings or not all(isinstance(value, DictValue) for value in mappings):
            return self.values(module, expr.otherwise)
        result: set[Value] = set()
        for mapping in mappings:
            assert isinstance(mapping, DictValue)
            result |= self._dict_read(
                mapping, module, expr.key, expr.fallback, falsy_falls_back=expr.falsy_falls_back
            )
        return frozenset(result)

    def _dict_read(
        self,
        target: DictValue,
        module: str,
        key: s.Expr,
        fallback: s.Expr | None = None,
        *,
        falsy_falls_back: bool = False,
    ) -> Values:
        """`MAP[key]` (no `fallback`), `MAP.get(key, fallback)`, `MAP[key] if key in MAP else
        fallback`: the entry for a literal key when the dict has it, else any of its values
        (the key is not known here); and the fallback where the key may be one the dict
        lacks. A fallback that is the key itself (`MAP.get(m, m)`) is the key's values the
        dict lacks: a key it has is always translated. With `falsy_falls_back` (`MAP.get(key)
        or fallback`) an entry that may be false gives the fallback instead."""
        if target.handed or () in target.views:
            return UNKNOWN_ONLY  # it may be changed where no store of it says so
        keys = self.values(module, key)
        known, complete = self._literal_keys(target)
        wanted = _one_literal(keys)
        if isinstance(wanted, str) and wanted in target.stored:
            return UNKNOWN_ONLY  # stored to: the entry written may be replaced
        if wanted is not _NO_LITERAL and all(k is not None for k, _ in target.expr.entries):
            entry = known.get(wanted)
            if entry is None:
                if fallback is None:
                    return UNKNOWN_ONLY  # a KeyError
                found = self._fallback(module, key, fallback, keys)
                return found if complete else found | UNKNOWN_ONLY
            return self._entry(target, entry, (module, key, fallback, keys), falsy_falls_back)
        result: set[Value] = {UNKNOWN} if target.stored else set()
        for entry_key, entry_value in target.expr.entries:
            if entry_key is None or self._stored_to(target, entry_key):
                result.add(UNKNOWN)  # a store may have replaced it before any request
            else:
                found = self._entry_values(target, entry_key, entry_value)
                result |= _sent(found, falsy_falls_back)
        if fallback is None:
            return frozenset(result) or UNKNOWN_ONLY
        missed = {value for value in keys if not complete or not _is_literal_in(value, known)}
        if falsy_falls_back:
            missed |= {
                value
                for value in keys
                if isinstance(value, LitValue)
                and value.value in known
                and not _truthy(self.values(target.module, known[value.value]))
            }
        if missed:
            result |= self._fallback(module, key, fallback, frozenset(missed))
        return frozenset(result) or UNKNOWN_ONLY

    def _stored_to(self, target: DictValue, key: s.Expr) -> bool:
        """Whether the entry under `key` (as written in `target`) may have been stored to."""
        if not target.stored:
            return False
        literal = _one_literal(self.values(target.module, key))
        return literal is _NO_LITERAL or literal in target.stored

    def _entry(
        self,
        target: DictValue,
        entry: s.Expr,
        read: tuple[str, s.Expr, s.Expr | None, Values],
        falsy_falls_back: bool,
    ) -> Values:
        """What the entry of the one key looked up gives; `read` is (module, key, fallback,
        the key's values) of the lookup."""
        module, key, fallback, keys = read
        found = self._entry_values(target, None, entry, keys)
        if fallback is None or not falsy_falls_back or _truthy(found):
            return found
        return _sent(found, True) | self._fallback(module, key, fallback, keys)

    def _entry_values(
        self, target: DictValue, key: s.Expr | None, entry: s.Expr, keys: Values = frozenset()
    ) -> Values:
        """What the entry `entry` of `target` holds, with the paths of `target.views` under
        it; its key as written in the dict (`key`), or as looked up (`keys`, its values)."""
        found = self.values(target.module, entry)
        if not target.views:
            return found
        literal = _one_literal(keys if key is None else self.values(target.module, key))
        under = below(target.views, None if literal is _NO_LITERAL else literal, in_list=False)
        return _viewed(found, under)

    def _literal_keys(self, target: DictValue) -> tuple[dict[object, s.Expr], bool]:
        """The entries of the dict whose keys are literals, the last one winning; and whether
        those are all its keys (no spread, no key unknown here)."""
        known: dict[object, s.Expr] = {}
        complete = True
        for entry_key, entry_value in target.expr.entries:
            literal = (
                _NO_LITERAL
                if entry_key is None
                else _one_literal(self.values(target.module, entry_key))
            )
            if literal is _NO_LITERAL:
                complete = False
            else:
                known[literal] = entry_value
        return known, complete

    def _fallback(self, module: str, key: s.Expr, fallback: s.Expr, missed: Values) -> Values:
        """What the fallback gives for the key's values in `missed`."""
        if fallback == key and s.is_plain_read(key):
            return missed
        return self.values(module, fallback)

    def _single_literal(self, module: str, expr: s.Expr) -> object:
        found = self.values(module, expr)
        if len(found) == 1:
            (value,) = found
            if isinstance(value, LitValue):
                return value.value
        return None


_NO_LITERAL: Final = object()


def _no_arguments(call: s.Call) -> bool:
    return not call.args and not call.keywords and call.complete


def _secret_value(call: s.Call) -> s.Expr | None:
    """`x` of `f(x)` or `f(secret_value=x)`: what `SecretStr(...)` is given, if it is."""
    if not call.complete or call.starred or call.spreads:
        return None
    if len(call.args) == 1 and not call.keywords:
        return call.args[0]
    if not call.args and len(call.keywords) == 1 and call.keywords[0][0] == SECRET_VALUE:
        return call.keywords[0][1]
    return None


def _one_literal(values: Values) -> object:
    """The literal `values` certainly is; `_NO_LITERAL` when it may be anything else."""
    if len(values) == 1:
        (value,) = values
        if isinstance(value, LitValue):
            return value.value
    return _NO_LITERAL


def _is_literal_in(value: Value, known: Mapping[object, s.Expr]) -> bool:
    return isinstance(value, LitValue) and value.value in known


def _sent(found: Values, falsy_falls_back: bool) -> Values:
    """The values of an entry `or` may give (a false literal gives the fallback instead)."""
    if not falsy_falls_back:
        return found
    return frozenset(v for v in found if not (isinstance(v, LitValue) and not v.value))


def _truthy(values: Values) -> bool:
    """Whether each of `values` is certainly true as a condition (a non-empty literal)."""
    return all(isinstance(value, LitValue) and bool(value.value) for value in values)


def _settled(cls: s.ClassSummary, name: str) -> bool:
    """Whether the class sets the field nowhere but where its body declares it."""
    written = cls.attributes.get(name)
    return written is None or written == cls.field_defaults.get(name)


def _own_fields(cls: s.ClassSummary) -> FieldClass:
    settled = frozenset(name for name in cls.fields if _settled(cls, name))
    return FieldClass(frozenset(cls.fields), cls.positional_fields, settled)


def _index(names: tuple[str, ...], name: str) -> int:
    return names.index(name) if name in names else -1


def _string_values(values: Values) -> frozenset[str] | None:
    """The strings `values` are, when each is a string literal; None otherwise."""
    strings = {v.value for v in values if isinstance(v, LitValue) and isinstance(v.value, str)}
    every = all(isinstance(v, LitValue) and isinstance(v.value, str) for v in values)
    return frozenset(strings) if strings and every else None


def _local_names(summary: s.ModuleSummary, name: str) -> list[str]:
    """The names a call of the function `name` may be written with in a module: its own, the
    local names its imports bind (`from m import name as local`), and the names plain
    assignments bind to any of those, again and again (`q = name`, `r = q`,
    `name = m.name`). Which of their calls call it is the resolver's to say."""
    found = dict.fromkeys((name, *summary.aliases.get(name, ())))
    pending = list(found)
    while pending:
        for local in summary.rebinds.get(pending.pop(), ()):
            if local not in found:
                found[local] = None
                pending.append(local)
    return list(found)


def _elsewhere(callees: Values) -> bool:
    """Whether a call of the same name certainly calls something else: another function or
    class of the project. Something unknown, or an import the project cannot find (perhaps
    the function itself, imported by a name the project does not resolve), may be it."""
    known = (
        FunctionValue, ClassValue, LitValue, DictValue, ItemsValue, ClientValue,
        DerivedClientValue, ClientMethod, DictGet,
    )  # fmt: skip
    return bool(callees) and all(isinstance(callee, known) for callee in callees)


def _derived(module: str, base: ClientValue | DerivedClientValue, call: s.Call) -> Values:
    """What `base.with_options(...)` / `base.copy(...)` at `call` makes, as openai-python's
    `copy` does: `base` itself when no keyword may change its target, a new client when one
    may; nothing known when the call raises TypeError (a positional argument, a keyword
    `copy` does not take)."""
    keywords = copy_keywords(call)
    named = keywords if keywords is not None else call.keywords
    given = {name for name, value in named if not _is_none_literal(value)}
    if call.args or not given <= COPY_KEYWORDS:
        return UNKNOWN_ONLY
    if keywords is not None and not given & RETARGETING_KEYWORDS:
        return frozenset({base})
    return frozenset({DerivedClientValue(module, call, base)})


def copy_keywords(call: s.Call) -> tuple[tuple[str, s.Expr], ...] | None:
    """The keywords a call gives, with those of each `**{...}` dict literal whose keys are
    all string literals (Python's order: a later one would be a TypeError, so none
    replaces another); None when a `*` or `**` spread may add ones that cannot be read."""
    if call.complete:
        return call.keywords
    if call.starred:
        return None
    found = list(call.keywords)
    for spread in call.spreads:
        if not isinstance(spread, s.DictExpr):
            return None
        for key, value in spread.entries:
            if not (isinstance(key, s.Lit) and isinstance(key.value, str)):
                return None
            found.append((key.value, value))
    return tuple(found)


def _is_none_literal(expr: s.Expr) -> bool:
    return isinstance(expr, s.Lit) and expr.value is None


def _argument(call: s.Call, param: s.Param, implicit: int) -> s.Expr | None:
    """The expression a call passes for the parameter, by keyword or by place."""
    found = call.keyword(param.name)
    if found is not None:
        return found
    place = param.index - implicit
    if call.complete and param.index >= 0 and 0 <= place < len(call.args):
        return call.args[place]
    return None  # not passed, or perhaps passed by a `*args` / `**kwargs` spread
