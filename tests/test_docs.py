"""The README's rule table, docs/rules.md, --explain and --list-rules agree with the registry."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from lint_wb.cli.main import main
from lint_wb.rules import ALL_RULES
from lint_wb.rules.base import DOC_HEADINGS, Rule
from lint_wb.rules.docs import README, RULES_DOC, readme_with_table, rules_reference


def test_readme_rule_table_is_current() -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme == readme_with_table(readme), "run: python -m lint_wb.rules.docs"


def test_rules_doc_is_current() -> None:
    expected = rules_reference()
    assert RULES_DOC.read_text(encoding="utf-8") == expected, "run: python -m lint_wb.rules.docs"


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_every_rule_has_docs_under_the_fixed_headings(rule: type[Rule]) -> None:
    docs = rule.docs()
    positions = [docs.find(heading) for heading in DOC_HEADINGS]
    assert all(position > 0 for position in positions), f"{rule.code} lacks a heading"
    assert positions == sorted(positions), f"{rule.code} headings out of order"
    assert rule.summary() and not rule.summary().startswith("#")
    assert rule.name == rule.name.lower() and " " not in rule.name


def test_codes_and_names_are_unique() -> None:
    assert len({rule.code for rule in ALL_RULES}) == len(ALL_RULES)
    assert len({rule.name for rule in ALL_RULES}) == len(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_explain_prints_the_docs(rule: type[Rule]) -> None:
    result = CliRunner().invoke(main, ["--explain", rule.code])
    assert result.exit_code == 0
    assert rule.docs() in result.output
    assert rule.url() in result.output


def test_list_rules_json_lists_every_rule() -> None:
    result = CliRunner().invoke(main, ["--list-rules", "--output-format", "json"])
    rows = json.loads(result.output)
    assert [row["code"] for row in rows] == [rule.code for rule in ALL_RULES]
    assert all(row["url"].endswith(f"#{row['code'].lower()}-{row['name']}") for row in rows)


def test_explain_unknown_code_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["--explain", "WB1O1"])
    assert result.exit_code == 2
    assert "did you mean" in result.output


def test_the_readme_layout_map_matches_the_code() -> None:
    """Every package of lint_wb is on the README's map, and every name on it exists."""
    readme = README.read_text(encoding="utf-8")
    development = readme[readme.index("## Development") :]
    layout = development[development.index("```\nlint_wb/") : development.index("```\n\n")]
    named = set(re.findall(r"(?<![\w.])([a-z_]+(?:/|\.py))(?=[\s;,)]|$)", layout))
    package = README.parent / "lint_wb"
    files = {path.name for path in package.rglob("*.py")}
    missing = sorted(
        name for name in named - {"lint_wb/"} if not (package / name).exists() and name not in files
    )
    assert missing == [], "on the map but not in lint_wb/"
    packages = {path.parent.name + "/" for path in package.glob("*/__init__.py")}
    assert sorted(packages - named) == [], "packages missing from the map"
