"""Edit helpers shared by the rules: build the replacement node for a call or a literal.

Each helper returns a :class:`Replacement`; the engine turns it into the smallest text edit,
so commas, comments, quotes and line breaks outside the change stay as the user wrote them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from lint_wb._cst import cst
from lint_wb.rules.base import Replacement

if TYPE_CHECKING:
    from lint_wb.analysis import Keyword


def string_like(original: cst.SimpleString, value: str) -> cst.SimpleString:
    """A string literal holding `value`, in the quotes and prefix of `original`."""
    prefix = original.prefix
    quote = original.quote
    if quote in value or "\\" in value or "\n" in value:
        return cst.SimpleString(repr(value))
    return cst.SimpleString(f"{prefix}{quote}{value}{quote}")


def number_like(original: cst.BaseExpression, value: float | int) -> cst.BaseExpression:
    """A number literal for `value`, an int where the original was an int."""
    if isinstance(value, float) and value.is_integer() and _is_int_literal(original):
        value = int(value)
    text = repr(value)
    if value < 0:
        return cst.UnaryOperation(cst.Minus(), _number(text[1:]))
    return _number(text)


def _number(text: str) -> cst.BaseExpression:
    return cst.Float(text) if any(ch in text for ch in ".eE") else cst.Integer(text)


def _is_int_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation):
        return _is_int_literal(node.expression)
    return isinstance(node, cst.Integer)


def rename_keyword(arg: cst.Arg, new_name: str) -> Replacement:
    assert arg.keyword is not None
    return Replacement(arg.keyword, arg.keyword.with_changes(value=new_name))


def without_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """`call` without `arg`, its neighbour taking over the comma and spacing it leaves."""
    return without_args(call, [arg])


def without_args(call: cst.Call, removed: Collection[cst.Arg]) -> cst.Call:
    """`call` without the arguments in `removed` (matched by identity).

    When the last argument goes, the last one kept takes over its comma and line break; a
    comment at the end of the kept argument's line, and comment lines after it, stay.
    """
    args = list(call.args)
    kept = [arg for arg in args if not any(arg is gone for gone in removed)]
    if kept and kept[-1] is not args[-1]:
        kept[-1] = _take_over_tail(kept[-1], args[-1])
    return call.with_changes(args=kept)


def _take_over_tail(kept: cst.Arg, last: cst.Arg) -> cst.Arg:
    """`kept` followed by what followed `last`: its comma (or none) and the break before `)`.

    On separate lines, the comments of the kept line stay and those of the removed one go.
    """
    separator = kept.comma.whitespace_after if isinstance(kept.comma, cst.Comma) else None
    trailing = isinstance(last.comma, cst.Comma)
    tail = last.comma.whitespace_after if isinstance(last.comma, cst.Comma) else None
    if tail is None:
        tail = last.whitespace_after_arg
    if (
        isinstance(kept.comma, cst.Comma)
        and isinstance(separator, cst.ParenthesizedWhitespace)
        and isinstance(tail, cst.ParenthesizedWhitespace)
        and (trailing or separator.first_line.comment is not None or separator.empty_lines)
    ):
        merged = tail.with_changes(
            first_line=separator.first_line,
            empty_lines=[*separator.empty_lines, *tail.empty_lines],
        )
        return kept.with_changes(comma=kept.comma.with_changes(whitespace_after=merged))
    return kept.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)


def remove_keyword(keyword: Keyword) -> Replacement | None:
    """Remove a keyword argument from the call it is written in (for a library's request,
    that may be a settings call, not the request's own); None for a spread keyword."""
    call, arg = keyword.call, keyword.arg
    if call is None or arg is None or not any(arg is given for given in call.args):
        return None
    return Replacement(call, without_arg(call, arg))


def with_arg(call: cst.Call, new_arg: cst.Arg, *, first: bool = False) -> cst.Call:
    """`call` with `new_arg` added, laid out like its other arguments."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new_arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    if first:
        separator = _separator_before(call, 0)
        args.insert(0, new_arg.with_changes(comma=cst.Comma(whitespace_after=separator)))
        return call.with_changes(args=args)
    last = args[-1]
    separator = _separator_before(call, len(args) - 1)
    if isinstance(last.comma, cst.Comma):
        # A trailing comma: the new argument goes after it and gets one of its own.
        new = new_arg.with_changes(
            comma=cst.Comma(whitespace_after=last.comma.whitespace_after),
            whitespace_after_arg=last.whitespace_after_arg,
        )
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_after=separator),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
    else:
        new = new_arg.with_changes(
            comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=last.whitespace_after_arg
        )
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_after=separator),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
    args.append(new)
    return call.with_changes(args=args)


def _separator_before(call: cst.Call, index: int) -> cst.BaseParenthesizableWhitespace:
    """The whitespace to put after a new comma: what stands before argument `index`, or a space
    where that is nothing (`f(a=1)` has no whitespace after its `(`)."""
    found: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace("")
    if index == 0:
        found = call.whitespace_before_args
    elif isinstance(call.args[index - 1].comma, cst.Comma):
        comma = call.args[index - 1].comma
        assert isinstance(comma, cst.Comma)
        found = comma.whitespace_after
    return _bare(found)


def renamed_arg(arg: cst.Arg, name: str, value: cst.BaseExpression) -> cst.Arg:
    """`arg` as `name=value` where it stands, its comma and spacing kept (a keyword the SDK
    refuses beside `name`, replaced by it: `provider=...` by `base_url=...`)."""
    return arg.with_changes(keyword=cst.Name(name), value=value)


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def add_dict_entry(node: cst.Dict, key: str, value: cst.BaseExpression) -> cst.Dict:
    """`node` with `"key": value` appended, laid out like its other entries.

    On separate lines the new entry gets a line of its own, and a comment at the end of the
    last entry's line stays there.
    """
    entry = cst.DictElement(cst.SimpleString(f'"{key}"'), value)
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[entry])
    last = elements[-1]
    separator = _dict_separator_before(node, len(elements) - 1)
    closing = node.rbrace.whitespace_before
    if isinstance(closing, cst.ParenthesizedWhitespace) and isinstance(
        separator, cst.ParenthesizedWhitespace
    ):
        # The comment after the last entry stays on its line; the new line gets none.
        separator = separator.with_changes(first_line=closing.first_line)
        closing = closing.with_changes(first_line=cst.TrailingWhitespace())
    if isinstance(last.comma, cst.Comma):
        # A trailing comma: the new entry goes after it and gets one of its own.
        elements[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=separator))
        entry = entry.with_changes(comma=cst.Comma())
    else:
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=separator))
    elements.append(entry)
    rbrace = node.rbrace.with_changes(whitespace_before=closing)
    return node.with_changes(elements=elements, rbrace=rbrace)


def _dict_separator_before(node: cst.Dict, index: int) -> cst.BaseParenthesizableWhitespace:
    """The whitespace before entry `index`, without comments; a space where that is nothing."""
    found: cst.BaseParenthesizableWhitespace = node.lbrace.whitespace_after
    if index > 0:
        comma = node.elements[index - 1].comma
        if isinstance(comma, cst.Comma):
            found = comma.whitespace_after
    return _bare(found)


def _bare(found: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    """A separator as an inserted element wants it: a space where there was nothing, and the
    line break and indent without the comment or blank lines that stood there."""
    if isinstance(found, cst.SimpleWhitespace) and not found.value:
        return cst.SimpleWhitespace(" ")
    if isinstance(found, cst.ParenthesizedWhitespace):
        return found.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return found
