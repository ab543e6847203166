"""Printing as `click.echo` and `click.style` do, without loading click when it is not loaded.

A run read without click (`quick.py`) prints its report through here. Once click is loaded
(the click command, a test's CliRunner, which patches click's stream handling), `echo` is
click's own. Without it, `echo` writes to a standard stream that click would use as it is
(POSIX, a text stream with an encoding that is not ASCII and error handling) exactly as
click does: the text, a newline, codes of style stripped unless the stream is a terminal, a
flush. Any other stream gets click's echo.
"""

from __future__ import annotations

import codecs
import re
import sys
from typing import TextIO

COLORS = {
    "black": 30,
    "red": 31,
    "green": 32,
    "yellow": 33,
    "blue": 34,
    "magenta": 35,
    "cyan": 36,
    "white": 37,
}
"""click's codes of the colors lint-wb prints in."""
RESET_ALL = "\033[0m"
STYLE_CODE = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")
"""What `click.unstyle` removes (click's own pattern)."""


def style(text: str, fg: str | None = None, bold: bool | None = None) -> str:
    """`click.style(text, fg=fg, bold=bold)`."""
    bits = []
    if fg is not None:
        bits.append(f"\033[{COLORS[fg]}m")
    if bold is not None:
        bits.append(f"\033[{1 if bold else 22}m")
    bits.append(text)
    bits.append(RESET_ALL)
    return "".join(bits)


def unstyle(text: str) -> str:
    """`click.unstyle(text)`."""
    return STYLE_CODE.sub("", text)


def echo(message: str, nl: bool = True, err: bool = False) -> None:
    """`click.echo(message, nl=nl, err=err)`."""
    if "click" in sys.modules:
        import click

        click.echo(message, nl=nl, err=err)
        return
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    if not _as_click_uses_it(stream):
        import click

        click.echo(message, nl=nl, err=err)
        return
    write(stream, message + "\n" if nl else message)


def write(stream: TextIO, text: str) -> None:
    """What click's echo does with `text` on a stream it uses as it is."""
    if not text:
        stream.flush()
        return
    if not _isatty(stream):
        text = unstyle(text)
    stream.write(text)
    stream.flush()


def _as_click_uses_it(stream: TextIO) -> bool:
    """Whether click would write to `stream` itself (rather than to a wrapper of its own) and
    decide on style codes by `isatty` alone."""
    if sys.platform == "win32":
        return False  # click's console streams
    encoding = getattr(stream, "encoding", None)
    if encoding is None or getattr(stream, "errors", None) is None:
        return False
    try:
        if codecs.lookup(encoding).name == "ascii":
            return False  # click writes UTF-8 instead
    except LookupError:
        pass
    if hasattr(stream, "color"):
        return False  # click's pager
    return not type(stream).__module__.startswith("ipykernel.")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except Exception:  # as click: any failure means no terminal
        return False
