"""Where nodes stand in the source, computed by code generation of only the statements that
hold them.

A finding needs its node's syntactic range (what libcst's `PositionProvider` gives); a fix
needs the range of the node with its own whitespace (`WhitespaceInclusivePositionProvider`)
and the indentation of the blocks it stands in, to write a multi-line replacement the way
the file has it. libcst computes each of those in a pass of its own over the whole module;
this state records all three at once, following libcst's own position providers
(`libcst/metadata/position_provider.py`).

Generating the code of a whole module costs two to four times its parse, so only the
top-level statements that hold a wanted node are generated. Where such a statement starts
comes from Python's own parser (`ast`, a small fraction of libcst's cost); inside the body of
a class or a function only the statements holding a wanted node are generated. The code
generated for each must equal the source text found there; when it does not (or `ast` cannot
read the text), the positions come from the whole module, as before.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition, CodeRange  # (`libcst.metadata`'s: not imported)

from lint_wb.analysis.walk import child_nodes
from lint_wb.ast_pairs import Parsed, paired_children, same_kind, start_of
from lint_wb.lines import LineIndex

NEWLINE = re.compile(r"\r\n?|\n")
BLOCK_STATEMENTS = frozenset({cst.FunctionDef, cst.ClassDef, cst.If, cst.For, cst.While, cst.With})
"""The compound statements whose body is searched statement by statement."""


Span = tuple[int, int, int, int]
"""Start line, start column, end line, end column (lines from 1, columns from 0)."""


class Ranges:
    """Node -> its range. Kept by the node's identity, as plain numbers: libcst's nodes hash
    in Python (`CSTNode.__hash__`), and a `CodeRange` for every node generated would cost
    about as much as generating its code; one is made only for a node asked for. The nodes
    are the parse's, alive while the positions are used."""

    __slots__ = ("spans",)

    def __init__(self) -> None:
        self.spans: dict[int, Span] = {}

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        return _code_range(self.spans[id(node)])

    def get(self, node: cst.CSTNode) -> CodeRange | None:
        span = self.spans.get(id(node))
        return None if span is None else _code_range(span)

    def __contains__(self, node: object) -> bool:
        return id(node) in self.spans

    def bounds(self, node: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The node's start and end as (line, column) pairs; None when it has no range."""
        span = self.spans.get(id(node))
        return None if span is None else ((span[0], span[1]), (span[2], span[3]))


def _code_range(span: Span) -> CodeRange:
    return CodeRange(CodePosition(span[0], span[1]), CodePosition(span[2], span[3]))


@dataclass
class NodePositions:
    """Where nodes stand in the text: their ranges without and with whitespace."""

    syntactic: Ranges = field(default_factory=Ranges)
    inclusive: Ranges = field(default_factory=Ranges)
    indents: dict[cst.CSTNode, tuple[str, ...]] = field(default_factory=dict)
    """For the nodes asked for: the indentation of the blocks they stand in."""

    def update(self, other: NodePositions) -> None:
        self.syntactic.spans.update(other.syntactic.spans)
        self.inclusive.spans.update(other.inclusive.spans)
        self.indents.update(other.indents)


@dataclass
class _RecordingState(CodegenState):
    """libcst's code generation, noting where each node's code starts and ends.

    Called for every token and twice for every node generated, so it keeps to plain
    numbers and node identities (see `Ranges`)."""

    positions: NodePositions = field(default_factory=NodePositions)
    wanted_ids: frozenset[int] = frozenset()
    """The `id`s of the nodes whose block indentation is noted: made once by the caller, not
    once a state (a module with thousands of fixes makes thousands of states)."""
    line: int = 1
    column: int = 0
    starts: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._syntactic = self.positions.syntactic.spans
        self._inclusive = self.positions.inclusive.spans

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            segments = NEWLINE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append((self.line, self.column))
        if id(node) in self.wanted_ids:
            self.positions.indents[node] = tuple(self.indent_tokens)

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self.starts.pop()
        span = (line, column, self.line, self.column)
        key = id(node)
        self._inclusive[key] = span
        if key not in self._syntactic:
            self._syntactic[key] = span

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _SyntacticRecord:
        return _SyntacticRecord(self, node, start_node, end_node)


class _SyntacticRecord:
    """`CodegenState.record_syntactic_position`'s context: the node's range without its
    own whitespace (a plain object: a generator-based context manager costs several times
    more, and libcst enters one for most expressions)."""

    __slots__ = ("column", "end_node", "line", "node", "start_node", "state")

    def __init__(
        self,
        state: _RecordingState,
        node: cst.CSTNode,
        start_node: cst.CSTNode | None,
        end_node: cst.CSTNode | None,
    ) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node
        self.line = state.line
        self.column = state.column

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exception: object) -> None:
        state = self.state
        known = state._syntactic
        start_line, start_column = self.line, self.column
        end_line, end_column = state.line, state.column
        if self.start_node is not None:
            start_line, start_column = known[id(self.start_node)][:2]
        if self.end_node is not None:
            end_line, end_column = known[id(self.end_node)][2:]
        known[id(self.node)] = (start_line, start_column, end_line, end_column)


