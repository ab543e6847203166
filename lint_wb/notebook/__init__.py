"""Jupyter notebooks: code cells in, findings per cell out, fixed cells written back.

The code cells are linted as one module, in the order they appear: a client made in cell 2
is the client of the request in cell 5, as for a user who runs the notebook top to bottom.
The cells are joined with a boundary comment line between them, so that each finding maps
back to its cell (1-based position among all cells, as Jupyter lays them out) and its row in
the cell, and the fixed text cuts back into cells. A cell that does not parse on its own is
reported (WB901) and left out.

Reading the cells and standing in for IPython lines is `notebook_cells.py`; writing the fixed
cells back into the JSON is `notebook_write.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst

from lint_wb.api import FileResult, Mode, lint_options, unified_diff
from lint_wb.config.settings import LintOptions, Settings
from lint_wb.engine import lint_source
from lint_wb.files import SourceFile, WriteError, write_atomic
from lint_wb.findings import Edit, Finding, Fix, Location
from lint_wb.fix_loop import FixOutcome, fix_source
from lint_wb.notebook.cells import (
    NotebookError,
    PreparedCell,
    prepare_cells,
    read_notebook,
    restore_magics,
    split_lines,
)
from lint_wb.notebook.write import rewrite_sources
from lint_wb.spec import Spec

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

    def place(self, row: int) -> int:
        """The position (in `numbers`) of the cell that holds joined `row`."""
        position = 0
        for index, start in enumerate(self.starts):
            if start <= row:
                position = index
        return position

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
        return with_lines(relocated, self.texts[position])

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


def with_lines(finding: Finding, text: str) -> Finding:
    """`finding` showing the lines it spans in `text` (a cell as the user sees it)."""
    lines = [line.rstrip("\r\n") for line in split_lines(text)]
    first, last = finding.location.row, max(finding.location.row, finding.end_location.row)
    return replace(finding, source_lines=tuple(lines[first - 1 : last]))


# --------------------------------------------------------------------------- linting and fixing


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


@dataclass
class _Run:
    """One notebook's lint (or fix) over its joined code cells."""

    filename: str
    options: LintOptions
    spec: Spec
    fixing: bool
    unsafe: bool

    def engine(self, text: str) -> FixOutcome:
        if self.fixing:
            return fix_source(
                text, self.filename, self.options, self.spec, unsafe_fixes=self.unsafe
            )
        return FixOutcome(text, (), lint_source(text, self.filename, self.options, self.spec))

    def run(
        self, parts: list[PreparedCell]
    ) -> tuple[list[PreparedCell], FixOutcome, list[Finding]]:
        """(the cells linted together, their outcome, WB901 for cells that do not parse)."""
        outcome = self.engine(join_cells(parts))
        if outcome.result.parsed:
            return parts, outcome, []
        broken = [part for part in parts if not _parses(part.python)]
        if not broken:
            return parts, outcome, []  # only the joined module fails: reported where it fails
        errors = [
            with_lines(_about_the_cell(finding), part.cell.text)
            for part in broken
            for finding in lint_source(
                part.python, self.filename, self.options, self.spec, cell=part.cell.number
            ).findings
        ]
        kept = [part for part in parts if part not in broken]
        return kept, self.engine(join_cells(kept)), errors


def _about_the_cell(finding: Finding) -> Finding:
    """WB901 for one cell says `this cell`: the rest of the notebook was checked."""
    return replace(finding, message=finding.message.replace("this file", "this cell", 1))


def check_notebook(
    source: SourceFile, settings: Settings, spec: Spec, mode: Mode, *, write: bool
) -> FileResult:
    """Lint or fix one notebook; writes the fixed notebook back when `write` and `mode.fix`."""
    try:
        notebook = read_notebook(source.text)
    except NotebookError as error:
        return FileResult(source.path, error=str(error))
    if not notebook.is_python:
        return FileResult(source.path, skipped=True)
    filename = str(source.path)
    fixing = mode.fix or mode.diff
    run = _Run(filename, lint_options(source.path, settings), spec, fixing, settings.unsafe_fixes)
    parts, outcome, errors = run.run(prepare_cells(notebook.cells))
    joined = join_cells(parts)
    originals = [part.cell.text for part in parts]
    before = _layout(joined, parts, originals)
    texts = originals if outcome.text == joined else split_cells(outcome.text, parts)
    notes = tuple(_note(note, filename, before) for note in outcome.dropped)
    if not outcome.converged:
        notes += (f"{filename}: fixes did not settle after 10 rounds; the rest were not applied",)
    if texts is None:  # a fix crossed a cell boundary or touched a magic: apply none
        notes += (f"{filename}: the fixes could not be mapped back to cells; nothing was fixed",)
        outcome = FixOutcome(joined, (), lint_source(joined, filename, run.options, spec))
        texts = originals
    after = _layout(outcome.text, parts, texts)
    findings = [*errors, *(after.relocate(finding) for finding in outcome.result.findings)]
    result = FileResult(
        source.path,
        tuple(sorted(findings, key=lambda finding: finding.sort_key)),
        fixed=tuple(before.relocate(finding) for finding in outcome.fixed),
        suppressed=len(outcome.result.suppressed),
        notes=notes,
    )
    if not fixing:
        return result
    return _write_back(source, result, parts, texts, mode, write)


def _layout(text: str, parts: Sequence[PreparedCell], texts: Sequence[str]) -> _Layout:
    _, starts = _chunks(text)
    numbers = tuple(part.cell.number for part in parts)
    # A notebook without code cells still gets one (empty, never used) place.
    return _Layout(numbers or (0,), tuple(starts), tuple(texts) or ("",))


_NOTE_PLACE = re.compile(r"(\d+):(\d+): ")


def _note(note: str, filename: str, layout: _Layout) -> str:
    """A fixer note `file:row:col: ...` about the joined module, as `file:cell N:row:col: ...`."""
    match = _NOTE_PLACE.match(note, len(filename) + 1)
    if not note.startswith(filename + ":") or match is None:
        return note
    row, column = int(match.group(1)), int(match.group(2))
    position = layout.place(row)
    local = layout.local(Location(row, column), position)
    place = f"{filename}:cell {layout.numbers[position]}:{local.row}:{local.column}: "
    return place + note[match.end() :]


def _write_back(
    source: SourceFile,
    result: FileResult,
    parts: Sequence[PreparedCell],
    texts: Sequence[str],
    mode: Mode,
    write: bool,
) -> FileResult:
    changed = {part.cell: text for part, text in zip(parts, texts) if text != part.cell.text}
    new_text = rewrite_sources(source.text, changed)
    diff = "".join(
        unified_diff(cell.text, text, f"{source.path}:cell {cell.number}")
        for cell, text in changed.items()
    )
    result = replace(result, fixed_text=new_text, diff=diff if mode.diff else "")
    if mode.fix and not mode.diff and write and new_text != source.text:
        try:
            write_atomic(source, new_text)
        except WriteError as error:
            return replace(result, error=str(error), fixed=())
    return result
