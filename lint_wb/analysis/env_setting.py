"""`os.environ["OPENAI_BASE_URL"] = URL` written in the module that builds a client: the
OpenAI SDK reads that variable when a client is built with no `base_url`, so a client built
after it targets that URL, in or out of assume-wandb.

Followed only where it is certain, in the module's own text: the module sets the variable
once, by a statement of its top level (not in an `if`, `try`, loop, function or class: it runs
whenever the module is imported), as `os.environ["OPENAI_BASE_URL"] = value`,
`os.environ.setdefault("OPENAI_BASE_URL", value)`, `os.environ.update(OPENAI_BASE_URL=value,
...)`, `os.environ.update({"OPENAI_BASE_URL": value, ...})`, `update` of a list or tuple of
pairs (`[("OPENAI_BASE_URL", value)]`) or of `dict(...)` of either or of keywords, or
`os.environ |= {...}` (`environ` of `from os import environ` too; no `*` or `**` spread in
what is written; `dict` taken for the builtin), and names the variable nowhere else (no read
that may go before it, no `pop`, `del` or second write); and the client is built in code
written after that statement (a statement after it, or the body of a function or class
defined after it: neither runs before it). `setdefault` keeps a value the environment
already has, as the default of `os.getenv` is taken for a value the code may use (SPEC §2).
Not followed: a variable set in another module (the order of imports would decide), in a
function, or by `load_dotenv()` and the like.

A function (or a method of a class) written *before* the statement that builds the client
runs after it too when nothing can call it before: no statement of the top level written
before the setting names it, nor names a function or class written before the setting that
names it (what runs at once is read whole: a statement, a class body, decorators and
defaults; a function called then may call others). Another module that imports this one
gets it after the module has run, setting included. Not seen: an import cycle that calls
back into the module before the setting.

The same value reaches what reads the variable when the code written after the setting runs:
the OpenAI module-level client (`openai.chat.completions.create(...)`, built at its first
use from the variable when the module sets no `openai.base_url`; a first use of it by other
code of the process before would have read the variable before it was set) and the
libraries whose data says they read it (LangChain's `ChatOpenAI`, through the SDK's client;
LiteLLM's `openai/` model) when their call is given no base URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from lint_wb._cst import cst
from lint_wb.analysis.scopes import dotted_name
from lint_wb.analysis.sdk_names import BASE_URL_VARIABLE
from lint_wb.analysis.walk import child_nodes
from lint_wb.records import dataclass

if TYPE_CHECKING:
    from lint_wb.analysis.facts import CallArguments
    from lint_wb.analysis.scopes import Bindings
    from lint_wb.analysis.values import Resolver

ENVIRON: Final = "os.environ"
ENVIRON_NAMES: Final = frozenset({ENVIRON, "environ"})


@dataclass(frozen=True)
class BaseUrlSetting:
    """The one statement that sets `OPENAI_BASE_URL` (see the module's docstring)."""

    statement: int
    """Its index in the module's body."""
    environ: cst.BaseExpression
    """What is written as `os.environ` (the caller checks it names it)."""
    value: cst.BaseExpression


def base_url_setting(module: cst.Module, mentions: int) -> BaseUrlSetting | None:
    """The statement of the module's top level that sets the variable, when it is the only
    place of the `mentions` (strings and keywords naming it) the module has."""
    if mentions != 1:
        return None  # set twice, read, removed...: not followed
    for index, statement in enumerate(module.body):
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            found = _setting(small)
            if found is not None:
                return BaseUrlSetting(index, *found)
    return None


def _setting(
    node: cst.BaseSmallStatement,
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(environ, value) of one of the writes (see the module's docstring)."""
    if type(node) is cst.Assign and len(node.targets) == 1:
        target = node.targets[0].target
        if type(target) is cst.Subscript and names_variable(_index(target)):
            return _environ(target.value, node.value)
        return None
    if type(node) is cst.AugAssign:  # `os.environ |= {...}`
        value = _entry(node.value) if type(node.operator) is cst.BitOrAssign else None
        return None if value is None else _environ(node.target, value)
    if type(node) is not cst.Expr or type(node.value) is not cst.Call:
        return None
    call = node.value
    func = call.func
    if type(func) is not cst.Attribute:
        return None
    args = call.args
    plain = not any(arg.keyword or arg.star for arg in args)
    method = func.attr.value
    if method == "setdefault" and len(args) == 2 and plain and names_variable(args[0].value):
        return _environ(func.value, args[1].value)
    if method == "update":
        value = _given(args)
        return None if value is None else _environ(func.value, value)
    return None


def _given(args: Sequence[cst.Arg]) -> cst.BaseExpression | None:
    """The variable's value in the arguments of `update(...)` or `dict(...)`: a keyword, or
    an entry of the one mapping or list of pairs written first (a keyword given too wins)."""
    if any(arg.star for arg in args):
        return None  # `**options` may set it
    positional = [arg.value for arg in args if arg.keyword is None]
    for arg in args:
        if arg.keyword is not None and arg.keyword.value == BASE_URL_VARIABLE:
            return arg.value
    if len(positional) != 1 or args[0].keyword is not None:
        return None
    return _entry(positional[0])


def _entry(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The value of the variable's entry in a dict literal (`{...}`), a list or tuple of
    pairs (`[("OPENAI_BASE_URL", url)]`) or `dict(...)` of either or of keywords, with no
    `*` or `**` spread (one could set the variable again after it)."""
    if type(node) is cst.Call:
        named = type(node.func) is cst.Name and node.func.value == "dict"
        return _given(node.args) if named else None
    if type(node) in (cst.List, cst.Tuple):
        assert isinstance(node, (cst.List, cst.Tuple))
        pairs = [_pair(element) for element in node.elements]
        found = None
        for pair in pairs:
            if pair is None:
                return None
            if names_variable(pair[0]):
                found = pair[1]
        return found
    if type(node) is not cst.Dict:
        return None
    assert isinstance(node, cst.Dict)
    found = None
    for element in node.elements:
        if type(element) is not cst.DictElement:
            return None
        if names_variable(element.key):
            found = element.value
    return found


def _pair(
    element: cst.BaseElement,
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(key, value) of a `(key, value)` element written as a tuple or list of two."""
    value = element.value
    if type(element) is not cst.Element or type(value) not in (cst.Tuple, cst.List):
        return None
    assert isinstance(value, (cst.Tuple, cst.List))
    items = value.elements
    if len(items) != 2 or any(type(item) is not cst.Element for item in items):
        return None
    return items[0].value, items[1].value


def _index(target: cst.Subscript) -> cst.BaseExpression | None:
    if len(target.slice) == 1 and type(target.slice[0].slice) is cst.Index:
        return target.slice[0].slice.value
    return None


def names_variable(node: cst.BaseExpression | None) -> bool:
    """Whether `node` is the string `"OPENAI_BASE_URL"` (a docstring that speaks of it is
    not: only these, and keywords of that name, count as places the module uses it)."""
    return type(node) is cst.SimpleString and node.evaluated_value == BASE_URL_VARIABLE


def _environ(
    environ: cst.BaseExpression, value: cst.BaseExpression
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    return (environ, value) if dotted_name(environ) in ENVIRON_NAMES else None


def later_bodies(
    module: cst.Module, statement: int, ordinals: dict[int, int]
) -> tuple[tuple[int, int], ...]:
    """The ordinal ranges (first, past the last) of the bodies of the functions written
    before the module's statement `statement` that nothing can call before it (see the
    module's docstring)."""
    before = module.body[:statement]
    defined: dict[str, cst.FunctionDef | cst.ClassDef] = {
        s.name.value: s for s in before if isinstance(s, (cst.FunctionDef, cst.ClassDef))
    }
    if not defined:
        return ()
    names = set(defined)
    running = set()
    for written in before:
        for node in _run_at_once(written):
            running |= _names_in(node, names)
    waiting = list(running)
    while waiting:  # what runs before the setting may call the functions it names
        for called in _names_in(defined[waiting.pop()], names) - running:
            running.add(called)
            waiting.append(called)
    ranges = [
        (ordinals[id(body)], ordinals[id(body)] + _size(body))
        for name, written in defined.items()
        if name not in running
        for body in _function_bodies(written)
    ]
    return tuple(sorted(ranges))


def runs_after(ordinal: int, after: int, later: tuple[tuple[int, int], ...]) -> bool:
    """Whether the node of `ordinal` runs only after the setting: written after it, or in a
    function body of `later_bodies`."""
    return ordinal >= after or any(start <= ordinal < end for start, end in later)


def _run_at_once(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """What of a top-level statement runs when the module runs it: a function's decorators,
    parameters (defaults) and annotations, a class's decorators, bases and body (but for
    its functions' bodies), any other statement whole."""
    if type(statement) is cst.FunctionDef:
        returns = [statement.returns] if statement.returns is not None else []
        return [*statement.decorators, statement.params, *returns]
    if type(statement) is cst.ClassDef:
        found: list[cst.CSTNode] = [*statement.decorators, *statement.bases, *statement.keywords]
        for inner in _statements(statement):
            found += _run_at_once(inner)
        return found
    return [statement]


def _function_bodies(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The bodies of a function, or of a class's methods (and its classes' methods)."""
    if type(statement) is cst.FunctionDef:
        return [statement.body]
    if type(statement) is cst.ClassDef:
        return [body for inner in _statements(statement) for body in _function_bodies(inner)]
    return []


def _statements(node: cst.ClassDef) -> list[cst.CSTNode]:
    body = node.body
    return list(body.body) if type(body) is cst.IndentedBlock else []


def _names_in(node: cst.CSTNode, names: set[str]) -> set[str]:
    """Which of `names` the code of `node` names."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Name and current.value in names:
            found.add(current.value)
        stack.extend(child_nodes(current))
    return found


def _size(node: cst.CSTNode) -> int:
    """How many ordinals the subtree of `node` takes (`ordinals.ordered_nodes`)."""
    count = 0
    stack = [node]
    while stack:
        count += 1
        stack.extend(child_nodes(stack.pop()))
    return count


class EnvBaseUrl:
    """The module's setting of `OPENAI_BASE_URL`, as the analysis of the module reads it."""

    def __init__(
        self,
        value: cst.BaseExpression,
        after: int,
        ordinals: dict[int, int],
        later: tuple[tuple[int, int], ...] = (),
    ) -> None:
        self.value = value
        self.after = after
        """The ordinal of the first node after the statement (`ordinals.number_nodes`)."""
        self.later = later
        """The bodies written before it that run only after it (`later_bodies`)."""
        self._ordinals = ordinals

    def reaches(self, call: cst.Call, arguments: CallArguments) -> bool:
        """Whether a client built at `call` with no `base_url=` reads the variable as set:
        run after the statement, with no `**` spread that may pass a `base_url`."""
        ordinal = self._ordinals.get(id(call), -1)
        return arguments.complete and runs_after(ordinal, self.after, self.later)


def env_base_url(module: cst.Module, bindings: Bindings, resolver: Resolver) -> EnvBaseUrl | None:
    """The module's `EnvBaseUrl`, when it has one (see the module's docstring)."""
    setting = base_url_setting(module, bindings.base_url_mentions)
    if setting is None or setting.statement + 1 >= len(module.body):
        return None  # nothing written after it
    if resolver.qualified_name(setting.environ, bindings.module) != ENVIRON:
        return None
    ordinals = bindings.ordinals()
    after = ordinals.get(id(module.body[setting.statement + 1]))
    if after is None:
        return None
    later = later_bodies(module, setting.statement, ordinals)
    return EnvBaseUrl(setting.value, after, ordinals, later)
