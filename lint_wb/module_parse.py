"""The one place a module's text is parsed, for the project summaries and for the lint.

CPython's compiler checks the whole text first: a file that does not compile is one finding,
wherever the error stands. The text is cut into its top-level statements (`pieces.py`), each
piece compiled alone: a function or class that cannot be a seed is compiled to bytecode only,
the rest read by `ast` and its tree compiled (the compiler's own checks: `return` outside a
function, `nonlocal` at module level, ...), so `ast` is built only for what selection may
keep. When the pieces cannot stand for the text (see there), Python's parser reads the whole
text once, into the `ast` that finds the top-level statements, and that tree is compiled;
when either fails, the text is compiled as it is (`syntax_error.compile_error`), so the error
reported is the one CPython gives for the text.
libcst parses only the statements that can matter (`partial.py`), the others blanked; the
tree's positions are the original text's. When libcst cannot parse the kept text, the whole
text is parsed, so an error is the one a whole parse reports.

A text of more than `CHUNKED` characters is compiled and read by `ast` in chunks of about
`CHUNK_CHARACTERS`, cut where a line starts a top-level statement: a 5 MB module's whole
`ast` takes more memory than the run may (about 130 bytes a character), one chunk's little.
A cut inside a string, a bracket or a compound statement leaves a chunk that does not compile,
which is then read together with the next; a chunk that `global` or a late `from __future__`
import could make mean something else alone, or a syntax error, sends the text to the whole
compile, so what is reported is what it reports.

`whole=True` parses the whole text (a module the project index reads whole).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import field
from typing import TYPE_CHECKING, Final

from lint_wb.partial import (
    Partial,
    is_dynamic,
    partial_in_chunks,
    partial_of_pieces,
    partial_text,
)
from lint_wb.pieces import FUTURE_FLAGS, has_module_global, top_level_pieces
from lint_wb.python_check import CHUNKED, compiled_tree
from lint_wb.records import dataclass
from lint_wb.syntax_error import compile_error

if TYPE_CHECKING:
    from lint_wb._cst import cst
    from lint_wb.analysis.scopes import Bindings

PARTIAL_PARSES = True
"""False parses every module whole (the tests compare the two)."""
READ_IN_PIECES = True
"""False reads `ast` of every module's whole text (the tests compare the two)."""
CHUNK_CHARACTERS: Final = 200_000
TOP_LEVEL_LINE: Final = re.compile(r"^(?=[^\s#)\]}])", re.M)
LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
VALIDATING_HOOK: Final = "__post_init__"
"""What a libcst node's constructor calls to validate it (see `unvalidated`)."""
CHEAPER_CONSTRUCTORS_AFTER: Final = 64
"""Parses a process makes with libcst's own node constructors before it gives the node
classes cheaper ones (`node_constructors.py`): making them costs about what they save on
25 dense files when their code is kept from an earlier run (28 M instructions; 170
functions compiled anew cost about four times that, once), so only a process that has
parsed more than twice that makes them; a smaller run (a pre-commit hook's) never pays for
them."""
_parses = [0]


@dataclass(frozen=True)
class ParsedModule:
    """A module's text, what libcst was given of it, and libcst's tree of that."""

    text: str
    partial: Partial
    module: cst.Module
    walked: dict[str | None, Bindings] = field(default_factory=dict, compare=False, repr=False)
    """The binding pass over `module`, by the package it was made for, made once a parse
    (`analysis.binding.bindings_of`): the project index numbers its summary's nodes with it,
    and the lint of the same parse reads its bindings without walking the tree again."""
    looked: bool = False
    """The project index's first look at what is kept found something to check
    (`fact_sources.FirstLook`): the lint of this parse need not look again."""

    @property
    def parsed_text(self) -> str:
        """The text libcst parsed: `text` with the dropped statements blanked."""
        return self.partial.text

    @property
    def whole(self) -> bool:
        return self.partial.whole


@dataclass(frozen=True)
class ReadModule:
    """A module's text and what `read_partial` kept of it, not parsed by libcst: the project
    index's first look at the module found nothing to check (`fact_sources.FirstLook`), and
    its lint starts from this read (`engine.lint_source`)."""

    text: str
    partial: Partial


def parse_text(text: str, *, whole: bool = False) -> ParsedModule | Exception:
    """The parse of a module's text, or why it cannot be parsed (a `SyntaxError` from
    CPython's compiler, libcst's `ParserSyntaxError`, ...)."""
    partial = read_partial(text, whole=whole)
    if isinstance(partial, SyntaxError):
        return partial
    return parse_partial(text, partial)


def read_partial(text: str, *, whole: bool = False) -> Partial | SyntaxError:
    """What libcst would be given of a module's text (`ast`'s reading of what is kept, in
    `Partial.tree`), or why CPython cannot compile it: the first half of `parse_text`."""
    return _read(text, whole=whole or not PARTIAL_PARSES)


def parse_partial(text: str, partial: Partial) -> ParsedModule | Exception:
    """libcst's parse of what `read_partial` kept of `text`: the second half of `parse_text`."""
    import libcst  # here, not `_cst`: a parse is looked up on libcst when it is made

    from lint_wb import codegen_contexts
    from lint_wb.long_chains import parse_module

    codegen_contexts.install()  # once a process: for the positions and fixes of what is parsed
    _count_a_parse(libcst.CSTNode)
    try:
        with unvalidated(libcst.CSTNode):
            module = parse_module(partial.text, partial.tree)
    except (libcst.ParserSyntaxError, RecursionError, ValueError) as error:
        if partial.whole:
            return error
        return parse_text(text, whole=True)
    return ParsedModule(text, partial, module)