def node_positions(
    module: cst.Module,
    index: LineIndex,
    located: Collection[cst.CSTNode],
    indented: Collection[cst.CSTNode] = (),
    tree: ast.Module | None = None,
    numbered: Sequence[cst.CSTNode] | None = None,
    ordinals: dict[int, int] | None = None,
) -> NodePositions:
    """The ranges of the `located` nodes (and of all nodes in the statements that hold them),
    and the block indentation of the `indented` ones (fix targets; also in `located`).
    `tree`: what `ast` reads of `index.text`, when the caller has it; `numbered`: the
    module's nodes in ordinal order (`Bindings.nodes`), when the caller has them, and
    `ordinals` their ordinals by `id` (`Bindings.ordinals()`), when made already."""
    numbering = None if numbered is None else _Numbering.of(numbered, located, ordinals)
    placed = _place(module, index.text, located, tree, numbering)
    if placed is not None:
        positions = _statement_positions(module, index, placed, frozenset(map(id, indented)))
        if positions is not None:
            return positions
    return whole_module_positions(module, indented)


def whole_module_positions(
    module: cst.Module, indented: Collection[cst.CSTNode] = ()
) -> NodePositions:
    """Every node's positions, from one code generation of the whole module."""
    state = _RecordingState(
        module.default_indent, module.default_newline, wanted_ids=frozenset(map(id, indented))
    )
    module._codegen(state)
    return state.positions


@dataclass(frozen=True)
class _Placed:
    """A statement to generate: the line its code begins on and the indentation it is under."""

    statement: cst.CSTNode
    line: int
    indents: tuple[str, ...]
    parsed: tuple[ast.stmt, ...] = ()
    """The statements `ast` reads there (several for `a = 1; b = 2`)."""
    anchors: tuple[tuple[cst.CSTNode, ast.AST], ...] | None = None
    """For a simple statement line: the expressions to generate instead of the whole line
    (see `_take_line`); None: the statement is generated whole."""


@dataclass(frozen=True)
class _Numbering:
    """Which statements can hold a wanted node, told from the nodes' ordinals without a walk:
    a statement's nodes are numbered from its own ordinal up to the next statement's, as
    `child_nodes` walks in pre-order."""

    ordinals: dict[int, int]
    wanted: list[int]
    """The wanted nodes' ordinals, in order."""
    count: int

    @classmethod
    def of(
        cls,
        numbered: Sequence[cst.CSTNode],
        wanted: Collection[cst.CSTNode],
        ordinals: dict[int, int] | None = None,
    ) -> _Numbering | None:
        """None when a wanted node is not numbered (the walk then finds it, or says it
        cannot). `ordinals`: those of `numbered`, when made already."""
        if ordinals is None:
            ordinals = {id(node): ordinal for ordinal, node in enumerate(numbered)}
        found: list[int] = []
        for node in wanted:
            ordinal = ordinals.get(id(node))
            if ordinal is None:
                return None
            found.append(ordinal)
        return cls(ordinals, sorted(found), len(numbered))

    def span(
        self, statements: Sequence[cst.CSTNode], position: int, end: int
    ) -> tuple[int, int] | None:
        """The ordinals the statement at `position` may number: from its own up to the next
        statement's, or to `end` (the enclosing statement's end) for the last one."""
        start = self.ordinals.get(id(statements[position]))
        if position + 1 < len(statements):
            end = self.ordinals.get(id(statements[position + 1]), -1)
        return None if start is None or end < start else (start, end)

    def holds(self, span: tuple[int, int]) -> bool:
        start, end = span
        index = bisect_left(self.wanted, start)
        return index < len(self.wanted) and self.wanted[index] < end


