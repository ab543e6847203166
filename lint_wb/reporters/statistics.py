"""`--statistics`: findings counted per rule, as text (flake8's columns) or as JSON (ruff's shape).

A rule is fixable when `--fix` would fix its findings as the run is set up: a fix that needs
`--unsafe-fixes` does not count when unsafe fixes are off. Findings suppressed by noqa are
counted too (one more row, without a code).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from lint_wb.findings import Finding
from lint_wb.records import dataclass
from lint_wb.reporters.text import FixApplies
from lint_wb.rules.codes import ENTRIES_BY_CODE

SUPPRESSED = "suppressed by noqa"


@dataclass(frozen=True)
class Statistic:
    """One rule's count."""

    code: str
    name: str
    count: int
    fixable: bool


def count_findings(findings: Sequence[Finding], applies: FixApplies) -> list[Statistic]:
    """One row per code, the most frequent first (ties in code order)."""
    counts = Counter(finding.code for finding in findings)
    fixable = {finding.code for finding in findings if applies(finding)}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        Statistic(code, ENTRIES_BY_CODE[code].name, count, code in fixable)
        for code, count in ordered
    ]


def render_text(statistics: Sequence[Statistic], suppressed: int) -> str:
    lines = [
        f"{row.count:>5}\t{row.code}\t[{'*' if row.fixable else ' '}] {row.name}"
        for row in statistics
    ]
    if suppressed:
        lines.append(f"{suppressed:>5}\t{SUPPRESSED}")
    return "".join(line + "\n" for line in lines)


def render_json(statistics: Sequence[Statistic], suppressed: int) -> str:
    """A list of {code, name, count, fixable}; suppressed findings are a row whose code is
    null (ruff's shape, where a finding without a code has a null code)."""
    rows: list[dict[str, object]] = [
        {"code": row.code, "name": row.name, "count": row.count, "fixable": row.fixable}
        for row in statistics
    ]
    if suppressed:
        rows.append({"code": None, "name": SUPPRESSED, "count": suppressed, "fixable": False})
    return json.dumps(rows, indent=2) + "\n"
