"""Every output format, through the real command line on fixtures with several findings and fixes.

The project under test is a copy of fixtures/client/base_urls.py (ten WB101 with safe fixes,
one without a fix) and fixtures/porting/ (assume-wandb and unsafe-fixes in its lint-wb.toml:
WB103 with safe fixes, WB102 with unsafe ones), run from its folder so paths are relative.
`--select WB1` keeps the counts to the client rules these fixtures are about.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from click.testing import Result

from lint_wb import __version__, api
from lint_wb.cli.main import main
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location, Severity
from lint_wb.reporters import text as text_reporter
from lint_wb.reporters.github import render_github
from lint_wb.reporters.indented import dumps_indented
from lint_wb.reporters.json_format import finding_object, render_json, unchecked_object
from lint_wb.reporters.sarif import render_sarif
from lint_wb.reporters.text import render_concise, render_full
from lint_wb.results import Mode, Overrides, Unchecked
from lint_wb.rules import ALL_RULES, RULES_BY_CODE
from tests.cli_runner import make_runner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def lint_wb(*args: str, color: bool = False) -> Result:
    """Run `lint-wb ARGS` in-process, stdout and stderr kept apart (click 8.1 and 8.2+)."""
    return make_runner().invoke(main, list(args), color=color, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copy(FIXTURES / "client" / "base_urls.py", tmp_path / "base_urls.py")
    (tmp_path / "porting").mkdir()
    for name in ("lint-wb.toml", "foreign_urls.py"):  # the files these tests count on
        shutil.copy(FIXTURES / "porting" / name, tmp_path / "porting" / name)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def json_findings(*args: str) -> list[dict[str, Any]]:
    result = lint_wb("--select", "WB1", "--output-format", "json", *args)
    assert result.exit_code == 1, result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    assert findings
    return findings


def fixed_text(path: str) -> str:
    """What `lint-wb --fix` makes of `path` (run on the file itself, so call it last)."""
    lint_wb("--select", "WB1", "--fix", path)
    return Path(path).read_text(encoding="utf-8")


def offset(text: str, row: int, column: int) -> int:
    """The index in `text` of a 1-based (row, column) counted in code points."""
    lines = text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: row - 1]) + column - 1


def apply_edits(text: str, edits: Sequence[tuple[int, int, int, int, str]]) -> str:
    """Apply (row, column, end_row, end_column, content) edits: 1-based, end exclusive."""
    spans = sorted(
        (offset(text, r, c), offset(text, er, ec), content) for r, c, er, ec, content in edits
    )
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert end <= start, "overlapping edits"
    for start, end, content in reversed(spans):
        text = text[:start] + content + text[end:]
    return text


def span(text: str, finding: dict[str, Any]) -> str:
    """The source text between a JSON finding's location and end_location."""
    start, end = finding["location"], finding["end_location"]
    first = offset(text, start["row"], start["column"])
    return text[first : offset(text, end["row"], end["column"])]


# full and concise


