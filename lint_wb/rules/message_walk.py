"""What the WB4xx rules share: finding the messages of a chat request.

`messages=` is followed through names bound once (and not mutated) to a list literal, and
through `+` and `*` unpacking of such lists. Each element that resolves to a dict literal is
a :class:`Message`; an element that is a call or an unknown name is skipped. A list with an
unknown part (`[*history, {...}]`) still has its literal elements checked: each of them is
certainly sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, Keyword, Request
from lint_wb.analysis.scopes import Scope
from lint_wb.rules.base import Report, Rule, RuleContext

MAX_DEPTH: Final = 16
SHOWN_LENGTH: Final = 60


@dataclass(frozen=True)
class Item:
    """One element of a list: the expression as written, and what it resolves to."""

    written: cst.BaseExpression
    node: cst.BaseExpression
    scope: Scope


@dataclass(frozen=True)
class DictFacts:
    """A dict literal read key by key: a message, a content part, a tool call."""

    node: cst.Dict
    scope: Scope
    entries: dict[str, cst.DictElement]
    """The entries whose key is a known string (the last one wins, as in Python)."""
    closed: bool
    """No `**` spread and no unknown key: a key not in `entries` is certainly absent."""

    def get(self, key: str) -> cst.DictElement | None:
        return self.entries.get(key)

    def lacks(self, key: str) -> bool:
        return self.closed and key not in self.entries


Message = DictFacts


class MessageRule(Rule):
    """Base of the WB4xx rules: reads `messages=` of each request, reports each node once
    (a message list bound to a name may be sent by several requests)."""

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._reported: set[tuple[int, str]] = set()

    def check_request(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("messages")
        if keyword is None:
            return
        for report in self.check_messages(request, keyword):
            key = (id(report.node), report.message)
            if key not in self._reported:
                self._reported.add(key)
                yield report

    def check_messages(self, request: Request, keyword: Keyword) -> Iterator[Report]:
        return iter(())

    # reading the code
    def items(self, keyword: Keyword, scope: Scope) -> list[Item]:
        """The elements of `messages=`; a dict given as `messages` counts as its one message."""
        node, owner = self.resolver.resolve_scoped(keyword.value, scope)
        if isinstance(node, cst.Dict):
            return [Item(keyword.value, node, owner)]
        return list(self.list_items(node, owner))

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
            if isinstance(item.node, cst.Dict):
                yield self.read_dict(item.node, item.scope)

    def read_dict(self, node: cst.Dict, scope: Scope) -> DictFacts:
        entries: dict[str, cst.DictElement] = {}
        closed = True
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                closed = False
                continue
            key = self.resolver.evaluate(element.key, scope)
            if isinstance(key, str):
                entries[key] = element
            else:
                closed = False
        return DictFacts(node, scope, entries, closed)

    def entry_value(self, facts: DictFacts, key: str) -> object:
        """What the value under `key` evaluates to; UNKNOWN when absent or unknown."""
        entry = facts.get(key)
        if entry is None:
            return UNKNOWN
        return self.resolver.evaluate(entry.value, facts.scope)

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
