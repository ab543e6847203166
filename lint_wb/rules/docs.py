"""The rule docs as Markdown, from the registry: the README's rule table and docs/rules.md.

`python -m lint_wb.rules.docs` rewrites both; tests/test_docs.py fails when they are stale, so the
table, `--explain`, `--list-rules` and the JSON `url` cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lint_wb.rules import ALL_RULES
from lint_wb.rules.base import Rule

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
RULES_DOC = ROOT / "docs" / "rules.md"
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"
FIX_LABELS = {"safe": "safe", "unsafe": "unsafe", "sometimes": "safe / unsafe", "none": ""}


def _anchor(rule: type[Rule]) -> str:
    return f"docs/rules.md#{rule.code.lower()}-{rule.name}"


def rules_table() -> str:
    lines = ["| code | name | severity | fix | what it flags |", "|---|---|---|---|---|"]
    for rule in ALL_RULES:
        fix = FIX_LABELS[rule.fix_safety.value]
        lines.append(
            f"| [{rule.code}]({_anchor(rule)}) | {rule.name} | {rule.severity.value} | {fix} "
            f"| {rule.summary()} |"
        )
    return "\n".join(lines)


def rules_reference() -> str:
    parts = [
        "# lint-wb rules\n",
        "Generated from the rule registry by `python -m lint_wb.rules.docs`; "
        "`lint-wb --explain CODE` prints the same text.\n",
    ]
    for rule in ALL_RULES:
        docs = re.sub(r"^## ", "### ", rule.docs(), flags=re.MULTILINE)
        summary, _, body = docs.partition("\n")
        parts.append(
            f"## {rule.code} {rule.name}\n\n"
            f"{summary}\n\n"
            f"Severity: {rule.severity.value}. Fix: {rule.fix_safety.value}.\n"
            f"{body}\n"
        )
    return "\n".join(parts)


def readme_with_table(readme: str) -> str:
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    return pattern.sub(f"{TABLE_START}\n{rules_table()}\n{TABLE_END}", readme)


def main() -> int:
    README.write_text(readme_with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    RULES_DOC.parent.mkdir(exist_ok=True)
    RULES_DOC.write_text(rules_reference(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
