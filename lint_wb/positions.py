"""Where nodes stand in the source, computed in one code-generation pass.

A finding needs its node's syntactic range (what libcst's `PositionProvider` gives); a fix
needs the range of the node with its own whitespace (`WhitespaceInclusivePositionProvider`)
and the indentation of the blocks it stands in, to write a multi-line replacement the way
the file has it. libcst computes each of those in a pass of its own over the whole module;
this state records all three at once, and is run only for files that have a finding.
It follows libcst's own position providers (`libcst/metadata/position_provider.py`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

NEWLINE = re.compile(r"\r\n?|\n")


@dataclass
class NodePositions:
    syntactic: dict[cst.CSTNode, CodeRange] = field(default_factory=dict)
    inclusive: dict[cst.CSTNode, CodeRange] = field(default_factory=dict)
    indents: dict[cst.CSTNode, tuple[str, ...]] = field(default_factory=dict)
    """For the nodes asked for: the indentation of the blocks they stand in."""


@dataclass
class _RecordingState(CodegenState):
    positions: NodePositions = field(default_factory=NodePositions)
    wanted: Collection[cst.CSTNode] = ()
    line: int = 1
    column: int = 0
    starts: list[CodePosition] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def _advance(self, value: str) -> None:
        segments = NEWLINE.split(value)
        if len(segments) == 1:
            self.column += len(value)
        else:
            self.line += len(segments) - 1
            self.column = len(segments[-1])

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append(CodePosition(self.line, self.column))
        if node in self.wanted:
            self.positions.indents[node] = tuple(self.indent_tokens)

    def after_codegen(self, node: cst.CSTNode) -> None:
        span = CodeRange(self.starts.pop(), CodePosition(self.line, self.column))
        self.positions.inclusive[node] = span
        self.positions.syntactic.setdefault(node, span)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = CodePosition(self.line, self.column)
        try:
            yield
        finally:
            end = CodePosition(self.line, self.column)
            known = self.positions.syntactic
            if start_node is not None:
                start = known[start_node].start
            if end_node is not None:
                end = known[end_node].end
            known[node] = CodeRange(start, end)


def node_positions(module: cst.Module, wanted: Collection[cst.CSTNode]) -> NodePositions:
    state = _RecordingState(module.default_indent, module.default_newline, wanted=wanted)
    module._codegen(state)
    return state.positions


def code_for_node(module: cst.Module, node: cst.CSTNode, indents: tuple[str, ...]) -> str:
    """The code of `node` as it would stand under blocks indented by `indents`."""
    state = CodegenState(module.default_indent, module.default_newline)
    state.indent_tokens.extend(indents)
    node._codegen(state)
    return "".join(state.tokens)