def expect_parses(count: int) -> None:
    """This process is about to parse `count` modules: when that is at least
    `CHEAPER_CONSTRUCTORS_AFTER`, the cheaper constructors are made now, before the first
    of them, instead of at that parse (which would still pay libcst's own constructors for
    every parse before it)."""
    if count >= CHEAPER_CONSTRUCTORS_AFTER and _parses[0] < CHEAPER_CONSTRUCTORS_AFTER:
        import libcst

        from lint_wb.node_constructors import install

        install(libcst.CSTNode)


def cheaper_constructors_now() -> None:
    """Make the cheaper constructors now (once a process), whatever this process parses:
    for processes about to be forked from this one, which inherit them (`api._Run`)."""
    import libcst

    from lint_wb.node_constructors import install

    install(libcst.CSTNode)


def _count_a_parse(node_class: type) -> None:
    _parses[0] += 1
    if _parses[0] == CHEAPER_CONSTRUCTORS_AFTER:
        from lint_wb.node_constructors import install

        install(node_class)


@contextmanager
def unvalidated(node_class: type) -> Iterator[None]:
    """libcst's nodes built without their `_validate` check while the block runs: the
    parser builds every node of a tree through the node's constructor, which validates it
    (a tenth of the parse, in Python), and what the parser builds from text it accepted
    is valid (libcst's own note in `CSTNode.__post_init__`). Nodes built after the block
    (a fix's) are validated again. A run parses and builds nodes on one thread (the
    deep-stack thread); a program calling `lint_source` from several threads at once may
    have a node another thread builds meanwhile go unchecked, which a valid node never
    notices.

    The node class's hook is replaced once (`_switched`), not at each block: setting an
    attribute of a class invalidates what Python caches of it and of each of its subclasses
    (every node class), which cost about 0.1 ms a parse, and the attribute lookups after it
    more."""
    hook = node_class.__dict__[VALIDATING_HOOK]
    if getattr(hook, SWITCHED, None) is not VALIDATING:
        setattr(node_class, VALIDATING_HOOK, _switched(hook))
    before = VALIDATING[0]
    VALIDATING[0] = False
    try:
        yield
    finally:
        VALIDATING[0] = before


SWITCHED: Final = "lint_wb_switch"
VALIDATING: Final = [True]
"""Whether a node built now is validated (False inside `unvalidated`). The cheaper
constructors (`node_constructors.py`) read it before they call the hook at all."""


def _switched(check: Callable[[object], None]) -> Callable[[object], None]:
    """`check` (`CSTNode.__post_init__`), called only while nodes are validated."""
    checking = VALIDATING

    def __post_init__(node: object) -> None:
        if checking[0]:
            check(node)

    setattr(__post_init__, SWITCHED, checking)
    return __post_init__


def _read(text: str, *, whole: bool) -> Partial | SyntaxError:
    """The text to give libcst, or why CPython cannot compile the module."""
    if not whole and len(text) > CHUNKED:
        try:
            return partial_in_chunks(text, _chunks(text))
        except _Unchunked:
            pass
    if not whole:
        read = _read_in_pieces(text)
        if read is not None:
            return read
    tree = None if whole else _compiled(text, 0)
    if tree is None:
        rejected = compile_error(text)
        if rejected is not None:
            return rejected
        return Partial(text, None, 0, 0)  # compiled, but not read by `ast`: parsed whole
    return partial_text(text, tree)


def _read_in_pieces(text: str) -> Partial | None:
    """The partial read statement by statement (`pieces.py`: `ast` only for what is not a
    definition and for the definitions kept); None when the text is to be read whole."""
    if not READ_IN_PIECES or is_dynamic(text):
        return None
    pieces = top_level_pieces(text)
    if pieces is None:
        return None
    return partial_of_pieces(text, pieces)


class _Unchunked(Exception):
    """The chunks do not stand for the whole text: it is compiled whole."""


def _chunks(text: str) -> Iterator[tuple[int, ast.Module]]:
    """Each chunk's tree and the lines before it (see the module's docstring); raises
    `_Unchunked` when the chunks cannot stand for the whole."""
    future = line = start = 0
    for end in [*_cuts(text), len(text)]:
        tree = _compiled(text[start:end], future)
        if tree is None:
            if end == len(text) or end - start > 8 * CHUNK_CHARACTERS:
                raise _Unchunked  # a syntax error: the whole compile says which
            continue  # a cut inside a statement: read with the next chunk
        declares = text.find("global", start, end) >= 0 and has_module_global(tree)
        if declares or (start and _has_future(tree)):
            raise _Unchunked
        if not start:
            future = _future_flags(tree)
        yield line, tree
        line += len(LINE_BREAK.findall(text, start, end))
        start = end


def _cuts(text: str) -> list[int]:
    """Where lines that may start a top-level statement begin, about CHUNK_CHARACTERS apart."""
    cuts: list[int] = []
    last = 0
    for match in TOP_LEVEL_LINE.finditer(text):
        if match.start() - last >= CHUNK_CHARACTERS:
            cuts.append(match.start())
            last = match.start()
    return cuts


def _compiled(piece: str, future: int) -> ast.Module | None:
    """`piece` read by `ast`, and its tree compiled (as `compile_error` compiles a text, the
    text parsed once); None when it does not compile."""
    return compiled_tree(piece, future)


def _has_future(tree: ast.Module) -> bool:
    return any(isinstance(s, ast.ImportFrom) and s.module == "__future__" for s in tree.body)


def _future_flags(tree: ast.Module) -> int:
    """The compiler flags of the module's `from __future__` imports (they change how the
    rest compiles), for the chunks after the first."""
    flags = 0
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            for alias in statement.names:
                flags |= FUTURE_FLAGS.get(alias.name, 0)
    return flags
