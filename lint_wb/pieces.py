"""A module's top-level statements found from its lines, each piece compiled alone, so that
Python's `ast` is built only for the statements selection may keep.

Building `ast` objects costs about three times compiling the same text straight to bytecode,
and of a file with W&B code most of the text is often functions and classes that selection
drops (`partial.py`). A line that starts at column 0 with code (`TOP_LEVEL_LINE`) may start a
top-level statement; the text is cut there into pieces, each compiled alone:
- a function or class (`def`, `async def`, `class`, a decorator) is compiled to bytecode
  only: the module code's last position is the statement's (its end, as `ast` gives it),
  and the name it binds is read on its `def`/`class` line. Its `ast` is read later only if
  selection keeps it (`read_definition`);
- every other run of statements (imports, assignments, `if` blocks, a docstring) is read by
  `ast` and its tree compiled, as the whole text was before.
Each piece is read with as many line breaks before it as the text has, so `ast`'s positions
are the text's (line breaks cost the tokenizer next to nothing; the pieces are read only for
texts of at most `MAX_CHARACTERS`).

A cut inside a string, a bracket or a decorated definition leaves a piece that does not
compile alone; it is read together with the next one. A piece that compiles alone holds whole
statements, so when every piece compiles, the pieces' statements are the module's. What only
the whole module's compile can reject (a `from __future__` import after other code, a
module-level `global`, a future that changes the grammar), a piece that does not compile with
the ones after it, or too many pieces read together give None: the caller then reads the
whole text, so a syntax error is always the one the whole compile reports.
"""

from __future__ import annotations
import __future__

import ast
import re
import sys
import warnings
from typing import Final

from lint_wb.records import dataclass

MAX_CHARACTERS: Final = 300_000
"""Longer texts are read whole (the line breaks put before each piece would add up)."""
TOP_LEVEL_LINE: Final = re.compile(r"^(?=[^\s#)\]}])", re.M)
"""Where a line may start a top-level statement (code at column 0)."""
NOT_A_START: Final = re.compile(r"(?:else|elif|except|finally)\b")
"""Lines that go on with the statement before them."""
DEFINITION: Final = re.compile(r"(?:@|def[ \t\\]|async[ \t\\]|class[ \t\\(:])")
DEFINITION_NAME: Final = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)|class[ \t]+(\w+)")
GLOBAL: Final = re.compile(r"\bglobal\b")
"""With `:=`, what makes a definition bind more than its name (`partial._module_names`)."""
LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
FLAGS: Final = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
GRAMMAR_FUTURE: Final = "barry_as_FLUFL"
"""A future import that changes what the parser accepts in the statements after it."""
MAX_JOINED: Final = 64
"""Cuts a piece may be extended over before the text is read whole (a long docstring with
lines at column 0), so the cost stays linear."""
FUTURE_FLAGS: Final = {
    name: getattr(__future__, name).compiler_flag for name in __future__.all_feature_names
}
COMPILE_ERRORS: Final = (SyntaxError, ValueError, TypeError, RecursionError, MemoryError)
HAS_POSITIONS: Final = sys.version_info >= (3, 11)
"""Code objects give each instruction's end column from Python 3.11 on (`co_positions`)."""


@dataclass(frozen=True)
class Definition:
    """A top-level function or class, known from its compiled code alone."""

    name: str
    end_line: int
    """Its last line in the text (from 1)."""
    end_column: int
    """Where it ends on that line, in UTF-8 bytes (as `ast`'s `end_col_offset`)."""


@dataclass(frozen=True)
class Piece:
    """Whole top-level statements of a module's text: `ast`'s tree of them (positions in
    the text), or one definition compiled to bytecode alone."""

    start: int
    """Offset of its first line in the text."""
    end: int
    """Offset just past its last line (the next piece's start)."""
    lines_before: int
    """How many line breaks of the text come before it."""
    tree: ast.Module | None
    definition: Definition | None


def top_level_pieces(text: str) -> list[Piece] | None:
    """The text's top-level statements in pieces, or None when the whole text must be read
    (see the module's docstring)."""
    if not HAS_POSITIONS or len(text) > MAX_CHARACTERS or GRAMMAR_FUTURE in text:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the user's code's warnings are not ours to print
        return _pieces(text)


def _pieces(text: str) -> list[Piece] | None:
    cuts, kinds = _cuts(text)
    plain = "\r" not in text
    pieces: list[Piece] = []
    future = 0
    heads_only = True
    """Whether every statement so far is a docstring or a `from __future__` import."""
    seen = False
    """Whether a statement came before."""
    position = lines = 0
    while position < len(cuts) - 1:
        start = cuts[position]
        piece = None
        if kinds[position] != OTHER:
            after = _after_definition(kinds, position)
            piece = _definition(text, start, cuts[after], lines, future)
        if piece is None:
            found = _statements(text, cuts, kinds, position, lines, future)
            if found is None:
                return None
            piece, position = found
            assert piece.tree is not None
            checked = _module_checks(text, piece, future, heads_only, seen)
            if checked is None:
                return None
            future, heads_only = checked
            seen = seen or bool(piece.tree.body)
        else:
            position = after
            heads_only = False
            seen = True
        pieces.append(piece)
        lines += _breaks(text, piece.start, piece.end, plain)
    return pieces


OTHER, DEFINES, DECORATES = 0, 1, 2
"""What a line that may start a top-level statement starts: `def`/`class`, a decorator."""


