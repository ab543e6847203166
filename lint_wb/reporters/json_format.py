"""The machine formats: `json` (a list) and `json-lines` (an object a line), as ruff's.

Paths that could not be checked follow the findings, as objects with `code` null."""

from __future__ import annotations

import json
from collections.abc import Sequence

from lint_wb.findings import Edit, Finding, Fix, Location
from lint_wb.reporters.indented import dumps_indented, quoted
from lint_wb.results import Unchecked


def _location(location: Location) -> dict[str, int]:
    return {"row": location.row, "column": location.column}


def _edit(edit: Edit) -> dict[str, object]:
    return {
        "content": edit.content,
        "location": _location(edit.start),
        "end_location": _location(edit.end),
    }


def finding_object(finding: Finding) -> dict[str, object]:
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "message": finding.fix.message,
            "edits": [_edit(edit) for edit in finding.fix.edits],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "filename": finding.filename,
        "location": _location(finding.location),
        "end_location": _location(finding.end_location),
        "fix": fix,
        "url": finding.url,
        "cell": finding.cell,
    }


def unchecked_object(unchecked: Unchecked) -> dict[str, object]:
    """A path that could not be checked, in a finding's shape with no rule (`code` null, as
    ruff gives a syntax error), so that a consumer reading findings sees it too."""
    start = _location(Location(1, 1))
    return {
        "code": None,
        "name": None,
        "severity": "error",
        "message": unchecked.message,
        "filename": unchecked.path,
        "location": start,
        "end_location": start,
        "fix": None,
        "url": None,
        "cell": None,
    }


def _objects(
    findings: Sequence[Finding], unchecked: Sequence[Unchecked]
) -> list[dict[str, object]]:
    return [*map(finding_object, findings), *map(unchecked_object, unchecked)]


def render_json(findings: Sequence[Finding], unchecked: Sequence[Unchecked] = ()) -> str:
    """`json.dumps(_objects(findings, unchecked), indent=2, ensure_ascii=False)`, the same
    text, each finding written field by field (`_finding_text`; the standard encoder with
    `indent` is pure Python: most of a dense report's time, in the main process alone)."""
    if not findings and not unchecked:
        return "[]\n"
    items = [*map(_finding_text, findings)]
    items += (dumps_indented(unchecked_object(item)).replace("\n", "\n  ") for item in unchecked)
    return "[\n  " + ",\n  ".join(items) + "\n]\n"


def _finding_text(finding: Finding) -> str:
    """`finding_object(finding)` as `json.dumps(indent=2)` writes it as an item of a list."""
    fix = finding.fix
    return (
        '{\n    "code": ' + _scalar(finding.code)
        + ',\n    "name": ' + _scalar(finding.name)
        + ',\n    "severity": ' + _scalar(finding.severity.value)
        + ',\n    "message": ' + _scalar(finding.message)
        + ',\n    "filename": ' + _scalar(finding.filename)
        + ',\n    "location": ' + _location_text(finding.location, "\n    ")
        + ',\n    "end_location": ' + _location_text(finding.end_location, "\n    ")
        + ',\n    "fix": ' + ("null" if fix is None else _fix_text(fix))
        + ',\n    "url": ' + _scalar(finding.url)
        + ',\n    "cell": ' + _scalar(finding.cell)
        + "\n  }"
    )  # fmt: skip


def _fix_text(fix: Fix) -> str:
    edits = "[]"
    if fix.edits:
        edits = "[\n        " + ",\n        ".join(map(_edit_text, fix.edits)) + "\n      ]"
    return (
        '{\n      "applicability": ' + _scalar(fix.applicability.value)
        + ',\n      "message": ' + _scalar(fix.message)
        + ',\n      "edits": ' + edits
        + "\n    }"
    )  # fmt: skip


def _edit_text(edit: Edit) -> str:
    return (
        '{\n          "content": ' + _scalar(edit.content)
        + ',\n          "location": ' + _location_text(edit.start, "\n          ")
        + ',\n          "end_location": ' + _location_text(edit.end, "\n          ")
        + "\n        }"
    )  # fmt: skip


def _location_text(location: Location, newline: str) -> str:
    inner = newline + "  "
    row, column = _scalar(location.row), _scalar(location.column)
    return "{" + inner + '"row": ' + row + "," + inner + '"column": ' + column + newline + "}"


def _scalar(value: object) -> str:
    """A string, an int or None as JSON (anything else as `json.dumps` writes it)."""
    if type(value) is str:
        return quoted(value)
    if type(value) is int:
        return int.__repr__(value)
    return "null" if value is None else dumps_indented(value)


def render_json_lines(findings: Sequence[Finding], unchecked: Sequence[Unchecked] = ()) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in _objects(findings, unchecked))
