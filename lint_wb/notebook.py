"""Jupyter notebooks: code cells in, findings per cell out, fixed cells written back.

The code cells are linted as one module, in the order they appear: a client made in cell 2
is the client of the request in cell 5, as for a user who runs the notebook top to bottom.
The cells are joined with a boundary comment line between them, so that each finding maps
back to its cell (1-based position among all cells, as Jupyter lays them out) and its row in
the cell, and the fixed text cuts back into cells. A cell that does not parse on its own is
reported (WB901) and left out.

IPython syntax is not Python: a line magic, shell escape or help line (`%pip install openai`,
`!nvidia-smi`, `files = !ls`, `?obj`, `obj?`, an automagic `pip install x`) becomes a
placeholder line (one line for one line, so rows stay right) that no rule reports on, and is
put back unchanged after fixing (if a fix ever moved or changed one, nothing is written).
A cell that starts with a cell magic (`%%bash`) is not Python and is skipped, except the
magics that run their body as Python in the kernel (`%%time`, `%%capture`, ...).

The JSON is read with the json module; a fix replaces the `source` value of the cells it
changed in place, in the style of the file, so every other byte stays as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from lint_wb.api import FileResult, Mode, lint_options, unified_diff
from lint_wb.engine import NEWLINE, lint_source
from lint_wb.files import SourceFile, WriteError, write_atomic
from lint_wb.findings import Edit, Finding, Fix, Location
from lint_wb.fixer import FixOutcome, fix_source
from lint_wb.settings import LintOptions, Settings
from lint_wb.spec import Spec

BOUNDARY = "# lint-wb: end of notebook cell"
"""The line put between cells in the joined module; a comment, so nothing reports on it."""

PYTHON_CELL_MAGICS = frozenset(
    {"capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit"}
)
"""Cell magics whose body is Python (the list ruff uses): only their first line is a magic."""

AUTOMAGICS = frozenset(
    {
        "alias", "autoawait", "autoreload", "bookmark", "cat", "cd", "clear", "conda",
        "config", "cp", "env", "history", "less", "load_ext", "ls", "lsmagic", "magic",
        "mamba", "matplotlib", "micromamba", "mkdir", "more", "mv", "pdb", "pip", "popd",
        "pushd", "pwd", "pylab", "reload_ext", "reset", "rm", "rmdir", "run", "store",
        "time", "timeit", "unalias", "who", "whos", "xmode",
    }
)
"""Magics IPython runs without `%` (automagic) when the line is not Python: `pip install x`."""

_CELL_MAGIC = re.compile(r"\s*%%(\w*)")
_ASSIGN_MAGIC = re.compile(r"(\s*[\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*)[!%]")
_AUTOMAGIC = re.compile(r"([A-Za-z_]\w*)[ \t]+[^\s=(]")
_INDENT = re.compile(r"[ \t]*")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class NotebookError(ValueError):
    """A file that is not a notebook lint-wb can read; the message is one line."""


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Cell:
    """A code cell: its 1-based position among all cells, and its source joined."""

    number: int
    text: str
    as_list: bool
    """Whether `source` is a list of lines (else one string): kept so when writing back."""


@dataclass(frozen=True)
class Notebook:
    cells: tuple[Cell, ...]
    """The code cells, in order."""
    language: str | None

    @property
    def is_python(self) -> bool:
        return self.language is None or "python" in self.language


def read_notebook(text: str) -> Notebook:
    """The code cells of a notebook's JSON text. Raises :class:`NotebookError`."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"not a valid notebook: invalid JSON at line {error.lineno}, "
            f"column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise NotebookError("not a valid notebook: the JSON is nested too deeply") from None
    if not isinstance(document, dict):
        raise NotebookError("not a valid notebook: the JSON is not an object")
    cells = document.get("cells")
    if not isinstance(cells, list):
        if "worksheets" in document:
            raise NotebookError(
                "nbformat 3 notebooks are not supported: convert it with "
                "`jupyter nbconvert --to notebook --nbformat 4`"
            )
        raise NotebookError("not a valid notebook: no `cells` list")
    code = tuple(
        cell for number, value in enumerate(cells, start=1) if (cell := _cell(number, value))
    )
    return Notebook(code, _language(document.get("metadata")))


