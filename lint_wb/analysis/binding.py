"""The binding pass: one walk over a module that fills a :class:`~lint_wb.analysis.scopes.Bindings`.

It walks with :class:`~lint_wb.analysis.walk.Walker`, which reads the tree without the
cost of libcst's own visitor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from lint_wb._cst import cst
from lint_wb.analysis.comprehensions import bound_reads
from lint_wb.analysis.dicts import HandsOnDicts, stored_key
from lint_wb.analysis.env_setting import names_variable
from lint_wb.analysis.iterated_args import IteratedArgs
from lint_wb.analysis.scopes import (
    AMBIGUOUS_IMPORT,
    ANY_ATTRIBUTE,
    MUTATING_METHODS,
    AttributeStore,
    Bindings,
    CallSite,
    Scope,
    dotted_name,
)
from lint_wb.analysis.sdk_names import BASE_URL_VARIABLE, BASE_URL_VARIABLES
from lint_wb.analysis.walk import Walker

if TYPE_CHECKING:
    from lint_wb.module_parse import ParsedModule


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            names.extend(_target_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _target_attributes(target: cst.BaseExpression) -> list[cst.Attribute]:
    """The attributes a tuple or list target binds (`self.a, self.b = ...`,
    `c.base_url, x = ...`)."""
    if isinstance(target, cst.Attribute):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [found for element in target.elements for found in _target_attributes(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_attributes(target.value)
    return []


ATTRIBUTE_SETTERS = frozenset({"setattr", "delattr", "__setattr__", "__delattr__"})
"""Calls that store an attribute by its name as a string (`setattr(o, "key", v)`,
`object.__setattr__(self, "key", v)`)."""


def _set_attribute(call: cst.Call) -> tuple[str, cst.BaseExpression | None]:
    """The attribute an `ATTRIBUTE_SETTERS` call names by a string literal among its first two
    arguments (`setattr(o, "key", v)`, `o.__setattr__("key", v)`), else `ANY_ATTRIBUTE`; with
    the object it stores on where that is plain (`o`; None: not known here, as for
    `object.__setattr__(self, "key", v)` read as a method's call)."""
    args = call.args
    receiver: cst.BaseExpression | None = None
    if isinstance(call.func, cst.Name):
        receiver = args[0].value if args and args[0].keyword is None and not args[0].star else None
    elif args and isinstance(args[0].value, cst.SimpleString):
        receiver = cast(cst.Attribute, call.func).value  # `o.__setattr__("key", v)`
    for arg in args[:2]:
        if isinstance(arg.value, cst.SimpleString) and arg.keyword is None:
            name = arg.value.evaluated_value
            return (name if isinstance(name, str) else ANY_ATTRIBUTE), receiver
    return ANY_ATTRIBUTE, receiver


def _import_alias_name(alias: cst.ImportAlias) -> str | None:
    return dotted_name(alias.name)


class BindingCollector(HandsOnDicts, Walker):
    """One pass over a module that fills a :class:`Bindings`."""

    def __init__(self, module: cst.Module, package: str | None = None) -> None:
        super().__init__()
        self.package = package
        """The package the module belongs to, for relative imports (None: unknown)."""
        self.module_scope = Scope(module, None)
        self.scopes: dict[cst.CSTNode, Scope] = {module: self.module_scope}
        self.stack: list[Scope] = [self.module_scope]
        self.class_stack: list[cst.ClassDef | None] = [None]
        self.self_attributes: dict[cst.ClassDef, dict[str, list[cst.BaseExpression | None]]] = {}
        self.self_assignments: dict[
            cst.ClassDef, dict[str, list[tuple[cst.BaseExpression | None, Scope]]]
        ] = {}
        self.frames: list[cst.CSTNode] = []
        self.mutated: dict[str, list[Scope]] = {}
        self.key_stores: dict[str, list[tuple[Scope, str]]] = {}
        """Each name given a store under a literal key, with where and the key."""
        self.handed: dict[str, list[Scope]] = {}
        """Each name handed on (`dicts.handed_on`), with the scopes it is handed on in."""
        """Each name that may be changed after its binding, with the scopes that may change it."""
        self.comprehension_reads: list[cst.Name] = []
        self.star_imported = False
        """The module has a `from m import *` (which may bind a builtin's name)."""
        self.iterated: IteratedArgs[Scope] = IteratedArgs()
        """The arguments of `list(...)`, `sorted(...)`...: only iterated (`iterated_args`)."""
        self.names_base_url_variable = False
        self.base_url_mentions = 0
        """How many strings and keywords name `OPENAI_BASE_URL` (`env_setting.py`)."""
        self.base_url_variables: set[str] = set()
        self.calls: list[CallSite] = []
        self.attribute_assignments: list[tuple[str, cst.BaseExpression | None, Scope]] = []
        self.stored_attributes: dict[str, list[AttributeStore]] = {}
        """Attributes stored on anything but a method's own `self`, each with the object
        stored on and where (`Bindings.stored_attributes`)."""
        self.nodes: list[cst.CSTNode] = []

    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    def result(self) -> Bindings:
        bindings = (s.bindings for s in self.scopes.values())
        for scope, arg in self.iterated.shadowed(bindings, star=self.star_imported):
            self.stack.append(scope)  # `list` is the module's own: what it does is not known
            self._pass_arg(arg)
            self.stack.pop()
        return Bindings(
            self.scopes,
            self.module_scope,
            self.self_attributes,
            {name: tuple(scopes) for name, scopes in self.mutated.items()},
            {name: tuple(stores) for name, stores in self.key_stores.items()},
            self.calls,
            self.attribute_assignments,
            self.self_assignments,
            self.names_base_url_variable,
            self.nodes,
            frozenset(self.base_url_variables),
            self.base_url_mentions,
            stored_attributes={
                name: tuple(found) for name, found in self.stored_attributes.items()
            },
            handed={name: tuple(scopes) for name, scopes in self.handed.items()},
            comprehension_reads=frozenset(self.comprehension_reads),
        )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "OPENAI_" in node.value:
            named = {name for name in BASE_URL_VARIABLES if name in node.value}
            self.base_url_variables |= named
            if BASE_URL_VARIABLE in named:
                self.names_base_url_variable = True
                self.base_url_mentions += names_variable(node)

    # scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.bind(node.name.value, None)
        self._hand_defaults(node.params)
        if not (self.frames and isinstance(self.frames[-1], cst.ClassDef)):
            self.scope.functions[node.name.value] = node
        self._enter(node)
        for param in _all_params(node.params):
            self.scope.bind(param.name.value, None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._hand_defaults(node.params)
        self._hand_on(node.body)
        self._enter(node)
        for param in _all_params(node.params):
            self.scope.bind(param.name.value, None)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._leave()

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self.comprehension_reads += bound_reads(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self.comprehension_reads += bound_reads(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.comprehension_reads += bound_reads(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self.comprehension_reads += bound_reads(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.bind(node.name.value, None)
        self.scope.classes[node.name.value] = node
        self.frames.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.frames.pop()

    def _enter(self, node: cst.FunctionDef | cst.Lambda) -> None:
        # `self` in a method, and in functions nested in it, is an instance of the class
        # whose body holds the method.
        owner = self.frames[-1] if self.frames else None
        self.class_stack.append(owner if isinstance(owner, cst.ClassDef) else self.class_stack[-1])
        scope = Scope(node, self.scope, owner_class=self.class_stack[-1])
        self.scopes[node] = scope
        self.stack.append(scope)
        self.frames.append(node)

    def _leave(self) -> None:
        self.stack.pop()
        self.class_stack.pop()
        self.frames.pop()

    def _hand_defaults(self, params: cst.Parameters) -> None:
        """`def f(d=MODELS)`: the default is handed on in the enclosing scope."""
        for param in _all_params(params):
            if param.default is not None:
                self._hand_on(param.default)

    def _hand_one(self, handed: cst.Name | cst.Attribute) -> None:
        if type(handed) is cst.Name:
            self.handed.setdefault(handed.value, []).append(self.scope)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._hand_on(node.value)

    # bindings
    def visit_Assign(self, node: cst.Assign) -> None:
        self._hand_on(node.value)
        for target in node.targets:
            self._bind_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._hand_on(node.value)
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._hand_on(node.value)
        self._bind_target(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self._hand_items(node.iter)  # `for d in (MODELS,)`: each item is bound to `d`
        self._bind_target(node.target, None)

    def visit_Match(self, node: cst.Match) -> None:
        self._hand_on(node.subject)  # `case dict() as d:` binds the subject to `d`

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            # `with OpenAI(...) as client`: a client's context manager returns the client.
            self._bind_target(node.asname.name, node.item)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, None)

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals_declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocals_declared.update(item.name.value for item in node.names)

    def visit_Del(self, node: cst.Del) -> None:
        if isinstance(node.target, cst.Subscript):
            self._mark_mutated(node.target)  # `del x["k"]`: the key may be gone
            return
        self._bind_target(node.target, None)

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value)
        elif isinstance(target, cst.Attribute):
            self._bind_attribute(target, value)
        elif isinstance(target, cst.Subscript):
            stored = stored_key(target)
            if stored is None:
                self._mark_mutated(target)  # `x[0] = ...`, `x[0]["k"] += ...`
            else:
                name, key = stored  # `x["k"] = ...`: that key only (`dicts.read_spread`)
                self.key_stores.setdefault(name, []).append((self.scope, key))
        else:
            for name in _target_names(target):
                self.scope.bind(name, None)
            for attribute in _target_attributes(target):  # a value not known here
                if self._note_self_assignment(attribute, None) is None:
                    self._note_stored(attribute.attr.value, attribute.value)
                dotted = dotted_name(attribute)
                if dotted is not None:
                    self.attribute_assignments.append((dotted, None, self.scope))

    def _bind_attribute(self, target: cst.Attribute, value: cst.BaseExpression | None) -> None:
        dotted = dotted_name(target)
        if dotted is not None:
            self.attribute_assignments.append((dotted, value, self.scope))
        owner = self._note_self_assignment(target, value)
        if owner is not None:
            attributes = self.self_attributes.setdefault(owner, {})
            attributes.setdefault(target.attr.value, []).append(value)
        else:
            self._note_stored(target.attr.value, target.value)  # `holder.key = ...`

    def _note_stored(self, name: str, receiver: cst.BaseExpression | None) -> None:
        self.stored_attributes.setdefault(name, []).append((receiver, self.scope))

    def _note_self_assignment(
        self, target: cst.Attribute, value: cst.BaseExpression | None
    ) -> cst.ClassDef | None:
        """Record a binding of `self.<attr>` in a method; its class (None: no such binding)."""
        owner = self.class_stack[-1]
        if owner is None or not isinstance(target.value, cst.Name) or target.value.value != "self":
            return None
        assignments = self.self_assignments.setdefault(owner, {})
        assignments.setdefault(target.attr.value, []).append((value, self.scope))
        return owner

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, (cst.Name, cst.Attribute)):
            self.calls.append(CallSite(node, self.scope, self.class_stack[-1]))
            called = node.func.value if isinstance(node.func, cst.Name) else node.func.attr.value
            if called in ATTRIBUTE_SETTERS:
                self._note_stored(*_set_attribute(node))
            self.iterated.note_call(node)

    # mutation of a list, dict or set bound to a name
    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in MUTATING_METHODS:
            self._mark_mutated(node.value)  # `x.append(...)`, `x[0].update(...)`

    def _mark_mutated(self, node: cst.BaseExpression) -> None:
        """Mark the name at the root of `x`, `x[0]`, `x[0]["k"]` as possibly changed; a
        change of an object's attribute dict (`o.__dict__[k] = v`, `vars(o).update(...)`)
        may store any attribute."""
        while isinstance(node, (cst.Subscript, cst.Attribute)):
            if isinstance(node, cst.Attribute) and node.attr.value == "__dict__":
                self._note_stored(ANY_ATTRIBUTE, node.value)
            node = node.value
        called = node.func if isinstance(node, cst.Call) else None
        if isinstance(called, cst.Name) and called.value == "vars":
            assert isinstance(node, cst.Call)
            args = node.args
            plain = len(args) == 1 and args[0].keyword is None and not args[0].star
            self._note_stored(ANY_ATTRIBUTE, args[0].value if plain else None)
        if isinstance(node, cst.Name):
            self._note_mutated(node.value)
        else:
            self._hand_on(node)  # `(a or MODELS)["k"] = v`: changed out of its name's sight

    def _note_mutated(self, name: str) -> None:
        self.mutated.setdefault(name, []).append(self.scope)

    def visit_Arg(self, node: cst.Arg) -> None:
        if self.iterated.take(node, self.scope):
            self._hand_items(node.value)  # `list(MODELS)`: its keys, a new list
            return
        self._pass_arg(node)

    def _pass_arg(self, node: cst.Arg) -> None:
        """`f(x)`: what `f` may do with `x` (hand it on, change it in place)."""
        self._hand_arg(node)
        if node.keyword is None and isinstance(node.value, cst.Name) and not node.star:
            self._note_mutated(node.value.value)
        elif node.keyword is not None and node.keyword.value == BASE_URL_VARIABLE:
            # `os.environ.update(OPENAI_BASE_URL=...)` names it too
            self.names_base_url_variable = True
            self.base_url_mentions += 1

    # imports
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = _import_alias_name(alias)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._import(alias.asname.name.value, full)
            else:
                head = full.split(".")[0]
                self._import(head, head)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self._star_import()
            return
        module = self._absolute_module(node)
        if module is None:
            return
        for alias in node.names:
            name = _import_alias_name(alias)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._import(local, f"{module}.{name}")

    def _absolute_module(self, node: cst.ImportFrom) -> str | None:
        """`from .llm import x` in package `app` -> `app.llm` (None when it cannot be known)."""
        named = dotted_name(node.module) if node.module is not None else None
        if not node.relative:
            return named
        if self.package is None:
            return None
        parts = self.package.split(".") if self.package else []
        up = len(node.relative) - 1
        if up > len(parts):
            return None
        base = parts[: len(parts) - up]
        return ".".join([*base, named] if named else base) or None

    def _star_import(self) -> None:
        """`from m import *` may bind any public name again: a value the module bound to one
        before is not known to be live after it (the project index knows which names it
        binds, and follows them: `project/resolve.star_source`)."""
        if self.scope.parent is not None:
            return  # a syntax error in Python 3
        self.star_imported = True
        for name, values in list(self.scope.bindings.items()):
            if not name.startswith("_") and any(value is not None for value in values):
                self.scope.bind(name, None)

    def _import(self, local: str, full: str) -> None:
        earlier = self.scope.imports.get(local)
        # Imported as two different things (`try: from openai import AzureOpenAI as OpenAI`
        # `except: from openai import OpenAI`): which one is live is not known.
        self.scope.imports[local] = full if earlier in (None, full) else AMBIGUOUS_IMPORT
        self.scope.bind(local, None)


def _all_params(params: cst.Parameters) -> Sequence[cst.Param]:
    found: list[cst.Param] = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        found.append(params.star_arg)
    if params.star_kwarg is not None:
        found.append(params.star_kwarg)
    return found


def collect_bindings(module: cst.Module, package: str | None = None) -> Bindings:
    collector = BindingCollector(module, package)
    collector.walk_numbering(module, collector.nodes)
    return collector.result()


def bindings_of(parsed: ParsedModule, package: str | None) -> Bindings:
    """The binding pass over a parse, made once for it (`ParsedModule.walked`): the project
    index summarises a module with its node numbering (`Bindings.nodes`), and the lint of
    the same parse reads the bindings, so a parse both summarised and linted is walked by
    this pass once, and by the summariser's own walk."""
    made = parsed.walked.get(package)
    if made is None:
        made = parsed.walked[package] = collect_bindings(parsed.module, package)
        made.dropped = parsed.partial.dropped
    return made
