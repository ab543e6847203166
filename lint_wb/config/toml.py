"""TOML read with the standard library's parser (tomli before Python 3.11), imported on first
use: a run whose configuration files have no lint-wb table, and whose spec is compiled
(`spec/compiled.py`), parses no TOML and does not pay for the parser's import."""

from __future__ import annotations

import sys
from typing import Any


class TomlError(ValueError):
    """Text that is not TOML; the message is the parser's."""


def loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(str(error)) from error