def test_full_shows_each_finding_with_a_caret_under_its_columns(project: Path) -> None:
    source = (project / "base_urls.py").read_text(encoding="utf-8").splitlines()
    findings = json_findings("base_urls.py")
    result = lint_wb("--select", "WB1", "base_urls.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    for finding in findings:
        row, column = finding["location"]["row"], finding["location"]["column"]
        end = finding["end_location"]["column"]
        head = f"base_urls.py:{row}:{column}: {finding['code']}"
        index = next(i for i, line in enumerate(lines) if line.startswith(head))
        assert lines[index].endswith(finding["message"])
        width = len(str(row))
        assert lines[index + 2] == f"{row:>{width}} | {source[row - 1]}"
        caret = lines[index + 3]
        prefix = " " * width + " | "
        assert caret == prefix + " " * (column - 1) + "^" * (end - column) + f" {finding['code']}"
    caret = lines[lines.index('16 |     base_url="https://api.wandb.ai/v1",  # WB101') + 1]
    gutter = len("   | ")
    covered = source[15][caret.index("^") - gutter : caret.rindex("^") - gutter + 1]
    assert covered == '"https://api.wandb.ai/v1"'


def test_full_shows_the_fix_and_ends_with_the_summary(project: Path) -> None:
    result = lint_wb("--select", "WB1", "base_urls.py")
    lines = result.stdout.splitlines()
    helps = [line for line in lines if line.startswith("  = help: ")]
    assert helps == ["  = help: Replace with 'https://api.inference.wandb.ai/v1'"] * 10
    assert lines[-1] == "Found 11 errors (10 fixable with --fix)."
    assert sum(" WB101 [*] " in line for line in lines) == 10
    no_fix = next(line for line in lines if line.startswith("base_urls.py:34:32: WB101 "))
    assert "[*]" not in no_fix


def test_full_says_which_fixes_need_unsafe_fixes(project: Path) -> None:
    result = lint_wb("--select", "WB1", "--no-unsafe-fixes", "porting")
    lines = result.stdout.splitlines()
    assert lines.count("  = help: Add the W&B base_url (unsafe: --unsafe-fixes)") == 2
    summary = "Found 3 errors and 2 warnings (3 fixable with --fix, 2 more with --unsafe-fixes)."
    assert lines[-1] == summary
    configured = lint_wb("--select", "WB1", "porting").stdout.splitlines()
    assert configured.count("  = help: Add the W&B base_url") == 2
    assert configured[-1] == "Found 3 errors and 2 warnings (5 fixable with --fix)."


def test_concise_is_one_line_a_finding_and_the_summary(project: Path) -> None:
    findings = json_findings("--no-unsafe-fixes", "porting")
    args = ("--select", "WB1", "--no-unsafe-fixes", "--output-format", "concise", "porting")
    result = lint_wb(*args)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = []
    for finding in findings:
        fix = finding["fix"]
        marker = " [*]" if fix is not None and fix["applicability"] == "safe" else ""
        place = f"{finding['location']['row']}:{finding['location']['column']}"
        expected.append(
            f"porting/foreign_urls.py:{place}: {finding['code']}{marker} {finding['message']}"
        )
    summary = "Found 3 errors and 2 warnings (3 fixable with --fix, 2 more with --unsafe-fixes)."
    assert lines == [*expected, "", summary]


def test_quiet_text_has_no_summary(project: Path) -> None:
    result = lint_wb("--select", "WB1", "--output-format", "concise", "-q", "porting")
    assert len(result.stdout.splitlines()) == 5
    assert "Found" not in result.stdout


# json and json-lines

FIELDS: dict[str, Any] = {
    "code": str,
    "name": str,
    "severity": str,
    "message": str,
    "filename": str,
    "location": dict,
    "end_location": dict,
    "fix": (dict, type(None)),
    "url": str,
    "cell": (int, type(None)),
}


def _check_position(position: Any) -> None:
    assert isinstance(position, dict) and set(position) == {"row", "column"}
    assert all(type(value) is int and value >= 1 for value in position.values())


def _check_finding(finding: dict[str, Any], filename: str) -> None:
    assert set(finding) == set(FIELDS)
    for field, kind in FIELDS.items():
        assert isinstance(finding[field], kind), field
    rule = RULES_BY_CODE[finding["code"]]
    assert finding["name"] == rule.name
    assert finding["severity"] == rule.severity.value
    assert finding["url"] == rule.url()
    assert finding["filename"] == filename
    assert finding["cell"] is None
    _check_position(finding["location"])
    _check_position(finding["end_location"])
    fix = finding["fix"]
    if fix is not None:
        assert set(fix) == {"applicability", "message", "edits"}
        assert fix["applicability"] in ("safe", "unsafe")
        assert isinstance(fix["message"], str) and fix["edits"]
        for edit in fix["edits"]:
            assert set(edit) == {"content", "location", "end_location"}
            assert isinstance(edit["content"], str)
            _check_position(edit["location"])
            _check_position(edit["end_location"])


def _json_edits(findings: list[dict[str, Any]]) -> list[tuple[int, int, int, int, str]]:
    return [
        (
            e["location"]["row"],
            e["location"]["column"],
            e["end_location"]["row"],
            e["end_location"]["column"],
            e["content"],
        )
        for finding in findings
        if finding["fix"] is not None
        for e in finding["fix"]["edits"]
    ]


def test_json_has_the_spec_fields_with_their_types(project: Path) -> None:
    findings = json_findings("base_urls.py")
    assert len(findings) == 11
    for finding in findings:
        _check_finding(finding, "base_urls.py")
    assert [f["fix"] is None for f in findings].count(True) == 1


def test_json_positions_are_one_based_and_end_exclusive(project: Path) -> None:
    text = (project / "base_urls.py").read_text(encoding="utf-8")
    findings = {f["location"]["row"]: f for f in json_findings("base_urls.py")}
    assert findings[16]["location"] == {"row": 16, "column": 14}
    assert span(text, findings[16]) == '"https://api.wandb.ai/v1"'
    assert span(text, findings[19]) == "'https://trace.wandb.ai'"
    assert span(text, findings[10]) == "'https://api.wandb.ai/v1'"  # OLD_URL, where it is written
    assert span(text, findings[34]) == 'f"https://{host}/v1"'


@pytest.mark.parametrize("path", ["base_urls.py", "porting/foreign_urls.py"])
def test_json_fix_edits_give_the_fix_output(project: Path, path: str) -> None:
    before = Path(path).read_text(encoding="utf-8")
    findings = json_findings(path)
    for finding in findings:
        _check_finding(finding, path)
    patched = apply_edits(before, _json_edits(findings))
    assert patched != before
    assert patched == fixed_text(path)


def test_json_lines_is_the_json_list_one_object_a_line(project: Path) -> None:
    findings = json_findings("base_urls.py", "porting")
    result = lint_wb("--select", "WB1", "--output-format", "json-lines", "base_urls.py", "porting")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert result.stdout.endswith("\n") and len(lines) == len(findings) == 16
    assert [json.loads(line) for line in lines] == findings


def test_json_of_a_clean_run_is_an_empty_list(project: Path) -> None:
    result = lint_wb("--output-format", "json", "--select", "WB105", "base_urls.py")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    lines = lint_wb("--output-format", "json-lines", "--select", "WB105", "base_urls.py")
    assert lines.stdout == ""


# github

GITHUB_LINE = re.compile(
    r"^::(error|warning) file=(.*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
    r"title=(WB\d{3})::(.*)$"
)


def test_github_prints_one_annotation_a_finding(project: Path) -> None:
    findings = json_findings("porting")
    result = lint_wb("--select", "WB1", "--output-format", "github", "porting")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(findings)
    for line, finding in zip(lines, findings):
        match = GITHUB_LINE.match(line)
        assert match, line
        level, file, row, col, end_row, end_col, title, message = match.groups()
        assert level == finding["severity"]
        assert file == "porting/foreign_urls.py"
        assert (int(row), int(col)) == (finding["location"]["row"], finding["location"]["column"])
        end = finding["end_location"]
        assert (int(end_row), int(end_col)) == (end["row"], end["column"])
        assert title == finding["code"]
        assert message == finding["message"]
    assert lines[0].startswith(
        "::error file=porting/foreign_urls.py,line=7,col=28,endLine=7,endColumn=57,title=WB103::"
    )
    assert lines[3].startswith("::warning file=porting/foreign_urls.py,line=13,col=9,")


def test_github_escapes_properties_and_data(project: Path) -> None:
    odd = project / "a,b:c%d"
    odd.mkdir()
    shutil.copy(project / "base_urls.py", odd / "base_urls.py")
    result = lint_wb("--select", "WB1", "--output-format", "github", "a,b:c%d")
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=a%2Cb%3Ac%25d/base_urls.py,line=10,col=11,")
    finding = _finding(message="100% wrong:\nline two,\r\nthree", filename="x,y:z.py")
    assert render_github([finding]) == (
        "::error file=x%2Cy%3Az.py,line=3,col=5,endLine=3,endColumn=9,title=WB101::"
        "100%25 wrong:%0Aline two,%0D%0Athree\n"
    )


# sarif


SARIF_SCHEMA = Path(__file__).resolve().parent / "sarif" / "sarif-schema-2.1.0.json"
"""The OASIS SARIF 2.1.0 schema, vendored (tests/sarif/README.md: source and licence)."""


@functools.lru_cache(maxsize=1)
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return schema


def assert_valid_sarif(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(sarif_schema())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, "\n".join(errors)


def test_the_schema_check_catches_an_invalid_log() -> None:
    log = json.loads(render_sarif([_finding()]))
    assert_valid_sarif(log)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(AssertionError, match="startLine"):
        assert_valid_sarif(log)


def sarif_run(*args: str) -> dict[str, Any]:
    result = lint_wb("--select", "WB1", "--output-format", "sarif", *args)
    assert result.exit_code == 1, result.stderr
    log: dict[str, Any] = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_sarif_has_one_rule_per_registry_code_with_its_docs(project: Path) -> None:
    driver = sarif_run("base_urls.py")["tool"]["driver"]
    assert driver["name"] == "lint-wb" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in ALL_RULES]
    for descriptor, rule in zip(driver["rules"], ALL_RULES):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary()
        assert descriptor["fullDescription"]["text"] in rule.docs()
        assert descriptor["help"]["markdown"] == rule.docs()
        assert descriptor["helpUri"] == rule.url()
        level = "error" if rule.severity is Severity.ERROR else "warning"
        assert descriptor["defaultConfiguration"]["level"] == level


def _sarif_edits(result: dict[str, Any]) -> list[tuple[int, int, int, int, str]]:
    edits = []
    for fix in result.get("fixes", []):
        for change in fix["artifactChanges"]:
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                edits.append(
                    (
                        region["startLine"],
                        region["startColumn"],
                        region["endLine"],
                        region["endColumn"],
                        replacement["insertedContent"]["text"],
                    )
                )
    return edits


@pytest.mark.parametrize("path", ["base_urls.py", "porting/foreign_urls.py"])
def test_sarif_results_match_json_and_their_fixes_give_the_fix_output(
    project: Path, path: str
) -> None:
    before = Path(path).read_text(encoding="utf-8")
    findings = json_findings(path)
    run = sarif_run(path)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(findings)
    for result, finding in zip(run["results"], findings):
        assert result["ruleId"] == finding["code"] == rules[result["ruleIndex"]]["id"]
        assert result["level"] == finding["severity"]
        assert result["message"]["text"] == finding["message"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": path, "uriBaseId": "%SRCROOT%"}
        region = location["physicalLocation"]["region"]
        start, end = finding["location"], finding["end_location"]
        assert region == {
            "startLine": start["row"],
            "startColumn": start["column"],
            "endLine": end["row"],
            "endColumn": end["column"],
        }
        assert ("fixes" in result) == (finding["fix"] is not None)
        if finding["fix"] is not None:
            [fix] = result["fixes"]
            assert fix["description"]["text"] == finding["fix"]["message"]
            assert fix["artifactChanges"][0]["artifactLocation"] == artifact
    patched = apply_edits(before, [e for r in run["results"] for e in _sarif_edits(r)])
    assert patched == apply_edits(before, _json_edits(findings))
    assert patched == fixed_text(path)


def test_sarif_puts_a_notebook_cell_in_properties(tmp_path: Path) -> None:
    finding = _finding(filename=str(tmp_path / "nb dir" / "demo.ipynb"), cell=3)
    log = json.loads(render_sarif([finding, _finding(fix=None)]))
    assert_valid_sarif(log)
    with_cell, plain = log["runs"][0]["results"]
    assert with_cell["properties"] == {"cell": 3}
    assert with_cell["fixes"][0]["artifactChanges"][0]["properties"] == {"cell": 3}
    artifact = with_cell["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "nb dir" / "demo.ipynb").as_uri()}
    assert "%20" in artifact["uri"]
    assert "properties" not in plain and "fixes" not in plain


def test_sarif_of_a_clean_run_is_valid(project: Path) -> None:
    result = lint_wb("--output-format", "sarif", "--select", "WB105", "base_urls.py")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(ALL_RULES)


# notebook cells, the file output


def test_text_and_json_name_the_notebook_cell() -> None:
    finding = _finding(filename="demo.ipynb", cell=2)
    for render in (render_concise, render_full):
        text = click.unstyle(render([finding], lambda finding: finding.fix is not None))
        assert text.startswith("demo.ipynb:cell 2:3:5: WB101 [*] Base URL is wrong\n")
    assert json.loads(render_json([finding]))[0]["cell"] == 2


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Demo"]},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["%pip install openai\n", "import os\n", "from openai import OpenAI\n"],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["K"])\n',
                "other = OpenAI(base_url='https://trace.wandb.ai', api_key=os.environ[\"K\"])",
            ],
        },
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def notebook(project: Path) -> Path:
    path = project / "demo.ipynb"
    path.write_text(json.dumps(NOTEBOOK, indent=1) + "\n", encoding="utf-8")
    return path


def _output(output_format: str) -> str:
    result = lint_wb("--select", "WB1", "--output-format", output_format, "demo.ipynb")
    assert result.exit_code == 1, result.stderr
    return result.stdout


def test_every_format_names_the_notebook_cell(notebook: Path) -> None:
    for output_format in ("full", "concise"):
        lines = _output(output_format).splitlines()
        assert sum(line.startswith("demo.ipynb:cell 3:1:26: WB101 [*] ") for line in lines) == 1
        assert sum(line.startswith("demo.ipynb:cell 3:2:25: WB101 [*] ") for line in lines) == 1
    findings = json.loads(_output("json"))
    assert [(f["cell"], f["location"]["row"], f["location"]["column"]) for f in findings] == [
        (3, 1, 26),
        (3, 2, 25),
    ]
    assert [json.loads(line) for line in _output("json-lines").splitlines()] == findings
    github = _output("github").splitlines()
    assert github[0] == (
        "::error file=demo.ipynb,line=1,col=1,endLine=1,endColumn=1,title=WB101::"
        f"cell 3:1:26: {findings[0]['message']}"
    )
    log = json.loads(_output("sarif"))
    assert_valid_sarif(log)
    results = log["runs"][0]["results"]
    assert [r["properties"] for r in results] == [{"cell": 3}, {"cell": 3}]
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 25)


