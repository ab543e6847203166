"""The pure core: source text in, findings and fixed text out.

parse -> analyse -> rules -> positions -> suppressions. Knows nothing of files, click or
printing; `api.py` feeds it text and `cli.py` prints what it returns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst

from lint_wb.analysis import ModuleContext, ModuleFacts, analyze
from lint_wb.analysis.walk import all_child_nodes
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location, Severity
from lint_wb.positions import NodePositions, code_for_node, node_positions
from lint_wb.rules import RULES_BY_CODE, rules_for
from lint_wb.rules.base import FixProposal, Report, RuleContext
from lint_wb.settings import LintOptions
from lint_wb.spec import Spec
from lint_wb.suppress import NoqaComment, Suppressions, parse_suppressions

SYNTAX_ERROR = "WB901"
UNUSED_NOQA = "WB902"
NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Row/column <-> offset for a text, with libcst's idea of a line break."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in NEWLINE.finditer(text)]

    def offset(self, row: int, column: int) -> int:
        """`row` 1-based, `column` 0-based."""
        return self.starts[row - 1] + column

    def location(self, offset: int) -> Location:
        low, high = 0, len(self.starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return Location(low + 1, offset - self.starts[low] + 1)

    def line(self, row: int) -> str:
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    parsed: bool = True


def parse_and_analyze(
    text: str, options: LintOptions, spec: Spec, where: ModuleContext | None = None
) -> ModuleFacts | None:
    """The analysis facts of a source text, or None when it does not parse."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    return analyze(module, spec.api, options, where)


