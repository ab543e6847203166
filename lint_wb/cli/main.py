"""The command line as a click command: every option of `declared.py`, `--help` and
`--version`, click's usage errors; the command itself is `commands.py`.

`lint-wb` reads the common command lines without click (`quick.py`); click reads all the
others and reports every mistake in one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lint_wb import __version__
from lint_wb.cli.commands import BadValue, UsageProblem, run_guarded
from lint_wb.cli.declared import (
    CHOICE,
    COUNT,
    FLAG,
    OPTIONS,
    PATH,
    PATHS,
    SWITCH,
    VALUES,
    Declared,
)
from lint_wb.cli.options import Options

# What a run needs is imported in the function that needs it (`commands.py`): `--version`,
# `--help` and a usage error load click alone.


def click_option(option: Declared) -> Callable[[Any], Any]:
    """click's decorator for one declared option."""
    names = option.names if option.off is None else (f"{option.names[0]}/{option.off}",)
    settings: dict[str, Any] = {"help": option.help}
    if option.metavar is not None:
        settings["metavar"] = option.metavar
    if option.kind == FLAG:
        settings["is_flag"] = True
        if option.default is None:
            settings["default"] = None
    elif option.kind == SWITCH:
        settings["default"] = None
    elif option.kind == VALUES:
        settings["multiple"] = True
    if option.value == CHOICE:
        settings["type"] = click.Choice(option.choices)
    elif option.value == PATH:
        settings["type"] = click.Path(path_type=Path)
    elif option.value == COUNT:
        settings["type"] = click.IntRange(min=1)
    return click.option(*names, **settings)


def declared(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with the paths argument and every declared option, in `--help`'s order."""
    for option in reversed(OPTIONS):
        command = click_option(option)(command)
    paths = click.Path(path_type=Path, readable=False)
    return click.argument(PATHS, nargs=-1, type=paths)(command)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@declared
@click.version_option(__version__, "--version", prog_name="lint-wb")
def main(**params: Any) -> None:
    """Lint Python code that calls W&B Inference through the OpenAI SDK."""
    try:
        code = run_guarded(Options.from_click(params))
    except UsageProblem as problem:
        raise click.UsageError(str(problem)) from None
    except BadValue as problem:
        raise click.BadParameter(str(problem)) from None
    sys.exit(code)
