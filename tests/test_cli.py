"""The command line's options and exit codes, run in-process on copies of the fixtures.

The output formats themselves are tested in test_reporters.py.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from lint_wb import __version__
from lint_wb.cli.main import main
from lint_wb.rules import ALL_RULES
from tests.cli_runner import make_runner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CLEAN = """\
import os

from openai import OpenAI

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
"""
UNFIXABLE = """\
import os

from openai import OpenAI

host = "api.wandb.ai"
client = OpenAI(base_url=f"https://{host}/v1", api_key=os.environ["WANDB_API_KEY"])
"""


def lint_wb(*args: str) -> Result:
    """Run `lint-wb ARGS` in-process, stdout and stderr kept apart (click 8.1 and 8.2+)."""
    return make_runner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copy(FIXTURES / "client" / "base_urls.py", tmp_path / "base_urls.py")
    (tmp_path / "porting").mkdir()
    for name in ("lint-wb.toml", "foreign_urls.py"):  # the files these tests count on
        shutil.copy(FIXTURES / "porting" / name, tmp_path / "porting" / name)
    (tmp_path / "clean.py").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "unfixable.py").write_text(UNFIXABLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


# exit codes


def test_a_clean_file_exits_0(project: Path) -> None:
    result = lint_wb("clean.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_findings_exit_1_and_exit_zero_makes_it_0(project: Path) -> None:
    result = lint_wb("--select", "WB1", "base_urls.py")
    assert result.exit_code == 1
    zero = lint_wb("--select", "WB1", "--exit-zero", "base_urls.py")
    assert zero.exit_code == 0
    assert zero.stdout == result.stdout
    assert "Found 11 errors" in zero.stdout


def test_a_path_that_cannot_be_read_exits_2_and_is_not_a_pass(project: Path) -> None:
    """A path left unchecked makes the run untrustworthy, as a configuration error does:
    exit 2, even under --exit-zero (which is about findings)."""
    result = lint_wb("missing.py", "clean.py")
    assert result.exit_code == 2
    assert "missing.py" in result.stderr
    assert result.stdout == "No findings, but 1 path could not be checked.\n"
    assert lint_wb("--exit-zero", "missing.py").exit_code == 2


@pytest.mark.parametrize(
    ("option", "typo", "suggestion"),
    [
        ("--select", "WB1O1", "WB101"),
        ("--ignore", "wrong-base-ur", "wrong-base-url"),
        ("--extend-select", "wrong-base-urls", "wrong-base-url"),
    ],
)
def test_an_unknown_selector_exits_2_with_a_did_you_mean(
    project: Path, option: str, typo: str, suggestion: str
) -> None:
    result = lint_wb(option, typo, "base_urls.py")
    assert result.exit_code == 2
    assert f"unknown rule selector '{typo}' (did you mean '{suggestion}'?)" in result.stderr
    assert result.stdout == ""


def test_an_unknown_code_in_the_config_exits_2(project: Path) -> None:
    (project / "porting" / "lint-wb.toml").write_text('select = ["WB1O3"]\n', encoding="utf-8")
    result = lint_wb("porting")
    assert result.exit_code == 2
    assert "WB1O3" in result.stderr and "WB103" in result.stderr


def test_exit_non_zero_on_fix(project: Path) -> None:
    shutil.copytree("porting", "porting2")
    fixed = lint_wb("--select", "WB1", "--fix", "porting")
    assert fixed.exit_code == 0  # everything was fixed (unsafe-fixes is on in its config)
    assert fixed.stdout == "Found 3 errors and 2 warnings (5 fixed, 0 remaining).\n"
    flagged = lint_wb("--select", "WB1", "--fix", "--exit-non-zero-on-fix", "porting2")
    assert flagged.exit_code == 1
    again = lint_wb("--select", "WB1", "--fix", "--exit-non-zero-on-fix", "porting2")
    assert again.exit_code == 0


# --statistics, --show-fixes, --quiet


def test_statistics_counts_each_rule(project: Path) -> None:
    result = lint_wb("--select", "WB1", "--statistics", "porting")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "    3\tWB103\t[*] foreign-base-url",
        "    2\tWB102\t[*] missing-base-url",
        "",
        "Found 3 errors and 2 warnings (5 fixable with --fix).",
    ]


def test_statistics_counts_suppressed_findings(project: Path) -> None:
    shutil.copy(FIXTURES / "noqa" / "suppressions.py", "suppressions.py")
    result = lint_wb("--statistics", "-q", "suppressions.py")
    assert result.stdout.splitlines() == [
        "    2\tWB902\t[*] unused-noqa",
        "    3\tsuppressed by noqa",
    ]


def test_show_fixes_lists_what_fix_fixed(project: Path) -> None:
    result = lint_wb("--select", "WB1", "--fix", "--show-fixes", "base_urls.py", "porting")
    assert result.exit_code == 1  # one WB101 has no fix
    text = result.stdout
    assert "Fixed 13 errors and 2 warnings:\n" in text
    assert "- base_urls.py:\n    10 x WB101 (wrong-base-url)\n" in text
    expected = "- porting/foreign_urls.py:\n    2 x WB102 (missing-base-url)\n    3 x WB103"
    assert expected in text
    assert text.endswith("Found 14 errors and 2 warnings (15 fixed, 1 remaining).\n")
    quiet_fix = lint_wb("--select", "WB1", "--fix", "base_urls.py")
    assert "Fixed" not in quiet_fix.stdout


def test_quiet_prints_findings_only(project: Path) -> None:
    assert lint_wb("-q", "clean.py").stdout == ""
    loud = lint_wb("--select", "WB1", "base_urls.py").stdout
    quiet = lint_wb("--select", "WB1", "-q", "base_urls.py")
    assert quiet.exit_code == 1
    assert loud.startswith(quiet.stdout)
    assert loud[len(quiet.stdout) :] == "\nFound 11 errors (10 fixable with --fix).\n"


# --diff


def test_diff_prints_the_fixes_and_writes_nothing(project: Path) -> None:
    before = Path("base_urls.py").read_text(encoding="utf-8")
    result = lint_wb("--select", "WB1", "--diff", "base_urls.py")
    assert result.exit_code == 1
    assert Path("base_urls.py").read_text(encoding="utf-8") == before
    assert lint_wb("--select", "WB1", "--fix", "base_urls.py").exit_code == 1
    after = Path("base_urls.py").read_text(encoding="utf-8")
    expected = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile="base_urls.py",
        tofile="base_urls.py",
    )
    assert result.stdout == "".join(expected)
    lines = result.stdout.splitlines()
    assert sum(line.startswith("-") for line in lines) == 11  # `--- base_urls.py` and 10 lines
    assert sum(line.startswith("+") for line in lines) == 11


def test_diff_exits_0_when_there_is_nothing_to_fix(project: Path) -> None:
    for path in ("clean.py", "unfixable.py"):
        result = lint_wb("--diff", path)
        assert (result.exit_code, result.stdout) == (0, ""), path
    assert lint_wb("--diff", "--exit-zero", "base_urls.py").exit_code == 0


# --explain, --list-rules, --version


def test_explain_prints_the_rules_docs(project: Path) -> None:
    rule = next(rule for rule in ALL_RULES if rule.code == "WB101")
    result = lint_wb("--explain", "WB101")
    assert result.exit_code == 0
    assert result.stdout.startswith("# WB101 wrong-base-url (error, fix: safe)\n\n")
    assert rule.docs() in result.stdout
    assert result.stdout.endswith(f"\nDocs: {rule.url()}\n")
    assert lint_wb("--explain", "wrong-base-url").stdout == result.stdout
    unknown = lint_wb("--explain", "WB1O1")
    assert unknown.exit_code == 2
    assert "did you mean 'WB101'?" in unknown.stderr


def test_list_rules_has_every_rule(project: Path) -> None:
    result = lint_wb("--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(ALL_RULES)
    for line, rule in zip(lines, ALL_RULES):
        assert line.startswith(f"{rule.code}  {rule.name} ")
        assert line.endswith(rule.summary())


def test_list_rules_as_json(project: Path) -> None:
    """Each row read against outputs made elsewhere: the --explain header, the committed
    docs/rules.md headings, and two rows written out by hand."""
    result = lint_wb("--list-rules", "--output-format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    first = {"code": "WB101", "name": "wrong-base-url", "severity": "error", "fix": "safe"}
    assert first.items() <= rows[0].items()
    by_code = {row["code"]: row for row in rows}
    assert by_code["WB901"]["fix"] == "none" and by_code["WB902"]["name"] == "unused-noqa"
    rules_doc = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text()
    headings = set(re.findall(r"^## (WB\d{3}) (\S+)$", rules_doc, re.MULTILINE))
    assert {(row["code"], row["name"]) for row in rows} == headings
    assert [row["code"] for row in rows] == sorted(by_code)
    for row in rows:
        explained = lint_wb("--explain", row["code"]).stdout
        header = f"# {row['code']} {row['name']} ({row['severity']}, fix: {row['fix']})"
        assert explained.startswith(header + "\n\n" + row["summary"] + "\n")
        assert explained.endswith(f"\nDocs: {row['url']}\n")
        assert row["url"].endswith(f"#{row['code'].lower()}-{row['name']}")


def test_version() -> None:
    result = lint_wb("--version")
    assert result.exit_code == 0
    assert result.stdout == f"lint-wb, version {__version__}\n"


def test_every_click_parameter_is_a_typed_option_field() -> None:
    import dataclasses

    from lint_wb.cli.options import Options, ReportOptions

    declared = {param.name for param in main.params} - {"version", "help"}
    fields = {field.name for field in dataclasses.fields(Options)} - {"report"}
    fields |= {field.name for field in dataclasses.fields(ReportOptions)}
    assert declared == fields


def test_options_from_click_put_report_options_apart() -> None:
    from lint_wb.cli.options import Options

    options = Options.from_click({"paths": (Path("-"),), "fix": True, "quiet": True})
    assert options.reads_stdin and options.fix and options.report.quiet
    with pytest.raises(TypeError):
        Options.from_click({"no_such_option": True})
