"""The machine formats: `json` (a list) and `json-lines` (an object a line), as ruff's."""

from __future__ import annotations

import json
from collections.abc import Sequence

from lint_wb.findings import Edit, Finding, Location


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


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding_object(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_json_lines(findings: Sequence[Finding]) -> str:
    return "".join(json.dumps(finding_object(f), ensure_ascii=False) + "\n" for f in findings)
