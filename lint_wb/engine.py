"""The pure core: source text in, findings and fixed text out.

parse -> analyse -> rules -> positions -> suppressions (`noqa.py`). Knows nothing of files,
click or printing; `api.py` feeds it text and `cli.py` prints what it returns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from types import CodeType
from typing import TYPE_CHECKING

from lint_wb._cst import cst
from lint_wb.analysis.context import ModuleContext
from lint_wb.analysis.fact_sources import FirstLook, may_hold_facts
from lint_wb.analysis.walk import all_child_nodes
from lint_wb.config.settings import LintOptions
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location
from lint_wb.lines import LineIndex
from lint_wb.module_parse import ParsedModule, parse_partial, parse_text, read_partial
from lint_wb.noqa import may_suppress
from lint_wb.partial import Partial
from lint_wb.records import dataclass
from lint_wb.spec.compiled import CompiledSpec, client_roots_of, full_spec, wandb_key_of
from lint_wb.syntax_error import syntax_error

if TYPE_CHECKING:
    from lint_wb.analysis.facts import ModuleFacts
    from lint_wb.analysis.scopes import Bindings
    from lint_wb.positions import NodePositions, Ranges
    from lint_wb.rules.base import FixProposal, Replacement, Report, Rule
    from lint_wb.spec import Spec

# libcst, the analysis, the rules and `positions` are imported where a parsed module needs
# them: most modules the engine is given have nothing to check (`_nothing_to_check`) and are
# never parsed, and a run that parses none of its files never imports libcst (half a second),
# the analysis, or the spec's classes (it is given the spec compiled: `spec/compiled.py`).

BLANKS = " \t\f\r\n"
"""The characters of a module with no statement and no comment: Python compiles it, libcst
parses it, and nothing can be reported on it."""
BLANK_LINE = re.compile(r"(?:^|[\r\n])(?:[ \t]+|[ \t]*\\)(?:[\r\n]|$)")
"""A line of spaces, or of spaces and a `\\`: what a statement left out of a partial parse
turns into (`partial._blanked`; matched in whole lines: `^` and `$` stand for the ends of
the lines an edit leaves)."""
LINE_REST = re.compile(r"[^\r\n]*")
CODE_LINE = re.compile(r"(?:\A|[\r\n])[ \t\f]*[^ \t\f#\r\n]")
"""A line that starts with something other than a comment: with none, a module holds only
comments and blank lines (a line ends where Python's tokenizer ends it: at `\r` too)."""


@dataclass(frozen=True)
class LintResult:
    """What the engine found in one module: the findings reported, those a `noqa` silenced, and
    whether libcst parsed it."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    parsed: bool = True


def parse_and_analyze(
    text: str, options: LintOptions, spec: Spec, where: ModuleContext | None = None
) -> ModuleFacts | None:
    """The analysis facts of a source text, or None when it does not parse."""
    from lint_wb.analysis.analyzer import analyze

    parsed = parse_text(text, whole=_reads_whole(where))
    if isinstance(parsed, Exception):
        return None
    return analyze(parsed.module, spec.api, options, where)


def _reads_whole(where: ModuleContext | None) -> bool:
    """Whether the project index read this module whole (its node ordinals are a whole
    parse's), so the lint must too."""
    return where is not None and where.index is not None and where.index.whole_module


def lint_source(
    text: str,
    filename: str,
    options: LintOptions,
    spec: Spec | CompiledSpec,
    *,
    cell: int | None = None,
    where: ModuleContext | None = None,
    parsed: ParsedModule | None = None,
    read: Partial | None = None,
) -> LintResult:
    """Every finding for one Python source text. `parsed`: the parse of exactly `text`, when
    the caller has one (a run parses the modules of its project index once, for both);
    else `read`: what `read_partial` kept of exactly `text`, when the caller has that (the
    index's first look at a module, `FirstLook`). A compiled `spec` is loaded only if the
    module is analysed."""
    if not text.strip(BLANKS):
        return LintResult(())  # an empty module (most `__init__.py`): nothing to parse
    if _only_comments(text) and not (where is not None and where.index):
        return _suppressions_only(text, filename, options, cell)
    whole = _reads_whole(where)
    if parsed is None or parsed.text != text or (whole and not parsed.whole):
        if read is None or (whole and not read.whole):
            found = read_partial(text, whole=whole)
            if isinstance(found, SyntaxError):
                return LintResult(syntax_error(text, filename, found, options, cell), parsed=False)
            read = found
        if _nothing_to_check(read, where, spec, options):
            return _suppressions_only(text, filename, options, cell)
        made = parse_partial(text, read)
        if isinstance(made, Exception):
            return LintResult(syntax_error(text, filename, made, options, cell), parsed=False)
        parsed = made
    elif not parsed.looked and _nothing_to_check(parsed.partial, where, spec, options):
        return _suppressions_only(text, filename, options, cell)
    loaded = full_spec(spec)
    try:
        return _lint_parsed(parsed, filename, options, loaded, cell, where)
    except _PartialTooNarrow:
        made = parse_text(text, whole=True)
        assert not isinstance(made, Exception)  # the same text parsed, only less of it
        return _lint_parsed(made, filename, options, loaded, cell, where)


def _only_comments(text: str) -> bool:
    """Whether `text` is comments and blank lines that Python compiles to an empty module: the
    engine then needs neither the compile nor the partial read to know it holds no fact (a
    stub `__init__.py` that says what its package is costs a lint what its parse costs). A
    null byte or a lone surrogate, which Python rejects even in a comment, is left to the
    compile that reports it."""
    if CODE_LINE.search(text) is not None or "\0" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _nothing_to_check(
    partial: Partial, where: ModuleContext | None, spec: Spec | CompiledSpec, options: LintOptions
) -> bool:
    """Whether what is kept of the module holds nothing the analysis reads, or, outside
    assume-wandb and told nothing by the index, nothing a rule reports on
    (`analysis/fact_sources.py`): no rule can report on it, so libcst need not parse it."""
    if partial.tree is None:
        return False
    roots = client_roots_of(spec)
    if not may_hold_facts(partial.tree, where, roots):
        return True
    if options.assume_wandb or (where is not None and where.index):
        return False
    package = where.package if where is not None else None
    return FirstLook(roots, wandb_key_of(spec)).finds_nothing(partial.tree, package, partial.text)


def _suppressions_only(
    text: str, filename: str, options: LintOptions, cell: int | None
) -> LintResult:
    """The result of a module no rule reports on: only its `noqa` comments that silence
    nothing (WB902)."""
    if not may_suppress(text):
        return LintResult(())
    from lint_wb.noqa.comments import parse_suppressions

    suppressions = parse_suppressions(text)
    if not suppressions.line_comments:
        return LintResult(())
    from lint_wb.noqa.apply import apply_suppressions

    place = _TextPlace(LineIndex(text), filename, cell)
    kept, suppressed = apply_suppressions((), suppressions, place, options)
    return LintResult(kept, suppressed)


@dataclass(frozen=True)
class _TextPlace:
    """Where the findings of a module that was not parsed stand (`noqa.apply.SourcePlace`)."""

    index: LineIndex
    filename: str
    cell: int | None


def _lint_parsed(
    parsed: ParsedModule,
    filename: str,
    options: LintOptions,
    spec: Spec,
    cell: int | None,
    where: ModuleContext | None,
) -> LintResult:
    from lint_wb.analysis.analyzer import analyze
    from lint_wb.analysis.binding import bindings_of

    bindings = bindings_of(parsed, None if where is None else where.package)
    facts = analyze(parsed.module, spec.api, options, where, bindings)
    reports = run_rules(facts, spec, options)
    if facts.resolver.wants_whole and not parsed.whole:
        raise _PartialTooNarrow  # a question was about what a statement left out does
    from lint_wb.noqa.comments import parse_suppressions

    suppressions = parse_suppressions(parsed.text)
    if not reports and not suppressions.line_comments:
        return LintResult(())
    from lint_wb.noqa.apply import apply_suppressions

    builder = _FindingBuilder(parsed, filename, cell, reports, bindings)
    findings = [builder.finding(report) for report in reports]
    kept, suppressed = apply_suppressions(findings, suppressions, builder, options)
    return LintResult(kept, suppressed)


class _PartialTooNarrow(Exception):
    """A fix's edit on a partial parse spans text that was blanked (a fix that rewrites the
    whole module, as a port does), or a rule needs what a blanked statement does
    (`Resolver.wants_whole`): the file is linted again from a whole parse."""


def run_rules(facts: ModuleFacts, spec: Spec, options: LintOptions) -> list[Report]:
    if not _has_anything_to_check(facts):
        return []  # most files a run parses: no rule object is built for them
    from lint_wb.rules import rules_for
    from lint_wb.rules.base import RuleContext

    context = RuleContext(spec, options, facts)
    wandb_clients = [client for client in facts.clients if client.is_wandb]
    wandb_requests = [request for request in facts.requests if request.client.is_wandb]
    reports: list[Report] = []
    for rule in rules_for(options.enabled, context):
        checks_clients, checks_requests, checks_module = _checks_of(type(rule))
        if checks_clients:
            for client in wandb_clients if rule.wandb_only else facts.clients:
                reports.extend(rule.check_client(client))
        if checks_requests:
            for request in wandb_requests if rule.wandb_only else facts.requests:
                reports.extend(rule.check_request(request))
        if checks_module:
            reports.extend(rule.check_module(facts))
    return reports


_CHECKS: dict[type, tuple[bool, bool, bool]] = {}


def _checks_of(kind: type[Rule]) -> tuple[bool, bool, bool]:
    """Whether a rule class has its own `check_client`, `check_request` and `check_module`:
    the base class's report nothing, so they are not called (tens of thousands of empty
    calls on a tree of W&B code)."""
    found = _CHECKS.get(kind)
    if found is None:
        from lint_wb.rules.base import Rule

        found = _CHECKS[kind] = (
            kind.check_client is not Rule.check_client,
            kind.check_request is not Rule.check_request,
            kind.check_module is not Rule.check_module,
        )
    return found


def _has_anything_to_check(facts: ModuleFacts) -> bool:
    """Whether some rule may report on the module: every rule checks clients, requests, or
    one of the other uses the analysis found (an endpoint, a legacy API, a value or a
    message list that a request elsewhere sends, an endpoint trap)."""
    return bool(
        facts.clients
        or facts.requests
        or facts.endpoint_uses
        or facts.legacy_uses
        or facts.value_uses
        or facts.message_uses
        or facts.endpoint_traps
        or facts.key_uses
        or facts.keyword_uses
    )


class _FindingBuilder:
    """Turns reports into findings; node positions are computed once, on the first report."""

    def __init__(
        self,
        parsed: ParsedModule,
        filename: str,
        cell: int | None,
        reports: Sequence[Report] = (),
        bindings: Bindings | None = None,
    ) -> None:
        self.module = parsed.module
        self.bindings = bindings
        """The binding pass of the parse (its nodes in ordinal order), when the lint has it."""
        self.index = LineIndex(parsed.text)
        """The original text: what findings show and `noqa` comments are read from."""
        self.parsed_index = (
            self.index if parsed.parsed_text is parsed.text else LineIndex(parsed.parsed_text)
        )
        """The text libcst parsed: where nodes are looked for. It has the original's lines,
        and each kept statement its rows and columns, but not its offsets (`partial.py`):
        what is found in it is given back by row and column."""
        self.tree = parsed.partial.tree
        self.filename = filename
        self.cell = cell
        self.reports = reports
        self._positions: NodePositions | None = None
        self._fixes: dict[int, Fix | None] = {}

    @property
    def positions(self) -> NodePositions:
        if self._positions is None:
            from lint_wb.positions import node_positions

            replaced = {
                replacement.old
                for report in self.reports
                if report.fix is not None
                for replacement in report.fix.replacements
            }
            reported = {report.node for report in self.reports} | replaced
            bindings = self.bindings
            self._positions = node_positions(
                self.module,
                self.parsed_index,
                reported,
                replaced,
                self.tree,
                None if bindings is None else bindings.nodes,
                None if bindings is None else bindings.ordinals(),
            )
        return self._positions

    def finding(self, report: Report) -> Finding:
        from lint_wb.rules import RULES_BY_CODE

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
        return self.index.lines(first, last)

    def fix(self, proposal: FixProposal) -> Fix | None:
        """The fix of a proposal, computed once: several findings may carry one proposal
        (every keyword that one move into `extra_body` takes along)."""
        key = id(proposal)
        if key not in self._fixes:
            self._fixes[key] = self._fix(proposal)
        return self._fixes[key]

    def _fix(self, proposal: FixProposal) -> Fix | None:
        edits: list[Edit] = []
        commented: list[Replacement] = []
        for replacement in proposal.replacements:
            if replacement.before:
                edits.append(self._insertion(replacement.old, replacement.new))
                continue  # an insertion drops no comment
            edited = self._edit(replacement.old, replacement.new)
            if edited is None:
                return None
            edit, old_code = edited
            edits.append(edit)
            if "#" in old_code:  # no `#` in its code: the old node holds no comment to drop
                commented.append(replacement)
        message, applicability = proposal.message, proposal.applicability
        spans = self.positions.inclusive
        if any(_drops_comments(r.old, r.new, spans) for r in commented):
            # As in ruff: a fix that deletes a comment is never applied without asking.
            message, applicability = f"{message} (deletes a comment)", Applicability.UNSAFE
        return Fix(message, applicability, tuple(sorted(edits, key=_edit_key)))

    def _generated_as_written(self, node: cst.CSTNode) -> bool:
        """Whether `node`'s code alone is the text at its range without generating it again:
        its range comes from generating the statement that holds it, checked against the
        text (not from the whole module, which is not checked: the module is then among the
        nodes placed), and it is generated alone as it is inside its parent."""
        return self.module not in self.positions.inclusive and not _takes_context(type(node))

    def _edit(self, old: cst.CSTNode, new: cst.CSTNode) -> tuple[Edit, str] | None:
        """The smallest whole-word edit that puts `new` where `old` stands, and old's code."""
        from lint_wb.positions import code_for_node

        span = self.positions.inclusive[old]
        start = self.parsed_index.offset(span.start.line, span.start.column)
        end = self.parsed_index.offset(span.end.line, span.end.column)
        old_code = self.parsed_index.text[start:end]
        # A multi-line node carries the indentation of the blocks it stands in.
        indents = self.positions.indents.get(old, ())
        if not self._generated_as_written(old) and old_code != code_for_node(
            self.module, old, indents
        ):
            if self.parsed_index is not self.index:
                raise _PartialTooNarrow  # the blanks may be what disagrees: parse it whole
            return None  # positions and code disagree: never write a guess
        new_code = code_for_node(self.module, new, indents)
        if new_code == old_code:
            return None  # a fix that changes nothing would be proposed again every round
        return self._smallest(start, old_code, new_code), old_code

    def _insertion(self, following: cst.CSTNode, new: cst.CSTNode) -> Edit:
        """The edit that puts statement `new` right before statement `following` of the
        module's body, below `following`'s leading lines: the same edit as replacing the
        module with one rebuilt so, found by comparing the text from `following` on (all
        before it is the same in both) with `new`'s code put before that text."""
        from lint_wb.positions import code_for_node

        span = self.positions.syntactic[following]
        start = self.parsed_index.offset(span.start.line, span.start.column)
        old_code = self.parsed_index.text[start:]
        return self._smallest(start, old_code, code_for_node(self.module, new, ()) + old_code)

    def _smallest(self, start: int, old_code: str, new_code: str) -> Edit:
        """The edit of whole words that turns `old_code`, at offset `start` of the parsed
        text, into `new_code`, placed by its rows and columns there (the original's, as
        `_check_partial` makes sure)."""
        end = start + len(old_code)
        prefix = _word_start(old_code, _common_prefix(old_code, new_code))
        suffix = _common_suffix(old_code[prefix:], new_code[prefix:])
        suffix = len(old_code) - _word_end(old_code, len(old_code) - suffix)
        suffix = min(suffix, len(new_code) - prefix)
        inserted = new_code[prefix : len(new_code) - suffix]
        if self.parsed_index is not self.index:
            self._check_partial(start + prefix, end - suffix, inserted)
        location = self.parsed_index.location
        return Edit(location(start + prefix), location(end - suffix), inserted)

    def _check_partial(self, start: int, end: int, inserted: str) -> None:
        """An edit made on a partial parse must replace only text that was parsed, and must
        not carry the blanks of a statement left out (a blank line moved or copied by a fix,
        as `with_import` moves a statement's leading lines). Its rows and columns are the
        original's only on rows the parsed text holds as the original does (a blanked line
        is shorter than the line it stands for): the whole rows it starts and ends in."""
        parsed = self.parsed_index
        begins, ends = parsed.location(start), parsed.location(end)
        first = parsed.starts[begins.row - 1]
        last = max(
            self._next_row(begins.row), end if ends.column == 1 else self._next_row(ends.row)
        )
        if self._original(first, last) != parsed.text[first:last]:
            raise _PartialTooNarrow
        if BLANK_LINE.search(self._edited_lines(start, end, inserted)):
            raise _PartialTooNarrow

    def _next_row(self, row: int) -> int:
        """Where the parsed text's row after `row` starts (the text's end after its last)."""
        parsed = self.parsed_index
        return parsed.starts[row] if row < len(parsed.starts) else len(parsed.text)

    def _original(self, start: int, end: int) -> str:
        """The original text at the rows and columns of the parsed text from `start` to `end`."""
        first, last = self.parsed_index.location(start), self.parsed_index.location(end)
        offset = self.index.offset
        return self.index.text[
            offset(first.row, first.column - 1) : offset(last.row, last.column - 1)
        ]

    def _edited_lines(self, start: int, end: int, inserted: str) -> str:
        """The whole lines the edit leaves in the parsed text: what it inserts, with the rest
        of the lines it starts and ends in. `inserted` alone may begin or end with a line's
        indentation (`base_url=...,\n            ` added before a call's first argument),
        which is no blank line once the line's own text follows it."""
        text = self.parsed_index.text
        first = self.parsed_index.starts[self.parsed_index.location(start).row - 1]
        rest = LINE_REST.match(text, end)
        last = rest.end() if rest else end
        return text[first:start] + inserted + text[end:last]


_TAKES_CONTEXT: dict[type, bool] = {}


def _takes_context(kind: type[cst.CSTNode]) -> bool:
    """Whether a node of this kind is generated differently alone than inside its parent
    (an `Arg` whose comma the enclosing call decides: its `_codegen_impl` takes more than
    the state)."""
    takes = _TAKES_CONTEXT.get(kind)
    if takes is None:
        takes = _TAKES_CONTEXT[kind] = parameter_count(kind._codegen_impl) > 2
    return takes


VARIABLE_ARGUMENTS = 0x04 | 0x08
"""A code object's flags for `*args` and `**kwargs` (`inspect.CO_VARARGS`, `CO_VARKEYWORDS`)."""


def parameter_count(function: Callable[..., object]) -> int:
    """How many parameters `function` takes, as `inspect.signature` counts them; read off a
    plain function's code, so that a run writing a fix does not load `inspect` (with `dis`
    and `tokenize`) for it."""
    code: CodeType | None = getattr(function, "__code__", None)
    if code is None or hasattr(function, "__wrapped__"):
        import inspect

        return len(inspect.signature(function).parameters)
    variable = code.co_flags & VARIABLE_ARGUMENTS
    return code.co_argcount + code.co_kwonlyargcount + bin(variable).count("1")


def _comments(node: cst.CSTNode, skipped: Callable[[cst.CSTNode], bool]) -> Counter[str]:
    """The comments under `node`, leaving out the subtrees `skipped` says to."""
    found: Counter[str] = Counter()
    stack = [node]
    while stack:
        current = stack.pop()
        if skipped(current):
            continue
        if isinstance(current, cst.Comment):
            found[current.value] += 1
        stack.extend(all_child_nodes(current))
    return found


def _drops_comments(old: cst.CSTNode, new: cst.CSTNode, spans: Ranges) -> bool:
    """Whether `new` holds fewer of some comment than `old`.

    What `new` takes over from `old` unchanged holds the same comments on both sides, so only
    the rest is walked: the nodes rebuilt, added or removed. A node of `old`'s subtree is
    `old` or a node whose range (in `spans`, which has every node of `old`) lies inside
    `old`'s and is not all of it (an ancestor's would hold all of it).
    """
    whole = spans.bounds(old)
    assert whole is not None
    first, last = whole
    kept: set[int] = set()

    def taken_over(node: cst.CSTNode) -> bool:
        bounds = spans.bounds(node)
        inside = node is old
        if bounds is not None and not inside:
            start, end = bounds
            inside = first <= start and end <= last and bounds != whole
        if inside:
            kept.add(id(node))
        return inside

    added = _comments(new, taken_over)
    removed = _comments(old, lambda node: id(node) in kept)
    return bool(removed - added)


def _edit_key(edit: Edit) -> tuple[Location, Location]:
    return (edit.start, edit.end)


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix, found by comparing slices (the texts may be
    the rest of a module: a loop over characters would cost a Python step each)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


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
    """The length of the longest common suffix (as `_common_prefix`)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
