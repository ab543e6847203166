"""A CliRunner that keeps stderr apart from stdout on every click version lint-wb supports."""

from __future__ import annotations

import inspect

from click.testing import CliRunner


def make_runner() -> CliRunner:
    """click < 8.2 mixes stderr into stdout unless told not to; 8.2 removed the switch."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()