def test_json_fix_edits_of_a_notebook_cell_give_the_fixed_cell(notebook: Path) -> None:
    findings = json.loads(_output("json"))
    before = "".join(NOTEBOOK["cells"][2]["source"])  # type: ignore[index]
    lint_wb("--select", "WB1", "--fix", "demo.ipynb")
    after = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][2]["source"])
    assert "api.inference.wandb.ai/v1" in after
    assert apply_edits(before, _json_edits(findings)) == after


@pytest.mark.parametrize("output_format", FORMATS)
def test_output_file_gets_the_report_without_colors(project: Path, output_format: str) -> None:
    args = ["--select", "WB1", "--output-format", output_format, "base_urls.py", "porting"]
    plain = lint_wb(*args)
    result = lint_wb(*args, "-o", "report.txt", color=True)
    assert result.exit_code == plain.exit_code == 1
    assert result.stdout == ""
    written = (project / "report.txt").read_text(encoding="utf-8")
    assert not ANSI.search(written)
    assert written == plain.stdout and written.strip()
    if output_format == "full":
        assert ANSI.search(lint_wb(*args, color=True).stdout)


SAMPLE_FIX = Fix("Replace it", Applicability.SAFE, (Edit(Location(3, 6), Location(3, 8), "new"),))


def _finding(
    message: str = "Base URL is wrong",
    filename: str = "app.py",
    cell: int | None = None,
    fix: Fix | None = SAMPLE_FIX,
) -> Finding:
    rule = RULES_BY_CODE["WB101"]
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        message=message,
        filename=filename,
        location=Location(3, 5),
        end_location=Location(3, 9),
        fix=fix,
        cell=cell,
        url=rule.url(),
        source_lines=("x = 'abcdefgh'",),
    )


