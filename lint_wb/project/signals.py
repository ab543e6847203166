"""What makes a module a root of the project index: a W&B signal in its bytes.

A request can be a W&B request only when some module of the project can make a client a W&B
client (`project/build.py`); these byte tests tell which. They are apart from the index's
machinery so that a run that only asks them (the forked screening's guesses, `api._Guesses`;
the engine's early load, `api._Run._load_early`) does not import it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Container, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.config.load import ConfigError
from lint_wb.config.settings import Settings
from lint_wb.files.prefilter import CLIENT_LIBRARY, prefilter_for
from lint_wb.spec.compiled import Screening
from lint_wb.spec.tables import SpecError

if TYPE_CHECKING:
    from lint_wb.config.per_file import SettingsCache

WANDB_SIGNAL = re.compile(rb"[wW][aA][nN][dD][bB]\.(?:ai|com|io)\b|[\"']wandb/")
"""A W&B host (the inference host, its near misses), or a string starting with LiteLLM's
`wandb/` model prefix (the prefix alone targets W&B). The W&B key's variable is the other
signal: its name is the spec's (`names_wandb_key`)."""


def screening_of(cache: SettingsCache, settings: Settings) -> Screening | None:
    """The screening facts of the spec for `settings` (None when it cannot be read:
    reported when the file itself is checked), from its compiled form (no spec loaded)."""
    try:
        return cache.compiled_for(settings).screening
    except SpecError:
        return None


def may_target_wandb(data: bytes, setup: Settings | None, screening: Screening | None) -> bool:
    """Whether a module can make a client a W&B client: a W&B host (or a near miss of it),
    the W&B key's variable (the spec's, in `screening`), a configured W&B-equivalent URL,
    or, under assume-wandb, any client library's name. The word `wandb` alone (`import
    wandb`, a fine-tuning integration type) is not enough."""
    return (
        carries_wandb_signal(data)
        or names_wandb_key(data, screening)
        or (setup is not None and set_to_target(data, setup, screening))
    )


URL_STORE = re.compile(rb"\.\s*_?base_url\b(?!\s*(?:==|!=|[.(\[}]))")
"""`.base_url` (or the SDK's `._base_url`) where it may be stored to: not followed by what
only a read can be followed by (a comparison, an attribute, a call, a subscript, the end of
an f-string's field). A read in parentheses or a comment is counted too: the count is an
upper bound."""


def url_store_mentions(data: bytes) -> int:
    """How many stores of a client's `base_url` the bytes may make, by a byte scan (an upper
    bound; `setattr` in bytes naming `base_url` counts as more than one). Read for the whole
    project (`resolve.Resolver.setting_holds`): a store made in a module no seed imports
    must count too."""
    if b"base_url" not in data:
        return 0
    count = len(URL_STORE.findall(data))
    return count + 2 if b"setattr" in data else count


def names_wandb_key(data: bytes, screening: Screening | None) -> bool:
    return screening is not None and screening.wandb_key_variable.encode() in data


def carries_wandb_signal(data: bytes) -> bool:
    """Whether `WANDB_SIGNAL` matches somewhere in `data`.

    The regex has no literal to skip ahead by: searched over a whole file, it tries every
    byte (1.4 M instructions for one 40 kB module of the openai SDK that mentions `wandb`).
    Each of its matches holds `wandb` (in any case) at its start or one byte after it (the
    quote), so it is tried only there."""
    lowered = data.lower()
    at = lowered.find(b"wandb")
    while at >= 0:
        if WANDB_SIGNAL.match(data, at) or (at and WANDB_SIGNAL.match(data, at - 1)):
            return True
        at = lowered.find(b"wandb", at + 1)
    return False


def set_to_target(data: bytes, setup: Settings, screening: Screening | None) -> bool:
    """Whether the settings make the module's clients W&B clients or its bytes hold a
    configured W&B-equivalent URL. Under assume-wandb, a module is one when it imports a
    client library the prefilter keeps a file for (`prefilter_for`, SPEC §9): a CrewAI,
    LiteLLM, DSPy or ADK call's model may stand in another module."""
    if setup.assume_wandb and names_client_library(data, screening):
        return True
    return any(url.encode() in data for url in setup.extra_base_urls)


def names_client_library(data: bytes, screening: Screening | None) -> bool:
    """Whether the bytes name the OpenAI SDK, or import another client library the
    assume-wandb prefilter looks for: its names are also words of prose (`together`,
    `agents`, `google`), and a tree that only says them (sympy's docstrings) would plan an
    index for nothing."""
    if CLIENT_LIBRARY in data:
        return True  # the most common
    if screening is None:
        return False
    libraries = prefilter_for(screening, assume_wandb=True).client_libraries
    if not any(library in data for library in libraries):
        return False
    return _import_of(libraries).search(data) is not None


@lru_cache(maxsize=8)
def _import_of(libraries: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """An import statement naming one of `libraries` as its first module: at a line's start
    (after a byte-order mark or a form feed), or after a `;` or a one-line `try:`/`if ...:`."""
    names = b"|".join(re.escape(library) for library in libraries)
    return re.compile(
        rb"(?:^(?:\xef\xbb\xbf)?|[;:])[ \t\f]*(?:from[ \t]+(?:"
        + names
        + rb")\b|import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?"
        rb"[ \t]*,[ \t]*)*(?:" + names + rb")\b)",
        re.MULTILINE,
    )


def absolute_name(path: Path) -> str:
    """`str(path.absolute())`, without building Path objects."""
    name = os.fspath(path)
    return name if os.path.isabs(name) else os.path.join(os.getcwd(), name)


def no_root_among(
    files: Sequence[Path],
    cache: SettingsCache,
    read: Mapping[Path, bytes],
    signal_free: Container[Path],
) -> bool:
    """Whether `build.plan_index(files, read=read, signal_free=signal_free)` certainly finds
    no root (and so plans nothing): every file it would scan for one is a module the run
    read (`read`) that cannot target W&B. A signal-free module is no root; a notebook, or a
    module the run did not read, is left to the plan (False). Asked before the plan, so a
    tree with no W&B code (most) never imports the index's machinery."""
    for path in files:
        # (its name, not `os.fspath`: the path of a file the forked screener read has no
        # string made yet, and most files here are signal-free)
        if path in signal_free and path.name.endswith(".py"):
            continue  # a signal-free module, or a file named `.py` (no suffix): no root
        suffix = path.suffix
        if suffix != ".py":
            if suffix == ".ipynb":
                return False
            continue  # no module: never a root
        data = read.get(path)
        if data is None:
            return False
        try:
            settings = cache.for_path(Path(absolute_name(path)))
        except ConfigError:
            if carries_wandb_signal(data):
                return False
            continue
        if may_target_wandb(data, settings, screening_of(cache, settings)):
            return False
    return True