def _cell(number: int, value: object) -> Cell | None:
    if not isinstance(value, dict) or not isinstance(value.get("cell_type"), str):
        raise NotebookError(f"not a valid notebook: cell {number} has no `cell_type`")
    if value["cell_type"] != "code":
        return None
    source = value.get("source")
    if isinstance(source, str):
        return Cell(number, source, as_list=False)
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return Cell(number, "".join(source), as_list=True)
    raise NotebookError(
        f"not a valid notebook: the `source` of cell {number} is not a string or a list of strings"
    )


def _language(metadata: object) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for key, name in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(name), str):
            return str(value[name]).lower()
    return None


# --------------------------------------------------------------------------- magics


@dataclass
class _Scanner:
    """Just enough of Python's tokenizer to know where a new statement can start."""

    quote: str | None = None
    depth: int = 0
    continued: bool = False

    def at_statement_start(self) -> bool:
        return self.quote is None and self.depth == 0 and not self.continued

    def feed(self, line: str) -> str:
        """Scan one line (without its line break); return its code without the comment."""
        index = 0
        while index < len(line):
            char = line[index]
            if self.quote is not None:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.quote, index):
                    index += len(self.quote)
                    self.quote = None
                    continue
            elif char == "#":
                line = line[:index]
                break
            elif char in "'\"":
                self.quote = char * 3 if line.startswith(char * 3, index) else char
                index += len(self.quote)
                continue
            elif char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            index += 1
        escaped_end = line.endswith("\\")
        if self.quote in ("'", '"') and not escaped_end:
            self.quote = None  # an unterminated string: Python reports it, not us
        self.continued = self.quote is None and escaped_end
        return line


@dataclass(frozen=True)
class _Part:
    """A code cell as it goes into the joined module."""

    cell: Cell
    python: str
    """The cell's text with IPython lines replaced by placeholders."""
    magics: Mapping[str, str] = field(default_factory=dict)
    """Placeholder line -> the line it stands for (both without line break)."""


def prepare_cell(cell: Cell, first_id: int = 1) -> _Part | None:
    """The Python of a cell with placeholders for IPython lines; None for a non-Python cell."""
    lines = split_lines(cell.text)
    first = next((line for line in lines if line.strip()), "")
    match = _CELL_MAGIC.match(first)
    if match and match.group(1) not in PYTHON_CELL_MAGICS:
        return None
    scanner = _Scanner()
    out: list[str] = []
    magics: dict[str, str] = {}
    inside_magic = False
    for line in lines:
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if inside_magic:
            code: str | None = ""
        else:
            code = _placeholder(body) if scanner.at_statement_start() else None
        if code is None:
            scanner.feed(body)
            out.append(line)
            continue
        inside_magic = body.endswith("\\")
        key = f"{code}{'  ' if code else ''}# lint-wb-magic-{first_id + len(magics)}"
        magics[key] = body
        out.append(key + ending)
    return _Part(cell, "".join(out), magics)


def _placeholder(line: str) -> str | None:
    """The Python that stands in for an IPython line at a statement start, or None for Python."""
    stripped = line.strip()
    indent = _INDENT.match(line).group()  # type: ignore[union-attr]
    if stripped.startswith(("%", "!", "?")):
        return indent + "pass"
    assignment = _ASSIGN_MAGIC.match(line)
    if assignment:
        return assignment.group(1) + "__lint_wb_magic__()"
    probe = _Scanner()
    code = probe.feed(line).rstrip()
    if not probe.at_statement_start():
        return None
    if code.endswith("?"):
        return indent + "pass"
    automagic = _AUTOMAGIC.match(stripped)
    if automagic and automagic.group(1) in AUTOMAGICS and not _compiles(stripped):
        return indent + "pass"
    return None


def _compiles(line: str) -> bool:
    try:
        compile(line, "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def split_lines(text: str) -> list[str]:
    """Lines with their breaks, split where the engine and libcst split them."""
    starts = [0, *(match.end() for match in NEWLINE.finditer(text))]
    if starts[-1] == len(text):
        starts.pop()
    return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)])]


def _restore(text: str, magics: Mapping[str, str]) -> str | None:
    """`text` with its placeholders put back; None when a fix moved, dropped or doubled one."""
    if not magics:
        return text
    seen = 0
    out: list[str] = []
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        original = magics.get(body)
        if original is not None:
            seen += 1
            line = original + line[len(body) :]
        out.append(line)
    return "".join(out) if seen == len(magics) else None