@pytest.mark.parametrize(
    "line",
    ["x = 1", "    call(a, b)  # note\n", "", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", "a\tb",
     "é = 1", "名前 = 1", "x\x1b[31m", "x\x7f"],
)  # fmt: skip
def test_a_line_shows_as_its_characters_do_one_by_one(line: str) -> None:
    """Plain ASCII takes a shortcut (one column a character); every line shows as the
    character-by-character reading shows it."""
    pieces: list[str] = []
    starts: list[int] = []
    column = 0
    for char in line.rstrip("\r\n"):
        starts.append(column)
        piece = text_reporter._shown_char(char, column)
        pieces.append(piece)
        column += text_reporter._screen_width(piece)
    starts.append(column)
    assert text_reporter.shown_line(line) == text_reporter.ShownLine(tuple(pieces), tuple(starts))


# the JSON text: the standard encoder's, written faster (reporters/indented.py)

ODD_TEXT = 'é "quoted" \\ back\nnew\tline \x00\x1f \u2028 名前 😀 </script>'


def _reference_json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [[], {}, [[]], [{}], {"a": []}, {"a": {}}, "", ODD_TEXT, 0, -7, 10**30, True, False, None,
     1.5, float("inf"), [1, [2, [3, {"k": (4, 5)}]], {}], {"x": None, "y": [True, False, None]},
     {1: "int key", None: "none key"}, {"nested": {2.5: ["float key"]}},
     [Severity.ERROR, Applicability.SAFE], {ODD_TEXT: ODD_TEXT}],
)  # fmt: skip
def test_indented_json_is_the_standard_encoders_text(value: object) -> None:
    assert dumps_indented(value) == _reference_json(value)


