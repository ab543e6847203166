"""The machine formats: `json` (a list) and `json-lines` (an object a line), as ruff's.

Paths that could not be checked follow the findings, as objects with `code` null."""

from __future__ import annotations

import json
from collections.abc import Sequence

from lint_wb.findings import Edit, Finding, Location
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
    objects = _objects(findings, unchecked)
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def render_json_lines(findings: Sequence[Finding], unchecked: Sequence[Unchecked] = ()) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in _objects(findings, unchecked))
