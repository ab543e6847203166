"""Every option of `lint-wb`, declared once: `main.py` makes click's command of this table,
and `quick.py` reads the command lines it can read without click from the same table.

Click-free on purpose: loading click (and the modules it pulls in: uuid, platform, datetime,
gettext) was about a sixth of a warm pre-commit run's instructions.
"""

from __future__ import annotations

from lint_wb.config.keys import OUTPUT_FORMATS

FLAG, SWITCH, VALUE, VALUES = "flag", "switch", "value", "values"
"""How an option is given: a flag (`--fix`); an on/off pair (`--unsafe-fixes` and its `off`
name); a value (`--jobs 2`, the last one given wins); values (`--select`, repeatable)."""

TEXT, PATH, CHOICE, COUNT = "text", "path", "choice", "count"
"""What a value is: any text; a path (click.Path: an existing one must be readable); one of
the `choices`; a whole number from 1 up."""


class Declared:
    """One option: its names, how it is given, its value, and its help for `--help`."""

    __slots__ = ("choices", "default", "help", "kind", "metavar", "names", "off", "value")

    def __init__(
        self,
        *names: str,
        kind: str = FLAG,
        help: str,
        off: str | None = None,
        value: str = TEXT,
        choices: tuple[str, ...] = (),
        default: bool | None = False,
        metavar: str | None = None,
    ) -> None:
        self.names = names
        self.off = off
        self.kind = kind
        self.value = value
        self.choices = choices
        self.default = default
        self.help = help
        self.metavar = metavar

    @property
    def dest(self) -> str:
        """The parameter's name, as click derives it: the first long name, dashes to
        underscores (`--output-file` -> `output_file`)."""
        long = next(name for name in self.names if name.startswith("--"))
        return long[2:].replace("-", "_")

    @property
    def takes_value(self) -> bool:
        return self.kind in (VALUE, VALUES)

    @property
    def unset(self) -> object:
        """The parameter's value when the option is not given."""
        if self.kind == VALUES:
            return ()
        return self.default if self.kind == FLAG else None


PATHS = "paths"
"""The one argument: the paths to check (click.Path, not checked for reading; none is `.`)."""

OPTIONS = (
    Declared("--fix", help="Apply fixes (safe ones; more with --unsafe-fixes)."),
    Declared(
        "--unsafe-fixes", off="--no-unsafe-fixes", kind=SWITCH, help="Also apply unsafe fixes."
    ),
    Declared("--diff", help="Print the fixes as a unified diff; write nothing."),
    Declared("--show-fixes", help="List what --fix fixed."),
    Declared("--select", kind=VALUES, help="Codes, prefixes (WB4) or names to check."),
    Declared("--extend-select", kind=VALUES, help="Codes to check on top of select."),
    Declared("--ignore", kind=VALUES, help="Codes, prefixes or names not to check."),
    Declared("--assume-wandb", default=None, help="Every client is meant for W&B."),
    Declared(
        "--output-format",
        kind=VALUE,
        value=CHOICE,
        choices=OUTPUT_FORMATS,
        help="How findings are printed (default: full).",
    ),
    Declared("-o", "--output-file", kind=VALUE, value=PATH, help="Write the report here."),
    Declared("--statistics", help="Count findings per rule."),
    Declared("--exit-zero", help="Exit 0 even when findings remain."),
    Declared("--exit-non-zero-on-fix", help="Exit 1 when something was fixed."),
    Declared(
        "--config",
        kind=VALUES,
        metavar="FILE | KEY=VALUE",
        help="A configuration file, or a `key = value` TOML line over its settings "
        '(e.g. --config "assume-wandb = true"); repeatable.',
    ),
    Declared(
        "--exclude",
        kind=VALUES,
        metavar="GLOBS",
        help="Globs of paths not to check, instead of the configured `exclude`.",
    ),
    Declared(
        "--extend-exclude",
        kind=VALUES,
        metavar="GLOBS",
        help="Globs of paths not to check, on top of `exclude`.",
    ),
    Declared("--isolated", help="Ignore every configuration file."),
    Declared("--force-exclude", help="Apply excludes to paths given explicitly."),
    Declared(
        "--stdin-filename",
        kind=VALUE,
        help="Read the source from stdin, checked as this file (paths ignored).",
    ),
    Declared("--no-cache", help="Do not reuse findings from earlier runs."),
    Declared("--jobs", kind=VALUE, value=COUNT, help="Worker processes (default: all cores)."),
    Declared("-q", "--quiet", help="Print findings only, no summary."),
    Declared("--explain", kind=VALUE, metavar="CODE", help="Print a rule's docs and exit."),
    Declared("--list-rules", help="List every rule and exit."),
    Declared(
        "--show-settings",
        help="Print the settings in force for the first PATH, and where they come from.",
    ),
    Declared(
        "--update-models",
        help="Download W&B's public model catalog into the cache directory "
        "($LINT_WB_CACHE_DIR, else $XDG_CACHE_HOME/lint-wb or ~/.cache/lint-wb) and exit.",
    ),
    Declared(
        "--api-key-env",
        kind=VALUE,
        metavar="NAME",
        help="With --update-models: also ask GET /v1/models which IDs are served, with the "
        "W&B API key in environment variable NAME (e.g. WANDB_API_KEY). No key is used "
        "without it.",
    ),
    Declared("--list-models", help="Print the model snapshot in use and exit."),
)
"""In `--help`'s order. `-h`/`--help` and `--version` are click's own (`main.py`)."""
