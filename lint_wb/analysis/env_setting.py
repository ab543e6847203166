"""`os.environ["OPENAI_BASE_URL"] = URL` written in the module that builds a client: the
OpenAI SDK reads that variable when a client is built with no `base_url`, so a client built
after it targets that URL, in or out of assume-wandb.

Followed only where it is certain, in the module's own text: the module sets the variable
once, by a statement of its top level (not in an `if`, `try`, loop, function or class: it runs
whenever the module is imported), as `os.environ["OPENAI_BASE_URL"] = value`,
`os.environ.setdefault("OPENAI_BASE_URL", value)` or `os.environ.update(OPENAI_BASE_URL=value)`
(`environ` of `from os import environ` too), and names the variable nowhere else (no read that
may go before it, no `pop`, `del` or second write); and the client is built in code written
after that statement (a statement after it, or the body of a function or class defined after
it: neither runs before it). `setdefault` keeps a value the environment already has, as the
default of `os.getenv` is taken for a value the code may use (SPEC §2). Not followed: a
variable set in another module (the order of imports would decide), in a function, or by
`load_dotenv()` and the like.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from lint_wb._cst import cst
from lint_wb.analysis.scopes import dotted_name
from lint_wb.analysis.sdk_names import BASE_URL_VARIABLE
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
    """(environ, value) of one of the three writes."""
    if type(node) is cst.Assign and len(node.targets) == 1:
        target = node.targets[0].target
        if type(target) is cst.Subscript and names_variable(_index(target)):
            return _environ(target.value, node.value)
        return None
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
    keyword = args[0].keyword if len(args) == 1 else None
    if method == "update" and keyword is not None and keyword.value == BASE_URL_VARIABLE:
        return _environ(func.value, args[0].value)
    return None


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


class EnvBaseUrl:
    """The module's setting of `OPENAI_BASE_URL`, as the analysis of the module reads it."""

    def __init__(self, value: cst.BaseExpression, after: int, ordinals: dict[int, int]) -> None:
        self.value = value
        self.after = after
        """The ordinal of the first node after the statement (`ordinals.number_nodes`)."""
        self._ordinals = ordinals

    def reaches(self, call: cst.Call, arguments: CallArguments) -> bool:
        """Whether a client built at `call` with no `base_url=` reads the variable as set:
        written after the statement, with no `**` spread that may pass a `base_url`."""
        return arguments.complete and self._ordinals.get(id(call), -1) >= self.after


def env_base_url(module: cst.Module, bindings: Bindings, resolver: Resolver) -> EnvBaseUrl | None:
    """The module's `EnvBaseUrl`, when it has one (see the module's docstring)."""
    setting = base_url_setting(module, bindings.base_url_mentions)
    if setting is None or setting.statement + 1 >= len(module.body):
        return None  # nothing written after it
    if resolver.qualified_name(setting.environ, bindings.module) != ENVIRON:
        return None
    ordinals = bindings.ordinals()
    after = ordinals.get(id(module.body[setting.statement + 1]))
    return None if after is None else EnvBaseUrl(setting.value, after, ordinals)
