"""The common command lines, read without click: a pre-commit hook's `lint-wb --force-exclude
a.py b.py`, an editor's `--stdin-filename`, CI's `--output-format github .`.

Loading click and building its command was about a sixth of a warm pre-commit run's
instructions. This reader takes a command line only when it can read it without doubt:
known options (`declared.py`, the table click's command is made of), each given once unless
it repeats, their values checked as click checks them, and paths. It gives up (`None`) on
everything else, and click reads that command line instead: `--help`, `--version`, an
unknown, abbreviated, combined or malformed option, a value click would refuse or that
starts with `-`, a command that turns out to be a usage error, and anything on Windows
(where click expands wildcards in arguments), and a shell asking click for completions (its
`_<PROG>_COMPLETE` variable set: the command line is then not a run). So click's messages
and behaviour stay its own, and a command line read here gives the same `Options` click's
would (tested option for option).
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from lint_wb.cli.declared import CHOICE, COUNT, OPTIONS, PATH, PATHS, VALUES, Declared
from lint_wb.cli.options import Options

BY_NAME = {name: option for option in OPTIONS for name in (*option.names, option.off) if name}
EXIT_BROKEN_PIPE = 1
"""As click: output cut off by a closed pipe (`lint-wb . | head`)."""


def run_quickly(args: Sequence[str]) -> int | None:
    """The exit code of the command `args` asks for, run without click; `None` when click
    must read the command line instead (nothing has been done then)."""
    options = read_command_line(args)
    if options is None:
        return None
    from lint_wb.cli.commands import CommandLineError, run_guarded

    try:
        return run_guarded(options)
    except CommandLineError:
        return None  # raised before the command did anything: click reports it
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        return _pipe_closed()


def _completing() -> bool:
    """Whether a shell runs the command for click's completion (`_LINT_WB_COMPLETE=bash_source`
    or the like, named after the program as it was called)."""
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)


def read_command_line(args: Sequence[str]) -> Options | None:
    """The options `args` gives, as click would read them; `None` when not certain."""
    if sys.platform == "win32" or _completing():
        return None
    params: dict[str, Any] = {option.dest: option.unset for option in OPTIONS}
    given: set[str] = set()
    paths: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            paths += args[index:]
            break
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = BY_NAME.get(name)
        if option is None:
            return None
        if not option.takes_value:
            if equals or option.dest in given:
                return None
            given.add(option.dest)
            params[option.dest] = name != option.off
            continue
        if equals:
            value = inline
        elif index < len(args):
            value = args[index]
            index += 1
        else:
            return None
        read = _value(option, value)
        if read is None:
            return None
        if option.kind == VALUES:
            params[option.dest] += (read,)
        elif option.dest in given:
            return None
        else:
            given.add(option.dest)
            params[option.dest] = read
    params[PATHS] = tuple(Path(path) for path in paths)
    return Options.from_click(params)


def _value(option: Declared, value: str) -> object | None:
    """`value` as click's type for `option` converts it; `None` when click might refuse it
    (click then says why) or read it otherwise."""
    if value.startswith("-"):
        return None  # most likely a forgotten value (`--select --fix`): click's to judge
    if option.value == CHOICE:
        return value if value in option.choices else None
    if option.value == COUNT:
        digits = value.isascii() and value.isdigit() and not value.startswith("0")
        return int(value) if digits else None
    if option.value == PATH:
        return Path(value) if _readable_or_missing(value) else None
    return value


def _readable_or_missing(path: str) -> bool:
    """What click.Path (as `-o` declares it) accepts: a path that does not exist, or one
    that can be read."""
    try:
        os.stat(path)
    except OSError:
        return True
    return os.access(path, os.R_OK)


def _pipe_closed() -> int:
    """As click's command does when its output pipe is closed: later flushes of the standard
    streams pass over the closed pipe quietly, and the exit code is 1."""
    sys.stdout = QuietOnClosedPipe(sys.stdout)
    sys.stderr = QuietOnClosedPipe(sys.stderr)
    return EXIT_BROKEN_PIPE


class QuietOnClosedPipe:
    """A standard stream whose `flush` says nothing of a closed pipe (the interpreter's end
    flushes both streams again); everything else is the stream's own."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
