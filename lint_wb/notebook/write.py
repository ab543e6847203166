"""Writing fixed cells back into a notebook's JSON text.

The JSON is read with the json module; a fix replaces the `source` value of the cells it
changed in place, in the style of the file, so every other byte stays as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from lint_wb.notebook.cells import INDENT, Cell, split_lines

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _members(text: str, position: int) -> Iterator[tuple[str, int, int]]:
    """(key, value start, value end) for each member of the JSON object at `position`."""
    position = _skip(text, position + 1)
    while text[position] != "}":
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, _skip(text, position) + 1)  # past the colon
        _, end = _DECODER.raw_decode(text, position)
        yield key, position, end
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)


def _items(text: str, position: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each element of the JSON array at `position`."""
    position = _skip(text, position + 1)
    while text[position] != "]":
        _, end = _DECODER.raw_decode(text, position)
        yield position, end
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)


def _source_spans(text: str) -> dict[int, tuple[int, int]]:
    """Cell number -> (start, end) of its `source` value in a notebook's JSON text."""
    start = _skip(text, 0)
    cells = [(value, end) for key, value, end in _members(text, start) if key == "cells"][-1]
    spans: dict[int, tuple[int, int]] = {}
    for number, (cell_start, _) in enumerate(_items(text, cells[0]), start=1):
        for key, value, end in _members(text, cell_start):
            if key == "source":
                spans[number] = (value, end)
    return spans


@dataclass(frozen=True)
class _Style:
    """How a notebook's JSON is written, for the values lint-wb writes into it."""

    unit: str | None
    """One level of indentation; None for JSON on one line."""
    ensure_ascii: bool

    @classmethod
    def of(cls, text: str) -> _Style:
        indented = re.search(r"\n([ \t]+)\S", text)
        escaped = re.search(r"(?<!\\)\\u(?!00[0-7])[0-9a-fA-F]{4}", text) is not None
        return cls(
            unit=indented.group(1) if indented else None,
            ensure_ascii=escaped and text.isascii(),
        )

    def dumps(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=self.ensure_ascii)


def rewrite_sources(text: str, changed: Mapping[Cell, str]) -> str:
    """A notebook's JSON text with the `source` of the `changed` cells replaced."""
    if not changed:
        return text
    spans = _source_spans(text)
    style = _Style.of(text)
    pieces: list[str] = []
    position = 0
    for cell in sorted(changed, key=lambda cell: cell.number):
        start, end = spans[cell.number]
        pieces.append(text[position:start])
        if cell.as_list:
            pieces.append(_list_value(split_lines(changed[cell]), text, start, end, style))
        else:
            pieces.append(style.dumps(changed[cell]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _list_value(lines: Sequence[str], text: str, start: int, end: int, style: _Style) -> str:
    """A JSON list of `lines`, laid out as the list it replaces (or as the file's style)."""
    if not lines:
        return "[]"
    items = list(_items(text, start))
    if items:
        opener = text[start + 1 : items[0][0]]
        closer = text[items[-1][1] : end - 1]
        separator = text[items[0][1] : items[1][0]] if len(items) > 1 else "," + opener
        if "\n" not in opener and len(items) == 1:
            separator = ", "
    elif style.unit is None:
        opener, closer, separator = "", "", ", "
    else:
        line_start = text.rfind("\n", 0, start) + 1
        indent = INDENT.match(text, line_start).group()  # type: ignore[union-attr]
        opener, closer = "\n" + indent + style.unit, "\n" + indent
        separator = "," + opener
    return "[" + opener + separator.join(style.dumps(line) for line in lines) + closer + "]"