# --------------------------------------------------------------------------- the joined module


def _ends_line(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def join_cells(parts: Sequence[_Part]) -> str:
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


def split_cells(text: str, parts: Sequence[_Part]) -> list[str] | None:
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
        restored = _restore(chunk, part.magics)
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

    def run(self, parts: list[_Part]) -> tuple[list[_Part], FixOutcome, list[Finding]]:
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


def prepare_cells(cells: Sequence[Cell]) -> list[_Part]:
    parts: list[_Part] = []
    next_id = 1
    for cell in cells:
        part = prepare_cell(cell, next_id)
        if part is not None:
            parts.append(part)
            next_id += len(part.magics)
    return parts


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


def _layout(text: str, parts: Sequence[_Part], texts: Sequence[str]) -> _Layout:
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
    parts: Sequence[_Part],
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


# --------------------------------------------------------------------------- writing JSON back


def _skip(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _members(text: str, position: int) -> Iterator[tuple[str, int, int]]:
    """(key, value start, value end) for each member of the JSON object at `position`."""
    position = _skip(text, position + 1)
    while text[position] != "}":
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, _skip(text, position) + 1)  # past the colon
        _, end = _DECODER.raw_decode(text, position)
        yield key, position, end
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)


def _items(text: str, position: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each element of the JSON array at `position`."""
    position = _skip(text, position + 1)
    while text[position] != "]":
        _, end = _DECODER.raw_decode(text, position)
        yield position, end
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)


def _source_spans(text: str) -> dict[int, tuple[int, int]]:
    """Cell number -> (start, end) of its `source` value in a notebook's JSON text."""
    start = _skip(text, 0)
    cells = [(value, end) for key, value, end in _members(text, start) if key == "cells"][-1]
    spans: dict[int, tuple[int, int]] = {}
    for number, (cell_start, _) in enumerate(_items(text, cells[0]), start=1):
        for key, value, end in _members(text, cell_start):
            if key == "source":
                spans[number] = (value, end)
    return spans


@dataclass(frozen=True)
class _Style:
    """How a notebook's JSON is written, for the values lint-wb writes into it."""

    unit: str | None
    """One level of indentation; None for JSON on one line."""
    ensure_ascii: bool

    @classmethod
    def of(cls, text: str) -> _Style:
        indented = re.search(r"\n([ \t]+)\S", text)
        escaped = re.search(r"(?<!\\)\\u(?!00[0-7])[0-9a-fA-F]{4}", text) is not None
        return cls(
            unit=indented.group(1) if indented else None,
            ensure_ascii=escaped and text.isascii(),
        )

    def dumps(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=self.ensure_ascii)


def rewrite_sources(text: str, changed: Mapping[Cell, str]) -> str:
    """A notebook's JSON text with the `source` of the `changed` cells replaced."""
    if not changed:
        return text
    spans = _source_spans(text)
    style = _Style.of(text)
    pieces: list[str] = []
    position = 0
    for cell in sorted(changed, key=lambda cell: cell.number):
        start, end = spans[cell.number]
        pieces.append(text[position:start])
        if cell.as_list:
            pieces.append(_list_value(split_lines(changed[cell]), text, start, end, style))
        else:
            pieces.append(style.dumps(changed[cell]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _list_value(lines: Sequence[str], text: str, start: int, end: int, style: _Style) -> str:
    """A JSON list of `lines`, laid out as the list it replaces (or as the file's style)."""
    if not lines:
        return "[]"
    items = list(_items(text, start))
    if items:
        opener = text[start + 1 : items[0][0]]
        closer = text[items[-1][1] : end - 1]
        separator = text[items[0][1] : items[1][0]] if len(items) > 1 else "," + opener
        if "\n" not in opener and len(items) == 1:
            separator = ", "
    elif style.unit is None:
        opener, closer, separator = "", "", ", "
    else:
        line_start = text.rfind("\n", 0, start) + 1
        indent = _INDENT.match(text, line_start).group()  # type: ignore[union-attr]
        opener, closer = "\n" + indent + style.unit, "\n" + indent
        separator = "," + opener
    return "[" + opener + separator.join(style.dumps(line) for line in lines) + closer + "]"