def _place(
    module: cst.Module,
    text: str,
    nodes: Collection[cst.CSTNode],
    tree: ast.Module | None,
    numbering: _Numbering | None = None,
) -> list[_Placed] | None:
    """The innermost statements (top-level ones, or ones in the body of a class or function)
    that hold `nodes`, with where they begin; None when some node is in none of them, or
    Python's parser cannot read the text."""
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    missing = set(map(id, nodes))
    placed: list[_Placed] = []
    end = numbering.count if numbering is not None else -1
    block = _Block(module.body, tree.body, (), module.default_indent, numbering, end)
    _place_in_block(block, missing, placed)
    return None if missing else placed


@dataclass(frozen=True)
class _Block:
    """A list of statements as libcst and `ast` see it, and the indentation it stands under."""

    statements: Sequence[cst.BaseStatement]
    parsed: Sequence[ast.stmt]
    indents: tuple[str, ...]
    default_indent: str
    numbering: _Numbering | None = None
    end: int = -1
    """With `numbering`: the ordinal the block's last statement numbers up to."""


def _place_in_block(block: _Block, missing: set[int], placed: list[_Placed]) -> None:
    parsed = iter(block.parsed)
    numbering = block.numbering
    for position, statement in enumerate(block.statements):
        if not missing:
            return
        first = next(parsed, None)
        if first is None:
            return  # the trees disagree: the caller falls back
        read = [first]
        if type(statement) is cst.SimpleStatementLine:
            for _ in statement.body[1:]:  # `a = 1; b = 2` is one libcst line, two statements
                read.extend(item for item in [next(parsed, None)] if item is not None)
        span = None if numbering is None else numbering.span(block.statements, position, block.end)
        if numbering is not None and span is not None and not numbering.holds(span):
            continue  # no wanted node in it: not walked
        if type(statement) is cst.SimpleStatementLine:
            held, anchors = _take_line(statement, tuple(read), missing)
            if held:
                line = _start_line(statement, first)
                placed.append(_Placed(statement, line, block.indents, tuple(read), anchors))
        else:
            end = -1 if span is None else span[1]
            held, anchors = _held_outside_body(statement, first, missing, placed, block, end)
            if held:
                line = _start_line(statement, first)
                placed.append(_Placed(statement, line, block.indents, tuple(read), anchors))


def _held_outside_body(
    statement: cst.BaseStatement,
    first: ast.stmt,
    missing: set[int],
    placed: list[_Placed],
    block: _Block,
    end: int,
) -> tuple[bool, tuple[tuple[cst.CSTNode, ast.AST], ...] | None]:
    """Take the nodes `statement` holds out of `missing` (those in the body of a compound
    statement, which is searched statement by statement, are placed on their own); whether
    the statement holds one outside its body, and the expressions of its header to generate
    instead of the whole statement (None: the statement is generated whole)."""
    inner = _inner_block(statement, first, block, end)
    if inner is None:
        return _take(statement, missing), None
    inner_block, body = inner
    itself = id(statement) in missing or id(body) in missing
    missing.difference_update((id(statement), id(body)))
    paired = {id(child): form for child, form in paired_children(statement, first)}
    header = [
        (child, paired.get(id(child))) for child in child_nodes(statement) if child is not body
    ]
    held, anchors = _take_anchored(header, missing)
    _place_in_block(inner_block, missing, placed)
    return itself or held, None if itself else anchors


