"""Every rule's code, name and severity, known without importing the rules.

Most runs never parse a file (a pre-commit hook on files that never talk to W&B, a warm run
whose findings are cached), yet they resolve selectors (`--select WB3`), the enabled codes and
cached findings' names. The rule classes import the analysis and the spec; this table imports
nothing of them. `registry.py` holds the classes, and a test checks that both agree: a new
rule is one line here and one in the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from lint_wb.findings import Severity

DOCS_URL = "https://github.com/wandb/lint-wb/blob/main/docs/rules.md"


class RuleEntry(NamedTuple):
    code: str
    name: str
    severity: Severity

    @property
    def url(self) -> str:
        return rule_url(self.code, self.name)


RULE_TABLE: tuple[RuleEntry, ...] = (
    RuleEntry("WB101", "wrong-base-url", Severity.ERROR),
    RuleEntry("WB102", "missing-base-url", Severity.WARNING),
    RuleEntry("WB103", "foreign-base-url", Severity.ERROR),
    RuleEntry("WB104", "hardcoded-api-key", Severity.WARNING),
    RuleEntry("WB105", "malformed-project", Severity.ERROR),
    RuleEntry("WB106", "misspelt-project-header", Severity.ERROR),
    RuleEntry("WB107", "foreign-api-key", Severity.ERROR),
    RuleEntry("WB108", "foreign-provider-prefix", Severity.ERROR),
    RuleEntry("WB201", "unsupported-parameter", Severity.ERROR),
    RuleEntry("WB202", "unknown-parameter", Severity.ERROR),
    RuleEntry("WB203", "model-capability", Severity.ERROR),
    RuleEntry("WB204", "invalid-response-format", Severity.ERROR),
    RuleEntry("WB205", "unsupported-tool", Severity.ERROR),
    RuleEntry("WB206", "prefer-max-tokens", Severity.WARNING),
    RuleEntry("WB207", "inconsistent-parameters", Severity.ERROR),
    RuleEntry("WB208", "missing-required-argument", Severity.ERROR),
    RuleEntry("WB301", "value-out-of-range", Severity.ERROR),
    RuleEntry("WB302", "wrong-value-type", Severity.ERROR),
    RuleEntry("WB303", "max-tokens-over-context", Severity.ERROR),
    RuleEntry("WB401", "messages-not-a-list", Severity.ERROR),
    RuleEntry("WB402", "message-not-an-object", Severity.ERROR),
    RuleEntry("WB403", "message-missing-field", Severity.ERROR),
    RuleEntry("WB404", "invalid-role", Severity.ERROR),
    RuleEntry("WB405", "invalid-content", Severity.ERROR),
    RuleEntry("WB406", "unknown-message-key", Severity.ERROR),
    RuleEntry("WB407", "malformed-tool-message", Severity.ERROR),
    RuleEntry("WB408", "empty-messages", Severity.ERROR),
    RuleEntry("WB409", "system-parameter", Severity.ERROR),
    RuleEntry("WB501", "unknown-model", Severity.ERROR),
    RuleEntry("WB502", "retired-model", Severity.ERROR),
    RuleEntry("WB503", "deprecated-model", Severity.WARNING),
    RuleEntry("WB504", "malformed-lora-uri", Severity.ERROR),
    RuleEntry("WB601", "unsupported-endpoint", Severity.ERROR),
    RuleEntry("WB602", "legacy-sdk-api", Severity.ERROR),
    RuleEntry("WB603", "provider-sdk", Severity.ERROR),
    RuleEntry("WB604", "anthropic-sdk", Severity.ERROR),
    RuleEntry("WB900", "internal-error", Severity.ERROR),
    RuleEntry("WB901", "syntax-error", Severity.ERROR),
    RuleEntry("WB902", "unused-noqa", Severity.WARNING),
)
ENTRIES_BY_CODE: dict[str, RuleEntry] = {entry.code: entry for entry in RULE_TABLE}
CODES_BY_NAME: dict[str, str] = {entry.name: entry.code for entry in RULE_TABLE}
ALL_CODES: frozenset[str] = frozenset(ENTRIES_BY_CODE)


def rule_url(code: str, name: str) -> str:
    """Where a rule's docs are (the `url` of its findings)."""
    return f"{DOCS_URL}#{code.lower()}-{name}"


def expand_selector(selector: str) -> frozenset[str]:
    """The codes a selector names: a code, a code prefix (`WB3`), a rule name, or `ALL`."""
    selector = selector.strip()
    if selector.upper() == "ALL":
        return ALL_CODES
    if selector in CODES_BY_NAME:
        return frozenset({CODES_BY_NAME[selector]})
    prefix = selector.upper()
    return frozenset(code for code in ALL_CODES if code.startswith(prefix))


def check_selector(selector: str) -> str | None:
    """None when `selector` names at least one rule, else a message with a did-you-mean."""
    if expand_selector(selector):
        return None
    import difflib  # only for a selector that names no rule

    known = sorted(ALL_CODES | set(CODES_BY_NAME))
    close = difflib.get_close_matches(selector, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown rule selector '{selector}'{hint}"


def select_codes(
    select: Iterable[str], extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> frozenset[str]:
    """The enabled codes, as ruff resolves select / extend-select / ignore."""
    return _selected(tuple(select), tuple(extend_select), tuple(ignore))


@lru_cache(maxsize=64)
def _selected(
    select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...]
) -> frozenset[str]:
    """`select_codes`, resolved once for each set of selectors (a run asks it for every file
    it lints, nearly always with the same ones)."""
    chosen: set[str] = set()
    for selector in [*select, *extend_select]:
        chosen |= expand_selector(selector)
    for selector in ignore:
        chosen -= expand_selector(selector)
    return frozenset(chosen)
