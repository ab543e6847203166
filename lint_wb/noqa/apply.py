"""Applying `# noqa` comments to one file's findings, and WB902 for those that silence nothing.

`suppress.py` reads the comments; this module decides which findings they silence, and
reports (with a fix that removes them) the codes in a noqa comment that silence nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from lint_wb.config.settings import LintOptions
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location, Severity
from lint_wb.lines import LineIndex
from lint_wb.noqa.comments import NoqaComment, Suppressions
from lint_wb.rules import RULES_BY_CODE

UNUSED_NOQA = "WB902"


class SourcePlace(Protocol):
    """Where a file's findings stand: its lines, its name and its notebook cell."""

    @property
    def index(self) -> LineIndex: ...

    @property
    def filename(self) -> str: ...

    @property
    def cell(self) -> int | None: ...


def apply_suppressions(
    findings: Sequence[Finding],
    suppressions: Suppressions,
    place: SourcePlace,
    options: LintOptions,
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """The findings kept (with WB902 for unused noqa codes, in order) and those suppressed."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: dict[int, set[str]] = {}
    for finding in findings:
        if suppressions.file_suppresses(finding.code):
            suppressed.append(finding)
            continue
        rows = range(finding.location.row, finding.end_location.row + 1)
        comment = suppressions.line_suppresses(finding.code, rows)
        if comment is None:
            kept.append(finding)
        else:
            suppressed.append(finding)
            used.setdefault(comment.row, set()).add(finding.code)
    if UNUSED_NOQA in options.enabled and not suppressions.file_suppresses(UNUSED_NOQA):
        kept.extend(_unused_noqa(suppressions.line_comments.values(), used, place, options))
    return tuple(sorted(kept, key=_order)), tuple(suppressed)


def _order(finding: Finding) -> tuple[Location, str]:
    return (finding.location, finding.code)


def _unused_noqa(
    comments: Iterable[NoqaComment],
    used: dict[int, set[str]],
    place: SourcePlace,
    options: LintOptions,
) -> list[Finding]:
    findings: list[Finding] = []
    for comment in comments:
        if comment.codes is None:
            continue  # a blanket noqa may serve other tools
        unused = [
            code
            for code in comment.codes
            if code.startswith("WB")
            and code not in used.get(comment.row, set())
            and (code in options.enabled or code not in RULES_BY_CODE)
        ]
        if unused:
            findings.append(_unused_noqa_finding(comment, unused, place))
    return findings


def _unused_noqa_finding(comment: NoqaComment, unused: list[str], place: SourcePlace) -> Finding:
    assert comment.codes is not None
    rule = RULES_BY_CODE[UNUSED_NOQA]
    line = place.index.line(comment.row)
    unknown = [code for code in unused if code not in RULES_BY_CODE]
    described = ", ".join(unused)
    message = f"Unused `noqa` for {described}: nothing on this line is reported with it"
    if unknown:
        message += f" ({', '.join(unknown)} is not a lint-wb code)"
    keep = [code for code in comment.codes if code not in unused]
    fix = noqa_fix(comment, keep, line)
    return Finding(
        UNUSED_NOQA,
        rule.name,
        Severity.WARNING,
        message,
        place.filename,
        Location(comment.row, comment.start_column + 1),
        Location(comment.row, comment.end_column + 1),
        fix=fix,
        cell=place.cell,
        url=rule.url(),
        source_lines=(line,),
    )


def noqa_fix(comment: NoqaComment, keep: list[str], line: str) -> Fix:
    """Remove the unused codes, or the whole comment when no code in it is used."""
    if keep:
        start, end = comment.code_spans[0][0], comment.code_spans[-1][1]
        edit = Edit(
            Location(comment.row, start + 1), Location(comment.row, end + 1), ", ".join(keep)
        )
        return Fix("Remove the unused codes", Applicability.SAFE, (edit,))
    start = comment.start_column
    while start > 0 and line[start - 1] in " \t":
        start -= 1
    end = comment.end_column
    following = line[end:].strip()
    if following and not following.startswith("#"):
        # Prose follows in the same comment (`# noqa: WB101  -- why`): keep the `#` and it.
        start = comment.start_column + 1
    elif start == 0 or following:
        # Another comment follows (`# noqa: WB101  # why`): take the noqa and its spacing.
        start = comment.start_column
        while end < len(line) and line[end] in " \t":
            end += 1
    edit = Edit(Location(comment.row, start + 1), Location(comment.row, end + 1), "")
    return Fix("Remove the unused `noqa` comment", Applicability.SAFE, (edit,))
