"""A notebook as one module: its code cells joined, and the map from that module back to
the cells (`NotebookSource`), and the fixed module cut back into cells (`NotebookRewrite`).

A cell that does not parse on its own is reported (WB901) and left out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.files import SourceFile
from lint_wb.findings import Edit, Finding, Fix, Location
from lint_wb.lines import LineIndex
from lint_wb.module_source import unified_diff
from lint_wb.notebook.cells import (
    Cell,
    NotebookError,
    PreparedCell,
    prepare_cells,
    read_notebook,
    restore_magics,
    split_lines,
)
from lint_wb.notebook.write import rewrite_sources
from lint_wb.spec import Spec

__all__ = ["BOUNDARY", "NotebookError", "NotebookRewrite", "NotebookSource", "read_notebook_source"]

BOUNDARY = "# lint-wb: end of notebook cell"
"""The line put between cells in the joined module; a comment, so nothing reports on it."""


# --------------------------------------------------------------------------- the joined module


def _ends_line(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def join_cells(parts: Sequence[PreparedCell]) -> str:
    """One module: each cell's Python ending in a line break, boundary lines between cells."""
    pieces: list[str] = []
    for position, part in enumerate(parts):
        if position:
            pieces.append(BOUNDARY + "\n")
        pieces.append(part.python if _ends_line(part.python) else part.python + "\n")
    return "".join(pieces)


def _chunks(text: str) -> tuple[list[str], list[int]]:
    """The text of each cell in a joined module, and the row each starts at."""
    chunks: list[list[str]] = [[]]
    starts = [1]
    for row, line in enumerate(split_lines(text), start=1):
        if line.rstrip("\r\n") == BOUNDARY:
            chunks.append([])
            starts.append(row + 1)
        else:
            chunks[-1].append(line)
    return ["".join(chunk) for chunk in chunks], starts


def split_cells(text: str, parts: Sequence[PreparedCell]) -> list[str] | None:
    """Cut a (fixed) joined module back into cell texts, magics restored; None if it can't be."""
    chunks, _ = _chunks(text)
    if len(chunks) != len(parts):
        return None
    texts: list[str] = []
    for chunk, part in zip(chunks, parts):
        if not _ends_line(part.python):
            if not chunk.endswith("\n"):
                return None
            chunk = chunk[:-1]
        restored = restore_magics(chunk, part.magics)
        if restored is None:
            return None
        texts.append(restored)
    return texts


@dataclass(frozen=True)
class _Layout:
    """Where each cell sits in a joined module."""

    numbers: tuple[int, ...]
    starts: tuple[int, ...]
    texts: tuple[str, ...]
    """Each cell's text as the user sees it (magics in place), for the lines findings show."""

    indexes: dict[int, LineIndex] = field(default_factory=dict, compare=False, repr=False)
    """Each cell's `LineIndex` by position, made when a finding first needs it."""

    def place(self, row: int) -> int:
        """The position (in `numbers`) of the cell that holds joined `row`."""
        return max(0, bisect_right(self.starts, row) - 1)

    def index(self, position: int) -> LineIndex:
        found = self.indexes.get(position)
        if found is None:
            found = self.indexes[position] = LineIndex(self.texts[position])
        return found

    def local(self, location: Location, position: int) -> Location:
        return Location(location.row - self.starts[position] + 1, location.column)

    def relocate(self, finding: Finding) -> Finding:
        position = self.place(finding.location.row)
        start = self.local(finding.location, position)
        end = self.local(finding.end_location, position)
        fix = None if finding.fix is None else self._fix(finding.fix, position)
        relocated = replace(
            finding, cell=self.numbers[position], location=start, end_location=end, fix=fix
        )
        return with_lines(relocated, self.index(position))

    def _fix(self, fix: Fix, position: int) -> Fix:
        edits: list[Edit] = []
        others: set[int] = set()
        for edit in fix.edits:
            where = self.place(edit.start.row)
            if where != position:
                others.add(self.numbers[where])
            edits.append(
                Edit(self.local(edit.start, where), self.local(edit.end, where), edit.content)
            )
        message = fix.message
        if others:
            message += f" (in cell {', '.join(str(number) for number in sorted(others))})"
        return replace(fix, message=message, edits=tuple(edits))


def with_lines(finding: Finding, index: LineIndex) -> Finding:
    """`finding` showing the lines it spans in `index`'s text (a cell as the user sees it),
    read as the engine reads a module's (the empty row after a last line break included)."""
    first = finding.location.row
    last = min(max(first, finding.end_location.row), len(index.starts))
    return replace(finding, source_lines=index.lines(first, last))


# --------------------------------------------------------------------------- reading and writing


def _compiles(text: str) -> bool:
    """Whether CPython compiles the cells joined, as a module's text is compiled
    (`syntax_error.compile_error`, on the deep-stack thread). Python's parser alone let
    through a cell only the compiler rejects (`return` outside a function): the notebook
    was then one WB901, and nothing else in it was reported."""
    from lint_wb.containment import on_deep_stack
    from lint_wb.syntax_error import compile_error

    return on_deep_stack(lambda: compile_error(text)) is None


