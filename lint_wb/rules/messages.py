"""WB401, WB402, WB408, WB409: the `messages` array as a whole and its elements' shape.

What each message holds is checked in `message_fields.py` (WB403, WB404, WB406) and
`content.py` (WB405, WB407); how messages are found is in `message_walk.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import Keyword, Request
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Severity
from lint_wb.rules.base import FixProposal, FixSafety, Replacement, Report, safe_fix, unsafe_fix
from lint_wb.rules.edits import without_arg
from lint_wb.rules.message_walk import (
    Item,
    MessageRule,
    dict_entry,
    insert_first,
    is_string_node,
    quote_of,
)

SHAPE = '[{"role": "user", "content": "..."}]'


class MessagesNotAList(MessageRule):
    """`messages` is not a list of message objects.

    ## What it does
    Flags `messages=` given as a dict (one message not wrapped in a list), a string, a tuple
    or a set literal, written in the call or bound once to a name.

    ## Why is this bad?
    W&B Inference takes `messages` as a JSON array of message objects. The SDK sends a dict
    or a string as it is, and W&B rejects the request (400/422); a set cannot be sent at all.
    A tuple happens to be converted by the SDK, but type checkers reject it and it reads as
    a mistake.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages={"role": "user", "content": q})
    client.chat.completions.create(model=MODEL, messages=prompt)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": q}])
    client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": prompt}])
    ```

    ## Fix safety
    Safe: a single dict is wrapped in a list, and a tuple written in the call becomes a list
    with the same elements (what the SDK sends either way). Unsafe: a string becomes
    `[{"role": "user", "content": <the string>}]`, which decides that the text is the
    user's. A set has no fix. A value written in another module (a prompts constant) is
    reported there without a fix: other code may use it as it is.
    """

    code = "WB401"
    name = "messages-not-a-list"
    severity = Severity.ERROR
    fix_safety = FixSafety.SOMETIMES
    origin_fixes = False

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        node = self.resolver.resolve(keyword.value, scope)
        value = keyword.value
        if not isinstance(node, (cst.Dict, cst.Tuple, cst.Set)) and not is_string_node(node):
            return  # a list, or not known: the code is not shown (generating it costs)
        found = f"messages={self.shown(value)}"
        if isinstance(node, cst.Dict):
            message = f"{found} is a single message, not a list: W&B rejects it. Wrap it: [{{...}}]"
            wrapped = cst.List([cst.Element(value)])
            fix = safe_fix("Wrap in a list", Replacement(value, wrapped))
            yield self.report(value, message, fix)
        elif is_string_node(node):
            message = f"{found} is a string, not a list of messages: W&B rejects it. Use {SHAPE}"
            new = cst.List([cst.Element(_user_message(value))])
            fix = unsafe_fix("Send it as one user message", Replacement(value, new))
            yield self.report(value, message, fix)
        elif isinstance(node, cst.Tuple):
            message = f"{found} is a tuple: messages is a list of message objects. Use [...]"
            yield self.report(value, message, _tuple_fix(value))
        elif isinstance(node, cst.Set):
            message = f"{found} is a set, which has no order and cannot be sent. Use {SHAPE}"
            yield self.report(value, message)


def _user_message(content: cst.BaseExpression) -> cst.Dict:
    quote = quote_of(content) if isinstance(content, cst.SimpleString) else '"'
    role = cst.SimpleString(f"{quote}user{quote}")
    role_entry = dict_entry("role", role, quote).with_changes(
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    return cst.Dict([role_entry, dict_entry("content", content, quote)])


def _tuple_fix(value: cst.BaseExpression) -> FixProposal | None:
    if not isinstance(value, cst.Tuple) or len(value.lpar) != 1 or not value.elements:
        return None
    elements = list(value.elements)
    last = elements[-1]
    comma = last.comma
    after = comma.whitespace_after if isinstance(comma, cst.Comma) else None
    one_line = isinstance(after, cst.SimpleWhitespace)
    if len(elements) == 1 and one_line:
        # `(x,)`: the comma only made it a tuple.
        elements[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    new = cst.List(
        elements,
        lbracket=cst.LeftSquareBracket(whitespace_after=value.lpar[0].whitespace_after),
        rbracket=cst.RightSquareBracket(whitespace_before=value.rpar[0].whitespace_before),
    )
    return safe_fix("Make it a list", Replacement(value, new))


class MessageNotAnObject(MessageRule):
    """An element of `messages` that is not a message object.

    ## What it does
    Flags an element of the `messages` list that is a string, a tuple such as
    `("user", "hi")` (the shape LangChain and some tutorials use), a nested list, a set or
    a number.

    ## Why is this bad?
    Each message must be an object with a `role` and a `content`; W&B rejects anything else
    with 400/422.

    ## Example
    ```python
    messages = [("system", "Be brief."), ("user", question)]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```
    Use instead:
    ```python
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": question}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    Safe: a `(role, content)` pair of string literals whose role is valid becomes
    `{"role": ..., "content": ...}`. Other elements have no fix.
    """

    code = "WB402"
    name = "message-not-an-object"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        for item in self.items(keyword, scope):
            kind = _kind(item.node)
            if kind is None:
                continue
            message = (
                f"Message {self.shown(item.written)} is {kind}, not an object: W&B rejects it. "
                'Write each message as {"role": ..., "content": ...}'
            )
            yield self.report(item.written, message, self._fix(item))

    def _fix(self, item: Item) -> FixProposal | None:
        node = item.written
        if not isinstance(node, cst.Tuple) or len(node.elements) != 2 or len(node.lpar) != 1:
            return None
        role, content = node.elements
        if isinstance(role, cst.StarredElement) or isinstance(content, cst.StarredElement):
            return None
        if not isinstance(role.value, cst.SimpleString) or not is_string_node(content.value):
            return None
        if role.value.evaluated_value not in self.spec.api.messages.roles:
            return None
        quote = quote_of(role.value)
        new = cst.Dict(
            [
                dict_entry("role", role.value, quote).with_changes(comma=role.comma),
                dict_entry("content", content.value, quote).with_changes(comma=content.comma),
            ],
            lbrace=cst.LeftCurlyBrace(whitespace_after=node.lpar[0].whitespace_after),
            rbrace=cst.RightCurlyBrace(whitespace_before=node.rpar[0].whitespace_before),
        )
        return safe_fix("Write it as a dict", Replacement(node, new))


def _kind(node: cst.BaseExpression) -> str | None:
    if is_string_node(node):
        return "a string"
    kinds: dict[type[cst.CSTNode], str] = {
        cst.Tuple: "a tuple",
        cst.List: "a list",
        cst.Set: "a set",
        cst.Integer: "a number",
        cst.Float: "a number",
    }
    return kinds.get(type(node))


class EmptyMessages(MessageRule):
    """`messages` is an empty list.

    ## What it does
    Flags `messages=[]`, written in the call or bound once to a name that is never added to,
    or returned by a function of another module. An empty list written at the top of another
    module is not flagged: other code may add to it before it is sent.

    ## Why is this bad?
    A chat request needs at least one message; W&B rejects an empty list with 400/422.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=[])
    ```
    Use instead:
    ```python
    client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": q}])
    ```

    ## Fix safety
    No fix: only the author knows what to ask.
    """

    code = "WB408"
    name = "empty-messages"
    severity = Severity.ERROR
    checks_shared_origin = False

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        if self.resolver.list_elements(keyword.value, scope) == []:
            message = (
                f"messages={self.shown(keyword.value)} is empty: W&B rejects a request "
                "without messages. Send at least one message"
            )
            yield self.report(keyword.value, message)


class SystemParameter(MessageRule):
    """An Anthropic-style `system=` keyword on a chat request.

    ## What it does
    Flags `system=` passed to `chat.completions.create()` (or `parse`/`stream`), as
    Anthropic's Messages API takes the system prompt.

    ## Why is this bad?
    The OpenAI SDK has no `system` keyword: the call raises `TypeError` before any request
    is sent. The system prompt is the first message, with role `system`.

    ## Example
    ```python
    client.chat.completions.create(
        model=MODEL, system="Answer in French.", messages=[{"role": "user", "content": q}]
    )
    ```
    Use instead:
    ```python
    client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Answer in French."},
            {"role": "user", "content": q},
        ],
    )
    ```

    ## Fix safety
    Safe when `messages` is a list written in the call and holds no system message yet: the
    value of `system=` becomes the content of a new first message
    `{"role": "system", "content": ...}`, laid out like the other elements, and the keyword
    is removed. Otherwise there is no fix.
    """

    code = "WB409"
    name = "system-parameter"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_request(self, request: Request) -> Iterator[Report]:
        system = request.arguments.get("system")
        if system is None:
            return
        message = (
            f"system={self.shown(system.value)} is Anthropic's system prompt: the OpenAI SDK "
            "has no 'system' keyword (TypeError). Put it first in messages as "
            '{"role": "system", "content": ...}'
        )
        yield self.report(system.node, message, self._fix(request, system))

    def _fix(self, request: Request, system: Keyword) -> FixProposal | None:
        messages = request.arguments.get("messages")
        if messages is None or messages.arg is None or system.arg is None:
            return None
        written = messages.arg.value
        if not isinstance(written, cst.List):
            return None
        roles = {self.role(message) for message in self.messages(messages, request.scope)}
        if "system" in roles:
            return None
        quote = quote_of(written)
        role = dict_entry("role", cst.SimpleString(f"{quote}system{quote}"), quote)
        entry = cst.Dict(
            [
                role.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                dict_entry("content", system.arg.value, quote),
            ]
        )
        new_arg = messages.arg.with_changes(value=insert_first(written, entry))
        args = [new_arg if arg is messages.arg else arg for arg in request.node.args]
        call = without_arg(request.node.with_changes(args=args), system.arg)
        return safe_fix("Move it into messages, first", Replacement(request.node, call))