def _cuts(text: str) -> tuple[list[int], list[int]]:
    """Where pieces may start (each line that may start a top-level statement, and the end
    of the text), and what each starts (`OTHER`, `DEFINES`, `DECORATES`)."""
    cuts: list[int] = [0]
    kinds = [OTHER]
    for match in TOP_LEVEL_LINE.finditer(text):
        start = match.start()
        if NOT_A_START.match(text, start) is None:
            if start == 0:
                cuts.pop()
                kinds.pop()
            cuts.append(start)
            defines = DEFINITION.match(text, start) is not None
            kinds.append((DECORATES if text[start] == "@" else DEFINES) if defines else OTHER)
    cuts.append(len(text))
    return cuts, kinds


def _after_definition(kinds: list[int], position: int) -> int:
    """The cut after the definition line that the decorators from `position` on lead to."""
    while position < len(kinds) - 1 and kinds[position] == DECORATES:
        position += 1
    return min(position + 1, len(kinds))


def _breaks(text: str, start: int, end: int, plain: bool) -> int:
    """The line breaks in `text[start:end]` (`plain`: the text has no `\\r`)."""
    if plain:
        return text.count("\n", start, end)
    return len(LINE_BREAK.findall(text, start, end))


def _definition(text: str, start: int, end: int, lines: int, future: int) -> Piece | None:
    """The piece `text[start:end]` when it is one function or class that compiles alone
    and binds its name only."""
    source = text[start:end]
    if ":=" in source or ("global" in source and GLOBAL.search(source)):
        return None  # what else it binds is read off `ast`
    try:
        code = compile(source, "<lint-wb>", "exec", FLAGS | future, dont_inherit=True)
    except COMPILE_ERRORS:
        return None
    *_, last = code.co_positions()
    line, end_line, column, end_column = last
    if line is None or end_line is None or column != 0 or end_column is None:
        return None
    line_start = _line_start(source, line)
    named = None if line_start is None else DEFINITION_NAME.match(source, line_start)
    name = named and (named.group(1) or named.group(2))
    if not name or not name.isascii() or name not in code.co_names:
        return None
    return Piece(start, end, lines, None, Definition(name, lines + end_line, end_column))


def _line_start(source: str, line: int) -> int | None:
    """The offset where line `line` (from 1) of `source` starts."""
    offset = 0
    for _ in range(line - 1):
        found = LINE_BREAK.search(source, offset)
        if found is None:
            return None
        offset = found.end()
    return offset


def _statements(
    text: str, cuts: list[int], kinds: list[int], position: int, lines: int, future: int
) -> tuple[Piece, int] | None:
    """The statements from `cuts[position]` to the next definition read by `ast` (extended
    over the next cuts until they compile), and the position of the cut after them; None
    when they do not compile."""
    start = cuts[position]
    first_end = position + 1
    while first_end < len(cuts) - 1 and (
        kinds[first_end] == OTHER or kinds[first_end - 1] == DECORATES
    ):
        first_end += 1
    padding = "\n" * lines
    for end in range(first_end, min(len(cuts), first_end + MAX_JOINED)):
        tree = _compiled(padding + text[start : cuts[end]], future)
        if tree is not None:
            return Piece(start, cuts[end], lines, tree, None), end
    return None


def _compiled(source: str, future: int) -> ast.Module | None:
    """`source` read by `ast`, and its tree compiled; None when it does not compile."""
    flags = FLAGS | future
    try:
        tree = compile(source, "<lint-wb>", "exec", flags | ast.PyCF_ONLY_AST, dont_inherit=True)
        compile(tree, "<lint-wb>", "exec", flags, dont_inherit=True)
    except COMPILE_ERRORS:
        return None
    assert isinstance(tree, ast.Module)
    return tree


def read_definition(text: str, piece: Piece) -> list[ast.stmt] | None:
    """`ast`'s reading of a definition piece (its statement, positions in the text), or None
    when `ast` cannot build it."""
    source = "\n" * piece.lines_before + text[piece.start : piece.end]
    flags = FLAGS | ast.PyCF_ONLY_AST
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(source, "<lint-wb>", "exec", flags, dont_inherit=True)
    except COMPILE_ERRORS:
        return None
    assert isinstance(tree, ast.Module)
    return tree.body


def _module_checks(
    text: str, piece: Piece, future: int, heads_only: bool, after_statements: bool
) -> tuple[int, bool] | None:
    """The future flags after the piece's statements and whether all statements so far
    are heads (a docstring first, `from __future__` imports); None when the statements may
    not compile in the whole text as they did alone (a late `from __future__` import, a
    module-level `global`). `after_statements`: whether statements come before the piece."""
    assert piece.tree is not None
    for index, statement in enumerate(piece.tree.body):
        if _is_future(statement):
            if not heads_only:
                return None
            future |= _future_flags(statement)
        elif after_statements or index or not _is_docstring(statement):
            heads_only = False
    if text.find("global", piece.start, piece.end) >= 0 and has_module_global(piece.tree):
        return None
    return future, heads_only


def _is_future(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "__future__"


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _future_flags(statement: ast.stmt) -> int:
    assert isinstance(statement, ast.ImportFrom)
    flags = 0
    for alias in statement.names:
        flags |= FUTURE_FLAGS.get(alias.name, 0)
    return flags


def has_module_global(tree: ast.Module) -> bool:
    """A `global` statement at module level: the whole module's compile checks it against
    the other statements, which another piece or chunk may hold."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Global):
            return True
        if not isinstance(node, SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return False


SCOPES: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