def test_indented_json_fails_as_the_standard_encoder_on_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        dumps_indented([{"a": object()}])


def test_json_report_of_made_up_findings_is_the_standard_encoders_text() -> None:
    no_edits = Fix(ODD_TEXT, Applicability.UNSAFE, ())
    findings = [
        _finding(),
        _finding(message=ODD_TEXT, filename="名前/ü.ipynb", cell=12, fix=None),
        _finding(fix=no_edits),
        replace(_finding(), url=""),
    ]
    unchecked = [Unchecked("bad.py", ODD_TEXT), Unchecked("gone.py", "cannot read")]
    for shown, hidden in ((findings, unchecked), (findings, []), ([], unchecked), ([], [])):
        objects = [*map(finding_object, shown), *map(unchecked_object, hidden)]
        assert render_json(shown, hidden) == _reference_json(objects) + "\n"


def test_json_report_of_real_findings_is_the_standard_encoders_text(
    outside_the_checkout: Path,
) -> None:
    """Every finding of four fixture folders (fixes with several edits, notebook cells,
    messages quoting code), as the report writes them and as `json.dumps` does. Copies:
    in this checkout, the project index alone takes seconds (`outside_the_checkout`)."""
    folders = [
        outside_the_checkout / name for name in ("client", "notebooks", "messages", "porting")
    ]
    for folder in folders:
        shutil.copytree(FIXTURES / folder.name, folder)
    run = api.check_paths(folders, Overrides(), Mode(), jobs=1)
    findings = sorted(run.findings, key=lambda finding: finding.sort_key)
    assert any(finding.cell for finding in findings)
    assert any(finding.fix and len(finding.fix.edits) > 1 for finding in findings)
    objects = [*map(finding_object, findings)]
    assert render_json(findings) == _reference_json(objects) + "\n"
