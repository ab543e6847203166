"""What the WB4xx rules share: finding the messages of a chat request.

`messages=` is followed through names bound once (and not mutated) to a list literal, and
through `+` and `*` unpacking of such lists. Each element that resolves to a dict literal is
a :class:`Message`; an element that is a call or an unknown name is skipped. A list with an
unknown part (`[*history, {...}]`) still has its literal elements checked: each of them is
certainly sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Final, cast

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, Keyword, ModuleFacts, Request
from lint_wb.analysis.dicts import DictReading, read_dict
from lint_wb.analysis.scopes import Scope
from lint_wb.records import dataclass
from lint_wb.rules.base import Report, ReportsOnce, RuleContext

MAX_DEPTH: Final = 16
SHOWN_LENGTH: Final = 60


@dataclass(frozen=True)
class Item:
    """One element of a list: the expression as written, and what it resolves to."""

    written: cst.BaseExpression
    node: cst.BaseExpression
    scope: Scope


Message = DictReading
"""A message: a dict literal (or `dict(...)` call) in `messages`, read by the one reading."""


class MessageRule(ReportsOnce):
    """Base of the WB4xx rules: reads `messages=` of each request, reports each node once
    (a message list bound to a name may be sent by several requests).

    `messages` written in this module and sent by a W&B request elsewhere in the project
    (`facts.message_uses`: a prompts module's constant, what a builder returns) is checked
    here, where it is written, once, naming one request that sends it, unless a request of
    this module already reached it."""

    origin_fixes: bool = True
    """Whether a fix may edit `messages` checked where it is written: False where the fix
    would change what the value is for other code too (a dict wrapped in a list)."""

    checks_shared_origin: bool = True
    """Whether `messages` written at module level is checked where it is written: False
    where another module appending to the list would make the finding wrong (WB408)."""

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._reached: set[cst.CSTNode] = set()

    def check_request(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("messages")
        if keyword is None:
            return
        self._reached.add(self.resolver.resolve(keyword.value, request.scope))
        yield from self.unreported(self.check_messages(keyword, request.scope))

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        for use in facts.message_uses:
            shared = isinstance(use.scope.node, cst.Module)
            if use.node in self._reached or (shared and not self.checks_shared_origin):
                continue
            self._reached.add(use.node)
            # One message of a list: checked as the one element of a list standing for it.
            value = cst.List([cst.Element(use.node)]) if use.single else use.node
            keyword = Keyword("messages", value)
            for report in self.unreported(self.check_messages(keyword, use.scope)):
                message = f"{report.message} (sent by the request in {use.request})"
                fix = report.fix if self.origin_fixes else None
                yield dataclasses.replace(report, message=message, fix=fix)

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        return iter(())

    # reading the code
    def items(self, keyword: Keyword, scope: Scope) -> list[Item]:
        """The elements of `messages=`; a dict given as `messages` counts as its one message.
        Read once per module and shared by the WB4xx rules."""
        key = ("items", keyword.value, id(scope))
        found = self.context.readings.get(key)
        if not isinstance(found, tuple):
            found = self.context.readings[key] = self._items(keyword, scope)
        return list(cast("tuple[Item, ...]", found))

    def _items(self, keyword: Keyword, scope: Scope) -> tuple[Item, ...]:
        node, owner = self.resolver.resolve_scoped(keyword.value, scope)
        if isinstance(node, cst.Dict):
            return (Item(keyword.value, node, owner),)
        return tuple(self.list_items(node, owner))

    def list_items(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Iterator[Item]:
        """The known elements of a list or tuple built from literals, `+` and `*`."""
        if depth > MAX_DEPTH:
            return
        node, scope = self.resolver.resolve_scoped(node, scope)
        if isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    yield from self.list_items(element.value, scope, depth + 1)
                else:
                    resolved, owner = self.resolver.resolve_scoped(element.value, scope)
                    yield Item(element.value, resolved, owner)
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            yield from self.list_items(node.left, scope, depth + 1)
            yield from self.list_items(node.right, scope, depth + 1)

    def messages(self, keyword: Keyword, scope: Scope) -> Iterator[Message]:
        for item in self.items(keyword, scope):
            message = self.read_dict(item.node, item.scope)
            if message is not None:
                yield message

    def read_dict(self, node: cst.BaseExpression, scope: Scope) -> DictReading | None:
        """The one reading of a dict (see `analysis/dicts.py`); None for anything else. Read
        once per module and shared by the WB4xx rules."""
        key = ("dict", node, id(scope))
        readings = self.context.readings
        if key not in readings:
            readings[key] = read_dict(node, scope, self.resolver)
        reading = readings[key]
        return reading if isinstance(reading, DictReading) else None

    def entry_value(self, facts: DictReading, key: str) -> object:
        """What the value under `key` evaluates to; UNKNOWN when absent, when a later
        `**spread` may replace it, or when it cannot be evaluated."""
        entry = facts.get(key)
        if entry is None:
            return UNKNOWN
        return self.resolver.evaluate(entry.value, entry.scope)

    def role(self, message: Message) -> str | None:
        """The role a message plays: its `role` when valid, or the role a case slip or a
        synonym (`User`, `human`, `developer`) stands for; None when unknown or none."""
        value = self.entry_value(message, "role")
        if not isinstance(value, str):
            return None
        spec = self.spec.api.messages
        lowered = value.lower()
        if lowered in spec.roles:
            return lowered
        synonym = spec.role_synonyms.get(lowered)
        return None if synonym is None else synonym.role

    def shown(self, node: cst.CSTNode) -> str:
        """The code of `node` on one line, cut to a readable length, for a message."""
        code = " ".join(self.context.facts.module.code_for_node(node).split())
        return code if len(code) <= SHOWN_LENGTH else code[: SHOWN_LENGTH - 3] + "..."


def is_string_node(node: cst.BaseExpression) -> bool:
    """A str literal: plain, implicitly concatenated or an f-string (not bytes)."""
    if isinstance(node, cst.SimpleString):
        return "b" not in node.prefix.lower()
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def quote_of(node: cst.CSTNode) -> str:
    """The quote the first plain string literal in `node` uses: new keys are written alike."""
    found: list[str] = []

    class _Finder(cst.CSTVisitor):
        def visit_SimpleString(self, string: cst.SimpleString) -> bool:
            if not found and string.prefix == "" and string.quote in ('"', "'"):
                found.append(string.quote)
            return False

    node.visit(_Finder())
    return found[0] if found else '"'


def string_key(name: str, quote: str) -> cst.SimpleString:
    return cst.SimpleString(f"{quote}{name}{quote}")


def dict_entry(key: str, value: cst.BaseExpression, quote: str) -> cst.DictElement:
    return cst.DictElement(
        string_key(key, quote),
        value,
        whitespace_before_colon=cst.SimpleWhitespace(""),
        whitespace_after_colon=cst.SimpleWhitespace(" "),
    )


def insert_first(node: cst.List, value: cst.BaseExpression) -> cst.List:
    """`node` with `value` as its first element, on a line of its own where the elements
    stand on lines of their own, and followed by a space where they share one.

    A comment after `[` stays there; comment lines above the old first element stay above it.
    """
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[cst.Element(value)])
    lbracket = node.lbracket
    separator = lbracket.whitespace_after
    if isinstance(separator, cst.ParenthesizedWhitespace):
        lbracket = lbracket.with_changes(whitespace_after=separator.with_changes(empty_lines=[]))
        separator = separator.with_changes(first_line=cst.TrailingWhitespace())
    elif isinstance(separator, cst.SimpleWhitespace) and not separator.value:
        separator = cst.SimpleWhitespace(" ")
    first = cst.Element(value, comma=cst.Comma(whitespace_after=separator))
    return node.with_changes(lbracket=lbracket, elements=[first, *elements])
