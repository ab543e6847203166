"""GitHub Actions workflow commands: one `::error ...::` annotation per finding."""

from __future__ import annotations

from collections.abc import Sequence

from lint_wb.findings import Finding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    lines = []
    for finding in findings:
        level = "error" if finding.severity.value == "error" else "warning"
        properties = ",".join(
            [
                f"file={_escape_property(finding.filename)}",
                f"line={finding.location.row}",
                f"col={finding.location.column}",
                f"endLine={finding.end_location.row}",
                f"endColumn={finding.end_location.column}",
                f"title={_escape_property(finding.code)}",
            ]
        )
        lines.append(f"::{level} {properties}::{_escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)
