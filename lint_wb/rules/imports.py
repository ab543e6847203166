"""Fixes that need an import: where it goes, and what the module already imports.

An import is inserted before the statement that will follow it (only the new line is
generated); a module with no statement there (empty, or only a docstring and `__future__`
imports) is replaced by a copy with one more statement. The engine turns either into the
smallest text edit, the inserted line alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from lint_wb._cst import cst
from lint_wb.analysis.scopes import Scope
from lint_wb.rules.base import Replacement

IMPORT_LINES: dict[str, cst.SimpleStatementLine] = {}
"""The import lines parsed so far: a parse of one line costs about a tenth of a small
module's, and libcst's nodes never change, so one node serves every fix that inserts it."""


def import_line(code: str) -> cst.SimpleStatementLine:
    statement = IMPORT_LINES.get(code)
    if statement is None:
        parsed = cst.parse_statement(f"{code}\n")
        assert isinstance(parsed, cst.SimpleStatementLine)
        if len(IMPORT_LINES) >= 256:
            IMPORT_LINES.clear()
        statement = IMPORT_LINES[code] = parsed
    return statement


def with_import(module: cst.Module, statement: cst.SimpleStatementLine) -> Replacement:
    """Add `statement` before the module's first import (after its docstring and any
    `from __future__` imports), taking over the blank lines and comments that stood there."""
    body = module.body
    index = _insertion_index(body)
    if index < len(body):
        return Replacement(body[index], statement, before=True)
    return Replacement(module, module_with_import(module, statement))


def module_with_import(module: cst.Module, statement: cst.SimpleStatementLine) -> cst.Module:
    """`module` with `statement` where `with_import` puts it."""
    body = list(module.body)
    index = _insertion_index(body)
    if index < len(body):
        following = body[index]
        statement = statement.with_changes(leading_lines=following.leading_lines)
        body[index] = following.with_changes(leading_lines=[])
    body.insert(index, statement)
    return module.with_changes(body=body)


def _insertion_index(body: Sequence[cst.BaseStatement]) -> int:
    index = 0
    if body and _is_docstring(body[0]):
        index = 1
    while index < len(body) and _is_future_import(body[index]):
        index += 1
    for position in range(index, len(body)):
        if _is_import(body[position]):
            return position
    return index


def _small(statement: cst.BaseStatement) -> cst.BaseSmallStatement | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _is_docstring(statement: cst.BaseStatement) -> bool:
    small = _small(statement)
    return isinstance(small, cst.Expr) and isinstance(
        small.value, (cst.SimpleString, cst.ConcatenatedString)
    )


def _is_future_import(statement: cst.BaseStatement) -> bool:
    small = _small(statement)
    return (
        isinstance(small, cst.ImportFrom)
        and isinstance(small.module, cst.Name)
        and small.module.value == "__future__"
    )


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def imported_as(scope: Scope, qualified: str) -> str | None:
    """The local name the module scope binds to `qualified` by an import (`os` for
    `import os`, `environ` for `from os import environ`), if any."""
    for name in scope.imports:
        if scope.import_of(name) == qualified:
            return name
    return None
