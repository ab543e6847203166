"""What an expression evaluates to, when the code alone says so for certain.

Literals, names bound once to an expression (local, enclosing or module scope), f-strings
of constants, `+` of lists and strings, `*`/`**` unpacking of such values, `dict(...)`
calls and `strip`, `lower`, `removesuffix`, `replace` and the like of a known string
(`string_methods.py`) are followed.
Anything else is :data:`UNKNOWN`; rules never report on an unknown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from lint_wb._cst import cst
from lint_wb.analysis.scopes import ANY_ATTRIBUTE, Bindings, Scope, dotted_name
from lint_wb.analysis.sdk_names import ENV_GETTERS, SECRET_READER, SECRET_VALUE, SECRET_WRAPPERS
from lint_wb.analysis.string_methods import (
    MAX_MADE,
    STRING_METHODS,
    STRIP_METHODS,
    applied,
    leaves_literal,
)


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = _Unknown()
MAX_DEPTH: Final = 16
STARRED: Final = "*."
"""Before a name in `Resolver.aliases`: a name no scope of the module binds, which a star
import binds to a client library's name (`from llm import *`, llm.py's `Maker = OpenAI`)."""
PLAIN_PREFIXES: Final = frozenset({"", "r", "u"})


def string_value(node: cst.SimpleString) -> str | bytes:
    """What a string literal evaluates to (`node.evaluated_value`, which runs Python's parser
    on it). A literal with no escape, no carriage return and no prefix but `r`/`u` is the
    text between its quotes: read without the parser, as most literals are."""
    value = node.value
    if "\\" in value or "\r" in value:
        return node.evaluated_value
    start = 0
    while start < len(value) and value[start] not in "'\"":
        start += 1
    if value[:start].lower() not in PLAIN_PREFIXES:
        return node.evaluated_value
    quote = value[start : start + 3]
    if quote not in ('"""', "'''"):
        quote = value[start : start + 1]
    return value[start + len(quote) : len(value) - len(quote)]


def number_value(node: cst.Integer | cst.Float) -> int | float:
    """What a number literal evaluates to (`node.evaluated_value`, which runs Python's parser
    on it): `int(text, 0)` and `float(text)` read every form Python writes (`0x1F`, `1_000`,
    `1e-3`, `.5`)."""
    try:
        return int(node.value, 0) if isinstance(node, cst.Integer) else float(node.value)
    except ValueError:
        return node.evaluated_value


ENV_READERS: Final = ENV_GETTERS | {"os.environ"}
JOINED_TEXTS: Final = frozenset({"ConcatenatedString", "FormattedString", "BinaryOperation"})
"""The forms of a text built of parts (libcst's class names: read at import, the classes
would import libcst with this module): one a name is bound to is written there."""


