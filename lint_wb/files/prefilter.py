"""Which files are worth parsing: those whose bytes can hold W&B code.

Parsing is most of a run's cost, and most files of a repository never talk to W&B: a file
is parsed only when its bytes carry a W&B signal (a W&B host or a near miss of one, `wandb`
in any case, so also `WANDB_API_KEY` and LiteLLM's `wandb/` prefix, or the host of a
configured extra base URL), when it imports a module of the project that carries one, or,
under assume-wandb, when it mentions a client library: the OpenAI SDK, another provider's SDK or
a library of the call-site table (every client is then meant for W&B).
`lint-wb` and a `noqa` naming a WB code keep a file too, for file-level suppressions and
WB902 (unused-noqa). Every other file costs the read of its bytes.

The signals come from the spec data (the W&B base URLs and near-miss hosts) and the settings,
never from a list written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final
from urllib.parse import urlsplit

from lint_wb.spec.compiled import Screening

CLIENT_LIBRARY = b"openai"
"""The OpenAI SDK's name, also in `langchain_openai`, `OpenAIChatCompletionsModel`, ..."""
W_VISITS_PER_BYTE: Final = 1 / 128
"""A `WB` code is looked for through each `W` alone up to one `W` every 128 bytes (and 64
in any file), then by bytes' search for `WB` (see `_wb_codes`)."""


@dataclass(frozen=True)
class Prefilter:
    """The byte strings, all lower case, whose presence makes a file worth parsing."""

    signals: tuple[bytes, ...]
    """W&B signals: the names of the W&B hosts' domains, extra base URLs' hosts."""
    client_libraries: tuple[bytes, ...] = ()
    """Under assume-wandb: the module names of the client libraries."""

    def _carries_signal(self, lowered: bytes) -> bool:
        """Whether a file with these bytes (`lowered`: in lower case) can hold W&B code of
        its own (a W&B signal, or under assume-wandb a client library)."""
        return any(signal in lowered for signal in self.signals) or any(
            library in lowered for library in self.client_libraries
        )

    def keeps(self, data: bytes) -> bool:
        """Whether a file with these bytes is worth parsing on its own: it carries a signal,
        or a lint-wb suppression. (A file the project index tells something is parsed too.)
        The bytes are lowered once: that copy is most of the cost of a file skipped."""
        lowered = data.lower()
        if self._carries_signal(lowered):
            return True
        return b"lint-wb" in lowered or _has_wb_noqa(data)


def prefilter_for(
    screening: Screening, *, assume_wandb: bool, extra_base_urls: tuple[str, ...] = ()
) -> Prefilter:
    """The prefilter for files with these settings (made once per spec and settings)."""
    return _prefilter(
        screening.wandb_hosts, extra_base_urls, assume_wandb, screening.client_modules
    )


@lru_cache(maxsize=64)
def _prefilter(
    wandb_hosts: tuple[str, ...],
    extra_base_urls: tuple[str, ...],
    assume_wandb: bool,
    library_modules: tuple[str, ...],
) -> Prefilter:
    signals = {b"wandb"} | {_domain_name(host).encode() for host in wandb_hosts}
    signals |= {host_of(url).encode() for url in extra_base_urls}
    libraries = {CLIENT_LIBRARY, *(name.lower().encode() for name in library_modules)}
    return Prefilter(
        signals=tuple(sorted(signal for signal in signals if signal)),
        client_libraries=tuple(sorted(libraries)) if assume_wandb else (),
    )


def host_of(url: str) -> str:
    """The host of a URL, lower case; the whole text, lower case, when it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        host = None
    return (host or url.strip()).lower()


def _domain_name(host: str) -> str:
    """The name a domain is registered under (`wandb` of `api.inference.wandb.ai`), which
    near misses of the host keep: a signal that also catches them."""
    labels = host.split(".")
    return labels[-2] if len(labels) >= 2 else host


def _has_wb_noqa(data: bytes) -> bool:
    """Whether some line has `noqa` (any case) somewhere before a `WB<digit>` code.

    Looks for the rare part first: a regex starting at `noqa` would scan every byte
    case-insensitively, while `WB<digit>` is rare and only its own line needs a look."""
    for found in _wb_codes(data):
        line_start = data.rfind(b"\n", 0, found) + 1
        if b"noqa" in data[line_start:found].lower():
            return True
    return False


def _wb_codes(data: bytes) -> Iterator[int]:
    """Where each `WB<digit>` starts. `W` alone is looked for (`memchr`, many times faster
    than bytes' search for `WB`), the rest checked where it stands; in a file with many `W`s
    (more than `W_VISITS_PER_BYTE` allows), the search goes on for `WB`: a step of Python for
    each `W` would then cost more than that search."""
    budget = 64 + int(len(data) * W_VISITS_PER_BYTE)
    needle = b"W"
    found = data.find(needle)
    while found >= 0:
        if data.startswith(b"B", found + 1) and data[found + 2 : found + 3].isdigit():
            yield found
        budget -= 1
        if not budget:
            needle = b"WB"
        found = data.find(needle, found + 1)
