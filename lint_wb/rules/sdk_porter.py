"""The transformer behind WB603's fix (`sdk_port.py`): rewrites a module's provider-SDK
constructors, requests, imports and references to the provider's classes in one pass.

It subclasses libcst's transformer, so it imports libcst itself and is imported only when a
fix is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

from lint_wb.rules.imports import import_line
from lint_wb.rules.sdk_port import PortPlan, added_import, alias_local

_ImportT = TypeVar("_ImportT", cst.Import, cst.ImportFrom)


class Porter(cst.CSTTransformer):
    def __init__(self, plan: PortPlan) -> None:
        super().__init__()
        self.plan = plan
        self.import_placed = False
        self.not_references: set[cst.Name] = set()
        """Names that are not reads of a variable: attribute names, keyword names."""

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_references.add(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_references.add(node.keyword)

    def visit_Import(self, node: cst.Import) -> bool:
        return False  # its names are handled whole in leave_Import

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def transform(self, module: cst.Module) -> cst.Module:
        new = module.visit(self)
        if self.plan.new_import is not None and not self.import_placed:
            new = added_import(new, self.plan.new_import)
        if self.plan.key_import is not None:
            new = added_import(new, import_line("import os"))
        return new

    def on_leave(
        self, original_node: cst.CSTNodeT, updated_node: cst.CSTNodeT
    ) -> cst.CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNodeT]:
        replacement = self.plan.calls.get(original_node)
        if replacement is not None:
            # Built from the original node: what the transformer changed inside it (nothing
            # this fix rewrites stands inside a replaced node) is not needed.
            return replacement  # type: ignore[return-value]
        return super().on_leave(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        spelling = self.plan.renamed.get(original_node.value)
        if spelling is None or original_node in self.not_references:
            return updated_node
        return cst.parse_expression(spelling)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        return self._without_dropped(updated_node, updated_node.names)

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.RemovalSentinel:
        return self._without_dropped(updated_node, updated_node.names)

    def _without_dropped(
        self, node: _ImportT, names: Sequence[cst.ImportAlias]
    ) -> _ImportT | cst.RemovalSentinel:
        """The import without the names the port drops; removed when none is left."""
        kept = [a for a in names if alias_local(a) not in self.plan.dropped_imports]
        if len(kept) == len(names):
            return node
        if kept:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return node.with_changes(names=kept)
        return cst.RemoveFromParent()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        if updated_node.body or not original_node.body:
            return updated_node
        # Its only import went: the OpenAI import takes its place, once.
        if self.plan.new_import is not None and not self.import_placed:
            self.import_placed = True
            return self.plan.new_import.with_changes(leading_lines=original_node.leading_lines)
        return cst.RemoveFromParent()