def lint_source(
    text: str,
    filename: str,
    options: LintOptions,
    spec: Spec,
    *,
    cell: int | None = None,
    where: ModuleContext | None = None,
) -> LintResult:
    """Every finding for one Python source text."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as error:
        return LintResult(_syntax_error(text, filename, error, options, cell), parsed=False)
    facts = analyze(module, spec.api, options, where)
    reports = run_rules(facts, spec, options)
    suppressions = parse_suppressions(text)
    if not reports and not suppressions.line_comments:
        return LintResult(())
    builder = _FindingBuilder(module, text, filename, cell, reports)
    findings = [builder.finding(report) for report in reports]
    return _apply_suppressions(findings, suppressions, builder, options)


def run_rules(facts: ModuleFacts, spec: Spec, options: LintOptions) -> list[Report]:
    context = RuleContext(spec, options, facts)
    reports: list[Report] = []
    for rule in rules_for(options.enabled, context):
        if rule.wandb_only:
            for client in facts.clients:
                if client.is_wandb:
                    reports.extend(rule.check_client(client))
            for request in facts.requests:
                if request.client.is_wandb:
                    reports.extend(rule.check_request(request))
        else:
            for client in facts.clients:
                reports.extend(rule.check_client(client))
            for request in facts.requests:
                reports.extend(rule.check_request(request))
        reports.extend(rule.check_module(facts))
    return reports


def _syntax_error(
    text: str, filename: str, error: Exception, options: LintOptions, cell: int | None
) -> tuple[Finding, ...]:
    if SYNTAX_ERROR not in options.enabled:
        return ()
    row, column = 1, 1
    message = f"{type(error).__name__}: {error}"
    if isinstance(error, cst.ParserSyntaxError):
        row, column = error.raw_line, error.raw_column + 1
        message = _parser_message(error.message)
    index = LineIndex(text)
    row = max(1, min(row, len(index.starts)))
    rule = RULES_BY_CODE[SYNTAX_ERROR]
    location = Location(row, column)
    return (
        Finding(
            SYNTAX_ERROR,
            rule.name,
            rule.severity,
            f"Cannot parse this file, so nothing in it was checked: {message}",
            filename,
            location,
            Location(row, column + 1),
            cell=cell,
            url=rule.url(),
            source_lines=(index.line(row),),
        ),
    )


def _parser_message(raw: str) -> str:
    """libcst's parser message without its own (0-based) position and its long token lists:
    `error at 4:6: expected one of !=, %, &, ...` -> `expected one of '!=', '%', '&', ...`."""
    message = re.sub(r"^(parser error: )?error at \d+:\d+: ", "", raw.strip())
    message = message.removeprefix("parser error: ")
    head, sep, options = message.partition("expected one of ")
    if not sep:
        return message or "invalid syntax"
    tokens = [token.strip() for token in options.split(", ") if token.strip()]
    shown = ", ".join(tokens[:4]) + (", ..." if len(tokens) > 4 else "")
    return f"{head}expected one of {shown}"


class _FindingBuilder:
    """Turns reports into findings; node positions are computed once, on the first report."""

    def __init__(
        self,
        module: cst.Module,
        text: str,
        filename: str,
        cell: int | None,
        reports: Sequence[Report] = (),
    ) -> None:
        self.module = module
        self.index = LineIndex(text)
        self.filename = filename
        self.cell = cell
        self.reports = reports
        self._positions: NodePositions | None = None

    @property
    def positions(self) -> NodePositions:
        if self._positions is None:
            replaced = {
                replacement.old
                for report in self.reports
                if report.fix is not None
                for replacement in report.fix.replacements
            }
            self._positions = node_positions(self.module, replaced)
        return self._positions

    def finding(self, report: Report) -> Finding:
        rule = RULES_BY_CODE[report.code]
        position = self.positions.syntactic[report.node]
        start = Location(position.start.line, position.start.column + 1)
        end = Location(position.end.line, position.end.column + 1)
        return Finding(
            report.code,
            rule.name,
            rule.severity,
            report.message,
            self.filename,
            start,
            end,
            fix=None if report.fix is None else self.fix(report.fix),
            cell=self.cell,
            url=rule.url(),
            source_lines=self.lines(start.row, end.row),
        )

    def lines(self, first: int, last: int) -> tuple[str, ...]:
        return tuple(self.index.line(row) for row in range(first, last + 1))

    def fix(self, proposal: FixProposal) -> Fix | None:
        edits: list[Edit] = []
        for replacement in proposal.replacements:
            edit = self._edit(replacement.old, replacement.new)
            if edit is None:
                return None
            edits.append(edit)
        message, applicability = proposal.message, proposal.applicability
        if any(_drops_comments(r.old, r.new) for r in proposal.replacements):
            # As in ruff: a fix that deletes a comment is never applied without asking.
            message, applicability = f"{message} (deletes a comment)", Applicability.UNSAFE
        return Fix(message, applicability, tuple(sorted(edits, key=_edit_key)))

    def _edit(self, old: cst.CSTNode, new: cst.CSTNode) -> Edit | None:
        span = self.positions.inclusive[old]
        start = self.index.offset(span.start.line, span.start.column)
        end = self.index.offset(span.end.line, span.end.column)
        old_code = self.index.text[start:end]
        # A multi-line node carries the indentation of the blocks it stands in.
        indents = self.positions.indents.get(old, ())
        if old_code != code_for_node(self.module, old, indents):
            return None  # positions and code disagree: never write a guess
        new_code = code_for_node(self.module, new, indents)
        prefix = _word_start(old_code, _common_prefix(old_code, new_code))
        suffix = _common_suffix(old_code[prefix:], new_code[prefix:])
        suffix = len(old_code) - _word_end(old_code, len(old_code) - suffix)
        suffix = min(suffix, len(new_code) - prefix)
        return Edit(
            self.index.location(start + prefix),
            self.index.location(end - suffix),
            new_code[prefix : len(new_code) - suffix],
        )


def _comments(node: cst.CSTNode) -> Counter[str]:
    found: Counter[str] = Counter()
    if isinstance(node, cst.Comment):
        found[node.value] += 1
    for child in all_child_nodes(node):
        found += _comments(child)
    return found


def _drops_comments(old: cst.CSTNode, new: cst.CSTNode) -> bool:
    return bool(_comments(old) - _comments(new))


def _edit_key(edit: Edit) -> tuple[Location, Location]:
    return (edit.start, edit.end)


def _common_prefix(a: str, b: str) -> int:
    length = min(len(a), len(b))
    index = 0
    while index < length and a[index] == b[index]:
        index += 1
    return index


def _word_start(text: str, index: int) -> int:
    """Move an edit's start back to the start of the word it would cut, so an edit reads as
    whole words (`openrouter.ai/api` -> `api.inference.wandb.ai`, not `i/ap` fragments)."""
    while 0 < index < len(text) and text[index - 1].isalnum() and text[index].isalnum():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while 0 < index < len(text) and text[index - 1].isalnum() and text[index].isalnum():
        index += 1
    return index


def _common_suffix(a: str, b: str) -> int:
    length = min(len(a), len(b))
    index = 0
    while index < length and a[-1 - index] == b[-1 - index]:
        index += 1
    return index


def _apply_suppressions(
    findings: Sequence[Finding],
    suppressions: Suppressions,
    builder: _FindingBuilder,
    options: LintOptions,
) -> LintResult:
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
        kept.extend(_unused_noqa(suppressions.line_comments.values(), used, builder, options))
    return LintResult(tuple(sorted(kept, key=_order)), tuple(suppressed))


def _order(finding: Finding) -> tuple[Location, str]:
    return (finding.location, finding.code)


def _unused_noqa(
    comments: Iterable[NoqaComment],
    used: dict[int, set[str]],
    builder: _FindingBuilder,
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
            findings.append(_unused_noqa_finding(comment, unused, builder))
    return findings


def _unused_noqa_finding(
    comment: NoqaComment, unused: list[str], builder: _FindingBuilder
) -> Finding:
    assert comment.codes is not None
    rule = RULES_BY_CODE[UNUSED_NOQA]
    line = builder.index.line(comment.row)
    unknown = [code for code in unused if code not in RULES_BY_CODE]
    described = ", ".join(unused)
    message = f"Unused `noqa` for {described}: nothing on this line is reported with it"
    if unknown:
        message += f" ({', '.join(unknown)} is not a lint-wb code)"
    keep = [code for code in comment.codes if code not in unused]
    fix = _noqa_fix(comment, keep, line)
    return Finding(
        UNUSED_NOQA,
        rule.name,
        Severity.WARNING,
        message,
        builder.filename,
        Location(comment.row, comment.start_column + 1),
        Location(comment.row, comment.end_column + 1),
        fix=fix,
        cell=builder.cell,
        url=rule.url(),
        source_lines=(line,),
    )


def _noqa_fix(comment: NoqaComment, keep: list[str], line: str) -> Fix:
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