def _inner_block(
    statement: cst.BaseStatement, first: ast.stmt, outer: _Block, end: int
) -> tuple[_Block, cst.IndentedBlock] | None:
    """The body of a compound statement as a block to search, and its node."""
    if type(statement) not in BLOCK_STATEMENTS:
        return None  # `type(...) in`, not `isinstance`: libcst's classes are slow ABCs
    body = getattr(statement, "body", None)
    parsed = getattr(first, "body", None)
    if not isinstance(body, cst.IndentedBlock) or not isinstance(parsed, list):
        return None
    indent = outer.default_indent if body.indent is None else body.indent
    numbering = outer.numbering if end >= 0 else None
    inner = _Block(
        body.body, parsed, (*outer.indents, indent), outer.default_indent, numbering, end
    )
    return inner, body


def _take(node: cst.CSTNode, missing: set[int]) -> bool:
    """Remove from `missing` the nodes under `node` (itself included); whether there were any.

    Walks the nodes that hold names and values (`child_nodes`): a node reported or replaced
    is one of those; one that is not leaves `missing` non-empty, and the caller falls back.
    """
    before = len(missing)
    stack = [node]
    while stack and missing:
        current = stack.pop()
        missing.discard(id(current))
        stack.extend(child_nodes(current))
    return len(missing) < before


def _start_line(statement: cst.BaseStatement, first: ast.stmt) -> int:
    """The line on which `statement`'s code begins, its leading blank and comment lines
    included: Python's parser gives the line of its first decorator or keyword."""
    line = first.lineno
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.decorators:
        decorators = getattr(first, "decorator_list", ())
        line = decorators[0].lineno if decorators else line
    leading: Sequence[cst.EmptyLine] = getattr(statement, "leading_lines", ())
    return line - len(leading)


def _statement_positions(
    module: cst.Module,
    index: LineIndex,
    placed: Sequence[_Placed],
    indented: frozenset[int],
) -> NodePositions | None:
    """Positions from generating only the `placed` statements (or, inside a simple statement,
    only the expressions that hold the nodes asked for), each checked against the text."""
    positions = NodePositions()
    for item in placed:
        anchors = item.anchors
        if anchors is not None and _generate_anchors(
            module, index, item, anchors, positions, indented
        ):
            continue
        if not _generate(module, index, item.statement, item, (item.line, 0), positions, indented):
            return None
    return positions


def _take_line(
    line: cst.SimpleStatementLine, parsed: tuple[ast.stmt, ...], missing: set[int]
) -> tuple[bool, tuple[tuple[cst.CSTNode, ast.AST], ...] | None]:
    """Like `_take` for a simple statement line, in the same walk finding the expressions to
    generate for the wanted nodes it holds (`_take_anchored`)."""
    if id(line) in missing or len(parsed) != len(line.body):
        return _take(line, missing), None
    return _take_anchored(
        [
            (small, counterpart if same_kind(small, counterpart) else None)
            for small, counterpart in zip(line.body, parsed)
        ],
        missing,
    )


def _take_anchored(
    roots: Sequence[tuple[cst.CSTNode, Parsed | None]], missing: set[int]
) -> tuple[bool, tuple[tuple[cst.CSTNode, ast.AST], ...] | None]:
    """Like `_take` for the `roots` (each with its `ast` form, when paired), finding for each
    wanted node the innermost node holding it that `ast` says where it begins: the expression
    to generate for it. The anchors are None when a wanted node has none below the roots (the
    statement is generated whole).

    The walk only finds the wanted nodes and the path down to each; pairing with `ast`, which
    costs more than the walk, follows those paths alone."""
    before = len(missing)
    anchors: dict[int, tuple[cst.CSTNode, ast.AST]] = {}
    complete = True
    pairings: dict[int, dict[int, Parsed]] = {}
    for root, counterpart in roots:
        if not missing:
            break
        for path in _paths_to_wanted(root, missing):
            anchor = _anchor_on(path, counterpart, pairings)
            if anchor is None:
                complete = False
            else:
                anchors.setdefault(id(anchor[0]), anchor)
    return len(missing) < before, tuple(anchors.values()) if complete else None