def _parses(text: str) -> bool:
    """Whether a cell parses on its own, read as every module is read (`module_parse`:
    CPython's compiler first, so a cell it cannot compile is left out too, then libcst on
    the deep-stack thread, long operator chains piece by piece). libcst's parser called
    here directly crashed the process on a cell nesting brackets 3,000 deep when the
    project index read the notebook (off that thread), and was slow on long `+` chains."""
    from lint_wb.containment import on_deep_stack
    from lint_wb.module_parse import parse_text

    return not isinstance(on_deep_stack(lambda: parse_text(text)), Exception)


def _about_the_cell(finding: Finding) -> Finding:
    """WB901 for one cell says `this cell`: the rest of the notebook was checked."""
    return replace(finding, message=finding.message.replace("this file", "this cell", 1))


def _unparsable(
    parts: Sequence[PreparedCell], filename: str, options: LintOptions, spec: Spec
) -> tuple[list[PreparedCell], tuple[Finding, ...]]:
    """The cells that parse, and WB901 for each one that does not (it is left out)."""
    if _compiles(join_cells(parts)):  # the cells one by one only when they do not
        return list(parts), ()
    broken = [part for part in parts if not _parses(part.python)]
    errors = tuple(
        with_lines(_about_the_cell(finding), LineIndex(part.cell.text))
        for part in broken
        for finding in lint_source(
            part.python, filename, options, spec, cell=part.cell.number
        ).findings
    )
    return [part for part in parts if part not in broken], errors


def read_notebook_source(
    source: SourceFile, options: LintOptions, spec: Spec
) -> NotebookSource | None:
    """A notebook's code cells as one module; None for a notebook in another language.

    Raises :class:`NotebookError` for a file that is not a notebook lint-wb can read.
    """
    notebook = read_notebook(source.text)
    if not notebook.is_python:
        return None
    parts, errors = _unparsable(prepare_cells(notebook.cells), str(source.path), options, spec)
    return NotebookSource(source, tuple(parts), errors, join_cells(parts))


def module_text(text: str) -> str | None:
    """The module a notebook's text is linted as (its code cells that parse, joined, as
    `read_notebook_source` builds it), for the project index; None for a notebook in another
    language or one lint-wb cannot read."""
    try:
        notebook = read_notebook(text)
    except NotebookError:
        return None
    if not notebook.is_python:
        return None
    parts = prepare_cells(notebook.cells)
    if not _compiles(join_cells(parts)):
        parts = [part for part in parts if _parses(part.python)]
    return join_cells(parts)


def _layout(text: str, parts: Sequence[PreparedCell], texts: Sequence[str]) -> _Layout:
    _, starts = _chunks(text)
    numbers = tuple(part.cell.number for part in parts)
    # A notebook without code cells still gets one (empty, never used) place.
    return _Layout(numbers or (0,), tuple(starts), tuple(texts) or ("",))


@dataclass(frozen=True)
class NotebookSource:
    """A notebook read as a module (see `module_source.ModuleSource`)."""

    source: SourceFile
    parts: tuple[PreparedCell, ...]
    """The code cells that are linted, in order."""
    read_findings: tuple[Finding, ...]
    text: str
    """The cells joined, boundary lines between them."""

    @property
    def cell_texts(self) -> tuple[str, ...]:
        return tuple(part.cell.text for part in self.parts)

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        layout = _layout(self.text, self.parts, self.cell_texts)
        return tuple(layout.relocate(finding) for finding in findings)

    def rewrite(self, fixed: str) -> NotebookRewrite | None:
        """The notebook with `fixed` cut back into its cells; None when a fix crossed a cell
        boundary or touched an IPython line."""
        texts = self.cell_texts if fixed == self.text else split_cells(fixed, self.parts)
        if texts is None:
            return None
        return NotebookRewrite(self, fixed, tuple(texts))


@dataclass(frozen=True)
class NotebookRewrite:
    """A notebook's fixed module and the cell texts it splits into."""

    notebook: NotebookSource
    fixed: str
    """The fixed joined module."""
    texts: tuple[str, ...]
    """Each cell's fixed text, magics restored."""

    def _changed(self) -> dict[Cell, str]:
        return {
            part.cell: text
            for part, text in zip(self.notebook.parts, self.texts)
            if text != part.cell.text
        }

    @property
    def file_text(self) -> str:
        return rewrite_sources(self.notebook.source.text, self._changed())

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        layout = _layout(self.fixed, self.notebook.parts, self.texts)
        return tuple(layout.relocate(finding) for finding in findings)

    def diff(self) -> str:
        path = self.notebook.source.path
        return "".join(
            unified_diff(cell.text, text, f"{path}:cell {cell.number}")
            for cell, text in self._changed().items()
        )
