"""SARIF 2.1.0 (`--output-format sarif`): one run, one rule per registry code, fixes as SARIF fixes.

The log is built from plain dicts and written as JSON, not with a SARIF object-model package
(sarif-om, pydantic-sarif...): the run-time dependencies are fixed (libcst, click, tomli),
and the part of SARIF emitted here is a few dozen lines. The tests validate the output
against the OASIS SARIF 2.1.0 JSON schema.

Positions: SARIF lines and columns are 1-based with an exclusive `endColumn`, as ours. Our
columns count code points, so the run says `columnKind: unicodeCodePoints` (SARIF's default
is UTF-16 code units). File paths are URIs relative to `%SRCROOT%`, the working directory
(spelled out in `originalUriBaseIds`); a file outside it gets an absolute `file:` URI.
A finding in a notebook counts rows and columns inside its cell: the cell number is in the
result's `properties.cell`, and in the `properties` of its fix's artifact change.
A path that could not be checked is a `toolExecutionNotifications` entry of the run's one
invocation, whose `executionSuccessful` is then false.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from urllib.parse import quote

from lint_wb import __version__
from lint_wb.findings import Edit, Finding, Location
from lint_wb.reporters.indented import dumps_indented
from lint_wb.results import Unchecked
from lint_wb.rules import ALL_RULES
from lint_wb.rules.base import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/wandb/lint-wb"
SRCROOT = "%SRCROOT%"


def render_sarif(findings: Sequence[Finding], unchecked: Sequence[Unchecked] = ()) -> str:
    log = sarif_log(findings, Path.cwd(), unchecked)
    return dumps_indented(log) + "\n"  # json.dumps(indent=2)'s text (indented.py)


def sarif_log(
    findings: Sequence[Finding], root: Path, unchecked: Sequence[Unchecked] = ()
) -> dict[str, object]:
    """The whole log; `root` is the folder `%SRCROOT%` stands for."""
    index = {rule.code: position for position, rule in enumerate(ALL_RULES)}
    run = {
        "tool": {
            "driver": {
                "name": "lint-wb",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in ALL_RULES],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": _folder_uri(root)}},
        "invocations": [_invocation(unchecked, root)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index.get(finding.code), root) for finding in findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _invocation(unchecked: Sequence[Unchecked], root: Path) -> dict[str, object]:
    """The run itself: it did not succeed when some path could not be checked, and each
    such path is a tool execution notification (it is no result: no rule found it)."""
    notifications = [
        {
            "level": "error",
            "message": {"text": item.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": _artifact_location(item.path, root)}}
            ],
        }
        for item in unchecked
    ]
    invocation: dict[str, object] = {"executionSuccessful": not unchecked}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _rule(rule: type[Rule]) -> dict[str, object]:
    docs = rule.docs()
    what = _section(docs, "## What it does") or rule.summary()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": what, "markdown": what},
        "help": {"text": docs, "markdown": docs},
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": _level(rule.severity.value)},
        "properties": {"fixSafety": rule.fix_safety.value},
    }


def _section(docs: str, heading: str) -> str:
    """The text under one `## ` heading of a rule's docs, without the heading."""
    lines = docs.splitlines()
    if heading not in lines:
        return ""
    body: list[str] = []
    for line in lines[lines.index(heading) + 1 :]:
        if line.startswith("## "):
            break
        body.append(line)
    return "\n".join(body).strip()


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _result(finding: Finding, rule_index: int | None, root: Path) -> dict[str, object]:
    artifact = _artifact_location(finding.filename, root)
    result: dict[str, object] = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = _level(finding.severity.value)
    result["message"] = {"text": finding.message}
    region = _region(finding.location, finding.end_location)
    result["locations"] = [{"physicalLocation": {"artifactLocation": artifact, "region": region}}]
    if finding.fix is not None:
        change: dict[str, object] = {
            "artifactLocation": artifact,
            "replacements": [_replacement(edit) for edit in finding.fix.edits],
        }
        if finding.cell is not None:
            change["properties"] = {"cell": finding.cell}
        result["fixes"] = [
            {
                "description": {"text": finding.fix.message},
                "artifactChanges": [change],
                "properties": {"applicability": finding.fix.applicability.value},
            }
        ]
    if finding.cell is not None:
        result["properties"] = {"cell": finding.cell}
    return result


def _region(start: Location, end: Location) -> dict[str, int]:
    return {
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }


def _replacement(edit: Edit) -> dict[str, object]:
    return {
        "deletedRegion": _region(edit.start, edit.end),
        "insertedContent": {"text": edit.content},
    }


def _artifact_location(filename: str, root: Path) -> dict[str, str]:
    """`filename` as a URI relative to `%SRCROOT%`, or an absolute `file:` URI outside it."""
    if filename == "-":
        return {"uri": "-"}
    absolute = Path(os.path.normpath(root / filename))
    try:
        relative = absolute.relative_to(os.path.normpath(root))
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": _quote(relative), "uriBaseId": SRCROOT}


def _quote(path: PurePath) -> str:
    """Percent-encoded bytes of the path: a file name that is not UTF-8 (held with surrogate
    escapes) gets its own bytes encoded, as `Path.as_uri` does."""
    return quote(os.fsencode(path.as_posix()), safe="/")


def _folder_uri(root: Path) -> str:
    uri = Path(os.path.normpath(root.absolute())).as_uri()
    return uri if uri.endswith("/") else uri + "/"