class Resolver:
    """Follows names and evaluates expressions within one module."""

    def __init__(self, bindings: Bindings, aliases: Mapping[str, str] | None = None) -> None:
        self.bindings = bindings
        self.aliases = aliases or {}
        """Names imported from another module of the project that stand for a client
        library's, as the project index tells them (`told.ModuleIndex.aliases`)."""
        self.wants_whole = False
        """An answer depended on what a statement the partial parse left out does
        (`Bindings.dropped`): the engine lints the module again from a whole parse."""

    # names
    def lookup(self, name: str, scope: Scope) -> list[cst.BaseExpression | None] | None:
        owner = self.owner(name, scope)
        return None if owner is None else owner.bindings[name]

    def owner(self, name: str, scope: Scope) -> Scope | None:
        """The scope `name` is bound in, seen from `scope` (Python's LEGB, minus builtins)."""
        current: Scope | None = scope
        while current is not None:
            if name in current.bindings:
                return current
            current = current.parent
        return None

    def single_binding(self, name: str, scope: Scope) -> cst.BaseExpression | None:
        """The one expression `name` is bound to, if it is bound exactly once and not mutated."""
        found = self.lookup(name, scope)
        if found is None or len(found) != 1:
            return None
        value = found[0]
        mutable = (cst.List, cst.Dict, cst.Set, cst.BinaryOperation)
        if type(value) in mutable and self._may_change(name, scope):
            return None
        return value

    def _may_change(self, name: str, scope: Scope) -> bool:
        """Whether the binding of `name` seen from `scope` may be changed: by a change written
        where `name` is that binding (in the scope that binds it, or in one inside it that
        does not bind its own: a nested function, a `global`), as the project index judges
        it (`ModuleSummary.mutates`). Another function's own `name` is another binding."""
        owner = self.owner(name, scope)
        stores = self.bindings.key_stores.get(name, ())
        if any(self._changes(where, name, owner) for where, _ in stores):
            return True
        mutated = self.bindings.mutated.get(name, ())
        return any(self._changes(where, name, owner) for where in mutated)

    def _changes(self, where: Scope, name: str, owner: Scope | None) -> bool:
        """Whether a change of `name` written in `where` changes the binding `owner` holds:
        `name` seen from `where` is that binding (one it does not see is no binding of
        the module's: a change there changes none)."""
        return owner is not None and self.owner(name, where) is owner

    def is_handed(self, name: str, scope: Scope) -> bool:
        """Whether the binding of `name` seen from `scope` is handed on (`Bindings.handed`:
        `m = kwargs`, `f(d=kwargs)`): it may be changed under any key out of sight."""
        handed = self.bindings.handed.get(name)
        if not handed:
            return False
        owner = self.owner(name, scope)
        return any(self._changes(where, name, owner) for where in handed)

    def keyed_binding(
        self, name: str, scope: Scope
    ) -> tuple[cst.BaseExpression, Scope, frozenset[str]] | None:
        """The one expression `name` is bound to, with the scope that binds it and the keys
        stored to it (`name["key"] = ...`), when the binding seen from `scope` is changed by
        such stores only (`ModuleSummary.stored_keys` in the project index); None otherwise,
        and when the binding is handed on (`Bindings.handed`: `m = kwargs`, `f(d=kwargs)`),
        which may change it under any key."""
        owner = self.owner(name, scope)
        found = None if owner is None else owner.bindings[name]
        if owner is None or found is None or len(found) != 1 or found[0] is None:
            return None
        changes = (*self.bindings.mutated.get(name, ()), *self.bindings.handed.get(name, ()))
        if any(self._changes(where, name, owner) for where in changes):
            return None
        stores = self.bindings.key_stores.get(name, ())
        keys = frozenset(key for where, key in stores if self._changes(where, name, owner))
        return found[0], owner, keys

    def qualified_name(self, node: cst.BaseExpression, scope: Scope) -> str | None:
        """`openai.OpenAI` for `OpenAI` imported from openai, or for `oa.OpenAI` after
        `import openai as oa`."""
        dotted = dotted_name(node)
        return None if dotted is None else self.qualify(dotted, scope)

    def qualify(self, dotted: str, scope: Scope, depth: int = 0) -> str | None:
        """The import-qualified form of a dotted name, or None if its head is not an import
        nor a name bound once to a dotted name that qualifies (:meth:`_aliased`)."""
        head, _, rest = dotted.partition(".")
        current: Scope | None = scope
        while current is not None:
            if head in current.imports:
                full = current.import_of(head)
                if full is None:
                    return None
                return self._told(f"{full}.{rest}" if rest else full)
            if head in current.bindings:
                return self._aliased(head, rest, current, depth)  # a local shadows any import
            current = current.parent
        starred = self.aliases.get(f"{STARRED}{head}") if self.aliases else None
        if starred is None:
            return None
        return f"{starred}.{rest}" if rest else starred  # bound by `from llm import *`

    def _told(self, qualified: str) -> str:
        """`llm.Chat` as what it stands for when the project index says so (`from llm import
        Chat`, llm.py's `Chat = ChatOpenAI`: `langchain_openai.ChatOpenAI`)."""
        if not self.aliases:
            return qualified
        parts = qualified.split(".")
        for end in range(len(parts), 0, -1):
            found = self.aliases.get(".".join(parts[:end]))
            if found is not None:
                return ".".join([found, *parts[end:]])
        return qualified

    def _aliased(self, head: str, rest: str, owner: Scope, depth: int) -> str | None:
        """`Chat = ChatOpenAI`, `ask = litellm.completion`: a name bound once, to a dotted
        name, stands for what that name qualifies to in the scope that binds it (as the
        project index follows it: `project.resolve.Resolver._Var`)."""
        found = owner.bindings[head]
        value = found[0] if len(found) == 1 else None
        if depth >= MAX_DEPTH or (type(value) is not cst.Name and type(value) is not cst.Attribute):
            return None
        aliased = dotted_name(value)
        if aliased is None:
            return None
        return self.qualify(f"{aliased}.{rest}" if rest else aliased, owner, depth + 1)

    def resolve(self, node: cst.BaseExpression, scope: Scope) -> cst.BaseExpression:
        """Follow names bound once to the expression that defines them."""
        return self.resolve_scoped(node, scope)[0]

    def resolve_scoped(
        self, node: cst.BaseExpression, scope: Scope, *, members: bool = False
    ) -> tuple[cst.BaseExpression, Scope]:
        """Like :meth:`resolve`, with the scope the defining expression stands in. With
        `members`, also `self.<attr>` bound once, in `__init__` (:meth:`self_attribute`)."""
        for _ in range(MAX_DEPTH):
            found: tuple[cst.BaseExpression, Scope] | None = None
            if type(node) is cst.Name:  # not `isinstance`: libcst's classes are ABCs
                if node in self.bindings.comprehension_reads:
                    return node, scope  # `[ask(q) for ask in ...]`: the loop's, not known
                bound = self.single_binding(node.value, scope)
                owner = self.owner(node.value, scope)
                found = None if bound is None or owner is None else (bound, owner)
            elif members and type(node) is cst.Attribute:
                found = self.self_attribute(node, scope)
            if found is None:
                return node, scope
            node, scope = found
        return node, scope

    def evaluate_setting(self, node: cst.BaseExpression, scope: Scope) -> object:
        """What a client's setting (`api_key=`, `project=`) evaluates to, also when it is,
        or an f-string or `+` of it reads, `self.<attr>` bound once, in `__init__`
        (`self.project = "team/app"`, `project=f"{self.team}/app"`)."""
        return self.evaluate(node, scope, members=True)

    def self_attribute(
        self, node: cst.Attribute, scope: Scope
    ) -> tuple[cst.BaseExpression, Scope] | None:
        """`self.<attr>` read in a method: the expression its class binds it to, with the
        scope of that binding, when the class's methods bind it once, in the class's own
        `__init__`, and no subclass of this module binds it (`self` may be one of theirs).
        None for anything else: bound elsewhere or twice, a `self` rebound, a class
        attribute only, an attribute of that name stored on another object of the module
        that may be an instance of the class (`holder.key = v`, `setattr(holder, "key", v)`:
        :meth:`_stored_on_instance`);
        or named by a statement the partial parse left out (which may store it): the module
        is then linted again, whole."""
        cls = scope.owner_class
        if cls is None or type(node.value) is not cst.Name or node.value.value != "self":
            return None
        if self._stored_on_instance(node.attr.value, cls):
            return None
        if node.attr.value in self.bindings.dropped:
            self.wants_whole = True  # a statement left out may store it: not known here
            return None
        if self.lookup("self", scope) != [None]:
            return None  # not the method's parameter alone (`self = other`), or not bound
        assigned = self.bindings.self_assignments.get(cls, {}).get(node.attr.value, [])
        if len(assigned) != 1:
            return None
        value, where = assigned[0]
        init = where.node
        if value is None or not isinstance(init, cst.FunctionDef) or init.name.value != "__init__":
            return None
        if init not in cls.body.body or self._bound_by_subclass(cls, node.attr.value):
            return None
        return value, where

    def _stored_on_instance(self, name: str, cls: cst.ClassDef) -> bool:
        """Whether the module stores the attribute `name` (or one whose name it does not
        know) on an object that may be an instance of `cls` (:meth:`may_be_instance`)."""
        stored = self.bindings.stored_attributes
        if not stored:
            return False
        stores = (*stored.get(name, ()), *stored.get(ANY_ATTRIBUTE, ()))
        return any(self.may_be_instance(receiver, where, cls) for receiver, where in stores)

    def may_be_instance(
        self, receiver: cst.BaseExpression | None, scope: Scope, cls: cst.ClassDef
    ) -> bool:
        """Whether `receiver` may be an instance of `cls`: True unless it is a name every
        binding of which (seen from `scope`) makes an object that cannot be one
        (:meth:`_makes_other_object`): `args = parser.parse_args()`, `ns =
        SimpleNamespace()`, `cfg = Settings()` of another class of the module."""
        if receiver is None or type(receiver) is not cst.Name:
            return True
        owner = self.owner(receiver.value, scope)
        found = None if owner is None else owner.bindings[receiver.value]
        if owner is None or not found:
            return True
        if owner is self.bindings.module and receiver.value in self.bindings.dropped:
            self.wants_whole = True  # a statement left out may bind it to anything
            return True
        return not all(
            value is not None and self._makes_other_object(value, owner, cls) for value in found
        )

    def _makes_other_object(
        self, value: cst.BaseExpression, scope: Scope, cls: cst.ClassDef
    ) -> bool:
        """Whether `value` (in `scope`) makes a new object that is no instance of `cls`: a
        namespace of the standard library (`NAMESPACES`), `parser.parse_args(...)` given no
        namespace of a parser built by `argparse.ArgumentParser(...)`, or a class of the
        module that neither is `cls` nor derives from it (by the names of its bases)."""
        if type(value) is not cst.Call:
            return False
        func = value.func
        if self.qualified_name(func, scope) in NAMESPACES:
            return True
        if type(func) is cst.Attribute and func.attr.value == "parse_args":
            return _parses_into_new_namespace(value) and self._is_parser(func.value, scope)
        if type(func) is not cst.Name:
            return False
        owner = self.owner(func.value, scope)
        made = None if owner is None else owner.classes.get(func.value)
        if owner is None or made is None or owner.bindings[func.value] != [None]:
            return False
        return made is not cls and not self._derives_from(made, cls)

    def _is_parser(self, node: cst.BaseExpression, scope: Scope) -> bool:
        """Whether `node` is bound once to `argparse.ArgumentParser(...)`, directly or
        through a function of the module that returns one expression."""
        for _ in range(MAX_DEPTH):
            node, scope = self.resolve_scoped(node, scope)
            if type(node) is not cst.Call:
                return False
            if self.qualified_name(node.func, scope) == ARGUMENT_PARSER:
                return True
            returned = self._returned(node, scope)
            if returned is None:
                return False
            node, scope = returned
        return False

    def _derives_from(self, made: cst.ClassDef, cls: cst.ClassDef) -> bool:
        """Whether `made` may derive from `cls`: a base of it, or of one of its bases among the
        module's classes (through any depth), is named as `cls` is, or is not a plain name
        (`Base[T]`, `make_base()`: it may be anything)."""
        classes = {
            c.name.value: c for s in self.bindings.scopes.values() for c in s.classes.values()
        }
        seen: set[str] = set()
        stack = [made]
        while stack:
            for base in stack.pop().bases:
                name = _last_name(base.value)
                if name is None or name == cls.name.value:
                    return True
                if name not in seen and name in classes:
                    seen.add(name)
                    stack.append(classes[name])
        return False

    def _bound_by_subclass(self, cls: cst.ClassDef, name: str) -> bool:
        """Whether a class of this module that derives from `cls` (by the names of its
        bases, through any depth) binds `self.name`."""
        classes = [c for scope in self.bindings.scopes.values() for c in scope.classes.values()]
        below = {cls.name.value}
        grown = True
        while grown:
            grown = False
            for other in classes:
                bases = {_last_name(base.value) for base in other.bases}
                if other.name.value not in below and not bases.isdisjoint(below):
                    below.add(other.name.value)
                    grown = True
        return any(
            other is not cls and other.name.value in below and name in assigned
            for other, assigned in self.bindings.self_assignments.items()
        )

    def resolve_env_default(self, node: cst.BaseExpression, scope: Scope) -> cst.BaseExpression:
        """Like :meth:`written`, also taking `os.environ.get(name, default)` to its default."""
        return self._written(node, scope, True, 0)

    def written(self, node: cst.BaseExpression, scope: Scope) -> cst.BaseExpression:
        """Where the value of `node` is written, as the project index places it (its
        `Origin`): the expression names bound once stand for, followed through strips that
        leave their literal as written (`string_methods.leaves_literal`); a strip that
        changes it is written at its own call."""
        return self._written(node, scope, False, 0)

    def read_source(
        self, node: cst.BaseExpression, scope: Scope
    ) -> tuple[cst.BaseExpression, Scope, bool]:
        """The expression a value is read from, with its scope, as the project index follows
        it (`project.resolve.Resolver.read_source`): through names bound once and
        `self.<attr>` bound once in `__init__` (:meth:`resolve_scoped`), strips (`x.strip()`
        reads what `x` reads), pydantic's `SecretStr(x)` (`sdk_names.SECRET_WRAPPERS`) and
        `x.get_secret_value()`, and calls of a function of this module that returns one
        expression (`def _key(): return os.environ.get("K", "").strip()`). The flag says a
        function was followed: what it returns may serve other callers too."""
        through_function = False
        for _ in range(MAX_DEPTH):
            node, scope = self.resolve_scoped(node, scope, members=True)
            if type(node) is not cst.Call:
                break
            parts = strip_parts(node)
            if parts is not None:
                node = parts[0]
                continue
            wrapped = self._secret(node, scope)
            func = node.func
            if type(func) is cst.Attribute and func.attr.value == SECRET_READER and not node.args:
                wrapped = func.value  # `KEY.get_secret_value()` reads what `KEY` holds
            if wrapped is not None:
                # The readers of the read inside are not searched through the wrapper: no
                # fix renames it, as for a read through a function.
                node, through_function = wrapped, True
                continue
            returned = self._returned(node, scope)
            if returned is None:
                break
            node, scope = returned
            through_function = True
        return node, scope, through_function

    def _secret(self, call: cst.Call, scope: Scope) -> cst.BaseExpression | None:
        """`x` of `SecretStr(x)` (`SecretStr(secret_value=x)`), pydantic's class named so."""
        if len(call.args) != 1 or call.args[0].star:
            return None
        keyword = call.args[0].keyword
        if keyword is not None and keyword.value != SECRET_VALUE:
            return None
        return (
            call.args[0].value if self.qualified_name(call.func, scope) in SECRET_WRAPPERS else None
        )

    def _returned(self, call: cst.Call, scope: Scope) -> tuple[cst.BaseExpression, Scope] | None:
        """The one expression a function of this module called by its name returns (every
        `return` of it returns that one), with the function's scope."""
        func = call.func
        if type(func) is not cst.Name:
            return None
        owner = self.owner(func.value, scope)
        if owner is None or len(owner.bindings[func.value]) != 1:
            return None
        function = owner.functions.get(func.value)
        inner = None if function is None else self.bindings.scopes.get(function)
        if function is None or inner is None:
            return None
        from lint_wb.analysis.walk import returned_values  # its import builds libcst's nodes

        returned = returned_values(function)
        return (returned[0], inner) if len(returned) == 1 else None

    def value_place(
        self, node: cst.BaseExpression, scope: Scope, *, env_defaults: bool = False
    ) -> tuple[cst.BaseExpression, cst.SimpleString | None]:
        """Where a finding about the value of `node` is reported, and the literal a fix may
        rewrite (None: none): the literal it is written as (:meth:`written`; with
        `env_defaults`, :meth:`resolve_env_default`), or the strip call that writes it, or
        the f-string or `+` of strings that builds it (where the project index reports it:
        once, SPEC §2), else `node` itself."""
        written = self._written(node, scope, env_defaults, 0)
        if type(written) is cst.SimpleString:
            return written, written
        if type(written) is cst.Call and string_call(written) is not None:
            return written, None
        if type(written).__name__ in JOINED_TEXTS and written is not node:
            text = self.evaluate(node, scope, env_defaults=env_defaults)
            return (written, None) if isinstance(text, str) else (node, None)
        return node, None

    def _written(
        self, node: cst.BaseExpression, scope: Scope, env_defaults: bool, depth: int
    ) -> cst.BaseExpression:
        node, scope = self.resolve_scoped(node, scope)
        if depth > MAX_DEPTH or type(node) is not cst.Call:
            return node
        getter = env_defaults and len(node.args) == 2
        if getter and self.qualified_name(node.func, scope) in ENV_GETTERS:
            return self._written(node.args[1].value, scope, env_defaults, depth + 1)
        parts = string_call(node)
        if parts is None:
            return node
        receiver, method, given = parts
        inner = self._written(receiver, scope, env_defaults, depth + 1)
        text = string_value(inner) if type(inner) is cst.SimpleString else None
        args = [self.evaluate(arg, scope, depth=depth + 1) for arg in given]
        if isinstance(text, str) and leaves_literal(text, method, args):
            return inner
        return node

    # values
    def evaluate(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        *,
        env_defaults: bool = False,
        depth: int = 0,
        members: bool = False,
    ) -> object:
        """What `node` evaluates to (see the module); with `members`, `self.<attr>` bound
        once, in `__init__`, is followed too (:meth:`self_attribute`)."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        evaluator = _Evaluation(self, scope, env_defaults, depth + 1, members)
        return evaluator.value(node)

    def list_elements(
        self, node: cst.BaseExpression, scope: Scope, depth: int = 0
    ) -> list[cst.BaseExpression] | None:
        """The element expressions of a list built from literals with `+` and `*` unpacking."""
        if depth > MAX_DEPTH:
            return None
        node = self.resolve(node, scope)
        if isinstance(node, cst.List):
            elements: list[cst.BaseExpression] = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    inner = self.list_elements(element.value, scope, depth + 1)
                    if inner is None:
                        return None
                    elements.extend(inner)
                else:
                    elements.append(element.value)
            return elements
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self.list_elements(node.left, scope, depth + 1)
            right = self.list_elements(node.right, scope, depth + 1)
            return None if left is None or right is None else left + right
        return None


def strip_parts(
    node: cst.Call,
) -> tuple[cst.BaseExpression, str, cst.BaseExpression | None] | None:
    """`(receiver, method, chars)` of `receiver.strip()` / `.lstrip(chars)` / `.rstrip(chars)`
    (`string_methods.STRIP_METHODS`; `chars` None when none is given); None for any other
    call, or one given a keyword, a spread or more than one argument (str's methods take
    neither: it raises)."""
    func = node.func
    if type(func) is not cst.Attribute or func.attr.value not in STRIP_METHODS:
        return None
    if not node.args:
        return func.value, func.attr.value, None
    arg = node.args[0]
    if len(node.args) > 1 or arg.keyword is not None or arg.star:
        return None
    return func.value, func.attr.value, arg.value


def string_call(
    node: cst.Call,
) -> tuple[cst.BaseExpression, str, tuple[cst.BaseExpression, ...]] | None:
    """`(receiver, method, arguments)` of a call of a string method both evaluators follow
    (`string_methods.STRING_METHODS`) given as many positional arguments as it takes; None
    for any other call, or one given a keyword or a spread."""
    func = node.func
    if type(func) is not cst.Attribute:
        return None
    arity = STRING_METHODS.get(func.attr.value)
    if arity is None or not arity[0] <= len(node.args) <= arity[1]:
        return None
    if any(arg.keyword is not None or arg.star for arg in node.args):
        return None
    return func.value, func.attr.value, tuple(arg.value for arg in node.args)


NAMESPACES: Final = frozenset({"argparse.Namespace", "types.SimpleNamespace"})
"""Classes of the standard library whose call makes a plain new namespace object."""
ARGUMENT_PARSER: Final = "argparse.ArgumentParser"


def _parses_into_new_namespace(call: cst.Call) -> bool:
    """`parser.parse_args()` / `parse_args(argv)`: a new `Namespace` (not one given as
    `namespace=`, or second, which `parse_args` fills and returns)."""
    args = call.args
    return len(args) <= 1 and all(arg.keyword is None and not arg.star for arg in args)


def _last_name(node: cst.BaseExpression) -> str | None:
    """`Base` for `Base` or `module.Base`."""
    dotted = dotted_name(node)
    return None if dotted is None else dotted.rsplit(".", 1)[-1]


class _Evaluation:
    def __init__(
        self, resolver: Resolver, scope: Scope, env_defaults: bool, depth: int, members: bool
    ) -> None:
        self.resolver = resolver
        self.scope = scope
        self.env_defaults = env_defaults
        self.depth = depth
        self.members = members

    def value(self, node: cst.BaseExpression) -> object:
        kind = type(node)
        method = _EVALUATORS.get(kind, _MISSING)
        if method is _MISSING:
            method = _EVALUATORS[kind] = getattr(_Evaluation, f"_{kind.__name__}", None)
        if method is None:
            return UNKNOWN
        result: object = method(self, node)
        return result

    def _sub(self, node: cst.BaseExpression) -> object:
        return self._in(node, self.scope)

    def _in(self, node: cst.BaseExpression, scope: Scope) -> object:
        return self.resolver.evaluate(
            node, scope, env_defaults=self.env_defaults, depth=self.depth, members=self.members
        )

    def _Integer(self, node: cst.Integer) -> object:
        return number_value(node)

    def _Float(self, node: cst.Float) -> object:
        return number_value(node)

    def _SimpleString(self, node: cst.SimpleString) -> object:
        return string_value(node)

    def _ConcatenatedString(self, node: cst.ConcatenatedString) -> object:
        left, right = self._sub(node.left), self._sub(node.right)
        if isinstance(left, str) and isinstance(right, str):
            return _made(left + right)
        return UNKNOWN

    def _FormattedString(self, node: cst.FormattedString) -> object:
        pieces: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
                continue
            if not isinstance(part, cst.FormattedStringExpression):
                return UNKNOWN
            if part.conversion is not None or part.format_spec is not None:
                return UNKNOWN
            value = self._sub(part.expression)
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                return UNKNOWN
            pieces.append(str(value))
        return _made("".join(pieces).replace("{{", "{").replace("}}", "}"))

    def _Name(self, node: cst.Name) -> object:
        constants = {"True": True, "False": False, "None": None}
        if node.value in constants and self.resolver.lookup(node.value, self.scope) is None:
            return constants[node.value]
        bound, owner = self.resolver.resolve_scoped(node, self.scope)
        if bound is node:
            return UNKNOWN
        return self._in(bound, owner)

    def _Attribute(self, node: cst.Attribute) -> object:
        found = self.resolver.self_attribute(node, self.scope) if self.members else None
        return UNKNOWN if found is None else self._in(*found)

    def _UnaryOperation(self, node: cst.UnaryOperation) -> object:
        operand = self._sub(node.expression)
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            return UNKNOWN
        if isinstance(node.operator, cst.Minus):
            return -operand
        if isinstance(node.operator, cst.Plus):
            return operand
        return UNKNOWN

    def _BinaryOperation(self, node: cst.BinaryOperation) -> object:
        if not isinstance(node.operator, cst.Add):
            return UNKNOWN
        left, right = self._sub(node.left), self._sub(node.right)
        if isinstance(left, list) and isinstance(right, list):
            return left + right
        if isinstance(left, str) and isinstance(right, str):
            return _made(left + right)
        return UNKNOWN

    def _elements(self, elements: Iterator[cst.BaseElement]) -> list[object] | None:
        values: list[object] = []
        for element in elements:
            value = self._sub(element.value)
            if value is UNKNOWN:
                return None
            if isinstance(element, cst.StarredElement):
                if not isinstance(value, (list, tuple)):
                    return None
                values.extend(value)
            else:
                values.append(value)
        return values

    def _List(self, node: cst.List) -> object:
        values = self._elements(iter(node.elements))
        return UNKNOWN if values is None else values

    def _Tuple(self, node: cst.Tuple) -> object:
        values = self._elements(iter(node.elements))
        return UNKNOWN if values is None else tuple(values)

    def _Set(self, node: cst.Set) -> object:
        values = self._elements(iter(node.elements))
        try:
            return UNKNOWN if values is None else set(values)
        except TypeError:
            return UNKNOWN

    def _Dict(self, node: cst.Dict) -> object:
        result: dict[object, object] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                spread = self._sub(element.value)
                if not isinstance(spread, dict):
                    return UNKNOWN
                result.update(spread)
                continue
            key, value = self._sub(element.key), self._sub(element.value)
            if key is UNKNOWN or value is UNKNOWN:
                return UNKNOWN
            try:
                result[key] = value
            except TypeError:
                return UNKNOWN
        return result

    def _Call(self, node: cst.Call) -> object:
        parts = string_call(node)
        if parts is not None:
            return self._string_method(*parts)
        name = self.resolver.qualified_name(node.func, self.scope)
        is_dict = isinstance(node.func, cst.Name) and node.func.value == "dict"
        if name is None and is_dict and self.resolver.lookup("dict", self.scope) is None:
            return self._dict_call(node)
        if self.env_defaults and name in ENV_GETTERS and len(node.args) == 2:
            return self._sub(node.args[1].value)
        return UNKNOWN

    def _string_method(
        self, receiver: cst.BaseExpression, method: str, given: tuple[cst.BaseExpression, ...]
    ) -> object:
        args = [self._sub(arg) for arg in given]
        text = self._sub(receiver)
        result = applied(text, method, args) if isinstance(text, str) else None
        return UNKNOWN if result is None else result

    def _dict_call(self, node: cst.Call) -> object:
        result: dict[object, object] = {}
        for arg in node.args:
            if arg.keyword is None:
                return UNKNOWN
            value = self._sub(arg.value)
            if value is UNKNOWN:
                return UNKNOWN
            result[arg.keyword.value] = value
        return result


_MISSING: Final = object()
_EVALUATORS: dict[type, Any] = {}
"""`_Evaluation._<Type>` for each node type met (None: not evaluated)."""


def _made(value: str) -> str | _Unknown:
    """A string the evaluator made from others, or unknown when it is longer than
    `MAX_MADE` (a chain that doubles a value at each step would otherwise take gigabytes)."""
    return UNKNOWN if len(value) > MAX_MADE else value
