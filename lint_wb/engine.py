"""The pure core: source text in, findings and fixed text out.

parse -> analyse -> rules -> positions -> suppressions (`noqa.py`). Knows nothing of files,
click or printing; `api.py` feeds it text and `cli.py` prints what it returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from lint_wb.analysis import ModuleContext, ModuleFacts, analyze
from lint_wb.analysis.walk import all_child_nodes
from lint_wb.config.settings import LintOptions
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location
from lint_wb.lines import LineIndex
from lint_wb.long_chains import parse_module
from lint_wb.noqa.apply import apply_suppressions
from lint_wb.noqa.comments import parse_suppressions
from lint_wb.positions import NodePositions, code_for_node, node_positions
from lint_wb.rules import RULES_BY_CODE, rules_for
from lint_wb.rules.base import FixProposal, Replacement, Report, RuleContext
from lint_wb.spec import Spec
from lint_wb.syntax_error import compile_error, syntax_error


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    parsed: bool = True


def parse_and_analyze(
    text: str, options: LintOptions, spec: Spec, where: ModuleContext | None = None
) -> ModuleFacts | None:
    """The analysis facts of a source text, or None when it does not parse."""
    if compile_error(text) is not None:
        return None
    try:
        module = parse_module(text)
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
    parsed: cst.Module | None = None,
) -> LintResult:
    """Every finding for one Python source text. `parsed`: the parse of exactly `text`, when
    the caller has one (a run parses the modules of its project index once, for both)."""
    if parsed is not None:
        module = parsed
    else:
        rejected = compile_error(text)
        if rejected is not None:
            return LintResult(syntax_error(text, filename, rejected, options, cell), parsed=False)
        try:
            module = parse_module(text)
        except (cst.ParserSyntaxError, RecursionError, ValueError) as error:
            return LintResult(syntax_error(text, filename, error, options, cell), parsed=False)
    facts = analyze(module, spec.api, options, where)
    reports = run_rules(facts, spec, options)
    suppressions = parse_suppressions(text)
    if not reports and not suppressions.line_comments:
        return LintResult(())
    builder = _FindingBuilder(module, text, filename, cell, reports)
    findings = [builder.finding(report) for report in reports]
    kept, suppressed = apply_suppressions(findings, suppressions, builder, options)
    return LintResult(kept, suppressed)


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
            reported = {report.node for report in self.reports} | replaced
            self._positions = node_positions(self.module, self.index, reported, replaced)
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
        commented: list[Replacement] = []
        for replacement in proposal.replacements:
            edited = self._edit(replacement.old, replacement.new)
            if edited is None:
                return None
            edit, old_code = edited
            edits.append(edit)
            if "#" in old_code:  # no `#` in its code: the old node holds no comment to drop
                commented.append(replacement)
        message, applicability = proposal.message, proposal.applicability
        if any(_drops_comments(r.old, r.new) for r in commented):
            # As in ruff: a fix that deletes a comment is never applied without asking.
            message, applicability = f"{message} (deletes a comment)", Applicability.UNSAFE
        return Fix(message, applicability, tuple(sorted(edits, key=_edit_key)))

    def _edit(self, old: cst.CSTNode, new: cst.CSTNode) -> tuple[Edit, str] | None:
        """The smallest whole-word edit that puts `new` where `old` stands, and old's code."""
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
        edit = Edit(
            self.index.location(start + prefix),
            self.index.location(end - suffix),
            new_code[prefix : len(new_code) - suffix],
        )
        return edit, old_code


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
