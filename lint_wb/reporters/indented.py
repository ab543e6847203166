"""`json.dumps(value, indent=2, ensure_ascii=False)`, the same text, made faster.

With `indent`, the standard library leaves its C encoder for the pure-Python one, a chain of
generators that yields every bracket, key and separator on its own: slow for a report of
many findings, which the main process writes alone, after the workers are done. Here the
brackets and indentation are written by one recursive function, and each
string by the C function the standard encoder uses for it (`encode_basestring`); anything
other than a dict, list, tuple, string, int, bool or None is left to `json.dumps` (a float,
or the TypeError of a value JSON cannot hold).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Callable

INDENT = 2
quoted: Callable[[str], str] = encode_basestring
"""A string as JSON (`ensure_ascii=False`), by the standard encoder's C function."""


def dumps_indented(value: object) -> str:
    """The text `json.dumps(value, indent=2, ensure_ascii=False)` gives."""
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _write(value: object, newline: str, out: list[str]) -> None:
    """`value`, whose first line is already indented, its inner lines starting `newline`."""
    if isinstance(value, str):
        out.append(quoted(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict) and all(type(key) is str for key in value):
        _write_dict(value, newline, out)
    elif isinstance(value, (list, tuple)):
        _write_list(value, newline, out)
    else:  # a float, an int subclass, a key that is no string, or what JSON cannot hold
        out.append(json.dumps(value, indent=INDENT, ensure_ascii=False).replace("\n", newline))


def _write_dict(value: dict[str, object], newline: str, out: list[str]) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + " " * INDENT
    separator = "{" + inner
    for key, item in value.items():
        out.append(separator)
        out.append(quoted(key))
        out.append(": ")
        _write(item, inner, out)
        separator = "," + inner
    out.append(newline + "}")


def _write_list(value: list[object] | tuple[object, ...], newline: str, out: list[str]) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + " " * INDENT
    separator = "[" + inner
    for item in value:
        out.append(separator)
        _write(item, inner, out)
        separator = "," + inner
    out.append(newline + "]")