def _paths_to_wanted(root: cst.CSTNode, missing: set[int]) -> Iterator[list[cst.CSTNode]]:
    """Take the nodes under `root` out of `missing` (as `_take`), giving the path from `root`
    down to each as it is met."""
    met: list[tuple[cst.CSTNode, int]] = []  # each node met, with the index of its parent
    stack: list[tuple[cst.CSTNode, int]] = [(root, -1)]
    while stack and missing:
        node, parent = stack.pop()
        met.append((node, parent))
        here = len(met) - 1
        if id(node) in missing:
            missing.discard(id(node))
            path = []
            index = here
            while index >= 0:
                path.append(met[index][0])
                index = met[index][1]
            path.reverse()
            yield path
        stack.extend((child, here) for child in child_nodes(node))


def _anchor_on(
    path: Sequence[cst.CSTNode],
    counterpart: Parsed | None,
    pairings: dict[int, dict[int, Parsed]],
) -> tuple[cst.CSTNode, ast.AST] | None:
    """The innermost node of `path` (from a root whose `ast` form is `counterpart` down to a
    wanted node) that `ast` says where it begins, and that `ast` node; None when there is
    none. `pairings`: each node's paired children, kept across the paths of one walk."""
    anchor = None
    for depth, node in enumerate(path):
        if depth:
            parent = path[depth - 1]
            paired = pairings.get(id(parent))
            if paired is None:
                assert counterpart is not None
                pairs = paired_children(parent, counterpart)
                paired = pairings[id(parent)] = {id(child): form for child, form in pairs}
            counterpart = paired.get(id(node))
        if counterpart is None:
            break  # no node below an unpaired one is paired
        begins = start_of(node, counterpart)
        if begins is not None and not _is_small_statement(type(node)):
            anchor = (node, begins)
    return anchor


_SMALL_STATEMENTS: dict[type, bool] = {}


def _is_small_statement(kind: type) -> bool:
    """`issubclass(kind, cst.BaseSmallStatement)`, remembered (libcst's classes are ABCs)."""
    found = _SMALL_STATEMENTS.get(kind)
    if found is None:
        found = _SMALL_STATEMENTS[kind] = issubclass(kind, cst.BaseSmallStatement)
    return found


def _generate_anchors(
    module: cst.Module,
    index: LineIndex,
    item: _Placed,
    anchors: Sequence[tuple[cst.CSTNode, ast.AST]],
    positions: NodePositions,
    indented: frozenset[int],
) -> bool:
    """Generate each anchor from where `ast` says it begins; False (and nothing recorded)
    when one disagrees with the text."""
    found = NodePositions()
    for node, parsed in anchors:
        if node in found.inclusive:
            continue  # generated with an anchor that holds it
        start = _ast_start(index, parsed)
        if start is None or not _generate(module, index, node, item, start, found, indented):
            return False
    positions.update(found)
    return True


def _ast_start(index: LineIndex, parsed: ast.AST) -> tuple[int, int] | None:
    """Line and column (in characters) where `ast` says a node begins."""
    line: int | None = getattr(parsed, "lineno", None)
    offset: int | None = getattr(parsed, "col_offset", None)
    if line is None or offset is None or not 1 <= line <= len(index.starts):
        return None
    text = index.line(line)
    if text.isascii():
        return line, offset
    return line, len(text.encode("utf-8")[:offset].decode("utf-8", errors="replace"))


def _generate(
    module: cst.Module,
    index: LineIndex,
    node: cst.CSTNode,
    item: _Placed,
    start: tuple[int, int],
    positions: NodePositions,
    indented: frozenset[int],
) -> bool:
    """Generate `node` from `start` into `positions`; whether its code is the text there."""
    line, column = start
    if not 1 <= line <= len(index.starts):
        return False
    state = _RecordingState(
        module.default_indent,
        module.default_newline,
        positions=positions,
        wanted_ids=indented,
        line=line,
        column=column,
    )
    state.indent_tokens.extend(item.indents)
    node._codegen(state)
    code = "".join(state.tokens)
    offset = index.offset(line, column)
    return index.text[offset : offset + len(code)] == code


def code_for_node(module: cst.Module, node: cst.CSTNode, indents: tuple[str, ...]) -> str:
    """The code of `node` as it would stand under blocks indented by `indents`."""
    state = CodegenState(module.default_indent, module.default_newline)
    state.indent_tokens.extend(indents)
    node._codegen(state)
    return "".join(state.tokens)
